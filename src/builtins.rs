//! Builtin commands: the ones that must change the shell itself (`cd`,
//! `export`, `set`, `wait`…) and the cheap ones that need no process
//! (`echo`, `test`).  Each writes to the shell's fds 0/1/2, which the
//! evaluator has redirected as the command line asked.

use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;

use crate::parser;
use crate::shell::{Flow, Res, Shell, MAX_CALL_DEPTH};
use crate::signals;
use crate::sys;
use crate::test_cmd;
use crate::vars::valid_name;

/// Every builtin name (`type` and completion use this list too).
pub const BUILTINS: &[&str] = &[
    ".", ":", "[", "alarm", "bg", "cd", "echo", "export", "false", "fg", "help", "history", "jobs",
    "kill", "pwd", "read", "set", "shift", "source", "test", "trace", "trap", "true", "type",
    "unset", "wait",
];

/// Words the grammar treats specially.
pub const KEYWORDS: &[&str] = &[
    "if", "else", "while", "for", "in", "fn", "break", "continue", "return", "exit", "spawn",
    "explain", "threads", "procs", "alarm", "trap", "!", "{", "}",
];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.binary_search(&name).is_ok()
}

fn err(msg: String) -> i32 {
    sys::err(&format!("psh: {msg}\n"));
    1
}

/// Write to stdout; a failure is reported and gives status 1.
fn out(cmd: &str, s: &str) -> i32 {
    match sys::out(s) {
        Ok(()) => 0,
        Err(e) => err(format!("{cmd}: write error: {}", e.desc())),
    }
}

impl Shell {
    pub fn builtin(&mut self, argv: &[String]) -> Res {
        let name = argv.first().map_or("", String::as_str);
        let args = argv.get(1..).unwrap_or(&[]);
        Ok(match name {
            "true" | ":" => 0,
            "false" => 1,
            "echo" => echo(args),
            "cd" => self.cd(args),
            "pwd" => self.pwd(),
            "export" => self.export(args),
            "unset" => self.unset(args),
            "set" => self.set(args),
            "shift" => self.shift(args),
            "source" | "." => return self.source(args),
            "test" => test(args),
            "[" => match args.split_last() {
                Some((last, rest)) if last == "]" => test(rest),
                _ => {
                    sys::err("psh: [: missing `]`\n");
                    2
                }
            },
            "read" => self.read(args),
            "type" => self.type_cmd(args),
            "jobs" => self.jobs_cmd(args),
            "wait" => self.wait_cmd(args),
            "kill" => self.kill(args),
            "fg" => self.fg(args),
            "bg" => self.bg(args),
            "help" => match args.first() {
                None => out("help", &crate::help::overview()),
                Some(t) => match crate::help::topic(t) {
                    Some(text) => out("help", &format!("{text}\n")),
                    None => err(format!("help: no help for `{t}` (try `help`)")),
                },
            },
            "history" => self.history(),
            "alarm" => self.alarm_builtin(args),
            "trap" => self.trap_builtin(args),
            "trace" => match args.first().map(String::as_str) {
                Some("on") => {
                    crate::trace::set(true);
                    0
                }
                Some("off") => {
                    crate::trace::set(false);
                    0
                }
                None => out(
                    "trace",
                    if crate::trace::on() {
                        "trace: on\n"
                    } else {
                        "trace: off\n"
                    },
                ),
                Some(o) => {
                    sys::err(&format!("psh: trace: `{o}`: on or off\n"));
                    2
                }
            },
            _ => err(format!("{name}: not a builtin")),
        })
    }

