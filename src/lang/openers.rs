//! What is still open where a parse failed: a scan of the source for
//! blocks `{ }`, `( )`, `$( )`, `$(( ))`, `${ }` and quotes, so a syntax
//! error can say "missing } for the block opened at 3:5" instead of
//! listing grammar rules.  A heuristic over bytes, used only after the
//! grammar has rejected the input; never parses for real.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Block,
    Paren,
    CmdSub,
    Arith,
    ArithParen,
    Param,
    Single,
    Double,
}

impl Kind {
    /// How the user would name the opener, and what closes it.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Kind::Block => ("the block", "}"),
            Kind::Paren => ("the (", ")"),
            Kind::CmdSub => ("the $(", ")"),
            Kind::Arith | Kind::ArithParen => ("the $((", "))"),
            Kind::Param => ("the ${", "}"),
            Kind::Single => ("the '", "'"),
            Kind::Double => ("the \"", "\""),
        }
    }
}

/// The scan's findings.
#[derive(Debug, Default)]
pub struct Scan {
    /// Still open at the end of input, outermost first: (kind, byte offset).
    pub open: Vec<(Kind, usize)>,
    /// A `}` or `)` with nothing open to close: its byte offset.
    pub stray: Option<usize>,
    /// Spans of `${…}` (start, end exclusive; end = len when unclosed).
    pub params: Vec<(usize, usize)>,
    /// A `}` that closed a block while a `(` or `$(` inside it was still
    /// open: (that opener's kind, its offset, the `}`'s offset).
    pub cut: Option<(Kind, usize, usize)>,
}

fn blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn delim(c: Option<&u8>) -> bool {
    match c {
        None => true,
        Some(&c) => blank(c) || matches!(c, b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'),
    }
}

pub fn scan(src: &str) -> Scan {
    let b = src.as_bytes();
    let mut st: Vec<(Kind, usize)> = Vec::new();
    let mut out = Scan::default();
    let mut i = 0;
    let mut word_start = true;
    while i < b.len() {
        let c = b[i];
        let top = st.last().map(|f| f.0);
        let at = |s: &str| b[i..].starts_with(s.as_bytes());
        match top {
            Some(Kind::Single) => {
                if c == b'\'' {
                    st.pop();
                }
                i += 1;
                continue;
            }
            Some(Kind::Double) | Some(Kind::Param) | Some(Kind::Arith) | Some(Kind::ArithParen) => {
                let k = top.unwrap_or(Kind::Double);
                if c == b'\\' {
                    i += 2;
                    continue;
                }
                if at("$((") {
                    st.push((Kind::Arith, i));
                    i += 3;
                } else if at("$(") {
                    st.push((Kind::CmdSub, i));
                    i += 2;
                } else if at("${") {
                    st.push((Kind::Param, i));
                    i += 2;
                } else if c == b'"' && k == Kind::Double {
                    st.pop();
                    i += 1;
                } else if c == b'"' || (c == b'\'' && k == Kind::Param) {
                    st.push((
                        if c == b'"' {
                            Kind::Double
                        } else {
                            Kind::Single
                        },
                        i,
                    ));
                    i += 1;
                } else if c == b'}' && k == Kind::Param {
                    if let Some((_, s)) = st.pop() {
                        out.params.push((s, i + 1));
                    }
                    i += 1;
                } else if c == b'(' && matches!(k, Kind::Arith | Kind::ArithParen) {
                    st.push((Kind::ArithParen, i));
                    i += 1;
                } else if at("))") && k == Kind::Arith {
                    st.pop();
                    i += 2;
                } else if c == b')' && k == Kind::ArithParen {
                    st.pop();
                    i += 1;
                } else {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        // Code: the top level, a block, a subshell or a `$(`.
        let mut next_start = blank(c) || matches!(c, b';' | b'|' | b'&' | b'(' | b')');
        match c {
            b'#' if word_start => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\\' => i += 1,
            b'\'' => st.push((Kind::Single, i)),
            b'"' => st.push((Kind::Double, i)),
            b'$' if at("$((") => {
                st.push((Kind::Arith, i));
                i += 2;
            }
            b'$' if at("$(") => {
                st.push((Kind::CmdSub, i));
                i += 1;
                next_start = true;
            }
            b'$' if at("${") => {
                st.push((Kind::Param, i));
                i += 1;
            }
            b'(' => st.push((Kind::Paren, i)),
            b')' => match top {
                Some(Kind::Paren | Kind::CmdSub) => {
                    st.pop();
                }
                _ => {
                    out.stray.get_or_insert(i);
                }
            },
            b'{' if word_start && delim(b.get(i + 1)) => st.push((Kind::Block, i)),
            b'}' if word_start && (delim(b.get(i + 1)) || b.get(i + 1) == Some(&b'}')) => {
                if top == Some(Kind::Block) {
                    st.pop();
                } else if let Some(k) = st.iter().rposition(|f| f.0 == Kind::Block) {
                    if let Some(&(kind, at)) = st.last() {
                        out.cut.get_or_insert((kind, at, i));
                    }
                    st.truncate(k);
                } else {
                    out.stray.get_or_insert(i);
                }
                next_start = true;
            }
            _ => {}
        }
        word_start = next_start;
        i += 1;
    }
    for &(k, s) in &st {
        if k == Kind::Param {
            out.params.push((s, b.len()));
        }
    }
    out.open = st;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_is_open() {
        let s = scan("if true {\n  echo $(ls\n");
        assert_eq!(s.open, vec![(Kind::Block, 8), (Kind::CmdSub, 17)]);
        let s = scan("{ echo '}' \"${x}\" }");
        assert!(s.open.is_empty() && s.stray.is_none());
        assert_eq!(s.params, vec![(12, 16)]);
        assert_eq!(scan("echo }").stray, Some(5));
        assert_eq!(scan("echo a}b {}").stray, None);
        assert_eq!(scan("x=$((1+(2))); y=${z").open, vec![(Kind::Param, 16)]);
        assert_eq!(scan("# { not open\necho").open, vec![]);
        let s = scan("for x in a { echo $(ls }");
        assert_eq!((s.cut, s.stray), (Some((Kind::CmdSub, 18, 23)), None));
    }
}
