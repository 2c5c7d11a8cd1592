//! `${…}` beyond a plain name: subscripts (`${x[2]}`, `${x[@]}`), lengths,
//! and the operators (`${x:-w}`, `${x#pat}`, `${x/pat/rep}`, `${x:1:2}`,
//! `${x^^}`), applied to a value or element-wise to a list.  Gives the
//! words back to `words.rs`, which places them in fields; never splits a
//! value and never runs anything but `$(…)` inside an operand (through
//! `Env`).

use super::{Ex, ExpandError, Expander};
use crate::lang::ast::{Index, ParamExp, ParamName, ParamOp};

/// What a `${…}` gives.
pub(super) enum Value {
    /// One word (empty unquoted: none, as any empty expansion).
    One(String),
    /// One word per element (a list with `[@]`, `$@`), even in quotes.
    Many(Vec<String>),
}

/// The parameter before its operator.
enum Base {
    Unset,
    Scalar(String),
    /// Elements; `all`: `[@]`/`$@` (separate words in quotes too).
    Elems(Vec<String>, bool),
}

impl Base {
    fn is_null(&self) -> bool {
        match self {
            Base::Unset => true,
            Base::Scalar(s) => s.is_empty(),
            Base::Elems(v, _) => v.iter().all(String::is_empty),
        }
    }
}

impl Expander<'_> {
    pub(super) fn param(&mut self, p: &ParamExp, quoted: bool) -> Ex<Value> {
        let base = self.base(p)?;
        let unbound = || ExpandError::Unbound(param_name(&p.name));
        match &p.op {
            ParamOp::Plain => {
                if matches!(base, Base::Unset) && self.env_nounset() {
                    return Err(unbound());
                }
                Ok(finish(base, quoted))
            }
            ParamOp::Length => Ok(Value::One(match base {
                Base::Unset if self.env_nounset() => return Err(unbound()),
                Base::Unset => "0".into(),
                Base::Scalar(s) => s.chars().count().to_string(),
                Base::Elems(v, _) => v.len().to_string(),
            })),
            ParamOp::Default { kind, colon, word } => {
                let missing = matches!(base, Base::Unset) || (*colon && base.is_null());
                match (kind, missing) {
                    ('+', true) => Ok(Value::One(String::new())),
                    ('+', false) => Ok(Value::One(self.string(word)?)),
                    (_, false) => Ok(finish(base, quoted)),
                    ('=', true) => {
                        let v = self.string(word)?;
                        match &p.name {
                            ParamName::Var(n) if p.index.is_none() => {
                                self.env.set_var(n, v.clone());
                                Ok(Value::One(v))
                            }
                            other => Err(ExpandError::Param(format!(
                                "{}: cannot assign in this way",
                                param_name(other)
                            ))),
                        }
                    }
                    ('?', true) => {
                        let msg = self.string(word)?;
                        let msg = if msg.is_empty() {
                            if *colon {
                                "parameter null or not set".to_string()
                            } else {
                                "parameter not set".to_string()
                            }
                        } else {
                            msg
                        };
                        Err(ExpandError::Param(format!(
                            "{}: {msg}",
                            param_name(&p.name)
                        )))
                    }
                    _ => Ok(Value::One(self.string(word)?)),
                }
            }
            ParamOp::Trim {
                suffix,
                longest,
                pat,
            } => {
                let pat = self.pattern(pat)?;
                let m = Matcher::new(&pat);
                Ok(self.each(base, quoted, |s| m.trim(s, *suffix, *longest)))
            }
            ParamOp::Replace {
                all,
                anchor,
                pat,
                rep,
            } => {
                let pat = self.pattern(pat)?;
                let rep = self.string(rep)?;
                let m = Matcher::new(&pat);
                Ok(self.each(base, quoted, |s| m.replace(s, &rep, *all, *anchor)))
            }
            ParamOp::Case { upper, all } => Ok(self.each(base, quoted, |s| case(s, *upper, *all))),
            ParamOp::Slice { off, len } => {
                let off = self.arith(&off.replace('$', ""))?;
                let len = match len {
                    Some(l) => Some(self.arith(&l.replace('$', ""))?),
                    None => None,
                };
                match base {
                    Base::Unset => Ok(Value::One(String::new())),
                    Base::Scalar(s) => {
                        let chars: Vec<char> = s.chars().collect();
                        let r = range(chars.len(), off, len).map_err(ExpandError::Param)?;
                        Ok(Value::One(chars[r].iter().collect()))
                    }
                    Base::Elems(mut v, all) => {
                        // `${@:off}` counts from $0, as bash.
                        if matches!(p.name, ParamName::Special('@' | '*')) {
                            v.insert(0, self.env.positional(0).unwrap_or("").to_string());
                        }
                        let r = range(v.len(), off, len).map_err(ExpandError::Param)?;
                        Ok(finish(Base::Elems(v[r].to_vec(), all), quoted))
                    }
                }
            }
        }
    }

    fn env_nounset(&self) -> bool {
        self.env.nounset()
    }

    /// Apply `f` to the value, or to each element.
    fn each(&self, base: Base, quoted: bool, f: impl Fn(&str) -> String) -> Value {
        let b = match base {
            Base::Unset => Base::Scalar(String::new()),
            Base::Scalar(s) => Base::Scalar(f(&s)),
            Base::Elems(v, all) => Base::Elems(v.iter().map(|s| f(s)).collect(), all),
        };
        finish(b, quoted)
    }

    fn base(&mut self, p: &ParamExp) -> Ex<Base> {
        Ok(match (&p.name, &p.index) {
            (ParamName::Var(n), None) if super::is_dynamic(n) => match self.elements(n) {
                Some(items) => Base::Scalar(items.join(" ")),
                None => Base::Unset,
            },
            (ParamName::Var(n), None) => match self.env.var(n) {
                Some(v) => Base::Scalar(v.to_string()),
                None => Base::Unset,
            },
            (ParamName::Var(n), Some(ix)) => {
                let elems = self.elements(n).unwrap_or_default();
                match ix {
                    Index::All | Index::Star => Base::Elems(elems, *ix == Index::All),
                    Index::Expr(e) => {
                        let i = self.arith(&e.replace('$', ""))?;
                        match super::from_end(elems.len(), i).and_then(|k| elems.get(k)) {
                            Some(v) => Base::Scalar(v.clone()),
                            None => Base::Unset,
                        }
                    }
                }
            }
            (ParamName::Special(c @ ('@' | '*')), _) => {
                Base::Elems(self.env.args().to_vec(), *c == '@')
            }
            (ParamName::Special(c), _) => Base::Scalar(self.env.special(*c)),
            (ParamName::Positional(n), _) => match self.env.positional(*n) {
                Some(v) => Base::Scalar(v.to_string()),
                None => Base::Unset,
            },
        })
    }
}

