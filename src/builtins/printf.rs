//! `printf [-v NAME] FORMAT [ARGS…]`: bash's formats (`%s %b %q %d %i %u
//! %o %x %X %c %e %E %f %F %g %G %%`, flags `-+ #0`, widths and
//! precisions, `*` taking them from the arguments), the format reused
//! until the arguments run out.  Builds bytes and writes them once (or
//! assigns them with `-v`).  Formatting only: no other shell state.

use super::escapes::{self, Dialect};
use super::out_bytes;
use crate::exec::shell::Shell;
use crate::exec::vars::valid_name;
use crate::os::text;

impl Shell {
    pub(crate) fn printf(&mut self, args: &[String]) -> i32 {
        let mut args = args;
        let mut var = None;
        loop {
            match args.first().map(String::as_str) {
                Some("-v") => {
                    let Some(name) = args.get(1) else {
                        return usage("-v: a variable name is needed");
                    };
                    if !valid_name(name) {
                        return usage(&format!("-v: `{name}`: not a valid name"));
                    }
                    var = Some(name.clone());
                    args = args.get(2..).unwrap_or(&[]);
                }
                Some("--") => {
                    args = args.get(1..).unwrap_or(&[]);
                    break;
                }
                _ => break,
            }
        }
        let Some((format, rest)) = args.split_first() else {
            return usage("a format is needed");
        };
        let (bytes, status) = format_all(&text::encode(format), rest);
        match var {
            Some(name) => {
                // Variables hold text for now (bytes come with the values issue).
                self.set_var(&name, text::decode_owned(bytes));
                status
            }
            None => match out_bytes("printf", &bytes) {
                0 => status,
                s => s,
            },
        }
    }
}

fn usage(m: &str) -> i32 {
    crate::exec::traps::usage(&format!(
        "printf: {m}\nusage: printf [-v NAME] FORMAT [ARGUMENTS…]"
    ))
}

/// The whole output of `printf FORMAT ARGS…` and its status (1 when an
/// argument was not a number, or the format was bad).
pub fn format_all(format: &[u8], args: &[String]) -> (Vec<u8>, i32) {
    let mut p = Printer {
        args,
        next: 0,
        status: 0,
        out: Vec::new(),
    };
    loop {
        let before = p.next;
        if p.pass(format) {
            break;
        }
        // Reuse the format while arguments remain and it consumes some.
        if p.next >= args.len() || p.next == before {
            break;
        }
    }
    (p.out, p.status)
}

struct Printer<'a> {
    args: &'a [String],
    next: usize,
    status: i32,
    out: Vec<u8>,
}

/// One `%…` conversion.
#[derive(Default, Clone, Copy)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

