//! Highlighting as you type: keywords and builtins, commands found on
//! PATH (green) or not (red), strings, variables, operators, comments;
//! and history hints, dimmed.  Only adds colour codes: the text itself is
//! never changed.

use std::borrow::Cow;

use nu_ansi_term::{Color, Style};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::Context;

use super::PshHelper;

const OPERATORS: [&str; 17] = [
    "2>&1", "&>>", ">&2", "2>>", "&>", "2>", ">>", "&&", "||", "|", "&", ";", "<", ">", "(", ")",
    "$(",
];

fn ends_word(c: char) -> bool {
    c.is_whitespace() || "|&;<>()".contains(c)
}

/// Colour a typed line: the same text, with ANSI codes around tokens.
pub(crate) fn highlight_line(line: &str, h: &PshHelper) -> String {
    let op = Style::new().fg(Color::Purple);
    let comment = Style::new().fg(Color::DarkGray);
    let mut out = String::with_capacity(line.len() * 2);
    let mut cmd_pos = true;
    let mut target = false;
    let mut i = 0;
    let at_start = |i: usize| i == 0 || line[..i].ends_with(|c: char| ends_word(c));
    while i < line.len() {
        let rest = &line[i..];
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() {
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        if c == '#' && at_start(i) {
            out.push_str(&comment.paint(rest).to_string());
            break;
        }
        if let Some(o) = OPERATORS.iter().find(|o| rest.starts_with(**o)) {
            let is_redirect = o.contains(['<', '>']);
            if !o.starts_with('2') || at_start(i) {
                out.push_str(&op.paint(*o).to_string());
                i += o.len();
                if is_redirect {
                    target = !o.ends_with(['1', '2']);
                } else {
                    cmd_pos = true;
                }
                continue;
            }
        }
        // A word: up to a blank or an operator outside quotes.
        let start = i;
        let (j, segments, plain) = scan_word(line, i);
        let word = &line[start..j];
        if j == start {
            // Nothing consumed (should not happen): copy one char.
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        if target {
            out.push_str(&segments);
            target = false;
        } else if cmd_pos && (word == "{" || word == "}") {
            out.push_str(&op.paint(word).to_string());
        } else if cmd_pos && plain && is_assignment(word) {
            out.push_str(word);
        } else if cmd_pos && plain {
            out.push_str(&h.classify(word).paint(word).to_string());
            cmd_pos = matches!(word, "if" | "while" | "else" | "spawn" | "explain" | "!");
        } else {
            out.push_str(&segments);
            cmd_pos = word == "{" || word == "}";
        }
        i = j;
    }
    out
}

/// One word of a typed line from `i`: where it ends, its text with
/// strings and variables coloured, and whether it is plain (no quotes or
/// `$`).
fn scan_word(line: &str, i: usize) -> (usize, String, bool) {
    let string = Style::new().fg(Color::Yellow);
    let var = Style::new().fg(Color::Cyan);
    let mut j = i;
    let mut segments = String::new();
    let mut plain = true;
    while j < line.len() {
        let Some(ch) = line[j..].chars().next() else {
            break;
        };
        if ends_word(ch) {
            break;
        }
        match ch {
            '\'' => {
                let end = line[j + 1..]
                    .find('\'')
                    .map_or(line.len(), |k| j + 1 + k + 1);
                segments.push_str(&string.paint(&line[j..end]).to_string());
                j = end;
                plain = false;
            }
            '"' => {
                let mut k = j + 1;
                let b = line.as_bytes();
                while k < line.len() && b[k] != b'"' {
                    k += if b[k] == b'\\' { 2 } else { 1 };
                }
                let end = (k + 1).min(line.len());
                let end = (end..=line.len())
                    .find(|e| line.is_char_boundary(*e))
                    .unwrap_or(line.len());
                segments.push_str(&string.paint(&line[j..end]).to_string());
                j = end;
                plain = false;
            }
            '$' => {
                let tail = &line[j + 1..];
                let len = if tail.starts_with('{') {
                    tail.find('}').map_or(tail.len(), |k| k + 1)
                } else if tail.starts_with(['?', '!', '$', '#', '@', '*'])
                    || tail.starts_with(|c: char| c.is_ascii_digit())
                {
                    1
                } else {
                    tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(tail.len())
                };
                segments.push_str(&var.paint(&line[j..j + 1 + len]).to_string());
                j += 1 + len;
                plain = false;
            }
            '\\' => {
                let n = line[j + 1..].chars().next().map_or(0, char::len_utf8);
                segments.push_str(&line[j..j + 1 + n]);
                j += 1 + n;
            }
            _ => {
                segments.push(ch);
                j += ch.len_utf8();
            }
        }
    }
    (j, segments, plain)
}

pub(crate) fn is_assignment(word: &str) -> bool {
    word.split_once('=')
        .is_some_and(|(n, _)| crate::exec::vars::valid_name(n))
}

impl Highlighter for PshHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        *self.editing.borrow_mut() = (line.to_string(), pos);
        if !self.colors {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight_line(line, self))
    }
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if !self.colors {
            return Cow::Owned(Style::new().dimmed().italic().paint(hint).to_string());
        }
        Cow::Owned(Style::new().fg(Color::DarkGray).paint(hint).to_string())
    }
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.colors
    }
}

impl Hinter for PshHelper {
    type Hint = String;
    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        // Called on every redraw, the first one included, once the
        // editor's SIGINT handler is in place: a signal that came before
        // that is acted on now (see os::signals::kick_if_pending).
        crate::os::signals::kick_if_pending();
        *self.editing.borrow_mut() = (line.to_string(), pos);
        self.hinter.hint(line, pos, ctx)
    }
}

impl Validator for PshHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::test_helper as helper;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut esc = false;
        for c in s.chars() {
            match (esc, c) {
                (false, '\x1b') => esc = true,
                (true, 'm') => esc = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let h = helper();
        for line in [
            "ls -l | wc",
            "echo 'a b' \"c $d\" $x ${y} # note",
            "if true { echo yes } else { nosuchcmd_x }",
            "a=1 myfn 2>&1 > out.txt &",
            "echo ünï \\ x",
            "\"unterminated",
            "$(",
        ] {
            assert_eq!(strip(&highlight_line(line, &h)), line);
        }
    }

    #[test]
    fn commands_are_coloured_by_kind() {
        let h = helper();
        let out = highlight_line("nosuchcmd_psh_x arg", &h);
        assert!(
            out.starts_with(&Color::Red.paint("nosuchcmd_psh_x").to_string()),
            "{out:?}"
        );
        let out = highlight_line("ls", &h);
        assert!(
            out.starts_with(&Color::Green.paint("ls").to_string()),
            "{out:?}"
        );
        let out = highlight_line("echo hi | nosuchcmd_psh_y", &h);
        assert!(
            out.ends_with(&Color::Red.paint("nosuchcmd_psh_y").to_string()),
            "{out:?}"
        );
    }
}
