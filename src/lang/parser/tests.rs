//! Parser tests: every construct of the grammar, and error positions.
//! Parse only; nothing runs.

use super::*;

pub(super) fn ok(src: &str) -> List {
    match parse(src, "t") {
        Ok(l) => l,
        Err(e) => panic!("{src:?} should parse:\n{e}"),
    }
}

pub(super) fn bad(src: &str) -> SyntaxError {
    match parse(src, "t") {
        Ok(l) => panic!("{src:?} should not parse, got {l:?}"),
        Err(e) => e,
    }
}

pub(super) fn only_command(l: &List) -> &Command {
    assert_eq!(l.0.len(), 1, "{l:?}");
    assert_eq!(l.0[0].body.first.stages.len(), 1);
    &l.0[0].body.first.stages[0]
}

fn simple(l: &List) -> &Simple {
    match only_command(l) {
        Command::Simple(s) => s,
        other => panic!("not simple: {other:?}"),
    }
}

fn lit(w: &Word) -> String {
    w.as_literal()
        .unwrap_or_else(|| panic!("not literal: {w:?}"))
}

#[test]
fn simple_commands_and_words() {
    let l = ok("echo hello   world");
    let s = simple(&l);
    assert_eq!(
        s.words.iter().map(lit).collect::<Vec<_>>(),
        ["echo", "hello", "world"]
    );
    let l = ok("echo 'a b' \"c d\" e\\ f");
    let s = simple(&l);
    assert_eq!(
        s.words.iter().map(lit).collect::<Vec<_>>(),
        ["echo", "a b", "c d", "e f"]
    );
}

#[test]
fn empty_input_and_comments() {
    assert!(ok("").0.is_empty());
    assert!(ok("\n\n  # only a comment\n").0.is_empty());
    let l = ok("echo a#b # comment");
    assert_eq!(
        simple(&l).words.iter().map(lit).collect::<Vec<_>>(),
        ["echo", "a#b"]
    );
}

#[test]
fn line_continuation() {
    let l = ok("echo a \\\n  b");
    assert_eq!(simple(&l).words.len(), 3);
}

#[test]
fn braces_alone_are_blocks_but_braces_together_are_words() {
    let l = ok("find . -exec echo {} \\;");
    assert_eq!(lit(&simple(&l).words[4]), "{}");
    let l = ok("{ echo a; echo b }");
    assert!(matches!(only_command(&l), Command::Group(list, _) if list.0.len() == 2));
    let l = ok("echo a}");
    assert_eq!(lit(&simple(&l).words[1]), "a}");
}

#[test]
fn lists_and_separators() {
    let l = ok("a; b\nc & d");
    assert_eq!(l.0.len(), 4);
    assert!(l.0[2].background);
    assert!(!l.0[3].background);
    let l = ok("a && b || c");
    assert_eq!(l.0[0].body.rest.len(), 2);
    assert_eq!(l.0[0].body.rest[0].0, Connector::And);
    assert_eq!(l.0[0].body.rest[1].0, Connector::Or);
    // A newline may follow && and |.
    let l = ok("a &&\n b |\n c");
    assert_eq!(l.0.len(), 1);
}

#[test]
fn pipelines_negation_spawn_explain() {
    let l = ok("ls -l | grep x | wc");
    assert_eq!(l.0[0].body.first.stages.len(), 3);
    let l = ok("! false");
    assert!(l.0[0].body.first.negate);
    let l = ok("spawn ping -c 5 host &");
    assert!(l.0[0].body.first.spawn);
    assert!(l.0[0].background);
    let l = ok("explain ls -l | wc");
    assert!(l.0[0].body.first.explain);
    assert_eq!(l.0[0].body.first.stages.len(), 2);
    let l = ok("explain { a; b }");
    assert!(l.0[0].body.first.explain);
    // `a || b` is not a pipe.
    let l = ok("a||b");
    assert_eq!(l.0[0].body.rest.len(), 1);
}

