//! `cd` and `pwd`: the logical working directory kept in `$PWD`
//! (`..` resolved by name, as bash does) and `$OLDPWD`.  Never runs a
//! command.

use super::{err, out};
use crate::exec::shell::Shell;
use crate::os::sys;

impl Shell {
    pub(crate) fn cd(&mut self, args: &[String]) -> i32 {
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
        let joined = if target.starts_with('/') {
            target.clone()
        } else {
            format!("{old}/{target}")
        };
        let logical = normalize(&joined);
        let dir = if std::env::set_current_dir(&logical).is_ok() {
            logical
        } else {
            match std::env::set_current_dir(&target) {
                Ok(()) => std::env::current_dir()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or(target.clone()),
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

    pub(crate) fn pwd(&mut self) -> i32 {
        let pwd = match self.var("PWD") {
            Some(p) if p.starts_with('/') && std::path::Path::new(p).is_dir() => p.to_string(),
            _ => match std::env::current_dir() {
                Ok(p) => p.to_string_lossy().into_owned(),
                Err(e) => return err(format!("pwd: {e}")),
            },
        };
        out("pwd", &format!("{pwd}\n"))
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
