//! Job builtins: `jobs`, `wait`, `fg`, `bg`, `kill`, and sending a signal
//! to a whole job.  Waiting itself is `exec/wait.rs`; this file only turns
//! arguments (`%N`, PIDs, signal names) into those calls, never waitpid's
//! itself.

use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;

use super::{err, out};
use crate::exec::shell::Shell;
use crate::exec::traps::usage;
use crate::os::{signals, sys};

impl Shell {
    pub(crate) fn jobs_cmd(&mut self, args: &[String]) -> i32 {
        self.jobs.reap_now();
        let (mut long, mut pids_only) = (false, false);
        let mut specs = args;
        while let Some((a, rest)) = specs.split_first() {
            if a == "--" {
                specs = rest;
                break;
            }
            let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) else {
                break;
            };
            for f in flags.chars() {
                match f {
                    'l' => long = true,
                    'p' => pids_only = true,
                    _ => {
                        return usage(&format!(
                            "jobs: -{f}: unknown option\nusage: jobs [-l|-p] [%N|PID…]"
                        ));
                    }
                }
            }
            specs = rest;
        }
        // Job specs pick the jobs to list (in table order); a bad one is
        // reported and makes the status 1, as in bash.
        let mut status = 0;
        let mut picked = Vec::new();
        for spec in specs {
            match self.jobs.find(spec) {
                Ok(id) => picked.push(id),
                Err(e) => status = err(format!("jobs: {e}")),
            }
        }
        let mut s = String::new();
        for j in &self.jobs.jobs {
            if !specs.is_empty() && !picked.contains(&j.id) {
                continue;
            }
            if pids_only {
                if let Some(p) = j.procs.iter().find(|p| p.pid.as_raw() != 0) {
                    s.push_str(&format!("{}\n", p.pid));
                }
                continue;
            }
            let mark = self.jobs.mark(j.id);
            if long {
                let pid = j.procs.first().map_or(0, |p| p.pid.as_raw());
                s.push_str(&format!(
                    "[{}]{} {:>7} {:<24}{}\n",
                    j.id,
                    mark,
                    pid,
                    j.state_text(),
                    j.text
                ));
            } else {
                s.push_str(&format!(
                    "[{}]{}  {:<24}{}\n",
                    j.id,
                    mark,
                    j.state_text(),
                    j.text
                ));
            }
        }
        // Finished jobs listed have now been reported: they leave the table.
        if specs.is_empty() {
            self.jobs.take_finished();
        } else {
            for id in picked {
                if self.jobs.get(id).is_some_and(|j| j.done()) {
                    self.jobs.remove(id);
                }
            }
        }
        match out("jobs", &s) {
            0 => status,
            failed => failed,
        }
    }

    pub(crate) fn wait_cmd(&mut self, args: &[String]) -> i32 {
        // Ctrl-C ends the wait (the jobs go on).
        match args.split_first() {
            Some((n, rest)) if n == "-n" => self.wait_any(rest),
            _ => self.wait_jobs(args),
        }
    }

    /// `wait -n [ID…]`: block until the first of the jobs (all by default)
    /// ends; its status, or 127 when there is none to wait for.
    fn wait_any(&mut self, args: &[String]) -> i32 {
        let mut ids = Vec::new();
        for a in args {
            match self.jobs.find(a) {
                Ok(id) => ids.push(id),
                Err(m) => sys::err(&format!("psh: wait: {m}\n")),
            }
        }
        if args.is_empty() {
            ids = self
                .jobs
                .jobs
                .iter()
                .filter(|j| !j.foreign)
                .map(|j| j.id)
                .collect();
        }
        loop {
            self.jobs.reap_now();
            let live: Vec<usize> = ids
                .iter()
                .copied()
                .filter(|id| self.jobs.get(*id).is_some())
                .collect();
            if live.is_empty() {
                return 127;
            }
            let done = live.iter().find_map(|id| {
                self.jobs
                    .get(*id)
                    .filter(|j| j.done())
                    .map(|j| (j.id, j.status()))
            });
            if let Some((id, st)) = done {
                self.jobs.remove(id);
                return st;
            }
            self.run_traps_or_exit();
            if signals::interrupted() {
                return signals::interrupt_status();
            }
            // A SIGCHLD that came since reap_now left a byte in the
            // self-pipe, so this returns at once.
            signals::wait_for_signal();
        }
    }

    pub(crate) fn wait_jobs(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            let ids: Vec<usize> = self.jobs.jobs.iter().map(|j| j.id).collect();
            for id in ids {
                let st = self.wait_job(id);
                if signals::interrupted() {
                    return st.unwrap_or(130);
                }
            }
            return 0;
        }
        let mut st = 0;
        for a in args {
            st = match self.jobs.find(a) {
                Ok(id) => self.wait_job(id).unwrap_or(127),
                Err(m) => {
                    sys::err(&format!("psh: wait: {m}\n"));
                    // No such job: 127; not a job or process id at all: 1.
                    if a.starts_with('%') || a.parse::<i32>().is_ok() {
                        127
                    } else {
                        1
                    }
                }
            };
            if signals::interrupted() {
                break;
            }
        }
        st
    }

    /// The job a `fg`/`bg` argument names (the current job by default).
    pub(crate) fn job_arg(&mut self, cmd: &str, args: &[String]) -> Result<usize, i32> {
        if !self.monitor {
            sys::err(&format!("psh: {cmd}: no job control in this shell\n"));
            return Err(1);
        }
        self.jobs.reap_now();
        let spec = args.first().map_or("%+", String::as_str);
        self.jobs.find(spec).map_err(|m| {
            sys::err(&format!("psh: {cmd}: {m}\n"));
            1
        })
    }

    /// `fg [%N]`: continue the job in the foreground, with the terminal.
    pub(crate) fn fg(&mut self, args: &[String]) -> i32 {
        let id = match self.job_arg("fg", args) {
            Ok(id) => id,
            Err(st) => return st,
        };
        let Some(mut job) = self.jobs.take(id) else {
            return 1;
        };
        if job.done() {
            return job.status();
        }
        for p in job.procs.iter_mut().filter(|p| !p.state.done()) {
            p.state = crate::exec::jobs::ProcState::Running;
        }
        // The terminal first, so a Ctrl-C typed after the job's name
        // appears reaches the job.
        if let Some(pg) = job.pgid {
            if let Some(m) = &job.modes {
                crate::os::terminal::set_modes(m);
            }
            crate::os::terminal::give_to(pg);
            let _ = signal::killpg(pg, Signal::SIGCONT);
        }
        let _ = out("fg", &format!("{}\n", job.text));
        let before = signals::interrupted();
        self.wait_job_foreground(Some(job.id), job.procs, job.text, job.modes, before)
    }

    /// `bg [%N]`: continue a stopped job in the background.
    pub(crate) fn bg(&mut self, args: &[String]) -> i32 {
        let id = match self.job_arg("bg", args) {
            Ok(id) => id,
            Err(st) => return st,
        };
        let current = self.jobs.current() == Some(id);
        let Some(job) = self.jobs.get_mut(id) else {
            return 1;
        };
        if !job.stopped() {
            sys::err(&format!("psh: bg: job {id} already in background\n"));
            return 0;
        }
        for p in job.procs.iter_mut().filter(|p| !p.state.done()) {
            p.state = crate::exec::jobs::ProcState::Running;
        }
        job.announced = None;
        let line = format!("[{id}]{} {} &\n", if current { '+' } else { ' ' }, job.text);
        let pgid = job.pgid;
        if let Some(pg) = pgid {
            let _ = signal::killpg(pg, Signal::SIGCONT);
        }
        out("bg", &line)
    }

    pub(crate) fn kill(&mut self, args: &[String]) -> i32 {
        let mut sig = Signal::SIGTERM;
        let mut probe = false;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "-l" {
                // `kill -l N`: the name of signal N (or of 128+N, a status).
                if let Some(n) = args.get(i + 1) {
                    let sig = n
                        .parse::<i32>()
                        .ok()
                        .map(|n| if n > 128 { n - 128 } else { n })
                        .and_then(|n| Signal::try_from(n).ok());
                    return match sig {
                        Some(s) => out("kill", &format!("{}\n", signals::short_name(s))),
                        None => err(format!("kill: {n}: invalid signal specification")),
                    };
                }
                let names: Vec<&str> = Signal::iterator().map(signals::short_name).collect();
                return out("kill", &format!("{}\n", names.join(" ")));
            } else if a == "-0" {
                // Only ask whether the processes exist (and may be signalled).
                probe = true;
            } else if a == "-s" || a == "-n" {
                i += 1;
                match args.get(i).and_then(|s| signals::parse(s)) {
                    Some(s) => sig = s,
                    None => {
                        return err(format!(
                            "kill: {}: invalid signal",
                            args.get(i).map_or("", String::as_str)
                        ))
                    }
                }
            } else if a == "--" {
                i += 1;
                break;
            } else if let Some(name) = a.strip_prefix('-').filter(|n| !n.is_empty()) {
                // -9, -KILL, -SIGKILL (a negative pid needs `--` first)
                match signals::parse(name) {
                    Some(s) => sig = s,
                    None => return err(format!("kill: {a}: invalid signal")),
                }
            } else {
                break;
            }
            i += 1;
        }
        let targets = args.get(i..).unwrap_or(&[]);
        if targets.is_empty() {
            sys::err("psh: kill: usage: kill [-SIG] %JOB|PID…\n");
            return 2;
        }
        let mut st = 0;
        for t in targets {
            let r = if t.starts_with('%') && probe {
                self.jobs.find(t).map(|_| ())
            } else if t.starts_with('%') {
                match self.jobs.find(t) {
                    Ok(id) => self
                        .signal_job(id, sig)
                        .and_then(|()| self.wake_stopped(id, sig)),
                    Err(m) => Err(m),
                }
            } else {
                match t.parse::<i32>() {
                    Ok(pid) if probe => signal::kill(Pid::from_raw(pid), None)
                        .map_err(|e| format!("({pid}): {}", e.desc())),
                    Ok(pid) => signal::kill(Pid::from_raw(pid), sig)
                        .map_err(|e| format!("({pid}): {}", e.desc()))
                        .and_then(|()| match self.jobs.job_of(Pid::from_raw(pid)) {
                            Some(id) => self.wake_stopped(id, sig),
                            None => Ok(()),
                        }),
                    Err(_) => Err(format!("{t}: arguments must be process or job IDs")),
                }
            };
            if let Err(m) = r {
                st = err(format!("kill: {m}"));
            }
        }
        st
    }

    /// A stopped job cannot act on `sig` until it runs: send SIGCONT too
    /// (as bash does), so `kill %1` ends a stopped job.
    fn wake_stopped(&mut self, id: usize, sig: Signal) -> Result<(), String> {
        let stops = matches!(
            sig,
            Signal::SIGSTOP | Signal::SIGTSTP | Signal::SIGTTIN | Signal::SIGTTOU | Signal::SIGCONT
        );
        if stops || !self.jobs.get(id).is_some_and(|j| j.stopped()) {
            return Ok(());
        }
        self.signal_job(id, Signal::SIGCONT)
    }

    /// Send `sig` to every process of a job (its group with job control).
    pub fn signal_job(&mut self, id: usize, sig: Signal) -> Result<(), String> {
        let job = self
            .jobs
            .get(id)
            .ok_or_else(|| format!("%{id}: no such job"))?;
        if let Some(pg) = job.pgid {
            return signal::killpg(pg, sig).map_err(|e| format!("%{id}: {}", e.desc()));
        }
        for p in job
            .procs
            .iter()
            .filter(|p| !p.state.done() && p.pid.as_raw() != 0)
        {
            signal::kill(p.pid, sig).map_err(|e| format!("%{id}: {}", e.desc()))?;
        }
        Ok(())
    }
}
