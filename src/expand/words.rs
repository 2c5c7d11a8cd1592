//! Word expansion: parameters, `$(…)`, `$((…))`, `~`, then globbing.
//! A variable's value is never split into several words; unquoted `$(…)`
//! is split at whitespace; `$@` gives one word per argument.  Only glob
//! characters written literally and unquoted are patterns.  The shell's
//! state is reached only through `Env`; nothing here runs a command
//! itself (`$(…)` is `Env::command_subst`).  Also the variables as
//! `$((…))` reads and assigns them (`Scope`).

use super::glob::glob_into;
use super::{arith, decimal, Env, ExpandError};
use crate::lang::ast::{Word, WordPart};
use crate::os::users;

use super::Ex;

/// A field being built: its text and, once an unquoted glob character
/// appears, the same text as a glob pattern with quoted parts escaped.
#[derive(Default)]
struct Field {
    text: String,
    pattern: Option<String>,
    started: bool,
}

impl Field {
    fn push(&mut self, s: &str, globbable: bool) {
        if globbable && s.contains(['*', '?', '[']) && self.pattern.is_none() {
            self.pattern = Some(match self.text.is_empty() {
                true => String::with_capacity(s.len()),
                false => super::pattern::escape(&self.text),
            });
        }
        if let Some(p) = &mut self.pattern {
            if globbable {
                p.push_str(s);
            } else {
                p.push_str(&super::pattern::escape(s));
            }
        }
        self.text.push_str(s);
        self.started = true;
    }

    /// A number, written straight into the field.
    fn push_num(&mut self, n: i64) {
        let start = self.text.len();
        decimal::push_decimal(&mut self.text, n);
        if let Some(p) = &mut self.pattern {
            p.push_str(&self.text[start..]);
        }
        self.started = true;
    }
}

struct Fields {
    /// The finished fields: the first apart, so the usual word of one
    /// field allocates no list.
    first: Option<Field>,
    rest: Vec<Field>,
    cur: Field,
}

impl Fields {
    /// Unquoted `$(…)`: split at blanks and newlines, the first and last
    /// pieces joining the text around them.
    fn push_split(&mut self, text: &str) {
        if text.starts_with([' ', '\t', '\n']) {
            self.end_field();
        }
        let mut first = true;
        for piece in text.split([' ', '\t', '\n']).filter(|s| !s.is_empty()) {
            if !first {
                self.end_field();
            }
            first = false;
            self.cur.push(piece, false);
        }
        if text.ends_with([' ', '\t', '\n']) && !first {
            self.end_field();
        }
    }

    fn new() -> Fields {
        Fields {
            first: None,
            rest: Vec::new(),
            cur: Field::default(),
        }
    }
    fn end_field(&mut self) {
        let f = std::mem::take(&mut self.cur);
        if f.started {
            if self.first.is_none() {
                self.first = Some(f);
            } else {
                self.rest.push(f);
            }
        }
    }
    /// The finished fields, in order.
    fn done(self) -> impl Iterator<Item = Field> {
        self.first.into_iter().chain(self.rest)
    }
}

/// The text of a word that expands to itself alone: one literal, quoted
/// or with nothing a brace or glob expansion would act on (`{`, `*`, `?`,
/// a `[` with a `]` after it: a lone `[`, as in `[ -f x ]`, is plain).
/// The common word, read in one pass over its bytes.
fn plain_literal(w: &Word) -> Option<&String> {
    let [WordPart::Lit { text, quoted }] = w.0.as_slice() else {
        return None;
    };
    if *quoted {
        return Some(text);
    }
    let mut open = false;
    for c in text.bytes() {
        match c {
            b'{' | b'*' | b'?' => return None,
            b'[' => open = true,
            b']' if open => return None,
            _ => {}
        }
    }
    Some(text)
}

/// Expands words against one shell environment.
pub struct Expander<'a> {
    pub(super) env: &'a mut dyn Env,
}

