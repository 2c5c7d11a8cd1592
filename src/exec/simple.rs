//! Simple commands: words expanded, then `NAME=value` prefixes (left to
//! right; lists and elements for plain assignments), a function call (its
//! positional parameters and `local` frame), a builtin (through the
//! shell's hooks) or an external program spawned and waited for.  Nothing
//! here parses or forks.

use crate::exec::shell::{Flow, Res, Shell, MAX_CALL_DEPTH};
use crate::expand::{ExpandError, Expander};
use crate::lang::ast::*;
use crate::os::{signals, sys};

/// A simple command with its words expanded.
#[derive(Debug, Default)]
pub struct Expanded {
    pub argv: Vec<String>,
    pub assigns: Vec<(String, String)>,
}

impl Shell {
    /// Expand a simple command's assignments and words.  Prefixes apply
    /// left to right: `A=1 B=$A cmd` gives B the value 1.
    pub fn expand_simple(&mut self, s: &Simple) -> Result<Expanded, ExpandError> {
        let mut assigns: Vec<(String, String)> = Vec::with_capacity(s.assigns.len());
        for a in &s.assigns {
            let literal = match &a.value {
                AssignValue::Word(w) => w.0.iter().all(|p| matches!(p, WordPart::Lit { .. })),
                AssignValue::List(_) => false,
            };
            let v = if assigns.is_empty() || literal {
                self.assign_text(a)?
            } else {
                // Let this value see the prefixes before it.
                let saved: Vec<_> = assigns
                    .iter()
                    .map(|(n, v)| {
                        let old = self.vars.take(n);
                        self.vars.set(n, v.clone());
                        (n.clone(), old)
                    })
                    .collect();
                let r = self.assign_text(a);
                for (n, old) in saved.into_iter().rev() {
                    self.vars.put_back(&n, old);
                }
                r?
            };
            assigns.push((a.name.clone(), v));
        }
        let decl = matches!(
            s.words.first().map(|w| w.0.as_slice()),
            Some([WordPart::Lit { text, .. }]) if text == "export" || text == "local"
        );
        let argv = if decl {
            self.expand_declaration(&s.words)?
        } else {
            self.expand_words(&s.words)?
        };
        Ok(Expanded { argv, assigns })
    }

    /// `export NAME=value`, `local NAME=value`: such a word is expanded as
    /// an assignment (one word, never globbed), as bash does.
    fn expand_declaration(&mut self, words: &[Word]) -> Result<Vec<String>, ExpandError> {
        let mut argv = Vec::with_capacity(words.len());
        for w in words {
            let assignment = match w.0.first() {
                Some(WordPart::Lit {
                    text,
                    quoted: false,
                }) => text
                    .split_once('=')
                    .is_some_and(|(n, _)| crate::exec::vars::valid_name(n)),
                _ => false,
            };
            if assignment {
                argv.push(self.expand_string(w)?);
            } else {
                argv.extend(self.expand_words(std::slice::from_ref(w))?);
            }
        }
        Ok(argv)
    }

    /// A prefix's value as one word (a list is joined; `+=` appends).
    fn assign_text(&mut self, a: &Assign) -> Result<String, ExpandError> {
        let v = match &a.value {
            AssignValue::Word(w) => self.expand_assign_word(w)?,
            AssignValue::List(ws) => self.expand_words(ws)?.join(" "),
        };
        if a.append {
            return Ok(format!("{}{v}", self.var(&a.name).unwrap_or("")));
        }
        Ok(v)
    }

    /// `NAME=…` statements with no command: each is expanded and set in
    /// turn, lists and elements included.
    pub(crate) fn run_assignments(&mut self, s: &Simple) -> Res {
        for a in &s.assigns {
            if let Err(e) = self.assign(a) {
                return self.expand_failed(e);
            }
        }
        if !s.redirects.is_empty() {
            // `> file` alone creates or truncates the file.
            if let Err(m) = self.open_redirects(&s.redirects, &[]) {
                sys::err(&m);
                return Ok(1);
            }
        }
        Ok(self.subst_status.take().unwrap_or(0))
    }

