//! Habits from other shells, caught before parsing: backquotes,
//! `then`/`fi`/`do`/`done`/`elif`/`esac`, `case … in`, `function NAME` and
//! `NAME() {` are not psh syntax, and each is a syntax error that says what
//! psh writes instead — never literal text, never a continuation prompt
//! that no `fi` can end.  A lexical scan only: quotes are skipped, and
//! only words in command position count.  Never builds an AST.
//!
//! The parser runs it only on the jobs the fast path leaves to the
//! grammar (`parser::walk`): the fast path declines every job with one of
//! these words where it reads a command's name, and every backquote
//! outside single quotes, so the jobs it keeps have none, by its exact
//! reading of command positions rather than this scan's guess.

use super::diagnostics::{error_at, SyntaxError};
use super::fast::skip_to;

/// What to write instead of a word that starts a command elsewhere.
fn advice(word: &[u8]) -> Option<&'static str> {
    Some(match word {
        b"then" | b"fi" | b"elif" => "write if COND { … } else if COND { … } else { … }",
        b"do" | b"done" => "write while COND { … } or for NAME in WORDS { … }",
        b"esac" => "write match WORD { PATTERN | PATTERN { … } * { … } }",
        b"function" => "write fn NAME { … }",
        _ => return None,
    })
}

/// Bytes that end an unquoted word.
fn ends_word(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' | b'{' | b'}'
    )
}

/// Bytes that are neither blank, operator nor quote: the inside of a plain
/// word.  A table, as this scan reads every byte of every script.
static WORD_BYTE: [bool; 256] = {
    let mut t = [true; 256];
    let stops = b" \t\n;&|()<>{}'\"\\`";
    let mut i = 0;
    while i < stops.len() {
        t[stops[i] as usize] = false;
        i += 1;
    }
    t
};

