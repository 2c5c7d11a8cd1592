//! Handler blocks: `alarm SECONDS < … >` (a one-shot real-time timer,
//! setitimer) and `trap SIGNAL < … >`.  The OS-level handler only records
//! the signal (`signals.rs`); the blocks run here, in ordinary code, as
//! soon as psh can run code: between commands, while it waits for a
//! foreground job, or while the REPL waits for input.

use std::rc::Rc;

use nix::sys::signal::Signal;

use crate::ast::{Handler, HandlerKind};
use crate::shell::{Flow, Res, Shell};
use crate::signals;
use crate::sys;

/// The longest alarm accepted, in seconds (about 31 years).
const MAX_ALARM: f64 = 1e9;

/// The handler blocks psh holds, one per signal number.
#[derive(Debug, Default)]
pub struct Traps {
    handlers: Vec<Option<Rc<Handler>>>,
    /// Running a handler block now (signals that come meanwhile wait).
    running: bool,
}

impl Traps {
    fn get(&self, sig: Signal) -> Option<&Rc<Handler>> {
        self.handlers.get(sig as usize).and_then(Option::as_ref)
    }
    fn set(&mut self, sig: Signal, h: Option<Rc<Handler>>) {
        let i = sig as usize;
        if self.handlers.len() <= i {
            self.handlers.resize(i + 1, None);
        }
        self.handlers[i] = h;
    }
    /// A forked child keeps none of its parent's handler blocks.
    pub fn clear(&mut self) {
        self.handlers.clear();
    }
}

fn timer(seconds: f64) -> libc::itimerval {
    let whole = seconds.trunc();
    libc::itimerval {
        it_interval: libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        },
        it_value: libc::timeval {
            tv_sec: whole as libc::time_t,
            tv_usec: ((seconds - whole) * 1e6).round() as libc::suseconds_t,
        },
    }
}

fn seconds_of(t: &libc::itimerval) -> f64 {
    t.it_value.tv_sec as f64 + t.it_value.tv_usec as f64 / 1e6
}

/// Arm (or with 0, cancel) the real-time timer; what the old one had left.
fn set_timer(seconds: f64) -> f64 {
    let new = timer(seconds);
    let mut old = timer(0.0);
    // SAFETY: valid itimerval pointers.
    unsafe { libc::setitimer(libc::ITIMER_REAL, &new, &mut old) };
    seconds_of(&old)
}

fn timer_left() -> f64 {
    let mut cur = timer(0.0);
    // SAFETY: a valid itimerval pointer.
    unsafe { libc::getitimer(libc::ITIMER_REAL, &mut cur) };
    seconds_of(&cur)
}

/// `0.25`, `5`, `1e-3`: a number of seconds, or why not.
fn parse_seconds(s: &str) -> Result<f64, String> {
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
fn trappable(name: &str) -> Result<Signal, String> {
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
                let secs = match parse_seconds(&arg) {
                    Ok(s) => s,
                    Err(m) => return Ok(usage(&m)),
                };
                if secs == 0.0 {
                    return Ok(self.cancel_alarm());
                }
                self.traps.set(Signal::SIGALRM, Some(h.clone()));
                signals::trap(Signal::SIGALRM);
                crate::trace::event(&format!(
                    "setitimer(ITIMER_REAL, {secs} s); handler block kept"
                ));
                let left = set_timer(secs);
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
                crate::trace::event(&format!(
                    "sigaction({}, record-only handler); handler block kept",
                    sig.as_str()
                ));
                Ok(0)
            }
        }
    }

    fn cancel_alarm(&mut self) -> i32 {
        let left = set_timer(0.0);
        if left > 0.0 {
            sys::err(&format!("alarm: cancelled, {left:.3} s were left\n"));
        }
        self.traps.set(Signal::SIGALRM, None);
        signals::untrap(Signal::SIGALRM, self.interactive);
        0
    }

    /// `alarm` without a handler block: `alarm` (what is pending),
    /// `alarm 0` (cancel).
    pub fn alarm_builtin(&mut self, args: &[String]) -> i32 {
        match args {
            [] => {
                let left = timer_left();
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
                            format!("alarm ({:.3} s left)", timer_left())
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
                        set_timer(0.0);
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
                        crate::trace::event("signal SIGHUP received → jobs hung up, psh exits");
                        self.hang_up_all_jobs();
                        self.exit_now(128 + Signal::SIGHUP as i32);
                    }
                    continue;
                };
                crate::trace::event(&format!(
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
        self.hang_up_stopped_jobs();
        std::process::exit(status & 0xff)
    }
}

fn usage(msg: &str) -> i32 {
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

    #[test]
    fn timer_values_round_trip() {
        let t = timer(1.25);
        assert_eq!(t.it_value.tv_sec, 1);
        assert_eq!(t.it_value.tv_usec, 250_000);
        assert!((seconds_of(&t) - 1.25).abs() < 1e-9);
    }
}
