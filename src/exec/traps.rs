//! Handler blocks: `alarm SECONDS < … >` (a one-shot real-time timer,
//! setitimer) and `trap SIGNAL < … >`.  The OS-level handler only records
//! the signal (`os/signals.rs`); the blocks run here, in ordinary code, as
//! soon as psh can run code: between commands, while it waits for a
//! foreground job, or while the REPL waits for input.  The `alarm`/`trap`
//! builtins without a block are in `builtins/traps.rs`.

use std::rc::Rc;

use nix::sys::signal::Signal;

use crate::exec::shell::{Flow, Res, Shell};
use crate::lang::ast::{Handler, HandlerKind};
use crate::os::sys;
use crate::os::{process, signals};

/// The longest alarm accepted, in seconds (about 31 years).
const MAX_ALARM: f64 = 1e9;

/// `0.25`, `5`, `1e-3`: a number of seconds, or why not.
pub fn parse_seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("alarm: `{s}`: not a number of seconds"))?;
    if !v.is_finite() || v < 0.0 {
        return Err(format!("alarm: `{s}`: seconds must be 0 or more"));
    }
    if v > MAX_ALARM {
        return Err(format!(
            "alarm: `{s}`: too far away (at most {MAX_ALARM:e} s)"
        ));
    }
    if v > 0.0 && v < 1e-6 {
        return Err(format!("alarm: `{s}`: shorter than a microsecond"));
    }
    Ok(v)
}

/// A signal that psh lets a handler block catch.
pub fn trappable(name: &str) -> Result<Signal, String> {
    let sig = signals::parse(name).ok_or_else(|| format!("trap: `{name}`: no such signal"))?;
    match sig {
        Signal::SIGKILL | Signal::SIGSTOP => {
            Err(format!("trap: {}: cannot be caught", sig.as_str()))
        }
        Signal::SIGCHLD => Err("trap: SIGCHLD: psh uses it to follow its jobs".into()),
        Signal::SIGSEGV | Signal::SIGBUS | Signal::SIGFPE | Signal::SIGILL => Err(format!(
            "trap: {}: a fault, not an event a handler can wait for",
            sig.as_str()
        )),
        s => Ok(s),
    }
}

impl Shell {
    /// `alarm SECONDS < … >` and `trap SIGNAL < … >`.
    pub fn arm_handler(&mut self, h: &Rc<Handler>) -> Res {
        let arg = match self.expand_string(&h.arg) {
            Ok(a) => a,
            Err(e) => return self.expand_failed(e),
        };
        match h.kind {
            HandlerKind::Alarm => {
                // An alarm that already fired runs its own block first:
                // the new one must never fire in its place.
                self.run_pending_traps()?;
                let secs = match parse_seconds(&arg) {
                    Ok(s) => s,
                    Err(m) => return Ok(usage(&m)),
                };
                if secs == 0.0 {
                    return Ok(self.cancel_alarm());
                }
                self.traps.set(Signal::SIGALRM, Some(h.clone()));
                signals::trap(Signal::SIGALRM);
                crate::os::trace::event(&format!(
                    "setitimer(ITIMER_REAL, {secs} s); handler block kept"
                ));
                let left = process::set_real_timer(secs);
                if left > 0.0 {
                    sys::err(&format!(
                        "alarm: replaced the pending alarm, which had {left:.3} s left\n"
                    ));
                }
                Ok(0)
            }
            HandlerKind::Trap => {
                let sig = match trappable(&arg) {
                    Ok(s) => s,
                    Err(m) => return Ok(usage(&m)),
                };
                self.traps.set(sig, Some(h.clone()));
                signals::trap(sig);
                crate::os::trace::event(&format!(
                    "sigaction({}, record-only handler); handler block kept",
                    sig.as_str()
                ));
                Ok(0)
            }
        }
    }

    pub fn cancel_alarm(&mut self) -> i32 {
        let left = process::set_real_timer(0.0);
        if left > 0.0 {
            sys::err(&format!("alarm: cancelled, {left:.3} s were left\n"));
        }
        self.traps.set(Signal::SIGALRM, None);
        signals::untrap(Signal::SIGALRM, self.interactive);
        0
    }

    /// Run the handler block of every signal that came.  `exit` inside one
    /// ends psh (the Flow comes back).  `$?` is kept around the blocks.
    pub fn run_pending_traps(&mut self) -> Result<(), Flow> {
        if self.traps.running || !signals::has_pending() {
            return Ok(());
        }
        self.traps.running = true;
        let saved = self.status;
        let mut result = Ok(());
        while signals::has_pending() && result.is_ok() {
            for sig in signals::take_pending() {
                let Some(h) = self.traps.get(sig).cloned() else {
                    if sig == Signal::SIGHUP && self.interactive {
                        // The terminal went away: hang up every job, go.
                        crate::os::trace::event("signal SIGHUP received → jobs hung up, psh exits");
                        self.jobs.hang_up(false);
                        self.exit_now(128 + Signal::SIGHUP as i32);
                    }
                    continue;
                };
                crate::os::trace::event(&format!(
                    "signal {} received → its handler block runs",
                    sig.as_str()
                ));
                if sig == Signal::SIGALRM && h.kind == HandlerKind::Alarm {
                    // One-shot: the alarm is spent.
                    self.traps.set(sig, None);
                    signals::untrap(sig, self.interactive);
                }
                if let Err(Flow::Exit(n)) = self.run_list(&h.body) {
                    result = Err(Flow::Exit(n));
                    break;
                }
            }
        }
        self.status = saved;
        self.traps.running = false;
        result
    }

    /// Run pending handler blocks where control cannot return a Flow (in
    /// the middle of waiting for a job): `exit` ends psh right here.
    pub fn run_traps_or_exit(&mut self) {
        if let Err(Flow::Exit(n)) = self.run_pending_traps() {
            self.exit_now(n);
        }
    }

    /// Leave psh at once: the terminal back as it was, stopped jobs hung up.
    pub fn exit_now(&mut self, status: i32) -> ! {
        if let Some(t) = &self.term {
            t.take_back();
        }
        self.jobs.hang_up(true);
        std::process::exit(status & 0xff)
    }
}

pub fn usage(msg: &str) -> i32 {
    sys::err(&format!("psh: {msg}\n"));
    2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_checked() {
        assert_eq!(parse_seconds("0.25"), Ok(0.25));
        assert_eq!(parse_seconds("5"), Ok(5.0));
        assert_eq!(parse_seconds("0"), Ok(0.0));
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
        assert!(parse_seconds("inf").is_err());
        assert!(parse_seconds("NaN").is_err());
        assert!(parse_seconds("1e300").is_err());
        assert!(parse_seconds("1e-9").is_err());
    }

    #[test]
    fn signals_that_cannot_be_trapped() {
        assert!(trappable("KILL").is_err());
        assert!(trappable("STOP").is_err());
        assert!(trappable("CHLD").is_err());
        assert!(trappable("NOPE").is_err());
        assert_eq!(trappable("usr1"), Ok(Signal::SIGUSR1));
        assert_eq!(trappable("SIGUSR2"), Ok(Signal::SIGUSR2));
        assert_eq!(trappable("10"), Ok(Signal::SIGUSR1));
    }
}
