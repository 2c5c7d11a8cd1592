//! The `trace on|off` builtin: switches the trace sink (`os/trace.rs`),
//! which every layer calls as its primitives happen.  It only flips the
//! switch and reports it; the events are written by the sink.

use crate::os::{sys, trace};

/// `trace on`, `trace off`, `trace` (say which).
pub fn builtin(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("on") => {
            trace::set(true);
            0
        }
        Some("off") => {
            trace::set(false);
            0
        }
        None => {
            let text = if trace::on() {
                "trace: on\n"
            } else {
                "trace: off\n"
            };
            match sys::out(text) {
                Ok(()) => 0,
                Err(_) => 1,
            }
        }
        Some(o) => {
            sys::err(&format!("psh: trace: `{o}`: on or off\n"));
            2
        }
    }
}
