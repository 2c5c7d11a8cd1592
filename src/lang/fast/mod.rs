//! The fast path: reads the common jobs of a script — simple commands
//! with their assignments and redirections (`parts.rs`), pipelines,
//! `&&`/`||`, `{ }`, `( )`, `if`, `while`, `for`, `fn`, `match`,
//! `break`…`exit` — straight into the AST, about ten times faster than
//! pest.  What it leaves to the grammar: handler blocks, the lab,
//! `explain`/`spawn`/`!`, `${!x}`, other shells' habits (`habits.rs`
//! looks for them only in the jobs declined), and anything it cannot be
//! sure of.  It
//! never decides what is valid or words an error: the pest grammar
//! (`grammar/psh.pest`) stays the definition of the language, and the
//! tests (`tests.rs`) hold this reader to the grammar's ASTs on
//! generated input and on `scripts/`.  Words are read in `word.rs`,
//! through the cursor of `scan.rs`.

use std::rc::Rc;

use crate::lang::ast::*;
use parts::{assignment, redirect};
use scan::Scan;
pub(crate) use scan::{count_newlines, skip_to, FnEnds};
use word::word;

/// The first job in `rest` after blank lines and comments, and how many
/// bytes it and the gap after it take — what `parser::step` gives — or
/// `None` to leave it to the grammar.  Nested deeper than `max`, it is
/// left to the grammar too.
/// With `keep` false, the job's AST is a shell of it (no words, no
/// texts): enough to know where it ends, for the check of a big script.
pub(crate) fn step(
    rest: &str,
    first_line: u32,
    keep: bool,
    max: usize,
    ends: Option<&mut FnEnds>,
) -> Option<(usize, Option<Job>)> {
    step_by(Scan::new(rest, first_line, list, keep, max).with_ends(ends))
}

/// `step` at `pos` of `all`, the job kept, its texts ranges of `all`.
pub(crate) fn step_within(
    all: &Rc<String>,
    pos: usize,
    first_line: u32,
    max: usize,
    ends: Option<&mut FnEnds>,
) -> Option<(usize, Option<Job>)> {
    let rest = all.get(pos..)?;
    step_by(
        Scan::new(rest, first_line, list, true, max)
            .within(all, pos)
            .with_ends(ends),
    )
}

fn step_by(mut s: Scan<'_>) -> Option<(usize, Option<Job>)> {
    s.gap();
    if s.eoi() {
        return Some((s.pos, None));
    }
    let (job, ended) = job(&mut s)?;
    // A job ended only by what follows it (`}`, `)`…) is an error at the
    // top: the grammar words it.
    if !ended && !s.eoi() {
        return None;
    }
    s.gap();
    Some((s.pos, Some(job)))
}

/// A list (inside `{ }` or `$( )`): jobs up to a closer, which the caller
/// checks.
fn list(s: &mut Scan<'_>) -> Option<List> {
    jobs(s, false)
}

/// Jobs until a closer; a condition (`if`/`while`) also stops at the `{`
/// of its body and needs one job at least.
fn jobs(s: &mut Scan<'_>, cond: bool) -> Option<List> {
    s.nested(|s| jobs_in(s, cond))
}

fn jobs_in(s: &mut Scan<'_>, cond: bool) -> Option<List> {
    let mut out = Vec::new();
    let mut n = 0;
    s.gap();
    loop {
        match s.peek() {
            None | Some(b'}' | b')') => break,
            _ if cond && s.brace_open() => break,
            _ => {}
        }
        let job = job(s)?.0;
        keep(s, &mut out, job);
        n += 1;
        s.gap();
    }
    if cond && n == 0 {
        return None;
    }
    Some(List(out))
}