impl<'a> Expander<'a> {
    pub fn new(env: &'a mut dyn Env) -> Expander<'a> {
        Expander { env }
    }

    /// Expand command words into fields (split and globbed).
    pub fn words(&mut self, words: &[Word]) -> Ex<Vec<String>> {
        let mut out = Vec::with_capacity(words.len());
        for w in words {
            if let Some(text) = plain_literal(w) {
                out.push(text.clone());
            } else if super::brace::has_braces(w) {
                let words = super::brace::expand(w).ok_or_else(|| {
                    ExpandError::TooMany(display_word(w), super::brace::MAX_WORDS)
                })?;
                for b in words {
                    self.expand_into(&b, &mut out)?;
                }
            } else {
                self.expand_fields(w, &mut out)?;
            }
        }
        Ok(out)
    }

    fn expand_into(&mut self, w: &Word, out: &mut Vec<String>) -> Ex<()> {
        match plain_literal(w) {
            Some(text) => {
                out.push(text.clone());
                Ok(())
            }
            None => self.expand_fields(w, out),
        }
    }

    /// A word that is not a plain literal: its parts expanded, split into
    /// fields and globbed.
    fn expand_fields(&mut self, w: &Word, out: &mut Vec<String>) -> Ex<()> {
        let mut fields = Fields::new();
        for part in &w.0 {
            self.expand_part(part, false, &mut fields)?;
        }
        fields.end_field();
        for f in fields.done() {
            match f.pattern {
                // The locale is looked up only for a real pattern.
                Some(p) if super::pattern::has_magic(&p) => {
                    glob_into(&p, f.text, self.c_locale(), out)
                }
                _ => out.push(f.text),
            }
        }
        Ok(())
    }

    /// Expand to exactly one string: no splitting, no globbing (assignment
    /// values, `for` over nothing, `case`-like uses).
    pub fn string(&mut self, w: &Word) -> Ex<String> {
        if let [WordPart::Lit { text, .. }] = w.0.as_slice() {
            return Ok(text.clone());
        }
        let mut fields = Fields::new();
        for part in &w.0 {
            self.expand_part(part, true, &mut fields)?;
        }
        fields.end_field();
        if fields.rest.is_empty() {
            // One field (or none): its text is the string, no copy.
            return Ok(fields.first.map(|f| f.text).unwrap_or_default());
        }
        let mut s = String::new();
        for (i, f) in fields.done().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&f.text);
        }
        Ok(s)
    }

    /// A `match` pattern as a glob pattern: text written unquoted keeps
    /// its `* ? [`; quoted text and every expansion match literally.
    pub fn pattern(&mut self, w: &Word) -> Ex<String> {
        let mut out = String::new();
        for part in &w.0 {
            match part {
                WordPart::Lit {
                    text,
                    quoted: false,
                } => out.push_str(text),
                other => {
                    let mut f = Fields::new();
                    self.expand_part(other, true, &mut f)?;
                    f.end_field();
                    for field in f.done() {
                        out.push_str(&super::pattern::escape(&field.text));
                    }
                }
            }
        }
        Ok(out)
    }

    /// A redirection target: one field (globbed only if one path matches).
    pub fn target(&mut self, w: &Word) -> Ex<String> {
        let mut v = Vec::new();
        self.expand_into(w, &mut v)?;
        if v.len() == 1 {
            return Ok(v.pop().unwrap_or_default());
        }
        Err(ExpandError::Ambiguous(display_word(w)))
    }

    fn expand_part(&mut self, part: &WordPart, quoted: bool, f: &mut Fields) -> Ex<()> {
        match part {
            WordPart::Lit { text, quoted: q } => f.cur.push(text, !quoted && !q),
            WordPart::DoubleQuoted(parts) => {
                for p in parts {
                    // `""` is a word of its own; `"$@"` with no arguments is none.
                    if !is_all(p) {
                        f.cur.started = true;
                    }
                    self.expand_part(p, true, f)?;
                }
            }
            WordPart::Var(name) if super::is_dynamic(name) => match self.env.dynamic(name) {
                Some(super::Dynamic::List(items)) if !quoted => push_many(f, &items),
                Some(super::Dynamic::List(items)) => f.cur.push(&items.join(" "), false),
                Some(super::Dynamic::Value(v)) => f.cur.push(&v, false),
                None => {}
            },
            WordPart::Var(name) => match self.env.lookup(name) {
                // A list: one word per element, as `$@` (joined in quotes).
                Some((_, Some(items))) if !quoted => push_many(f, items),
                Some((v, _)) => {
                    let was = f.cur.started;
                    f.cur.push(v, false);
                    if v.is_empty() && !quoted {
                        // An empty unquoted expansion adds no word of its own.
                        f.cur.started = was;
                    }
                }
                None if self.env.nounset() => return Err(ExpandError::Unbound(name.clone())),
                None => {}
            },
            WordPart::Positional(n) => {
                let v = self.env.positional(*n).map(str::to_string);
                let v = match v {
                    Some(v) => v,
                    None if self.env.nounset() => return Err(ExpandError::Unbound(n.to_string())),
                    None => String::new(),
                };
                let was = f.cur.started;
                f.cur.push(&v, false);
                if v.is_empty() && !quoted {
                    f.cur.started = was;
                }
            }
            WordPart::Special('@') => {
                let args = self.env.args().to_vec();
                push_many(f, &args);
            }
            WordPart::Param(p) => match self.param(p, quoted)? {
                super::param::Value::Many(items) => push_many(f, &items),
                super::param::Value::One(v) => {
                    let was = f.cur.started;
                    f.cur.push(&v, false);
                    if v.is_empty() && !quoted {
                        f.cur.started = was;
                    }
                }
            },
            WordPart::Special(c) => {
                let v = self.env.special(*c);
                let was = f.cur.started;
                f.cur.push(&v, false);
                if v.is_empty() && !quoted {
                    // `$*` with no arguments (or `$!` unset): no word.
                    f.cur.started = was;
                }
            }
            WordPart::CmdSub(list) => {
                let text = self.env.command_subst(list)?;
                if quoted {
                    f.cur.push(&text, false);
                    f.cur.started = true;
                } else {
                    f.push_split(&text);
                }
            }
            // The usual `$((i+1))` is one literal text: read in place.
            WordPart::Arith(parts) => {
                let v = match parts.as_slice() {
                    [WordPart::Lit { text, .. }] => self.arith(text)?,
                    _ => {
                        let mut expr = Fields::new();
                        for p in parts {
                            self.expand_part(p, true, &mut expr)?;
                        }
                        self.arith(&expr.cur.text)?
                    }
                };
                f.cur.push_num(v);
            }
            WordPart::Tilde(user) => {
                let home = if user.is_empty() {
                    self.env
                        .var("HOME")
                        .map(str::to_string)
                        .or_else(home_of_uid)
                } else {
                    let name = crate::os::text::encode(user);
                    users::home(users::User::Name(&name)).map(|d| crate::os::text::from_os(&d))
                };
                match home {
                    Some(h) => f.cur.push(&h, false),
                    None => f.cur.push(&format!("~{user}"), false),
                }
            }
        }
        Ok(())
    }

    /// Characters are bytes (LC_ALL, else LC_CTYPE, else LANG is C or
    /// POSIX, or none is set), as bash globs.
    fn c_locale(&self) -> bool {
        let v = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|n| self.env.var(n).filter(|v| !v.is_empty()));
        match v {
            None => true,
            Some(v) => {
                v == "C"
                    || v == "POSIX"
                    || (v.starts_with("C.") && !v.to_ascii_uppercase().contains("UTF"))
            }
        }
    }

    /// Evaluate an arithmetic expression; names are variables whose values
    /// are themselves expressions (bounded, so `a=a` cannot loop forever);
    /// `x=5`, `x++` and friends assign.
    pub fn arith(&mut self, expr: &str) -> Ex<i64> {
        let mut scope = Scope { ex: self, depth: 0 };
        arith::eval_in(expr, &mut scope).map_err(ExpandError::Arith)
    }
}

