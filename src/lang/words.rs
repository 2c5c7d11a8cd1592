//! Word building: the parts of one shell word as the grammar saw them
//! (literal text, quotes, `$name`, `${…}`, `$(…)`, `$((…))`, `~`) become
//! `WordPart`s.  Nothing is expanded here; that happens later, in
//! `expand/`.

use std::rc::Rc;

use pest::iterators::Pair;

use super::grammar::Rule;
use crate::lang::ast::*;

/// Builds the list inside `$(…)`: passed in by the list builder, since a
/// word can hold a list and a list holds words (the grammar's own
/// recursion), so this file need not depend on `build.rs`.
pub(crate) type ListFn = fn(Pair<Rule>) -> List;

pub(crate) fn build_word(p: Pair<Rule>, list: ListFn) -> Word {
    let mut parts = Parts::new();
    for c in p.into_inner() {
        push_part(&mut parts, c, false, list);
    }
    finish_word(parts)
}

/// A word's parts → the word: `~` or `~user` at its start becomes a
/// `Tilde` part (shared with the fast path, `fast/`).
pub(crate) fn finish_word(mut parts: Parts) -> Word {
    // `~` or `~user` at the start of an unquoted word.
    if let Some(WordPart::Lit {
        text,
        quoted: false,
    }) = parts.first()
    {
        if let Some(rest) = text.strip_prefix('~') {
            let end = rest.find('/').unwrap_or(rest.len());
            let user = rest[..end].to_string();
            let tail = rest[end..].to_string();
            let ends_word = tail.is_empty() && parts.len() == 1;
            if !tail.is_empty() || ends_word || parts.len() == 1 {
                parts.edit(|parts| {
                    parts.remove(0);
                    if !tail.is_empty() {
                        parts.insert(
                            0,
                            WordPart::Lit {
                                text: tail,
                                quoted: false,
                            },
                        );
                    }
                    parts.insert(0, WordPart::Tilde(user));
                });
            }
        }
    }
    Word(parts)
}

/// In an assignment's value, `~` after every unquoted `:` expands too
/// (`PATH=$PATH:~/bin`), as in sh.
pub(crate) fn assignment_tildes(w: &mut Word) {
    let tilde =
        |p: &WordPart| matches!(p, WordPart::Lit { text, quoted: false } if text.contains(":~"));
    if !w.0.iter().any(tilde) {
        return;
    }
    let n = w.0.len();
    let mut out = Vec::with_capacity(n);
    for (k, part) in std::mem::take(&mut w.0).into_iter().enumerate() {
        let WordPart::Lit {
            text,
            quoted: false,
        } = &part
        else {
            out.push(part);
            continue;
        };
        if !text.contains(":~") {
            out.push(part);
            continue;
        }
        let last = k + 1 == n;
        let mut rest = text.as_str();
        let mut lit = String::new();
        while let Some(i) = rest.find(":~") {
            lit.push_str(&rest[..=i]);
            let after = &rest[i + 2..];
            let end = after.find(['/', ':']).unwrap_or(after.len());
            if end == after.len() && !last {
                lit.push('~');
                rest = after;
                continue;
            }
            push_lit(&mut out, &lit, false);
            lit.clear();
            out.push(WordPart::Tilde(after[..end].to_string()));
            rest = &after[end..];
        }
        lit.push_str(rest);
        push_lit(&mut out, &lit, false);
    }
    w.0 = out.into();
}

/// Add literal text, merged into the last part when it is literal text
/// quoted alike (so `a'b'` is one quoted and one plain part, `'a''b'` one).
pub(crate) fn push_lit(parts: &mut impl PartList, s: &str, quoted: bool) {
    if s.is_empty() && !quoted {
        return;
    }
    if let Some(WordPart::Lit { text, quoted: q }) = parts.last_part() {
        if *q == quoted {
            text.push_str(s);
            return;
        }
    }
    parts.put_part(WordPart::Lit {
        text: s.to_string(),
        quoted,
    });
}

/// What a reader pushes parts onto: a word's `Parts`, or the `Vec` inside
/// `"…"` or `$((…))`.
pub(crate) trait PartList {
    fn last_part(&mut self) -> Option<&mut WordPart>;
    fn put_part(&mut self, part: WordPart);
}

