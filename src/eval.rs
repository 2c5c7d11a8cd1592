//! The evaluator: walks the AST and maps each node kind onto the primitive
//! it stands for — a simple command onto posix_spawn (or a builtin call), a
//! pipeline onto pipe + spawn × N + waitpid, `&` onto a spawn without wait,
//! `( … )` onto fork, a redirection onto open + dup2.

use std::ffi::CString;
use std::rc::Rc;

use nix::sys::signal::Signal;
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{ForkResult, Pid};

use crate::ast::*;
use crate::builtins;
use crate::expand::ExpandError;
use crate::jobs::{self, Proc, ProcState};
use crate::redirect::{self, Plan, Step};
use crate::shell::{max_eval_depth, Flow, Res, Shell, MAX_CALL_DEPTH};
use crate::signals;
use crate::spawn::{self, FdMove, Group};
use crate::sys;
use crate::terminal;

/// A stage after launch: a running child, or a status when it could not
/// start (command not found, a redirection that failed…).
#[derive(Debug, Clone, Copy)]
pub enum Launched {
    Pid(Pid),
    Done(i32),
}

/// A simple command with its words expanded.
#[derive(Debug, Default)]
pub struct Expanded {
    pub argv: Vec<String>,
    pub assigns: Vec<(String, String)>,
}

impl Shell {
    // ------------------------------------------------------------ lists

    pub fn run_list(&mut self, list: &List) -> Res {
        let max = max_eval_depth();
        if self.depth >= max {
            sys::err(&format!(
                "psh: blocks and calls nested more than {max} deep\n"
            ));
            return Ok(2);
        }
        self.depth += 1;
        let r = self.run_jobs(list);
        self.depth -= 1;
        r
    }

    fn run_jobs(&mut self, list: &List) -> Res {
        for job in &list.0 {
            let st = if job.background {
                self.start_background(job)
            } else {
                self.run_and_or(&job.body)?
            };
            self.status = st;
            self.jobs.reap();
            self.run_pending_traps()?;
            if self.interactive && signals::take_job_interrupt() {
                return Err(Flow::Interrupted);
            }
        }
        Ok(self.status)
    }

    /// Run `f` as a condition: `set -e` does not fire inside it.
    fn in_cond<T>(&mut self, f: impl FnOnce(&mut Shell) -> T) -> T {
        self.cond_depth += 1;
        let r = f(self);
        self.cond_depth -= 1;
        r
    }

    fn run_and_or(&mut self, ao: &AndOr) -> Res {
        if ao.rest.is_empty() {
            return self.run_pipeline_checked(&ao.first);
        }
        let mut st = self.in_cond(|sh| sh.run_pipeline(&ao.first))?;
        let n = ao.rest.len();
        for (i, (conn, p)) in ao.rest.iter().enumerate() {
            let go = match conn {
                Connector::And => st == 0,
                Connector::Or => st != 0,
            };
            if !go {
                continue;
            }
            self.status = st;
            st = if i + 1 == n {
                self.run_pipeline_checked(p)?
            } else {
                self.in_cond(|sh| sh.run_pipeline(p))?
            };
        }
        Ok(st)
    }

    /// A pipeline whose failure ends the shell under `set -e`.
    fn run_pipeline_checked(&mut self, p: &Pipeline) -> Res {
        let st = self.run_pipeline(p)?;
        if st != 0 && self.opts.errexit && self.cond_depth == 0 && !p.negate {
            return Err(Flow::Exit(st));
        }
        Ok(st)
    }

    // ------------------------------------------------------------ pipelines

    fn run_pipeline(&mut self, p: &Pipeline) -> Res {
        if p.explain {
            return Ok(crate::explain::explain_pipeline(self, p));
        }
        if p.spawn {
            return Ok(self.start_pipeline_job(p, p.text.clone(), true));
        }
        self.fg_text = p.text.clone();
        let st = match p.stages.as_slice() {
            [] => 0,
            [one] if p.negate => self.in_cond(|sh| sh.run_command(one))?,
            [one] => self.run_command(one)?,
            stages => {
                let launched = self.launch_pipeline(stages, true);
                self.wait_foreground(&launched)
            }
        };
        Ok(if p.negate { i32::from(st == 0) } else { st })
    }

