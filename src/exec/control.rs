//! `break`, `continue`, `return` and `exit`: their argument expanded and
//! checked at run time, turned into the `Flow` that unwinds the
//! evaluator.  Never runs a command.

use crate::exec::shell::{Flow, Res, Shell};
use crate::lang::ast::*;
use crate::os::sys;

impl Shell {
    pub(crate) fn run_control(&mut self, kind: ControlKind, arg: Option<&Word>) -> Res {
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
}
