//! The parser: runs the pest grammar (`grammar/psh.pest`) and turns its
//! pairs into the typed AST of `ast.rs`, and formats syntax errors as
//! `psh: FILE:LINE:COL: syntax error: …` with the source line and a caret.

use std::fmt;
use std::rc::Rc;

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::Parser as _;

use crate::ast::*;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/psh.pest"]
struct Grammar;

/// Blocks nested deeper than this are refused before pest sees them, so
/// hostile input cannot overflow the stack of the recursive-descent parser
/// or of the evaluator.  A smaller stack (`ulimit -s`) lowers it: a level
/// takes up to about 5 KiB of stack in a release build and 20 KiB in a
/// debug build, so one level is allowed per 32 KiB.
pub const MAX_NESTING: usize = 200;

pub fn max_nesting() -> usize {
    (crate::sys::stack_budget() / (32 << 10)).clamp(8, MAX_NESTING)
}

/// A syntax error with its position (1-based line and column, in chars).
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub source_line: String,
    /// The caret's column within `source_line` (differs from `col` when a
    /// very long line is shown cut).
    pub caret: usize,
    /// True when the error is at the very end of the input: more lines
    /// could complete it (an open quote, block or trailing `|`).
    pub incomplete: bool,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "psh: {}:{}:{}: syntax error: {}",
            self.file, self.line, self.col, self.message
        )?;
        let gutter = self.line.to_string();
        writeln!(f, " {} | {}", gutter, self.source_line)?;
        // The caret goes under the column; tabs are kept so it lines up.
        let pad: String = self
            .source_line
            .chars()
            .take(self.caret.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, " {} | {}^", " ".repeat(gutter.len()), pad)
    }
}

/// Parse a whole program (a script, a `-c` string, a typed line).
pub fn parse(src: &str, file: &str) -> Result<List, SyntaxError> {
    check_nesting(src, file)?;
    let mut pairs = Grammar::parse(Rule::program, src).map_err(|e| pest_error(e, src, file))?;
    let program = pairs
        .next()
        .ok_or_else(|| error_at(src, file, 0, "empty parse".into()))?;
    let list = program
        .into_inner()
        .next()
        .ok_or_else(|| error_at(src, file, 0, "empty parse".into()))?;
    Ok(build_list(list))
}

fn rule_name(r: &Rule) -> &'static str {
    match r {
        Rule::EOI => "end of input",
        Rule::word | Rule::cmd_name | Rule::literal | Rule::sq_string | Rule::dq_string => "a word",
        Rule::param | Rule::cmd_sub | Rule::arith_sub | Rule::escaped | Rule::dollar => "a word",
        Rule::sq_text => "text and a closing '",
        Rule::dq_text | Rule::dq_escape | Rule::dq_backslash => "a closing \"",
        Rule::name => "a name",
        Rule::fn_name => "a function name",
        Rule::redirect | Rule::redir_dup | Rule::redir_file => "a redirection",
        Rule::fd_target => "a file descriptor number",
        Rule::terminator | Rule::bg_op => "`;`, `&` or a newline",
        Rule::and_or_op => "`&&` or `||`",
        Rule::job | Rule::and_or | Rule::pipeline | Rule::command => "a command",
        Rule::simple | Rule::compound | Rule::assignment => "a command",
        Rule::block | Rule::brace_group => "a `{ … }` block",
        Rule::list | Rule::list1 | Rule::cmd_list => "a command",
        Rule::arith_body | Rule::arith_text | Rule::arith_paren => "`))`",
        Rule::braced_param | Rule::special_param | Rule::positional | Rule::number => {
            "a parameter name"
        }
        Rule::else_if | Rule::else_part => "`else`",
        Rule::handler_cmd | Rule::handler_kind | Rule::handler_block => "a handler block `< … >`",
        Rule::kw_explain | Rule::kw_spawn | Rule::bang => "a command",
        Rule::lab_cmd | Rule::lab_kind | Rule::control | Rule::control_kind => "a command",
        Rule::subshell => "`( … )`",
        Rule::if_cmd | Rule::while_cmd | Rule::for_cmd | Rule::fn_def => "a command",
        Rule::redirects | Rule::redir_op | Rule::fd => "a redirection",
        _ => "valid syntax",
    }
}

