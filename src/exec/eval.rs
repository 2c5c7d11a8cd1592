//! The evaluator, in the shape of xv6's `sh.c`: one `match` over the
//! node kinds (`run_command`), each arm a call into the module of the
//! primitive it stands for — a simple command (`simple`), a pipeline
//! (`pipeline`: pipe + spawn × N + waitpid), `&` (a spawn without wait),
//! `( … )` (fork), a redirection (`redirect`: open + dup2), a handler
//! block (`traps`), a lab command (`lab`).  Lists, and/or, `if` and loops
//! are control flow in the shell itself.  Nothing here spawns, opens or
//! waits directly.

use crate::exec::shell::{max_eval_depth, Flow, Res, Shell};
use crate::lang::ast::*;
use crate::os::{signals, sys};

impl Shell {
    // ------------------------------------------------------------ lists

    pub fn run_list(&mut self, list: &List) -> Res {
        self.run_slice(&list.0)
    }

    /// One top-level job of a script (no list built around it).
    pub fn run_top(&mut self, job: &Job) -> Res {
        self.run_slice(std::slice::from_ref(job))
    }

    fn run_slice(&mut self, jobs: &[Job]) -> Res {
        let max = max_eval_depth();
        if self.depth >= max {
            sys::err(&format!(
                "psh: blocks and calls nested more than {max} deep\n"
            ));
            return Ok(2);
        }
        self.depth += 1;
        let r = self.run_jobs(jobs);
        self.depth -= 1;
        r
    }

    pub(crate) fn run_jobs(&mut self, jobs: &[Job]) -> Res {
        for job in jobs {
            self.lineno = job.line;
            let st = if job.background {
                self.start_background(job)
            } else {
                self.run_and_or(&job.body)?
            };
            self.status = st;
            self.jobs.reap();
            self.run_pending_traps()?;
            // A plain load on the common path; the swap only when set.
            if !signals::interrupted() {
                continue;
            }
            if let Some(sig) = signals::take_interrupt() {
                self.status = 128 + sig as i32;
                return Err(Flow::Interrupted(sig as i32));
            }
        }
        Ok(self.status)
    }

    /// Run `f` as a condition: `set -e` does not fire inside it.
    pub(crate) fn in_cond<T>(&mut self, f: impl FnOnce(&mut Shell) -> T) -> T {
        self.cond_depth += 1;
        let ignored = self.errexit_ignored;
        let r = f(self);
        self.errexit_ignored = ignored;
        self.cond_depth -= 1;
        r
    }

