//! The fast path's words: literal text, quotes, escapes, `$name`,
//! `${…}` with its subscripts and operators, `$((…))`, `$(…)` — the same
//! `Word`s the grammar and `words.rs` give, or `None` to leave the job to
//! the grammar.  Reads through the cursor of `scan.rs`; the list inside
//! `$(…)` is read by the function the cursor carries (`mod.rs`'s).
//! Never reports errors, never expands.

use std::rc::Rc;

use super::scan::{stops_word, Scan};
use crate::lang::ast::*;
use crate::lang::words::{finish_word, index_of, param_part, plain_op, subst_op, PartList};

/// One word (the caller has checked that one starts here).
pub(crate) fn word(s: &mut Scan<'_>) -> Option<Word> {
    let mut parts = Parts::new();
    let start = s.pos;
    loop {
        match s.peek() {
            None => break,
            Some(b'\'') => single_quoted(s, &mut parts)?,
            Some(b'"') => double_quoted(s, &mut parts)?,
            Some(b'$') => dollar(s, &mut parts)?,
            Some(b'\\') => {
                let ch = s.s.get(s.pos + 1..)?.chars().next()?;
                if ch != '\n' {
                    s.lit(&mut parts, s.pos + 1, s.pos + 1 + ch.len_utf8(), true);
                }
                s.pos += 1 + ch.len_utf8();
            }
            Some(c) if stops_word(c) => break,
            // A backquote is a habit (`habits.rs`): the grammar's job.
            Some(b'`') => return None,
            Some(_) => {
                let at = s.pos;
                let end =
                    s.until(|c| stops_word(c) || matches!(c, b'\'' | b'"' | b'\\' | b'$' | b'`'));
                s.lit(&mut parts, at, end, false);
                s.pos = end;
            }
        }
    }
    if s.pos == start {
        return None;
    }
    if !s.keep {
        return Some(Word::default());
    }
    Some(finish_word(parts))
}

/// `'…'`
fn single_quoted(s: &mut Scan<'_>, parts: &mut impl PartList) -> Option<()> {
    let start = s.pos + 1;
    let len = s.b[start..].iter().position(|&c| c == b'\'')?;
    s.lit(parts, start, start + len, true);
    s.pos = start + len + 1;
    Some(())
}

/// `"…"`: text, escapes, `$…`.
fn double_quoted(s: &mut Scan<'_>, parts: &mut impl PartList) -> Option<()> {
    s.pos += 1;
    let mut inner = Vec::new();
    loop {
        match s.peek()? {
            b'"' => break,
            b'\\' => match s.at(s.pos + 1) {
                Some(c @ (b'"' | b'\\' | b'$' | b'`' | b'\n')) => {
                    if c != b'\n' {
                        s.lit(&mut inner, s.pos + 1, s.pos + 2, true);
                    }
                    s.pos += 2;
                }
                _ => {
                    s.lit(&mut inner, s.pos, s.pos + 1, true);
                    s.pos += 1;
                }
            },
            b'$' => dollar(s, &mut inner)?,
            b'`' => return None,
            _ => {
                let at = s.pos;
                let end = s.until(|c| matches!(c, b'"' | b'\\' | b'$' | b'`'));
                s.lit(&mut inner, at, end, true);
                s.pos = end;
            }
        }
    }
    s.pos += 1;
    if s.keep && inner.is_empty() {
        inner.push(WordPart::Lit {
            text: String::new(),
            quoted: true,
        });
    }
    s.put(parts, || WordPart::DoubleQuoted(inner));
    Some(())
}

fn is_special(c: u8) -> bool {
    matches!(c, b'?' | b'!' | b'$' | b'#' | b'@' | b'*')
}

