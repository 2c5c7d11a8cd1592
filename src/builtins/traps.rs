//! `alarm` and `trap` as builtins (no handler block): list what is
//! pending, cancel an alarm, put a signal back to its default.  Arming a
//! handler block is the evaluator's (`exec/traps.rs`), since the block is
//! part of the syntax.

use nix::sys::signal::Signal;

use crate::exec::traps::{parse_seconds, trappable, usage};
use crate::exec::Shell;
use crate::lang::ast::HandlerKind;
use crate::os::{process, signals, sys};

impl Shell {
    /// `alarm` without a handler block: `alarm` (what is pending),
    /// `alarm 0` (cancel).
    pub fn alarm_builtin(&mut self, args: &[String]) -> i32 {
        match args {
            [] => {
                let left = process::real_timer_left();
                let text = match self.traps.get(Signal::SIGALRM) {
                    Some(h) if left > 0.0 => {
                        format!("alarm: {left:.3} s left, then < {} >\n", h.text)
                    }
                    _ => "alarm: none pending\n".to_string(),
                };
                match sys::out(&text) {
                    Ok(()) => 0,
                    Err(_) => 1,
                }
            }
            [s] => match parse_seconds(s) {
                Ok(0.0) => self.cancel_alarm(),
                Ok(_) => usage(&format!(
                    "alarm: a handler block is needed: alarm {s} < echo now >"
                )),
                Err(m) => usage(&m),
            },
            _ => usage("alarm: usage: alarm [SECONDS < handler >]"),
        }
    }

    /// `trap` (list), `trap SIGNAL -` (back to the default).
    pub fn trap_builtin(&mut self, args: &[String]) -> i32 {
        match args {
            [] => {
                let mut text = String::new();
                for (n, h) in self.traps.handlers.iter().enumerate() {
                    if let (Some(h), Ok(sig)) = (h, Signal::try_from(n as i32)) {
                        let what = if sig == Signal::SIGALRM && h.kind == HandlerKind::Alarm {
                            format!("alarm ({:.3} s left)", process::real_timer_left())
                        } else {
                            format!("trap {}", signals::short_name(sig))
                        };
                        text.push_str(&format!("{what} < {} >\n", h.text));
                    }
                }
                match sys::out(&text) {
                    Ok(()) => 0,
                    Err(_) => 1,
                }
            }
            [name, dash] if dash == "-" => match trappable(name) {
                Ok(sig) => {
                    if sig == Signal::SIGALRM {
                        process::set_real_timer(0.0);
                    }
                    self.traps.set(sig, None);
                    signals::untrap(sig, self.interactive);
                    0
                }
                Err(m) => usage(&m),
            },
            [name] => usage(&format!(
                "trap: a handler block or `-` is needed: trap {name} < echo got it >"
            )),
            _ => usage("trap: usage: trap [SIGNAL < handler > | SIGNAL -]"),
        }
    }
}