fn pest_error(e: pest::error::Error<Rule>, src: &str, file: &str) -> SyntaxError {
    let mut pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // Only negative attempts (a lookahead such as "`}` is not a word")
    // point just past the token: show the token itself instead.
    if matches!(&e.variant, ErrorVariant::ParsingError { positives, .. } if positives.is_empty()) {
        while pos > 0
            && src.is_char_boundary(pos)
            && !src[..pos].ends_with(|c: char| c.is_whitespace())
        {
            pos -= 1;
            while !src.is_char_boundary(pos) {
                pos -= 1;
            }
        }
    }
    let message = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().map(rule_name).collect();
            names.sort_unstable();
            names.dedup();
            let found = describe_found(src, pos);
            match names.len() {
                0 => format!("unexpected {found}"),
                1 => format!("expected {}, found {found}", names[0]),
                _ => {
                    let (last, init) = names.split_last().unwrap_or((&"", &[]));
                    format!("expected {} or {last}, found {found}", init.join(", "))
                }
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    // Input that ends inside a quote: point at the quote that opened it.
    if let Some((qpos, q)) = open_quote(src) {
        let mut e = error_at(
            src,
            file,
            qpos,
            format!("unterminated {q}…{q}: no closing {q} before the end of input"),
        );
        e.incomplete = true;
        return e;
    }
    error_at(src, file, pos, message)
}

/// Where an unclosed `'` or `"` opens, if the input ends inside one.
fn open_quote(src: &str) -> Option<(usize, char)> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut open: Option<(usize, u8)> = None;
    let mut at_word_start = true;
    while i < b.len() {
        let c = b[i];
        match open {
            Some((_, b'\'')) => {
                if c == b'\'' {
                    open = None;
                }
            }
            Some((_, _)) => match c {
                b'\\' => i += 1,
                b'"' => open = None,
                _ => {}
            },
            None => match c {
                b'\\' => i += 1,
                b'#' if at_word_start => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'\'' | b'"' => open = Some((i, c)),
                _ => {}
            },
        }
        at_word_start =
            open.is_none() && matches!(c, b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'(' | b')');
        i += 1;
    }
    open.map(|(p, q)| (p, q as char))
}

fn describe_found(src: &str, pos: usize) -> String {
    match src.get(pos..).and_then(|s| s.chars().next()) {
        None => "end of input".into(),
        Some('\n') => "end of line".into(),
        Some(c) => format!("`{c}`"),
    }
}

/// Build an error at a byte offset of `src`.
fn error_at(src: &str, file: &str, pos: usize, message: String) -> SyntaxError {
    let pos = pos.min(src.len());
    let mut pos = pos;
    while !src.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &src[..pos];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = src[line_start..pos].chars().count() + 1;
    let line_end = src[line_start..]
        .find('\n')
        .map_or(src.len(), |i| line_start + i);
    // A very long line is cut around the caret so the message stays readable.
    let mut source_line: String = src[line_start..line_end].to_string();
    let mut col_shown = col;
    if source_line.chars().count() > 200 {
        let skip = col.saturating_sub(100);
        source_line = source_line.chars().skip(skip).take(200).collect();
        col_shown = col - skip;
    }
    let incomplete = src[pos..].trim().is_empty();
    SyntaxError {
        file: file.to_string(),
        line,
        col,
        message,
        source_line: source_line.replace('\0', "\u{2400}"),
        caret: col_shown,
        incomplete,
    }
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
                    let start = i;
                    while i + 1 < b.len()
                        && !matches!(
                            b[i + 1],
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
                    {
                        i += 1;
                    }
                    prev_words = [prev_words[1], &b[start..=i]];
                    i += 1;
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

fn build_list(p: Pair<Rule>) -> List {
    List(
        p.into_inner()
            .filter(|j| j.as_rule() == Rule::job)
            .map(build_job)
            .collect(),
    )
}

fn build_job(p: Pair<Rule>) -> Job {
    let mut body = None;
    let mut background = false;
    let mut text: Rc<str> = Rc::from("");
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::and_or => {
                text = Rc::from(c.as_str().trim());
                body = Some(build_and_or(c));
            }
            Rule::terminator => background = c.into_inner().any(|t| t.as_rule() == Rule::bg_op),
            _ => {}
        }
    }
    Job {
        body: body.unwrap_or_else(empty_and_or),
        background,
        text,
    }
}

