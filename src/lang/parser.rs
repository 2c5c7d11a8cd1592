//! The parser's entry point: bounds the nesting of the text and reads it a
//! top-level job at a time, by the fast path (`fast/`) where it answers
//! and by the pest grammar (`grammar/psh.pest`, pairs → `build.rs`)
//! everywhere else.  Errors always come from the grammar and are worded in
//! `diagnostics.rs`.  Never expands or runs anything.

use std::rc::Rc;

use pest::Parser as _;

pub use super::diagnostics::SyntaxError;
use super::diagnostics::{error_at, pest_error};
use super::fast::FnEnds;
use crate::lang::ast::*;
use crate::lang::grammar::{Grammar, Rule};

/// Blocks nested deeper than this are refused before pest sees them, so
/// hostile input cannot overflow the stack of the recursive-descent parser
/// or of the evaluator.  A smaller stack (`ulimit -s`) lowers it: a level
/// takes up to about 5 KiB of stack in a release build and 20 KiB in a
/// debug build, so one level is allowed per 32 KiB.
pub const MAX_NESTING: usize = 200;

pub fn max_nesting() -> usize {
    (crate::os::sys::stack_budget() / (32 << 10)).clamp(8, MAX_NESTING)
}

/// Parse a whole program (a script, a `-c` string, a typed line).
pub fn parse(src: &str, file: &str) -> Result<List, SyntaxError> {
    let src = &super::heredoc::gather(src, file)?;
    let mut out = Vec::new();
    walk(src, file, true, None, |job| out.push(job))?;
    Ok(List(out))
}

/// Check all of `src` as `jobs` does, keeping nothing (`--check`).
pub fn check(src: &str, file: &str) -> Result<(), SyntaxError> {
    let src = super::heredoc::gather(src, file)?;
    check_gathered(&src, file)
}

/// `check`, on text whose here-documents are gathered already.
pub(crate) fn check_gathered(src: &str, file: &str) -> Result<(), SyntaxError> {
    walk(src, file, false, None, |_| {})
}

/// Text up to this size is parsed once and its AST kept; a bigger one is
/// parsed twice (checked, then built a job at a time as it runs), so
/// memory stays bounded by the largest job, not the file.  A kept AST
/// takes ~30 bytes per byte of text, and parsing twice costs only ~5 %
/// more instructions (the check builds nothing).  With 64 KiB here, a
/// 63 KB script kept its tree: it peaked 1.5 MB higher, and read twice it
/// ran in 0.88 of the time (fewer page faults).  So only small texts,
/// `-c` strings, are kept.
pub const KEEP_AST_UP_TO: usize = 4 << 10;

/// A program's top-level jobs, handed out one at a time to be run.
pub struct Jobs {
    /// The text, shared by the jobs' texts (`SrcText`).
    src: Rc<String>,
    pos: usize,
    line: u32,
    max: usize,
    /// The whole AST, for a small program.
    kept: Option<std::vec::IntoIter<Job>>,
    /// Where a big program's function bodies end, from its check.
    ends: FnEnds,
}

/// Parse `src` for running: all of it is checked first (nothing runs if
/// any of it is wrong), then its jobs come one at a time.
pub fn jobs(src: String, file: &str) -> Result<Jobs, SyntaxError> {
    // The text as it is (no copy), unless here-documents rewrote it.
    let gathered = match super::heredoc::gather(&src, file)? {
        std::borrow::Cow::Owned(s) => Some(s),
        std::borrow::Cow::Borrowed(_) => None,
    };
    let src = Rc::new(gathered.unwrap_or(src));
    // Step over every job: a small program keeps the ASTs built on the
    // way; a big one keeps nothing and is stepped over again as it runs.
    let mut kept = (src.len() <= KEEP_AST_UP_TO).then(Vec::new);
    let mut ends = FnEnds::default();
    let note = kept.is_none().then_some(&mut ends);
    walk(&src, file, kept.is_some(), note, |job| {
        if let Some(k) = &mut kept {
            k.push(job);
        }
    })?;
    Ok(Jobs {
        src,
        pos: 0,
        line: 1,
        max: max_nesting(),
        kept: kept.map(Vec::into_iter),
        ends,
    })
}

