//! The abstract syntax tree: what the parser builds and the evaluator walks.
//!
//! Each node kind stands for one operating-system primitive (see
//! `exec/eval.rs`): a `Simple` command is a spawn (or a builtin call), a
//! `Pipeline` is pipe + spawn × N + waitpid, a `Job` with `background` is a
//! spawn without wait, a `Subshell` is a fork.  Data only: nothing here
//! knows about pest, and nothing runs.

use std::rc::Rc;

pub use super::small::Small;
pub use super::src_text::SrcText;

/// A sequence of jobs run one after the other (`;`, newline, `&`).
#[derive(Debug, Clone, Default)]
pub struct List(pub Vec<Job>);

/// One `and_or` list, run in the foreground or (with `&`) as a background job.
#[derive(Debug, Clone)]
pub struct Job {
    pub body: AndOr,
    pub background: bool,
    /// The source text, shown by `jobs` and in `[N]+ Done` lines.
    pub text: SrcText,
    /// The line it starts on (`$LINENO`), 1-based.
    pub line: u32,
}

/// `p1 && p2 || p3`: the status of each pipeline decides whether the next runs.
#[derive(Debug, Clone)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `[explain] [spawn] [!] c1 | c2 | …`: stages joined by kernel pipes.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub explain: bool,
    pub spawn: bool,
    pub negate: bool,
    pub stages: Vec<Command>,
    pub text: SrcText,
}

#[derive(Debug, Clone)]
pub enum Command {
    Simple(Simple),
    /// `{ list }`: runs in the shell itself.
    Group(List, Vec<Redirect>),
    /// `( list )`: runs in a forked child.
    Subshell(List, Vec<Redirect>),
    If(Box<If>, Vec<Redirect>),
    While(Box<While>, Vec<Redirect>),
    For(Box<For>, Vec<Redirect>),
    /// `match WORD { PATTERN | PATTERN { … } … }`
    Match(Box<Match>, Vec<Redirect>),
    /// `fn NAME { body }`
    FnDef(Rc<FnDef>),
    /// `alarm SECONDS < body >`, `trap SIGNAL < body >`
    Handler(Rc<Handler>),
    /// `threads N TASK …`, `procs N TASK …`
    Lab(Lab),
    /// `break`/`continue`/`return`/`exit` and their words (checked when
    /// run, after expansion).
    Control(ControlKind, Vec<Word>, Vec<Redirect>),
}

#[derive(Debug, Clone)]
pub struct If {
    /// `if c { b } else if c { b } …`
    pub branches: Vec<(List, List)>,
    pub otherwise: Option<List>,
}

#[derive(Debug, Clone)]
pub struct While {
    pub cond: List,
    pub body: List,
}

/// `match WORD { … }`: the first arm with a pattern that matches runs.
#[derive(Debug, Clone)]
pub struct Match {
    pub word: Word,
    /// (patterns, body)
    pub arms: Vec<(Vec<Word>, List)>,
}

#[derive(Debug, Clone)]
pub struct For {
    pub var: String,
    pub words: Vec<Word>,
    pub body: List,
}

/// `fn NAME { body }`.  The body is its list, or (read by the fast path)
/// only its text `{ … }` and the line it starts on, read into a list when
/// the function is first called: a script's functions cost about their
/// text until they run (4 000 definitions took 11 MB as trees).  The text
/// was checked with the rest of the program before anything ran.  The
/// name and that text share one allocation.  Reading the body is
/// `parser.rs`'s (`FnDef::body`), as is the `Debug` form (with the list).
pub struct FnDef {
    /// The name, then the body's text (empty when read at once).
    pub(crate) text: Box<str>,
    pub(crate) name_len: u32,
    /// The line the body's text starts on.
    pub(crate) line: u32,
    pub(crate) parsed: std::cell::OnceCell<Box<List>>,
}

impl FnDef {
    /// A function whose body is already read.
    pub fn new(name: &str, body: List) -> FnDef {
        FnDef {
            text: name.into(),
            name_len: name.len() as u32,
            line: 0,
            parsed: std::cell::OnceCell::from(Box::new(body)),
        }
    }

    /// A function whose body is read when first called: `body` is its
    /// text `{ … }`, starting on line `line`.
    pub fn later(name: &str, body: &str, line: u32) -> FnDef {
        FnDef {
            text: [name, body].concat().into(),
            name_len: name.len() as u32,
            line,
            parsed: std::cell::OnceCell::new(),
        }
    }