fn empty_and_or() -> AndOr {
    AndOr {
        first: Pipeline {
            explain: false,
            spawn: false,
            negate: false,
            stages: vec![],
            text: Rc::from(""),
        },
        rest: vec![],
    }
}

fn build_and_or(p: Pair<Rule>) -> AndOr {
    let mut first = None;
    let mut rest = Vec::new();
    let mut pending = Connector::And;
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::pipeline => {
                let pl = build_pipeline(c);
                if first.is_none() {
                    first = Some(pl);
                } else {
                    rest.push((pending, pl));
                }
            }
            Rule::and_or_op => {
                pending = if c.as_str() == "&&" {
                    Connector::And
                } else {
                    Connector::Or
                }
            }
            _ => {}
        }
    }
    match first {
        Some(first) => AndOr { first, rest },
        None => empty_and_or(),
    }
}

fn build_pipeline(p: Pair<Rule>) -> Pipeline {
    let text: Rc<str> = Rc::from(p.as_str().trim());
    let mut pl = Pipeline {
        explain: false,
        spawn: false,
        negate: false,
        stages: Vec::new(),
        text,
    };
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::kw_explain => pl.explain = true,
            Rule::kw_spawn => pl.spawn = true,
            Rule::bang => pl.negate = true,
            Rule::command => pl.stages.push(build_command(c)),
            _ => {}
        }
    }
    pl
}

fn build_command(p: Pair<Rule>) -> Command {
    let Some(c) = p.into_inner().next() else {
        return Command::Simple(Simple::default());
    };
    match c.as_rule() {
        Rule::compound => build_compound(c),
        Rule::handler_cmd => build_handler(c),
        Rule::lab_cmd => build_lab(c),
        Rule::control => build_control(c),
        _ => Command::Simple(build_simple(c)),
    }
}

fn build_redirects(p: Pair<Rule>) -> Vec<Redirect> {
    p.into_inner()
        .filter(|r| r.as_rule() == Rule::redirect)
        .map(build_redirect)
        .collect()
}

