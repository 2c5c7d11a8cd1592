//! AST building: walks the pest pairs of a parsed program and builds the
//! commands of `ast.rs` (lists, jobs, pipelines, blocks, handlers, lab
//! commands, redirections).  The grammar guarantees the shape of every
//! pair, so the builders walk children in order and ignore what they do
//! not expect.  Words are built in `words.rs`.  Never reports errors: the
//! grammar has accepted the text already.

use std::rc::Rc;

use pest::iterators::Pair;

use super::grammar::Rule;
use super::words;
use crate::lang::ast::*;

pub(crate) fn build_list(p: Pair<Rule>) -> List {
    List(
        p.into_inner()
            .filter(|j| j.as_rule() == Rule::job)
            .map(build_job)
            .collect(),
    )
}

thread_local! {
    /// The line the text being built starts on, and the byte offsets of
    /// its newlines, so each job finds its line with a binary search
    /// (pest's own `line_col` scans from the start every time).
    static LINES: std::cell::RefCell<(u32, Vec<usize>)> = const { std::cell::RefCell::new((1, Vec::new())) };
}

fn index_lines(src: &str, first_line: u32) {
    LINES.with(|n| {
        let mut n = n.borrow_mut();
        n.0 = first_line;
        n.1.clear();
        n.1.extend(
            src.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i),
        );
    });
}

/// Build the AST of `src`'s program list, with line numbers.
pub(crate) fn build_program(list: Pair<Rule>, src: &str) -> List {
    index_lines(src, 1);
    build_list(list)
}

/// Build one top-level job parsed from `text` (the step's own text, which
/// starts on line `first_line`).
pub(crate) fn build_step(job: Pair<Rule>, text: &str, first_line: u32) -> Job {
    index_lines(text, first_line);
    build_job(job)
}

fn line_of(offset: usize) -> u32 {
    LINES.with(|n| {
        let n = n.borrow();
        n.0 + n.1.partition_point(|&nl| nl < offset) as u32
    })
}

fn build_job(p: Pair<Rule>) -> Job {
    let line = line_of(p.as_span().start());
    let mut body = None;
    let mut background = false;
    let mut text = SrcText::default();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::and_or => {
                text = SrcText::from(c.as_str().trim());
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
        line,
    }
}

fn empty_and_or() -> AndOr {
    AndOr {
        first: Pipeline {
            explain: false,
            spawn: false,
            negate: false,
            stages: vec![],
            text: SrcText::default(),
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
    let text = SrcText::from(p.as_str().trim());
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
        Rule::if_cmd => Command::If(Box::new(build_if(body)), redirects),
        Rule::while_cmd => Command::While(Box::new(build_while(body)), redirects),
        Rule::for_cmd => Command::For(Box::new(build_for(body)), redirects),
        Rule::fn_def => Command::FnDef(Rc::new(build_fn(body))),
        Rule::match_cmd => Command::Match(Box::new(build_match(body)), redirects),
        _ => Command::Simple(Simple::default()),
    }
}

fn build_if(p: Pair<Rule>) -> If {
    let mut branches = Vec::new();
    let mut otherwise = None;
    let mut cond = None;
    for c in p.into_inner() {
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
    If {
        branches,
        otherwise,
    }
}

fn build_while(p: Pair<Rule>) -> While {
    let mut w = While {
        cond: List::default(),
        body: List::default(),
    };
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::list1 => w.cond = build_list(c),
            Rule::block => w.body = block_list_of(c),
            _ => {}
        }
    }
    w
}

fn build_for(p: Pair<Rule>) -> For {
    let mut f = For {
        var: String::new(),
        words: Vec::new(),
        body: List::default(),
    };
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::name => f.var = c.as_str().to_string(),
            Rule::word => f.words.push(word(c)),
            Rule::block => f.body = block_list_of(c),
            _ => {}
        }
    }
    f
}

fn build_match(p: Pair<Rule>) -> Match {
    let mut m = Match {
        word: Word::default(),
        arms: Vec::new(),
    };
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::word => m.word = word(c),
            Rule::match_arm => {
                let mut patterns = Vec::new();
                let mut body = List::default();
                for a in c.into_inner() {
                    match a.as_rule() {
                        Rule::word => patterns.push(word(a)),
                        Rule::block => body = block_list_of(a),
                        _ => {}
                    }
                }
                m.arms.push((patterns, body));
            }
            _ => {}
        }
    }
    m
}

fn build_fn(p: Pair<Rule>) -> FnDef {
    let (mut name, mut body) = (String::new(), List::default());
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::fn_name => name = c.as_str().to_string(),
            Rule::block => body = block_list_of(c),
            _ => {}
        }
    }
    FnDef::new(&name, body)
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
                simple.words.push(Word(Parts::One(WordPart::Lit {
                    text: c.as_str().to_string(),
                    quoted: false,
                })));
            }
            Rule::word => simple.words.push(word(c)),
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
            Rule::word => lab.args.push(word(c)),
            Rule::redirect => lab.redirects.push(build_redirect(c)),
            _ => {}
        }
    }
    Command::Lab(lab)
}

fn build_control(p: Pair<Rule>) -> Command {
    let mut kind = ControlKind::Exit;
    let mut args = Vec::new();
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
            Rule::word => args.push(word(c)),
            Rule::redirects => redirects = build_redirects(c),
            _ => {}
        }
    }
    Command::Control(kind, args, redirects)
}

/// `NAME[i]+=value` or `NAME=(w…)`.
fn build_assign(c: Pair<Rule>) -> Assign {
    let mut a = Assign {
        name: String::new(),
        index: None,
        append: false,
        value: AssignValue::Word(Word::default()),
    };
    for p in c.into_inner() {
        match p.as_rule() {
            Rule::name => a.name = p.as_str().to_string(),
            Rule::subscript => {
                a.index = Some(p.into_inner().next().map_or("", |t| t.as_str()).to_string())
            }
            Rule::assign_op => a.append = p.as_str() == "+=",
            Rule::list_value => a.value = AssignValue::List(p.into_inner().map(word).collect()),
            Rule::word => {
                let mut w = word(p);
                super::words::assignment_tildes(&mut w);
                a.value = AssignValue::Word(w);
            }
            _ => {}
        }
    }
    a
}

fn build_simple(p: Pair<Rule>) -> Simple {
    let mut s = Simple::default();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::assignment => s.assigns.push(build_assign(c)),
            Rule::redirect => s.redirects.push(build_redirect(c)),
            Rule::cmd_name => {
                if let Some(w) = c.into_inner().next() {
                    s.words.push(word(w));
                }
            }
            Rule::word => s.words.push(word(c)),
            _ => {}
        }
    }
    s
}

fn build_redirect(p: Pair<Rule>) -> Redirect {
    super::redirects::build_redirect(p, word)
}

/// A word (`words.rs`), given this file's list builder for `$(…)`.
fn word(p: Pair<Rule>) -> Word {
    words::build_word(p, build_list)
}