impl<'a> Printer<'a> {
    fn arg(&mut self) -> Option<&'a str> {
        let args: &'a [String] = self.args;
        let a = args.get(self.next).map(String::as_str);
        if a.is_some() {
            self.next += 1;
        }
        a
    }

    /// One pass over the format; true when `\c` or an error stops output.
    fn pass(&mut self, f: &[u8]) -> bool {
        let mut i = 0;
        while i < f.len() {
            let lit_end = f[i..]
                .iter()
                .position(|&b| b == b'%')
                .map_or(f.len(), |k| i + k);
            if lit_end > i {
                if escapes::interpret(&f[i..lit_end], Dialect::Format, &mut self.out) {
                    return true;
                }
                i = lit_end;
                continue;
            }
            // f[i] is '%'.
            i += 1;
            if f.get(i) == Some(&b'%') {
                self.out.push(b'%');
                i += 1;
                continue;
            }
            let mut s = Spec::default();
            while let Some(&c) = f.get(i) {
                match c {
                    b'-' => s.left = true,
                    b'+' => s.plus = true,
                    b' ' => s.space = true,
                    b'#' => s.alt = true,
                    b'0' => s.zero = true,
                    _ => break,
                }
                i += 1;
            }
            if f.get(i) == Some(&b'*') {
                i += 1;
                let w = self.int_arg();
                s.left |= w < 0;
                s.width = w.unsigned_abs().min(1 << 20) as usize;
            } else {
                s.width = number(f, &mut i).min(1 << 20);
            }
            if f.get(i) == Some(&b'.') {
                i += 1;
                if f.get(i) == Some(&b'*') {
                    i += 1;
                    let p = self.int_arg();
                    s.prec = (p >= 0).then_some(p.min(1 << 20) as usize);
                } else {
                    s.prec = Some(number(f, &mut i).min(1 << 20));
                }
            }
            // Length modifiers mean nothing here (bash accepts them).
            while matches!(f.get(i), Some(b'h' | b'l' | b'L' | b'j' | b'z' | b't')) {
                i += 1;
            }
            let Some(&conv) = f.get(i) else {
                self.status = 1;
                crate::os::sys::err("psh: printf: `%': missing format character\n");
                return true;
            };
            i += 1;
            if self.convert(conv, &s) {
                return true;
            }
        }
        false
    }

    /// Format one argument; true when output must stop (`%b` with `\c`, or
    /// a bad conversion character).
    fn convert(&mut self, conv: u8, s: &Spec) -> bool {
        match conv {
            b's' => {
                let a = text::encode(self.arg().unwrap_or(""));
                let a = cut(&a, s.prec);
                pad(&mut self.out, a, s);
            }
            b'b' => {
                let a = text::encode(self.arg().unwrap_or(""));
                let mut v = Vec::new();
                let stop = escapes::interpret(&a, Dialect::B, &mut v);
                pad(&mut self.out, cut(&v, s.prec), s);
                return stop;
            }
            b'q' => {
                let a = text::encode(self.arg().unwrap_or(""));
                let q = escapes::quote(&a);
                pad(&mut self.out, cut(&q, s.prec), s);
            }
            b'c' => {
                // An empty argument prints a NUL byte, as bash.
                let a = self.arg().unwrap_or("");
                let c: String = a.chars().next().map(String::from).unwrap_or_default();
                let c = if c.is_empty() { "\0".to_string() } else { c };
                pad(&mut self.out, &text::encode(&c), s);
            }
            b'd' | b'i' => {
                let v = self.int_arg();
                let digits = v.unsigned_abs().to_string();
                int_out(&mut self.out, sign(v < 0, s), "", digits, s);
            }
            b'u' | b'o' | b'x' | b'X' => {
                let v = self.int_arg() as u64;
                let (digits, prefix) = match conv {
                    b'u' => (v.to_string(), ""),
                    b'o' => (format!("{v:o}"), if s.alt && v != 0 { "0" } else { "" }),
                    b'x' => (format!("{v:x}"), if s.alt && v != 0 { "0x" } else { "" }),
                    _ => (format!("{v:X}"), if s.alt && v != 0 { "0X" } else { "" }),
                };
                int_out(&mut self.out, "", prefix, digits, s);
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                let v = self.float_arg();
                let body = float_text(v, conv, s);
                let (neg, body) = match body.strip_prefix('-') {
                    Some(b) => (true, b.to_string()),
                    None => (false, body),
                };
                let numeric = v.is_finite();
                num_pad(&mut self.out, sign(neg, s), "", &body, s, numeric);
            }
            other => {
                self.status = 1;
                let c = String::from_utf8_lossy(&[other]).into_owned();
                crate::os::sys::err(&format!("psh: printf: `{c}': invalid format character\n"));
                return true;
            }
        }
        false
    }

    fn int_arg(&mut self) -> i64 {
        let Some(a) = self.arg() else { return 0 };
        let (v, ok) = parse_int(a);
        if !ok {
            self.bad_number(a);
        }
        v
    }

    fn float_arg(&mut self) -> f64 {
        let Some(a) = self.arg() else { return 0.0 };
        let t = a.trim_start();
        if let Some(c) = char_code(t) {
            return c as f64;
        }
        match t.parse::<f64>() {
            Ok(v) => v,
            Err(_) => {
                let (v, ok) = parse_int(a);
                if !ok {
                    self.bad_number(a);
                }
                v as f64
            }
        }
    }

    fn bad_number(&mut self, a: &str) {
        self.status = 1;
        crate::os::sys::err(&format!("psh: printf: {a}: invalid number\n"));
    }
}

