//! Expansion: words of the AST → the fields a command receives.
//! `brace` turns one word into several first (`{a,b}`, `{1..3}`);
//! `words` does parameters, `$(…)`, `$((…))`, `~` and field building;
//! `arith` evaluates `$((…))` (`decimal` reads and writes the usual plain
//! numbers); `glob` matches paths.  The shell's state
//! (variables, positional parameters, `$(…)`) is reached only through the
//! `Env` trait, which `exec` implements: nothing here knows how a command
//! runs.

pub mod arith;
pub mod brace;
pub mod decimal;
pub mod glob;
mod param;
pub mod pattern;
pub mod words;

use crate::lang::ast::List;

pub use words::{display_word, Expander};

/// What expansion needs of the shell.
pub trait Env {
    /// A variable's value.
    fn var(&self, name: &str) -> Option<&str>;
    /// `$0` (n = 0) and `$1…`.
    fn positional(&self, n: usize) -> Option<&str>;
    /// `$1…` as a list (`$@`).
    fn args(&self) -> &[String];
    /// `$?`, `$$`, `$!`, `$#`, `$*`.
    fn special(&self, c: char) -> String;
    /// `set -u` is on.
    fn nounset(&self) -> bool;
    /// A variable's value and, for a list, its elements, in one lookup.
    fn lookup(&self, name: &str) -> Option<(&str, Option<&[String]>)>;
    /// `${x:=w}` assigns.
    fn set_var(&mut self, name: &str, value: String);
    /// The variables the shell computes when read: `$RANDOM`, `$SECONDS`,
    /// `$LINENO`, `$PPID`, `$pipestatus`.
    fn dynamic(&mut self, name: &str) -> Option<Dynamic>;
    /// Run `list` with its output captured (`$(…)`); an error when an
    /// interrupt (Ctrl-C) ended it.
    fn command_subst(&mut self, list: &List) -> Ex<String>;
}

/// Index `i` of a list of `len` elements, negative counting from the end;
/// None when it falls before the start.
pub fn from_end(len: usize, i: i64) -> Option<usize> {
    let k = if i < 0 {
        (len as i64).checked_add(i)?
    } else {
        i
    };
    usize::try_from(k).ok()
}

/// A computed variable's value.
pub enum Dynamic {
    Value(String),
    List(Vec<String>),
}

/// Names `Env::dynamic` may answer for (checked first, cheaply).
pub fn is_dynamic(name: &str) -> bool {
    matches!(
        name,
        "RANDOM" | "SECONDS" | "LINENO" | "PPID" | "pipestatus"
    )
}

#[derive(Debug)]
pub enum ExpandError {
    /// `set -u` and an unset variable.
    Unbound(String),
    /// Bad arithmetic.
    Arith(String),
    /// A redirection target that is not exactly one word.
    Ambiguous(String),
    /// `${x:?msg}`, a bad substring, an assignment that cannot be made.
    Param(String),
    /// Brace expansion of a word would make more than this many words.
    TooMany(String, usize),
    /// Ctrl-C or Ctrl-\ (by signal number) while a `$(…)` ran: the command
    /// line stops, with no message.
    Interrupted(i32),
}

impl ExpandError {
    pub fn message(&self) -> String {
        match self {
            ExpandError::Unbound(n) => format!("psh: {n}: unbound variable"),
            ExpandError::Arith(m) => format!("psh: arithmetic: {m}"),
            ExpandError::Param(m) => format!("psh: {m}"),
            ExpandError::Ambiguous(w) => format!("psh: {w}: ambiguous redirect"),
            ExpandError::Interrupted(_) => String::new(),
            ExpandError::TooMany(w, n) => {
                format!("psh: {w}: brace expansion makes more than {n} words")
            }
        }
    }
    /// The status bash gives the same failure.
    pub fn status(&self) -> i32 {
        match self {
            ExpandError::Unbound(_) => 1,
            ExpandError::Interrupted(sig) => 128 + sig,
            _ => 1,
        }
    }
}

pub type Ex<T> = Result<T, ExpandError>;