/// The words of a base: a list gives one word per element, except `[*]`
/// (or a plain list name) in quotes, which joins them with a space.
fn finish(b: Base, quoted: bool) -> Value {
    match b {
        Base::Unset => Value::One(String::new()),
        Base::Scalar(s) => Value::One(s),
        Base::Elems(v, all) if all || !quoted => Value::Many(v),
        Base::Elems(v, _) => Value::One(v.join(" ")),
    }
}

fn param_name(n: &ParamName) -> String {
    match n {
        ParamName::Var(s) => s.clone(),
        ParamName::Special(c) => c.to_string(),
        ParamName::Positional(k) => k.to_string(),
    }
}

/// `off`/`len` (negative: from the end) as a range of `n` items.
fn range(n: usize, off: i64, len: Option<i64>) -> Result<std::ops::Range<usize>, String> {
    let n = n as i64;
    let start = if off < 0 {
        (n + off).max(0)
    } else {
        off.min(n)
    };
    let end = match len {
        None => n,
        Some(l) if l < 0 => {
            let e = n + l;
            if e < start {
                return Err(format!("{l}: substring expression < 0"));
            }
            e
        }
        Some(l) => (start + l).min(n),
    };
    Ok(start as usize..end.max(start) as usize)
}

fn case(s: &str, upper: bool, all: bool) -> String {
    let conv = |c: char| -> String {
        if upper {
            c.to_uppercase().collect()
        } else {
            c.to_lowercase().collect()
        }
    };
    if all {
        return s.chars().map(conv).collect();
    }
    let mut it = s.chars();
    match it.next() {
        Some(c) => conv(c) + it.as_str(),
        None => String::new(),
    }
}