    pub fn name(&self) -> &str {
        self.text.get(..self.name_len as usize).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerKind {
    Alarm,
    Trap,
}

#[derive(Debug)]
pub struct Handler {
    pub kind: HandlerKind,
    pub arg: Word,
    pub body: List,
    /// The block's source text, for `trap` and `alarm` listings.
    pub text: Rc<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabKind {
    Threads,
    Procs,
}

#[derive(Debug, Clone)]
pub struct Lab {
    pub kind: LabKind,
    pub args: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlKind {
    Break,
    Continue,
    Return,
    Exit,
}

/// `NAME=value… word… redirections…`
#[derive(Debug, Clone, Default)]
pub struct Simple {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// `NAME=value`, `NAME+=value`, `NAME[i]=value`, `NAME=(w…)`, `NAME+=(w…)`.
#[derive(Debug, Clone)]
pub struct Assign {
    pub name: String,
    /// `[i]`: the subscript's text (arithmetic).
    pub index: Option<String>,
    /// `+=`
    pub append: bool,
    pub value: AssignValue,
}

#[derive(Debug, Clone)]
pub enum AssignValue {
    Word(Word),
    /// `(w1 w2 …)`: a list, each word expanded into elements.
    List(Vec<Word>),
}

#[derive(Debug, Clone)]
pub struct Redirect {
    /// The descriptor redirected (0 for `<`, 1 for `>`, 2 for `2>`…).
    pub fd: i32,
    pub op: RedirOp,
}

#[derive(Debug, Clone)]
pub enum RedirOp {
    /// `< file`
    Read(Word),
    /// `> file`
    Write(Word),
    /// `>> file`
    Append(Word),
    /// `&> file`: stdout and stderr
    WriteBoth(Word),
    /// `&>> file`
    AppendBoth(Word),
    /// `N>&M`, `N<&M`: fd becomes a copy of M
    Dup(i32),
    /// `N>&-`, `N<&-`: fd is closed
    Close,
    /// `N<> file`: opened for reading and writing
    ReadWrite(Word),
    /// `<<< word` (`newline`: the text and a newline) and here-documents
    /// (their body, as is): fd reads the expanded text.
    Here { word: Word, newline: bool },
}

/// A word is a run of parts; expansion turns it into zero or more fields.
#[derive(Debug, Clone, Default)]
pub struct Word(pub Parts);

/// A word's parts: most words have one, kept in place.
pub type Parts = Small<WordPart>;

#[derive(Debug, Clone)]
pub enum WordPart {
    /// Literal text; `quoted` text is never globbed.
    Lit { text: String, quoted: bool },
    /// `"…"`: its parts expand without splitting or globbing.
    DoubleQuoted(Vec<WordPart>),
    /// `$name`, `${name}`
    Var(String),
    /// `$?`, `$!`, `$$`, `$#`, `$@`, `$*`
    Special(char),
    /// `$0`…`$9`, `${10}`
    Positional(usize),
    /// `$(list)`
    CmdSub(Rc<List>),
    /// `$((expr))`: the parts give the expression's text.
    Arith(Vec<WordPart>),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
    /// `${…}` with a subscript, a length or an operator.
    Param(Box<ParamExp>),
}

/// `${NAME[i]…}`, `${#NAME}`, `${NAME:-w}`…
#[derive(Debug, Clone)]
pub struct ParamExp {
    pub name: ParamName,
    pub index: Option<Index>,
    pub op: ParamOp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamName {
    Var(String),
    /// `@`, `*`, `#`, `?`, `$`, `!`
    Special(char),
    Positional(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Index {
    /// `[@]`: every element, one word each even in quotes.
    All,
    /// `[*]`: every element; in quotes, joined.
    Star,
    /// `[expr]`: one element (0-based; negative from the end).
    Expr(String),
}

/// What a `${…}` does to the value.
#[derive(Debug, Clone)]
pub enum ParamOp {
    /// `${x}`
    Plain,
    /// `${#x}`: length in characters; `${#x[@]}`: number of elements.
    Length,
    /// `${x-w}` `${x=w}` `${x?w}` `${x+w}`, and with `:` (empty counts as unset).
    Default { kind: char, colon: bool, word: Word },
    /// `${x#p}` `${x##p}` (prefix) and `${x%p}` `${x%%p}` (suffix).
    Trim {
        suffix: bool,
        longest: bool,
        pat: Word,
    },
    /// `${x/p/r}` (`all`: `//`; `anchor`: `#` start, `%` end).
    Replace {
        all: bool,
        anchor: Option<char>,
        pat: Word,
        rep: Word,
    },
    /// `${x:off}`, `${x:off:len}`: arithmetic texts.
    Slice { off: String, len: Option<String> },
    /// `${x^^}` `${x^}` `${x,,}` `${x,}`
    Case { upper: bool, all: bool },
}

impl Word {
    /// The text of a word that is one literal part (`echo`, `'%s\n'`),
    /// borrowed: what `as_literal` gives for it, without building it.
    pub fn as_plain(&self) -> Option<&str> {
        match self.0.as_slice() {
            [WordPart::Lit { text, .. }] => Some(text),
            _ => None,
        }
    }

    /// The literal text of a word made only of literal parts (used for
    /// command names in `explain` and for keywords-as-arguments).
    pub fn as_literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.0 {
            match p {
                WordPart::Lit { text, .. } => s.push_str(text),
                WordPart::DoubleQuoted(inner) => {
                    for q in inner {
                        match q {
                            WordPart::Lit { text, .. } => s.push_str(text),
                            _ => return None,
                        }
                    }
                }
                _ => return None,
            }
        }
        Some(s)
    }
}