    pub(crate) fn run_and_or(&mut self, ao: &AndOr) -> Res {
        if ao.rest.is_empty() {
            return self.run_pipeline_checked(&ao.first);
        }
        let mut st = self.in_cond(|sh| sh.run_pipeline(&ao.first))?;
        // The status comes from a part where `set -e` is ignored until the
        // last pipeline runs.
        let mut ignored = true;
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
                ignored = false;
                self.run_pipeline_checked(p)?
            } else {
                self.in_cond(|sh| sh.run_pipeline(p))?
            };
        }
        if ignored {
            self.errexit_ignored = true;
        }
        Ok(st)
    }

    /// A pipeline whose failure ends the shell under `set -e` — unless it
    /// is negated, or it is a group, `if` or loop whose status came from a
    /// command where `set -e` was ignored (`{ false && true; }`), as bash.
    pub(crate) fn run_pipeline_checked(&mut self, p: &Pipeline) -> Res {
        let st = self.run_pipeline(p)?;
        let compound = matches!(
            p.stages.as_slice(),
            [Command::Group(..)
                | Command::If(..)
                | Command::While(..)
                | Command::For(..)
                | Command::Match(..)]
        );
        let ignored = p.negate || (compound && self.errexit_ignored);
        self.errexit_ignored = ignored;
        if st != 0 && self.opts.errexit && self.cond_depth == 0 && !ignored {
            return Err(Flow::Exit(st));
        }
        Ok(st)
    }

    // ------------------------------------------------------------ pipelines

    pub(crate) fn run_pipeline(&mut self, p: &Pipeline) -> Res {
        if p.explain {
            return Ok((self.hooks.explain)(self, p));
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
                let before = signals::interrupted();
                let launched = self.launch_pipeline(stages, true);
                self.wait_foreground(&launched, before)
            }
        };
        if p.stages.len() == 1 {
            self.pipestatus.clear();
            self.pipestatus.push(st);
        }
        Ok(if p.negate { i32::from(st == 0) } else { st })
    }

    // ------------------------------------------------------------ commands

    pub fn run_command(&mut self, cmd: &Command) -> Res {
        match cmd {
            Command::Simple(s) => self.run_simple(s),
            Command::Group(list, r) => self.with_redirects(r, |sh| sh.run_list(list)),
            Command::Subshell(list, r) => self.run_in_child(r, |sh, moves, group| {
                sh.fork_run(moves, group, |sh| sh.run_list(list))
            }),
            Command::If(i, r) => self.with_redirects(r, |sh| sh.run_if(i)),
            Command::While(w, r) => self.with_redirects(r, |sh| sh.run_while(w)),
            Command::For(f, r) => self.with_redirects(r, |sh| sh.run_for(f)),
            Command::Match(m, r) => self.with_redirects(r, |sh| sh.run_match(m)),
            Command::FnDef(f) => {
                self.funcs.insert(f.clone());
                Ok(0)
            }
            Command::Handler(h) => self.arm_handler(h),
            Command::Lab(l) => self.with_redirects(&l.redirects, |sh| sh.run_lab(l)),
            Command::Control(kind, args, r) => {
                self.with_redirects(r, |sh| sh.run_control(*kind, args))
            }
        }
    }

    /// `threads N …` / `procs N …`: the shell has no other threads when it
    /// forks, and the lab joins every thread before it returns.
    pub(crate) fn run_lab(&mut self, l: &Lab) -> Res {
        let args = match self.expand_words(&l.args) {
            Ok(a) => a,
            Err(e) => return self.expand_failed(e),
        };
        let mode = match l.kind {
            LabKind::Threads => crate::lab::Mode::Threads,
            LabKind::Procs => crate::lab::Mode::Procs,
        };
        // Handler blocks run while a threads run goes on; an `exit` in one
        // stops the run, then leaves.
        let mut exit = None;
        let st = crate::lab::run(mode, &args, &mut || match self.run_pending_traps() {
            Err(Flow::Exit(n)) => {
                exit = Some(n);
                true
            }
            _ => false,
        });
        match exit {
            Some(n) => Err(Flow::Exit(n)),
            None => Ok(st),
        }
    }

    pub(crate) fn run_if(&mut self, i: &If) -> Res {
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
    pub(crate) fn loop_step(&mut self, body: &List, st: &mut i32) -> Option<Res> {
        let r = self.run_list(body);
        self.loop_flow(r, st)
    }

    /// What a loop does with how its body (or condition) ended: go on
    /// (None), or stop with this result.  A loop left by `break` has the
    /// status `break` set (0; 128 for a bad argument).
    fn loop_flow(&mut self, r: Res, st: &mut i32) -> Option<Res> {
        match r {
            Ok(s) => *st = s,
            Err(Flow::Break(n)) => {
                return Some(if n > 1 {
                    Err(Flow::Break(n - 1))
                } else {
                    Ok(self.status)
                });
            }
            Err(Flow::Continue(n)) if n > 1 => return Some(Err(Flow::Continue(n - 1))),
            Err(Flow::Continue(_)) => {}
            Err(e) => return Some(Err(e)),
        }
        None
    }

    pub(crate) fn run_while(&mut self, w: &While) -> Res {
        self.loop_depth += 1;
        let mut st = 0;
        let r = loop {
            match self.in_cond(|sh| sh.run_list(&w.cond)) {
                Ok(0) => {}
                Ok(_) => break Ok(st),
                // `break`/`continue` in the condition act on this loop too.
                Err(e) => match self.loop_flow(Err(e), &mut st) {
                    Some(r) => break r,
                    None => continue,
                },
            }
            if let Some(r) = self.loop_step(&w.body, &mut st) {
                break r;
            }
        };
        self.loop_depth -= 1;
        r
    }

    /// `match`: the word against each arm's patterns, in order; the first
    /// arm that matches runs (status 0 when none does).
    pub(crate) fn run_match(&mut self, m: &Match) -> Res {
        let subject = match self.expand_string(&m.word) {
            Ok(s) => s,
            Err(e) => return self.expand_failed(e),
        };
        for (patterns, body) in &m.arms {
            for p in patterns {
                let matched = match self.pattern_matches(p, &subject) {
                    Ok(b) => b,
                    Err(e) => return self.expand_failed(e),
                };
                if matched {
                    return self.run_list(body);
                }
            }
        }
        Ok(0)
    }

    pub(crate) fn run_for(&mut self, f: &For) -> Res {
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
}
