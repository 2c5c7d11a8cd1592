//! The rest: `source`/`.` (a file run in this shell), `type`,
//! `history`, and `test`/`[` (the evaluation is `test.rs`).  Each is a thin
//! front: parsing and running belong to lang and exec.

use super::{err, is_builtin, out, KEYWORDS};
use crate::exec::shell::{Flow, Res, Shell, MAX_CALL_DEPTH};
use crate::lang::parser;
use crate::os::sys;

impl Shell {
    pub(crate) fn source(&mut self, args: &[String]) -> Res {
        let Some(file) = args.first() else {
            sys::err("psh: source: a file name is needed\n");
            return Ok(2);
        };
        // A name without a slash is looked up in PATH, then in the current
        // directory (bash).
        let path = if file.contains('/') {
            file.clone()
        } else {
            let p = self.var("PATH").unwrap_or("").to_string();
            p.split(':')
                .filter(|d| !d.is_empty())
                .map(|d| format!("{d}/{file}"))
                .find(|f| crate::os::text::path(f).is_file())
                .unwrap_or(file.clone())
        };
        let text = match sys::read_script(&path) {
            Ok(t) => t,
            Err(why) => {
                sys::err(&format!("psh: source: {file}: {why}\n"));
                return Ok(1);
            }
        };
        if self.source_depth >= MAX_CALL_DEPTH {
            sys::err(&format!(
                "psh: source: {file}: nested more than {MAX_CALL_DEPTH} deep\n"
            ));
            return Ok(1);
        }
        let list = match parser::parse(&text, file) {
            Ok(l) => l,
            Err(e) => {
                sys::err(&format!("{e}\n"));
                return Ok(2);
            }
        };
        let saved = (args.len() > 1).then(|| std::mem::replace(&mut self.args, args[1..].to_vec()));
        self.source_depth += 1;
        let r = self.run_list(&list);
        self.source_depth -= 1;
        if let Some(s) = saved {
            self.args = s;
        }
        match r {
            Err(Flow::Return(n)) => Ok(n),
            other => other,
        }
    }

    pub(crate) fn type_cmd(&mut self, args: &[String]) -> i32 {
        // Each answer is written as it comes, so errors and answers keep
        // their order (`type cd nosuch ls 2>&1`).
        let mut st = 0;
        for name in args {
            let line = if KEYWORDS.contains(&name.as_str()) && !is_builtin(name) {
                format!("{name} is a shell keyword\n")
            } else if self.funcs.contains_key(name) {
                format!("{name} is a function\n")
            } else if is_builtin(name) {
                format!("{name} is a shell builtin\n")
            } else {
                let path = self.var("PATH").unwrap_or("").to_string();
                match self.path_cache.lookup(name, &path) {
                    Some(p) if !name.contains('/') || crate::os::text::path(name).is_file() => {
                        format!("{name} is {}\n", crate::os::text::decode(p.as_bytes()))
                    }
                    _ => {
                        st = err(format!("type: {name}: not found"));
                        continue;
                    }
                }
            };
            st = st.max(out("type", &line));
        }
        st
    }

    /// `history`: the entries of the history file, numbered.
    pub(crate) fn history(&mut self) -> i32 {
        let Some(path) = &self.history_file else {
            return err(
                "history: no history file in this shell (not interactive, or the file was refused)"
                    .into(),
            );
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return err(format!("history: {}: {e}", path.display())),
        };
        let mut s = String::new();
        let lines = text.lines().filter(|l| *l != "#V2");
        for (i, line) in lines.enumerate() {
            // The file escapes newlines and backslashes (rustyline's V2 format).
            let entry = unescape_history(line);
            s.push_str(&format!("{:>5}  {entry}\n", i + 1));
        }
        out("history", &s)
    }
}

pub(crate) fn test(sh: &Shell, args: &[String]) -> i32 {
    let q = |op: &str, arg: &str| match op {
        "-v" => sh.vars.is_set(arg),
        _ => match arg {
            "errexit" => sh.opts.errexit,
            "xtrace" => sh.opts.xtrace,
            "nounset" => sh.opts.nounset,
            "pipefail" => sh.opts.pipefail,
            "monitor" => sh.monitor,
            _ => false,
        },
    };
    match super::test::test(args, &q) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(m) => {
            sys::err(&format!("psh: test: {m}\n"));
            2
        }
    }
}

/// A history file line: `\\n` is a newline and `\\\\` a backslash.
fn unescape_history(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut it = line.chars();
    while let Some(c) = it.next() {
        match (c, c == '\\') {
            (_, true) => match it.next() {
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// `[ … ]`: `test` with a closing `]`.
pub(crate) fn bracket(sh: &Shell, args: &[String]) -> i32 {
    match args.split_last() {
        Some((last, rest)) if last == "]" => test(sh, rest),
        _ => {
            sys::err("psh: [: missing `]`\n");
            2
        }
    }
}

impl Shell {
    /// `eval WORD…`: the words joined by blanks, parsed and run in this
    /// shell.
    pub(crate) fn eval(&mut self, args: &[String]) -> Res {
        let text = args.join(" ");
        let list = match parser::parse(&text, "eval") {
            Ok(l) => l,
            Err(e) => {
                sys::err(&format!("{e}\n"));
                return Ok(2);
            }
        };
        self.run_list(&list)
    }

    /// `command [-v|-V] NAME [ARGS…]`: with -v, how NAME would run (a path,
    /// or the name of a builtin, function or keyword; status 1 if none);
    /// -V says it in words (as `type`); without, run NAME skipping
    /// functions.
    pub(crate) fn command(&mut self, args: &[String]) -> Res {
        let (mode, rest) = match args.split_first() {
            Some((m, rest)) if m == "-v" || m == "-V" => (m.as_str(), rest),
            _ => ("", args),
        };
        if mode == "-V" {
            return Ok(self.type_cmd(rest));
        }
        if mode == "-v" {
            // bash: 1 only when none of the names is found.
            let mut st = 1;
            for name in rest {
                let how = if self.funcs.contains_key(name)
                    || is_builtin(name)
                    || KEYWORDS.contains(&name.as_str())
                {
                    Some(name.clone())
                } else {
                    let path = self.var("PATH").unwrap_or("").to_string();
                    self.path_cache
                        .lookup(name, &path)
                        .filter(|_| !name.contains('/') || crate::os::text::path(name).is_file())
                        .map(|p| crate::os::text::decode(p.as_bytes()).into_owned())
                };
                if let Some(h) = how {
                    st = out("command", &format!("{h}\n"));
                }
            }
            return Ok(st);
        }
        if rest.is_empty() {
            return Ok(0);
        }
        self.run_skipping_functions(rest)
    }
}