impl PartList for Parts {
    fn last_part(&mut self) -> Option<&mut WordPart> {
        self.last_mut()
    }
    fn put_part(&mut self, part: WordPart) {
        self.push(part)
    }
}

impl PartList for Vec<WordPart> {
    fn last_part(&mut self) -> Option<&mut WordPart> {
        self.last_mut()
    }
    /// The first part gets room for itself alone (most have one).
    fn put_part(&mut self, part: WordPart) {
        if self.capacity() == 0 {
            self.reserve_exact(1);
        }
        self.push(part);
    }
}

fn push_part(parts: &mut impl PartList, c: Pair<Rule>, in_dq: bool, list: ListFn) {
    match c.as_rule() {
        Rule::literal | Rule::dq_text | Rule::arith_text => push_lit(parts, c.as_str(), in_dq),
        Rule::dollar | Rule::dq_backslash => push_lit(parts, c.as_str(), true),
        Rule::sq_string => {
            let text = c.into_inner().next().map_or("", |t| t.as_str());
            push_lit(parts, text, true);
        }
        Rule::escaped | Rule::dq_escape => {
            let ch = &c.as_str()[1..];
            if ch != "\n" && ch != "\r\n" {
                push_lit(parts, ch, true);
            }
        }
        Rule::dq_string => {
            let mut inner = Vec::new();
            for q in c.into_inner() {
                push_part(&mut inner, q, true, list);
            }
            if inner.is_empty() {
                inner.push(WordPart::Lit {
                    text: String::new(),
                    quoted: true,
                });
            }
            parts.put_part(WordPart::DoubleQuoted(inner));
        }
        Rule::param => {
            if let Some(inner) = c.into_inner().next() {
                parts.put_part(build_param(inner, list));
            }
        }
        Rule::cmd_sub => {
            let list = c
                .into_inner()
                .next()
                .and_then(|cl| cl.into_inner().next())
                .map(list)
                .unwrap_or_default();
            parts.put_part(WordPart::CmdSub(Rc::new(list)));
        }
        Rule::arith_sub => {
            let mut inner = Vec::new();
            if let Some(body) = c.into_inner().next() {
                push_arith(&mut inner, body, list);
            }
            parts.put_part(WordPart::Arith(inner));
        }
        _ => {}
    }
}

fn push_arith(parts: &mut impl PartList, body: Pair<Rule>, list: ListFn) {
    for c in body.into_inner() {
        match c.as_rule() {
            Rule::arith_paren => {
                push_lit(parts, "(", true);
                if let Some(b) = c.into_inner().next() {
                    push_arith(parts, b, list);
                }
                push_lit(parts, ")", true);
            }
            _ => push_part(parts, c, true, list),
        }
    }
}

fn build_param(p: Pair<Rule>, list: ListFn) -> WordPart {
    match p.as_rule() {
        Rule::braced_param => match p.into_inner().next() {
            Some(inner) => build_braced(inner, list),
            None => WordPart::Var(String::new()),
        },
        Rule::name => WordPart::Var(p.as_str().to_string()),
        Rule::special_param => WordPart::Special(p.as_str().chars().next().unwrap_or('?')),
        Rule::positional | Rule::number => {
            WordPart::Positional(p.as_str().parse().unwrap_or(usize::MAX))
        }
        _ => WordPart::Var(String::new()),
    }
}

/// The inside of `${…}`: a plain `${name}` stays the simple part it was;
/// anything more is a `ParamExp`.
fn build_braced(p: Pair<Rule>, list: ListFn) -> WordPart {
    let length = p.as_rule() == Rule::param_length;
    let mut it = p.into_inner();
    let Some(r) = it.next() else {
        return WordPart::Var(String::new());
    };
    let (name, index) = param_ref(r);
    let op = match it.next().and_then(|o| o.into_inner().next()) {
        Some(o) => build_op(o, list),
        None if length => ParamOp::Length,
        None => ParamOp::Plain,
    };
    param_part(name, index, op)
}