/// A glob pattern matched against whole strings.
struct Matcher {
    pat: super::pattern::Pattern,
    text: String,
}

impl Matcher {
    fn new(p: &str) -> Matcher {
        Matcher {
            pat: super::pattern::Pattern::new(p),
            text: p.to_string(),
        }
    }

    fn matches(&self, s: &str) -> bool {
        self.pat.matches(s)
    }

    /// Char boundaries of `s`, 0 and len included.
    fn cuts(s: &str) -> Vec<usize> {
        let mut v: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
        v.push(s.len());
        v
    }

    fn trim(&self, s: &str, suffix: bool, longest: bool) -> String {
        let mut cuts = Self::cuts(s);
        // Shortest first: prefixes by growing end, suffixes by falling start.
        if suffix {
            cuts.reverse();
        }
        if longest {
            cuts.reverse();
        }
        for c in cuts {
            let (part, rest) = if suffix {
                (&s[c..], &s[..c])
            } else {
                (&s[..c], &s[c..])
            };
            if self.matches(part) {
                return rest.to_string();
            }
        }
        s.to_string()
    }

    fn replace(&self, s: &str, rep: &str, all: bool, anchor: Option<char>) -> String {
        if self.text.is_empty() {
            return match anchor {
                Some('#') => format!("{rep}{s}"),
                Some(_) => format!("{s}{rep}"),
                None => s.to_string(),
            };
        }
        let cuts = Self::cuts(s);
        let mut out = String::new();
        let mut i = 0; // index into cuts
        let mut copied = 0; // bytes of s already in out
        while i < cuts.len() {
            let start = cuts[i];
            if anchor == Some('#') && start > 0 {
                break;
            }
            // The longest match starting here.
            let end = cuts[i..].iter().rev().copied().find(|&e| {
                (anchor != Some('%') || e == s.len()) && e > start && self.matches(&s[start..e])
            });
            match end {
                Some(e) => {
                    out.push_str(&s[copied..start]);
                    out.push_str(rep);
                    copied = e;
                    if !all {
                        break;
                    }
                    i = cuts.iter().position(|&c| c == e).unwrap_or(cuts.len());
                }
                None => i += 1,
            }
        }
        out.push_str(&s[copied..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_replaces_like_bash() {
        let m = Matcher::new("*/");
        assert_eq!(m.trim("a/b/c", false, false), "b/c");
        assert_eq!(m.trim("a/b/c", false, true), "c");
        let m = Matcher::new(".*");
        assert_eq!(m.trim("x.tar.gz", true, false), "x.tar");
        assert_eq!(m.trim("x.tar.gz", true, true), "x");
        let m = Matcher::new("o");
        assert_eq!(m.replace("foo", "0", false, None), "f0o");
        assert_eq!(m.replace("foo", "0", true, None), "f00");
        assert_eq!(
            Matcher::new("f").replace("foo", "F", false, Some('#')),
            "Foo"
        );
        assert_eq!(
            Matcher::new("o").replace("foo", "O", false, Some('%')),
            "foO"
        );
        assert_eq!(
            Matcher::new("").replace("foo", "<", false, Some('#')),
            "<foo"
        );
        assert_eq!(Matcher::new("b*").replace("abcabc", "X", false, None), "aX");
    }

    #[test]
    fn ranges_and_case() {
        assert_eq!(range(5, 1, Some(2)), Ok(1..3));
        assert_eq!(range(5, -2, None), Ok(3..5));
        assert_eq!(range(5, 1, Some(-1)), Ok(1..4));
        assert_eq!(range(5, 9, None), Ok(5..5));
        assert!(range(5, 4, Some(-3)).is_err());
        assert_eq!(case("héllo", true, false), "Héllo");
        assert_eq!(case("HÉllo", false, true), "héllo");
    }
}