/// The sign a number is printed with: `-`, or `+`/blank as the flags ask.
fn sign(neg: bool, s: &Spec) -> &'static str {
    if neg {
        "-"
    } else if s.plus {
        "+"
    } else if s.space {
        " "
    } else {
        ""
    }
}

/// `'c` or `"c`: the character's code, as in C's printf(1).
fn char_code(t: &str) -> Option<u32> {
    let rest = t.strip_prefix(['\'', '"'])?;
    Some(rest.chars().next().map_or(0, |c| c as u32))
}

/// A number as bash's printf reads it: decimal, `0x` hex, `0` octal, `'c`;
/// with the value of its valid prefix and false when text follows.
pub fn parse_int(a: &str) -> (i64, bool) {
    let t = a.trim_start();
    if let Some(c) = char_code(t) {
        return (i64::from(c), true);
    }
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(h) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, h)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    let mut v: i64 = 0;
    let mut n = 0;
    for c in digits.chars() {
        match c.to_digit(radix) {
            Some(d) => {
                v = v.wrapping_mul(i64::from(radix)).wrapping_add(i64::from(d));
                n += 1;
            }
            None => break,
        }
    }
    let whole = n == digits.len() && (n > 0 || radix == 8);
    (if neg { v.wrapping_neg() } else { v }, whole)
}

fn number(f: &[u8], i: &mut usize) -> usize {
    let mut v: usize = 0;
    while let Some(d) = f.get(*i).filter(|b| b.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(usize::from(d - b'0'));
        *i += 1;
    }
    v
}

fn cut(a: &[u8], prec: Option<usize>) -> &[u8] {
    match prec {
        Some(p) if p < a.len() => &a[..p],
        _ => a,
    }
}

/// Text padded to the width with blanks (left or right).
fn pad(out: &mut Vec<u8>, text: &[u8], s: &Spec) {
    let fill = s.width.saturating_sub(text.len());
    if !s.left {
        out.resize(out.len() + fill, b' ');
    }
    out.extend_from_slice(text);
    if s.left {
        out.resize(out.len() + fill, b' ');
    }
}

fn int_out(out: &mut Vec<u8>, sign: &str, prefix: &str, digits: String, s: &Spec) {
    let digits = match s.prec {
        // `%.0d` of 0 prints nothing, as C.
        Some(0) if digits == "0" => String::new(),
        Some(p) if p > digits.len() => format!("{}{digits}", "0".repeat(p - digits.len())),
        _ => digits,
    };
    // A precision turns the 0 flag off for integers.
    let spec = Spec {
        zero: s.zero && s.prec.is_none(),
        ..*s
    };
    num_pad(out, sign, prefix, &digits, &spec, true);
}

/// Sign, prefix and digits padded: zeros after the sign with `0`, else
/// blanks before (or after, with `-`).
fn num_pad(out: &mut Vec<u8>, sign: &str, prefix: &str, body: &str, s: &Spec, numeric: bool) {
    let len = sign.len() + prefix.len() + body.len();
    let fill = s.width.saturating_sub(len);
    if s.zero && !s.left && numeric {
        out.extend_from_slice(sign.as_bytes());
        out.extend_from_slice(prefix.as_bytes());
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body.as_bytes());
        return;
    }
    let text = format!("{sign}{prefix}{body}");
    pad(out, text.as_bytes(), s);
}

