//! The interactive REPL: the loop that prompts, reads a line (with
//! continuation lines), keeps history and runs it; job notifications
//! before each prompt; the init file.  Its helpers are in their own files:
//! `highlight`, `complete`, `prompt`, `history`.  Never runs a command
//! itself: job control lives in `os/terminal.rs` and `exec/wait.rs`.

mod complete;
mod highlight;
mod history;
mod prompt;

use std::cell::RefCell;
use std::collections::BTreeSet;

use nu_ansi_term::{Color, Style};
use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::hint::HistoryHinter;
use rustyline::history::DefaultHistory;
use rustyline::{Editor, Helper};

use crate::builtins::{self, KEYWORDS};
use crate::exec::shell::{Flow, Shell};
use crate::lang::parser;
use crate::os::{signals, sys, terminal};
pub use history::history_path;

/// What the editor's helper knows of the shell, refreshed before each
/// prompt (the helper cannot borrow the shell while it runs commands).
#[derive(Default)]
pub(crate) struct Snapshot {
    pub(crate) functions: Vec<String>,
    pub(crate) variables: Vec<String>,
    pub(crate) jobs: Vec<(usize, String)>,
    pub(crate) path: String,
    pub(crate) home: String,
}

pub(crate) struct PshHelper {
    pub(crate) snap: Snapshot,
    pub(crate) colors: bool,
    /// Names of the programs on PATH, for the PATH value they came from.
    pub(crate) path_names: RefCell<(String, BTreeSet<String>)>,
    pub(crate) hinter: HistoryHinter,
    /// The line being edited and the cursor, as last seen: given back
    /// when a signal's handler block interrupts the editor.
    pub(crate) editing: RefCell<(String, usize)>,
}

impl Helper for PshHelper {}

impl PshHelper {
    pub(crate) fn path_names(&self) -> std::cell::Ref<'_, (String, BTreeSet<String>)> {
        if self.path_names.borrow().0 != self.snap.path {
            let mut names = BTreeSet::new();
            for dir in self.snap.path.split(':').filter(|d| !d.is_empty()) {
                if let Ok(rd) = std::fs::read_dir(dir) {
                    names.extend(
                        rd.filter_map(|e| e.ok())
                            .map(|e| e.file_name().to_string_lossy().into_owned()),
                    );
                }
            }
            *self.path_names.borrow_mut() = (self.snap.path.clone(), names);
        }
        self.path_names.borrow()
    }

    /// What a command word is: a keyword or builtin, a known command, or
    /// nothing that can run.
    pub(crate) fn classify(&self, word: &str) -> Style {
        if KEYWORDS.contains(&word) || builtins::is_builtin(word) {
            Style::new().bold().fg(Color::Blue)
        } else if self.snap.functions.iter().any(|f| f == word) {
            Style::new().fg(Color::Green)
        } else if word.contains('/') {
            let ok = std::fs::metadata(word).is_ok_and(|m| {
                use std::os::unix::fs::PermissionsExt;
                m.is_file() && m.permissions().mode() & 0o111 != 0
            });
            Style::new().fg(if ok { Color::Green } else { Color::Red })
        } else if self.path_names().1.contains(word) {
            Style::new().fg(Color::Green)
        } else {
            Style::new().fg(Color::Red)
        }
    }
}

fn snapshot(sh: &Shell) -> Snapshot {
    Snapshot {
        functions: sh.funcs.names().map(String::from).collect(),
        variables: sh
            .vars
            .sorted()
            .into_iter()
            .map(|(k, _)| k.clone())
            .collect(),
        jobs: sh
            .jobs
            .jobs
            .iter()
            .map(|j| (j.id, j.text.to_string()))
            .collect(),
        path: sh.var("PATH").unwrap_or("").to_string(),
        home: sh.var("HOME").unwrap_or("").to_string(),
    }
}

/// The largest char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    (0..=i.min(s.len()))
        .rev()
        .find(|&j| s.is_char_boundary(j))
        .unwrap_or(0)
}

/// A line that needs another one: the parser ran out of input, or it ends
/// with a backslash.
fn incomplete(text: &str) -> bool {
    let trailing = text.bytes().rev().take_while(|&b| b == b'\\').count();
    if trailing % 2 == 1 {
        return true;
    }
    matches!(parser::parse(text, "stdin"), Err(e) if e.incomplete)
}

