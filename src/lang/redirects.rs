//! Redirections as the grammar saw them (`2>&1`, `3<> f`, `<<< w`, here-
//! documents already turned into `<<<<`) → `Redirect` nodes.  Builds AST
//! only; opening files is `exec/redirect.rs`.

use pest::iterators::Pair;

use super::grammar::Rule;
use crate::lang::ast::*;

/// One redirection; `word` builds its target word (given by `build.rs`,
/// which owns the list builder a word may need for `$(…)`).
pub(crate) fn build_redirect(p: Pair<Rule>, word: fn(Pair<Rule>) -> Word) -> Redirect {
    let Some(r) = p.into_inner().next() else {
        return Redirect {
            fd: 1,
            op: RedirOp::Dup(1),
        };
    };
    match r.as_rule() {
        Rule::redir_dup => {
            let (mut fd, mut target, mut close, mut input) = (None, 1, false, false);
            for c in r.into_inner() {
                match c.as_rule() {
                    Rule::fd => fd = Some(digit(c.as_str())),
                    Rule::dup_op => input = c.as_str() == "<&",
                    Rule::fd_target => target = digit(c.as_str()),
                    Rule::fd_close => close = true,
                    _ => {}
                }
            }
            // `<&` is about fd 0 by default, `>&` about fd 1.
            let fd = fd.unwrap_or(if input { 0 } else { 1 });
            let op = if close {
                RedirOp::Close
            } else {
                RedirOp::Dup(target)
            };
            Redirect { fd, op }
        }
        Rule::redir_here => {
            let (mut fd, mut newline, mut text) = (0, true, Word::default());
            for c in r.into_inner() {
                match c.as_rule() {
                    Rule::fd => fd = digit(c.as_str()),
                    Rule::here_op => newline = c.as_str() == "<<<",
                    Rule::word => text = word(c),
                    _ => {}
                }
            }
            Redirect {
                fd,
                op: RedirOp::Here {
                    word: text,
                    newline,
                },
            }
        }
        _ => {
            let mut op_text = "";
            let mut target = Word::default();
            for c in r.into_inner() {
                match c.as_rule() {
                    Rule::redir_op => op_text = c.as_str(),
                    Rule::word => target = word(c),
                    _ => {}
                }
            }
            let (fd_text, op) = op_text.split_at(
                op_text.len()
                    - op_text
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                        .len(),
            );
            let explicit = if fd_text.is_empty() {
                None
            } else {
                Some(digit(fd_text))
            };
            file_redirect(op, explicit, target)
        }
    }
}

fn digit(s: &str) -> i32 {
    s.bytes()
        .next()
        .map_or(1, |b| i32::from(b.wrapping_sub(b'0')))
}

/// A file redirection by its operator (`<`, `>`, `>>`, `<>`, `&>`, `&>>`)
/// and the descriptor written before it, if any (shared with
/// `fast/parts.rs`).
pub(crate) fn file_redirect(op: &str, fd: Option<i32>, target: Word) -> Redirect {
    let (fd, op) = match op {
        "&>" => (1, RedirOp::WriteBoth(target)),
        "&>>" => (1, RedirOp::AppendBoth(target)),
        "<" => (fd.unwrap_or(0), RedirOp::Read(target)),
        "<>" => (fd.unwrap_or(0), RedirOp::ReadWrite(target)),
        ">>" => (fd.unwrap_or(1), RedirOp::Append(target)),
        _ => (fd.unwrap_or(1), RedirOp::Write(target)),
    };
    Redirect { fd, op }
}
