//! Waiting and reaping: a foreground pipeline's stages (with job control,
//! the terminal given to the job and taken back, a stopped job put into
//! the table), `wait` for a job, and waits that run handler blocks while
//! they block (WNOHANG + the self-pipe).  Never starts a process.

use nix::sys::signal::Signal;
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use crate::exec::jobs::{self, Proc, ProcState};
use crate::exec::pipeline::{proc_of, Launched};
use crate::exec::shell::Shell;
use crate::lang::ast::SrcText;
use crate::os::{signals, sys, terminal};

impl Shell {
    /// Wait for a foreground job's stages; the pipeline's status.
    /// `interrupted_before`: an interrupt had come before the job was
    /// launched (it stands whatever the job does).
    pub(crate) fn wait_foreground(
        &mut self,
        launched: &[Launched],
        interrupted_before: bool,
    ) -> i32 {
        if self.monitor {
            let procs = launched.iter().map(|l| proc_of(*l)).collect();
            let text = self.fg_text.clone();
            return self.wait_job_foreground(None, procs, text, None, interrupted_before);
        }
        let mut states = Vec::with_capacity(launched.len());
        for l in launched {
            states.push(match *l {
                Launched::Pid(pid) => self.wait_exit(pid).unwrap_or(ProcState::Exited(0)),
                Launched::Done(st) => ProcState::Exited(st),
            });
        }
        settle_interrupt(&states, interrupted_before, false);
        let statuses: Vec<i32> = states.iter().map(|s| s.status()).collect();
        let st = jobs::pipeline_status(&statuses, self.opts.pipefail);
        self.pipestatus = statuses;
        st
    }

    /// Block until `pid` changes state as `flags` ask, running handler
    /// blocks while waiting.  With a handler armed, the wait is a
    /// WNOHANG check then a sleep on the self-pipe, so a signal is never
    /// left waiting behind a long job.  None: a Ctrl-C ended an
    /// interruptible wait (`wait` at the prompt).
    pub fn wait_child(
        &mut self,
        pid: Pid,
        flags: WaitPidFlag,
        interruptible: bool,
    ) -> Option<nix::Result<WaitStatus>> {
        loop {
            if interruptible && signals::interrupted() {
                return None;
            }
            if !signals::any_trapped() {
                match waitpid(pid, Some(flags)) {
                    Err(nix::errno::Errno::EINTR) => {
                        self.run_traps_or_exit();
                        continue;
                    }
                    r => return Some(r),
                }
            }
            self.run_traps_or_exit();
            match waitpid(pid, Some(flags | WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::StillAlive) => signals::wait_for_signal(),
                Err(nix::errno::Errno::EINTR) => {}
                r => return Some(r),
            }
        }
    }

    /// Wait until `pid` has ended; its final state (None if interrupted).
    pub fn wait_exit_interruptible(&mut self, pid: Pid, interruptible: bool) -> Option<ProcState> {
        loop {
            match self.wait_child(pid, WaitPidFlag::empty(), interruptible)? {
                Ok(ws) => {
                    if let Some((_, st)) = jobs::state_of(ws) {
                        if st.done() {
                            trace_wait(pid, st);
                            return Some(st);
                        }
                    }
                }
                // ECHILD: already reaped elsewhere; nothing more to learn.
                Err(_) => return Some(ProcState::Exited(0)),
            }
        }
    }

    pub fn wait_exit(&mut self, pid: Pid) -> Option<ProcState> {
        self.wait_exit_interruptible(pid, false)
    }

    /// `wait %N`: block until every process of job `id` has ended; its
    /// status.  A Ctrl-C during the wait gives 130 and keeps the job (the
    /// interrupt then ends the command line).
    pub fn wait_job(&mut self, id: usize) -> Option<i32> {
        if self.jobs.get(id)?.foreign {
            return None;
        }
        let pids: Vec<Pid> = self
            .jobs
            .get(id)?
            .procs
            .iter()
            .filter(|p| !p.state.done() && p.pid.as_raw() != 0)
            .map(|p| p.pid)
            .collect();
        for pid in pids {
            match self.wait_exit_interruptible(pid, true) {
                Some(st) => self.jobs.record(pid, st),
                None => return Some(signals::interrupt_status()),
            }
        }
        let status = self.jobs.get(id).map(jobs::Job::status);
        self.jobs.remove(id);
        status
    }

