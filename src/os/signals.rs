//! Signal dispositions: what the shell changes for itself, what every
//! child gets back (default dispositions, empty mask), the record-only
//! handlers and self-pipe that wake a waiting shell, and the SIGCHLD flag
//! that tells the job table a child changed state.  Records signals only:
//! what a signal means (a handler block, an interrupt) is decided in exec.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal};

static CHILD_CHANGED: AtomicBool = AtomicBool::new(false);
/// Bit N set: signal N was ignored when psh started (POSIX: it stays so
/// for children).
static IGNORED_AT_START: AtomicU64 = AtomicU64::new(0);
/// Bit N set: psh changed signal N's disposition, so children need it back.
static CHANGED: AtomicU64 = AtomicU64::new(0);

/// Write end of the self-pipe: every signal psh catches writes a byte, so
/// a `poll` on the read end wakes up for it (no lost wake-ups).
static WAKE_W: AtomicI32 = AtomicI32::new(-1);
static WAKE_R: AtomicI32 = AtomicI32::new(-1);
/// Bit N set: signal N arrived and its handler block has not run yet.
static PENDING: AtomicU64 = AtomicU64::new(0);
/// Bit N set: signal N has a handler block (a `trap` or the `alarm`).
static TRAPPED: AtomicU64 = AtomicU64::new(0);
/// The line editor is waiting for input: a trapped signal interrupts it.
static IN_READLINE: AtomicBool = AtomicBool::new(false);

fn wake() {
    let fd = WAKE_W.load(Ordering::Relaxed);
    if fd >= 0 {
        // SAFETY: write is async-signal-safe; a full pipe is fine (EAGAIN).
        unsafe { libc::write(fd, [1u8].as_ptr().cast(), 1) };
    }
}

extern "C" fn on_sigchld(_: libc::c_int) {
    CHILD_CHANGED.store(true, Ordering::Relaxed);
    wake();
}

/// The OS-level handler for a trapped signal: it only records that the
/// signal came; the handler block runs later in ordinary code.
extern "C" fn on_trapped(sig: libc::c_int) {
    PENDING.fetch_or(1 << sig, Ordering::Relaxed);
    wake();
    if IN_READLINE.load(Ordering::Relaxed) {
        // rustyline turns SIGINT into "stop reading": the REPL then runs
        // the handler and gives the half-typed line back.
        // SAFETY: raise is async-signal-safe.
        unsafe { libc::raise(libc::SIGINT) };
    }
}

/// Catch `sig` for a handler block (record-only OS handler).
pub fn trap(sig: Signal) {
    // No SA_RESTART: a blocking read in the line editor must see EINTR to
    // notice (psh's own blocking calls retry on EINTR).
    let act = SigAction::new(
        SigHandler::Handler(on_trapped),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler only touches atomics and writes to a pipe.
    let _ = unsafe { sigaction(sig, &act) };
    TRAPPED.fetch_or(1 << (sig as i32), Ordering::Relaxed);
    mark_changed(sig);
}

/// Give `sig` back its disposition without a handler block: ignored for
/// the job-control signals of an interactive shell, default otherwise.
pub fn untrap(sig: Signal, interactive: bool) {
    TRAPPED.fetch_and(!(1 << (sig as i32)), Ordering::Relaxed);
    PENDING.fetch_and(!(1 << (sig as i32)), Ordering::Relaxed);
    let handler = if interactive && (JOB_CONTROL.contains(&sig) || sig == Signal::SIGTERM) {
        SigHandler::SigIgn
    } else {
        SigHandler::SigDfl
    };
    // SAFETY: installing SIG_IGN or SIG_DFL.
    let _ = unsafe {
        sigaction(
            sig,
            &SigAction::new(handler, SaFlags::empty(), SigSet::empty()),
        )
    };
}

/// An interactive shell ignores SIGTERM (as bash does) and catches SIGHUP
/// to hang up its jobs before it goes.
pub fn interactive_defaults() {
    let ign = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    // SAFETY: installing SIG_IGN.
    let _ = unsafe { sigaction(Signal::SIGTERM, &ign) };
    mark_changed(Signal::SIGTERM);
    let hup = SigAction::new(
        SigHandler::Handler(on_trapped),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler only touches atomics and writes to a pipe.
    let _ = unsafe { sigaction(Signal::SIGHUP, &hup) };
    mark_changed(Signal::SIGHUP);
}

/// Any handler block armed?
pub fn any_trapped() -> bool {
    TRAPPED.load(Ordering::Relaxed) != 0
}

/// Signals that arrived since the last call, lowest first.
pub fn take_pending() -> Vec<Signal> {
    let bits = PENDING.swap(0, Ordering::Relaxed);
    if bits == 0 {
        return Vec::new();
    }
    (1..64)
        .filter(|n| bits & (1 << n) != 0)
        .filter_map(|n| Signal::try_from(n).ok())
        .collect()
}

pub fn has_pending() -> bool {
    PENDING.load(Ordering::Relaxed) != 0
}

/// Sleep until a caught signal (SIGCHLD or a trapped one) arrives; at once
/// if one came since the last call.
pub fn wait_for_signal() {
    let fd = WAKE_R.load(Ordering::Relaxed);
    if fd < 0 {
        return;
    }
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd; then drain the non-blocking pipe.
    unsafe {
        libc::poll(&mut p, 1, -1);
        let mut buf = [0u8; 64];
        while libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) > 0 {}
    }
}

pub fn set_in_readline(on: bool) {
    IN_READLINE.store(on, Ordering::Relaxed);
}

/// In a forked child: no handler blocks of the parent's run here.
pub fn forget_traps() {
    TRAPPED.store(0, Ordering::Relaxed);
    PENDING.store(0, Ordering::Relaxed);
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
        // Query only (a null new action): never a moment at the default,
        // when a signal ignored under nohup could end psh.
        let mut old = std::mem::MaybeUninit::<libc::sigaction>::zeroed();
        // SAFETY: a null act only reads the disposition into `old`.
        let r = unsafe { libc::sigaction(sig as libc::c_int, std::ptr::null(), old.as_mut_ptr()) };
        // SAFETY: filled by the successful call above.
        if r == 0 && unsafe { old.assume_init() }.sa_sigaction == libc::SIG_IGN {
            ignored |= 1 << (sig as i32);
        }
    }
    IGNORED_AT_START.store(ignored, Ordering::Relaxed);
    // A shell started with SIGPIPE ignored (some launchers do that) would
    // loop for ever writing into a closed pipe: psh puts it back.
    // SAFETY: installing SIG_DFL.
    let _ = unsafe {
        sigaction(
            Signal::SIGPIPE,
            &SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty()),
        )
    };
    let mut fds = [-1; 2];
    // SAFETY: pipe2 fills two descriptors, both owned by psh for its life.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } == 0 {
        WAKE_R.store(fds[0], Ordering::Relaxed);
        WAKE_W.store(fds[1], Ordering::Relaxed);
    }
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
    wake();
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

static JOB_INTERRUPT: AtomicBool = AtomicBool::new(false);

/// A foreground job died of SIGINT (Ctrl-C): the command line stops.
pub fn note_job_interrupt() {
    JOB_INTERRUPT.store(true, Ordering::Relaxed);
}

/// True once after a foreground job died of SIGINT.
pub fn take_job_interrupt() -> bool {
    JOB_INTERRUPT.swap(false, Ordering::Relaxed)
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
