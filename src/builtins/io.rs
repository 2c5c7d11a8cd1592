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
        // From a pipe or terminal one byte at a time, so input meant for
        // the next command stays there; from a regular file a block at a
        // time, the rest given back with lseek (as bash).
        let mut src = Source::new(deadline.is_none() && sys::is_regular(0));
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
            match src.next() {
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
        drop(src);
        let text = crate::os::text::decode_owned(line);
        // End of input before the delimiter is status 1, even after a
        // partial last line (bash); a timeout is 128 + SIGALRM.
        let status = match (got_newline, timed_out) {
            (_, true) => 142,
            (true, false) => 0,
            (false, false) => 1,
        };
        if let Some(l) = list {
            self.set_list(&l, fields(&text, raw, usize::MAX));
            return status;
        }
        if names.is_empty() {
            let line = if raw {
                text
            } else {
                fields(&text, false, 0).concat()
            };
            self.set_var("REPLY", line);
            return status;
        }
        let mut values = fields(&text, raw, names.len()).into_iter();
        for name in &names {
            self.set_var(name, values.next().unwrap_or_default());
        }
        status
    }
}

/// Split a line read into at most `max` fields at blanks (0: one field,
/// nothing trimmed); the last takes the rest of the line.  Without `-r`
/// a backslash keeps the next character (a blank too) and goes.
fn fields(s: &str, raw: bool, max: usize) -> Vec<String> {
    let blank = |c: char| c == ' ' || c == '\t';
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    if max == 0 {
        let mut f = String::new();
        while i < cs.len() {
            if !raw && cs[i] == '\\' && i + 1 < cs.len() {
                i += 1;
            }
            f.push(cs[i]);
            i += 1;
        }
        return vec![f];
    }
    while i < cs.len() && blank(cs[i]) {
        i += 1;
    }
    while i < cs.len() {
        let last = out.len() + 1 == max;
        let mut f = String::new();
        // Up to `keep` chars: trailing unescaped blanks of the last field go.
        let mut keep = 0;
        while i < cs.len() && (last || !blank(cs[i])) {
            if !raw && cs[i] == '\\' && i + 1 < cs.len() {
                f.push(cs[i + 1]);
                i += 2;
                keep = f.len();
            } else {
                f.push(cs[i]);
                if !blank(cs[i]) {
                    keep = f.len();
                }
                i += 1;
            }
        }
        f.truncate(keep);
        out.push(f);
        while i < cs.len() && blank(cs[i]) {
            i += 1;
        }
    }
    out
}

/// Where `read` takes its bytes from (see `read`).
struct Source {
    block: Option<(Vec<u8>, usize, usize)>,
}

thread_local! {
    /// The block buffer, kept between `read`s (zeroing a fresh one was a
    /// third of a `while read` loop's instructions).
    static BLOCK: std::cell::Cell<Option<Vec<u8>>> = const { std::cell::Cell::new(None) };
}

impl Source {
    fn new(block: bool) -> Source {
        let buf = || BLOCK.take().unwrap_or_else(|| vec![0u8; 4096]);
        Source {
            block: block.then(|| (buf(), 0, 0)),
        }
    }

    /// (Inlined: `read` calls it for every byte; left to itself the
    /// compiler sometimes made it a call, +1 100 instructions a line.)
    #[inline(always)]
    fn next(&mut self) -> nix::Result<Option<u8>> {
        let Some((buf, pos, len)) = &mut self.block else {
            return sys::read_byte_once(0);
        };
        if *pos == *len {
            *len = sys::read_some(0, buf)?;
            *pos = 0;
            if *len == 0 {
                return Ok(None);
            }
        }
        let b = buf.get(*pos).copied();
        *pos += 1;
        Ok(b)
    }
}

impl Drop for Source {
    /// Put back what was read past the line (on every way out).
    fn drop(&mut self) {
        if let Some((buf, pos, len)) = &mut self.block {
            if *len > *pos {
                let _ = sys::seek_back(0, *len - *pos);
            }
            *pos = *len;
            BLOCK.set(Some(std::mem::take(buf)));
        }
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