#[test]
fn redirections() {
    let l = ok("cmd < in > out 2> err >> app 2>> app2 &> both 2>&1 >&2");
    let r = &simple(&l).redirects;
    assert_eq!(r.len(), 8);
    assert!(matches!(
        &r[0],
        Redirect {
            fd: 0,
            op: RedirOp::Read(_)
        }
    ));
    assert!(matches!(
        &r[1],
        Redirect {
            fd: 1,
            op: RedirOp::Write(_)
        }
    ));
    assert!(matches!(
        &r[2],
        Redirect {
            fd: 2,
            op: RedirOp::Write(_)
        }
    ));
    assert!(matches!(
        &r[3],
        Redirect {
            fd: 1,
            op: RedirOp::Append(_)
        }
    ));
    assert!(matches!(
        &r[4],
        Redirect {
            fd: 2,
            op: RedirOp::Append(_)
        }
    ));
    assert!(matches!(
        &r[5],
        Redirect {
            op: RedirOp::WriteBoth(_),
            ..
        }
    ));
    assert!(matches!(
        &r[6],
        Redirect {
            fd: 2,
            op: RedirOp::Dup(1)
        }
    ));
    assert!(matches!(
        &r[7],
        Redirect {
            fd: 1,
            op: RedirOp::Dup(2)
        }
    ));
    // `a2>f`: the 2 belongs to the word, as in sh.
    let l = ok("echo a2>f");
    assert_eq!(lit(&simple(&l).words[1]), "a2");
    // Redirections before the command and on blocks.
    let l = ok("> f echo hi");
    assert_eq!(simple(&l).redirects.len(), 1);
    let l = ok("{ echo a } > f");
    assert!(matches!(only_command(&l), Command::Group(_, r) if r.len() == 1));
    let l = ok("while true { echo } < f");
    assert!(matches!(only_command(&l), Command::While(_, r) if r.len() == 1));
}

#[test]
fn assignments() {
    let l = ok("A=1 B= cmd x");
    let s = simple(&l);
    assert_eq!(s.assigns.len(), 2);
    assert_eq!(s.assigns[0].name, "A");
    assert_eq!(s.words.len(), 2);
    let l = ok("X=hello");
    assert!(simple(&l).words.is_empty());
    // After the command name, NAME=v is an ordinary word.
    let l = ok("echo a=b");
    assert_eq!(simple(&l).words.len(), 2);
}

#[test]
fn control_flow() {
    let l = ok("if a { b } else if c { d } else { e }");
    match only_command(&l) {
        Command::If(i, _) => {
            assert_eq!(i.branches.len(), 2);
            assert!(i.otherwise.is_some());
        }
        other => panic!("{other:?}"),
    }
    let l = ok("if a {\n  b\n}\nelse {\n  c\n}");
    assert!(matches!(only_command(&l), Command::If(i, _) if i.otherwise.is_some()));
    let l = ok("while [ $i -lt 3 ] { i=$((i+1)) }");
    assert!(matches!(only_command(&l), Command::While(..)));
    let l = ok("for x in a b c { echo $x }");
    match only_command(&l) {
        Command::For(f, _) => {
            assert_eq!(f.var, "x");
            assert_eq!(f.words.len(), 3);
        }
        other => panic!("{other:?}"),
    }
    let l = ok("for x in { echo none }");
    assert!(matches!(only_command(&l), Command::For(f, _) if f.words.is_empty()));
    let l = ok("fn greet { echo hi $1; return 3 }");
    assert!(matches!(only_command(&l), Command::FnDef(f) if f.name() == "greet"));
    // A body the fast path read is kept as text until first asked for,
    // then read with its own line numbers; the grammar's is read at once.
    let l = ok("echo a\nfn f {\n  echo $LINENO\n}");
    let Some(Command::FnDef(f)) = l.0.get(1).and_then(|j| j.body.first.stages.first()) else {
        panic!("{l:?}")
    };
    assert!(f.parsed.get().is_none());
    let body = f.body().expect("body");
    assert_eq!(body.0.first().map(|j| j.line), Some(3));
    assert!(f.parsed.get().is_some());
    let l = ok("fn g { threads 2 booth 3 }");
    assert!(matches!(only_command(&l), Command::FnDef(f) if f.parsed.get().is_some()));
    // A kept text the fast path declines is read by the grammar, on its
    // own line numbers.
    let f = FnDef::later("h", "{\n  threads 2 booth 3\n}", 5);
    let body = f.body().expect("read by the grammar");
    assert_eq!(body.0.first().map(|j| j.line), Some(6));
    assert!(matches!(body.0[0].body.first.stages[0], Command::Lab(_)));
    for (src, kind) in [
        ("break", ControlKind::Break),
        ("continue 2", ControlKind::Continue),
        ("return 1", ControlKind::Return),
        ("exit", ControlKind::Exit),
    ] {
        let l = ok(src);
        assert!(
            matches!(only_command(&l), Command::Control(k, _, _) if *k == kind),
            "{src}"
        );
    }
}

