//! `$(…)`: the list runs with its stdout into a pipe that the shell reads
//! to the end, then the child is reaped; a builtin that only writes runs
//! in the shell itself, its output caught in an anonymous file (no fork;
//! so does such a builtin feeding a pipeline's pipe, `stage_in_shell`);
//! trailing newlines are removed.  Also the shell's side of expansion:
//! `Shell` implements `expand::Env` (variables, lists, the computed
//! `$RANDOM`/`$LINENO`/…).  Splitting the output is expansion's job.

use crate::exec::jobs::ProcState;
use crate::exec::pipeline::Launched;
use crate::exec::pure::simple_is_pure;
use crate::exec::shell::Shell;
use crate::exec::wait::settle_interrupt;
use crate::expand::{Dynamic, Env, Ex, ExpandError, Expander};
use crate::lang::ast::*;
use crate::os::spawn::Group;
use crate::os::{signals, sys};

impl Shell {
    /// Run `list` with its stdout into a pipe; its output without trailing
    /// newlines.  The shell reads while the child runs, so any amount of
    /// output works.
    pub fn command_substitution(&mut self, list: &List) -> String {
        if let Some(Command::Simple(s)) = single_command(list) {
            if let Some(buf) = self.builtin_output(s) {
                return finish(buf);
            }
        }
        let (r, w) = match sys::pipe() {
            Ok(p) => p,
            Err(e) => {
                sys::err(&format!("psh: pipe: {}\n", e.desc()));
                self.subst_status = Some(1);
                return String::new();
            }
        };
        let moves = [(1, w.raw())];
        let interrupted_before = signals::interrupted();
        // One simple command is expanded here and spawned directly, unless
        // its expansion could change the shell (`$((i++))`, `${x:=…}`),
        // which must happen in the child, as in any subshell.
        let l = match single_command(list) {
            Some(cmd @ Command::Simple(s)) if simple_is_pure(s) => {
                self.launch(cmd, &moves, Group::Inherit, false)
            }
            _ => self.fork_run(&moves, Group::Inherit, |sh| sh.run_list(list)),
        };
        drop(w);
        let mut buf = Vec::new();
        let _ = sys::read_to_end(r.raw(), &mut buf);
        drop(r);
        let state = match l {
            Launched::Pid(pid) => self.wait_exit(pid).unwrap_or(ProcState::Exited(0)),
            Launched::Done(st) => ProcState::Exited(st),
        };
        settle_interrupt(&[state], interrupted_before, false);
        let st = state.status();
        self.status = st;
        self.subst_status = Some(st);
        finish(buf)
    }

    /// `$(echo …)`, `$(printf …)`, `$(pwd)` and other builtins that only
    /// write: run in the shell itself, the output caught in an anonymous
    /// file — no fork.  None (nothing run) for anything else, decided
    /// before expanding (`writes_here`), so the words are expanded once
    /// whichever way the command then runs.
    fn builtin_output(&mut self, s: &Simple) -> Option<Vec<u8>> {
        self.writes_here(s)?;
        let ex = match self.expand_simple(s) {
            Ok(ex) => ex,
            Err(e) => {
                // As the child would have: the message, its status.
                if !matches!(e, ExpandError::Interrupted(_)) {
                    sys::err(&format!("{}\n", e.message()));
                }
                self.status = e.status();
                self.subst_status = Some(e.status());
                return Some(Vec::new());
            }
        };
        let (buf, st) = self.caught(s, ex).unwrap_or_else(|| {
            sys::err("psh: $(…): cannot catch the output\n");
            (Vec::new(), 1)
        });
        self.status = st;
        self.subst_status = Some(st);
        Some(buf)
    }

    /// Run the expanded builtin `ex` here with its stdout caught in an
    /// anonymous file: what it wrote and its status.
    fn caught(&mut self, s: &Simple, ex: crate::exec::simple::Expanded) -> Option<(Vec<u8>, i32)> {
        let file = sys::data_fd(b"").ok()?;
        let plan = super::redirect::Plan::base(&[(1, file.raw())]);
        let guard = plan.apply_here().ok()?;
        let st = match self.run_expanded(s, ex) {
            Ok(st) => st,
            Err(_) => self.status,
        };
        drop(guard);
        let mut buf = Vec::new();
        sys::rewind(file.raw()).ok()?;
        let _ = sys::read_to_end(file.raw(), &mut buf);
        Some((buf, st))
    }