fn build_compound(p: Pair<Rule>) -> Command {
    let mut inner = p.into_inner();
    let body = inner.next();
    let redirects = inner.next().map(build_redirects).unwrap_or_default();
    let Some(body) = body else {
        return Command::Simple(Simple::default());
    };
    match body.as_rule() {
        Rule::brace_group => Command::Group(block_list(body), redirects),
        Rule::subshell => Command::Subshell(first_list(body), redirects),
        Rule::if_cmd => {
            let mut branches = Vec::new();
            let mut otherwise = None;
            let mut cond = None;
            for c in body.into_inner() {
                match c.as_rule() {
                    Rule::list1 => cond = Some(build_list(c)),
                    Rule::block => {
                        if let Some(cd) = cond.take() {
                            branches.push((cd, block_list_of(c)));
                        }
                    }
                    Rule::else_if => {
                        let mut cd = None;
                        for e in c.into_inner() {
                            match e.as_rule() {
                                Rule::list1 => cd = Some(build_list(e)),
                                Rule::block => {
                                    if let Some(cd) = cd.take() {
                                        branches.push((cd, block_list_of(e)));
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    Rule::else_part => otherwise = c.into_inner().next().map(block_list_of),
                    _ => {}
                }
            }
            Command::If(
                Box::new(If {
                    branches,
                    otherwise,
                }),
                redirects,
            )
        }
        Rule::while_cmd => {
            let mut cond = List::default();
            let mut blk = List::default();
            for c in body.into_inner() {
                match c.as_rule() {
                    Rule::list1 => cond = build_list(c),
                    Rule::block => blk = block_list_of(c),
                    _ => {}
                }
            }
            Command::While(Box::new(While { cond, body: blk }), redirects)
        }
        Rule::for_cmd => {
            let mut var = String::new();
            let mut words = Vec::new();
            let mut blk = List::default();
            for c in body.into_inner() {
                match c.as_rule() {
                    Rule::name => var = c.as_str().to_string(),
                    Rule::word => words.push(build_word(c)),
                    Rule::block => blk = block_list_of(c),
                    _ => {}
                }
            }
            Command::For(
                Box::new(For {
                    var,
                    words,
                    body: blk,
                }),
                redirects,
            )
        }
        Rule::fn_def => {
            let mut name = String::new();
            let mut blk = List::default();
            for c in body.into_inner() {
                match c.as_rule() {
                    Rule::fn_name => name = c.as_str().to_string(),
                    Rule::block => blk = block_list_of(c),
                    _ => {}
                }
            }
            Command::FnDef(Rc::new(FnDef { name, body: blk }))
        }
        _ => Command::Simple(Simple::default()),
    }
}

/// The list inside a `brace_group` (which holds one `block`).
fn block_list(p: Pair<Rule>) -> List {
    p.into_inner().next().map(block_list_of).unwrap_or_default()
}

/// The list inside a `block`.
fn block_list_of(p: Pair<Rule>) -> List {
    first_list(p)
}

fn first_list(p: Pair<Rule>) -> List {
    p.into_inner()
        .find(|c| matches!(c.as_rule(), Rule::list | Rule::list1))
        .map(build_list)
        .unwrap_or_default()
}

/// `alarm …` / `trap …`: a handler block makes a Handler; without one it is
/// an ordinary simple command (`alarm`, `alarm 0`, `trap`, `trap INT -`).
fn build_handler(p: Pair<Rule>) -> Command {
    let mut kind = HandlerKind::Alarm;
    let mut simple = Simple::default();
    let mut block = None;
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::handler_kind => {
                if c.as_str() == "trap" {
                    kind = HandlerKind::Trap;
                }
                simple.words.push(Word(vec![WordPart::Lit {
                    text: c.as_str().to_string(),
                    quoted: false,
                }]));
            }
            Rule::word => simple.words.push(build_word(c)),
            Rule::redirect => simple.redirects.push(build_redirect(c)),
            Rule::handler_block => block = c.into_inner().find(|l| l.as_rule() == Rule::list),
            _ => {}
        }
    }
    let Some(list) = block else {
        return Command::Simple(simple);
    };
    // The block takes exactly one argument; more (or none) is for the
    // builtin to refuse with a message.
    let arg = if simple.words.len() == 2 {
        simple.words.pop().unwrap_or_default()
    } else {
        Word::default()
    };
    let text: Rc<str> = Rc::from(list.as_str().trim());
    Command::Handler(Rc::new(Handler {
        kind,
        arg,
        body: build_list(list),
        text,
    }))
}

fn build_lab(p: Pair<Rule>) -> Command {
    let mut lab = Lab {
        kind: LabKind::Threads,
        args: Vec::new(),
        redirects: Vec::new(),
    };
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::lab_kind if c.as_str() == "procs" => lab.kind = LabKind::Procs,
            Rule::word => lab.args.push(build_word(c)),
            Rule::redirect => lab.redirects.push(build_redirect(c)),
            _ => {}
        }
    }
    Command::Lab(lab)
}

fn build_control(p: Pair<Rule>) -> Command {
    let mut kind = ControlKind::Exit;
    let mut arg = None;
    let mut redirects = Vec::new();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::control_kind => {
                kind = match c.as_str() {
                    "break" => ControlKind::Break,
                    "continue" => ControlKind::Continue,
                    "return" => ControlKind::Return,
                    _ => ControlKind::Exit,
                }
            }
            Rule::word => arg = Some(build_word(c)),
            Rule::redirects => redirects = build_redirects(c),
            _ => {}
        }
    }
    Command::Control(kind, arg, redirects)
}

