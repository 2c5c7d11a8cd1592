//! Variables and options: `export`, `unset`, `set` (options and
//! positional parameters), `shift`.  Never runs a command.

use super::{err, out};
use crate::exec::shell::Shell;
use crate::exec::vars::valid_name;
use crate::os::sys;

/// `NAME` or `NAME=VALUE` of `export`/`local`; None (reported) when the
/// name is not valid.
fn name_value<'a>(cmd: &str, a: &'a str) -> Option<(&'a str, Option<String>)> {
    let (name, value) = match a.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (a, None),
    };
    if !valid_name(name) {
        err(format!("{cmd}: `{a}`: not a valid name"));
        return None;
    }
    Some((name, value))
}

impl Shell {
    pub(crate) fn export(&mut self, args: &[String]) -> i32 {
        if args.is_empty() || args.iter().all(|a| a == "-p") {
            let mut s = String::new();
            for (k, v) in self.vars.sorted() {
                if v.exported {
                    s.push_str(&format!("export {k}={}\n", quote(&v.value)));
                }
            }
            return out("export", &s);
        }
        let mut st = 0;
        for a in args {
            let Some((name, value)) = name_value("export", a) else {
                st = 1;
                continue;
            };
            if name == "PATH" {
                self.path_cache.forget();
            }
            self.vars.export(name, value);
        }
        st
    }

    /// `local NAME[=VALUE]…`: variables of this function call; the
    /// caller's values come back when it returns.
    pub(crate) fn local(&mut self, args: &[String]) -> i32 {
        if self.locals.is_empty() {
            return err("local: can only be used in a function".into());
        }
        let mut st = 0;
        for a in args {
            let Some((name, value)) = name_value("local", a) else {
                st = 1;
                continue;
            };
            let frame_has = self
                .locals
                .last()
                .is_some_and(|f| f.iter().any(|(n, _)| n == name));
            if !frame_has {
                let old = self.vars.take(name);
                if let Some(f) = self.locals.last_mut() {
                    f.push((name.to_string(), old));
                }
            }
            if let Some(v) = value {
                self.set_var(name, v);
            }
        }
        st
    }

    pub(crate) fn unset(&mut self, args: &[String]) -> i32 {
        let mut funcs = false;
        for a in args {
            match a.as_str() {
                "-f" => funcs = true,
                "-v" => funcs = false,
                name if funcs => {
                    self.funcs.remove(name);
                }
                name => {
                    if name == "PATH" {
                        self.path_cache.forget();
                    }
                    self.vars.unset(name)
                }
            }
        }
        0
    }

    pub(crate) fn set(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            let mut s = String::new();
            for (k, v) in self.vars.sorted() {
                s.push_str(&format!("{k}={}\n", quote(&v.value)));
            }
            return out("set", &s);
        }
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "--" {
                self.args = args.get(i + 1..).unwrap_or(&[]).to_vec();
                return 0;
            }
            let on = a.starts_with('-');
            if !(on || a.starts_with('+')) || a.len() < 2 {
                // The rest are positional parameters.
                self.args = args.get(i..).unwrap_or(&[]).to_vec();
                return 0;
            }
            for c in a.chars().skip(1) {
                match c {
                    'e' => self.opts.errexit = on,
                    'x' => self.opts.xtrace = on,
                    'u' => self.opts.nounset = on,
                    'o' => {
                        i += 1;
                        match args.get(i).map(String::as_str) {
                            Some("pipefail") => self.opts.pipefail = on,
                            Some("errexit") => self.opts.errexit = on,
                            Some("xtrace") => self.opts.xtrace = on,
                            Some("nounset") => self.opts.nounset = on,
                            None => {
                                let o = self.opts;
                                let show = |n: &str, v: bool| {
                                    format!("{n:<12}{}\n", if v { "on" } else { "off" })
                                };
                                let s = show("errexit", o.errexit)
                                    + &show("nounset", o.nounset)
                                    + &show("pipefail", o.pipefail)
                                    + &show("xtrace", o.xtrace);
                                return out("set", &s);
                            }
                            Some(other) => {
                                sys::err(&format!("psh: set: {other}: unknown option name\n"));
                                return 2;
                            }
                        }
                    }
                    _ => {
                        sys::err(&format!("psh: set: -{c}: unknown option\n"));
                        return 2;
                    }
                }
            }
            i += 1;
        }
        0
    }

    pub(crate) fn shift(&mut self, args: &[String]) -> i32 {
        let n = match args.first().map(|a| a.parse::<usize>()) {
            None => 1,
            Some(Ok(n)) => n,
            Some(Err(_)) => return err("shift: numeric argument required".into()),
        };
        if n > self.args.len() {
            return 1;
        }
        self.args.drain(..n);
        0
    }
}

/// A value quoted so the shell reads it back as it is.
fn quote(v: &str) -> String {
    if !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:,+@%".contains(&b))
    {
        return v.to_string();
    }
    format!("'{}'", v.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn quoting() {
        assert_eq!(quote("abc"), "abc");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