/// `%e %f %g` (and upper case) as C prints them.
fn float_text(v: f64, conv: u8, s: &Spec) -> String {
    let upper = conv.is_ascii_uppercase();
    let text = if v.is_nan() {
        "nan".to_string()
    } else if v.is_infinite() {
        if v < 0.0 { "-inf" } else { "inf" }.to_string()
    } else {
        // Rust's formatter takes precisions up to 65 535 (C's, here, too).
        let prec = s.prec.unwrap_or(6).min(usize::from(u16::MAX));
        match conv.to_ascii_lowercase() {
            b'e' => exp_text(v, prec),
            b'f' => format!("{v:.prec$}"),
            _ => general(v, prec, s.alt),
        }
    };
    if upper {
        text.to_ascii_uppercase()
    } else {
        text
    }
}

/// `1.500000e+02`: Rust writes `1.5e2`, C a signed exponent of ≥ 2 digits.
fn exp_text(v: f64, prec: usize) -> String {
    let t = format!("{v:.prec$e}");
    let (mant, exp) = t.split_once('e').unwrap_or((&t, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let sign = if e < 0 { '-' } else { '+' };
    format!("{mant}e{sign}{:02}", e.unsigned_abs())
}

/// `%g`: the shorter of `%e` and `%f` for the precision, trailing zeros gone.
fn general(v: f64, prec: usize, alt: bool) -> String {
    let p = prec.max(1);
    let e_form = format!("{v:.*e}", p - 1);
    let x: i64 = e_form
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let text = if x < -4 || x >= p as i64 {
        exp_text(v, p - 1)
    } else {
        let fp = (p as i64 - 1 - x).max(0) as usize;
        format!("{v:.fp$}")
    };
    if alt {
        return text;
    }
    let (mant, exp) = match text.find('e') {
        Some(k) => (&text[..k], &text[k..]),
        None => (text.as_str(), ""),
    };
    let mant = if mant.contains('.') {
        mant.trim_end_matches('0').trim_end_matches('.')
    } else {
        mant
    };
    format!("{mant}{exp}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        String::from_utf8_lossy(&format_all(fmt.as_bytes(), &args).0).into_owned()
    }

    #[test]
    fn formats_like_c() {
        assert_eq!(f("%5s|%-5s|%.2s", &["ab", "cd", "xyz"]), "   ab|cd   |xy");
        assert_eq!(
            f(
                "%05d|%+d|% d|%x|%#o|%#X",
                &["42", "3", "4", "255", "8", "255"]
            ),
            "00042|+3| 4|ff|010|0XFF"
        );
        assert_eq!(f("%.3d|%-4d|", &["7", "5"]), "007|5   |");
        assert_eq!(f("%e", &["1234.5"]), "1.234500e+03");
        assert_eq!(
            f("%.2f %g %g %g", &["3.14159", "100000", "1000000", "0.0001"]),
            "3.14 100000 1e+06 0.0001"
        );
        assert_eq!(f("%c%c", &["hello", "é!"]), "hé");
        assert_eq!(f("%d", &["'A"]), "65");
        assert_eq!(f("%*d|%-*s|", &["4", "1", "3", "a"]), "   1|a  |");
        // A huge precision is bounded, never a panic.
        assert!(f("%.99999999999f", &["1"]).len() > 60_000);
    }

    #[test]
    fn format_is_reused_and_missing_args_are_empty() {
        assert_eq!(f("%s=%s\n", &["a", "1", "b"]), "a=1\nb=\n");
        assert_eq!(f("x\n", &["a", "b"]), "x\n");
        assert_eq!(f("%d|%s|", &[]), "0||");
    }

    #[test]
    fn bad_numbers_give_status_1() {
        let (out, st) = format_all(b"%d", &["12abc".to_string()]);
        assert_eq!((out, st), (b"12".to_vec(), 1));
        assert_eq!(format_all(b"%z", &[]).1, 1);
    }

    #[test]
    fn b_stops_at_backslash_c() {
        assert_eq!(f("%b|%s", &["a\\tb\\c", "never"]), "a\tb");
    }
}
