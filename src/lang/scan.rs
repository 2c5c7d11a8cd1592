//! The fast path's cursor and words: a hand-written reader for the
//! common part of the language (`fast.rs` reads the commands), giving the
//! same `Word`s as the grammar and `words.rs` would.  Whatever it does not
//! know, or cannot be sure of, it declines (`None`), and the pest grammar
//! reads the job instead, so it never decides what is valid: the grammar
//! stays the definition, and a differential test holds the two to the
//! same ASTs.  Never reports errors, never expands.

use std::rc::Rc;

use super::words::{finish_word, push_lit};
use crate::lang::ast::*;

/// Reads the list inside `$(…)` (given by `fast.rs`, which reads lists,
/// so that this file does not depend on it).
pub(crate) type ListFn = fn(&mut Scan<'_>) -> Option<List>;

pub(crate) struct Scan<'a> {
    pub s: &'a str,
    pub b: &'a [u8],
    pub pos: usize,
    /// Line-number cursor: `line` is the line of byte `seen` (jobs are
    /// met in text order, so counting only goes forward).
    seen: usize,
    line: u32,
    pub list: ListFn,
    /// Build the AST (else only find where the job ends: the check of a
    /// big script, which is read again as it runs).
    pub keep: bool,
}

thread_local! {
    /// The text of every job and pipeline read without its AST.
    static EMPTY: Rc<str> = Rc::from("");
}

