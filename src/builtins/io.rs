//! `echo` and `read`: bytes out to fd 1, one line in from fd 0 (a byte at
//! a time, so nothing past the line is consumed).  Nothing else.

use super::{err, escapes, out_bytes};
use crate::exec::shell::Shell;
use crate::exec::vars::valid_name;
use crate::os::{signals, sys, text};

impl Shell {
    /// `read [-r] [-p PROMPT] [-d DELIM] [-t SECS] [NAME…]`.
    pub(crate) fn read(&mut self, args: &[String]) -> i32 {
        let o = match ReadOptions::parse(args) {
            Ok(o) => o,
            Err(m) => {
                sys::err(&format!("psh: read: {m}\n"));
                return 2;
            }
        };
        if let Some(p) = &o.prompt {
            // As bash: the prompt only for a terminal.
            if crate::os::process::isatty(0) {
                sys::err(p);
            }
        }
        let (raw, names, delim, list) = (o.raw, o.names, o.delim, o.list);
        let deadline = o.timeout.map(|t| std::time::Instant::now() + t);
        // One byte at a time, so input meant for the next command stays
        // in the pipe or file.
        let mut line = Vec::new();
        let mut got_newline = false;
        let mut timed_out = false;
        loop {
            if signals::interrupted() {
                return signals::interrupt_status();
            }
            if let Some(d) = deadline {
                let left = d.saturating_duration_since(std::time::Instant::now());
                match sys::wait_readable(0, left) {
                    Some(true) => {}
                    Some(false) => {
                        timed_out = true;
                        break;
                    }
                    None => {
                        self.run_traps_or_exit();
                        continue;
                    }
                }
            }
            match sys::read_byte_once(0) {
                // A signal: run handler blocks, then read on, unless it
                // was Ctrl-C (the command line ends).
                Err(nix::errno::Errno::EINTR) => {
                    self.run_traps_or_exit();
                    if signals::interrupted() {
                        return signals::interrupt_status();
                    }
                }
                Ok(Some(b)) if b == delim => {
                    if !raw && line.last() == Some(&b'\\') {
                        line.pop();
                        if b != b'\n' {
                            line.push(b);
                        }
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
        let mut text = crate::os::text::decode_owned(line);
        if !raw {
            text = unescape_read(&text);
        }
        // End of input before the delimiter is status 1, even after a
        // partial last line (bash); a timeout is 128 + SIGALRM.
        let status = match (got_newline, timed_out) {
            (_, true) => 142,
            (true, false) => 0,
            (false, false) => 1,
        };
        if let Some(l) = list {
            let fields = text
                .split([' ', '\t'])
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect();
            self.set_list(&l, fields);
            return status;
        }
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
}

/// What `read` was asked.
struct ReadOptions {
    raw: bool,
    prompt: Option<String>,
    delim: u8,
    timeout: Option<std::time::Duration>,
    names: Vec<String>,
    /// `-a NAME`: the fields become a list.
    list: Option<String>,
}

impl ReadOptions {
    fn parse(args: &[String]) -> Result<ReadOptions, String> {
        let mut o = ReadOptions {
            raw: false,
            prompt: None,
            delim: b'\n',
            timeout: None,
            names: Vec::new(),
            list: None,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-r" => o.raw = true,
                "-p" => o.prompt = Some(it.next().ok_or("-p: a prompt is needed")?.clone()),
                // `-d ''`: up to a NUL byte.
                "-d" => {
                    o.delim = it
                        .next()
                        .ok_or("-d: a delimiter is needed")?
                        .bytes()
                        .next()
                        .unwrap_or(0)
                }
                "-t" => {
                    let t = it.next().ok_or("-t: a number of seconds is needed")?;
                    let secs: f64 = t
                        .parse()
                        .ok()
                        .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s < 1e9)
                        .ok_or(format!("-t: `{t}`: not a number of seconds"))?;
                    o.timeout = Some(std::time::Duration::from_secs_f64(secs));
                }
                "-a" => {
                    let n = it.next().ok_or("-a: a list name is needed")?;
                    if !valid_name(n) {
                        return Err(format!("-a: `{n}`: not a valid name"));
                    }
                    o.list = Some(n.clone());
                }
                n if valid_name(n) => o.names.push(n.to_string()),
                n => return Err(format!("`{n}`: not a valid name")),
            }
        }
        Ok(o)
    }
}

pub(crate) fn echo(args: &[String]) -> i32 {
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
    let mut s = Vec::new();
    for (k, a) in args.get(i..).unwrap_or(&[]).iter().enumerate() {
        if k > 0 {
            s.push(b' ');
        }
        if escapes {
            if escapes::interpret(&text::encode(a), escapes::Dialect::Echo, &mut s) {
                return out_bytes("echo", &s);
            }
        } else {
            s.extend_from_slice(&text::encode(a));
        }
    }
    if newline {
        s.push(b'\n');
    }
    out_bytes("echo", &s)
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
