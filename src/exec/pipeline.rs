//! Pipelines and children: every stage started at once, joined by kernel
//! pipes (`launch_pipeline`), one stage launched (vfork+execve for a
//! program, fork for shell code), the process group a child joins, and
//! background jobs (`&`, `spawn`) registered in the job table.  Waiting is
//! in `wait.rs`; nothing here reads pipeline data.

use nix::unistd::Pid;

use crate::exec::jobs::{Proc, ProcState};
use crate::exec::shell::{Flow, Res, Shell};
use crate::lang::ast::*;
use crate::os::process::{self, Forked};
use crate::os::spawn::{self as ospawn, FdMove, Group};
use crate::os::{signals, sys, terminal};

/// A stage after launch: a running child, or a status when it could not
/// start (command not found, a redirection that failed…).
#[derive(Debug, Clone, Copy)]
pub enum Launched {
    Pid(Pid),
    Done(i32),
}

impl Shell {
    /// Start every stage at once, each joined to the next by a kernel
    /// pipe.  The shell closes its copies of the pipe ends as soon as the
    /// stages that use them have started.
    pub(crate) fn launch_pipeline(
        &mut self,
        stages: &[Command],
        foreground: bool,
    ) -> Vec<Launched> {
        let mut out = Vec::with_capacity(stages.len());
        let mut prev_read: Option<sys::Fd> = None;
        let mut leader: Option<Pid> = None;
        let n = stages.len();
        for (i, cmd) in stages.iter().enumerate() {
            let (next_read, write) = if i + 1 < n {
                match sys::pipe() {
                    Ok((r, w)) => (Some(r), Some(w)),
                    Err(e) => {
                        sys::err(&format!("psh: pipe: {}\n", e.desc()));
                        out.push(Launched::Done(1));
                        break;
                    }
                }
            } else {
                (None, None)
            };
            let mut base: Vec<FdMove> = Vec::with_capacity(2);
            if let Some(r) = &prev_read {
                base.push((0, r.raw()));
            }
            if let Some(w) = &write {
                base.push((1, w.raw()));
            }
            let group = self.group_for(leader, foreground);
            let in_shell = match (cmd, &write) {
                (Command::Simple(s), Some(w)) if foreground => self.stage_in_shell(s, w, group),
                _ => None,
            };
            let l = match in_shell {
                Some(l) => l,
                None => self.launch(cmd, &base, group, !foreground),
            };
            if let (Launched::Pid(pid), None) = (l, leader) {
                // The leader took the terminal itself (a spawned child
                // before its execve, a forked one first thing): no second
                // tcsetpgrp from here.
                leader = Some(pid);
            }
            out.push(l);
            drop(write);
            prev_read = next_read;
        }
        out
    }

    /// The process group a new child joins: with job control, the job's
    /// own group (led by its first process); without, the shell's.
    pub(crate) fn group_for(&self, leader: Option<Pid>, foreground: bool) -> Group {
        if !self.monitor {
            return Group::Inherit;
        }
        match leader {
            None => Group::New { foreground },
            Some(pg) => Group::Join(pg),
        }
    }

    /// Start one stage with its stdin/stdout already planned in `base`.
    /// An external command is spawned (vfork+execve); anything else (a builtin, a
    /// function, a block) runs in a forked copy of the shell.  Words are
    /// expanded here only when that cannot change the shell (`$((i++))`,
    /// `${x:=…}` happen in the child, as in bash's subshell).
    /// A program of a job that runs `detached` (in the background) is
    /// forked, not spawned: psh need not wait for its execve.
    pub fn launch(
        &mut self,
        cmd: &Command,
        base: &[FdMove],
        group: Group,
        detached: bool,
    ) -> Launched {
        let simple = match cmd {
            Command::Simple(s) if crate::exec::pure::simple_is_pure(s) => Some(s),
            _ => None,
        };
        if let Some(s) = simple {
            let ex = match self.expand_simple(s) {
                Ok(ex) => ex,
                Err(e) => {
                    sys::err(&format!("{}\n", e.message()));
                    return Launched::Done(e.status());
                }
            };
            if let Some(name) = ex.argv.first() {
                if !self.funcs.contains_key(name) && !self.is_builtin(name) {
                    let plan = match self.open_redirects(&s.redirects, base) {
                        Ok(p) => p,
                        Err(m) => {
                            sys::err(&m);
                            return Launched::Done(1);
                        }
                    };
                    return match detached {
                        true => self.spawn_detached(&ex, &plan.moves, group),
                        false => self.spawn_external(&ex, &plan.moves, group),
                    };
                }
            }
            return self.fork_run(base, group, move |sh| sh.run_expanded(s, ex));
        }
        self.fork_run(base, group, |sh| sh.run_command(cmd))
    }

