//! Syntax errors in the user's terms: `psh: FILE:LINE:COL: syntax error: …`,
//! the source line and a caret under the column.  Turns pest's errors
//! (lists of grammar rules) into a diagnosis.  Never parses, never runs.

use std::fmt;

use pest::error::{ErrorVariant, InputLocation};

use super::grammar::Rule;

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

pub(crate) fn pest_error(e: pest::error::Error<Rule>, src: &str, file: &str) -> SyntaxError {
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
    if let Some(e) = diagnose(src, file, pos) {
        return e;
    }
    error_at(src, file, pos, message)
}

/// A diagnosis in the user's terms, when the scan of openers or the
/// keyword at the error explains it.
fn diagnose(src: &str, file: &str, pos: usize) -> Option<SyntaxError> {
    let sc = super::openers::scan(src);
    let mut pos = pos.min(src.len());
    while !src.is_char_boundary(pos) {
        pos -= 1;
    }
    let at_end = src[pos..].trim().is_empty();
    let where_ = |at: usize| {
        let e = error_at(src, file, at, String::new());
        format!("{}:{}", e.line, e.col)
    };
    if let Some(&(s, end)) = sc.params.iter().find(|(s, e)| pos >= *s && pos < *e) {
        let text: String = src[s..end].chars().take(40).collect();
        let message = if end >= src.len() && !src[s..].contains('}') {
            format!("unterminated ${{…}} opened at {}", where_(s))
        } else {
            format!(
                "`{text}` is not a parameter expansion psh knows: write ${{NAME}}, ${{NAME:-WORD}}, \
                 ${{NAME#PAT}}, ${{NAME%PAT}}, ${{NAME/PAT/REP}}, ${{NAME:OFF:LEN}}, ${{#NAME}}, ${{NAME[i]}}"
            )
        };
        return Some(error_at(src, file, pos, message));
    }
    if let Some((k, at, close)) = sc.cut.filter(|c| pos >= c.1) {
        let (what, closer) = k.describe();
        return Some(error_at(
            src,
            file,
            close,
            format!("missing {closer} for {what} opened at {}", where_(at)),
        ));
    }
    if let Some(at) = sc.stray.filter(|&at| at == pos || at + 1 == pos) {
        let c = &src[at..=at];
        let what = if c == "}" { "block" } else { "( or $(" };
        return Some(error_at(
            src,
            file,
            at,
            format!("unexpected `{c}`: no {what} is open here"),
        ));
    }
    if let Some(&(k, at)) = sc.open.last().filter(|(_, at)| at_end || pos >= *at) {
        let (what, close) = k.describe();
        if !at_end {
            // Point at the opener itself when the parse stopped inside.
            let mut e = error_at(
                src,
                file,
                at,
                format!("missing {close} for {what} opened here"),
            );
            e.incomplete = false;
            return Some(e);
        }
        let mut e = error_at(
            src,
            file,
            src.len(),
            format!("missing {close} for {what} opened at {}", where_(at)),
        );
        e.incomplete = true;
        return Some(e);
    }
    // The keyword whose command failed: the word at the error, or the
    // one just before it.
    let before = src[..pos].trim_end_matches([' ', '\t']);
    let start = before
        .char_indices()
        .rfind(|(_, c)| !c.is_ascii_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let kw = if src[pos..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        src[pos..]
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("")
    } else {
        &before[start..]
    };
    let usage = match kw {
        "for" => "for needs a name, `in`, words and a block: for NAME in WORD… { … }",
        "if" => "if needs a condition and a block: if COND { … } else if COND { … } else { … }",
        "while" => "while needs a condition and a block: while COND { … }",
        "match" => {
            "match needs a word and a block of arms: match WORD { PATTERN | PATTERN { … } * { … } }"
        }
        "fn" => "fn needs a name and a block: fn NAME { … }",
        "else" => "else needs a block or another if: else { … } or else if COND { … }",
        _ => return None,
    };
    Some(error_at(src, file, pos, usage.to_string()))
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
pub(crate) fn error_at(src: &str, file: &str, pos: usize, message: String) -> SyntaxError {
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
