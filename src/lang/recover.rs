//! Every syntax error of a file, not only the first (`psh --check`): when
//! the whole text does not parse, it is cut at the newlines that end a
//! top-level command (outside quotes, blocks and continued lines) and each
//! piece is parsed alone, so checking resumes at the next top-level
//! command.  Parses only; never runs anything.

use super::diagnostics::SyntaxError;
use super::parser::{check_gathered, parse, parse_grammar};

/// (first line number, text) of each top-level piece of `src`.
fn pieces(src: &str) -> Vec<(usize, &str)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut start, mut line, mut start_line) = (0i64, 0usize, 1usize, 1usize);
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match (quote, c) {
            (_, b'\\') => {
                if b.get(i + 1) == Some(&b'\n') {
                    line += 1;
                }
                i += 2;
                continue;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), b'\n') => line += 1,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(c),
            (None, b'#') if i == 0 || b[i - 1].is_ascii_whitespace() => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            (None, b'{' | b'(') => depth += 1,
            (None, b'}' | b')') => depth -= 1,
            (None, b'\n') => {
                line += 1;
                let before = src[start..i].trim_end();
                let continued = before.ends_with('|') || before.ends_with("&&");
                if depth <= 0 && !continued {
                    out.push((start_line, &src[start..=i]));
                    start = i + 1;
                    start_line = line;
                    depth = 0;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if start < src.len() {
        out.push((start_line, &src[start..]));
    }
    out
}

/// The first error of `piece`: checked alone (habits where commands
/// start, the grammar's message), or, when that finds a habit past it,
/// where the grammar alone stops earlier.
fn first_error(piece: &str, file: &str) -> Option<SyntaxError> {
    let checked = check_gathered(piece, file).err()?;
    match parse_grammar(piece, file) {
        Err(g) if (g.line, g.col) < (checked.line, checked.col) => Some(g),
        _ => Some(checked),
    }
}

/// Every syntax error of `src` (empty when it parses): after an error,
/// checking resumes on the line after it.
pub fn all_errors(src: &str, file: &str) -> Vec<SyntaxError> {
    // The common case, a text that parses: checked as a script is, a job
    // at a time when it is big (memory bounded by the largest job).
    if super::parser::check(src, file).is_ok() {
        return Vec::new();
    }
    let Err(first) = parse(src, file) else {
        return Vec::new();
    };
    let gathered = match super::heredoc::gather(src, file) {
        Ok(g) => g,
        Err(e) => return vec![e],
    };
    let src: &str = &gathered;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(src.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut errors: Vec<SyntaxError> = Vec::new();
    let mut from_line = 1;
    'resume: while let Some(&offset) = line_starts.get(from_line - 1) {
        for (line, piece) in pieces(&src[offset..]) {
            if let Some(mut e) = first_error(piece, file) {
                e.line += from_line + line - 2;
                from_line = e.line + 1;
                errors.push(e);
                continue 'resume;
            }
        }
        break;
    }
    if errors.is_empty() {
        errors.push(first);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_end_at_top_level_newlines() {
        let src = "echo a\nif x {\n  echo b\n}\necho 'c\nd'\nls |\n  wc\n";
        let p: Vec<usize> = pieces(src).iter().map(|(l, _)| *l).collect();
        assert_eq!(p, [1, 2, 5, 7]);
    }

    #[test]
    fn every_error_is_reported_with_its_line() {
        let src = "echo ok\nif {\necho fine\nfor x {\necho `date`\n";
        let e = all_errors(src, "f");
        let lines: Vec<usize> = e.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 4, 5], "{e:?}");
        assert!(all_errors("echo fine\n", "f").is_empty());
        // A habit's word where no command starts is a word here too.
        let src = "echo ok\nfi\necho $(date) done\nx=`date`\n";
        let lines: Vec<usize> = all_errors(src, "f").iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 4]);
    }
}