    /// Fork a copy of the shell that makes the `moves`, runs `f` and exits
    /// with its status.  The shell has no other threads when this runs.
    pub fn fork_run(
        &mut self,
        moves: &[FdMove],
        group: Group,
        f: impl FnOnce(&mut Shell) -> Res,
    ) -> Launched {
        // psh is single-threaded whenever it forks (the lab joins its
        // threads before returning), so the child may run shell code.
        match process::fork() {
            Ok(Forked::Child) => {
                enter_group(group);
                signals::init_forked_child(self.ignores_interrupts());
                self.traps.clear();
                make_moves(moves);
                sys::close_held_in_child();
                self.in_child = true;
                self.interactive = false;
                self.monitor = false;
                // The copy of the job table is for `jobs` only: the jobs
                // are the parent's children, not this process's.
                self.jobs.mark_foreign();
                let st = match f(self) {
                    Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
                    Err(_) => self.status,
                };
                process::exit_child(st)
            }
            Ok(Forked::Parent(child)) => {
                crate::os::trace::event(&format!(
                    "fork() → pid {child} (a copy of psh runs the command)"
                ));
                ospawn::set_group(child, group);
                Launched::Pid(child)
            }
            Err(e) => {
                // (While lab threads run, fork itself said why it refused.)
                if !crate::os::process::THREADS_RUNNING.load(std::sync::atomic::Ordering::SeqCst) {
                    sys::err(&format!("psh: fork: {} (out of processes?)\n", e.desc()));
                }
                Launched::Done(126)
            }
        }
    }

    // ------------------------------------------------------------ background jobs

    pub(crate) fn start_background(&mut self, job: &Job) -> i32 {
        if job.body.rest.is_empty() && job.body.first.explain {
            // `explain … &` runs nothing and starts no job: it explains a
            // background start (no wait).
            let mut p = job.body.first.clone();
            p.spawn = true;
            return (self.hooks.explain)(self, &p);
        }
        if job.body.rest.is_empty() {
            return self.start_pipeline_job(
                &job.body.first,
                job.text.clone(),
                job.body.first.spawn,
            );
        }
        let group = self.group_for(None, false);
        let body = job.body.clone();
        let was = std::mem::replace(&mut self.launching_background, true);
        let l = self.fork_run(&[], group, move |sh| sh.run_and_or(&body));
        self.launching_background = was;
        self.register_job(vec![l], job.text.clone(), false)
    }

    /// `pipeline &` and `spawn pipeline`: start it and go on.
    pub(crate) fn start_pipeline_job(
        &mut self,
        p: &Pipeline,
        text: SrcText,
        announce: bool,
    ) -> i32 {
        let was = std::mem::replace(&mut self.launching_background, true);
        let launched = self.launch_pipeline(&p.stages, false);
        self.launching_background = was;
        self.register_job(launched, text, announce)
    }

    /// One foreground child with redirections `r`: open them, `start` the
    /// child with the moves and its group, wait for it.  A redirection
    /// that fails is a message and status 1; nothing starts.
    pub(crate) fn run_in_child(
        &mut self,
        r: &[Redirect],
        start: impl FnOnce(&mut Shell, &[FdMove], Group) -> Launched,
    ) -> Res {
        let plan = match self.open_redirects(r, &[]) {
            Ok(p) => p,
            Err(m) => {
                sys::err(&m);
                return Ok(1);
            }
        };
        let group = self.group_for(None, true);
        let before = signals::interrupted();
        let l = start(self, &plan.moves, group);
        drop(plan);
        Ok(self.wait_foreground(&[l], before))
    }

    /// A child being started now must ignore SIGINT and SIGQUIT: a
    /// background job of a shell without job control (POSIX), so Ctrl-C
    /// for the script leaves it alone.
    pub(crate) fn ignores_interrupts(&self) -> bool {
        self.launching_background && !self.monitor
    }

    pub(crate) fn register_job(
        &mut self,
        launched: Vec<Launched>,
        text: SrcText,
        announce: bool,
    ) -> i32 {
        let procs: Vec<Proc> = launched.iter().map(|l| proc_of(*l)).collect();
        let pgid = if self.monitor {
            procs.iter().map(|p| p.pid).find(|p| p.as_raw() != 0)
        } else {
            None
        };
        let last = procs.iter().rev().map(|p| p.pid).find(|p| p.as_raw() != 0);
        let id = self.jobs.add(pgid, procs, text, self.opts.pipefail);
        if let Some(pid) = last {
            self.last_bg = Some(pid.as_raw());
            if announce || self.interactive {
                sys::err(&format!("[{id}] {pid}\n"));
            }
        }
        0
    }
}

pub(crate) fn proc_of(l: Launched) -> Proc {
    match l {
        Launched::Pid(pid) => Proc {
            pid,
            state: ProcState::Running,
        },
        Launched::Done(st) => Proc {
            pid: Pid::from_raw(0),
            state: ProcState::Exited(st),
        },
    }
}

/// In a forked child: its process group (`set_group` does the same from
/// the parent); a foreground leader takes the terminal.
pub(crate) fn enter_group(group: Group) {
    match group {
        Group::Inherit => {}
        Group::New { foreground } => {
            let _ = nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0));
            if foreground {
                // Both sides hand over the terminal, so the child never
                // reads it before it owns it.
                terminal::give_to(nix::unistd::getpid());
            }
        }
        Group::Join(pg) => {
            let _ = nix::unistd::setpgid(Pid::from_raw(0), pg);
        }
    }
}

/// In a forked child: the descriptor moves, in order.
pub(crate) fn make_moves(moves: &[FdMove]) {
    for &(target, source) in moves {
        if source == crate::exec::redirect::CLOSED {
            sys::close(target);
        } else if target != source {
            let _ = sys::dup2(source, target);
        }
    }
}