/// Run the interactive shell; its exit status.
pub fn run(sh: &mut Shell, norc: bool) -> i32 {
    if let Some(t) = terminal::init() {
        sh.term = Some(t);
        sh.monitor = true;
    }
    signals::interactive_defaults();
    let colors = prompt::colors_wanted();
    if !norc {
        if let Some(f) = history::init_file().filter(|f| f.is_file()) {
            let name = f.to_string_lossy().into_owned();
            if let Err(Flow::Exit(st)) = sh.builtin(&["source".into(), name]) {
                return st;
            }
        }
    }
    let Some((mut editor, _printer)) = new_editor(colors) else {
        return crate::exec::source::run_stdin(sh, true);
    };
    let history = open_history(&mut editor);
    sh.history_file = history.as_ref().map(|h| h.editor_path.clone());
    if history.as_ref().is_some_and(|h| h.first_start) {
        sys::err(GREETING);
    }
    let mut history_ok = true;
    // A half-typed line to give back after a handler block ran.
    let mut carry: Option<(String, usize)> = None;
    loop {
        if let Err(Flow::Exit(st)) = sh.run_pending_traps() {
            sh.status = st;
            break;
        }
        let text = match read_command(sh, &mut editor, colors, &mut carry) {
            Read::Line(text) => text,
            Read::Again => continue,
            Read::End => break,
        };
        let _ = editor.add_history_entry(text.as_str());
        if let (Some(h), true) = (&history, history_ok) {
            if let Err(e) = editor.append_history(&h.editor_path) {
                sys::err(&format!("psh: history: {e} (no longer saved)\n"));
                history_ok = false;
            }
        }
        if let Some(st) = run_line(sh, &text) {
            sh.status = st;
            break;
        }
    }
    sh.jobs.hang_up(true);
    sh.status
}

type PshEditor = Editor<PshHelper, DefaultHistory>;

/// Said once, on the first interactive start (no history file yet).
const GREETING: &str =
    "Welcome to psh. `help` lists the topics (`help lab` for the concurrency lab); \
`help tour` says how to take the course's tour.\n";

/// The line editor with psh's helper and its external printer, or None
/// when it cannot serve (a terminal it does not support, like
/// TERM=dumb): then psh reads lines itself.
///
/// The printer is kept for its side effect: with one, the editor waits
/// for input with `select` over the terminal and its signal pipe, so a
/// signal that comes just before it blocks is still seen (without one it
/// blocks in `read` and a signal is noticed only at the next key).
fn new_editor(colors: bool) -> Option<(PshEditor, impl Sized)> {
    if matches!(
        std::env::var("TERM").as_deref(),
        Ok("dumb" | "cons25" | "emacs") | Err(_)
    ) {
        return None;
    }
    let config = Config::builder()
        .history_ignore_dups(true)
        .and_then(|b| b.max_history_size(10_000))
        .map(|b| {
            b.auto_add_history(false)
                .completion_type(CompletionType::List)
                // The helper decides: under NO_COLOR it adds no colour, but
                // a hint is still dim and italic (not colour), so it never
                // looks like typed text.
                .color_mode(ColorMode::Forced)
                .build()
        })
        .unwrap_or_default();
    let mut editor: PshEditor = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            sys::err(&format!("psh: cannot start the line editor: {e}\n"));
            return None;
        }
    };
    editor.set_helper(Some(PshHelper {
        snap: Snapshot::default(),
        colors,
        path_names: RefCell::new((String::from("\0"), BTreeSet::new())),
        hinter: HistoryHinter::new(),
        editing: RefCell::new((String::new(), 0)),
    }));
    let open_before = sys::open_fds();
    // Its pipe lands above 0-9, where a user's `exec 3> f` cannot hit it.
    let printer = sys::with_low_fds_taken(|| editor.create_external_printer()).ok()?;
    // The printer's pipe is not close-on-exec: keep it from every child.
    for fd in sys::open_fds() {
        if !open_before.contains(&fd) {
            sys::set_cloexec(fd);
        }
    }
    Some((editor, printer))
}

/// Open the history file and load it into the editor; None (after one
/// warning) when it cannot be used: history is then kept in memory only.
fn open_history(editor: &mut PshEditor) -> Option<history::HistoryFile> {
    let path = history_path()?;
    let file = match history::open_history(&path) {
        Ok(f) => f,
        Err(why) => {
            sys::err(&format!(
                "psh: history: {}: {why} (history is kept in memory only)\n",
                path.display()
            ));
            return None;
        }
    };
    if let Err(e) = editor.load_history(&file.editor_path) {
        sys::err(&format!(
            "psh: history: {}: {e} (starting with an empty history)\n",
            path.display()
        ));
    }
    Some(file)
}

/// What one prompt gave.
enum Read {
    /// A complete command line.
    Line(String),
    /// Nothing to run (Ctrl-C, an empty line, a handler block ran).
    Again,
    /// Ctrl-D (after the stopped-jobs warning) or a read error.
    End,
}

