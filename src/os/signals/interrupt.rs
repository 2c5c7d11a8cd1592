//! The interrupt: Ctrl-C (SIGINT) and Ctrl-\\ (SIGQUIT) for what psh
//! itself runs.  A record-only handler sets one flag; the evaluator,
//! builtins, `$(…)`, waits and the lab look at it.  Only records and
//! reports; what an interrupt ends is exec's decision.

use std::sync::atomic::Ordering;

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal};

use super::{wake, INTERRUPT, IN_READLINE};

pub(super) extern "C" fn on_interrupt(
    sig: libc::c_int,
    info: *mut libc::siginfo_t,
    _: *mut libc::c_void,
) {
    // SAFETY: the kernel passes a valid siginfo with SA_SIGINFO.
    let (code, from) = unsafe {
        match info.as_ref() {
            Some(i) => (i.si_code, i.si_pid()),
            None => (0, 0),
        }
    };
    // SAFETY: getpid is async-signal-safe.
    let me = unsafe { libc::getpid() };
    if code == libc::SI_TKILL && from == me && IN_READLINE.load(Ordering::Relaxed) {
        // psh's own kick for the line editor, landing before the editor's
        // handler was in place: not an interrupt.
        return;
    }
    INTERRUPT.store(sig, Ordering::Relaxed);
    wake();
}

/// The record-only interrupt handler, as a disposition.
pub(super) fn interrupt_action() -> SigAction {
    SigAction::new(
        SigHandler::SigAction(on_interrupt),
        SaFlags::SA_SIGINFO,
        SigSet::empty(),
    )
}

/// An interrupt (Ctrl-C, Ctrl-\) arrived for what is running now.
#[inline]
pub fn interrupted() -> bool {
    INTERRUPT.load(Ordering::Relaxed) != 0
}

/// The interrupt that arrived is Ctrl-\\ (SIGQUIT).
pub fn interrupted_by_quit() -> bool {
    INTERRUPT.load(Ordering::Relaxed) == Signal::SIGQUIT as i32
}

/// 128 + the interrupt's signal number (130 for Ctrl-C, 131 for Ctrl-\\).
pub fn interrupt_status() -> i32 {
    if interrupted_by_quit() {
        128 + Signal::SIGQUIT as i32
    } else {
        128 + Signal::SIGINT as i32
    }
}

/// The interrupt that arrived, once; None if none did.
#[inline]
pub fn take_interrupt() -> Option<Signal> {
    match INTERRUPT.swap(0, Ordering::Relaxed) {
        0 => None,
        n => Signal::try_from(n).ok(),
    }
}

/// Record an interrupt psh learnt of another way (a foreground job that
/// died of SIGINT or SIGQUIT).
pub fn note_interrupt(sig: Signal) {
    INTERRUPT.store(sig as i32, Ordering::Relaxed);
}

/// Forget an interrupt (the foreground job handled it and went on, as
/// bash lets it; or a new command line starts).
pub fn clear_interrupt() {
    INTERRUPT.store(0, Ordering::Relaxed);
}

/// Sleep for `d`, waking within ~10 ms for an interrupt; false if one
/// came.  For loops that run in psh itself (the lab's chores).
pub fn sleep_interruptible(d: std::time::Duration) -> bool {
    let end = std::time::Instant::now() + d;
    loop {
        if interrupted() {
            return false;
        }
        let now = std::time::Instant::now();
        if now >= end {
            return true;
        }
        std::thread::sleep((end - now).min(std::time::Duration::from_millis(10)));
    }
}

/// End psh the way an interrupted program ends: killed by `sig`, so the
/// caller (a parent shell's loop) sees it and stops too, as bash does.
pub fn die_of(sig: Signal) -> ! {
    let dfl = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    // SAFETY: installing SIG_DFL for the signal about to be raised.
    let _ = unsafe { sigaction(sig, &dfl) };
    let mut set = SigSet::empty();
    set.add(sig);
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&set), None);
    let _ = nix::sys::signal::raise(sig);
    // SAFETY: _exit has no preconditions (only if the signal did not end us).
    unsafe { libc::_exit(128 + sig as i32) }
}