fn build_simple(p: Pair<Rule>) -> Simple {
    let mut s = Simple::default();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::assignment => {
                let mut it = c.into_inner();
                let name = it
                    .next()
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default();
                let value = it.next().map(build_word).unwrap_or_default();
                s.assigns.push((name, value));
            }
            Rule::redirect => s.redirects.push(build_redirect(c)),
            Rule::cmd_name => {
                if let Some(w) = c.into_inner().next() {
                    s.words.push(build_word(w));
                }
            }
            Rule::word => s.words.push(build_word(c)),
            _ => {}
        }
    }
    s
}

fn build_redirect(p: Pair<Rule>) -> Redirect {
    let Some(r) = p.into_inner().next() else {
        return Redirect {
            fd: 1,
            op: RedirOp::Dup(1),
        };
    };
    match r.as_rule() {
        Rule::redir_dup => {
            let mut fd = 1;
            let mut target = 1;
            for c in r.into_inner() {
                match c.as_rule() {
                    Rule::fd => fd = digit(c.as_str()),
                    Rule::fd_target => target = digit(c.as_str()),
                    _ => {}
                }
            }
            Redirect {
                fd,
                op: RedirOp::Dup(target),
            }
        }
        _ => {
            let mut op_text = "";
            let mut word = Word::default();
            for c in r.into_inner() {
                match c.as_rule() {
                    Rule::redir_op => op_text = c.as_str(),
                    Rule::word => word = build_word(c),
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
            match op {
                "&>" => Redirect {
                    fd: 1,
                    op: RedirOp::WriteBoth(word),
                },
                "&>>" => Redirect {
                    fd: 1,
                    op: RedirOp::AppendBoth(word),
                },
                "<" => Redirect {
                    fd: explicit.unwrap_or(0),
                    op: RedirOp::Read(word),
                },
                ">>" => Redirect {
                    fd: explicit.unwrap_or(1),
                    op: RedirOp::Append(word),
                },
                _ => Redirect {
                    fd: explicit.unwrap_or(1),
                    op: RedirOp::Write(word),
                },
            }
        }
    }
}

fn digit(s: &str) -> i32 {
    s.bytes()
        .next()
        .map_or(1, |b| i32::from(b.wrapping_sub(b'0')))
}

fn build_word(p: Pair<Rule>) -> Word {
    let mut parts = Vec::new();
    for c in p.into_inner() {
        push_part(&mut parts, c, false);
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

fn push_part(parts: &mut Vec<WordPart>, c: Pair<Rule>, in_dq: bool) {
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
                push_part(&mut inner, q, true);
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
                .map(build_list)
                .unwrap_or_default();
            parts.push(WordPart::CmdSub(Rc::new(list)));
        }
        Rule::arith_sub => {
            let mut inner = Vec::new();
            if let Some(body) = c.into_inner().next() {
                push_arith(&mut inner, body);
            }
            parts.push(WordPart::Arith(inner));
        }
        _ => {}
    }
}

fn push_arith(parts: &mut Vec<WordPart>, body: Pair<Rule>) {
    for c in body.into_inner() {
        match c.as_rule() {
            Rule::arith_paren => {
                push_lit(parts, "(", true);
                if let Some(b) = c.into_inner().next() {
                    push_arith(parts, b);
                }
                push_lit(parts, ")", true);
            }
            _ => push_part(parts, c, true),
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

#[cfg(test)]
mod tests;
