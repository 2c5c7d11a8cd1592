//! Builtin commands: the ones that must change the shell itself (`cd`,
//! `export`, `set`, `wait`…) and the cheap ones that need no process
//! (`echo`, `test`).  This file is the table — name → function — that
//! the evaluator reaches through `exec::Hooks`; each family lives in its
//! own file.  Each builtin writes to the shell's fds 0/1/2, which the
//! evaluator has redirected as the command line asked.

pub mod dirs;
pub mod escapes;
pub mod getopts;
pub mod io;
pub mod jobs;
pub mod limits;
pub mod misc;
pub mod printf;
pub mod process;
pub mod test;
pub mod traps;
pub mod vars;

use crate::exec::shell::Builtin;
use crate::os::sys;

/// Every builtin, sorted by name (binary search; `type` and completion
/// use the names too).
const TABLE: &[(&str, Builtin)] = &[
    (".", |sh, a| sh.source(a)),
    (":", |_, _| Ok(0)),
    ("[", |sh, a| Ok(misc::bracket(sh, a))),
    ("alarm", |sh, a| Ok(sh.alarm_builtin(a))),
    ("bg", |sh, a| Ok(sh.bg(a))),
    ("cd", |sh, a| Ok(sh.cd(a))),
    ("command", |sh, a| sh.command(a)),
    ("echo", |_, a| Ok(io::echo(a))),
    ("eval", |sh, a| sh.eval(a)),
    ("export", |sh, a| Ok(sh.export(a))),
    ("false", |_, _| Ok(1)),
    ("fg", |sh, a| Ok(sh.fg(a))),
    ("getopts", |sh, a| Ok(sh.getopts(a))),
    ("help", |_, a| {
        Ok(crate::teach::help::builtin(a, &names().collect::<Vec<_>>()))
    }),
    ("history", |sh, _| Ok(sh.history())),
    ("jobs", |sh, a| Ok(sh.jobs_cmd(a))),
    ("kill", |sh, a| Ok(sh.kill(a))),
    ("local", |sh, a| Ok(sh.local(a))),
    ("printf", |sh, a| Ok(sh.printf(a))),
    ("pwd", |sh, a| Ok(sh.pwd(a))),
    ("read", |sh, a| Ok(sh.read(a))),
    ("set", |sh, a| Ok(sh.set(a))),
    ("shift", |sh, a| Ok(sh.shift(a))),
    ("source", |sh, a| sh.source(a)),
    ("test", |sh, a| Ok(misc::test(sh, a))),
    ("times", |_, a| Ok(process::times(a))),
    ("tour", |sh, a| Ok(crate::teach::tour::builtin(sh, a))),
    ("trace", |_, a| Ok(crate::teach::trace::builtin(a))),
    ("trap", |sh, a| Ok(sh.trap_builtin(a))),
    ("true", |_, _| Ok(0)),
    ("type", |sh, a| Ok(sh.type_cmd(a))),
    ("ulimit", |_, a| Ok(limits::ulimit(a))),
    ("umask", |_, a| Ok(process::umask(a))),
    ("unset", |sh, a| Ok(sh.unset(a))),
    ("wait", |sh, a| Ok(sh.wait_cmd(a))),
];

/// Every builtin name, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(n, _)| *n)
}

/// Words the grammar treats specially.
pub const KEYWORDS: &[&str] = &[
    "if", "else", "while", "for", "in", "fn", "match", "break", "continue", "return", "exit",
    "spawn", "explain", "threads", "procs", "alarm", "trap", "!", "{", "}",
];

/// The builtin called `name` (the evaluator's hook).
pub fn lookup(name: &str) -> Option<Builtin> {
    // The first bytes decide most steps: compared inline, not by memcmp.
    let first = name.as_bytes().first();
    TABLE
        .binary_search_by(|(n, _)| n.as_bytes().first().cmp(&first).then_with(|| n.cmp(&name)))
        .ok()
        .and_then(|i| TABLE.get(i))
        .map(|(_, f)| *f)
}

pub fn is_builtin(name: &str) -> bool {
    lookup(name).is_some()
}

/// Report `psh: MSG`; status 1.
pub(crate) fn err(msg: String) -> i32 {
    sys::err(&format!("psh: {msg}\n"));
    1
}

/// Write to stdout; a failure is reported and gives status 1.
pub(crate) fn out(cmd: &str, s: &str) -> i32 {
    match sys::out(s) {
        Ok(()) => 0,
        Err(e) => err(format!("{cmd}: write error: {}", e.desc())),
    }
}

/// Write bytes to stdout; a failure is reported and gives status 1.
pub(crate) fn out_bytes(cmd: &str, b: &[u8]) -> i32 {
    match sys::write_all(1, b) {
        Ok(()) => 0,
        Err(e) => err(format!("{cmd}: write error: {}", e.desc())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        let v: Vec<&str> = names().collect();
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(v, sorted);
        assert!(is_builtin("cd") && is_builtin("[") && !is_builtin("ls"));
    }

    #[test]
    fn every_builtin_has_help() {
        for b in names() {
            assert!(crate::teach::help::topic(b).is_some(), "no help for {b}");
        }
    }
}