    /// The name of `s` when it may run in the shell itself with its output
    /// caught: a builtin that only writes (`writes_only`), named by a
    /// literal word (for `printf` and `command`, with a literal first
    /// argument: `-v` changes what they do), without assignments, whose expansion
    /// cannot change the shell (`pure.rs`).  Decided on the words before
    /// they are expanded; `explain` asks the same.
    pub fn writes_here<'a>(&self, s: &'a Simple) -> Option<&'a str> {
        let name = s.words.first()?.as_plain()?;
        let arg1 = match s.words.get(1).map(Word::as_plain) {
            Some(Some(a)) => Some(a),
            // Known only once expanded: `printf -v`, `command -v` hang on it.
            Some(None) if matches!(name, "printf" | "command") => return None,
            _ => None,
        };
        (s.assigns.is_empty() && self.writes_only(name, arg1) && simple_is_pure(s)).then_some(name)
    }

    /// `writes_here`, as a pipeline stage before a pipe: also without
    /// redirections (its output all goes to the pipe; a write to a dead
    /// reader elsewhere would end psh, not a child).
    pub fn stays_in_shell(&self, s: &Simple) -> bool {
        s.redirects.is_empty() && self.writes_here(s).is_some()
    }

    /// A pipeline stage that is a builtin that only writes (`echo a | …`,
    /// named by a plain word), its output into the pipe `w`: run in the
    /// shell itself, no fork, as `$(…)` does.  The next stage has not
    /// started and the shell holds the pipe's read end, so the output is
    /// written whole when it fits the empty pipe; more is left to a forked
    /// writer.  None (nothing run): launch the stage as usual.
    pub(crate) fn stage_in_shell(
        &mut self,
        s: &Simple,
        w: &sys::Fd,
        group: Group,
    ) -> Option<Launched> {
        if !s.redirects.is_empty() {
            return None;
        }
        let name = self.writes_here(s)?;
        let ex = match self.expand_simple(s) {
            Ok(ex) => ex,
            Err(e) => {
                sys::err(&format!("{}\n", e.message()));
                return Some(Launched::Done(e.status()));
            }
        };
        let Some((buf, st)) = self.caught(s, ex) else {
            sys::err(&format!("psh: {name}: cannot catch its output\n"));
            return Some(Launched::Done(1));
        };
        if crate::os::trace::on() {
            crate::os::trace::event(&format!(
                "{name} ran in psh itself: {} bytes into the pipe, no fork",
                buf.len()
            ));
        }
        if sys::pipe_takes(w.raw(), buf.len()) {
            return Some(match sys::write_all(w.raw(), &buf) {
                Ok(()) => Launched::Done(st),
                Err(e) => {
                    sys::err(&format!("psh: {name}: write error: {}\n", e.desc()));
                    Launched::Done(1)
                }
            });
        }
        Some(self.fork_run(&[(1, w.raw())], group, move |_| {
            Ok(match sys::write_all(1, &buf) {
                Ok(()) => st,
                Err(_) => 1,
            })
        }))
    }
}

impl Shell {
    /// `name` (with its first argument `arg1`) is a builtin that only
    /// writes: `$(…)` may run it in the shell itself, and `explain` says
    /// so.  A function of that name is not.
    pub fn writes_only(&self, name: &str, arg1: Option<&str>) -> bool {
        let builtin = match name {
            "echo" | "pwd" | "type" | "test" | "[" | "true" | "false" | ":" => true,
            // `printf -v` assigns.
            "printf" => arg1 != Some("-v"),
            "command" => matches!(arg1, Some("-v" | "-V")),
            _ => false,
        };
        builtin && !self.funcs.contains_key(name)
    }
}

/// Output of `$(…)` as a value: trailing newlines removed, NUL bytes
/// dropped (a value cannot hold one; bash drops them too).
fn finish(mut buf: Vec<u8>) -> String {
    while buf.last() == Some(&b'\n') {
        buf.pop();
    }
    if buf.contains(&0) {
        buf.retain(|&b| b != 0);
    }
    crate::os::text::decode_owned(buf)
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

impl Env for Shell {
    fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name)
    }
    fn positional(&self, n: usize) -> Option<&str> {
        match n {
            0 => Some(&self.arg0),
            n => self.args.get(n - 1).map(String::as_str),
        }
    }
    fn args(&self) -> &[String] {
        &self.args
    }
    fn special(&self, c: char) -> String {
        match c {
            '?' => self.status.to_string(),
            '$' => self.pid.to_string(),
            '!' => self.last_bg.map(|p| p.to_string()).unwrap_or_default(),
            '#' => self.args.len().to_string(),
            '*' => self.args.join(" "),
            _ => String::new(),
        }
    }
    fn nounset(&self) -> bool {
        self.opts.nounset
    }
    fn lookup(&self, name: &str) -> Option<(&str, Option<&[String]>)> {
        self.vars.get_with_list(name)
    }
    fn set_var(&mut self, name: &str, value: String) {
        Shell::set_var(self, name, value);
    }
    fn dynamic(&mut self, name: &str) -> Option<Dynamic> {
        Some(Dynamic::Value(match name {
            "RANDOM" => {
                // xorshift32; 15 bits as bash.
                let mut x = self.random;
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                self.random = x;
                (x & 0x7fff).to_string()
            }
            "SECONDS" => self.started.elapsed().as_secs().to_string(),
            "LINENO" => self.lineno.to_string(),
            "PPID" => nix::unistd::getppid().as_raw().to_string(),
            "pipestatus" => {
                return Some(Dynamic::List(
                    self.pipestatus.iter().map(i32::to_string).collect(),
                ))
            }
            _ => return None,
        }))
    }
    fn command_subst(&mut self, list: &List) -> Ex<String> {
        let text = self.command_substitution(list);
        match signals::take_interrupt() {
            Some(sig) => Err(ExpandError::Interrupted(sig as i32)),
            None => Ok(text),
        }
    }
}

impl Shell {
    /// Command words → fields (split and globbed).
    pub fn expand_words(&mut self, words: &[Word]) -> Ex<Vec<String>> {
        Expander::new(self).words(words)
    }

    /// One string: no splitting, no globbing (assignment values).
    /// An assignment's value: one string (`~` after `:` was made a tilde
    /// part by the parser).
    pub fn expand_assign_word(&mut self, w: &Word) -> Ex<String> {
        self.expand_string(w)
    }

    pub fn expand_string(&mut self, w: &Word) -> Ex<String> {
        Expander::new(self).string(w)
    }

    /// Does `subject` match the `match` pattern `w` (`*` crosses `/`)?
    pub fn pattern_matches(&mut self, w: &Word, subject: &str) -> Ex<bool> {
        let p = Expander::new(self).pattern(w)?;
        Ok(crate::expand::pattern::Pattern::new(&p).matches(subject))
    }

    /// A redirection target: exactly one field.
    pub fn expand_target(&mut self, w: &Word) -> Ex<String> {
        Expander::new(self).target(w)
    }
}