/// Step over every top-level job of `src`, giving each to `each` (only a
/// shell of it without `keep`); the first that does not parse stops the
/// walk with the grammar's message for the whole text.  The fast path
/// bounds its own nesting; before the first job left to the grammar, the
/// whole text's nesting is checked (`check_nesting`), once.  Habits from
/// other shells (`habits.rs`) are looked for in the jobs left to the
/// grammar, and from the first job that does not parse to the end: a
/// habit there is the error, as it says more than the grammar's.  With
/// `ends`, notes where function bodies end (`FnEnds`).
fn walk(
    src: &str,
    file: &str,
    keep: bool,
    mut ends: Option<&mut FnEnds>,
    mut each: impl FnMut(Job),
) -> Result<(), SyntaxError> {
    let (mut pos, mut line) = (0, 1);
    let max = max_nesting();
    let mut nesting_checked = false;
    let habits_to_end = |pos| super::habits::check_in(src, pos..src.len(), file);
    while pos < src.len() {
        let rest = &src[pos..];
        let mut by_grammar = || {
            if !nesting_checked {
                if let Err(e) = check_nesting(src, file) {
                    habits_to_end(pos)?;
                    return Err(e);
                }
                nesting_checked = true;
            }
            let step = grammar_step(rest, line);
            if let Some((len, Some(_))) = step {
                super::habits::check_in(src, pos..pos + len, file)?;
            }
            Ok(step)
        };
        if let Some(e) = ends.as_deref_mut() {
            e.base = pos;
        }
        let stepped = match super::fast::step(rest, line, keep, max, ends.as_deref_mut()) {
            Some(s) => Some(s),
            None => by_grammar()?,
        };
        match stepped {
            Some((len, job)) if job.is_some() || pos + len == src.len() => {
                if let Some(job) = job {
                    each(job);
                }
                // (Lines are only for the ASTs: errors are placed by byte.)
                if keep {
                    line += newlines(&rest[..len]);
                }
                pos += len;
            }
            _ => {
                habits_to_end(pos)?;
                return Err(match parse_grammar(src, file) {
                    Err(e) => e,
                    Ok(_) => error_at(src, file, pos, "cannot parse this".into()),
                });
            }
        }
    }
    Ok(())
}

/// The job at the start of `rest` (after blank lines and comments; it
/// starts on line `line`) and how many bytes it and the gap after it
/// take, read by the pest grammar.
pub(crate) fn grammar_step(rest: &str, line: u32) -> Option<(usize, Option<Job>)> {
    let step = Grammar::parse(Rule::step, rest).ok()?.next()?;
    let len = step.as_span().end();
    let job = step.into_inner().find(|p| p.as_rule() == Rule::job);
    Some((
        len,
        job.map(|j| super::build::build_step(j, &rest[..len], line)),
    ))
}

impl Iterator for Jobs {
    type Item = Job;
    fn next(&mut self) -> Option<Job> {
        if let Some(k) = &mut self.kept {
            return k.next();
        }
        // The next job and the bytes it and the gap after it take: by the
        // fast path when it can, else by the grammar (on text whose
        // nesting `walk` has checked).
        let rest = self.src.get(self.pos..)?;
        self.ends.base = self.pos;
        let ends = Some(&mut self.ends);
        let (len, job) = super::fast::step_within(&self.src, self.pos, self.line, self.max, ends)
            .or_else(|| grammar_step(rest, self.line))?;
        self.line += newlines(&rest[..len]);
        self.pos += len;
        job
    }
}

impl FnDef {
    /// The function's list, read from its text on the first call (by the
    /// fast path, or by the grammar where it declines); `None` only if
    /// neither can read text that passed the check (a bug).
    pub fn body(&self) -> Option<&List> {
        if let Some(l) = self.parsed.get() {
            return Some(l);
        }
        let text = self.text.get(self.name_len as usize..)?;
        let list = super::fast::fn_body(text, self.line, max_nesting()).or_else(|| {
            // The same text as a definition of its own, on the same line.
            let job = grammar_step(&format!("fn f {text}"), self.line)?.1?;
            match job.body.first.stages.into_iter().next()? {
                Command::FnDef(f) => Rc::try_unwrap(f).ok()?.parsed.into_inner().map(|b| *b),
                _ => None,
            }
        })?;
        Some(self.parsed.get_or_init(|| Box::new(list)))
    }
}