/// What a `$` starts: `$((…))`, `$(…)`, `${…}`, `$name`, `$?`, `$1`, or a
/// plain `$`.
fn dollar(s: &mut Scan<'_>, parts: &mut impl PartList) -> Option<()> {
    match s.at(s.pos + 1) {
        Some(b'(') if s.at(s.pos + 2) == Some(b'(') => {
            s.pos += 3;
            let mut inner = Vec::new();
            arith(s, &mut inner)?;
            if !s.b[s.pos..].starts_with(b"))") {
                return None;
            }
            s.pos += 2;
            s.put(parts, || WordPart::Arith(inner));
        }
        Some(b'(') => {
            s.pos += 2;
            let list = (s.list)(s)?;
            if s.peek() != Some(b')') {
                return None;
            }
            s.pos += 1;
            s.put(parts, || WordPart::CmdSub(Rc::new(list)));
        }
        Some(b'{') => {
            let part = s.nested(braced)?;
            s.put(parts, || part);
        }
        Some(c) if is_special(c) => {
            s.pos += 2;
            s.put(parts, || WordPart::Special(char::from(c)));
        }
        Some(c) if c.is_ascii_digit() => {
            s.pos += 2;
            s.put(parts, || WordPart::Positional(usize::from(c - b'0')));
        }
        _ => match s.name_len(s.pos + 1) {
            0 => {
                s.lit(parts, s.pos, s.pos + 1, true);
                s.pos += 1;
            }
            n => {
                let name = s.string(s.pos + 1, s.pos + 1 + n);
                s.put(parts, || WordPart::Var(name));
                s.pos += 1 + n;
            }
        },
    }
    Some(())
}

/// `${…}`: `${#ref}`, or a reference and perhaps an operator.
fn braced(s: &mut Scan<'_>) -> Option<WordPart> {
    s.pos += 2;
    let mut length = None;
    if s.peek() == Some(b'#') {
        let save = s.pos;
        s.pos += 1;
        match param_ref(s) {
            Some(r) if s.peek() == Some(b'}') => length = Some(r),
            _ => s.pos = save,
        }
    }
    let (name, index, op) = match length {
        Some((name, index)) => (name, index, ParamOp::Length),
        None => {
            let (name, index) = param_ref(s)?;
            (name, index, param_op(s)?)
        }
    };
    if s.peek() != Some(b'}') {
        return None;
    }
    s.pos += 1;
    Some(param_part(name, index, op))
}

/// `name[sub]`, a special parameter or a number; `None` (nothing read) if
/// none starts here.
fn param_ref(s: &mut Scan<'_>) -> Option<(ParamName, Option<Index>)> {
    let c = s.peek()?;
    if is_special(c) {
        s.pos += 1;
        return Some((ParamName::Special(char::from(c)), None));
    }
    if c.is_ascii_digit() {
        let start = s.pos;
        s.pos = s.until(|c| !c.is_ascii_digit());
        let n = s.s[start..s.pos].parse().unwrap_or(usize::MAX);
        return Some((ParamName::Positional(n), None));
    }
    let n = s.name_len(s.pos);
    if n == 0 {
        return None;
    }
    let name = ParamName::Var(s.string(s.pos, s.pos + n));
    s.pos += n;
    let index = subscript(s).map(|(a, b)| index_of(&s.s[a..b]));
    Some((name, index))
}

/// `[text]` at the cursor: the text's span, the cursor after `]`; `None`
/// (nothing read) where the grammar's `subscript` does not match.
pub(crate) fn subscript(s: &mut Scan<'_>) -> Option<(usize, usize)> {
    if s.peek() != Some(b'[') {
        return None;
    }
    let start = s.pos + 1;
    let mut end = start;
    loop {
        match s.b.get(end..)? {
            [b']', ..] => break,
            [b'\n' | b'\'' | b'"' | b'`', ..] | [b'$', b'(' | b'{', ..] | [] => return None,
            _ => end += 1,
        }
    }
    s.pos = end + 1;
    Some((start, end))
}

