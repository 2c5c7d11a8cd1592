//! Starting a program: clone(CLONE_VM | CLONE_VFORK) then, in the child,
//! the dispositions psh changed put back, the process group, the terminal
//! for a foreground leader, fds dup2'd in order, an empty mask and execve
//! — what posix_spawn does, minus its 64 sigactions.  Knows nothing of
//! PATH, jobs or the shell.

use std::ffi::{CStr, CString};
use std::os::fd::RawFd;

use nix::errno::Errno;
use nix::sys::signal::SigSet;
use nix::unistd::Pid;

use crate::os::signals;

/// Where a spawned child's descriptor `target` comes from; a negative
/// source closes it.
pub type FdMove = (RawFd, RawFd); // (target, source)

/// Process-group placement of a new child.
#[derive(Debug, Clone, Copy)]
pub enum Group {
    /// Stay in the shell's group (no job control).
    Inherit,
    /// Lead a new group (pgid = own pid); a foreground job's leader also
    /// gets the terminal.
    New { foreground: bool },
    /// Join an existing job's group.
    Join(Pid),
}

/// What the child does between clone and execve, prepared by the parent
/// (the child must not allocate: it runs on the parent's memory).
struct Plan<'a> {
    path: *const libc::c_char,
    argv: *const *mut libc::c_char,
    envp: *const *mut libc::c_char,
    fds: &'a [FdMove],
    pgroup: Option<libc::pid_t>,
    foreground: bool,
    /// Signals to put back to SIG_DFL, then those to ignore.
    reset: [libc::c_int; 65],
    n_reset: usize,
    ignore: [libc::c_int; 2],
    n_ignore: usize,
    /// Set by the child when something failed (exec included): errno.
    err: libc::c_int,
}

/// Start `path` with `argv` and `envp` in a new process; `fds` are dup2'd
/// in order.  clone(CLONE_VM | CLONE_VFORK), as glibc's posix_spawn, but
/// the child resets only the dispositions psh changed (posix_spawn resets
/// all 64, one sigaction each).  A foreground job's leader takes the
/// terminal itself before exec, so it never runs a moment without it.
/// `ignore_interrupts`: the child starts with SIGINT and SIGQUIT ignored
/// (a background job of a non-interactive shell, POSIX).
pub fn spawn(
    path: &CStr,
    argv: &[CString],
    envp: &[CString],
    fds: &[FdMove],
    group: Group,
    ignore_interrupts: bool,
) -> nix::Result<Pid> {
    let ptrs = |v: &[CString]| -> Vec<*mut libc::c_char> {
        v.iter()
            .map(|s| s.as_ptr().cast_mut())
            .chain(std::iter::once(std::ptr::null_mut()))
            .collect()
    };
    let argv_p = ptrs(argv);
    let envp_p = ptrs(envp);
    let mut plan = Plan {
        path: path.as_ptr(),
        argv: argv_p.as_ptr(),
        envp: envp_p.as_ptr(),
        fds,
        pgroup: match group {
            Group::Inherit => None,
            Group::New { .. } => Some(0),
            Group::Join(pg) => Some(pg.as_raw()),
        },
        foreground: matches!(group, Group::New { foreground: true }),
        reset: [0; 65],
        n_reset: 0,
        ignore: [0; 2],
        n_ignore: 0,
        err: 0,
    };
    let ints = [libc::SIGINT, libc::SIGQUIT];
    for sig in signals::child_defaults()
        .iter()
        .chain(std::iter::once(nix::sys::signal::Signal::SIGCHLD))
    {
        let n = sig as libc::c_int;
        if ignore_interrupts && ints.contains(&n) {
            continue;
        }
        if let Some(slot) = plan.reset.get_mut(plan.n_reset) {
            *slot = n;
            plan.n_reset += 1;
        }
    }
    if ignore_interrupts {
        plan.ignore = ints;
        plan.n_ignore = 2;
    }
    // The child's stack: it runs until execve, calling only libc.  Left
    // uninitialised (only the child writes it): zeroing 64 KiB was most of
    // the parent's work per spawn.
    let mut stack: Vec<u8> = Vec::with_capacity(64 << 10);
    let spare = stack.spare_capacity_mut();
    let top = spare.as_mut_ptr().wrapping_add(spare.len()) as usize & !15;
    // Block every signal across clone: no handler of psh's may run in the
    // child (it shares psh's memory until it execs); the child unblocks
    // after putting the dispositions back.
    let all = SigSet::all();
    let mut old = SigSet::empty();
    let _ = nix::sys::signal::sigprocmask(
        nix::sys::signal::SigmaskHow::SIG_SETMASK,
        Some(&all),
        Some(&mut old),
    );
    // SAFETY: `child` touches only `plan` (alive: CLONE_VFORK suspends us
    // until the child has exec'd or exited) and async-signal-safe libc
    // calls; the stack is ours and outlives the child's use of it.
    let pid = unsafe {
        libc::clone(
            child,
            top as *mut libc::c_void,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            (&mut plan as *mut Plan).cast(),
        )
    };
    let clone_err = Errno::last();
    let _ =
        nix::sys::signal::sigprocmask(nix::sys::signal::SigmaskHow::SIG_SETMASK, Some(&old), None);
    drop(stack);
    if pid < 0 {
        return Err(clone_err);
    }
    // SAFETY: the child is done with `plan` (it exec'd or exited); read
    // what it left, through a volatile read as the compiler did not see
    // the write.
    let err = unsafe { std::ptr::read_volatile(&plan.err) };
    if err != 0 {
        // It exited with 127 without exec: reap it now.
        let _ = nix::sys::wait::waitpid(Pid::from_raw(pid), None);
        return Err(Errno::from_raw(err));
    }
    if crate::os::trace::on() {
        trace_spawn(path, argv, fds, group, pid);
    }
    Ok(Pid::from_raw(pid))
}

