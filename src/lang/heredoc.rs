//! Here-documents, gathered before parsing: `<<WORD` (the body expands
//! `$…`, `$(…)`, `$((…))`), `<<'WORD'` or `<<"WORD"` (literal), `<<-WORD`
//! (leading tabs removed).  The body follows the line that names it, as in
//! sh; it is moved into that line as a double-quoted word after the
//! internal operator `<<<<` (a here-string without the added newline),
//! escaped so it means the same, and the lines it took become one empty
//! line, so later line numbers do not move.  Never expands anything.

use std::borrow::Cow;

use super::diagnostics::{error_at, SyntaxError};

/// A here-document named on the current line, waiting for its body.
struct Pending {
    /// Byte range of `<<WORD` in the source, to replace.
    op: std::ops::Range<usize>,
    delim: String,
    literal: bool,
    strip_tabs: bool,
}

/// The source with every here-document moved into its command line.
/// An unterminated one is an "incomplete" error (more lines may come).
pub fn gather<'a>(src: &'a str, file: &str) -> Result<Cow<'a, str>, SyntaxError> {
    // The common text has no here-document: no copy of it is made.
    if !src.contains("<<") {
        return Ok(Cow::Borrowed(src));
    }
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut copied = 0; // bytes of `src` already in `out`
    let mut pending: Vec<Pending> = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match (quote, c) {
            (Some(b'\''), b'\'') => quote = None,
            (Some(b'\''), _) => {}
            (_, b'\\') => {
                i += 2;
                continue;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(c),
            // `$((…))` may hold `<<` (a shift): skip to its end.
            (None, b'$') if src[i..].starts_with("$((") => {
                let mut depth = 0;
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            (None, b'#') if i == 0 || b[i - 1].is_ascii_whitespace() => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            (None, b'<') if b.get(i + 1) == Some(&b'<') && b.get(i + 2) != Some(&b'<') => {
                if i > 0 && b[i - 1] == b'<' {
                    i += 1;
                    continue;
                }
                let (p, end) = operator(src, i).ok_or_else(|| {
                    error_at(src, file, i, "a here-document needs a word after <<".into())
                })?;
                pending.push(p);
                i = end;
                continue;
            }
            (None, b'\n') if !pending.is_empty() => {
                let (texts, next) = bodies(src, file, i + 1, &pending)?;
                // The command line, each operator replaced by its body.
                for (p, body) in pending.drain(..).zip(texts) {
                    out.push_str(&src[copied..p.op.start]);
                    out.push_str("<<<< ");
                    out.push_str(&quoted(&body, p.literal));
                    copied = p.op.end;
                }
                out.push_str(&src[copied..=i]);
                // The body lines moved up: keep one empty line for them.
                out.push('\n');
                copied = next;
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(p) = pending.first() {
        return Err(unterminated(src, file, p));
    }
    out.push_str(&src[copied..]);
    Ok(Cow::Owned(out))
}

/// Parse `<<[-]WORD` at `at`: the pending here-document and where it ends.
fn operator(src: &str, at: usize) -> Option<(Pending, usize)> {
    let b = src.as_bytes();
    let mut i = at + 2;
    let strip_tabs = b.get(i) == Some(&b'-');
    if strip_tabs {
        i += 1;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    let start = i;
    let mut delim = String::new();
    let mut literal = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'\'' | b'"' => {
                literal = true;
                let close = src[i + 1..].find(c as char)? + i + 1;
                delim.push_str(&src[i + 1..close]);
                i = close + 1;
            }
            b'\\' => {
                literal = true;
                let ch = src.get(i + 1..)?.chars().next()?;
                delim.push(ch);
                i += 1 + ch.len_utf8();
            }
            b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
            _ => {
                let ch = src[i..].chars().next()?;
                delim.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    if i == start || delim.is_empty() {
        return None;
    }
    let p = Pending {
        op: at..i,
        delim,
        literal,
        strip_tabs,
    };
    Some((p, i))
}

/// The bodies of `pending`, in order, from byte `from`; and where the
/// source goes on after the last terminator.
fn bodies(
    src: &str,
    file: &str,
    from: usize,
    pending: &[Pending],
) -> Result<(Vec<String>, usize), SyntaxError> {
    let mut pos = from;
    let mut out = Vec::new();
    for p in pending {
        let mut body = String::new();
        loop {
            if pos >= src.len() {
                return Err(unterminated(src, file, p));
            }
            let end = src[pos..].find('\n').map_or(src.len(), |k| pos + k + 1);
            let raw = &src[pos..end];
            pos = end;
            let line = raw.strip_suffix('\n').unwrap_or(raw);
            let line = if p.strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if line == p.delim {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        out.push(body);
    }
    Ok((out, pos))
}

fn unterminated(src: &str, file: &str, p: &Pending) -> SyntaxError {
    let mut e = error_at(
        src,
        file,
        p.op.start,
        format!("here-document not ended: a line `{}` is expected", p.delim),
    );
    e.incomplete = true;
    e
}

/// The body as a double-quoted word meaning the same: a literal body has
/// every `\ $ " \`` escaped; an expanding one only `"` and `` ` ``.
fn quoted(body: &str, literal: bool) -> String {
    let mut s = String::with_capacity(body.len() + 2);
    s.push('"');
    for c in body.chars() {
        let escape = match c {
            '"' | '`' => true,
            '\\' | '$' => literal,
            _ => false,
        };
        if escape {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::gather;

    fn g(s: &str) -> String {
        gather(s, "t").map_or_else(
            |e| format!("ERR {} {}", e.message, e.incomplete),
            |g| g.into_owned(),
        )
    }

    #[test]
    fn bodies_move_into_their_line() {
        assert_eq!(
            g("cat <<EOF\nhi $x\nEOF\necho next\n"),
            "cat <<<< \"hi $x\n\"\n\necho next\n"
        );
        assert_eq!(
            g("cat <<'EOF'\n$x \\ \"q\"\nEOF\n"),
            "cat <<<< \"\\$x \\\\ \\\"q\\\"\n\"\n\n"
        );
        assert_eq!(g("cat <<-EOF\n\t\tin\n\tEOF\n"), "cat <<<< \"in\n\"\n\n");
        assert_eq!(
            g("a <<A; b <<B\n1\nA\n2\nB\n"),
            "a <<<< \"1\n\"; b <<<< \"2\n\"\n\n"
        );
        assert_eq!(g("echo '<<EOF' x\n"), "echo '<<EOF' x\n");
        assert_eq!(g("cat <<< word\n"), "cat <<< word\n");
        assert_eq!(
            g("echo $((1 << 2)) \"$((a<<=3))\"\n"),
            "echo $((1 << 2)) \"$((a<<=3))\"\n"
        );
    }

    #[test]
    fn an_unended_body_is_incomplete() {
        assert!(g("cat <<EOF\nhi\n").starts_with("ERR here-document not ended: a line `EOF`"));
        assert!(g("cat <<EOF\nhi\n").ends_with("true"));
        assert!(g("cat <<\n").starts_with("ERR a here-document needs a word"));
    }
}
