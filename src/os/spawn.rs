//! posix_spawn, with the file actions and attributes psh needs: fds
//! dup2'd in order, the child's process group, the terminal handed to a
//! foreground leader by the child itself, default signal dispositions and
//! an empty mask.  Knows nothing of PATH, jobs or the shell.

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

/// posix_spawn `path` with `argv` and `envp`; `fds` are dup2'd in order.
/// A foreground job's leader is given the terminal by the child itself,
/// before exec (glibc's `posix_spawn_file_actions_addtcsetpgrp_np`), so it
/// can never run a moment without it.
pub fn spawn(
    path: &CStr,
    argv: &[CString],
    envp: &[CString],
    fds: &[FdMove],
    group: Group,
) -> nix::Result<Pid> {
    let ptrs = |v: &[CString]| -> Vec<*mut libc::c_char> {
        v.iter()
            .map(|s| s.as_ptr().cast_mut())
            .chain(std::iter::once(std::ptr::null_mut()))
            .collect()
    };
    let argv_p = ptrs(argv);
    let envp_p = ptrs(envp);
    let mut fa = std::mem::MaybeUninit::<libc::posix_spawn_file_actions_t>::uninit();
    let mut attr = std::mem::MaybeUninit::<libc::posix_spawnattr_t>::uninit();
    let defaults = signals::child_defaults();
    let empty = SigSet::empty();
    let mut flags = libc::POSIX_SPAWN_SETSIGDEF | libc::POSIX_SPAWN_SETSIGMASK;
    let pgroup = match group {
        Group::Inherit => None,
        Group::New { .. } => Some(0),
        Group::Join(pg) => Some(pg.as_raw()),
    };
    if pgroup.is_some() {
        flags |= libc::POSIX_SPAWN_SETPGROUP;
    }
    // SAFETY: the file actions and attributes are initialised before use
    // and destroyed on every path; the pointer arrays outlive the call.
    unsafe {
        check(libc::posix_spawn_file_actions_init(fa.as_mut_ptr()))?;
        let fa_p = fa.as_mut_ptr();
        let r = (|| {
            if let Group::New { foreground: true } = group {
                // First, while fd 0 is still the shell's terminal.
                check(libc::posix_spawn_file_actions_addtcsetpgrp_np(fa_p, 0))?;
            }
            for &(target, source) in fds {
                if source < 0 {
                    // `N>&-`: the child does not get fd N.
                    check(libc::posix_spawn_file_actions_addclose(fa_p, target))?;
                } else if target != source {
                    check(libc::posix_spawn_file_actions_adddup2(fa_p, source, target))?;
                }
            }
            check(libc::posix_spawnattr_init(attr.as_mut_ptr()))?;
            let at = attr.as_mut_ptr();
            let r = (|| {
                check(libc::posix_spawnattr_setflags(at, flags as libc::c_short))?;
                if let Some(pg) = pgroup {
                    check(libc::posix_spawnattr_setpgroup(at, pg))?;
                }
                check(libc::posix_spawnattr_setsigdefault(at, defaults.as_ref()))?;
                check(libc::posix_spawnattr_setsigmask(at, empty.as_ref()))?;
                let mut pid: libc::pid_t = 0;
                check(libc::posix_spawn(
                    &mut pid,
                    path.as_ptr(),
                    fa_p,
                    at,
                    argv_p.as_ptr(),
                    envp_p.as_ptr(),
                ))?;
                if crate::os::trace::on() {
                    trace_spawn(path, argv, fds, group, pid);
                }
                Ok(Pid::from_raw(pid))
            })();
            libc::posix_spawnattr_destroy(at);
            r
        })();
        libc::posix_spawn_file_actions_destroy(fa_p);
        r
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
        "posix_spawn {} {}{notes} → pid {pid}, exec'd",
        path.to_string_lossy(),
        args.join(" ")
    ));
}

fn check(r: libc::c_int) -> nix::Result<()> {
    if r == 0 {
        Ok(())
    } else {
        Err(Errno::from_raw(r))
    }
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
