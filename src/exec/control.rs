//! `break`, `continue`, `return` and `exit`: their words expanded and
//! checked at run time (as bash does), turned into the `Flow` that unwinds
//! the evaluator.  A bad argument is a message and a status, never a
//! syntax error of the whole script.  Never runs a command.

use crate::exec::shell::{Flow, Res, Shell};
use crate::lang::ast::*;
use crate::os::sys;

/// The argument of a control command once expanded.
enum Arg {
    /// None given (or it expanded to nothing): the default.
    Default,
    Number(i64),
    /// Not a number: the text, for the message.
    Bad(String),
    TooMany,
}

impl Shell {
    fn control_arg(&mut self, words: &[Word]) -> Result<Arg, Res> {
        let fields = match self.expand_words(words) {
            Ok(f) => f,
            Err(e) => return Err(self.expand_failed(e)),
        };
        Ok(match fields.as_slice() {
            [] => Arg::Default,
            [one] if one.trim().is_empty() => Arg::Default,
            [one] => match one.trim().parse::<i64>() {
                Ok(n) => Arg::Number(n),
                Err(_) => Arg::Bad(one.clone()),
            },
            _ => Arg::TooMany,
        })
    }

    pub(crate) fn run_control(&mut self, kind: ControlKind, words: &[Word]) -> Res {
        let name = match kind {
            ControlKind::Break => "break",
            ControlKind::Continue => "continue",
            ControlKind::Return => "return",
            ControlKind::Exit => "exit",
        };
        let arg = match self.control_arg(words) {
            Ok(a) => a,
            Err(r) => return r,
        };
        match arg {
            Arg::Bad(ref s) => sys::err(&format!("psh: {name}: {s}: numeric argument required\n")),
            Arg::TooMany => sys::err(&format!("psh: {name}: too many arguments\n")),
            _ => {}
        }
        match kind {
            ControlKind::Break | ControlKind::Continue => self.leave_loop(kind, name, arg),
            ControlKind::Return => {
                if self.fn_depth == 0 && self.source_depth == 0 {
                    sys::err("psh: return: can only return from a function or a sourced file\n");
                    return Ok(2);
                }
                Err(Flow::Return(match arg {
                    Arg::Default => self.status,
                    Arg::Number(n) => (n & 0xff) as i32,
                    Arg::Bad(_) | Arg::TooMany => 2,
                }))
            }
            ControlKind::Exit => self.exit_shell(arg),
        }
    }

    /// `break [N]`, `continue [N]`.  The loop left by `break` has status 0;
    /// a bad argument ends a script with 128 (bash), and at the prompt
    /// leaves the loop with status 128.
    fn leave_loop(&mut self, kind: ControlKind, name: &str, arg: Arg) -> Res {
        if self.loop_depth == 0 {
            sys::err(&format!("psh: {name}: only meaningful in a loop\n"));
            return Ok(0);
        }
        let n = match arg {
            Arg::Default => 1,
            Arg::Number(n) if n >= 1 => n,
            Arg::Number(n) => {
                sys::err(&format!("psh: {name}: {n}: loop count out of range\n"));
                return Ok(1);
            }
            // bash: a script ends with 128; at the prompt the loop is left.
            Arg::Bad(_) | Arg::TooMany if !self.interactive => return Err(Flow::Exit(128)),
            Arg::Bad(_) | Arg::TooMany => {
                self.status = 128;
                return Err(Flow::Break(1));
            }
        };
        let n = usize::try_from(n)
            .unwrap_or(usize::MAX)
            .min(self.loop_depth);
        self.status = 0;
        Err(if kind == ControlKind::Break {
            Flow::Break(n)
        } else {
            Flow::Continue(n)
        })
    }

    /// `exit [N]`: with stopped jobs an interactive shell warns once.
    fn exit_shell(&mut self, arg: Arg) -> Res {
        if self.interactive && !self.exit_warned && self.jobs.jobs.iter().any(|j| j.stopped()) {
            self.exit_warned = true;
            sys::err("There are stopped jobs.\n");
            return Ok(1);
        }
        match arg {
            Arg::Default => Err(Flow::Exit(self.status)),
            Arg::Number(n) => Err(Flow::Exit((n & 0xff) as i32)),
            Arg::Bad(_) => Err(Flow::Exit(2)),
            // bash: an interactive shell stays; a script ends with 1.
            Arg::TooMany if self.interactive => Ok(1),
            Arg::TooMany => Err(Flow::Exit(1)),
        }
    }
}
