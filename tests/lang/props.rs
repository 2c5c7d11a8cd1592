//! Property tests over the parser and the expansions: random token
//! sequences, random bytes, and mutated lines taken from `scripts/` and
//! the test suites.  No input may panic or overflow the stack, and every
//! rejected input is reported with a position inside it.  (CI runs these on
//! stable; `fuzz/` holds the coverage-guided cargo-fuzz target.)

use proptest::prelude::*;
use psh::lang::parser::{parse, SyntaxError};

/// How many inputs each property tries (bounded so CI stays quick).
const CASES: u32 = 3000;

const TOKENS: &[&str] = &[
    "echo",
    "ls",
    "-l",
    "a",
    "b=1",
    "x",
    "$x",
    "${y}",
    "$?",
    "$@",
    "\"",
    "'",
    "\"q $v\"",
    "'s'",
    "$(",
    ")",
    "$((",
    "))",
    "1+2",
    "(",
    "{",
    "}",
    "{}",
    "|",
    "||",
    "&",
    "&&",
    ";",
    ";;",
    "\n",
    "\\\n",
    "\\",
    "<",
    ">",
    ">>",
    "2>",
    "2>&1",
    ">&2",
    "&>",
    "#",
    "# c",
    "if",
    "else",
    "while",
    "for",
    "in",
    "fn",
    "f",
    "spawn",
    "explain",
    "!",
    "alarm",
    "trap",
    "threads",
    "procs",
    "booth",
    "break",
    "continue",
    "return",
    "exit",
    "~",
    "~/d",
    "*",
    "?",
    "[a]",
    "\0",
    "é",
    "\u{1F600}",
    "=",
    "$",
    " ",
    "\t",
];

/// Every line of the project's own scripts and test sources: realistic
/// material to mutate.
fn corpus() -> &'static [String] {
    static CORPUS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(read_corpus)
}

fn read_corpus() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut lines = Vec::new();
    for dir in [
        "scripts",
        "tests/exec",
        "tests/cli",
        "tests/lab",
        "tests/repl",
    ] {
        let Ok(rd) = std::fs::read_dir(format!("{root}/{dir}")) else {
            continue;
        };
        for e in rd.flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                lines.extend(
                    text.lines()
                        .map(|l| l.trim().trim_matches(['"', ',']).to_string())
                        .filter(|l| !l.is_empty()),
                );
            }
        }
    }
    lines.sort();
    lines.dedup();
    lines
}

/// Parse on a thread with the stack psh's main thread has (the limits
/// are sized from RLIMIT_STACK, and test threads get only 2 MiB).
fn check(src: &str) -> Result<(), TestCaseError> {
    let r = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(psh::os::sys::stack_budget())
            .spawn_scoped(s, || parse(src, "fuzz").map(drop))
            .expect("thread")
            .join()
    });
    match r {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => check_error(src, &e),
        Err(_) => Err(TestCaseError::fail(format!("parse panicked on {src:?}"))),
    }
}

/// The error names a position inside the input and shows a caret.
fn check_error(src: &str, e: &SyntaxError) -> Result<(), TestCaseError> {
    let lines = src.split('\n').count();
    prop_assert!(
        e.line >= 1 && e.line <= lines,
        "line {} of {}",
        e.line,
        lines
    );
    prop_assert!(e.col >= 1);
    let line_len = src
        .split('\n')
        .nth(e.line - 1)
        .map_or(0, |l| l.chars().count());
    prop_assert!(
        e.col <= line_len + 1,
        "col {} past the line ({line_len})",
        e.col
    );
    let shown = e.to_string();
    prop_assert!(shown.starts_with("psh: fuzz:"), "{}", shown);
    prop_assert!(shown.ends_with('^'), "{}", shown);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn token_sequences(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..40)) {
        check(&tokens.join(" "))?;
        check(&tokens.concat())?;
    }

    #[test]
    fn arbitrary_text(s in "\\PC{0,200}") {
        check(&s)?;
    }

    #[test]
    fn arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..200)) {
        check(&String::from_utf8_lossy(&b))?;
    }

    #[test]
    fn mutated_lines(
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        len in 0usize..8,
        insert in prop::sample::select(TOKENS),
        op in 0u8..4,
    ) {
        let line = pick.get(corpus()).clone();
        let chars: Vec<char> = line.chars().collect();
        let i = if chars.is_empty() { 0 } else { at.index(chars.len() + 1) };
        let end = (i + len).min(chars.len());
        let mutated: String = match op {
            0 => chars[..i].iter().chain(&chars[end..]).collect(),
            1 => chars[..i].iter().collect::<String>() + insert + &chars[i..].iter().collect::<String>(),
            2 => chars[..end].iter().chain(&chars[i..]).collect(),
            _ => chars.iter().rev().collect(),
        };
        check(&line)?;
        check(&mutated)?;
    }

    #[test]
    fn nesting_never_overflows(depth in 0usize..600, kind in 0usize..6) {
        let (open, close) = [("{ ", " }"), ("( ", " )"), ("$(", ")"), ("if true { ", " }"), ("$((", "))"), ("alarm 1 < ", " >")][kind];
        check(&format!("echo {}x{}", open.repeat(depth), close.repeat(depth)))?;
        check(&open.repeat(depth))?;
    }

    #[test]
    fn arithmetic_never_panics(expr in "[-+*/%()!<>=&| 0-9a-z]{0,60}") {
        let _ = psh::expand::arith::eval(&expr, &mut |_| Ok(3));
    }

    #[test]
    fn test_builtin_never_panics(args in prop::collection::vec(prop::sample::select(&["-f", "-d", "-z", "-n", "=", "!=", "-eq", "-lt", "!", "(", ")", "-a", "-o", "1", "x", "", "/"][..]), 0..8)) {
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let _ = psh::builtins::test::test(&args, &|_, _| false);
    }

    #[test]
    fn expansion_never_panics(words in prop::collection::vec(prop::sample::select(&["$x", "${y}", "\"$x\"", "$@", "\"$@\"", "$#", "$1", "${10}", "~", "~nosuchuser/x", "*.nomatch", "a*b", "'*'", "$((1+2))", "$((x/0))", "$((99999999999999999999))", "plain", "\"\"", "''", "[z"][..]), 1..6)) {
        let line = format!("echo {}", words.join(" "));
        let list = parse(&line, "fuzz").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut sh = psh::cli::new_shell("psh".into(), vec!["a b".into(), String::new()], false);
        sh.vars.set("x", "one two".into());
        if let Some(psh::lang::ast::Command::Simple(s)) = list.0.first().and_then(|j| j.body.first.stages.first()) {
            // Errors (division by zero, huge numbers) are values, not panics.
            let _ = sh.expand_words(&s.words);
        }
    }
}

#[test]
fn simple_words_round_trip() {
    proptest!(ProptestConfig::with_cases(CASES), |(words in prop::collection::vec("[a-z0-9_./-]{1,10}", 1..10))| {
        // After `echo` every word is an argument, keywords included.
        let line = format!("echo {}", words.join(" "));
        let list = parse(&line, "t").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let Some(psh::lang::ast::Command::Simple(s)) = list.0.first().and_then(|j| j.body.first.stages.first()) else {
            return Err(TestCaseError::fail(format!("not a simple command: {line}")));
        };
        let got: Vec<String> = s.words.iter().skip(1).filter_map(|w| w.as_literal()).collect();
        prop_assert_eq!(got, words);
    });
}
