//! The fast path's assignments (`NAME=word`, `NAME+=word`, `NAME[i]=word`,
//! `NAME=(words)`) and redirections (`N>&M`, `N>&-`, `<`, `>`, `>>`, `<>`,
//! `&>`, `&>>`, `<<<`, and the `<<<<` here-documents become), read through
//! `scan.rs`'s cursor into the grammar's AST, or `None` to leave the job
//! to the grammar.  Part of `fast/`; never reports errors.

use super::scan::Scan;
use super::word::{subscript, word};
use crate::lang::ast::*;

/// `NAME=word`, `NAME+=word`, `NAME[i]=word`, `NAME=(words)`.
pub(crate) fn assignment(s: &mut Scan<'_>) -> Option<Assign> {
    let n = s.name_len(s.pos);
    let name = s.string(s.pos, s.pos + n);
    s.pos += n;
    let index = subscript(s).map(|(a, b)| s.string(a, b));
    let append = s.peek() == Some(b'+');
    s.pos += usize::from(append);
    if s.peek() != Some(b'=') {
        return None;
    }
    s.pos += 1;
    let value = if s.peek() == Some(b'(') {
        AssignValue::List(list_value(s)?)
    } else {
        let mut value = Word::default();
        if s.word_start() {
            value = word(s)?;
            crate::lang::words::assignment_tildes(&mut value);
        }
        AssignValue::Word(value)
    };
    if !s.delim_at(s.pos) {
        return None;
    }
    Some(Assign {
        name,
        index,
        append,
        value,
    })
}

/// `(w1 w2 …)`, across lines and comments.
fn list_value(s: &mut Scan<'_>) -> Option<Vec<Word>> {
    s.pos += 1;
    let mut out = Vec::new();
    s.gap();
    while s.peek() != Some(b')') {
        if !s.word_start() {
            return None;
        }
        let w = word(s)?;
        if s.keep {
            out.push(w);
        }
        s.gap();
    }
    s.pos += 1;
    Some(out)
}

/// `N>&M`, `N>&-`, here-strings and the file redirections.
pub(crate) fn redirect(s: &mut Scan<'_>) -> Option<Redirect> {
    let fd = s
        .peek()
        .filter(u8::is_ascii_digit)
        .map(|d| i32::from(d - b'0'));
    let at = s.pos + usize::from(fd.is_some());
    let rest = &s.b[at..];
    // `<<< word`, and `<<<<` (what here-documents become).
    if rest.starts_with(b"<<") {
        let len = match (rest.starts_with(b"<<<<"), rest.starts_with(b"<<<")) {
            (true, _) => 4,
            (false, true) => 3,
            _ => return None,
        };
        s.pos = at + len;
        s.blanks();
        if !s.word_start() {
            return None;
        }
        let word = word(s)?;
        let op = RedirOp::Here {
            word,
            newline: len == 3,
        };
        return Some(Redirect {
            fd: fd.unwrap_or(0),
            op,
        });
    }
    if rest.starts_with(b">&") || rest.starts_with(b"<&") {
        let input = rest[0] == b'<';
        let target = s.at(at + 2)?;
        if !s.delim_at(at + 3) {
            return None;
        }
        let op = match target {
            b'-' => RedirOp::Close,
            d if d.is_ascii_digit() => RedirOp::Dup(i32::from(d - b'0')),
            _ => return None,
        };
        s.pos = at + 3;
        let fd = fd.unwrap_or(if input { 0 } else { 1 });
        return Some(Redirect { fd, op });
    }
    // The grammar's `redir_op`, in its order (the longer first).
    // (By bytes: a search of a table of operators called memcmp for each.)
    let op = match rest {
        [b'&', b'>', b'>', ..] if fd.is_none() => "&>>",
        [b'&', b'>', ..] if fd.is_none() => "&>",
        [b'>', b'>', ..] => ">>",
        [b'<', b'>', ..] => "<>",
        [b'>', ..] => ">",
        [b'<', ..] => "<",
        _ => return None,
    };
    s.pos = at + op.len();
    s.blanks();
    if !s.word_start() {
        return None;
    }
    let target = word(s)?;
    Some(crate::lang::redirects::file_redirect(op, fd, target))
}
