//! Running program text: a whole script or `-c` string (parsed entirely
//! first, so nothing runs if any of it is wrong), or a stream of commands
//! from stdin, one complete command at a time (a pipe, a file, or a
//! terminal the line editor cannot drive).  Reads lines through
//! `os::input`; never changes the terminal's modes.

use nix::sys::signal::Signal;

use crate::exec::shell::{Flow, Shell};
use crate::lang::parser;
use crate::os::{input, signals, sys};

/// Check all of `text` first (nothing runs if any of it is wrong), then
/// run it a top-level job at a time (a big script is never held whole as
/// an AST).
pub fn run_text(sh: &mut Shell, text: String, file: &str) -> i32 {
    let jobs = match parser::jobs(text, file) {
        Ok(j) => j,
        Err(e) => {
            sys::err(&format!("{e}\n"));
            return 2;
        }
    };
    let mut st = 0;
    for job in jobs {
        match sh.run_top(&job) {
            Ok(s) => st = s,
            Err(Flow::Exit(s)) | Err(Flow::Return(s)) => return s,
            Err(Flow::Interrupted(sig)) => die_interrupted(sig),
            Err(_) => st = sh.status,
        }
    }
    st
}

/// A non-interactive shell interrupted by Ctrl-C ends killed by the same
/// signal, so whatever runs it (a parent shell's loop) stops too.
fn die_interrupted(sig: i32) -> ! {
    let sig = Signal::try_from(sig).unwrap_or(Signal::SIGINT);
    signals::die_of(sig)
}

/// What reading one line gave.
enum Input {
    Line(Vec<u8>),
    End,
    /// Ctrl-C (or Ctrl-\\) while waiting for the line.
    Interrupted,
}

/// Read one line; a signal that comes meanwhile runs its handler block
/// at once (then `prompt`, if any, is shown again) or ends the wait (an
/// interrupt).
fn next_line(sh: &mut Shell, prompt: Option<&str>) -> Input {
    let mut on_signal = || {
        let handlers = signals::has_pending();
        sh.run_traps_or_exit();
        if let (true, Some(p)) = (handlers, prompt) {
            sys::err(p);
        }
        signals::interrupted()
    };
    match input::read_line(&mut on_signal) {
        Ok(Some(line)) => Input::Line(line),
        Ok(None) => Input::End,
        Err(input::Stopped) => Input::Interrupted,
    }
}

/// Commands from stdin, one complete command at a time.  `tty`: a
/// terminal the line editor cannot drive (TERM=dumb): a plain prompt,
/// announcements before it, and Ctrl-C drops the line.
pub fn run_stdin(sh: &mut Shell, tty: bool) -> i32 {
    let mut pending = String::new();
    let mut lineno = 0usize;
    let mut start_line = 1usize;
    loop {
        if tty {
            if let Err(Flow::Exit(st)) = sh.run_pending_traps() {
                return st;
            }
            let note = sh.jobs.take_notifications();
            if !note.is_empty() {
                sys::err(&note);
            }
            signals::clear_interrupt();
        }
        let prompt = if pending.is_empty() { "psh$ " } else { "> " };
        if tty {
            sys::err(prompt);
        }
        let line = match next_line(sh, tty.then_some(prompt)) {
            Input::Line(l) => l,
            Input::Interrupted if tty => {
                signals::clear_interrupt();
                pending.clear();
                sh.status = 130;
                sys::err("\n");
                continue;
            }
            Input::Interrupted => {
                let sig = signals::take_interrupt().unwrap_or(Signal::SIGINT);
                signals::die_of(sig)
            }
            Input::End => {
                if !pending.is_empty() {
                    if let Err(e) = parser::parse(&pending, "stdin") {
                        sys::err(&format!("{}\n", shift_lines(e, start_line)));
                        return 2;
                    }
                }
                return sh.status;
            }
        };
        lineno += 1;
        if pending.is_empty() {
            start_line = lineno;
        }
        pending.push_str(&crate::os::text::decode(&line));
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
            Err(Flow::Interrupted(sig)) if !tty => die_interrupted(sig),
            Err(_) => {}
        }
    }
}

/// An error in a chunk that starts at line `start` of the whole input.
fn shift_lines(mut e: parser::SyntaxError, start: usize) -> parser::SyntaxError {
    e.line += start - 1;
    e
}
