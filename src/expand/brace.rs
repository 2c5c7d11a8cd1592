//! Brace expansion, the first expansion of an unquoted word (SPEC §2):
//! `{a,b,c}`, `x{,.bak}`, nested `{a,{b,c}}`, and sequences `{1..10}`,
//! `{01..10}`, `{a..e}`, `{10..1..2}`.  A word becomes several words; the
//! parameters, `$(…)` and quotes inside them are carried along untouched
//! and expanded afterwards.  A brace with neither a top-level comma nor a
//! valid sequence stays literal, as in bash.  Never looks at the shell.

use crate::lang::ast::{Word, WordPart};

/// More words than this from one brace sequence are not expanded (the
/// braces stay literal) rather than filling memory.
const MAX_SEQUENCE: i64 = 100_000;

/// A word as brace expansion sees it: unquoted characters, and the rest
/// (quoted text, parameters, substitutions) as opaque pieces.
#[derive(Clone, Debug)]
enum Tok {
    Ch(char),
    Part(WordPart),
}

fn tokens(w: &Word) -> Vec<Tok> {
    let mut out = Vec::new();
    for p in &w.0 {
        match p {
            WordPart::Lit {
                text,
                quoted: false,
            } => out.extend(text.chars().map(Tok::Ch)),
            other => out.push(Tok::Part(other.clone())),
        }
    }
    out
}

fn word_of(toks: &[Tok]) -> Word {
    let mut parts = Vec::new();
    let mut text = String::new();
    for t in toks {
        match t {
            Tok::Ch(c) => text.push(*c),
            Tok::Part(p) => {
                if !text.is_empty() {
                    parts.push(WordPart::Lit {
                        text: std::mem::take(&mut text),
                        quoted: false,
                    });
                }
                parts.push(p.clone());
            }
        }
    }
    if !text.is_empty() {
        parts.push(WordPart::Lit {
            text,
            quoted: false,
        });
    }
    Word(parts.into())
}

/// Could `w` need brace expansion?  (The common word has no `{`.)
pub fn has_braces(w: &Word) -> bool {
    w.0.iter()
        .any(|p| matches!(p, WordPart::Lit { text, quoted: false } if text.contains('{')))
}

/// At most this many words from one word (`{a,b}{a,b}…` multiplies).
pub const MAX_WORDS: usize = 1_000_000;

/// The words `w` expands to (just `w` when it has no brace to expand);
/// None when that would be more than `MAX_WORDS`.
pub fn expand(w: &Word) -> Option<Vec<Word>> {
    let mut out = Vec::new();
    expand_toks(&tokens(w), &mut out).then_some(out)
}

/// False once the words would be too many.
fn expand_toks(toks: &[Tok], out: &mut Vec<Word>) -> bool {
    if out.len() >= MAX_WORDS {
        return false;
    }
    match first_brace(toks) {
        None => out.push(word_of(toks)),
        Some((open, close, alts)) => {
            for alt in alts {
                let mut next = toks[..open].to_vec();
                next.extend(alt);
                next.extend_from_slice(&toks[close + 1..]);
                if !expand_toks(&next, out) {
                    return false;
                }
            }
        }
    }
    true
}

/// The first expandable brace: where it opens and closes, and its
/// alternatives.
fn first_brace(toks: &[Tok]) -> Option<(usize, usize, Vec<Vec<Tok>>)> {
    let mut start = 0;
    while let Some(open) = toks[start..]
        .iter()
        .position(|t| matches!(t, Tok::Ch('{')))
        .map(|i| i + start)
    {
        if let Some((close, alts)) = brace_at(toks, open) {
            return Some((open, close, alts));
        }
        start = open + 1;
    }
    None
}

/// The brace opened at `open`, if it expands.
fn brace_at(toks: &[Tok], open: usize) -> Option<(usize, Vec<Vec<Tok>>)> {
    let mut depth = 0usize;
    let mut commas = Vec::new();
    for (i, t) in toks.iter().enumerate().skip(open + 1) {
        match t {
            Tok::Ch('{') => depth += 1,
            Tok::Ch('}') if depth > 0 => depth -= 1,
            Tok::Ch('}') => {
                let inner = &toks[open + 1..i];
                if !commas.is_empty() {
                    let mut alts = Vec::new();
                    let mut from = open + 1;
                    for &c in commas.iter().chain(std::iter::once(&i)) {
                        alts.push(toks[from..c].to_vec());
                        from = c + 1;
                    }
                    return Some((i, alts));
                }
                return sequence(inner).map(|alts| (i, alts));
            }
            Tok::Ch(',') if depth == 0 => commas.push(i),
            _ => {}
        }
    }
    None
}

