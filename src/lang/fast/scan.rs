//! The fast path's cursor: where it is in the text, the grammar's small
//! lexical rules (`delim`, blanks, `ws`, `gap`, braces, keywords, names),
//! the line count, and where function bodies end (`FnEnds`, noted by a
//! big script's check for the pass that runs it).  `word.rs` reads words and `mod.rs`
//! commands through it.  Whatever the fast path does not know, or cannot
//! be sure of, it declines (`None`), and the pest grammar reads the job
//! instead: the grammar stays the definition of the language, and a
//! differential test holds the two to the same ASTs.  Never reports
//! errors, never builds more than a word's literal text.

use std::rc::Rc;

use crate::lang::ast::*;
use crate::lang::words::{push_lit, PartList};

/// Reads the list inside `$(…)` (given by `mod.rs`, which reads lists,
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
    /// How deep lists, `${…}` and arithmetic parentheses are nested here,
    /// and the most allowed (past it, the job is the grammar's, which
    /// refuses it: `parser::check_nesting`).
    depth: usize,
    max: usize,
    /// The whole text `s` is part of, and where `s` starts in it: job and
    /// pipeline texts are then ranges of it, not copies.
    shared: Option<(&'a Rc<String>, usize)>,
    /// Function bodies: where each ends, noted by the check pass and
    /// looked up by the run pass (`FnEnds`).
    ends: Option<&'a mut FnEnds>,
}

/// Where the function bodies of a big script end, noted as its check
/// pass steps over them (in the order they start), so that the pass
/// that runs it, which keeps a body as its text until the first call,
/// need not step over each again to find its end (5 % of running a
/// 20 000-line script).  Positions are in the whole text; 8 bytes a
/// function.  Both passes read the same text from the same job starts
/// with the same nesting, so a body's end is the same in both.
#[derive(Debug, Default)]
pub(crate) struct FnEnds {
    ends: Vec<(u32, u32)>,
    /// Where the run pass's lookups have come to.
    next: usize,
    /// Where the text being read starts in the whole text.
    pub base: usize,
}

