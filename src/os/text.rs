//! psh's text ⇄ the bytes of the outside world.  Shell data is bytes; psh
//! holds it in Rust strings so that patterns, lengths and slices work on
//! characters, with one rule that makes the round trip exact: text that is
//! valid UTF-8 stays as it is, and every other byte B (0x80–0xFF) is carried
//! as the code point U+10FF00 + B (the last 128 code points of the
//! Supplementary Private Use Area-B).  A real character from that range
//! in the input is carried as its four bytes, the same way, so
//! `encode(decode(b)) == b` for every byte string.  Every boundary — argv,
//! the environment, script text, `$(…)` output, `read`, file names, output
//! — converts here; nothing else should turn bytes into text.

use std::borrow::Cow;
use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

const BASE: u32 = 0x10FF00;
/// The first code point that stands for a raw byte (U+10FF80).
const FIRST: u32 = BASE + 0x80;

fn raw_char(b: u8) -> char {
    char::from_u32(BASE + u32::from(b)).unwrap_or('\u{fffd}')
}

/// The byte a code point stands for, if it is one of psh's raw bytes.
pub fn raw_byte(c: char) -> Option<u8> {
    let v = c as u32;
    (v >= FIRST).then(|| (v - BASE) as u8)
}

/// Bytes → text (borrowed when they are plain UTF-8).
pub fn decode(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) if !s.as_bytes().contains(&0xF4) => Cow::Borrowed(s),
        _ => Cow::Owned(decode_slow(b)),
    }
}

/// Bytes → text, taking the buffer.
pub fn decode_owned(v: Vec<u8>) -> String {
    if !v.contains(&0xF4) {
        match String::from_utf8(v) {
            Ok(s) => return s,
            Err(e) => return decode_slow(e.as_bytes()),
        }
    }
    decode_slow(&v)
}

fn decode_slow(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() + 8);
    for chunk in b.utf8_chunks() {
        for c in chunk.valid().chars() {
            if (c as u32) >= FIRST {
                let mut buf = [0u8; 4];
                for &x in c.encode_utf8(&mut buf).as_bytes() {
                    out.push(raw_char(x));
                }
            } else {
                out.push(c);
            }
        }
        for &x in chunk.invalid() {
            out.push(raw_char(x));
        }
    }
    out
}

/// Text → bytes (borrowed when it holds no raw bytes).
pub fn encode(s: &str) -> Cow<'_, [u8]> {
    if !s.as_bytes().contains(&0xF4) {
        return Cow::Borrowed(s.as_bytes());
    }
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Cow::Owned(out)
}

pub fn from_os(o: &OsStr) -> String {
    decode(o.as_bytes()).into_owned()
}

pub fn to_os(s: &str) -> OsString {
    OsString::from_vec(encode(s).into_owned())
}

/// A file name for the system calls.
pub fn path(s: &str) -> PathBuf {
    PathBuf::from(to_os(s))
}

/// For execve and friends; None when the text holds a NUL byte.
pub fn cstring(s: &str) -> Option<CString> {
    CString::new(encode(s).into_owned()).ok()
}

/// For messages: raw bytes shown as `\xHH`.
pub fn show(s: &str) -> Cow<'_, str> {
    if !s.as_bytes().contains(&0xF4) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match raw_byte(c) {
                Some(b) => format!("\\x{b:02x}"),
                None => c.to_string(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_string_round_trips() {
        let cases: &[&[u8]] = &[
            b"plain",
            "héllo 😀".as_bytes(),
            b"\xff\xfe",
            b"a\xc3(b",
            b"\xf4\x8f\xbf\xbf",      // U+10FFFF itself
            b"\xf4\x8f\xbe\x80x\xf4", // U+10FF80, then a lone F4
            b"\xed\xa0\x80",          // a surrogate: not UTF-8
        ];
        for &b in cases {
            let t = decode(b);
            assert_eq!(encode(&t).as_ref(), b, "{b:?}");
        }
        let t = decode(b"a\xffb");
        assert_eq!(t.chars().count(), 3);
        assert_eq!(show(&t), "a\\xffb");
        assert!(matches!(decode(b"plain"), Cow::Borrowed(_)));
        assert_eq!(decode_owned(b"\xff".to_vec()), decode(b"\xff"));
    }

    #[test]
    fn exhaustive_two_byte_round_trip() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let v = [a, b];
                assert_eq!(encode(&decode(&v)).as_ref(), &v);
            }
        }
    }
}