/// `and_or ws terminator`; also whether a terminator was consumed (else
/// the job ended where a closer or the end follows).
fn job(s: &mut Scan<'_>) -> Option<(Job, bool)> {
    let start = s.pos;
    let line = s.line_at(start);
    let body = and_or(s)?;
    let end = s.pos;
    s.ws();
    let (background, ended) = match s.peek() {
        Some(b'&') if !matches!(s.at(s.pos + 1), Some(b'&' | b'>')) => (true, true),
        Some(b';' | b'\n') => (false, true),
        None | Some(b'}' | b')' | b'>' | b'{') => (false, false),
        _ => return None,
    };
    if ended {
        s.pos += 1;
    }
    // One pipeline: the job's text is the pipeline's.
    let text = match body.rest.is_empty() {
        true => body.first.text.clone(),
        false => s.text(start, end),
    };
    let job = Job {
        body,
        background,
        text,
        line,
    };
    Some((job, ended))
}

fn and_or(s: &mut Scan<'_>) -> Option<AndOr> {
    let first = pipeline(s)?;
    let mut rest = Vec::new();
    loop {
        let save = s.pos;
        s.ws();
        let op = match (s.peek(), s.at(s.pos + 1)) {
            (Some(b'&'), Some(b'&')) => Connector::And,
            (Some(b'|'), Some(b'|')) => Connector::Or,
            _ => {
                s.pos = save;
                break;
            }
        };
        s.pos += 2;
        s.gap();
        let next = pipeline(s)?;
        keep(s, &mut rest, (op, next));
    }
    Some(AndOr { first, rest })
}

fn pipeline(s: &mut Scan<'_>) -> Option<Pipeline> {
    let start = s.pos;
    let mut stages = Vec::new();
    let first = command(s)?;
    keep(s, &mut stages, first);
    loop {
        let save = s.pos;
        s.ws();
        if s.peek() == Some(b'|') && s.at(s.pos + 1) != Some(b'|') {
            s.pos += 1;
            s.gap();
            let next = command(s)?;
            keep(s, &mut stages, next);
        } else {
            s.pos = save;
            break;
        }
    }
    Some(Pipeline {
        explain: false,
        spawn: false,
        negate: false,
        stages,
        text: s.text(start, s.pos),
    })
}

/// In the grammar's order: handler and lab commands (declined), control,
/// simple, compound.
fn command(s: &mut Scan<'_>) -> Option<Command> {
    let kw = s.bare();
    let kind = match kw {
        // (`explain`, `spawn` and `!` only start a pipeline.)
        b"alarm" | b"trap" | b"threads" | b"procs" | b"explain" | b"spawn" | b"!" => return None,
        // Other shells' words (`habits.rs`): the grammar reads them as
        // commands, so the job goes there and the habits scan words the
        // error.  The habits scan runs on no job this reader keeps.
        b"then" | b"fi" | b"elif" | b"do" | b"done" | b"esac" | b"function" | b"case" => {
            return None
        }
        b"break" => Some(ControlKind::Break),
        b"continue" => Some(ControlKind::Continue),
        b"return" => Some(ControlKind::Return),
        b"exit" => Some(ControlKind::Exit),
        _ => None,
    };
    if let Some(kind) = kind {
        s.pos += kw.len();
        let args = args(s)?;
        let redirects = redirects(s)?;
        return Some(Command::Control(kind, args, redirects));
    }
    match simple(s, kw)? {
        Some(simple) => Some(Command::Simple(simple)),
        None => compound(s, kw),
    }
}

/// The grammar's `cmd_name` may start here (`kw`: `s.bare()`).
fn cmd_name_start(s: &Scan<'_>, kw: &[u8]) -> bool {
    let reserved = matches!(
        kw,
        b"if" | b"else" | b"while" | b"for" | b"fn" | b"match" | b"in" | b"!"
    );
    !reserved && !s.assign_like() && s.arg_start()
}