/// A `${…}`'s part: a plain `${name}` stays the simple part it was;
/// anything more is a `ParamExp` (shared with `fast/word.rs`).
pub(crate) fn param_part(name: ParamName, index: Option<Index>, op: ParamOp) -> WordPart {
    if index.is_none() && matches!(op, ParamOp::Plain) {
        return match name {
            ParamName::Var(n) => WordPart::Var(n),
            ParamName::Special(c) => WordPart::Special(c),
            ParamName::Positional(n) => WordPart::Positional(n),
        };
    }
    WordPart::Param(Box::new(ParamExp { name, index, op }))
}

fn param_ref(r: Pair<Rule>) -> (ParamName, Option<Index>) {
    let mut name = ParamName::Var(String::new());
    let mut index = None;
    for c in r.into_inner() {
        match c.as_rule() {
            Rule::name => name = ParamName::Var(c.as_str().to_string()),
            Rule::special_param => {
                name = ParamName::Special(c.as_str().chars().next().unwrap_or('?'))
            }
            Rule::number => name = ParamName::Positional(c.as_str().parse().unwrap_or(usize::MAX)),
            Rule::subscript => index = Some(subscript(c)),
            _ => {}
        }
    }
    (name, index)
}

/// `[@]`, `[*]` or `[expr]`.
pub(crate) fn subscript(c: Pair<Rule>) -> Index {
    index_of(c.into_inner().next().map_or("", |t| t.as_str()))
}

/// A subscript's text as an index (shared with `fast/word.rs`).
pub(crate) fn index_of(text: &str) -> Index {
    match text.trim() {
        "@" => Index::All,
        "*" => Index::Star,
        t => Index::Expr(t.to_string()),
    }
}

fn op_word(p: Option<Pair<Rule>>, list: ListFn) -> Word {
    let mut parts = Parts::new();
    if let Some(p) = p {
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::op_text | Rule::pat_text => push_lit(&mut parts, c.as_str(), false),
                Rule::op_escaped => push_lit(&mut parts, &c.as_str()[1..], true),
                _ => push_part(&mut parts, c, false, list),
            }
        }
    }
    Word(parts)
}

fn build_op(o: Pair<Rule>, list: ListFn) -> ParamOp {
    match o.as_rule() {
        Rule::op_plain => {
            let mut it = o.into_inner();
            let op = it.next().map_or("", |p| p.as_str());
            plain_op(op, op_word(it.next(), list))
        }
        Rule::op_subst => {
            let mut it = o.into_inner();
            let op = it.next().map_or("/", |p| p.as_str());
            let pat = op_word(it.next(), list);
            let rep = op_word(it.next(), list);
            subst_op(op, pat, rep)
        }
        Rule::op_slice => {
            let mut it = o.into_inner();
            let off = it.next().map_or("", |p| p.as_str()).to_string();
            let len = it.next().map(|p| p.as_str().to_string());
            ParamOp::Slice { off, len }
        }
        _ => ParamOp::Plain,
    }
}

/// `${x:-w}` and the other one-word operators, by the operator's text
/// (shared with `fast/word.rs`).
pub(crate) fn plain_op(op: &str, word: Word) -> ParamOp {
    match op {
        "#" | "##" | "%" | "%%" => ParamOp::Trim {
            suffix: op.starts_with('%'),
            longest: op.len() == 2,
            pat: word,
        },
        "^^" | "^" | ",," | "," => ParamOp::Case {
            upper: op.starts_with('^'),
            all: op.len() == 2,
        },
        _ => ParamOp::Default {
            kind: op.chars().last().unwrap_or('-'),
            colon: op.starts_with(':'),
            word,
        },
    }
}

/// `${x/p/r}` by its operator (`/`, `//`, `/#`, `/%`).
pub(crate) fn subst_op(op: &str, pat: Word, rep: Word) -> ParamOp {
    let (all, anchor) = match op {
        "//" => (true, None),
        "/#" => (false, Some('#')),
        "/%" => (false, Some('%')),
        _ => (false, None),
    };
    ParamOp::Replace {
        all,
        anchor,
        pat,
        rep,
    }
}
