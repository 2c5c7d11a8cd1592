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
    let mut parts = Vec::new();
    for c in p.into_inner() {
        push_part(&mut parts, c, false, list);
    }
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
            }
        }
    }
    Word(parts)
}

fn push_lit(parts: &mut Vec<WordPart>, s: &str, quoted: bool) {
    if s.is_empty() && !quoted {
        return;
    }
    if let Some(WordPart::Lit { text, quoted: q }) = parts.last_mut() {
        if *q == quoted {
            text.push_str(s);
            return;
        }
    }
    parts.push(WordPart::Lit {
        text: s.to_string(),
        quoted,
    });
}

fn push_part(parts: &mut Vec<WordPart>, c: Pair<Rule>, in_dq: bool, list: ListFn) {
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
            parts.push(WordPart::DoubleQuoted(inner));
        }
        Rule::param => {
            if let Some(inner) = c.into_inner().next() {
                parts.push(build_param(inner));
            }
        }
        Rule::cmd_sub => {
            let list = c
                .into_inner()
                .next()
                .and_then(|cl| cl.into_inner().next())
                .map(list)
                .unwrap_or_default();
            parts.push(WordPart::CmdSub(Rc::new(list)));
        }
        Rule::arith_sub => {
            let mut inner = Vec::new();
            if let Some(body) = c.into_inner().next() {
                push_arith(&mut inner, body, list);
            }
            parts.push(WordPart::Arith(inner));
        }
        _ => {}
    }
}

fn push_arith(parts: &mut Vec<WordPart>, body: Pair<Rule>, list: ListFn) {
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

fn build_param(p: Pair<Rule>) -> WordPart {
    match p.as_rule() {
        Rule::braced_param => match p.into_inner().next() {
            Some(inner) => build_param(inner),
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