/// Bytes that end a word (the grammar's `delim`, less `EOI` and the
/// escaped newline, which the callers check).
fn stops_word(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

impl<'a> Scan<'a> {
    pub fn new(s: &'a str, first_line: u32, list: ListFn, keep: bool) -> Self {
        Scan {
            s,
            b: s.as_bytes(),
            pos: 0,
            seen: 0,
            line: first_line,
            list,
            keep,
        }
    }

    /// The source text from `start` to `pos`, trimmed (a job's or a
    /// pipeline's text).
    pub fn text(&self, start: usize) -> Rc<str> {
        match self.keep {
            true => Rc::from(self.s[start..self.pos].trim()),
            false => EMPTY.with(Rc::clone),
        }
    }

    /// The source text `start..end` as a name.
    pub fn string(&self, start: usize, end: usize) -> String {
        match self.keep {
            true => self.s[start..end].to_string(),
            false => String::new(),
        }
    }

    /// Literal text into a word's parts.
    fn lit(&self, parts: &mut Vec<WordPart>, start: usize, end: usize, quoted: bool) {
        if self.keep {
            push_lit(parts, &self.s[start..end], quoted);
        }
    }

    fn put(&self, parts: &mut Vec<WordPart>, part: impl FnOnce() -> WordPart) {
        if self.keep {
            parts.push(part());
        }
    }

    /// The keyword-like word at `pos`: lowercase letters (or a `!`)
    /// followed by a delimiter; empty if there is none.
    pub fn bare(&self) -> &'a [u8] {
        let rest = &self.b[self.pos..];
        if !matches!(rest.first(), Some(b'a'..=b'z' | b'!')) {
            return b"";
        }
        let n = match rest.iter().position(|c| !c.is_ascii_lowercase()) {
            Some(0) if rest.first() == Some(&b'!') => 1,
            Some(n) => n,
            None => rest.len(),
        };
        match n > 0 && self.delim_at(self.pos + n) {
            true => &rest[..n],
            false => b"",
        }
    }

    pub fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    pub fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    pub fn eoi(&self) -> bool {
        self.pos >= self.b.len()
    }

    /// The line `pos` is on.
    pub fn line_at(&mut self, pos: usize) -> u32 {
        if pos < self.seen {
            return self.line; // not reached: jobs come in text order
        }
        let nl = self.b[self.seen..pos]
            .iter()
            .filter(|&&c| c == b'\n')
            .count();
        self.line += nl as u32;
        self.seen = pos;
        self.line
    }

    /// The grammar's `delim` at `i`: a blank, an operator byte, a newline,
    /// an escaped newline or the end.
    pub fn delim_at(&self, i: usize) -> bool {
        match self.at(i) {
            None => true,
            Some(c) if stops_word(c) => true,
            Some(b'\\') => self.escaped_newline(i) > 0,
            _ => false,
        }
    }

    /// Length of `\`+newline (or `\`+CR+LF) at `i`, else 0.
    fn escaped_newline(&self, i: usize) -> usize {
        match (self.at(i), self.at(i + 1), self.at(i + 2)) {
            (Some(b'\\'), Some(b'\n'), _) => 2,
            (Some(b'\\'), Some(b'\r'), Some(b'\n')) => 3,
            _ => 0,
        }
    }

    /// `kw` at `pos`, followed by a delimiter.
    pub fn keyword(&self, kw: &str) -> bool {
        self.bare() == kw.as_bytes()
    }

    /// Skip blanks; how many were skipped.
    pub fn blanks(&mut self) -> usize {
        let mut n = 0;
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\\') => match self.escaped_newline(self.pos) {
                    0 => return n,
                    k => self.pos += k,
                },
                _ => return n,
            }
            n += 1;
        }
    }

    fn comment(&mut self) {
        if self.peek() == Some(b'#') {
            self.pos = self.b[self.pos..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(self.b.len(), |k| self.pos + k);
        }
    }

    /// The grammar's `ws`: blanks, then perhaps a comment.
    pub fn ws(&mut self) {
        self.blanks();
        self.comment();
    }

    /// The grammar's `gap`: blanks, comments and newlines.
    pub fn gap(&mut self) {
        loop {
            self.blanks();
            match self.peek() {
                Some(b'#') => self.comment(),
                Some(b'\n') => self.pos += 1,
                _ => return,
            }
        }
    }

    /// `{` opening a block (followed by a delimiter).
    pub fn brace_open(&self) -> bool {
        self.peek() == Some(b'{') && self.delim_at(self.pos + 1)
    }

    /// `}` closing a block (followed by a delimiter or another `}`).
    pub fn brace_close(&self) -> bool {
        self.peek() == Some(b'}')
            && (self.delim_at(self.pos + 1) || self.at(self.pos + 1) == Some(b'}'))
    }

    /// A redirection's operator starts here.
    pub fn redirect_start(&self) -> bool {
        match self.peek() {
            Some(b'<' | b'>') => true,
            Some(b'&') => self.at(self.pos + 1) == Some(b'>'),
            Some(c) if c.is_ascii_digit() => matches!(self.at(self.pos + 1), Some(b'<' | b'>')),
            _ => false,
        }
    }

    /// The grammar's `arg`: a word may start here (not a block's brace, a
    /// comment or a redirection).
    pub fn arg_start(&self) -> bool {
        if self.brace_open()
            || self.brace_close()
            || self.peek() == Some(b'#')
            || self.redirect_start()
        {
            return false;
        }
        self.word_start()
    }

    /// A word part may start here (the grammar's `word`, without `arg`'s
    /// exclusions).
    pub fn word_start(&self) -> bool {
        match self.peek() {
            None => false,
            Some(b'\\') => self.pos + 1 < self.b.len(),
            Some(c) => !stops_word(c),
        }
    }

    /// `NAME`, `NAME+` or `NAME[` followed by `=`: what the grammar reads
    /// as an assignment at a command's start (`[` is left to the grammar).
    pub fn assign_like(&self) -> bool {
        let n = self.name_len(self.pos);
        if n == 0 {
            return false;
        }
        matches!(
            (self.at(self.pos + n), self.at(self.pos + n + 1)),
            (Some(b'='), _) | (Some(b'+'), Some(b'=')) | (Some(b'['), _)
        )
    }

    /// Length of the `NAME` at `i` (0 if none).
    pub fn name_len(&self, i: usize) -> usize {
        match self.at(i) {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {}
            _ => return 0,
        }
        self.b[i..]
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
            .unwrap_or(self.b.len() - i)
    }

    /// One word (the caller has checked `arg_start`).
    pub fn word(&mut self) -> Option<Word> {
        let mut parts = Vec::new();
        let start = self.pos;
        loop {
            match self.peek() {
                None => break,
                Some(b'\'') => {
                    let start = self.pos + 1;
                    let len = self.b[start..].iter().position(|&c| c == b'\'')?;
                    self.lit(&mut parts, start, start + len, true);
                    self.pos = start + len + 1;
                }
                Some(b'"') => self.double_quoted(&mut parts)?,
                Some(b'$') => self.dollar(&mut parts)?,
                Some(b'\\') => {
                    let ch = self.s.get(self.pos + 1..)?.chars().next()?;
                    if ch != '\n' {
                        let at = self.pos + 1;
                        self.lit(&mut parts, at, at + ch.len_utf8(), true);
                    }
                    self.pos += 1 + ch.len_utf8();
                }
                Some(c) if stops_word(c) => break,
                Some(_) => {
                    let start = self.pos;
                    let len = self.b[start..]
                        .iter()
                        .position(|&c| stops_word(c) || matches!(c, b'\'' | b'"' | b'\\' | b'$'))
                        .unwrap_or(self.b.len() - start);
                    self.lit(&mut parts, start, start + len, false);
                    self.pos = start + len;
                }
            }
        }
        if self.pos == start {
            return None;
        }
        Some(finish_word(parts))
    }

    /// `"…"`: text, escapes, `$…`.
    fn double_quoted(&mut self, parts: &mut Vec<WordPart>) -> Option<()> {
        self.pos += 1;
        let mut inner = Vec::new();
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => match self.at(self.pos + 1) {
                    Some(c @ (b'"' | b'\\' | b'$' | b'`' | b'\n')) => {
                        if c != b'\n' {
                            self.lit(&mut inner, self.pos + 1, self.pos + 2, true);
                        }
                        self.pos += 2;
                    }
                    _ => {
                        self.lit(&mut inner, self.pos, self.pos + 1, true);
                        self.pos += 1;
                    }
                },
                b'$' => self.dollar(&mut inner)?,
                _ => {
                    let start = self.pos;
                    let len = self.b[start..]
                        .iter()
                        .position(|&c| matches!(c, b'"' | b'\\' | b'$'))
                        .unwrap_or(self.b.len() - start);
                    self.lit(&mut inner, start, start + len, true);
                    self.pos = start + len;
                }
            }
        }
        self.pos += 1;
        if self.keep && inner.is_empty() {
            inner.push(WordPart::Lit {
                text: String::new(),
                quoted: true,
            });
        }
        self.put(parts, || WordPart::DoubleQuoted(inner));
        Some(())
    }

    /// What a `$` starts: `$((…))`, `$(…)`, `${…}`, `$name`, `$?`, `$1`,
    /// or a plain `$`.
    fn dollar(&mut self, parts: &mut Vec<WordPart>) -> Option<()> {
        let next = self.at(self.pos + 1);
        match next {
            Some(b'(') if self.at(self.pos + 2) == Some(b'(') => {
                self.pos += 3;
                let mut inner = Vec::new();
                self.arith(&mut inner)?;
                if !self.b[self.pos..].starts_with(b"))") {
                    return None;
                }
                self.pos += 2;
                self.put(parts, || WordPart::Arith(inner));
            }
            Some(b'(') => {
                self.pos += 2;
                let list = (self.list)(self)?;
                if self.peek() != Some(b')') {
                    return None;
                }
                self.pos += 1;
                self.put(parts, || WordPart::CmdSub(Rc::new(list)));
            }
            Some(b'{') => {
                let part = self.braced()?;
                self.put(parts, || part);
            }
            Some(c @ (b'?' | b'!' | b'$' | b'#' | b'@' | b'*')) => {
                self.pos += 2;
                self.put(parts, || WordPart::Special(char::from(c)));
            }
            Some(c) if c.is_ascii_digit() => {
                self.pos += 2;
                self.put(parts, || WordPart::Positional(usize::from(c - b'0')));
            }
            _ => match self.name_len(self.pos + 1) {
                0 => {
                    self.lit(parts, self.pos, self.pos + 1, true);
                    self.pos += 1;
                }
                n => {
                    let name = self.string(self.pos + 1, self.pos + 1 + n);
                    self.put(parts, || WordPart::Var(name));
                    self.pos += 1 + n;
                }
            },
        }
        Some(())
    }

    /// `${name}`, `${?}`, `${10}`; anything more is left to the grammar.
    fn braced(&mut self) -> Option<WordPart> {
        let start = self.pos + 2;
        let (part, len) = match self.at(start)? {
            c @ (b'?' | b'!' | b'$' | b'#' | b'@' | b'*') => (WordPart::Special(char::from(c)), 1),
            c if c.is_ascii_digit() => {
                let len = self.b[start..]
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(self.b.len() - start);
                let n = self.s[start..start + len].parse().unwrap_or(usize::MAX);
                (WordPart::Positional(n), len)
            }
            _ => match self.name_len(start) {
                0 => return None,
                n => (WordPart::Var(self.string(start, start + n)), n),
            },
        };
        if self.at(start + len) != Some(b'}') {
            return None;
        }
        self.pos = start + len + 1;
        Some(part)
    }

    /// The inside of `$((…))` up to its closing `)`: text, `(…)`, `$…`.
    fn arith(&mut self, parts: &mut Vec<WordPart>) -> Option<()> {
        loop {
            match self.peek() {
                None | Some(b')') => return Some(()),
                Some(b'(') => {
                    self.lit(parts, self.pos, self.pos + 1, true);
                    self.pos += 1;
                    self.arith(parts)?;
                    if self.peek() != Some(b')') {
                        return None;
                    }
                    self.lit(parts, self.pos, self.pos + 1, true);
                    self.pos += 1;
                }
                Some(b'$') => {
                    // A `$` that starts nothing ends the text in the grammar.
                    let plain = self.name_len(self.pos + 1) == 0
                        && !matches!(
                            self.at(self.pos + 1),
                            Some(
                                b'(' | b'{' | b'?' | b'!' | b'$' | b'#' | b'@' | b'*' | b'0'..=b'9'
                            )
                        );
                    if plain {
                        return None;
                    }
                    self.dollar(parts)?;
                }
                Some(_) => {
                    let start = self.pos;
                    let len = self.b[start..]
                        .iter()
                        .position(|&c| matches!(c, b'(' | b')' | b'$'))
                        .unwrap_or(self.b.len() - start);
                    self.lit(parts, start, start + len, true);
                    self.pos = start + len;
                }
            }
        }
    }
}