/// Where a `${…}` or `$((…))` whose inside starts at `i` ends (after its
/// closer; the end of the text if it has none): `depth` openers are open,
/// quotes and escapes are stepped over.  A backquote inside is an error
/// at its index.
fn expansion_end(
    b: &[u8],
    mut i: usize,
    open: u8,
    close: u8,
    mut depth: usize,
) -> Result<usize, usize> {
    loop {
        i = skip_to(b, i, |c| {
            matches!(c, b'\\' | b'\'' | b'`') || c == open || c == close
        });
        let Some(&c) = b.get(i) else {
            return Ok(b.len());
        };
        match c {
            b'\\' => i += 1,
            b'\'' => i = skip_to(b, i + 1, |c| c == b'\''),
            b'`' => return Err(i),
            // (In `${…}` only a `${` nests, as in the grammar's `op_word`.)
            c if c == open && (open != b'{' || b.get(i.wrapping_sub(1)) == Some(&b'$')) => {
                depth += 1
            }
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Scan all of `src`; the first habit found is the error.  (What the
/// parser once did before anything else; the tests compare with it.)
#[cfg(test)]
pub(crate) fn check(src: &str, file: &str) -> Result<(), SyntaxError> {
    check_in(src, 0..src.len(), file)
}

/// Scan the jobs in `range` of `src` (it starts where a job may); the
/// first habit found is the error, placed in all of `src`.
pub fn check_in(src: &str, range: std::ops::Range<usize>, file: &str) -> Result<(), SyntaxError> {
    let b = src.as_bytes().get(..range.end).unwrap_or_default();
    let err = |pos: usize, msg: String| Err(error_at(src, file, pos, msg));
    let mut i = range.start;
    // At the start of a command: the next word is a command name.
    let mut cmd_pos = true;
    // The previous command-position word (for `case WORD in`).
    let mut last_cmd: &[u8] = b"";
    let mut words_since_cmd = 0usize;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' => {
                i = skip_to(b, i + 1, |c| c == b'\'') + 1;
                cmd_pos = false;
                continue;
            }
            b'"' => {
                i += 1;
                loop {
                    i = skip_to(b, i, |c| matches!(c, b'"' | b'\\' | b'`'));
                    match b.get(i) {
                        Some(b'\\') => i += 2,
                        Some(b'`') => {
                            return err(i, "backquotes are not psh syntax: write $(…)".into())
                        }
                        _ => break,
                    }
                }
                i += 1;
                cmd_pos = false;
                continue;
            }
            b'\\' => {
                i += 2;
                cmd_pos = false;
                continue;
            }
            b'`' => return err(i, "backquotes are not psh syntax: write $(…)".into()),
            b'#' if i == range.start || ends_word(b[i - 1]) => {
                i = skip_to(b, i, |c| c == b'\n');
                continue;
            }
            b'\n' | b';' | b'&' | b'|' | b'(' | b'{' | b'}' | b')' => {
                cmd_pos = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'<' | b'>' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // A plain word: up to a blank, operator or quote.  A `${…}` or
        // `$((…))` in it is part of the word: its braces are not a block's,
        // its `#` starts no comment and its names are not commands.
        let start = i;
        loop {
            i += b[i..]
                .iter()
                .position(|&c| !WORD_BYTE[c as usize])
                .unwrap_or(b.len() - i);
            if i == start || b[i - 1] != b'$' {
                break;
            }
            let end = match (b.get(i), b.get(i + 1)) {
                (Some(b'{'), _) => expansion_end(b, i + 1, b'{', b'}', 1),
                (Some(b'('), Some(b'(')) => expansion_end(b, i + 2, b'(', b')', 2),
                _ => break,
            };
            match end {
                Ok(end) => i = end,
                Err(at) => return err(at, "backquotes are not psh syntax: write $(…)".into()),
            }
        }
        let word = &b[start..i];
        if cmd_pos {
            if let Some(what) = advice(word) {
                let w = String::from_utf8_lossy(word);
                return err(start, format!("{w} is not psh syntax: {what}"));
            }
            // `NAME() {` / `NAME ()`
            let rest = &b[i..];
            let after_blanks = rest
                .iter()
                .position(|&c| c != b' ' && c != b'\t')
                .unwrap_or(rest.len());
            // (`NAME=()` is an empty list.)
            if rest[after_blanks..].starts_with(b"()") && !word.is_empty() && !word.ends_with(b"=")
            {
                let w = String::from_utf8_lossy(word);
                return err(
                    start,
                    format!("{w}() is not psh syntax: write fn {w} {{ … }}"),
                );
            }
            last_cmd = word;
            words_since_cmd = 0;
            // After these, a command follows.
            cmd_pos = matches!(
                word,
                b"if" | b"while" | b"else" | b"!" | b"spawn" | b"explain"
            );
        } else {
            words_since_cmd += 1;
            if last_cmd == b"case" && words_since_cmd == 2 && word == b"in" {
                return err(
                    start,
                    "case … in is not psh syntax: write match WORD { PATTERN | PATTERN { … } * { … } }"
                        .into(),
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    fn msg(src: &str) -> String {
        match check(src, "t") {
            Ok(()) => String::new(),
            Err(e) => format!("{}:{} {}", e.line, e.col, e.message),
        }
    }

    #[test]
    fn habits_are_diagnosed() {
        assert!(msg("if [ -f x ]; then echo yes; fi").starts_with("1:14 then is not psh syntax"));
        assert!(msg("while true; do :; done").contains("do is not psh syntax"));
        assert!(msg("echo `date`").contains("backquotes"));
        assert!(msg("echo \"now `date`\"").contains("backquotes"));
        assert!(msg("case $x in a) ;; esac").contains("case … in"));
        assert!(msg("function f { :; }").contains("function is not psh syntax"));
        assert!(msg("f() { echo; }").contains("f() is not psh syntax: write fn f"));
        assert!(msg("x\nfi").starts_with("2:1 fi"));
        // After a `${#…}` (not a comment) and a `$((…))`.
        assert!(msg("echo ${#x}; fi").starts_with("1:13 fi is not"));
        assert!(msg("echo ${x#a} $((1 + 2)); f() { :; }").contains("f() is not psh syntax"));
        assert!(msg("echo ${x:-`date`}").contains("backquotes"));
        assert!(msg("case ${x} in a) ;; esac").contains("case … in"));
    }

    #[test]
    fn the_same_words_elsewhere_are_fine() {
        for ok in [
            "echo then fi do done case in",
            "echo '`date`' \\`",
            "grep -e done file",
            "for x in a b { echo $x }",
            "echo a # then",
            "if true { echo then }",
            "find . -exec echo {} \\;",
            "echo $(date)",
            "a=(); b+=()",
            // Names inside `${…}` and `$((…))` are not commands.
            "then=1; echo ${then} ${fi:-done} ${#do}",
            "echo $((done + 1)) ${x:-'}'} ${y:-{a\\}}",
        ] {
            assert_eq!(msg(ok), "", "{ok}");
        }
    }
}