    /// With job control: the job owns the terminal until every process
    /// has ended, or until it stops (Ctrl-Z), when it joins the job table.
    /// `id` is the job's number when `fg` brought it back.
    pub fn wait_job_foreground(
        &mut self,
        id: Option<usize>,
        mut procs: Vec<Proc>,
        text: SrcText,
        modes: Option<nix::sys::termios::Termios>,
        interrupted_before: bool,
    ) -> i32 {
        let pgid = procs.iter().map(|p| p.pid).find(|p| p.as_raw() != 0);
        // The terminal is the job's already: its leader took it (or `fg`
        // gave it back before SIGCONT); only a stopped job's modes return.
        if let (Some(_), Some(m)) = (pgid, &modes) {
            terminal::set_modes(m);
        }
        // The terminal was handed over before the job could run (by the
        // forked child itself, or by the spawned child before its execve).
        let mut stopped = false;
        let flags = WaitPidFlag::WUNTRACED;
        for p in procs.iter_mut() {
            while p.pid.as_raw() != 0 && !p.state.done() && !stopped {
                let Some(r) = self.wait_child(p.pid, flags, false) else {
                    break;
                };
                match r {
                    Ok(ws) => match jobs::state_of(ws) {
                        Some((_, st @ ProcState::Stopped(_))) => {
                            trace_wait(p.pid, st);
                            p.state = st;
                            stopped = true;
                        }
                        Some((_, st)) => {
                            trace_wait(p.pid, st);
                            p.state = st;
                        }
                        None => {}
                    },
                    Err(nix::errno::Errno::EINTR) => {}
                    Err(_) => p.state = ProcState::Exited(0),
                }
            }
        }
        let job_modes = if stopped { terminal::modes() } else { None };
        if let Some(t) = &self.term {
            t.take_back();
        }
        let statuses: Vec<i32> = procs.iter().map(|p| p.state.status()).collect();
        if !stopped {
            if let Some(ProcState::Killed(sig)) = procs.last().map(|p| p.state) {
                if sig != Signal::SIGINT && sig != Signal::SIGPIPE {
                    sys::err(&format!("{}\n", jobs::describe_signal(sig)));
                } else if sig == Signal::SIGINT {
                    sys::err("\n");
                }
            }
            let states: Vec<ProcState> = procs.iter().map(|p| p.state).collect();
            settle_interrupt(&states, interrupted_before, true);
            let st = jobs::pipeline_status(&statuses, self.opts.pipefail);
            self.pipestatus = statuses;
            return st;
        }
        self.job_stopped(id, pgid, procs, text, job_modes)
    }

    /// A foreground job stopped (Ctrl-Z): it joins the job table and is
    /// announced; the status is 128 + the stop signal.
    fn job_stopped(
        &mut self,
        id: Option<usize>,
        pgid: Option<Pid>,
        mut procs: Vec<Proc>,
        text: SrcText,
        job_modes: Option<nix::sys::termios::Termios>,
    ) -> i32 {
        // The others got the same SIGTSTP: collect what is known now.
        for p in procs
            .iter_mut()
            .filter(|p| p.pid.as_raw() != 0 && !p.state.done())
        {
            if let Ok(ws) = waitpid(p.pid, Some(WaitPidFlag::WNOHANG | WaitPidFlag::WUNTRACED)) {
                if let Some((_, st)) = jobs::state_of(ws) {
                    p.state = st;
                }
            }
        }
        let sig = procs.iter().find_map(|p| match p.state {
            ProcState::Stopped(s) => Some(s),
            _ => None,
        });
        let id = id.unwrap_or_else(|| self.jobs.next_id());
        let job = jobs::Job {
            id,
            pgid,
            procs,
            text,
            pipefail: self.opts.pipefail,
            foreign: false,
            announced: None,
            modes: job_modes,
        };
        let line = format!("\n[{id}]+  {:<24}{}\n", job.state_text(), job.text);
        self.jobs.insert(job);
        if let Some(j) = self.jobs.get_mut(id) {
            j.announced = Some(j.state_text());
        }
        sys::err(&line);
        128 + sig.map_or(Signal::SIGTSTP as i32, |s| s as i32)
    }
}

fn trace_wait(pid: Pid, st: ProcState) {
    if crate::os::trace::on() {
        let what = match st {
            ProcState::Exited(n) => format!("exited {n}"),
            ProcState::Killed(s) => format!("killed by {}", s.as_str()),
            ProcState::Stopped(s) => format!("stopped by {}", s.as_str()),
            ProcState::Running => "continued".into(),
        };
        crate::os::trace::event(&format!("waitpid({pid}) → {what}"));
    }
}

/// After a foreground wait, what an interrupt means.  With job control
/// the job had the terminal, so psh never saw the Ctrl-C: a process of
/// the job killed by SIGINT or SIGQUIT interrupts the command line.
/// Without (`own_group` false: a script, `$(…)`), psh got the signal
/// beside the job: it stands only if the job died of it too; a job that
/// handled it and went on lets psh go on (bash's rule), and a job that
/// only killed itself with SIGINT is just a status.  An interrupt that
/// came before the wait began always stands.
pub(crate) fn settle_interrupt(states: &[ProcState], interrupted_before: bool, own_group: bool) {
    if interrupted_before {
        return;
    }
    let killed = states.iter().find_map(|s| match s {
        ProcState::Killed(sig @ (Signal::SIGINT | Signal::SIGQUIT)) => Some(*sig),
        _ => None,
    });
    match (killed, own_group) {
        (Some(sig), true) => signals::note_interrupt(sig),
        (Some(_), false) => {}
        (None, _) => signals::clear_interrupt(),
    }
}