/// Prompt for one command line, with continuation lines until it parses.
fn read_command(
    sh: &mut Shell,
    editor: &mut PshEditor,
    colors: bool,
    carry: &mut Option<(String, usize)>,
) -> Read {
    let note = sh.jobs.take_notifications();
    if !note.is_empty() {
        sys::err(&note);
    }
    if let Some(h) = editor.helper_mut() {
        h.snap = snapshot(sh);
        *h.editing.borrow_mut() = (String::new(), 0);
    }
    let (plain, styled) = prompt::prompt(sh, colors);
    // An interrupt from before this prompt is spent (the line it ended is
    // gone); one that comes after the line is entered interrupts it.
    signals::clear_interrupt();
    signals::begin_editing();
    let read = match carry.take() {
        Some((line, pos)) => {
            let (left, right) = line.split_at(floor_boundary(&line, pos));
            editor.readline_with_initial(&(plain.as_str(), styled.as_str()), (left, right))
        }
        None => editor.readline(&(plain.as_str(), styled.as_str())),
    };
    let kicked = signals::end_editing();
    let mut text = match read {
        Ok(line) => line,
        Err(ReadlineError::Interrupted | ReadlineError::Signal(_)) if kicked => {
            // A handler block's signal or a job's change, not Ctrl-C: run
            // or announce it, then give the line back as it was.  The
            // interrupted prompt is erased first, so the announcement is
            // one line and the half-typed line appears once, redrawn.
            *carry = editor.helper_mut().map(|h| h.editing.borrow().clone());
            let typed = carry.as_ref().map_or(0, |(l, _)| l.chars().count());
            let width = plain.chars().count() + typed;
            let rows = width.saturating_sub(1) / terminal::columns() + 1;
            let _ = sys::write_all(1, format!("\x1b[{rows}A\r\x1b[J").as_bytes());
            return Read::Again;
        }
        Err(ReadlineError::Interrupted | ReadlineError::Signal(_)) => {
            sh.status = 130;
            return Read::Again;
        }
        Err(ReadlineError::Eof) => {
            if !sh.exit_warned && sh.jobs.jobs.iter().any(|j| j.stopped()) {
                sh.exit_warned = true;
                sys::err("There are stopped jobs.\n");
                return Read::Again;
            }
            return Read::End;
        }
        Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
            // A byte that is not UTF-8 typed or pasted: the line editor
            // cannot hold it.  The line is dropped; psh goes on.
            sys::err("psh: the line held bytes that are not UTF-8 and was dropped (name such files with a glob, or printf '\\377')\n");
            sh.status = 1;
            return Read::Again;
        }
        Err(e) => {
            sys::err(&format!("psh: reading input: {e}\n"));
            return Read::End;
        }
    };
    // Continuation lines for an open quote, block or trailing operator.
    while incomplete(&text) {
        match editor.readline("> ") {
            Ok(more) => {
                text.push('\n');
                text.push_str(&more);
            }
            Err(ReadlineError::Eof) => break,
            Err(_) => {
                sh.status = 130;
                return Read::Again;
            }
        }
    }
    if text.trim().is_empty() {
        return Read::Again;
    }
    Read::Line(text)
}

/// Parse and run one typed command line; Some(status) when psh must end.
fn run_line(sh: &mut Shell, text: &str) -> Option<i32> {
    let list = match parser::parse(text, "stdin") {
        Ok(l) => l,
        Err(e) => {
            sys::err(&format!("{e}\n"));
            sh.status = 2;
            return None;
        }
    };
    let warned_before = sh.exit_warned;
    match sh.run_list(&list) {
        Err(Flow::Exit(st)) => return Some(st),
        Err(Flow::Interrupted(sig)) => sh.status = 128 + sig,
        _ => {}
    }
    if warned_before {
        sh.exit_warned = false;
    }
    None
}

#[cfg(test)]
pub(crate) fn test_helper() -> PshHelper {
    PshHelper {
        snap: Snapshot {
            functions: vec!["myfn".into()],
            variables: vec!["HOME".into(), "HOSTNAME".into(), "PATH".into()],
            jobs: vec![(1, "sleep 100".into())],
            path: "/usr/bin:/bin".into(),
            home: "/".into(),
        },
        colors: true,
        path_names: RefCell::new((String::from("\0"), BTreeSet::new())),
        hinter: HistoryHinter::new(),
        editing: RefCell::new((String::new(), 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_is_detected() {
        assert!(incomplete("echo 'open"));
        assert!(incomplete("if true {"));
        assert!(incomplete("ls |"));
        assert!(incomplete("echo a \\"));
        assert!(!incomplete("echo a \\\\"));
        assert!(!incomplete("echo done"));
        assert!(!incomplete("echo ;;"));
    }
}