/// Bytes that end a word (the grammar's `delim`, less `EOI` and the
/// escaped newline, which the callers check).
pub(crate) fn stops_word(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

impl<'a> Scan<'a> {
    pub fn new(s: &'a str, first_line: u32, list: ListFn, keep: bool, max: usize) -> Self {
        Scan {
            s,
            b: s.as_bytes(),
            pos: 0,
            seen: 0,
            line: first_line,
            list,
            keep,
            shared: None,
            depth: 0,
            max,
            ends: None,
        }
    }

    /// Note (`keep` off) or look up (`keep` on) where function bodies end
    /// in `ends`.
    pub fn with_ends(mut self, ends: Option<&'a mut FnEnds>) -> Self {
        self.ends = ends;
        self
    }

    /// Step over the function body here with `read` (dry: only its
    /// end matters), noting where it ends (`keep` off), or to where the
    /// check noted it ends (`keep` on).  `None`: it does not parse.
    pub fn step_over_body(&mut self, read: impl FnOnce(&mut Self) -> bool) -> Option<()> {
        let start = self.pos;
        if self.keep {
            if let Some(end) = self.known_end(start) {
                self.pos = end;
                return Some(());
            }
            self.keep = false;
            let ended = read(self);
            self.keep = true;
            return ended.then_some(());
        }
        let noted = self.note_body(start);
        let ended = read(self);
        self.body_ended(noted, ended);
        ended.then_some(())
    }

    /// Note that the function body starting at `start` ends here;
    /// returns the note's index, for `body_ended`.
    fn note_body(&mut self, start: usize) -> Option<usize> {
        let e = self.ends.as_deref_mut()?;
        let at = u32::try_from(e.base + start).ok()?;
        e.ends.push((at, u32::MAX));
        Some(e.ends.len() - 1)
    }

    /// The body noted at `i` ended at `self.pos`; `None` forgets it
    /// (and any noted inside it).
    fn body_ended(&mut self, i: Option<usize>, ok: bool) {
        let (Some(e), Some(i)) = (self.ends.as_deref_mut(), i) else {
            return;
        };
        match (ok, u32::try_from(e.base + self.pos)) {
            (true, Ok(end)) => {
                if let Some(n) = e.ends.get_mut(i) {
                    n.1 = end;
                }
            }
            _ => e.ends.truncate(i),
        }
    }

    /// Where the function body starting at `start` ends, if the check
    /// pass noted it.
    fn known_end(&mut self, start: usize) -> Option<usize> {
        let e = self.ends.as_deref_mut()?;
        let at = e.base + start;
        while e.ends.get(e.next).is_some_and(|n| (n.0 as usize) < at) {
            e.next += 1;
        }
        let &(from, end) = e.ends.get(e.next)?;
        if from as usize != at || end == u32::MAX {
            return None;
        }
        (end as usize).checked_sub(e.base)
    }

    /// `read` one level deeper (a list, `${…}`, arithmetic parentheses),
    /// or decline past the most allowed: hostile nesting never reaches
    /// this reader's recursion.
    pub fn nested<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if self.depth >= self.max {
            return None;
        }
        self.depth += 1;
        let r = read(self);
        self.depth -= 1;
        r
    }

    /// `s` is `all[base..]`: texts become ranges of `all`.
    pub fn within(mut self, all: &'a Rc<String>, base: usize) -> Self {
        self.shared = Some((all, base));
        self
    }

    /// The source text `start..end`, trimmed (a job's or a pipeline's
    /// text).
    pub fn text(&self, start: usize, end: usize) -> SrcText {
        if !self.keep {
            return SrcText::Empty;
        }
        let t = &self.s[start..end];
        // Trimmed as `str::trim` does; most texts start and end with a
        // byte that is plainly not a blank, and need no look at chars.
        let plain =
            |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !(b as char).is_whitespace());
        let (from, t) = match plain(t.as_bytes().first()) && plain(t.as_bytes().last()) {
            true => (start, t),
            false => (start + t.len() - t.trim_start().len(), t.trim()),
        };
        match self.shared {
            Some((all, base)) => SrcText::within(all, base + from, base + from + t.len()),
            None => SrcText::from(t),
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
    pub fn lit(&self, parts: &mut impl PartList, start: usize, end: usize, quoted: bool) {
        if self.keep {
            push_lit(parts, &self.s[start..end], quoted);
        }
    }

    /// A part into a word's parts (unless only the job's end is wanted).
    pub fn put(&self, parts: &mut impl PartList, part: impl FnOnce() -> WordPart) {
        if self.keep {
            parts.put_part(part());
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

    /// Where the first byte from the cursor on that `stop` picks is (the
    /// end of the text if none).
    pub fn until(&self, stop: impl Fn(u8) -> bool) -> usize {
        skip_to(self.b, self.pos, stop)
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

    /// The line `pos` is on (any line when no AST is kept: none is
    /// asked for then, and newlines are counted from here on next time).
    pub fn line_at(&mut self, pos: usize) -> u32 {
        // (`pos < seen` is not reached: jobs come in text order.)
        if !self.keep || pos < self.seen {
            return self.line;
        }
        let nl = count_newlines(&self.b[self.seen..pos]);
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
            self.pos = self.until(|c| c == b'\n');
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

    /// `NAME=`, `NAME+=` or `NAME[`: read as an assignment at a command's
    /// start (a `NAME[…]` that is not followed by `=` is declined, and the
    /// grammar reads it as a command name).
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
}

/// Newlines in `b`, counted a block at a time into bytes so that the
/// compiler can use vector instructions (a script's every byte is
/// counted twice: by the walk over its jobs and by this cursor).
pub(crate) fn count_newlines(b: &[u8]) -> usize {
    b.chunks(255)
        .map(|c| c.iter().fold(0u8, |n, &x| n + u8::from(x == b'\n')) as usize)
        .sum()
}

/// The first index from `i` on whose byte `stop` picks (the end of `b` if
/// none): the cursor's `until`, and the habits scan's step.
pub(crate) fn skip_to(b: &[u8], i: usize, stop: impl Fn(u8) -> bool) -> usize {
    b.get(i..)
        .and_then(|rest| rest.iter().position(|&c| stop(c)))
        .map_or(b.len(), |k| i + k)
}
