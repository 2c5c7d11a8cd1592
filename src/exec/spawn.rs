//! External programs: `spawn_external` (argv and environment built, started through
//! `os::spawn`, a `#!`-less script handed to /bin/sh), `spawn_detached`
//! (a background job's program: forked, the child only execs or reports
//! and exits) and the wording of a spawn failure with its status (127,
//! 126).  Never runs shell code in a child.

use std::ffi::CString;

use nix::errno::Errno;

use crate::exec::pipeline::{enter_group, make_moves, Launched};
use crate::exec::shell::Shell;
use crate::exec::simple::Expanded;
use crate::os::process::{self, Forked};
use crate::os::spawn::{self as ospawn, FdMove, Group};
use crate::os::{signals, sys, text};

/// The most peak RSS at which psh forks a background job's program
/// (idle psh: ~3 MB; at 16 MB the page tables to copy are still cheaper
/// than waiting for the child's execve).
const SMALL_KIB: i64 = 16 << 10;

/// Whether a background job's programs are forked now (`spawn_detached`)
/// rather than spawned: psh is small and no lab threads run.  `explain`
/// asks the same question, so it says what would happen.
pub fn forks_detached() -> bool {
    !process::THREADS_RUNNING.load(std::sync::atomic::Ordering::SeqCst)
        && process::peak_rss_kib() <= SMALL_KIB
}

/// `/bin/sh PATH ARGS…`: how an executable text file without `#!` runs.
fn sh_argv(path: &CString, argv: &[CString]) -> Vec<CString> {
    let mut out = vec![CString::from(c"/bin/sh"), path.clone()];
    out.extend(argv.iter().skip(1).cloned());
    out
}

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
                    let envp = self.vars.envp(&ex.assigns);
                    return match ospawn::spawn(
                        c"/bin/sh",
                        &sh_argv(&path, &argv),
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

    /// Start a background job's program without waiting for its execve:
    /// fork, and the child execs.  (A spawn by vfork holds psh at every `&`
    /// until the child has exec'd; with many jobs that costs more than
    /// copying a small psh's page tables, and the exec runs on another
    /// core.)  Never a fork of a large psh (SPEC §9): past `SMALL_KIB` of
    /// peak RSS, the spawner as for any command.  A failure to exec is
    /// the child's to report, to the command's stderr, with
    /// `spawn_error`'s status; not found is psh's, as for any command.
    pub(crate) fn spawn_detached(
        &mut self,
        ex: &Expanded,
        moves: &[FdMove],
        group: Group,
    ) -> Launched {
        let path_var = self.path_for(&ex.assigns);
        let found = ex.argv.first().and_then(|name| {
            let path = self.path_cache.lookup(name, &path_var)?;
            let argv: Option<Vec<CString>> = ex.argv.iter().map(|a| text::cstring(a)).collect();
            Some((name, path, argv?))
        });
        // Not found, a NUL byte, or lab threads running (no fork then):
        // as any command.
        let Some((name, path, argv)) = found else {
            return self.spawn_external(ex, moves, group);
        };
        if !forks_detached() {
            return self.spawn_external(ex, moves, group);
        }
        let ignore = self.ignores_interrupts();
        let envp = self.vars.envp(&ex.assigns);
        match process::fork() {
            Ok(Forked::Child) => {
                enter_group(group);
                signals::prepare_exec(ignore);
                make_moves(moves);
                sys::close_held_in_child();
                let mut e = process::exec_replace(&path, &argv, &envp);
                if e == nix::errno::Errno::ENOEXEC {
                    // A `#!`-less script: sh runs it, as for a spawn.
                    e = process::exec_replace(c"/bin/sh", &sh_argv(&path, &argv), &envp);
                }
                let (m, st) = spawn_error(name, e);
                let _ = sys::write_all(2, format!("{m}\n").as_bytes());
                process::exit_child(st)
            }
            Ok(Forked::Parent(child)) => {
                crate::os::trace::event(&format!(
                    "fork+execve {} → pid {child} (a background job: no wait for its exec)",
                    ex.argv.join(" ")
                ));
                ospawn::set_group(child, group);
                Launched::Pid(child)
            }
            Err(_) => self.spawn_external(ex, moves, group),
        }
    }
}