    fn cd(&mut self, args: &[String]) -> i32 {
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

    fn pwd(&mut self) -> i32 {
        let pwd = match self.var("PWD") {
            Some(p) if p.starts_with('/') && std::path::Path::new(p).is_dir() => p.to_string(),
            _ => match std::env::current_dir() {
                Ok(p) => p.to_string_lossy().into_owned(),
                Err(e) => return err(format!("pwd: {e}")),
            },
        };
        out("pwd", &format!("{pwd}\n"))
    }

    fn export(&mut self, args: &[String]) -> i32 {
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
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (a.as_str(), None),
            };
            if !valid_name(name) {
                st = err(format!("export: `{a}`: not a valid name"));
                continue;
            }
            if name == "PATH" {
                self.path_cache.forget();
            }
            self.vars.export(name, value);
        }
        st
    }

    fn unset(&mut self, args: &[String]) -> i32 {
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

    fn set(&mut self, args: &[String]) -> i32 {
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

    fn shift(&mut self, args: &[String]) -> i32 {
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

    fn source(&mut self, args: &[String]) -> Res {
        let Some(file) = args.first() else {
            sys::err("psh: source: a file name is needed\n");
            return Ok(2);
        };
        let path = if file.contains('/') || std::path::Path::new(file).exists() {
            file.clone()
        } else {
            let p = self.var("PATH").unwrap_or("").to_string();
            p.split(':')
                .filter(|d| !d.is_empty())
                .map(|d| format!("{d}/{file}"))
                .find(|f| std::path::Path::new(f).is_file())
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

    fn read(&mut self, args: &[String]) -> i32 {
        let mut raw = false;
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-r" => raw = true,
                n if valid_name(n) => names.push(n.to_string()),
                n => return err(format!("read: `{n}`: not a valid name")),
            }
        }
        // One byte at a time, so input meant for the next command stays
        // in the pipe or file.
        let mut line = Vec::new();
        let mut got_newline = false;
        loop {
            match sys::read_byte_once(0) {
                // A signal with a handler block: run it, then read on.
                Err(nix::errno::Errno::EINTR) => self.run_traps_or_exit(),
                Ok(Some(b'\n')) => {
                    if !raw && line.last() == Some(&b'\\') {
                        line.pop();
                        continue;
                    }
                    got_newline = true;
                    break;
                }
                Ok(Some(b)) => line.push(b),
                Ok(None) => break,
                Err(e) => return err(format!("read: {}", e.desc())),
            }
        }
        let mut text = String::from_utf8_lossy(&line).into_owned();
        if !raw {
            text = unescape_read(&text);
        }
        let status = if got_newline || !line.is_empty() {
            0
        } else {
            1
        };
        if names.is_empty() {
            self.set_var("REPLY", text);
            return status;
        }
        let mut rest = text.trim_matches([' ', '\t']);
        for (i, name) in names.iter().enumerate() {
            let value = if i + 1 == names.len() {
                let v = rest.trim_end_matches([' ', '\t']).to_string();
                rest = "";
                v
            } else {
                let end = rest.find([' ', '\t']).unwrap_or(rest.len());
                let v = rest[..end].to_string();
                rest = rest[end..].trim_start_matches([' ', '\t']);
                v
            };
            self.set_var(name, value);
        }
        status
    }

    fn type_cmd(&mut self, args: &[String]) -> i32 {
        let mut st = 0;
        let mut s = String::new();
        for name in args {
            if KEYWORDS.contains(&name.as_str()) && !is_builtin(name) {
                s.push_str(&format!("{name} is a shell keyword\n"));
            } else if self.funcs.contains_key(name) {
                s.push_str(&format!("{name} is a function\n"));
            } else if is_builtin(name) {
                s.push_str(&format!("{name} is a shell builtin\n"));
            } else {
                let path = self.var("PATH").unwrap_or("").to_string();
                match self.path_cache.lookup(name, &path) {
                    Some(p) if !name.contains('/') || std::path::Path::new(name).is_file() => {
                        s.push_str(&format!("{name} is {}\n", p.to_string_lossy()))
                    }
                    _ => st = err(format!("type: {name}: not found")),
                }
            }
        }
        let w = out("type", &s);
        st.max(w)
    }

    fn jobs_cmd(&mut self, args: &[String]) -> i32 {
        self.jobs.reap_now();
        let long = args.iter().any(|a| a == "-l");
        let pids_only = args.iter().any(|a| a == "-p");
        let mut s = String::new();
        for j in &self.jobs.jobs {
            if pids_only {
                if let Some(p) = j.procs.iter().find(|p| p.pid.as_raw() != 0) {
                    s.push_str(&format!("{}\n", p.pid));
                }
                continue;
            }
            let mark = self.jobs.mark(j.id);
            if long {
                let pid = j.procs.first().map_or(0, |p| p.pid.as_raw());
                s.push_str(&format!(
                    "[{}]{} {:>7} {:<24}{}\n",
                    j.id,
                    mark,
                    pid,
                    j.state_text(),
                    j.text
                ));
            } else {
                s.push_str(&format!(
                    "[{}]{}  {:<24}{}\n",
                    j.id,
                    mark,
                    j.state_text(),
                    j.text
                ));
            }
        }
        // Finished jobs have now been reported: they leave the table.
        self.jobs.take_finished();
        out("jobs", &s)
    }

    fn wait_cmd(&mut self, args: &[String]) -> i32 {
        // Interactively, Ctrl-C ends the wait (the jobs go on).
        if self.interactive {
            return signals::interruptible(|| self.wait_jobs(args));
        }
        self.wait_jobs(args)
    }

    fn wait_jobs(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            let ids: Vec<usize> = self.jobs.jobs.iter().map(|j| j.id).collect();
            for id in ids {
                if self.wait_job(id) == Some(130) && signals::interrupted() {
                    return 130;
                }
            }
            return 0;
        }
        let mut st = 0;
        for a in args {
            st = match self.jobs.find(a) {
                Ok(id) => self.wait_job(id).unwrap_or(127),
                Err(m) => {
                    sys::err(&format!("psh: wait: {m}\n"));
                    127
                }
            };
            if st == 130 && signals::interrupted() {
                break;
            }
        }
        st
    }

    /// The job a `fg`/`bg` argument names (the current job by default).
    fn job_arg(&mut self, cmd: &str, args: &[String]) -> Result<usize, i32> {
        if !self.monitor {
            sys::err(&format!("psh: {cmd}: no job control in this shell\n"));
            return Err(1);
        }
        self.jobs.reap_now();
        let spec = args.first().map_or("%+", String::as_str);
        self.jobs.find(spec).map_err(|m| {
            sys::err(&format!("psh: {cmd}: {m}\n"));
            1
        })
    }

    /// `fg [%N]`: continue the job in the foreground, with the terminal.
    fn fg(&mut self, args: &[String]) -> i32 {
        let id = match self.job_arg("fg", args) {
            Ok(id) => id,
            Err(st) => return st,
        };
        let Some(mut job) = self.jobs.take(id) else {
            return 1;
        };
        if job.done() {
            return job.status();
        }
        for p in job.procs.iter_mut().filter(|p| !p.state.done()) {
            p.state = crate::jobs::ProcState::Running;
        }
        // The terminal first, so a Ctrl-C typed after the job's name
        // appears reaches the job.
        if let Some(pg) = job.pgid {
            if let Some(m) = &job.modes {
                crate::terminal::set_modes(m);
            }
            crate::terminal::give_to(pg);
            let _ = signal::killpg(pg, Signal::SIGCONT);
        }
        let _ = out("fg", &format!("{}\n", job.text));
        self.wait_job_foreground(Some(job.id), job.procs, job.text, job.modes)
    }

    /// `bg [%N]`: continue a stopped job in the background.
    fn bg(&mut self, args: &[String]) -> i32 {
        let id = match self.job_arg("bg", args) {
            Ok(id) => id,
            Err(st) => return st,
        };
        let current = self.jobs.current() == Some(id);
        let Some(job) = self.jobs.get_mut(id) else {
            return 1;
        };
        if !job.stopped() {
            sys::err(&format!("psh: bg: job {id} already in background\n"));
            return 0;
        }
        for p in job.procs.iter_mut().filter(|p| !p.state.done()) {
            p.state = crate::jobs::ProcState::Running;
        }
        job.announced = None;
        let line = format!("[{id}]{} {} &\n", if current { '+' } else { ' ' }, job.text);
        let pgid = job.pgid;
        if let Some(pg) = pgid {
            let _ = signal::killpg(pg, Signal::SIGCONT);
        }
        out("bg", &line)
    }

    fn kill(&mut self, args: &[String]) -> i32 {
        let mut sig = Signal::SIGTERM;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "-l" {
                let names: Vec<&str> = Signal::iterator().map(signals::short_name).collect();
                return out("kill", &format!("{}\n", names.join(" ")));
            } else if a == "-s" || a == "-n" {
                i += 1;
                match args.get(i).and_then(|s| signals::parse(s)) {
                    Some(s) => sig = s,
                    None => {
                        return err(format!(
                            "kill: {}: invalid signal",
                            args.get(i).map_or("", String::as_str)
                        ))
                    }
                }
            } else if a == "--" {
                i += 1;
                break;
            } else if let Some(name) = a.strip_prefix('-').filter(|n| !n.is_empty()) {
                // -9, -KILL, -SIGKILL (a negative pid needs `--` first)
                match signals::parse(name) {
                    Some(s) => sig = s,
                    None => return err(format!("kill: {a}: invalid signal")),
                }
            } else {
                break;
            }
            i += 1;
        }
        let targets = args.get(i..).unwrap_or(&[]);
        if targets.is_empty() {
            sys::err("psh: kill: usage: kill [-SIG] %JOB|PID…\n");
            return 2;
        }
        let mut st = 0;
        for t in targets {
            let r = if t.starts_with('%') {
                match self.jobs.find(t) {
                    Ok(id) => self.signal_job(id, sig),
                    Err(m) => Err(m),
                }
            } else {
                match t.parse::<i32>() {
                    Ok(pid) => signal::kill(Pid::from_raw(pid), sig)
                        .map_err(|e| format!("({pid}): {}", e.desc())),
                    Err(_) => Err(format!("{t}: arguments must be process or job IDs")),
                }
            };
            if let Err(m) = r {
                st = err(format!("kill: {m}"));
            }
        }
        st
    }

    /// `history`: the entries of the history file, numbered.
    fn history(&mut self) -> i32 {
        let Some(path) = &self.history_file else {
            return err("history: no history in this shell (not interactive)".into());
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

    /// Send `sig` to every process of a job (its group with job control).
    pub fn signal_job(&mut self, id: usize, sig: Signal) -> Result<(), String> {
        let job = self
            .jobs
            .get(id)
            .ok_or_else(|| format!("%{id}: no such job"))?;
        if let Some(pg) = job.pgid {
            return signal::killpg(pg, sig).map_err(|e| format!("%{id}: {}", e.desc()));
        }
        for p in job
            .procs
            .iter()
            .filter(|p| !p.state.done() && p.pid.as_raw() != 0)
        {
            signal::kill(p.pid, sig).map_err(|e| format!("%{id}: {}", e.desc()))?;
        }
        Ok(())
    }
}

fn test(args: &[String]) -> i32 {
    match test_cmd::test(args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(m) => {
            sys::err(&format!("psh: test: {m}\n"));
            2
        }
    }
}

fn echo(args: &[String]) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let Some(flags) = a.strip_prefix('-') else {
            break;
        };
        if flags.is_empty() || !flags.bytes().all(|b| matches!(b, b'n' | b'e' | b'E')) {
            break;
        }
        for b in flags.bytes() {
            match b {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut s = String::new();
    for (k, a) in args.get(i..).unwrap_or(&[]).iter().enumerate() {
        if k > 0 {
            s.push(' ');
        }
        if escapes {
            if interpret_escapes(a, &mut s) {
                return out("echo", &s);
            }
        } else {
            s.push_str(a);
        }
    }
    if newline {
        s.push('\n');
    }
    out("echo", &s)
}

/// `echo -e` escapes; true when `\c` asked to stop output there.
fn interpret_escapes(a: &str, s: &mut String) -> bool {
    let mut it = a.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            s.push(c);
            continue;
        }
        match it.next() {
            Some('n') => s.push('\n'),
            Some('t') => s.push('\t'),
            Some('r') => s.push('\r'),
            Some('a') => s.push('\x07'),
            Some('b') => s.push('\x08'),
            Some('e') | Some('E') => s.push('\x1b'),
            Some('f') => s.push('\x0c'),
            Some('v') => s.push('\x0b'),
            Some('\\') => s.push('\\'),
            Some('c') => return true,
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match it.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            it.next();
                        }
                        None => break,
                    }
                }
                s.push(char::from_u32(v).unwrap_or('?'));
            }
            Some('x') => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 {
                    match it.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            it.next();
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    s.push_str("\\x");
                } else {
                    s.push(char::from_u32(v).unwrap_or('?'));
                }
            }
            Some(o) => {
                s.push('\\');
                s.push(o);
            }
            None => s.push('\\'),
        }
    }
    false
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

/// `read` without `-r`: a backslash keeps the next character literally.
fn unescape_read(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
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
    fn builtin_list_is_sorted_for_binary_search() {
        let mut v = BUILTINS.to_vec();
        v.sort_unstable();
        assert_eq!(v, BUILTINS);
    }

    #[test]
    fn normalize_paths() {
        assert_eq!(normalize("/a/b/../c/./d"), "/a/c/d");
        assert_eq!(normalize("/../.."), "/");
    }

    #[test]
    fn echo_escapes() {
        let mut s = String::new();
        assert!(!interpret_escapes("a\\tb\\n\\x41\\0101", &mut s));
        assert_eq!(s, "a\tb\nAA");
        let mut s = String::new();
        assert!(interpret_escapes("x\\cy", &mut s));
        assert_eq!(s, "x");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("abc"), "abc");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
