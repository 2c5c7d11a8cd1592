//! `exec`: without a command its redirections stay on psh for good
//! (`exec 3> log`, `exec 2>&1`, `exec 3>&-`); with one, psh is replaced
//! by the program (execve: same pid, the redirections applied, every
//! disposition psh changed back at the default).  Never forks.

use crate::exec::shell::{Flow, Res, Shell};
use crate::exec::simple::Expanded;
use crate::exec::spawn::spawn_error;
use crate::lang::ast::Simple;
use crate::os::{process, signals, sys};

impl Shell {
    /// After a failed exec: psh's dispositions as they were (start-up,
    /// interactive, job control, handler blocks).
    fn restore_signals(&mut self) {
        signals::init();
        if self.interactive {
            signals::interactive_defaults();
        }
        if self.monitor {
            signals::ignore_job_control();
        }
        for sig in self.traps.armed() {
            signals::trap(sig);
        }
    }

    /// `exec [CMD ARGS…] [REDIRECTIONS]`.
    pub(crate) fn run_exec(&mut self, s: &Simple, ex: &Expanded) -> Res {
        let plan = match self.open_redirects(&s.redirects, &[]) {
            Ok(p) => p,
            Err(m) => {
                sys::err(&m);
                return if self.interactive {
                    Ok(1)
                } else {
                    Err(Flow::Exit(1))
                };
            }
        };
        let restore = match plan.apply_here() {
            Ok(r) => r,
            Err(m) => {
                sys::err(&format!("{m}\n"));
                return Ok(1);
            }
        };
        let argv = ex.argv.get(1..).unwrap_or(&[]);
        let Some(name) = argv.first() else {
            // For good: the shell's descriptors stay as redirected.
            restore.keep();
            return Ok(0);
        };
        let path_var = self.path_for(&ex.assigns);
        let failed = |sh: &mut Shell, msg: String, st: i32| -> Res {
            sys::err(&msg);
            // A shell that could not exec goes on only interactively.
            if sh.interactive {
                Ok(st)
            } else {
                Err(Flow::Exit(st))
            }
        };
        let Some(path) = self.path_cache.lookup(name, &path_var) else {
            return failed(self, format!("psh: exec: {name}: not found\n"), 127);
        };
        let Some(args) = argv
            .iter()
            .map(|a| crate::os::text::cstring(a))
            .collect::<Option<Vec<_>>>()
        else {
            return failed(self, format!("psh: exec: {name}: a NUL byte\n"), 1);
        };
        let envp = self.vars.envp(&ex.assigns).into_owned();
        if let Some(t) = &self.term {
            t.take_back();
        }
        signals::reset_in_child();
        let e = process::exec_replace(&path, &args, &envp);
        // Still here: it failed; psh's own signal handling comes back.
        self.restore_signals();
        let (msg, st) = spawn_error(name, e);
        failed(self, format!("{msg}\n"), st)
    }
}