/// The child, from clone to execve.  Only async-signal-safe calls.
extern "C" fn child(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `arg` is the parent's `Plan`, alive while we run.
    let plan = unsafe { &mut *arg.cast::<Plan>() };
    // SAFETY: plain system calls on our own process.
    unsafe {
        let mut act: libc::sigaction = std::mem::zeroed();
        act.sa_sigaction = libc::SIG_DFL;
        for &sig in plan.reset.iter().take(plan.n_reset) {
            libc::sigaction(sig, &act, std::ptr::null_mut());
        }
        act.sa_sigaction = libc::SIG_IGN;
        for &sig in plan.ignore.iter().take(plan.n_ignore) {
            libc::sigaction(sig, &act, std::ptr::null_mut());
        }
        let fail = |plan: &mut Plan| -> ! {
            plan.err = *libc::__errno_location();
            libc::_exit(127)
        };
        if let Some(pg) = plan.pgroup {
            if libc::setpgid(0, pg) < 0 {
                fail(plan);
            }
        }
        // While fd 0 is still the shell's terminal; SIGTTOU is blocked.
        if plan.foreground {
            libc::tcsetpgrp(0, libc::getpid());
        }
        for &(target, source) in plan.fds {
            let r = if source < 0 {
                libc::close(target);
                0
            } else if target != source {
                libc::dup2(source, target)
            } else {
                0
            };
            if r < 0 {
                fail(plan);
            }
        }
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
        libc::execve(plan.path, plan.argv.cast(), plan.envp.cast());
        fail(plan)
    }
}

#[cold]
fn trace_spawn(path: &CStr, argv: &[CString], fds: &[FdMove], group: Group, pid: libc::pid_t) {
    let args: Vec<String> = argv
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut notes: Vec<String> = fds
        .iter()
        .filter(|(t, s)| t != s)
        .map(|(t, s)| format!("dup2({s}, {t})"))
        .collect();
    match group {
        Group::Inherit => {}
        Group::New { foreground } => {
            notes.push("setpgid(0, 0)".into());
            if foreground {
                notes.push("tcsetpgrp(tty, own pgid)".into());
            }
        }
        Group::Join(pg) => notes.push(format!("setpgid(0, {pg})")),
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" [{}]", notes.join(", "))
    };
    crate::os::trace::event(&format!(
        "vfork+execve {} {}{notes} → pid {pid}, exec'd",
        path.to_string_lossy(),
        args.join(" ")
    ));
}

/// Put a child in its group from the parent side too, so neither side
/// races the other (the child may already have done it, or exited).
pub fn set_group(pid: Pid, group: Group) {
    let pg = match group {
        Group::Inherit => return,
        Group::New { .. } => pid,
        Group::Join(pg) => pg,
    };
    let _ = nix::unistd::setpgid(pid, pg);
}