/// `Some(None)`: not a simple command (the compound commands are tried).
fn simple(s: &mut Scan<'_>, kw: &[u8]) -> Option<Option<Simple>> {
    let mut out = Simple::default();
    if !cmd_name_start(s, kw) {
        let start = s.pos;
        loop {
            if s.assign_like() {
                let a = assignment(s)?;
                keep(s, &mut out.assigns, a);
            } else if s.redirect_start() {
                let r = redirect(s)?;
                keep(s, &mut out.redirects, r);
            } else {
                break;
            }
            s.ws();
        }
        if s.pos == start {
            return Some(None);
        }
        if !cmd_name_start(s, s.bare()) {
            return Some(Some(out));
        }
    }
    let name = word(s)?;
    keep_word(s, &mut out.words, name);
    loop {
        let save = s.pos;
        if s.blanks() > 0 && s.arg_start() {
            let w = word(s)?;
            keep_word(s, &mut out.words, w);
            continue;
        }
        if s.redirect_start() {
            let r = redirect(s)?;
            keep(s, &mut out.redirects, r);
            continue;
        }
        s.pos = save;
        return Some(Some(out));
    }
}

/// `(sep arg)*`
fn args(s: &mut Scan<'_>) -> Option<Vec<Word>> {
    let mut out = Vec::new();
    loop {
        let save = s.pos;
        if s.blanks() > 0 && s.arg_start() {
            let w = word(s)?;
            keep(s, &mut out, w);
        } else {
            s.pos = save;
            return Some(out);
        }
    }
}

/// `(ws redirect)*`
fn redirects(s: &mut Scan<'_>) -> Option<Vec<Redirect>> {
    let mut out = Vec::new();
    loop {
        let save = s.pos;
        s.blanks();
        if s.redirect_start() {
            let r = redirect(s)?;
            keep(s, &mut out, r);
        } else {
            s.pos = save;
            return Some(out);
        }
    }
}

/// Into `v`, unless only the job's end is wanted.  A list's first
/// element gets room for itself alone, not `Vec`'s usual four: most lists
/// here hold one (a pipeline's stages, a block's jobs, a command's
/// assignments), and smaller blocks are cheaper to allocate and free.
fn keep<T>(s: &Scan<'_>, v: &mut Vec<T>, x: T) {
    if s.keep {
        if v.capacity() == 0 {
            v.reserve_exact(1);
        }
        v.push(x);
    }
}

/// A command's words: usually several, so `Vec`'s usual growth.
fn keep_word(s: &Scan<'_>, v: &mut Vec<Word>, w: Word) {
    if s.keep {
        v.push(w);
    }
}

