//! The command line: picks the mode (script, `-c`, stdin, the REPL,
//! `--check`), builds the shell with its hooks (builtins, explain) and
//! hands the program to exec.  Runs nothing itself.

use crate::exec::shell::{Hooks, Shell};
use crate::exec::source::{run_stdin, run_text};
use crate::os::sys;
use crate::repl;

const USAGE: &str = "usage: psh [--norc] [FILE [ARGS…] | -c LINE [ARGS…] | --check FILE…]
  psh                 interactive on a terminal; otherwise read commands from stdin
  psh FILE [ARGS…]    run a script ($0 is FILE, $1… are ARGS)
  psh -c LINE [ARGS…] run one command string ($0 is the first ARG)
  psh --check FILE…   parse only: report every syntax error, exit 2 if any
  psh --tour [zh|en]  the course, one example at a time
  psh --version       print the version
";

/// The layers above exec that the shell reaches at run time.
pub const HOOKS: Hooks = Hooks {
    builtin: crate::builtins::lookup,
    explain: crate::teach::explain::explain_pipeline,
};

/// A shell with psh's builtins and teaching aids.
pub fn new_shell(arg0: String, args: Vec<String>, interactive: bool) -> Shell {
    Shell::new(arg0, args, interactive, HOOKS)
}

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
            "--tour" => {
                let mut sh = new_shell("psh".into(), Vec::new(), false);
                return crate::teach::tour::builtin(&mut sh, args.get(1..).unwrap_or(&[]));
            }
            "-c" => {
                let Some(line) = args.get(1).cloned() else {
                    sys::err("psh: -c: a command string is needed\n");
                    return 2;
                };
                let arg0 = args.get(2).cloned().unwrap_or_else(|| "psh".into());
                let rest = args.get(3..).unwrap_or(&[]).to_vec();
                let mut sh = new_shell(arg0, rest, false);
                let status = run_text(&mut sh, line, "-c");
                return leave(sh, status);
            }
            "-" | "-s" => {
                args.remove(0);
                break;
            }
            "--" => {
                // What follows is the script, even if its name starts with `-`.
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
                // Missing: 127; there but not a script: 126 (as bash).
                return if why == sys::NOT_A_SCRIPT { 126 } else { 127 };
            }
        };
        let mut sh = new_shell(file.clone(), args.get(1..).unwrap_or(&[]).to_vec(), false);
        let status = run_text(&mut sh, text, &file);
        return leave(sh, status);
    }
    let tty = crate::os::process::isatty(0);
    let mut sh = new_shell("psh".into(), Vec::new(), tty);
    let status = match tty {
        true => repl::run(&mut sh, norc),
        false => run_stdin(&mut sh, false),
    };
    leave(sh, status)
}

/// The process ends with this status: the shell's memory is not taken
/// apart first (the kernel frees it at once, and its descriptors with it —
/// dropping it was 14 000 of the 344 000 instructions of `psh -c true`).
fn leave(sh: Shell, status: i32) -> i32 {
    std::mem::forget(sh);
    status
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
                for e in crate::lang::recover::all_errors(&text, f) {
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
