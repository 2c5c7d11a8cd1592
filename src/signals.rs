//! Signal dispositions: what the shell changes for itself, what every
//! child gets back (default dispositions, empty mask), and the SIGCHLD flag
//! that tells the job table a child changed state.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal};

static CHILD_CHANGED: AtomicBool = AtomicBool::new(false);
/// Bit N set: signal N was ignored when psh started (POSIX: it stays so
/// for children).
static IGNORED_AT_START: AtomicU64 = AtomicU64::new(0);
/// Bit N set: psh changed signal N's disposition, so children need it back.
static CHANGED: AtomicU64 = AtomicU64::new(0);

extern "C" fn on_sigchld(_: libc::c_int) {
    CHILD_CHANGED.store(true, Ordering::Relaxed);
}

/// The job-control signals an interactive shell ignores (issue 3 turns
/// them off at the prompt); recorded at start-up so children of a shell
/// started under `nohup`-like conditions keep them ignored.
pub const JOB_CONTROL: [Signal; 5] = [
    Signal::SIGINT,
    Signal::SIGQUIT,
    Signal::SIGTSTP,
    Signal::SIGTTIN,
    Signal::SIGTTOU,
];

/// Called once at start-up.
pub fn init() {
    let mut ignored = 0u64;
    for sig in JOB_CONTROL {
        // SAFETY: querying a disposition (installing the same one back).
        if let Ok(old) = unsafe {
            sigaction(
                sig,
                &SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty()),
            )
        } {
            if matches!(old.handler(), SigHandler::SigIgn) {
                ignored |= 1 << (sig as i32);
            }
            // SAFETY: restoring what was there.
            let _ = unsafe { sigaction(sig, &old) };
        }
    }
    IGNORED_AT_START.store(ignored, Ordering::Relaxed);
    // Rust's runtime ignores SIGPIPE before main; a shell must not, or a
    // loop writing into a closed pipe would never end.
    // SAFETY: installing SIG_DFL.
    let _ = unsafe {
        sigaction(
            Signal::SIGPIPE,
            &SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty()),
        )
    };
    let chld = SigAction::new(
        SigHandler::Handler(on_sigchld),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    // SAFETY: the handler only stores to an atomic.
    let _ = unsafe { sigaction(Signal::SIGCHLD, &chld) };
    mark_changed(Signal::SIGPIPE);
}

fn mark_changed(sig: Signal) {
    CHANGED.fetch_or(1 << (sig as i32), Ordering::Relaxed);
}

pub fn was_ignored_at_start(sig: Signal) -> bool {
    IGNORED_AT_START.load(Ordering::Relaxed) & (1 << (sig as i32)) != 0
}

/// Ignore the job-control signals (an interactive shell): Ctrl-C and
/// Ctrl-Z are for the foreground job, never for psh.
pub fn ignore_job_control() {
    let ign = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    for sig in JOB_CONTROL {
        // SAFETY: installing SIG_IGN.
        let _ = unsafe { sigaction(sig, &ign) };
        // SIGINT and SIGQUIT ignored on entry stay ignored for children
        // (POSIX).  The stop signals are reset whatever psh inherited, as
        // bash does: job control cannot work without them (tmux, for one,
        // starts programs with SIGTTIN and SIGTTOU ignored).
        let stop_signal = matches!(sig, Signal::SIGTSTP | Signal::SIGTTIN | Signal::SIGTTOU);
        if stop_signal || !was_ignored_at_start(sig) {
            mark_changed(sig);
        }
    }
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::Relaxed);
}

/// While `f` runs, Ctrl-C interrupts blocking calls (no SA_RESTART) and
/// is recorded; afterwards SIGINT is ignored again.  For `wait`.
pub fn interruptible<T>(f: impl FnOnce() -> T) -> T {
    INTERRUPTED.store(false, Ordering::Relaxed);
    let catch = SigAction::new(
        SigHandler::Handler(on_sigint),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler only stores to an atomic.
    let old = unsafe { sigaction(Signal::SIGINT, &catch) };
    let r = f();
    if let Ok(old) = old {
        // SAFETY: restoring the previous disposition.
        let _ = unsafe { sigaction(Signal::SIGINT, &old) };
    }
    r
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// True once since the last call if a SIGCHLD arrived.
pub fn take_child_changed() -> bool {
    CHILD_CHANGED.swap(false, Ordering::Relaxed)
}

/// The signals a spawned child must get back at their default
/// disposition (posix_spawn's SETSIGDEF set).
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

/// A signal from its name (`INT`, `SIGINT`, `int`) or number.
pub fn parse(s: &str) -> Option<Signal> {
    if let Ok(n) = s.parse::<i32>() {
        return Signal::try_from(n).ok();
    }
    let up = s.to_ascii_uppercase();
    let name = if up.starts_with("SIG") {
        up
    } else {
        format!("SIG{up}")
    };
    name.parse::<Signal>().ok()
}

/// `INT` for SIGINT.
pub fn short_name(sig: Signal) -> &'static str {
    let s = sig.as_str();
    s.strip_prefix("SIG").unwrap_or(s)
}
