//! Running program text: a whole script or `-c` string (parsed entirely
//! first, so nothing runs if any of it is wrong), or a stream of commands
//! from a non-terminal stdin, one complete command at a time.  Reads
//! lines through `os::input`; never touches the terminal.

use crate::exec::shell::{Flow, Shell};
use crate::lang::parser;
use crate::os::{input, sys};

/// Parse all of `text` first (nothing runs if any of it is wrong), then run.
pub fn run_text(sh: &mut Shell, text: &str, file: &str) -> i32 {
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
