//! Starting processes: posix_spawn for external programs (one vfork-class
//! call, flat in cost however large the shell is), fork only for a child
//! that must run shell code (a builtin pipeline stage, a subshell), and the
//! PATH search.

use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::os::fd::RawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

use nix::errno::Errno;
use nix::spawn::{posix_spawn, PosixSpawnAttr, PosixSpawnFileActions, PosixSpawnFlags};
use nix::sys::signal::SigSet;
use nix::unistd::Pid;

use crate::signals;

/// Where a spawned child's descriptor `target` comes from.
pub type FdMove = (RawFd, RawFd); // (target, source)

/// Process-group placement of a new child.
#[derive(Debug, Clone, Copy)]
pub enum Group {
    /// Stay in the shell's group (no job control).
    Inherit,
    /// Lead a new group (pgid = own pid).
    New,
    /// Join an existing job's group.
    Join(Pid),
}

/// posix_spawn `path` with `argv` and `envp`; `fds` are dup2'd in order.
pub fn spawn(
    path: &CStr,
    argv: &[CString],
    envp: &[CString],
    fds: &[FdMove],
    group: Group,
) -> nix::Result<Pid> {
    let mut actions = PosixSpawnFileActions::init()?;
    for &(target, source) in fds {
        if target != source {
            actions.add_dup2(source, target)?;
        }
    }
    let mut attr = PosixSpawnAttr::init()?;
    let mut flags =
        PosixSpawnFlags::POSIX_SPAWN_SETSIGDEF | PosixSpawnFlags::POSIX_SPAWN_SETSIGMASK;
    match group {
        Group::Inherit => {}
        Group::New => {
            flags |= PosixSpawnFlags::POSIX_SPAWN_SETPGROUP;
            attr.set_pgroup(Pid::from_raw(0))?;
        }
        Group::Join(pg) => {
            flags |= PosixSpawnFlags::POSIX_SPAWN_SETPGROUP;
            attr.set_pgroup(pg)?;
        }
    }
    attr.set_flags(flags)?;
    attr.set_sigdefault(&signals::child_defaults())?;
    attr.set_sigmask(&SigSet::empty())?;
    posix_spawn(path, &actions, &attr, argv, envp)
}

/// Put a child in its group from the parent side too, so neither side
/// races the other (the child may already have done it, or exited).
pub fn set_group(pid: Pid, group: Group) {
    let pg = match group {
        Group::Inherit => return,
        Group::New => pid,
        Group::Join(pg) => pg,
    };
    let _ = nix::unistd::setpgid(pid, pg);
}

/// Why a command could not be started, as the shell reports it.
pub fn spawn_error(name: &str, e: Errno) -> (String, i32) {
    match e {
        Errno::ENOENT => (format!("psh: {name}: No such file or directory"), 127),
        Errno::EACCES if std::path::Path::new(name).is_dir() => {
            (format!("psh: {name}: Is a directory"), 126)
        }
        Errno::EACCES => (format!("psh: {name}: Permission denied"), 126),
        Errno::ENOEXEC => (
            format!("psh: {name}: cannot execute: exec format error"),
            126,
        ),
        Errno::EAGAIN | Errno::ENOMEM => (
            format!(
                "psh: {name}: cannot start: {} (out of processes?)",
                e.desc()
            ),
            126,
        ),
        _ => (format!("psh: {name}: cannot start: {}", e.desc()), 126),
    }
}

/// Cached PATH lookups, emptied whenever PATH changes.
#[derive(Debug, Default)]
pub struct PathCache {
    path: String,
    hits: HashMap<String, CString>,
}

impl PathCache {
    /// The full path of `name` on `path`, or None when not found.  A name
    /// with a slash is used as it is; an empty PATH entry is not the
    /// current directory unless PATH says `.`.
    pub fn lookup(&mut self, name: &str, path: &str) -> Option<CString> {
        if name.contains('/') {
            return CString::new(name).ok();
        }
        if self.path != path {
            self.path = path.to_string();
            self.hits.clear();
        }
        if let Some(p) = self.hits.get(name) {
            return Some(p.clone());
        }
        for dir in path.split(':') {
            if dir.is_empty() {
                continue;
            }
            let full = std::path::Path::new(dir).join(name);
            if let Ok(m) = std::fs::metadata(&full) {
                if m.is_file() && m.permissions().mode() & 0o111 != 0 {
                    let c = CString::new(full.as_os_str().as_bytes()).ok()?;
                    self.hits.insert(name.to_string(), c.clone());
                    return Some(c);
                }
            }
        }
        None
    }

    pub fn forget(&mut self) {
        self.hits.clear();
    }
}
