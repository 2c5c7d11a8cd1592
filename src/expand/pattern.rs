//! Glob patterns on psh's text: `*`, `?`, `[…]` with `!`/`^`, ranges,
//! `[:alpha:]`-style classes and `\`-escapes; matched against a whole
//! string, one character at a time (a raw byte that is not UTF-8 is one
//! character, see `os/text.rs`).  Used by globbing, `match` and the
//! `${x#pat}` operators.  Pure: never touches the file system.

#[derive(Debug, Clone)]
enum Tok {
    Lit(char),
    Any,
    Star,
    Class { neg: bool, items: Vec<Item> },
}

#[derive(Debug, Clone)]
enum Item {
    Char(char),
    Range(char, char),
    Named(fn(char) -> bool),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    toks: Vec<Tok>,
    /// The C locale: one byte is one character (`?` matches one byte of
    /// `é`), and classes know only ASCII.
    bytes: bool,
}

/// Each byte of `s` as one char (U+0000–U+00FF).
fn latin1(s: &str) -> String {
    crate::os::text::encode(s)
        .iter()
        .map(|&b| char::from(b))
        .collect()
}

/// `s` as a pattern that matches only itself.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// True when `p` holds an unescaped `*`, `?` or a `[…]` that closes (a
/// lone `[`, as in `[ -f x ]`, is an ordinary character).
pub fn has_magic(p: &str) -> bool {
    let mut it = p.chars();
    let mut bracket = false;
    while let Some(c) = it.next() {
        match c {
            '\\' => {
                it.next();
            }
            '*' | '?' => return true,
            '[' => bracket = true,
            _ => {}
        }
    }
    bracket
        && p.contains(']')
        && Pattern::new(p)
            .toks
            .iter()
            .any(|t| !matches!(t, Tok::Lit(_)))
}