/// `{ }`, `if`, `while`, `for`, `fn`, then redirections.
fn compound(s: &mut Scan<'_>, kw: &[u8]) -> Option<Command> {
    let command = if s.brace_open() {
        let body = block(s)?;
        Command::Group(body, redirects(s)?)
    } else if kw == b"if" {
        s.pos += 2;
        let mut branches = Vec::new();
        let first = (jobs(s, true)?, block(s)?);
        keep(s, &mut branches, first);
        let mut otherwise = None;
        loop {
            let save = s.pos;
            s.gap();
            if !s.keyword("else") {
                s.pos = save;
                break;
            }
            s.pos += 4;
            s.ws();
            if s.keyword("if") {
                s.pos += 2;
                let next = (jobs(s, true)?, block(s)?);
                keep(s, &mut branches, next);
            } else {
                otherwise = Some(block(s)?);
                break;
            }
        }
        let redirects = redirects(s)?;
        made(s, || {
            Command::If(
                Box::new(If {
                    branches,
                    otherwise,
                }),
                redirects,
            )
        })
    } else if kw == b"while" {
        s.pos += 5;
        let cond = jobs(s, true)?;
        let body = block(s)?;
        let redirects = redirects(s)?;
        made(s, || {
            Command::While(Box::new(While { cond, body }), redirects)
        })
    } else if kw == b"for" {
        s.pos += 3;
        s.blanks();
        let n = s.name_len(s.pos);
        let var = s.string(s.pos, s.pos + n);
        s.pos += n;
        s.blanks();
        if n == 0 || !s.keyword("in") {
            return None;
        }
        s.pos += 2;
        let words = args(s)?;
        s.blanks();
        let body = block(s)?;
        let redirects = redirects(s)?;
        made(s, || {
            Command::For(Box::new(For { var, words, body }), redirects)
        })
    } else if kw == b"fn" {
        s.pos += 2;
        s.blanks();
        let start = s.pos;
        let n = s.b[start..]
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':')))
            .unwrap_or(s.b.len() - start);
        if n == 0 {
            return None;
        }
        s.pos += n;
        s.blanks();
        let name = &s.s[start..start + n];
        // Only where the body ends now; its list when first called.
        let (at, line) = (s.pos, if s.keep { s.line_at(s.pos) } else { 0 });
        s.step_over_body(|s| block(s).is_some())?;
        let def = match s.keep {
            true => Some(FnDef::later(name, s.s.get(at..s.pos)?, line)),
            false => None,
        };
        redirects(s)?;
        match def {
            Some(def) => Command::FnDef(Rc::new(def)),
            None => stand_in(),
        }
    } else if s.peek() == Some(b'(') {
        s.pos += 1;
        let body = list(s)?;
        if s.peek() != Some(b')') {
            return None;
        }
        s.pos += 1;
        Command::Subshell(body, redirects(s)?)
    } else if kw == b"match" {
        let m = match_cmd(s)?;
        let redirects = redirects(s)?;
        made(s, || Command::Match(Box::new(m), redirects))
    } else {
        return None;
    };
    Some(command)
}

/// The command `make` builds, or, when only the job's end is wanted, an
/// empty stand-in (no heap block to make and free for each compound
/// command of the check pass).
fn made(s: &Scan<'_>, make: impl FnOnce() -> Command) -> Command {
    match s.keep {
        true => make(),
        false => stand_in(),
    }
}

fn stand_in() -> Command {
    Command::Group(List::default(), Vec::new())
}

/// `match WORD { PATTERN | PATTERN { … } … }`
fn match_cmd(s: &mut Scan<'_>) -> Option<Match> {
    s.pos += 5;
    if s.blanks() == 0 || !s.arg_start() {
        return None;
    }
    let subject = word(s)?;
    s.blanks();
    if !s.brace_open() {
        return None;
    }
    s.pos += 1;
    s.gap();
    let mut arms = Vec::new();
    while !s.brace_close() {
        if !s.arg_start() {
            return None;
        }
        let mut patterns = Vec::new();
        let first = word(s)?;
        keep(s, &mut patterns, first);
        loop {
            let save = s.pos;
            s.ws();
            if s.peek() != Some(b'|') {
                s.pos = save;
                break;
            }
            s.pos += 1;
            s.ws();
            if !s.arg_start() {
                s.pos = save;
                break;
            }
            let w = word(s)?;
            keep(s, &mut patterns, w);
        }
        s.blanks();
        let body = block(s)?;
        keep(s, &mut arms, (patterns, body));
        s.gap();
    }
    s.pos += 1;
    Some(Match {
        word: subject,
        arms,
    })
}

/// A function's body `text` (`{ … }`, from line `line`) read into its
/// list, or `None` where the fast path declines it.
pub(crate) fn fn_body(text: &str, line: u32, max: usize) -> Option<List> {
    let mut s = Scan::new(text, line, list, true, max);
    let body = block(&mut s)?;
    s.eoi().then_some(body)
}

/// `{ list }`
fn block(s: &mut Scan<'_>) -> Option<List> {
    if !s.brace_open() {
        return None;
    }
    s.pos += 1;
    let body = list(s)?;
    if !s.brace_close() {
        return None;
    }
    s.pos += 1;
    Some(body)
}

mod parts;
mod scan;
#[cfg(test)]
mod tests;
mod word;
