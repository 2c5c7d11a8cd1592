//! What children get: the dispositions psh changed put back to the
//! default (posix_spawn's SETSIGDEF set, or a reset in a forked child),
//! an empty mask, SIGINT/SIGQUIT ignored for a background job of a
//! script, SIGPIPE ignored around psh's own pipe writes.  Never installs
//! a handler.

use std::sync::atomic::{AtomicBool, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal};

use super::{note_interrupt, was_ignored_at_start, CHANGED};

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

/// Run `spawn` with SIGINT and SIGQUIT ignored in psh, so the child it
/// starts (posix_spawn can only reset signals to the default, not ignore
/// them) begins with them ignored: a background job of a non-interactive
/// shell (POSIX).  The two signals are blocked meanwhile, so one that comes
/// is held, then recorded by psh's handler, not ignored.
pub fn spawn_ignoring_interrupts<T>(spawn: impl FnOnce() -> T) -> T {
    let mut both = SigSet::empty();
    both.add(Signal::SIGINT);
    both.add(Signal::SIGQUIT);
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&both), None);
    // Setting SIG_IGN drops a pending blocked signal: record it first.
    let mut pending = std::mem::MaybeUninit::<libc::sigset_t>::zeroed();
    // SAFETY: sigpending fills the set it is given.
    if unsafe { libc::sigpending(pending.as_mut_ptr()) } == 0 {
        for sig in [Signal::SIGINT, Signal::SIGQUIT] {
            // SAFETY: the set was filled by the successful call above.
            let is_pending =
                unsafe { libc::sigismember(pending.as_ptr(), sig as libc::c_int) } == 1;
            if is_pending && !was_ignored_at_start(sig) {
                note_interrupt(sig);
            }
        }
    }
    let ign = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    let mut old = Vec::new();
    for sig in [Signal::SIGINT, Signal::SIGQUIT] {
        // SAFETY: installing SIG_IGN; the old action is put back below.
        if let Ok(o) = unsafe { sigaction(sig, &ign) } {
            old.push((sig, o));
        }
    }
    SPAWN_IGNORING.store(true, Ordering::Relaxed);
    let r = spawn();
    SPAWN_IGNORING.store(false, Ordering::Relaxed);
    for (sig, o) in old {
        // SAFETY: putting back the action saved above.
        let _ = unsafe { sigaction(sig, &o) };
    }
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&both), None);
    r
}

/// Inside `spawn_ignoring_interrupts`: SIGINT/SIGQUIT are not reset.
static SPAWN_IGNORING: AtomicBool = AtomicBool::new(false);

/// The signals a spawned child must get back at their default
/// disposition (posix_spawn's SETSIGDEF set).
pub fn child_defaults() -> SigSet {
    let mut set = SigSet::empty();
    let mut changed = CHANGED.load(Ordering::Relaxed);
    if SPAWN_IGNORING.load(Ordering::Relaxed) {
        changed &= !((1 << Signal::SIGINT as i32) | (1 << Signal::SIGQUIT as i32));
    }
    for sig in Signal::iterator() {
        if changed & (1 << (sig as i32)) != 0 {
            set.add(sig);
        }
    }
    set
}

/// In a forked child: put back every disposition the shell changed, the
/// SIGCHLD handler included, and clear the signal mask.
pub fn reset_in_child() {
    let dfl = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    for sig in child_defaults()
        .iter()
        .chain(std::iter::once(Signal::SIGCHLD))
    {
        // SAFETY: installing SIG_DFL.
        let _ = unsafe { sigaction(sig, &dfl) };
    }
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None);
}