/// `1..10`, `01..10`, `a..e`, `10..1..2` as alternatives.
fn sequence(inner: &[Tok]) -> Option<Vec<Vec<Tok>>> {
    let text: String = inner
        .iter()
        .map(|t| match t {
            Tok::Ch(c) => Some(*c),
            Tok::Part(_) => None,
        })
        .collect::<Option<String>>()?;
    let parts: Vec<&str> = text.split("..").collect();
    let (a, b, step) = match parts.as_slice() {
        [a, b] => (*a, *b, None),
        [a, b, s] => (*a, *b, Some(s.parse::<i64>().ok()?)),
        _ => return None,
    };
    let chars = |s: &str| s.chars().map(Tok::Ch).collect::<Vec<_>>();
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let step = step.unwrap_or(1).checked_abs()?.max(1);
        if (y - x).abs() / step >= MAX_SEQUENCE {
            return None;
        }
        let padded = |s: &str| s.trim_start_matches('-').starts_with('0') && s.len() > 1;
        let width = if padded(a) || padded(b) {
            a.len().max(b.len())
        } else {
            0
        };
        let mut out = Vec::new();
        let mut v = x;
        while (x <= y && v <= y) || (x > y && v >= y) {
            let s = if v < 0 {
                format!("-{:0w$}", -v, w = width.saturating_sub(1))
            } else {
                format!("{v:0width$}")
            };
            out.push(chars(&s));
            v = if x <= y { v + step } else { v - step };
        }
        return Some(out);
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    match (ca.next(), ca.next(), cb.next(), cb.next()) {
        (Some(x), None, Some(y), None) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
            let step = usize::try_from(step.unwrap_or(1).checked_abs()?.max(1)).ok()?;
            let (lo, hi) = (x.min(y) as u8, x.max(y) as u8);
            let mut letters: Vec<Vec<Tok>> = (lo..=hi).map(|c| vec![Tok::Ch(c as char)]).collect();
            if x > y {
                letters.reverse();
            }
            Some(letters.into_iter().step_by(step).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Word {
        Word(crate::lang::ast::Parts::One(WordPart::Lit {
            text: s.into(),
            quoted: false,
        }))
    }

    fn ex(s: &str) -> Vec<String> {
        expand(&lit(s))
            .unwrap_or_default()
            .iter()
            .map(|w| w.as_literal().unwrap_or_default())
            .collect()
    }

    #[test]
    fn lists_and_nesting() {
        assert_eq!(ex("{a,b,c}"), ["a", "b", "c"]);
        assert_eq!(ex("x{,.bak}"), ["x", "x.bak"]);
        assert_eq!(ex("a{b,c}d{1,2}"), ["abd1", "abd2", "acd1", "acd2"]);
        assert_eq!(ex("{a,{b,c}}"), ["a", "b", "c"]);
        assert_eq!(ex("{a}"), ["{a}"]);
        assert_eq!(ex("{}"), ["{}"]);
        assert_eq!(ex("{a,b"), ["{a,b"]);
    }

    #[test]
    fn sequences() {
        assert_eq!(ex("{1..4}"), ["1", "2", "3", "4"]);
        assert_eq!(ex("{01..03}"), ["01", "02", "03"]);
        assert_eq!(ex("{a..e}"), ["a", "b", "c", "d", "e"]);
        assert_eq!(ex("{10..1..3}"), ["10", "7", "4", "1"]);
        assert_eq!(ex("{3..1}"), ["3", "2", "1"]);
        assert_eq!(ex("{-1..1}"), ["-1", "0", "1"]);
        assert_eq!(ex("{e..a..2}"), ["e", "c", "a"]);
        assert_eq!(ex("{1..9999999999}"), ["{1..9999999999}"]);
        assert_eq!(ex("{1..x}"), ["{1..x}"]);
    }

    #[test]
    fn a_product_too_big_is_refused() {
        assert!(expand(&lit(&"{a,b}".repeat(25))).is_none());
        assert_eq!(expand(&lit(&"{a,b}".repeat(3))).map(|v| v.len()), Some(8));
    }
}