/// The shell's variables as arithmetic sees them.
struct Scope<'e, 'a> {
    ex: &'e mut Expander<'a>,
    depth: usize,
}

impl arith::Scope for Scope<'_, '_> {
    fn get(&mut self, name: &str) -> Result<i64, String> {
        // The usual case, a plain variable holding a number: read in place.
        if !name.ends_with(']') && !super::is_dynamic(name) {
            let env = &*self.ex.env;
            let v = match env.var(name) {
                Some(v) => v,
                None if env.nounset() => return Err(format!("{name}: unbound variable")),
                None => return Ok(0),
            };
            if let Some(n) = decimal::plain_decimal(v) {
                return Ok(n);
            }
            if v.trim().is_empty() {
                return Ok(0);
            }
        }
        let text = if let Some((base, ix)) = name.strip_suffix(']').and_then(|n| n.split_once('['))
        {
            let i = self.nested(ix, name)?;
            let items = self.ex.elements(base).unwrap_or_default();
            match super::from_end(items.len(), i).and_then(|k| items.get(k)) {
                Some(v) => v.clone(),
                None => return Ok(0),
            }
        } else if super::is_dynamic(name) {
            match self.ex.env.dynamic(name) {
                Some(super::Dynamic::Value(v)) => v,
                _ => return Ok(0),
            }
        } else {
            let env = &*self.ex.env;
            match env.var(name) {
                Some(v) => v.to_string(),
                None if env.nounset() => return Err(format!("{name}: unbound variable")),
                None => return Ok(0),
            }
        };
        let t = text.trim();
        if t.is_empty() {
            return Ok(0);
        }
        // `010` is octal here, as in the expression itself (bash, dash).
        if let Some(n) = decimal::plain_decimal(t) {
            return Ok(n);
        }
        self.nested(t, name)
    }

    fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
        if name.contains('[') {
            return Err(format!(
                "{name}: assign a list element outside $((…)): {name}=$((…))"
            ));
        }
        let mut text = String::new();
        decimal::push_decimal(&mut text, value);
        self.ex.env.set_var(name, text);
        Ok(())
    }
}

impl Scope<'_, '_> {
    /// A variable's value that is itself an expression.
    fn nested(&mut self, expr: &str, name: &str) -> Result<i64, String> {
        if self.depth > 16 {
            return Err(format!("{name}: expression recursion too deep"));
        }
        let mut inner = Scope {
            ex: self.ex,
            depth: self.depth + 1,
        };
        arith::eval_in(expr, &mut inner)
    }
}

impl Expander<'_> {
    /// A variable's elements: a list's, a plain value as a list of one, or
    /// what the shell computes for `$RANDOM`, `$pipestatus`…
    pub(super) fn elements(&mut self, name: &str) -> Option<Vec<String>> {
        if super::is_dynamic(name) {
            return match self.env.dynamic(name)? {
                super::Dynamic::List(v) => Some(v),
                super::Dynamic::Value(v) => Some(vec![v]),
            };
        }
        self.env
            .lookup(name)
            .map(|(v, list)| list.map_or_else(|| vec![v.to_string()], <[String]>::to_vec))
    }
}

/// `$@`, `${x[@]}`, `${@…}`: in quotes, no word at all when empty.
fn is_all(p: &WordPart) -> bool {
    use crate::lang::ast::{Index, ParamName};
    match p {
        WordPart::Special('@') => true,
        WordPart::Param(x) => {
            x.index == Some(Index::All) || (x.index.is_none() && x.name == ParamName::Special('@'))
        }
        _ => false,
    }
}

/// One word per item (the first and last join the text around them); no
/// items, no word.
fn push_many(f: &mut Fields, items: &[String]) {
    for (i, a) in items.iter().enumerate() {
        if i > 0 {
            f.end_field();
        }
        f.cur.push(a, false);
        f.cur.started = true;
    }
}

fn home_of_uid() -> Option<String> {
    users::own_home().map(|d| crate::os::text::from_os(&d))
}

/// A word as the user wrote it, roughly (for messages).
pub fn display_word(w: &Word) -> String {
    w.as_literal().unwrap_or_else(|| "$…".to_string())
}
