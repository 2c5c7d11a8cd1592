//! Signal dispositions and psh's one interrupt model.  Every signal psh
//! catches has a record-only handler: it sets a flag (an interrupt, a
//! pending handler block, a child that changed) and writes a byte to the
//! self-pipe, so any wait can wake for it.  The evaluator, builtins, the
//! lab and the REPL check the flags; nothing here decides what a signal
//! means (a handler block, the end of a command line) — that is exec's.
//! Also what every child gets back: default dispositions, an empty mask.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal};

mod children;
mod interrupt;
mod names;

pub use children::{child_defaults, prepare_exec, reset_in_child, with_sigpipe_ignored};
use interrupt::interrupt_action;
pub use interrupt::{
    clear_interrupt, die_of, interrupt_status, interrupted, interrupted_by_quit, note_interrupt,
    sleep_interruptible, take_interrupt,
};
pub use names::{parse, short_name};

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
/// A kick was sent to the line editor since `begin_editing`.
static KICKED: AtomicBool = AtomicBool::new(false);
/// Job changes interrupt the line editor too (an interactive shell).
static KICK_ON_CHILD: AtomicBool = AtomicBool::new(false);
/// The interrupt (SIGINT or SIGQUIT) that arrived for the command line
/// being run, 0 when none: the evaluator, `read`, `wait`, `$(…)` and the
/// lab stop for it.
static INTERRUPT: AtomicI32 = AtomicI32::new(0);

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
    if KICK_ON_CHILD.load(Ordering::Relaxed) {
        // A background job changed: the REPL announces it at once.
        kick_editor(false);
    }
}

/// The OS-level handler for a trapped signal: it only records that the
/// signal came; the handler block runs later in ordinary code.
extern "C" fn on_trapped(sig: libc::c_int) {
    PENDING.fetch_or(1 << sig, Ordering::Relaxed);
    wake();
    kick_editor(false);
}

/// While the line editor waits, make it return (it turns SIGINT into
/// "stop reading"); the REPL then runs what is pending and gives the
/// half-typed line back.  A kick that lands before the editor has put in
/// its own SIGINT handler is caught by psh's, which ignores it while
/// editing; `kick_if_pending`, called from the editor's first redraw,
/// repeats it once the editor's handler is in place.
/// `force`: raise even if a kick was sent already (from the redraw); a
/// handler sends at most one, so a trapped SIGINT cannot kick itself for
/// ever.
fn kick_editor(force: bool) {
    if IN_READLINE.load(Ordering::Relaxed) && (!KICKED.swap(true, Ordering::Relaxed) || force) {
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

/// Give `sig` back the disposition it has without a handler block:
/// psh's interrupt handler for SIGINT/SIGQUIT (ignored if they were at
/// start), and for an interactive shell the stop signals and SIGTERM
/// ignored and SIGHUP caught; the default otherwise.
pub fn untrap(sig: Signal, interactive: bool) {
    TRAPPED.fetch_and(!(1 << (sig as i32)), Ordering::Relaxed);
    PENDING.fetch_and(!(1 << (sig as i32)), Ordering::Relaxed);
    let handler = match sig {
        Signal::SIGINT | Signal::SIGQUIT if was_ignored_at_start(sig) => SigHandler::SigIgn,
        Signal::SIGINT | Signal::SIGQUIT => {
            // SAFETY: installing psh's record-only interrupt handler.
            let _ = unsafe { sigaction(sig, &interrupt_action()) };
            return;
        }
        Signal::SIGTSTP | Signal::SIGTTIN | Signal::SIGTTOU | Signal::SIGTERM if interactive => {
            SigHandler::SigIgn
        }
        Signal::SIGHUP if interactive => SigHandler::Handler(on_trapped),
        _ => SigHandler::SigDfl,
    };
    // SAFETY: installing SIG_IGN, SIG_DFL or a record-only handler.
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
    // A pipe whose reader went away is an error for that write, never
    // the end of an interactive shell (children get SIGPIPE back).
    // SAFETY: installing SIG_IGN.
    let _ = unsafe { sigaction(Signal::SIGPIPE, &ign) };
    KICK_ON_CHILD.store(true, Ordering::Relaxed);
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

/// Wake whoever waits in `wait_for_signal_ms` (a thread that finished
/// its work, not a signal): a byte into the self-pipe.
pub fn wake_waiter() {
    wake();
}

pub fn has_pending() -> bool {
    PENDING.load(Ordering::Relaxed) != 0
}

/// Sleep until a caught signal (SIGCHLD, an interrupt or a trapped one)
/// arrives, at most `max_ms` milliseconds (-1: no limit); at once if one
/// came since the last call.
pub fn wait_for_signal_ms(max_ms: i32) {
    let fd = WAKE_R.load(Ordering::Relaxed);
    if fd < 0 {
        std::thread::sleep(std::time::Duration::from_millis(max_ms.clamp(1, 50) as u64));
        return;
    }
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd; then drain the non-blocking pipe.
    unsafe {
        libc::poll(&mut p, 1, max_ms);
        let mut buf = [0u8; 64];
        while libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) > 0 {}
    }
}

/// `wait_for_signal_ms` with a safety net: no wait is ever longer than a
/// second, so a wake-up that cannot come (a state psh did not foresee)
/// costs a second, never a hang.
pub fn wait_for_signal() {
    wait_for_signal_ms(1000);
}

/// The line editor starts waiting for input.
pub fn begin_editing() {
    KICKED.store(false, Ordering::Relaxed);
    IN_READLINE.store(true, Ordering::Relaxed);
}

/// The line editor returned; true when a kick (not the user's Ctrl-C)
/// may have ended it.
pub fn end_editing() -> bool {
    IN_READLINE.store(false, Ordering::Relaxed);
    KICKED.swap(false, Ordering::Relaxed) || has_pending()
}

/// Called from the line editor's redraws (its own SIGINT handler is in
/// place by then): kick it if anything is waiting to be handled.
pub fn kick_if_pending() {
    if IN_READLINE.load(Ordering::Relaxed)
        && (has_pending()
            || (KICK_ON_CHILD.load(Ordering::Relaxed) && CHILD_CHANGED.load(Ordering::Relaxed)))
    {
        kick_editor(true);
    }
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
    // Whatever mask psh inherited (a parent that blocked SIGCHLD, say),
    // it must receive the signals it waits for.
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None);
    // A shell started with SIGPIPE ignored (some launchers do that) would
    // loop for ever writing into a closed pipe: psh puts it back.
    // SAFETY: installing SIG_DFL.
    let _ = unsafe {
        sigaction(
            Signal::SIGPIPE,
            &SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty()),
        )
    };
    mark_changed(Signal::SIGPIPE);
    new_self_pipe();
    catch_child_changes();
    catch_interrupts();
}

