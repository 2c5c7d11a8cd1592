//! The job table: every pipeline started in the background (and every
//! stopped foreground job) with the state of each of its processes, job
//! specs (`%N`, `%+`, `%prefix`), notifications and hanging up.  Reaping
//! is per known pid (waitpid with WNOHANG), so it never steals the status of
//! a child that other code waits for.  Never starts a process.

use nix::errno::Errno;
use nix::sys::signal::{self, Signal};
use nix::sys::wait::{waitid, waitpid, Id, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use crate::lang::ast::SrcText;
use crate::os::signals;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcState {
    Running,
    Stopped(Signal),
    Exited(i32),
    Killed(Signal),
}

impl ProcState {
    pub fn done(self) -> bool {
        matches!(self, ProcState::Exited(_) | ProcState::Killed(_))
    }
    /// The shell status this state stands for (128+N for a signal).
    pub fn status(self) -> i32 {
        match self {
            ProcState::Exited(n) => n,
            ProcState::Killed(s) | ProcState::Stopped(s) => 128 + s as i32,
            ProcState::Running => 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Proc {
    pub pid: Pid,
    pub state: ProcState,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: usize,
    pub pgid: Option<Pid>,
    pub procs: Vec<Proc>,
    pub text: SrcText,
    /// `set -o pipefail` was on when the job started.
    pub pipefail: bool,
    /// In a forked child: a job copied from the parent, listed by `jobs`
    /// but not this process's child to wait for.
    pub foreign: bool,
    /// The state last announced to the user (interactive notifications).
    pub announced: Option<String>,
    /// The terminal modes the job had when it stopped, given back by `fg`.
    pub modes: Option<nix::sys::termios::Termios>,
}

impl Job {
    pub fn done(&self) -> bool {
        self.procs.iter().all(|p| p.state.done())
    }
    /// The signal that stopped the job, if any of its processes is stopped.
    pub fn stop_signal(&self) -> Option<Signal> {
        self.procs.iter().find_map(|p| match p.state {
            ProcState::Stopped(s) => Some(s),
            _ => None,
        })
    }
    pub fn stopped(&self) -> bool {
        !self.done() && self.stop_signal().is_some()
    }
    /// The job's exit status: the last stage's, or with pipefail the last
    /// non-zero one.
    pub fn status(&self) -> i32 {
        let statuses: Vec<i32> = self.procs.iter().map(|p| p.state.status()).collect();
        pipeline_status(&statuses, self.pipefail)
    }
    /// `Running`, `Stopped`, `Done`, `Exit 3`, `Killed (TERM)`.
    pub fn state_text(&self) -> String {
        if let (Some(sig), false) = (self.stop_signal(), self.done()) {
            return match sig {
                Signal::SIGTSTP => "Stopped",
                Signal::SIGTTIN => "Stopped (tty input)",
                Signal::SIGTTOU => "Stopped (tty output)",
                _ => "Stopped (signal)",
            }
            .into();
        }
        if !self.done() {
            return "Running".into();
        }
        match self.procs.last().map(|p| p.state) {
            Some(ProcState::Killed(s)) => format!("Killed ({})", signals::short_name(s)),
            _ => match self.status() {
                0 => "Done".into(),
                n => format!("Exit {n}"),
            },
        }
    }
}

#[derive(Debug, Default)]
pub struct JobTable {
    pub jobs: Vec<Job>,
    /// Ids of the current (`%+`) and previous (`%-`) jobs.
    current: Option<usize>,
    previous: Option<usize>,
}

pub fn state_of(ws: WaitStatus) -> Option<(Pid, ProcState)> {
    match ws {
        WaitStatus::Exited(p, code) => Some((p, ProcState::Exited(code))),
        WaitStatus::Signaled(p, s, _) => Some((p, ProcState::Killed(s))),
        WaitStatus::Stopped(p, s) => Some((p, ProcState::Stopped(s))),
        WaitStatus::Continued(p) => Some((p, ProcState::Running)),
        _ => None,
    }
}

/// A pipeline's status: the last stage's, or with pipefail the last
/// non-zero one.
pub fn pipeline_status(statuses: &[i32], pipefail: bool) -> i32 {
    if pipefail {
        statuses
            .iter()
            .rev()
            .copied()
            .find(|&s| s != 0)
            .unwrap_or(0)
    } else {
        statuses.last().copied().unwrap_or(0)
    }
}

/// How bash reports a job killed by a signal: `Terminated`, `Killed`…
pub fn describe_signal(sig: Signal) -> String {
    match sig {
        Signal::SIGTERM => "Terminated".into(),
        Signal::SIGKILL => "Killed".into(),
        Signal::SIGHUP => "Hangup".into(),
        Signal::SIGQUIT => "Quit".into(),
        Signal::SIGABRT => "Aborted".into(),
        Signal::SIGSEGV => "Segmentation fault".into(),
        other => format!("Killed by {}", other.as_str()),
    }
}

impl JobTable {
    /// SIGHUP, then SIGCONT so a stopped job sees it, to every job (the
    /// terminal went away) or only to the stopped ones (psh is leaving),
    /// as bash does.
    pub fn hang_up(&self, only_stopped: bool) {
        for j in self.jobs.iter().filter(|j| !j.done()) {
            if only_stopped && !j.stopped() {
                continue;
            }
            if let Some(pg) = j.pgid {
                let _ = signal::killpg(pg, Signal::SIGHUP);
                let _ = signal::killpg(pg, Signal::SIGCONT);
            }
        }
    }

    /// In a forked child: every job so far is the parent's.
    pub fn mark_foreign(&mut self) {
        for j in &mut self.jobs {
            j.foreign = true;
        }
    }

    /// The number a new job would get.
    pub fn next_id(&self) -> usize {
        self.jobs.last().map_or(1, |j| j.id + 1)
    }

    pub fn add(
        &mut self,
        pgid: Option<Pid>,
        procs: Vec<Proc>,
        text: SrcText,
        pipefail: bool,
    ) -> usize {
        let id = self.jobs.last().map_or(1, |j| j.id + 1);
        self.insert(Job {
            id,
            pgid,
            procs,
            text,
            pipefail,
            foreign: false,
            announced: None,
            modes: None,
        })
    }

    /// Put a job (back) in the table under its own id; it becomes current.
    pub fn insert(&mut self, job: Job) -> usize {
        let id = job.id;
        let at = self
            .jobs
            .iter()
            .position(|j| j.id > id)
            .unwrap_or(self.jobs.len());
        self.jobs.insert(at, job);
        if self.current != Some(id) {
            self.previous = self.current;
        }
        self.current = Some(id);
        id
    }

    pub fn get(&self, id: usize) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    pub fn get_mut(&mut self, id: usize) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|j| j.id == id)
    }

    /// Take a job out of the table (to bring it to the foreground).
    pub fn take(&mut self, id: usize) -> Option<Job> {
        let job = self.get(id).cloned();
        self.jobs.retain(|j| j.id != id);
        job
    }

    /// The id of the current job (`%+`).
    /// The job that `pid` belongs to.
    pub fn job_of(&self, pid: Pid) -> Option<usize> {
        self.jobs
            .iter()
            .find(|j| j.procs.iter().any(|p| p.pid == pid))
            .map(|j| j.id)
    }

    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// `+`, `-` or a blank for `jobs` output.
    pub fn mark(&self, id: usize) -> char {
        if self.current == Some(id) {
            '+'
        } else if self.previous == Some(id) {
            '-'
        } else {
            ' '
        }
    }

    /// Record a state change for `pid` if it belongs to a job.
    pub fn record(&mut self, pid: Pid, st: ProcState) {
        for j in &mut self.jobs {
            if let Some(p) = j.procs.iter_mut().find(|p| p.pid == pid) {
                p.state = st;
                return;
            }
        }
    }

    /// Collect every state change without blocking.  Cheap when no
    /// SIGCHLD came since the last call.
    pub fn reap(&mut self) {
        if signals::take_child_changed() {
            self.reap_now();
        }
    }

    /// Collect every state change without blocking, SIGCHLD or not.
    pub fn reap_now(&mut self) {
        if self.jobs.is_empty() {
            return;
        }
        // Peek (WNOWAIT) at the next child with news; reap it by its pid
        // only if it is one of ours.  Cost is per change, not per job, and
        // a child that other code is waiting for is never stolen.
        let peek = WaitPidFlag::WEXITED
            | WaitPidFlag::WSTOPPED
            | WaitPidFlag::WCONTINUED
            | WaitPidFlag::WNOHANG
            | WaitPidFlag::WNOWAIT;
        loop {
            let pid = match waitid(Id::All, peek) {
                Ok(ws) => match ws.pid() {
                    Some(pid) => pid,
                    None => return,
                },
                Err(Errno::EINTR) => continue,
                Err(_) => return,
            };
            if !self.owns(pid) {
                // Someone else's child is ready: look at ours one by one.
                return self.reap_each();
            }
            if !self.reap_pid(pid) {
                return;
            }
        }
    }

    fn owns(&self, pid: Pid) -> bool {
        self.jobs
            .iter()
            .filter(|j| !j.foreign)
            .any(|j| j.procs.iter().any(|p| p.pid == pid && !p.state.done()))
    }

    /// waitpid(pid, WNOHANG…) and record what it says; false if nothing.
    fn reap_pid(&mut self, pid: Pid) -> bool {
        let flags = WaitPidFlag::WNOHANG | WaitPidFlag::WUNTRACED | WaitPidFlag::WCONTINUED;
        loop {
            match waitpid(pid, Some(flags)) {
                Ok(WaitStatus::StillAlive) => return false,
                Ok(ws) => {
                    if let Some((p, st)) = state_of(ws) {
                        self.record(p, st);
                    }
                    return true;
                }
                Err(Errno::EINTR) => continue,
                Err(_) => {
                    self.record(pid, ProcState::Exited(0));
                    return true;
                }
            }
        }
    }

    /// Every live process of every job, one waitpid each.
    fn reap_each(&mut self) {
        let pids: Vec<Pid> = self
            .jobs
            .iter()
            .filter(|j| !j.foreign)
            .flat_map(|j| j.procs.iter().filter(|p| !p.state.done()).map(|p| p.pid))
            .collect();
        for pid in pids {
            self.reap_pid(pid);
        }
    }

    pub fn remove(&mut self, id: usize) {
        self.jobs.retain(|j| j.id != id);
        if self.current == Some(id) {
            self.current = self.previous.take();
        }
        if self.previous == Some(id) {
            self.previous = None;
        }
        if self.current.is_some() && self.previous.is_none() {
            self.previous = self
                .jobs
                .iter()
                .rev()
                .map(|j| j.id)
                .find(|&i| Some(i) != self.current);
        }
        if self.current.is_none() {
            self.current = self.jobs.last().map(|j| j.id);
        }
    }

    /// The job a spec names: `%N`, `%+`, `%%`, `%-`, `%prefix`, or a pid.
    pub fn find(&self, spec: &str) -> Result<usize, String> {
        if let Some(s) = spec.strip_prefix('%') {
            let id = match s {
                "" | "+" | "%" => self.current,
                "-" => self.previous,
                _ => {
                    if let Ok(n) = s.parse::<usize>() {
                        self.get(n).map(|j| j.id)
                    } else {
                        let hits: Vec<usize> = self
                            .jobs
                            .iter()
                            .filter(|j| j.text.starts_with(s))
                            .map(|j| j.id)
                            .collect();
                        if hits.len() > 1 {
                            return Err(format!("{spec}: ambiguous job spec"));
                        }
                        hits.first().copied()
                    }
                }
            };
            return id
                .filter(|i| self.get(*i).is_some())
                .ok_or_else(|| format!("{spec}: no such job"));
        }
        let pid: i32 = spec
            .parse()
            .map_err(|_| format!("{spec}: not a pid or job spec"))?;
        self.jobs
            .iter()
            .find(|j| j.procs.iter().any(|p| p.pid.as_raw() == pid))
            .map(|j| j.id)
            .ok_or_else(|| format!("pid {pid} is not a child of this shell"))
    }

    /// Lines announcing jobs that finished or stopped since they were last
    /// announced; finished ones then leave the table (interactive shells).
    pub fn take_notifications(&mut self) -> String {
        self.reap();
        let marks: Vec<char> = self.jobs.iter().map(|j| self.mark(j.id)).collect();
        let mut out = String::new();
        for (j, mark) in self.jobs.iter_mut().zip(marks) {
            let st = j.state_text();
            if (j.done() || j.stopped()) && j.announced.as_deref() != Some(st.as_str()) {
                out.push_str(&format!("[{}]{}  {:<24}{}\n", j.id, mark, st, j.text));
                j.announced = Some(st);
            }
        }
        let done: Vec<usize> = self
            .jobs
            .iter()
            .filter(|j| j.done())
            .map(|j| j.id)
            .collect();
        for id in done {
            self.remove(id);
        }
        out
    }

    /// Finished jobs not yet reported, oldest first; they leave the table.
    pub fn take_finished(&mut self) -> Vec<Job> {
        let done: Vec<Job> = self.jobs.iter().filter(|j| j.done()).cloned().collect();
        for j in &done {
            self.remove(j.id);
        }
        done
    }
}