    /// Start every stage at once, each joined to the next by a kernel
    /// pipe.  The shell closes its copies of the pipe ends as soon as the
    /// stages that use them have started.
    fn launch_pipeline(&mut self, stages: &[Command], foreground: bool) -> Vec<Launched> {
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
            let l = self.launch(cmd, &base, group);
            if let (Launched::Pid(pid), None) = (l, leader) {
                leader = Some(pid);
                if foreground && self.monitor {
                    terminal::give_to(pid);
                }
            }
            out.push(l);
            drop(write);
            prev_read = next_read;
        }
        out
    }

    /// The process group a new child joins: with job control, the job's
    /// own group (led by its first process); without, the shell's.
    fn group_for(&self, leader: Option<Pid>, foreground: bool) -> Group {
        if !self.monitor {
            return Group::Inherit;
        }
        match leader {
            None => Group::New { foreground },
            Some(pg) => Group::Join(pg),
        }
    }

    /// Start one stage with its stdin/stdout already planned in `base`.
    /// An external command is posix_spawned; anything else (a builtin, a
    /// function, a block) runs in a forked copy of the shell.
    pub fn launch(&mut self, cmd: &Command, base: &[FdMove], group: Group) -> Launched {
        if let Command::Simple(s) = cmd {
            let ex = match self.expand_simple(s) {
                Ok(ex) => ex,
                Err(e) => {
                    sys::err(&format!("{}\n", e.message()));
                    return Launched::Done(e.status());
                }
            };
            if let Some(name) = ex.argv.first() {
                if !self.funcs.contains_key(name) && !builtins::is_builtin(name) {
                    let plan = match self.open_redirects(&s.redirects, base) {
                        Ok(p) => p,
                        Err(m) => {
                            sys::err(&m);
                            return Launched::Done(1);
                        }
                    };
                    return self.spawn_external(&ex, &plan.moves, group);
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
        // SAFETY: psh is single-threaded whenever it forks (the lab joins
        // its threads before returning), so the child may run shell code.
        match unsafe { nix::unistd::fork() } {
            Ok(ForkResult::Child) => {
                match group {
                    Group::Inherit => {}
                    Group::New { foreground } => {
                        let _ = nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0));
                        if foreground {
                            // Both sides hand over the terminal, so the
                            // child never reads it before it owns it.
                            terminal::give_to(nix::unistd::getpid());
                        }
                    }
                    Group::Join(pg) => {
                        let _ = nix::unistd::setpgid(Pid::from_raw(0), pg);
                    }
                }
                signals::reset_in_child();
                signals::forget_traps();
                self.traps.clear();
                for &(target, source) in moves {
                    if target != source {
                        let _ = sys::dup2(source, target);
                    }
                }
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
                // SAFETY: ends the child without running the parent's
                // destructors or flushing anything twice.
                unsafe { libc::_exit(st & 0xff) }
            }
            Ok(ForkResult::Parent { child }) => {
                crate::trace::event(&format!(
                    "fork() → pid {child} (a copy of psh runs the command)"
                ));
                spawn::set_group(child, group);
                Launched::Pid(child)
            }
            Err(e) => {
                sys::err(&format!("psh: fork: {} (out of processes?)\n", e.desc()));
                Launched::Done(126)
            }
        }
    }

    /// Wait for a foreground job's stages; the pipeline's status.
    fn wait_foreground(&mut self, launched: &[Launched]) -> i32 {
        if self.monitor {
            let procs = launched.iter().map(|l| proc_of(*l)).collect();
            let text = self.fg_text.clone();
            return self.wait_job_foreground(None, procs, text, None);
        }
        let mut statuses = Vec::with_capacity(launched.len());
        for l in launched {
            statuses.push(match *l {
                Launched::Pid(pid) => self.wait_exit(pid).map_or(0, ProcState::status),
                Launched::Done(st) => st,
            });
        }
        jobs::pipeline_status(&statuses, self.opts.pipefail)
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
    /// status.  A Ctrl-C during an interactive `wait` gives 130 and keeps
    /// the job.
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
            match self.wait_exit_interruptible(pid, self.interactive) {
                Some(st) => self.jobs.record(pid, st),
                None => return Some(130),
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
        text: Rc<str>,
        modes: Option<nix::sys::termios::Termios>,
    ) -> i32 {
        let pgid = procs.iter().map(|p| p.pid).find(|p| p.as_raw() != 0);
        if let Some(pg) = pgid {
            if let Some(m) = &modes {
                terminal::set_modes(m);
            }
            terminal::give_to(pg);
        }
        // The terminal was handed over before the job could run (by the
        // forked child itself, or by posix_spawn's tcsetpgrp file action).
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
                    signals::note_job_interrupt();
                }
            }
            return jobs::pipeline_status(&statuses, self.opts.pipefail);
        }
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

    // ------------------------------------------------------------ background jobs

    fn start_background(&mut self, job: &Job) -> i32 {
        if job.body.rest.is_empty() && !job.body.first.explain {
            return self.start_pipeline_job(
                &job.body.first,
                job.text.clone(),
                job.body.first.spawn,
            );
        }
        let group = self.group_for(None, false);
        let body = job.body.clone();
        let l = self.fork_run(&[], group, move |sh| sh.run_and_or(&body));
        self.register_job(vec![l], job.text.clone(), false)
    }

    /// `pipeline &` and `spawn pipeline`: start it and go on.
    fn start_pipeline_job(&mut self, p: &Pipeline, text: Rc<str>, announce: bool) -> i32 {
        let launched = self.launch_pipeline(&p.stages, false);
        self.register_job(launched, text, announce)
    }

    fn register_job(&mut self, launched: Vec<Launched>, text: Rc<str>, announce: bool) -> i32 {
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

    // ------------------------------------------------------------ commands

    pub fn run_command(&mut self, cmd: &Command) -> Res {
        match cmd {
            Command::Simple(s) => self.run_simple(s),
            Command::Group(list, r) => self.with_redirects(r, |sh| sh.run_list(list)),
            Command::Subshell(list, r) => {
                let plan = match self.open_redirects(r, &[]) {
                    Ok(p) => p,
                    Err(m) => {
                        sys::err(&m);
                        return Ok(1);
                    }
                };
                let group = self.group_for(None, true);
                let l = self.fork_run(&plan.moves, group, |sh| sh.run_list(list));
                drop(plan);
                Ok(self.wait_foreground(&[l]))
            }
            Command::If(i, r) => self.with_redirects(r, |sh| sh.run_if(i)),
            Command::While(w, r) => self.with_redirects(r, |sh| sh.run_while(w)),
            Command::For(f, r) => self.with_redirects(r, |sh| sh.run_for(f)),
            Command::FnDef(f) => {
                self.funcs.insert(f.name.clone(), f.clone());
                Ok(0)
            }
            Command::Handler(h) => self.arm_handler(h),
            Command::Lab(l) => self.with_redirects(&l.redirects, |sh| sh.run_lab(l)),
            Command::Control(kind, arg, r) => {
                self.with_redirects(r, |sh| sh.run_control(*kind, arg.as_ref()))
            }
        }
    }

    /// `threads N …` / `procs N …`: the shell has no other threads when it
    /// forks, and the lab joins every thread before it returns.
    fn run_lab(&mut self, l: &Lab) -> Res {
        let args = match self.expand_words(&l.args) {
            Ok(a) => a,
            Err(e) => return self.expand_failed(e),
        };
        let mode = match l.kind {
            LabKind::Threads => crate::lab::Mode::Threads,
            LabKind::Procs => crate::lab::Mode::Procs,
        };
        Ok(crate::lab::run(mode, &args))
    }

    /// Run `f` with the shell's own descriptors redirected, then put
    /// them back.
    fn with_redirects(&mut self, r: &[Redirect], f: impl FnOnce(&mut Shell) -> Res) -> Res {
        if r.is_empty() {
            return f(self);
        }
        let plan = match self.open_redirects(r, &[]) {
            Ok(p) => p,
            Err(m) => {
                sys::err(&m);
                return Ok(1);
            }
        };
        let guard = match plan.apply_here() {
            Ok(g) => g,
            Err(m) => {
                sys::err(&format!("{m}\n"));
                return Ok(1);
            }
        };
        let r = f(self);
        drop(guard);
        r
    }

    /// Expand redirection targets and open them (messages end in '\n').
    pub fn open_redirects(&mut self, r: &[Redirect], base: &[FdMove]) -> Result<Plan, String> {
        if r.is_empty() {
            return Ok(Plan::base(base));
        }
        let mut steps = Vec::with_capacity(r.len());
        for red in r {
            let (word, flags, both) = match &red.op {
                RedirOp::Dup(from) => {
                    steps.push(Step::Dup {
                        fd: red.fd,
                        from: *from,
                    });
                    continue;
                }
                RedirOp::Read(w) => (w, redirect::read_flags(), false),
                RedirOp::Write(w) => (w, redirect::write_flags(false), false),
                RedirOp::Append(w) => (w, redirect::write_flags(true), false),
                RedirOp::WriteBoth(w) => (w, redirect::write_flags(false), true),
                RedirOp::AppendBoth(w) => (w, redirect::write_flags(true), true),
            };
            let path = self
                .expand_target(word)
                .map_err(|e| format!("{}\n", e.message()))?;
            steps.push(Step::Open {
                fd: red.fd,
                path,
                flags,
                both,
            });
        }
        Plan::open(base, &steps).map_err(|m| format!("{m}\n"))
    }

    fn run_if(&mut self, i: &If) -> Res {
        for (cond, body) in &i.branches {
            if self.in_cond(|sh| sh.run_list(cond))? == 0 {
                return self.run_list(body);
            }
        }
        match &i.otherwise {
            Some(body) => self.run_list(body),
            None => Ok(0),
        }
    }

    /// Runs `body` once as a loop iteration; Some(result) when the loop
    /// must stop.
    fn loop_step(&mut self, body: &List, st: &mut i32) -> Option<Res> {
        match self.run_list(body) {
            Ok(s) => *st = s,
            Err(Flow::Break(n)) => {
                return Some(if n > 1 {
                    Err(Flow::Break(n - 1))
                } else {
                    Ok(*st)
                });
            }
            Err(Flow::Continue(n)) if n > 1 => return Some(Err(Flow::Continue(n - 1))),
            Err(Flow::Continue(_)) => {}
            Err(e) => return Some(Err(e)),
        }
        None
    }

    fn run_while(&mut self, w: &While) -> Res {
        self.loop_depth += 1;
        let mut st = 0;
        let r = loop {
            match self.in_cond(|sh| sh.run_list(&w.cond)) {
                Ok(0) => {}
                Ok(_) => break Ok(st),
                Err(e) => break Err(e),
            }
            if let Some(r) = self.loop_step(&w.body, &mut st) {
                break r;
            }
        };
        self.loop_depth -= 1;
        r
    }

    fn run_for(&mut self, f: &For) -> Res {
        let items = match self.expand_words(&f.words) {
            Ok(v) => v,
            Err(e) => return self.expand_failed(e),
        };
        self.loop_depth += 1;
        let mut st = 0;
        let mut r = Ok(0);
        for item in items {
            self.set_var(&f.var, item);
            if let Some(x) = self.loop_step(&f.body, &mut st) {
                r = x;
                break;
            }
            r = Ok(st);
        }
        self.loop_depth -= 1;
        r
    }

    fn run_control(&mut self, kind: ControlKind, arg: Option<&Word>) -> Res {
        let name = match kind {
            ControlKind::Break => "break",
            ControlKind::Continue => "continue",
            ControlKind::Return => "return",
            ControlKind::Exit => "exit",
        };
        let n = match arg {
            None => None,
            Some(w) => {
                let s = match self.expand_string(w) {
                    Ok(s) => s,
                    Err(e) => return self.expand_failed(e),
                };
                match s.trim().parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        sys::err(&format!("psh: {name}: {s}: numeric argument required\n"));
                        return match kind {
                            ControlKind::Exit => Err(Flow::Exit(2)),
                            _ => Ok(2),
                        };
                    }
                }
            }
        };
        match kind {
            ControlKind::Break | ControlKind::Continue => {
                if self.loop_depth == 0 {
                    sys::err(&format!("psh: {name}: only meaningful in a loop\n"));
                    return Ok(0);
                }
                let n = n.unwrap_or(1);
                if n < 1 {
                    sys::err(&format!("psh: {name}: {n}: loop count out of range\n"));
                    return Ok(1);
                }
                let n = (n as usize).min(self.loop_depth);
                Err(if kind == ControlKind::Break {
                    Flow::Break(n)
                } else {
                    Flow::Continue(n)
                })
            }
            ControlKind::Return => {
                if self.fn_depth == 0 && self.source_depth == 0 {
                    sys::err("psh: return: can only return from a function or a sourced file\n");
                    return Ok(1);
                }
                Err(Flow::Return(n.map_or(self.status, |n| (n & 0xff) as i32)))
            }
            ControlKind::Exit => {
                if self.interactive
                    && !self.exit_warned
                    && self.jobs.jobs.iter().any(|j| j.stopped())
                {
                    self.exit_warned = true;
                    sys::err("There are stopped jobs.\n");
                    return Ok(1);
                }
                Err(Flow::Exit(n.map_or(self.status, |n| (n & 0xff) as i32)))
            }
        }
    }

    // ------------------------------------------------------------ simple commands

    /// Expand a simple command's assignments and words.
    pub fn expand_simple(&mut self, s: &Simple) -> Result<Expanded, ExpandError> {
        let mut assigns = Vec::with_capacity(s.assigns.len());
        for (name, w) in &s.assigns {
            assigns.push((name.clone(), self.expand_string(w)?));
        }
        let argv = self.expand_words(&s.words)?;
        Ok(Expanded { argv, assigns })
    }

    /// An expansion error: a message; a script stops there, as in sh.
    pub fn expand_failed(&mut self, e: ExpandError) -> Res {
        sys::err(&format!("{}\n", e.message()));
        let st = e.status();
        if !self.interactive && !matches!(e, ExpandError::Ambiguous(_)) {
            return Err(Flow::Exit(st));
        }
        Ok(st)
    }

    fn run_simple(&mut self, s: &Simple) -> Res {
        self.subst_status = None;
        match self.expand_simple(s) {
            Ok(ex) => self.run_expanded(s, ex),
            Err(e) => self.expand_failed(e),
        }
    }

    /// Run a simple command whose words are expanded: assignments, a
    /// function, a builtin, or an external program.
    pub fn run_expanded(&mut self, s: &Simple, ex: Expanded) -> Res {
        let Some(name) = ex.argv.first() else {
            for (n, v) in ex.assigns {
                self.set_var(&n, v);
            }
            if !s.redirects.is_empty() {
                // `> file` alone creates or truncates the file.
                if let Err(m) = self.open_redirects(&s.redirects, &[]) {
                    sys::err(&m);
                    return Ok(1);
                }
            }
            return Ok(self.subst_status.take().unwrap_or(0));
        };
        if self.opts.xtrace {
            let mut line = String::from("+");
            for (n, v) in &ex.assigns {
                line.push_str(&format!(" {n}={v}"));
            }
            for a in &ex.argv {
                line.push(' ');
                line.push_str(a);
            }
            line.push('\n');
            sys::err(&line);
        }
        if let Some(f) = self.funcs.get(name).cloned() {
            return self.with_temp_env(&ex.assigns, |sh| {
                sh.with_redirects(&s.redirects, |sh| sh.call_function(&f, &ex.argv))
            });
        }
        if builtins::is_builtin(name) {
            return self.with_temp_env(&ex.assigns, |sh| {
                sh.with_redirects(&s.redirects, |sh| sh.builtin(&ex.argv))
            });
        }
        let plan = match self.open_redirects(&s.redirects, &[]) {
            Ok(p) => p,
            Err(m) => {
                sys::err(&m);
                return Ok(1);
            }
        };
        let group = self.group_for(None, true);
        let l = self.spawn_external(&ex, &plan.moves, group);
        drop(plan);
        Ok(self.wait_foreground(&[l]))
    }

    /// Run `f` with `NAME=value` prefixes set and exported, then restore.
    fn with_temp_env(
        &mut self,
        assigns: &[(String, String)],
        f: impl FnOnce(&mut Shell) -> Res,
    ) -> Res {
        if assigns.is_empty() {
            return f(self);
        }
        let saved: Vec<_> = assigns
            .iter()
            .map(|(n, v)| {
                let old = self.vars.take(n);
                self.vars.export(n, Some(v.clone()));
                (n.clone(), old)
            })
            .collect();
        let r = f(self);
        for (n, old) in saved.into_iter().rev() {
            self.vars.put_back(&n, old);
        }
        r
    }

    pub fn set_var(&mut self, name: &str, value: String) {
        if name == "PATH" {
            self.path_cache.forget();
        }
        self.vars.set(name, value);
    }

    fn call_function(&mut self, f: &FnDef, argv: &[String]) -> Res {
        if self.fn_depth >= MAX_CALL_DEPTH {
            sys::err(&format!(
                "psh: {}: functions nested more than {MAX_CALL_DEPTH} deep\n",
                f.name
            ));
            return Ok(1);
        }
        let saved = std::mem::replace(&mut self.args, argv.get(1..).unwrap_or(&[]).to_vec());
        self.fn_depth += 1;
        let saved_loops = std::mem::replace(&mut self.loop_depth, 0);
        let r = self.run_list(&f.body);
        self.loop_depth = saved_loops;
        self.fn_depth -= 1;
        self.args = saved;
        match r {
            Err(Flow::Return(n)) => Ok(n),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(self.status),
            other => other,
        }
    }

    /// posix_spawn an external command with its descriptors `moves`.
    pub fn spawn_external(&mut self, ex: &Expanded, moves: &[FdMove], group: Group) -> Launched {
        let Some(name) = ex.argv.first() else {
            return Launched::Done(0);
        };
        // Errors go where the command's stderr would have gone.
        let report = |msg: String| {
            let fd = moves.iter().rev().find(|m| m.0 == 2).map_or(2, |m| m.1);
            let _ = sys::write_all(fd, msg.as_bytes());
        };
        let path_var = self.vars.get("PATH").unwrap_or("").to_string();
        let Some(path) = self.path_cache.lookup(name, &path_var) else {
            report(format!("psh: {name}: command not found\n"));
            return Launched::Done(127);
        };
        let argv: Result<Vec<CString>, _> =
            ex.argv.iter().map(|a| CString::new(a.as_bytes())).collect();
        let Ok(argv) = argv else {
            report(format!("psh: {name}: an argument contains a NUL byte\n"));
            return Launched::Done(1);
        };
        let mut retried = false;
        loop {
            let envp = self.vars.envp(&ex.assigns);
            let r = spawn::spawn(&path, &argv, &envp, moves, group);
            drop(envp);
            match r {
                Ok(pid) => {
                    spawn::set_group(pid, group);
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
                    return match spawn::spawn(c"/bin/sh", &sh_argv, &envp, moves, group) {
                        Ok(pid) => {
                            spawn::set_group(pid, group);
                            Launched::Pid(pid)
                        }
                        Err(e) => {
                            let (m, st) = spawn::spawn_error(name, e);
                            report(format!("{m}\n"));
                            Launched::Done(st)
                        }
                    };
                }
                Err(e) => {
                    let (m, st) = spawn::spawn_error(name, e);
                    report(format!("{m}\n"));
                    return Launched::Done(st);
                }
            }
        }
    }

    // ------------------------------------------------------------ $(…)

    /// Run `list` with its stdout into a pipe; its output without trailing
    /// newlines.  The shell reads while the child runs, so any amount of
    /// output works.
    pub fn command_substitution(&mut self, list: &List) -> String {
        let (r, w) = match sys::pipe() {
            Ok(p) => p,
            Err(e) => {
                sys::err(&format!("psh: pipe: {}\n", e.desc()));
                self.subst_status = Some(1);
                return String::new();
            }
        };
        let moves = [(1, w.raw())];
        let l = match single_command(list) {
            Some(cmd) => self.launch(cmd, &moves, Group::Inherit),
            None => self.fork_run(&moves, Group::Inherit, |sh| sh.run_list(list)),
        };
        drop(w);
        let mut buf = Vec::new();
        let _ = sys::read_to_end(r.raw(), &mut buf);
        drop(r);
        let st = match l {
            Launched::Pid(pid) => self.wait_exit(pid).map_or(0, ProcState::status),
            Launched::Done(st) => st,
        };
        self.status = st;
        self.subst_status = Some(st);
        while buf.last() == Some(&b'\n') {
            buf.pop();
        }
        match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }
}

fn trace_wait(pid: Pid, st: ProcState) {
    if crate::trace::on() {
        let what = match st {
            ProcState::Exited(n) => format!("exited {n}"),
            ProcState::Killed(s) => format!("killed by {}", s.as_str()),
            ProcState::Stopped(s) => format!("stopped by {}", s.as_str()),
            ProcState::Running => "continued".into(),
        };
        crate::trace::event(&format!("waitpid({pid}) → {what}"));
    }
}

fn proc_of(l: Launched) -> Proc {
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

/// The one command of a list that is just one simple stage, if it is.
fn single_command(list: &List) -> Option<&Command> {
    match list.0.as_slice() {
        [job] if !job.background && job.body.rest.is_empty() => {
            let p = &job.body.first;
            match p.stages.as_slice() {
                [cmd] if !p.negate && !p.explain && !p.spawn => Some(cmd),
                _ => None,
            }
        }
        _ => None,
    }
}
