//! What children get: the dispositions psh changed put back to the
//! default (the list the spawner's child resets, or a reset in a forked child),
//! an empty mask, SIGINT/SIGQUIT ignored for a background job of a
//! script, SIGPIPE ignored around psh's own pipe writes.  Never installs
//! a handler.

use std::sync::atomic::Ordering;

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal};

use super::CHANGED;

/// Run `f` with SIGPIPE ignored: psh's own writes into a pipe whose
/// reader died (the lab's ticket pipe) fail with EPIPE instead of ending
/// psh.  SIGPIPE is synchronous (raised by psh's own write), so no signal
/// from elsewhere can be lost meanwhile.
pub fn with_sigpipe_ignored<T>(f: impl FnOnce() -> T) -> T {
    let ign = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    // SAFETY: installing SIG_IGN; the old action is put back below.
    let old = unsafe { sigaction(Signal::SIGPIPE, &ign) };
    let r = f();
    if let Ok(o) = old {
        // SAFETY: putting back the action saved above.
        let _ = unsafe { sigaction(Signal::SIGPIPE, &o) };
    }
    r
}

/// The signals a spawned child must get back at their default
/// disposition (what the spawner's child resets before execve).
pub fn child_defaults() -> SigSet {
    let mut set = SigSet::empty();
    let changed = CHANGED.load(Ordering::Relaxed);
    for sig in Signal::iterator() {
        if changed & (1 << (sig as i32)) != 0 {
            set.add(sig);
        }
    }
    set
}

/// In a forked child about to exec: the dispositions psh changed back at
/// the default (SIGCHLD's too), SIGINT and SIGQUIT ignored when asked (a
/// script's background job), then the mask (all blocked across the fork)
/// cleared — in that order, so a signal that came meanwhile meets neither
/// a handler of psh's nor a default the job must not have.
pub fn prepare_exec(ignore_interrupts: bool) {
    let dfl = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    let ign = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    let ints = [Signal::SIGINT, Signal::SIGQUIT];
    for sig in child_defaults()
        .iter()
        .chain(std::iter::once(Signal::SIGCHLD))
    {
        if !(ignore_interrupts && ints.contains(&sig)) {
            // SAFETY: installing SIG_DFL.
            let _ = unsafe { sigaction(sig, &dfl) };
        }
    }
    if ignore_interrupts {
        for sig in ints {
            // SAFETY: installing SIG_IGN.
            let _ = unsafe { sigaction(sig, &ign) };
        }
    }
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None);
}

/// In a forked child: put back every disposition the shell changed, the
/// SIGCHLD handler included, and clear the signal mask.
pub fn reset_in_child() {
    prepare_exec(false);
}
