//! `getopts OPTSTRING NAME [ARGS…]`: POSIX option parsing, one option per
//! call.  State is `OPTIND` (the next argument, 1-based) plus the shell's
//! position inside a group such as `-vx`; `OPTARG` gets an option's
//! argument.  Reads the positional parameters (or ARGS); changes only
//! those variables.

use super::err;
use crate::exec::shell::Shell;
use crate::exec::vars::valid_name;
use crate::os::sys;

impl Shell {
    pub(crate) fn getopts(&mut self, args: &[String]) -> i32 {
        let (Some(spec), Some(name)) = (args.first(), args.get(1)) else {
            err("getopts: usage: getopts OPTSTRING NAME [ARGS…]".into());
            return 2;
        };
        if !valid_name(name) {
            err(format!("getopts: `{name}`: not a valid name"));
            return 2;
        }
        let words: Vec<String> = match args.get(2..) {
            Some(w) if !w.is_empty() => w.to_vec(),
            _ => self.args.clone(),
        };
        let (silent, spec) = match spec.strip_prefix(':') {
            Some(s) => (true, s),
            None => (false, spec.as_str()),
        };
        let optind: usize = self
            .var("OPTIND")
            .and_then(|v| v.trim().parse().ok())
            .filter(|n| *n >= 1)
            .unwrap_or(1);
        // OPTIND changed behind our back (a reset to 1, say): start the
        // argument afresh.
        if self.getopts_at.0 != optind {
            self.getopts_at = (optind, 1);
        }
        let mut optind = optind;
        let mut pos = self.getopts_at.1;
        let word = words.get(optind - 1).map(String::as_bytes);
        let at_end = match word {
            None => true,
            Some(w) => w.len() < 2 || w[0] != b'-',
        };
        if at_end || word == Some(b"--") {
            if word == Some(b"--") {
                optind += 1;
            }
            self.set_var(name, "?".into());
            self.vars.unset("OPTARG");
            self.set_optind(optind, 1);
            return 1;
        }
        let w = words.get(optind - 1).map(String::as_str).unwrap_or("");
        let c = w.get(pos..).and_then(|s| s.chars().next()).unwrap_or('?');
        pos += c.len_utf8();
        let group_done = pos >= w.len();
        let next = |optind: usize| {
            if group_done {
                (optind + 1, 1)
            } else {
                (optind, pos)
            }
        };
        let found = spec.find(c).filter(|_| c != ':');
        let Some(i) = found else {
            if silent {
                self.set_var("OPTARG", c.to_string());
            } else {
                sys::err(&format!("{}: illegal option -- {c}\n", self.arg0));
                self.vars.unset("OPTARG");
            }
            self.set_var(name, "?".into());
            let (o, p) = next(optind);
            self.set_optind(o, p);
            return 0;
        };
        let takes_arg = spec[i + c.len_utf8()..].starts_with(':');
        if !takes_arg {
            self.vars.unset("OPTARG");
            self.set_var(name, c.to_string());
            let (o, p) = next(optind);
            self.set_optind(o, p);
            return 0;
        }
        // The argument is the rest of this word, or the next word.
        if !group_done {
            self.set_var("OPTARG", w[pos..].to_string());
            self.set_var(name, c.to_string());
            self.set_optind(optind + 1, 1);
            return 0;
        }
        match words.get(optind) {
            Some(a) => {
                self.set_var("OPTARG", a.clone());
                self.set_var(name, c.to_string());
                self.set_optind(optind + 2, 1);
            }
            None => {
                if silent {
                    self.set_var(name, ":".into());
                    self.set_var("OPTARG", c.to_string());
                } else {
                    sys::err(&format!(
                        "{}: option requires an argument -- {c}\n",
                        self.arg0
                    ));
                    self.set_var(name, "?".into());
                    self.vars.unset("OPTARG");
                }
                self.set_optind(optind + 1, 1);
            }
        }
        0
    }

    fn set_optind(&mut self, optind: usize, pos: usize) {
        self.set_var("OPTIND", optind.to_string());
        self.getopts_at = (optind, pos);
    }
}