/// What may follow a reference in `${…}`: `Plain` if nothing does.
fn param_op(s: &mut Scan<'_>) -> Option<ParamOp> {
    let rest = &s.s[s.pos..];
    if rest.starts_with('/') {
        let op = ["//", "/#", "/%", "/"]
            .into_iter()
            .find(|op| rest.starts_with(op))
            .unwrap_or("/");
        s.pos += op.len();
        let pat = op_word(s, true)?;
        let rep = match s.peek() {
            Some(b'/') => {
                s.pos += 1;
                op_word(s, false)?
            }
            _ => Word::default(),
        };
        return Some(subst_op(op, pat, rep));
    }
    // The grammar's `plain_op`, in its order (the longer first).
    const PLAIN: [&str; 16] = [
        ":-", ":=", ":?", ":+", "-", "=", "?", "+", "##", "#", "%%", "%", "^^", "^", ",,", ",",
    ];
    if let Some(op) = PLAIN.into_iter().find(|op| rest.starts_with(op)) {
        s.pos += op.len();
        return Some(plain_op(op, op_word(s, false)?));
    }
    if rest.starts_with(':') {
        s.pos += 1;
        let off = slice_text(s)?;
        let len = match s.peek() {
            Some(b':') => {
                s.pos += 1;
                Some(slice_text(s)?)
            }
            _ => None,
        };
        return Some(ParamOp::Slice { off, len });
    }
    Some(ParamOp::Plain)
}

/// Up to `:`, `}` or a newline (not a backquote: a habit).
fn slice_text(s: &mut Scan<'_>) -> Option<String> {
    let start = s.pos;
    s.pos = s.until(|c| matches!(c, b':' | b'}' | b'\n' | b'`'));
    match s.peek() {
        Some(b'`') => None,
        _ => Some(s.s[start..s.pos].to_string()),
    }
}

/// An operator's word, up to `}` (and `/` for a pattern): quotes, `$…`,
/// `\x`, text.  No `~`, no field splitting: as the grammar's `op_word`.
fn op_word(s: &mut Scan<'_>, pattern: bool) -> Option<Word> {
    let mut parts = Parts::new();
    loop {
        match s.peek() {
            None | Some(b'}') => break,
            Some(b'/') if pattern => break,
            Some(b'\'') => single_quoted(s, &mut parts)?,
            Some(b'"') => double_quoted(s, &mut parts)?,
            Some(b'$') => dollar(s, &mut parts)?,
            Some(b'\\') => {
                let ch = s.s.get(s.pos + 1..)?.chars().next()?;
                s.lit(&mut parts, s.pos + 1, s.pos + 1 + ch.len_utf8(), true);
                s.pos += 1 + ch.len_utf8();
            }
            Some(b'`') => return None,
            Some(_) => {
                let at = s.pos;
                let end = s.until(|c| {
                    matches!(c, b'}' | b'\'' | b'"' | b'\\' | b'$' | b'`') || (pattern && c == b'/')
                });
                s.lit(&mut parts, at, end, false);
                s.pos = end;
            }
        }
    }
    Some(Word(parts))
}

/// The inside of `$((…))` up to its closing `)`: text, `(…)`, `$…`.
fn arith(s: &mut Scan<'_>, parts: &mut impl PartList) -> Option<()> {
    loop {
        match s.peek() {
            None | Some(b')') => return Some(()),
            Some(b'(') => {
                s.lit(parts, s.pos, s.pos + 1, true);
                s.pos += 1;
                s.nested(|s| arith(s, parts))?;
                if s.peek() != Some(b')') {
                    return None;
                }
                s.lit(parts, s.pos, s.pos + 1, true);
                s.pos += 1;
            }
            Some(b'$') => {
                // A `$` that starts nothing ends the text in the grammar.
                let next = s.at(s.pos + 1);
                let starts = s.name_len(s.pos + 1) > 0
                    || matches!(next, Some(c) if is_special(c) || c.is_ascii_digit())
                    || matches!(next, Some(b'(' | b'{'));
                if !starts {
                    return None;
                }
                dollar(s, parts)?;
            }
            Some(b'`') => return None,
            Some(_) => {
                let at = s.pos;
                let end = s.until(|c| matches!(c, b'(' | b')' | b'$' | b'`'));
                s.lit(parts, at, end, true);
                s.pos = end;
            }
        }
    }
}
