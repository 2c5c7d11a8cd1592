//! `cd` and `pwd`: the logical working directory kept in `$PWD`
//! (`..` resolved by name, as bash does) and `$OLDPWD`.  Never runs a
//! command.

use super::{err, out};
use crate::exec::shell::Shell;
use crate::os::sys;
use crate::os::text;

impl Shell {
    pub(crate) fn cd(&mut self, args: &[String]) -> i32 {
        let mut args = args;
        let mut physical = false;
        while let Some(a) = args.first() {
            match a.as_str() {
                "-P" => physical = true,
                "-L" => physical = false,
                "--" => {
                    args = &args[1..];
                    break;
                }
                _ => break,
            }
            args = &args[1..];
        }
        let (target, print) = match args.first().map(String::as_str) {
            None => match self.var("HOME") {
                Some(h) => (h.to_string(), false),
                None => return err("cd: HOME not set".into()),
            },
            Some("-") => match self.var("OLDPWD") {
                Some(o) => (o.to_string(), true),
                None => return err("cd: OLDPWD not set".into()),
            },
            Some(d) => (d.to_string(), false),
        };
        if args.len() > 1 {
            return err("cd: too many arguments".into());
        }
        let old = self.var("PWD").map(str::to_string).unwrap_or_default();
        // Logical path, as sh keeps it: `..` drops the last component.
        let joined = if target.starts_with('/') || !old.starts_with('/') {
            target.clone()
        } else {
            format!("{old}/{target}")
        };
        let logical = normalize(&joined);
        let dir = if !physical && std::env::set_current_dir(text::path(&logical)).is_ok() {
            logical
        } else {
            match std::env::set_current_dir(text::path(&target)) {
                Ok(()) => match std::env::current_dir() {
                    Ok(p) => text::from_os(p.as_os_str()),
                    Err(e) => {
                        // Inside a directory that was removed: `cd .` works,
                        // and the logical path stays what it was, so `cd ..`
                        // still goes to the parent (not to `/`).
                        sys::err(&format!(
                            "psh: cd: {target}: the current directory is gone ({}); PWD stays {logical}\n",
                            sys::why(&e)
                        ));
                        logical
                    }
                },
                Err(e) => return err(format!("cd: {target}: {}", sys::why(&e))),
            }
        };
        self.vars.export("OLDPWD", Some(old));
        self.vars.export("PWD", Some(dir.clone()));
        if print {
            return out("cd", &format!("{dir}\n"));
        }
        0
    }

    /// `pwd [-L|-P]`: the logical path ($PWD) while it still names this
    /// directory (or this directory was removed); -P: the physical one.
    pub(crate) fn pwd(&mut self, args: &[String]) -> i32 {
        let mut physical = false;
        for a in args {
            match a.as_str() {
                "-P" => physical = true,
                "-L" => physical = false,
                other => return err(format!("pwd: {other}: unknown option (pwd [-L|-P])")),
            }
        }
        let cwd = std::env::current_dir();
        let logical = self.var("PWD").filter(|p| {
            p.starts_with('/')
                && !p.split('/').any(|c| c == "." || c == "..")
                && (cwd.is_err() || same_file(p, "."))
        });
        let pwd = match (logical, cwd) {
            (Some(p), _) if !physical => p.to_string(),
            (_, Ok(p)) => text::from_os(p.as_os_str()),
            (_, Err(e)) => {
                return err(format!(
                    "pwd: cannot tell the current directory: {} (was it removed?)",
                    sys::why(&e)
                ))
            }
        };
        out("pwd", &format!("{pwd}\n"))
    }
}

fn same_file(a: &str, b: &str) -> bool {
    use crate::os::text::path;
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path(a)), std::fs::metadata(path(b))) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Collapse `.` and `..` in an absolute path, as `cd` does logically.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn normalize_paths() {
        assert_eq!(normalize("/a/b/../c/./d"), "/a/c/d");
        assert_eq!(normalize("/../.."), "/");
    }
}