impl std::fmt::Debug for FnDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("FnDef");
        d.field("name", &self.name());
        match self.body() {
            Some(l) => d.field("body", l),
            None => d.field("unreadable", &self.text),
        };
        d.finish()
    }
}

fn newlines(text: &str) -> u32 {
    super::fast::count_newlines(text.as_bytes()) as u32
}

/// The whole text by the grammar alone (its message for a job that does
/// not parse).
pub(crate) fn parse_grammar(src: &str, file: &str) -> Result<List, SyntaxError> {
    check_nesting(src, file)?;
    let mut pairs = Grammar::parse(Rule::program, src).map_err(|e| pest_error(e, src, file))?;
    let program = pairs
        .next()
        .ok_or_else(|| error_at(src, file, 0, "empty parse".into()))?;
    let list = program
        .into_inner()
        .next()
        .ok_or_else(|| error_at(src, file, 0, "empty parse".into()))?;
    Ok(super::build::build_program(list, src))
}

/// count as one level each.
/// Where the plain word starting at `i` ends (exclusive).
fn word_end(b: &[u8], i: usize) -> usize {
    let stop = |c: &u8| {
        matches!(
            c,
            b' ' | b'\t'
                | b'\n'
                | b';'
                | b'|'
                | b'&'
                | b'<'
                | b'>'
                | b'('
                | b')'
                | b'{'
                | b'}'
                | b'"'
                | b'\''
                | b'\\'
        )
    };
    b.get(i + 1..)
        .and_then(|rest| rest.iter().position(stop))
        .map_or(b.len(), |k| i + 1 + k)
}

/// Refuse input nested deeper than `max_nesting()` before the recursive
/// parser sees it.  Quotes are skipped; `{`, `(`, `$(` and handler blocks
/// count as one level each.
fn check_nesting(src: &str, file: &str) -> Result<(), SyntaxError> {
    let b = src.as_bytes();
    let max = max_nesting();
    let mut depth = 0usize;
    let mut in_dq = Vec::new(); // stack: true = inside "…" at that level
    let mut dq = false;
    let mut i = 0;
    let mut prev_words: [&[u8]; 2] = [b"", b""];
    while i < b.len() {
        let c = b[i];
        if dq {
            match c {
                b'\\' => i += 1,
                b'"' => dq = false,
                b'$' if b.get(i + 1) == Some(&b'(') => {
                    in_dq.push(true);
                    dq = false;
                    depth += 1;
                    i += 1;
                }
                _ => {}
            }
        } else {
            match c {
                b'\\' => i += 1,
                b'\'' => {
                    while i + 1 < b.len() && b[i + 1] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                }
                b'"' => dq = true,
                b'{' | b'(' => {
                    in_dq.push(false);
                    depth += 1;
                }
                b'<' if matches!(prev_words[0], b"alarm" | b"trap") => {
                    in_dq.push(false);
                    depth += 1;
                }
                b'}' | b')' | b'>' => {
                    if c != b'>' || !in_dq.is_empty() {
                        if let Some(was_dq) = in_dq.pop() {
                            depth = depth.saturating_sub(1);
                            dq = was_dq;
                        }
                    }
                }
                b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' => {}
                _ => {
                    let end = word_end(b, i);
                    prev_words = [prev_words[1], &b[i..end]];
                    i = end;
                    continue;
                }
            }
        }
        if depth > max {
            return Err(error_at(
                src,
                file,
                i,
                format!("blocks nested more than {max} deep"),
            ));
        }
        i += 1;
    }
    Ok(())
}

// ---------------------------------------------------------------- AST building
//
// The grammar guarantees the shape of every pair, so the builders walk
// children in order and ignore what they do not expect.

#[cfg(test)]
mod nesting_tests;
#[cfg(test)]
mod tests;
