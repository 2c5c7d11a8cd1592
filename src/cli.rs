//! The command line: picks the mode (script, `-c`, stdin, the REPL,
//! `--check`) and hands the parsed program to the evaluator.

use crate::shell::{Flow, Shell};
use crate::{input, parser, repl, sys};

const USAGE: &str = "usage: psh [--norc] [FILE [ARGS…] | -c LINE [ARGS…] | --check FILE…]
  psh                 interactive on a terminal; otherwise read commands from stdin
  psh FILE [ARGS…]    run a script ($0 is FILE, $1… are ARGS)
  psh -c LINE [ARGS…] run one command string ($0 is the first ARG)
  psh --check FILE…   parse only: report every syntax error, exit 2 if any
  psh --version       print the version
";

/// Run psh with these arguments (without the program name); the exit
/// status.
pub fn run(mut args: Vec<String>) -> i32 {
    let mut norc = false;
    while let Some(a) = args.first() {
        match a.as_str() {
            "--version" => {
                let _ = sys::out(concat!("psh ", env!("CARGO_PKG_VERSION"), "\n"));
                return 0;
            }
            "--help" | "-h" => {
                let _ = sys::out(USAGE);
                return 0;
            }
            "--norc" => {
                norc = true;
                args.remove(0);
            }
            "--check" => return check(&args[1..]),
            "-c" => {
                let Some(line) = args.get(1).cloned() else {
                    sys::err("psh: -c: a command string is needed\n");
                    return 2;
                };
                let arg0 = args.get(2).cloned().unwrap_or_else(|| "psh".into());
                let rest = args.get(3..).unwrap_or(&[]).to_vec();
                let mut sh = Shell::new(arg0, rest, false);
                return run_text(&mut sh, &line, "-c");
            }
            "-" | "-s" => {
                args.remove(0);
                break;
            }
            s if s.starts_with('-') && s.len() > 1 => {
                sys::err(&format!("psh: {s}: unknown option\n{USAGE}"));
                return 2;
            }
            _ => break,
        }
    }
    if let Some(file) = args.first().cloned() {
        let text = match sys::read_script(&file) {
            Ok(t) => t,
            Err(why) => {
                sys::err(&format!("psh: {file}: {why}\n"));
                return 127;
            }
        };
        let mut sh = Shell::new(file.clone(), args.get(1..).unwrap_or(&[]).to_vec(), false);
        return run_text(&mut sh, &text, &file);
    }
    // SAFETY: isatty only queries.
    let tty = unsafe { libc::isatty(0) == 1 };
    let mut sh = Shell::new("psh".into(), Vec::new(), tty);
    if tty {
        return repl::run(&mut sh, norc);
    }
    run_stdin(&mut sh, false)
}

/// Parse all of `text` first (nothing runs if any of it is wrong), then run.
fn run_text(sh: &mut Shell, text: &str, file: &str) -> i32 {
    let list = match parser::parse(text, file) {
        Ok(l) => l,
        Err(e) => {
            sys::err(&format!("{e}\n"));
            return 2;
        }
    };
    match sh.run_list(&list) {
        Ok(st) => st,
        Err(Flow::Exit(st)) | Err(Flow::Return(st)) => st,
        Err(_) => sh.status,
    }
}

/// Commands from stdin, one complete command at a time.
pub fn run_stdin(sh: &mut Shell, tty: bool) -> i32 {
    let mut pending = String::new();
    let mut lineno = 0usize;
    let mut start_line = 1usize;
    loop {
        if tty {
            sys::err(if pending.is_empty() { "psh$ " } else { "> " });
        }
        let Some(line) = input::read_line() else {
            if !pending.is_empty() {
                if let Err(e) = parser::parse(&pending, "stdin") {
                    sys::err(&format!("{}\n", shift_lines(e, start_line)));
                    return 2;
                }
            }
            return sh.status;
        };
        lineno += 1;
        if pending.is_empty() {
            start_line = lineno;
        }
        pending.push_str(&String::from_utf8_lossy(&line));
        let list = match parser::parse(&pending, "stdin") {
            Ok(l) => l,
            Err(e) if e.incomplete => continue,
            Err(e) => {
                sys::err(&format!("{}\n", shift_lines(e, start_line)));
                pending.clear();
                if tty {
                    sh.status = 2;
                    continue;
                }
                return 2;
            }
        };
        pending.clear();
        match sh.run_list(&list) {
            Ok(_) => {}
            Err(Flow::Exit(st)) => return st,
            Err(_) => {}
        }
    }
}

/// An error in a chunk that starts at line `start` of the whole input.
fn shift_lines(mut e: parser::SyntaxError, start: usize) -> parser::SyntaxError {
    e.line += start - 1;
    e
}

/// `--check FILE…`: report every syntax error, run nothing.
fn check(files: &[String]) -> i32 {
    if files.is_empty() {
        sys::err("psh: --check: no files given\n");
        return 2;
    }
    let mut status = 0;
    for f in files {
        match sys::read_script(f) {
            Ok(text) => {
                if let Err(e) = parser::parse(&text, f) {
                    sys::err(&format!("{e}\n"));
                    status = 2;
                }
            }
            Err(why) => {
                sys::err(&format!("psh: {f}: {why}\n"));
                status = 2;
            }
        }
    }
    status
}