#[test]
fn subshells_and_groups() {
    let l = ok("(cd /tmp; pwd)");
    assert!(matches!(only_command(&l), Command::Subshell(list, _) if list.0.len() == 2));
    let l = ok("( a ) > f");
    assert!(matches!(only_command(&l), Command::Subshell(_, r) if r.len() == 1));
}

#[test]
fn handler_blocks() {
    let l = ok("alarm 5 < echo now >");
    match only_command(&l) {
        Command::Handler(h) => {
            assert_eq!(h.kind, HandlerKind::Alarm);
            assert_eq!(lit(&h.arg), "5");
            assert_eq!(h.body.0.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    // `>` followed by a word inside the block is a redirection.
    let l = ok("alarm 5 < echo now > out.txt >");
    match only_command(&l) {
        Command::Handler(h) => match &h.body.0[0].body.first.stages[0] {
            Command::Simple(s) => assert_eq!(s.redirects.len(), 1),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let l = ok("alarm 1 < echo \"Now\"; exit >\nwhile true { echo not yet }");
    assert_eq!(l.0.len(), 2);
    let l = ok("trap USR1 < echo got it > && echo armed");
    assert!(
        matches!(&l.0[0].body.first.stages[0], Command::Handler(h) if h.kind == HandlerKind::Trap)
    );
    assert_eq!(l.0[0].body.rest.len(), 1);
    // Without a handler, `alarm` and `trap` are ordinary commands.
    let l = ok("alarm");
    assert!(matches!(only_command(&l), Command::Simple(_)));
    let l = ok("trap INT -");
    assert!(matches!(only_command(&l), Command::Simple(s) if s.words.len() == 3));
}

#[test]
fn lab_commands() {
    let l = ok("threads 10 booth 100 --nolock > out");
    match only_command(&l) {
        Command::Lab(lab) => {
            assert_eq!(lab.kind, LabKind::Threads);
            assert_eq!(lab.args.len(), 4);
            assert_eq!(lab.redirects.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    let l = ok("procs 4 booth 100 | wc -l");
    assert!(
        matches!(&l.0[0].body.first.stages[0], Command::Lab(lab) if lab.kind == LabKind::Procs)
    );
}

#[test]
fn expansions_in_words() {
    let l = ok("echo $x ${y} $? $! $$ $# $@ $* $0 $1 ${10} $(ls | wc) $((1 + (2 * 3))) ~ ~/d \"$x and $(pwd)\"");
    let w = &simple(&l).words;
    assert!(matches!(w[1].0[0], WordPart::Var(ref n) if n == "x"));
    assert!(matches!(w[2].0[0], WordPart::Var(ref n) if n == "y"));
    assert!(matches!(w[3].0[0], WordPart::Special('?')));
    assert!(matches!(w[10].0[0], WordPart::Positional(1)));
    assert!(matches!(w[11].0[0], WordPart::Positional(10)));
    assert!(
        matches!(&w[12].0[0], WordPart::CmdSub(list) if list.0[0].body.first.stages.len() == 2)
    );
    match &w[13].0[0] {
        WordPart::Arith(parts) => {
            let text: String = parts
                .iter()
                .map(|p| match p {
                    WordPart::Lit { text, .. } => text.clone(),
                    _ => String::new(),
                })
                .collect();
            assert_eq!(text, "1 + (2 * 3)");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(w[14].0[0], WordPart::Tilde(ref u) if u.is_empty()));
    assert!(matches!(w[15].0[0], WordPart::Tilde(_)));
    assert!(matches!(&w[16].0[0], WordPart::DoubleQuoted(p) if p.len() == 3));
    // A lone `$` is literal; single quotes keep `$x`.
    let l = ok("echo $ '$x'");
    assert_eq!(lit(&simple(&l).words[1]), "$");
    assert_eq!(lit(&simple(&l).words[2]), "$x");
}

#[test]
fn double_quote_escapes() {
    let l = ok(r#"echo "a\"b\\c\$d\e""#);
    assert_eq!(lit(&simple(&l).words[1]), r#"a"b\c$d\e"#);
}

#[test]
fn errors_carry_positions_and_carets() {
    let e = bad("echo ok\necho ( x");
    assert_eq!((e.line, e.col), (2, 6));
    let shown = e.to_string();
    assert!(
        shown.starts_with("psh: t:2:6: syntax error: missing ) for the ( opened here"),
        "{shown}"
    );
    assert!(shown.contains(" 2 | echo ( x\n"), "{shown}");
    assert!(shown.ends_with("   |      ^"), "{shown}");
    let e = bad("{\n  echo $(ls\n");
    assert!(e.incomplete);
    assert_eq!(e.message, "missing ) for the $( opened at 2:8");
    let e = bad("for x in a b { echo $(ls }");
    assert_eq!(
        (e.col, e.message.as_str()),
        (26, "missing ) for the $( opened at 1:21")
    );
    let e = bad("for x {");
    assert!(
        e.message.starts_with("for needs a name, `in`"),
        "{}",
        e.message
    );
    let e = bad("echo ${x!}");
    assert!(
        e.message.contains("not a parameter expansion psh knows"),
        "{}",
        e.message
    );
    let e = bad("echo ok\necho a b )");
    assert_eq!(e.to_string(), "psh: t:2:10: syntax error: unexpected `)`: no ( or $( is open here\n 2 | echo a b )\n   |          ^");

    let e = bad("if true { echo");
    assert!(e.incomplete);
    let e = bad("echo 'abc");
    assert!(e.incomplete);
    assert_eq!((e.line, e.col), (1, 6));
    assert!(e.message.contains("unterminated"));
    let e = bad("echo a |");
    assert!(e.incomplete);
    let e = bad("echo a &&");
    assert!(e.incomplete);
    let e = bad("a ;; b");
    assert!(!e.incomplete);
    assert_eq!(e.col, 4);
    let e = bad("}");
    assert_eq!(e.col, 1);
    let e = bad("fn { }");
    assert_eq!(e.col, 4);
    let e = bad("if { echo }");
    assert!(!e.message.is_empty());
}

#[test]
fn hostile_input_never_panics() {
    for src in [
        "\0",
        "echo \0",
        "'",
        "\"",
        "$(",
        "$((",
        "${",
        "${}",
        "`",
        "\\",
        "<",
        ">",
        "&",
        "|",
        ";",
        "(",
        ")",
        "{",
        "}",
        "alarm 5 <",
        "alarm 5 < echo",
        "trap",
        "2>&",
        "&>",
        "!",
        "! !",
        "for",
        "for x",
        "for x in",
        "fn",
        "if",
        "while",
        "else",
        "a=",
        "=",
        "${10",
        "$((1+)",
        "echo \u{1F600} ünïcødé",
    ] {
        let _ = parse(src, "t");
    }
    let long = format!("echo {}", "a".repeat(1 << 20));
    ok(&long);
    let many = "a | ".repeat(10_000) + "b";
    ok(&many);
}

#[test]
fn match_arms_and_patterns() {
    let l = parse(
        "match $f {\n  *.tar.gz | *.tgz { tar xzf $f }\n  * { echo other }\n}",
        "t",
    )
    .expect("parses");
    match only_command(&l) {
        Command::Match(m, _) => {
            assert_eq!(m.arms.len(), 2);
            assert_eq!(m.arms[0].0.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(parse("match x { a { b }", "t").is_err());
    // `match` is a keyword: no command of that name.
    assert!(parse("match", "t").is_err());
}

/// A script past `KEEP_AST_UP_TO` is checked, then read again job by job
/// with the function ends its check noted: the jobs must be those of one
/// reading, function bodies included (nested, in blocks, declined to the
/// grammar, after here-documents, with braces in quotes).
#[test]
fn a_big_script_read_twice_gives_the_jobs_of_one_reading() {
    let piece = "fn a { echo '}' \"{\"; fn b { x=$(fn c { :; }; echo y) } }\n\
                 if true { fn d { for i in 1 2 { echo $i } } } else { fn e { :; } }\n\
                 fn t { trap INT < echo caught >; echo after }\n\
                 cat <<EOF\n}\nEOF\n\
                 fn h { cat <<X\n{ }\nX\n}; h | fn k { :; }\n\
                 v=1; fn m { match $v { 1 { echo one } _ { echo other } } }\n";
    let mut src = String::new();
    let mut n = 0;
    while src.len() <= KEEP_AST_UP_TO {
        src.push_str(&piece.replace("fn ", &format!("fn x{n}")));
        n += 1;
    }
    let once = ok(&src);
    let twice: Vec<Job> = match jobs(src.clone(), "t") {
        Ok(j) => j.collect(),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(twice.len(), once.0.len());
    for (a, b) in twice.iter().zip(&once.0) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
    let fns = twice
        .iter()
        .filter(|j| matches!(j.body.first.stages.first(), Some(Command::FnDef(_))))
        .count();
    assert!(fns >= 4 * n, "{fns} functions");
}