/// `p` with its escapes removed (for a pattern without magic).
pub fn unescape(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn named(name: &str) -> Option<fn(char) -> bool> {
    Some(match name {
        "alpha" => char::is_alphabetic,
        "digit" => |c: char| c.is_ascii_digit(),
        "alnum" => char::is_alphanumeric,
        "upper" => char::is_uppercase,
        "lower" => char::is_lowercase,
        "space" => char::is_whitespace,
        "blank" => |c: char| c == ' ' || c == '\t',
        "punct" => |c: char| c.is_ascii_punctuation(),
        "xdigit" => |c: char| c.is_ascii_hexdigit(),
        "cntrl" => char::is_control,
        "print" => |c: char| !c.is_control(),
        "graph" => |c: char| !c.is_control() && !c.is_whitespace(),
        _ => return None,
    })
}

/// Parse a `[…]` starting after the `[`; None when it never closes.
fn class(cs: &[char]) -> Option<(Tok, usize)> {
    let mut i = 0;
    let neg = matches!(cs.first(), Some('!' | '^'));
    if neg {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *cs.get(i)?;
        if c == ']' && !first {
            return Some((Tok::Class { neg, items }, i + 1));
        }
        first = false;
        if c == '[' && cs.get(i + 1) == Some(&':') {
            let rest: String = cs[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                if let Some(f) = named(&rest[..end]) {
                    items.push(Item::Named(f));
                    i += 2 + rest[..end].chars().count() + 2;
                    continue;
                }
            }
        }
        let lo = if c == '\\' {
            i += 1;
            *cs.get(i)?
        } else {
            c
        };
        i += 1;
        if cs.get(i) == Some(&'-') && cs.get(i + 1).is_some_and(|&n| n != ']') {
            let mut hi = cs[i + 1];
            i += 2;
            if hi == '\\' {
                hi = *cs.get(i)?;
                i += 1;
            }
            items.push(Item::Range(lo, hi));
        } else {
            items.push(Item::Char(lo));
        }
    }
}

impl Pattern {
    /// Never fails: a `[` that does not close is an ordinary character.
    pub fn new(p: &str) -> Pattern {
        let cs: Vec<char> = p.chars().collect();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < cs.len() {
            match cs[i] {
                '\\' if i + 1 < cs.len() => {
                    toks.push(Tok::Lit(cs[i + 1]));
                    i += 2;
                }
                '*' => {
                    if !matches!(toks.last(), Some(Tok::Star)) {
                        toks.push(Tok::Star);
                    }
                    i += 1;
                }
                '?' => {
                    toks.push(Tok::Any);
                    i += 1;
                }
                '[' => match class(&cs[i + 1..]) {
                    Some((t, used)) => {
                        toks.push(t);
                        i += 1 + used;
                    }
                    None => {
                        toks.push(Tok::Lit('['));
                        i += 1;
                    }
                },
                c => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                }
            }
        }
        Pattern { toks, bytes: false }
    }

    /// The pattern for the C locale: it matches bytes, not characters.
    pub fn bytewise(p: &str) -> Pattern {
        Pattern {
            bytes: true,
            ..Pattern::new(&latin1(p))
        }
    }

    /// The pattern starts with a literal `.` (so it may match hidden names).
    pub fn starts_with_dot(&self) -> bool {
        matches!(self.toks.first(), Some(Tok::Lit('.')))
    }

    fn one(&self, t: &Tok, c: char) -> bool {
        match t {
            Tok::Lit(l) => *l == c,
            Tok::Any => true,
            Tok::Star => false,
            Tok::Class { neg, items } => {
                let hit = items.iter().any(|it| match it {
                    Item::Char(x) => *x == c,
                    Item::Range(a, b) => *a <= c && c <= *b,
                    Item::Named(f) => (c.is_ascii() || !self.bytes) && f(c),
                });
                hit != *neg
            }
        }
    }

    /// Does the whole of `s` match?
    pub fn matches(&self, s: &str) -> bool {
        // `*` alone (`echo *`): every name, without a walk through it.
        if let [Tok::Star] = self.toks.as_slice() {
            return true;
        }
        if self.bytes {
            return self.matches_chars(&latin1(s));
        }
        self.matches_chars(s)
    }

    fn matches_chars(&self, s: &str) -> bool {
        let toks = &self.toks;
        let (mut ti, mut si) = (0usize, 0usize);
        // Where the last `*` was, and how much of `s` it has taken so far.
        let mut star: Option<(usize, usize)> = None;
        loop {
            if let Some(t) = toks.get(ti) {
                if matches!(t, Tok::Star) {
                    star = Some((ti + 1, si));
                    ti += 1;
                    continue;
                }
                if let Some(c) = s[si..].chars().next() {
                    if self.one(t, c) {
                        ti += 1;
                        si += c.len_utf8();
                        continue;
                    }
                }
            } else if si == s.len() {
                return true;
            }
            // Mismatch: let the last `*` take one more character.
            match star {
                Some((t, at)) => match s[at..].chars().next() {
                    Some(c) => {
                        let next = at + c.len_utf8();
                        star = Some((t, next));
                        ti = t;
                        si = next;
                    }
                    None => return false,
                },
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Pattern::new(p).matches(s)
    }

    #[test]
    fn wildcards_and_classes() {
        assert!(m("*.rs", "main.rs") && !m("*.rs", "main.rc"));
        assert!(m("a?c", "abc") && !m("a?c", "ac"));
        assert!(m("*a*b*", "xxaxxbxx") && !m("*a*b", "ba"));
        assert!(m("[abc]x", "bx") && !m("[!abc]x", "bx") && m("[^abc]x", "dx"));
        assert!(m("[a-c][0-9]", "b7") && !m("[a-c]", "d"));
        assert!(m("[[:alpha:]][[:digit:]]", "é5"));
        assert!(m("[]]", "]") && m("[!]]", "x"));
        assert!(m("[\\[z]", "[") && m("[\\[z]", "z"));
        assert!(m("\\*", "*") && !m("\\*", "x"));
        assert!(m("[", "[") && m("a[b", "a[b"));
        assert!(m("", "") && !m("", "x") && m("*", ""));
        // A raw byte (not UTF-8) is one character.
        let raw = crate::os::text::decode(b"\xff").into_owned();
        assert!(m("?", &raw));
        // The C locale: a byte at a time.
        let c = |p: &str, s: &str| Pattern::bytewise(p).matches(s);
        assert!(!c("?", "é") && c("??", "é") && c("é", "é") && c("?", &raw));
        assert!(!c("[[:alpha:]]?", "é") && c("[[:alpha:]]", "a"));
    }

    #[test]
    fn escape_round_trips() {
        for s in ["a*b", "[x]", "back\\slash", "q?"] {
            assert!(m(&escape(s), s), "{s}");
            assert!(!has_magic(&escape(s)));
            assert_eq!(unescape(&escape(s)), s);
        }
    }
}
