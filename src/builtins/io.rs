//! `echo` and `read`: bytes out to fd 1, one line in from fd 0 (a byte at
//! a time, so nothing past the line is consumed).  Nothing else.

use super::{err, out};
use crate::exec::shell::Shell;
use crate::exec::vars::valid_name;
use crate::os::{signals, sys};

impl Shell {
    pub(crate) fn read(&mut self, args: &[String]) -> i32 {
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
            if signals::interrupted() {
                return crate::exec::wait::interrupt_status();
            }
            match sys::read_byte_once(0) {
                // A signal: run handler blocks, then read on, unless it
                // was Ctrl-C (the command line ends).
                Err(nix::errno::Errno::EINTR) => {
                    self.run_traps_or_exit();
                    if signals::interrupted() {
                        return crate::exec::wait::interrupt_status();
                    }
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn echo_escapes() {
        let mut s = String::new();
        assert!(!interpret_escapes("a\\tb\\n\\x41\\0101", &mut s));
        assert_eq!(s, "a\tb\nAA");
        let mut s = String::new();
        assert!(interpret_escapes("x\\cy", &mut s));
        assert_eq!(s, "x");
    }
}