/// A fresh self-pipe (a forked child must not share its parent's: each
/// would steal the other's wake-ups).
fn new_self_pipe() {
    for fd in [
        WAKE_R.swap(-1, Ordering::Relaxed),
        WAKE_W.swap(-1, Ordering::Relaxed),
    ] {
        if fd >= 0 {
            // SAFETY: closing the inherited self-pipe, owned by this module.
            unsafe { libc::close(fd) };
        }
    }
    let mut fds = [-1; 2];
    // SAFETY: pipe2 fills two descriptors, both owned by psh for its life.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } == 0 {
        // Above 0-9, which a user's redirection may take (`exec 3> log`).
        WAKE_R.store(crate::os::sys::move_high(fds[0]), Ordering::Relaxed);
        WAKE_W.store(crate::os::sys::move_high(fds[1]), Ordering::Relaxed);
    }
}

fn catch_child_changes() {
    let chld = SigAction::new(
        SigHandler::Handler(on_sigchld),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    // SAFETY: the handler only stores to atomics and writes to a pipe.
    let _ = unsafe { sigaction(Signal::SIGCHLD, &chld) };
}

/// SIGINT and SIGQUIT get the record-only interrupt handler (no
/// SA_RESTART, so a blocking read or wait returns to look at the flag),
/// unless they were ignored when psh started (nohup): then they stay so.
fn catch_interrupts() {
    let act = interrupt_action();
    for sig in [Signal::SIGINT, Signal::SIGQUIT] {
        if !was_ignored_at_start(sig) {
            // SAFETY: the handler only stores to atomics and writes to a pipe.
            let _ = unsafe { sigaction(sig, &act) };
            mark_changed(sig);
        }
    }
}

/// In a forked child that runs shell code (a subshell, a pipeline stage,
/// `$(…)`, a background group): every disposition psh changed back to
/// the default (so Ctrl-C ends it like any command), an empty mask, then
/// the child's own record-only SIGCHLD handler and self-pipe, and no
/// handler blocks or flags of the parent's.  `ignore_interrupts`: a
/// background job of a non-interactive shell ignores SIGINT and SIGQUIT.
pub fn init_forked_child(ignore_interrupts: bool) {
    // SIGINT/SIGQUIT ignored before the mask clears: no moment without.
    prepare_exec(ignore_interrupts);
    TRAPPED.store(0, Ordering::Relaxed);
    PENDING.store(0, Ordering::Relaxed);
    INTERRUPT.store(0, Ordering::Relaxed);
    IN_READLINE.store(false, Ordering::Relaxed);
    KICK_ON_CHILD.store(false, Ordering::Relaxed);
    CHILD_CHANGED.store(false, Ordering::Relaxed);
    new_self_pipe();
    catch_child_changes();
    if ignore_interrupts {
        // For its own children too: they inherit the ignore.
        let both = (1 << Signal::SIGINT as i32) | (1 << Signal::SIGQUIT as i32);
        IGNORED_AT_START.fetch_or(both, Ordering::Relaxed);
        CHANGED.fetch_and(!both, Ordering::Relaxed);
    }
}

fn mark_changed(sig: Signal) {
    CHANGED.fetch_or(1 << (sig as i32), Ordering::Relaxed);
}

pub fn was_ignored_at_start(sig: Signal) -> bool {
    IGNORED_AT_START.load(Ordering::Relaxed) & (1 << (sig as i32)) != 0
}

/// Ignore the stop signals (an interactive shell): Ctrl-Z is for the
/// foreground job, never for psh.  SIGINT and SIGQUIT keep their
/// record-only handler: they interrupt what psh itself runs.
pub fn ignore_job_control() {
    let ign = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    for sig in [Signal::SIGTSTP, Signal::SIGTTIN, Signal::SIGTTOU] {
        // SAFETY: installing SIG_IGN.
        let _ = unsafe { sigaction(sig, &ign) };
        // The stop signals are reset for children whatever psh inherited,
        // as bash does: job control cannot work without them (tmux, for
        // one, starts programs with SIGTTIN and SIGTTOU ignored).
        mark_changed(sig);
    }
}

/// True once since the last call if a SIGCHLD arrived.
pub fn take_child_changed() -> bool {
    CHILD_CHANGED.swap(false, Ordering::Relaxed)
}
