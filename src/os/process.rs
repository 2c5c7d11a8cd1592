//! Raw process calls that need `unsafe`: fork (only while psh has no
//! other threads), `_exit`, the thread id, the monotonic clock, the
//! real-time interval timer, `access`, `isatty`, and whether colour may be
//! written to a descriptor.  Each is a thin, documented wrapper; policy
//! (what a child does after fork, what a timer means) lives with callers.

use std::ffi::CString;
use std::os::fd::RawFd;

use nix::sys::signal::{sigprocmask, SigSet, SigmaskHow};
use nix::unistd::{ForkResult, Pid};

/// Which side of a fork this is.
pub enum Forked {
    Child,
    Parent(Pid),
}

/// fork().  Callers guarantee psh has no other threads running (the lab
/// joins its threads before returning), so the child may run shell code.
///
/// Every signal is blocked across the fork: the parent gets its mask back
/// at once (a signal that came meanwhile is delivered then, not lost); the
/// child starts with all of them blocked, so none reaches the parent's
/// handlers in it before it has put its own dispositions in place and
/// cleared the mask (`signals::init_forked_child`, `reset_in_child`).
pub fn fork() -> nix::Result<Forked> {
    if THREADS_RUNNING.load(std::sync::atomic::Ordering::SeqCst) {
        // A handler block running while lab threads work: a forked copy
        // of a threaded process may inherit a lock another thread held.
        super::sys::err("psh: no fork while lab threads run: a handler block may run programs and builtins, not ( … ) or a pipeline of builtins\n");
        return Err(nix::errno::Errno::EAGAIN);
    }
    let all = SigSet::all();
    let mut old = SigSet::empty();
    let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&all), Some(&mut old));
    // SAFETY: single-threaded at every call site (see above).
    let r = unsafe { nix::unistd::fork() };
    match r {
        Ok(ForkResult::Child) => Ok(Forked::Child),
        Ok(ForkResult::Parent { child }) => {
            let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
            Ok(Forked::Parent(child))
        }
        Err(e) => {
            let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
            Err(e)
        }
    }
}

/// The most memory this process has had resident, in KiB (getrusage's
/// `ru_maxrss`; 0 if unknown).  Never smaller than what it has now.
pub fn peak_rss_kib() -> i64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF)
        .map_or(0, |u| u.max_rss())
}

/// Set while the lab's threads run beside the shell's own (which then
/// runs handler blocks): `fork` refuses meanwhile.
pub static THREADS_RUNNING: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Replace this process by `path` (execve); only returns on failure.
pub fn exec_replace(
    path: &std::ffi::CStr,
    argv: &[CString],
    envp: &[CString],
) -> nix::errno::Errno {
    match nix::unistd::execve(path, argv, envp) {
        Err(e) => e,
        Ok(never) => match never {},
    }
}

/// End a forked child at once: no destructors, no flushing of buffers the
/// parent will flush too.
pub fn exit_child(status: i32) -> ! {
    // SAFETY: _exit has no preconditions.
    unsafe { libc::_exit(status & 0xff) }
}

/// The calling thread's kernel id.
pub fn gettid() -> i64 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::syscall(libc::SYS_gettid) }
}

/// Nanoseconds on CLOCK_MONOTONIC (comparable across processes).
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid timespec pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec as u64)
}

pub fn isatty(fd: RawFd) -> bool {
    // SAFETY: isatty only queries.
    unsafe { libc::isatty(fd) == 1 }
}

/// Colour only for a terminal, and never with NO_COLOR set.
pub fn colors_on(fd: RawFd) -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && isatty(fd)
}

/// Access checks of `test -r/-w/-x`.
#[derive(Debug, Clone, Copy)]
pub enum Access {
    Read,
    Write,
    Exec,
}

/// access(2): may this process read/write/execute `path`?
pub fn access(path: &str, mode: Access) -> bool {
    let mode = match mode {
        Access::Read => libc::R_OK,
        Access::Write => libc::W_OK,
        Access::Exec => libc::X_OK,
    };
    super::text::cstring(path)
        // SAFETY: a valid NUL-terminated path.
        .map(|c| unsafe { libc::access(c.as_ptr(), mode) } == 0)
        .unwrap_or(false)
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

/// Arm (or with 0, cancel) the one-shot real-time timer (SIGALRM); what
/// the old one had left.
pub fn set_real_timer(seconds: f64) -> f64 {
    let new = timer(seconds);
    let mut old = timer(0.0);
    // SAFETY: valid itimerval pointers.
    unsafe { libc::setitimer(libc::ITIMER_REAL, &new, &mut old) };
    seconds_of(&old)
}

/// Seconds left on the real-time timer (0 when none is armed).
pub fn real_timer_left() -> f64 {
    let mut cur = timer(0.0);
    // SAFETY: a valid itimerval pointer.
    unsafe { libc::getitimer(libc::ITIMER_REAL, &mut cur) };
    seconds_of(&cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_values_round_trip() {
        let t = timer(1.25);
        assert_eq!(t.it_value.tv_sec, 1);
        assert_eq!(t.it_value.tv_usec, 250_000);
        assert!((seconds_of(&t) - 1.25).abs() < 1e-9);
    }

    #[test]
    fn access_checks_files() {
        assert!(access("/", Access::Read));
        assert!(!access("/nonexistent/psh", Access::Read));
    }
}
