//! Backslash escapes both ways.  In: as `echo -e`, `printf`'s format and
//! `printf %b` understand them, producing bytes (`\0NNN` and `\xHH` give
//! the byte itself, not its UTF-8 encoding; `\uHHHH` and `\UHHHHHHHH` a
//! character's UTF-8).  Out: `printf %q`, a word quoted so the shell
//! reads it back unchanged.  Pure: no I/O.

/// Which dialect: `echo -e` wants `\0NNN` (a leading zero and up to
/// three more digits); printf's format takes `\NNN` (up to three) and
/// knows no `\c`; `%b` takes both octal forms and `\c`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Echo,
    Format,
    B,
}

/// Append `s` with its escapes interpreted to `out`; true when `\c` asked
/// to stop all output there.
pub fn interpret(s: &[u8], dialect: Dialect, out: &mut Vec<u8>) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = s.get(i) else {
            out.push(b'\\');
            break;
        };
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'e' | b'E' => out.push(0x1b),
            b'f' => out.push(0x0c),
            b'v' => out.push(0x0b),
            b'\\' => out.push(b'\\'),
            b'"' if dialect == Dialect::Format => out.push(b'"'),
            b'\'' if dialect == Dialect::Format => out.push(b'\''),
            b'c' if dialect != Dialect::Format => return true,
            b'0'..=b'7' if e == b'0' || dialect != Dialect::Echo => {
                // `\0` then up to 3 digits (echo, %b); else up to 3 in all.
                let (mut v, max) = if e == b'0' && dialect != Dialect::Format {
                    (0u32, 3)
                } else {
                    (u32::from(e - b'0'), 2)
                };
                let (n, used) = digits(&s[i..], 8, max);
                if used > 0 {
                    v = v * 8u32.pow(used as u32) + n;
                }
                i += used;
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let (v, used) = digits(&s[i..], 16, 2);
                if used == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                    i += used;
                }
            }
            b'u' | b'U' => {
                let max = if e == b'u' { 4 } else { 8 };
                let (v, used) = digits(&s[i..], 16, max);
                if used == 0 {
                    out.push(b'\\');
                    out.push(e);
                } else {
                    i += used;
                    let ch = char::from_u32(v).unwrap_or('\u{fffd}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    false
}

/// Up to `max` digits of `radix` at the start of `s`: (value, count).
fn digits(s: &[u8], radix: u32, max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut n = 0;
    for &b in s.iter().take(max) {
        match (b as char).to_digit(radix) {
            Some(d) => {
                v = v.wrapping_mul(radix).wrapping_add(d);
                n += 1;
            }
            None => break,
        }
    }
    (v, n)
}

/// `%q`: the argument quoted so the shell reads it back as the same word.
pub fn quote(a: &[u8]) -> Vec<u8> {
    if a.is_empty() {
        return b"''".to_vec();
    }
    let text = std::str::from_utf8(a).ok();
    let control = a.iter().any(|&b| b < 0x20 || b == 0x7f);
    if control || text.is_none() {
        // $'…' with escapes, for control characters and bytes that are not UTF-8.
        let mut out = b"$'".to_vec();
        for &b in a {
            match b {
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\r' => out.extend_from_slice(b"\\r"),
                0x1b => out.extend_from_slice(b"\\E"),
                b'\'' | b'\\' => {
                    out.push(b'\\');
                    out.push(b);
                }
                b if b < 0x20 || b == 0x7f || (b >= 0x80 && text.is_none()) => {
                    out.extend_from_slice(format!("\\{b:03o}").as_bytes())
                }
                b => out.push(b),
            }
        }
        out.push(b'\'');
        return out;
    }
    let mut out = Vec::with_capacity(a.len() + 4);
    for (i, &b) in a.iter().enumerate() {
        let safe = b.is_ascii_alphanumeric()
            || b >= 0x80
            || matches!(
                b,
                b'_' | b'@' | b'%' | b'+' | b'=' | b':' | b'.' | b'/' | b'-'
            )
            || (b == b'~' && i > 0)
            || (b == b'#' && i > 0);
        if !safe {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, d: Dialect) -> (Vec<u8>, bool) {
        let mut v = Vec::new();
        let stop = interpret(s.as_bytes(), d, &mut v);
        (v, stop)
    }

    #[test]
    fn echo_escapes_give_bytes() {
        assert_eq!(run("a\\tb\\n\\x41\\0101", Dialect::Echo).0, b"a\tb\nAA");
        assert_eq!(run("\\0377\\xff", Dialect::Echo).0, vec![0xff, 0xff]);
        assert_eq!(run("\\u00e9\\U0001F600", Dialect::Echo).0, "é😀".as_bytes());
        assert_eq!(run("x\\cy", Dialect::Echo), (b"x".to_vec(), true));
        // `\101` is not octal for echo (it needs the leading 0).
        assert_eq!(run("\\101", Dialect::Echo).0, b"\\101");
        assert_eq!(run("\\q\\", Dialect::Echo).0, b"\\q\\");
    }

    #[test]
    fn format_escapes() {
        assert_eq!(run("\\101\\7\\0", Dialect::Format).0, b"A\x07\0");
        assert_eq!(run("\\\"\\'", Dialect::Format).0, b"\"'");
        assert_eq!(run("\\x", Dialect::Format).0, b"\\x");
        assert_eq!(run("a\\cb", Dialect::Format), (b"a\\cb".to_vec(), false));
        assert_eq!(run("\\1011\\01011", Dialect::B).0, b"A1A1");
    }

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(quote(b"a b"), b"a\\ b");
        assert_eq!(quote(b""), b"''");
        assert_eq!(quote(b"it's"), b"it\\'s");
        assert_eq!(quote(b"a\nb"), b"$'a\\nb'");
        assert_eq!(quote(b"\xff"), b"$'\\377'");
    }
}