    fn assign(&mut self, a: &Assign) -> Result<(), ExpandError> {
        if self.opts.xtrace {
            sys::err(&format!(
                "+ {}{}=…\n",
                a.name,
                if a.append { "+" } else { "" }
            ));
        }
        match (&a.index, &a.value) {
            (None, AssignValue::List(ws)) => {
                let mut items = self.expand_words(ws)?;
                if a.append {
                    let mut old = self.vars.elements(&a.name).unwrap_or_default();
                    old.append(&mut items);
                    items = old;
                }
                self.set_list(&a.name, items);
            }
            (None, AssignValue::Word(_)) => {
                let v = self.assign_text(a)?;
                if a.append && self.vars.list(&a.name).is_some() {
                    // `list+=word` adds an element.
                    let mut items = self.vars.elements(&a.name).unwrap_or_default();
                    let AssignValue::Word(w) = &a.value else {
                        return Ok(());
                    };
                    items.push(self.expand_assign_word(w)?);
                    self.set_list(&a.name, items);
                } else {
                    self.set_var(&a.name, v);
                }
            }
            (Some(ix), value) => {
                let v = match value {
                    AssignValue::Word(w) => self.expand_assign_word(w)?,
                    AssignValue::List(_) => {
                        return Err(ExpandError::Param(format!(
                            "{}[{ix}]: an element cannot hold a list",
                            a.name
                        )))
                    }
                };
                let i = Expander::new(self).arith(&ix.replace('$', ""))?;
                let mut items = self.vars.elements(&a.name).unwrap_or_default();
                let Some(k) = crate::expand::from_end(items.len(), i) else {
                    return Err(ExpandError::Param(format!(
                        "{}[{ix}]: bad subscript",
                        a.name
                    )));
                };
                if k > 1 << 24 {
                    return Err(ExpandError::Param(format!(
                        "{}[{ix}]: subscript too large",
                        a.name
                    )));
                }
                if items.len() <= k {
                    items.resize(k + 1, String::new());
                }
                items[k] = if a.append {
                    format!("{}{v}", items[k])
                } else {
                    v
                };
                self.set_list(&a.name, items);
            }
        }
        Ok(())
    }

    pub fn set_list(&mut self, name: &str, items: Vec<String>) {
        if name == "PATH" {
            self.path_cache.forget();
        }
        self.vars.set_list(name, items);
    }

    /// An expansion error: a message; a script stops there, as in sh.
    pub fn expand_failed(&mut self, e: ExpandError) -> Res {
        if let ExpandError::Interrupted(sig) = e {
            self.status = 128 + sig;
            return Err(Flow::Interrupted(sig));
        }
        sys::err(&format!("{}\n", e.message()));
        let st = e.status();
        if !self.interactive && !matches!(e, ExpandError::Ambiguous(_)) {
            return Err(Flow::Exit(st));
        }
        Ok(st)
    }

    pub(crate) fn run_simple(&mut self, s: &Simple) -> Res {
        self.subst_status = None;
        if s.words.is_empty() {
            return self.run_assignments(s);
        }
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
        if name == "exec" {
            return self.run_exec(s, &ex);
        }
        if let Some(f) = self.funcs.get(name).cloned() {
            let Expanded { argv, assigns } = ex;
            return self.with_temp_env(&assigns, |sh| {
                sh.with_redirects(&s.redirects, |sh| sh.call_function(&f, argv))
            });
        }
        if let Some(builtin) = (self.hooks.builtin)(name) {
            return self.with_temp_env(&ex.assigns, |sh| {
                sh.with_redirects(&s.redirects, |sh| {
                    builtin(sh, ex.argv.get(1..).unwrap_or(&[]))
                })
            });
        }
        self.run_in_child(&s.redirects, |sh, moves, group| {
            sh.spawn_external(&ex, moves, group)
        })
    }

    /// Run `f` with `NAME=value` prefixes set and exported, then restore.
    pub(crate) fn with_temp_env(
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

    /// `argv` is the function's name, then its arguments: they become `$1`…,
    /// taken, not copied.
    pub(crate) fn call_function(&mut self, f: &FnDef, mut argv: Vec<String>) -> Res {
        if self.fn_depth >= MAX_CALL_DEPTH {
            sys::err(&format!(
                "psh: {}: functions nested more than {MAX_CALL_DEPTH} deep\n",
                f.name()
            ));
            return Ok(1);
        }
        let Some(body) = f.body() else {
            sys::err(&format!(
                "psh: {}: cannot read the function's body\n",
                f.name()
            ));
            return Ok(2);
        };
        if !argv.is_empty() {
            argv.remove(0);
        }
        let saved = std::mem::replace(&mut self.args, argv);
        self.fn_depth += 1;
        let saved_loops = std::mem::replace(&mut self.loop_depth, 0);
        self.locals.push(Vec::new());
        let r = self.run_list(body);
        // `local` variables: the caller's values come back.
        for (name, old) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            self.vars.put_back(&name, old);
        }
        self.loop_depth = saved_loops;
        self.fn_depth -= 1;
        self.args = saved;
        match r {
            Err(Flow::Return(n)) => Ok(n),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(self.status),
            other => other,
        }
    }
}

impl Shell {
    /// Run `argv` as a builtin or an external program, never a function
    /// (`command NAME …`).
    pub fn run_skipping_functions(&mut self, argv: &[String]) -> Res {
        let name = argv.first().map_or("", String::as_str);
        if self.is_builtin(name) {
            return self.builtin(argv);
        }
        let ex = Expanded {
            argv: argv.to_vec(),
            assigns: Vec::new(),
        };
        let group = self.group_for(None, true);
        let before = signals::interrupted();
        let l = self.spawn_external(&ex, &[], group);
        Ok(self.wait_foreground(&[l], before))
    }
}
