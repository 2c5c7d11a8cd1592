//! External programs: `spawn_external` (argv and environment built, started through
//! `os::spawn`, a `#!`-less script handed to /bin/sh) and the wording of
//! a spawn failure with its status (127, 126).  Never forks.

use std::ffi::CString;

use nix::errno::Errno;

use crate::exec::pipeline::Launched;
use crate::exec::shell::Shell;
use crate::exec::simple::Expanded;
use crate::os::spawn::{self as ospawn, FdMove, Group};
use crate::os::sys;

/// Why a command could not be started, as the shell reports it.
pub fn spawn_error(name: &str, e: Errno) -> (String, i32) {
    match e {
        Errno::ENOENT => (format!("psh: {name}: No such file or directory"), 127),
        Errno::EACCES if crate::os::text::path(name).is_dir() => {
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

impl Shell {
    /// The PATH a command is looked up in: its own `PATH=…` prefix if it
    /// has one (`PATH=dir:$PATH cmd`), else the shell's.
    pub(crate) fn path_for(&self, assigns: &[(String, String)]) -> String {
        match assigns.iter().rfind(|(n, _)| n == "PATH") {
            Some((_, p)) => p.clone(),
            None => self.vars.get("PATH").unwrap_or("").to_string(),
        }
    }

    /// Start an external command (vfork+execve) with its descriptors `moves`.
    pub fn spawn_external(&mut self, ex: &Expanded, moves: &[FdMove], group: Group) -> Launched {
        let Some(name) = ex.argv.first() else {
            return Launched::Done(0);
        };
        // Errors go where the command's stderr would have gone.
        let report = |msg: String| {
            let fd = moves.iter().rev().find(|m| m.0 == 2).map_or(2, |m| m.1);
            let _ = sys::write_all(fd, msg.as_bytes());
        };
        let path_var = self.path_for(&ex.assigns);
        let Some(path) = self.path_cache.lookup(name, &path_var) else {
            report(format!("psh: {name}: command not found\n"));
            return Launched::Done(127);
        };
        let argv: Option<Vec<CString>> = ex
            .argv
            .iter()
            .map(|a| crate::os::text::cstring(a))
            .collect();
        let Some(argv) = argv else {
            report(format!("psh: {name}: an argument contains a NUL byte\n"));
            return Launched::Done(1);
        };
        let mut retried = false;
        let ignore_interrupts = self.ignores_interrupts();
        loop {
            let envp = self.vars.envp(&ex.assigns);
            let r = ospawn::spawn(&path, &argv, &envp, moves, group, ignore_interrupts);
            drop(envp);
            match r {
                Ok(pid) => {
                    ospawn::set_group(pid, group);
                    return Launched::Pid(pid);
                }
                Err(nix::errno::Errno::ENOENT) if !name.contains('/') && !retried => {
                    // The cached path went away: look again once.
                    self.path_cache.forget();
                    retried = true;
                    if self.path_cache.lookup(name, &path_var).is_none() {
                        report(format!("psh: {name}: command not found\n"));
                        return Launched::Done(127);
                    }
                }
                Err(nix::errno::Errno::ENOEXEC) if path.as_bytes() != b"/bin/sh" => {
                    // An executable text file without `#!`: sh runs it, as
                    // sh itself would.
                    let mut sh_argv = vec![CString::from(c"/bin/sh"), path.clone()];
                    sh_argv.extend(argv.iter().skip(1).cloned());
                    let envp = self.vars.envp(&ex.assigns);
                    return match ospawn::spawn(
                        c"/bin/sh",
                        &sh_argv,
                        &envp,
                        moves,
                        group,
                        ignore_interrupts,
                    ) {
                        Ok(pid) => {
                            ospawn::set_group(pid, group);
                            Launched::Pid(pid)
                        }
                        Err(e) => {
                            let (m, st) = spawn_error(name, e);
                            report(format!("{m}\n"));
                            Launched::Done(st)
                        }
                    };
                }
                Err(e) => {
                    let (m, st) = spawn_error(name, e);
                    report(format!("{m}\n"));
                    return Launched::Done(st);
                }
            }
        }
    }
}
