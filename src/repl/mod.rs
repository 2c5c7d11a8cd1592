//! The interactive REPL: rustyline with history, completion, highlighting
//! and hints; the prompt; job notifications before each prompt; the init
//! file.  Job control itself lives in `terminal.rs` and `eval.rs`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;

use nu_ansi_term::{Color, Style};
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use crate::builtins::{self, KEYWORDS};
use crate::exec::shell::{Flow, Shell};
use crate::lang::parser;
use crate::os::signals;
use crate::os::sys;
use crate::os::terminal;

/// What the editor's helper knows of the shell, refreshed before each
/// prompt (the helper cannot borrow the shell while it runs commands).
#[derive(Default)]
struct Snapshot {
    functions: Vec<String>,
    variables: Vec<String>,
    jobs: Vec<(usize, String)>,
    path: String,
}

struct PshHelper {
    snap: Snapshot,
    colors: bool,
    /// Names of the programs on PATH, for the PATH value they came from.
    path_names: RefCell<(String, BTreeSet<String>)>,
    files: FilenameCompleter,
    hinter: HistoryHinter,
    /// The line being edited and the cursor, as last seen: given back
    /// when a signal's handler block interrupts the editor.
    editing: RefCell<(String, usize)>,
}

impl Helper for PshHelper {}

impl PshHelper {
    fn path_names(&self) -> std::cell::Ref<'_, (String, BTreeSet<String>)> {
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
    fn classify(&self, word: &str) -> Style {
        if KEYWORDS.contains(&word) || crate::builtins::is_builtin(word) {
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

// ------------------------------------------------------------ highlighting

const OPERATORS: [&str; 17] = [
    "2>&1", "&>>", ">&2", "2>>", "&>", "2>", ">>", "&&", "||", "|", "&", ";", "<", ">", "(", ")",
    "$(",
];

fn ends_word(c: char) -> bool {
    c.is_whitespace() || "|&;<>()".contains(c)
}

/// Colour a typed line: the same text, with ANSI codes around tokens.
fn highlight_line(line: &str, h: &PshHelper) -> String {
    let op = Style::new().fg(Color::Purple);
    let string = Style::new().fg(Color::Yellow);
    let var = Style::new().fg(Color::Cyan);
    let comment = Style::new().fg(Color::DarkGray);
    let mut out = String::with_capacity(line.len() * 2);
    let mut cmd_pos = true;
    let mut target = false;
    let mut i = 0;
    let at_start = |i: usize| i == 0 || line[..i].ends_with(|c: char| ends_word(c));
    while i < line.len() {
        let rest = &line[i..];
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() {
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        if c == '#' && at_start(i) {
            out.push_str(&comment.paint(rest).to_string());
            break;
        }
        if let Some(o) = OPERATORS.iter().find(|o| rest.starts_with(**o)) {
            let is_redirect = o.contains(['<', '>']);
            if !o.starts_with('2') || at_start(i) {
                out.push_str(&op.paint(*o).to_string());
                i += o.len();
                if is_redirect {
                    target = !o.ends_with(['1', '2']);
                } else {
                    cmd_pos = true;
                }
                continue;
            }
        }
        // A word: up to a blank or an operator outside quotes.
        let start = i;
        let mut j = i;
        let mut segments = String::new();
        let mut plain = true;
        while j < line.len() {
            let Some(ch) = line[j..].chars().next() else {
                break;
            };
            if ends_word(ch) {
                break;
            }
            match ch {
                '\'' => {
                    let end = line[j + 1..]
                        .find('\'')
                        .map_or(line.len(), |k| j + 1 + k + 1);
                    segments.push_str(&string.paint(&line[j..end]).to_string());
                    j = end;
                    plain = false;
                }
                '"' => {
                    let mut k = j + 1;
                    let b = line.as_bytes();
                    while k < line.len() && b[k] != b'"' {
                        k += if b[k] == b'\\' { 2 } else { 1 };
                    }
                    let end = (k + 1).min(line.len());
                    let end = (end..=line.len())
                        .find(|e| line.is_char_boundary(*e))
                        .unwrap_or(line.len());
                    segments.push_str(&string.paint(&line[j..end]).to_string());
                    j = end;
                    plain = false;
                }
                '$' => {
                    let tail = &line[j + 1..];
                    let len = if tail.starts_with('{') {
                        tail.find('}').map_or(tail.len(), |k| k + 1)
                    } else if tail.starts_with(['?', '!', '$', '#', '@', '*'])
                        || tail.starts_with(|c: char| c.is_ascii_digit())
                    {
                        1
                    } else {
                        tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                            .unwrap_or(tail.len())
                    };
                    segments.push_str(&var.paint(&line[j..j + 1 + len]).to_string());
                    j += 1 + len;
                    plain = false;
                }
                '\\' => {
                    let n = line[j + 1..].chars().next().map_or(0, char::len_utf8);
                    segments.push_str(&line[j..j + 1 + n]);
                    j += 1 + n;
                }
                _ => {
                    segments.push(ch);
                    j += ch.len_utf8();
                }
            }
        }
        let word = &line[start..j];
        if j == start {
            // Nothing consumed (should not happen): copy one char.
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        if target {
            out.push_str(&segments);
            target = false;
        } else if cmd_pos && (word == "{" || word == "}") {
            out.push_str(&op.paint(word).to_string());
        } else if cmd_pos && plain && is_assignment(word) {
            out.push_str(word);
        } else if cmd_pos && plain {
            out.push_str(&h.classify(word).paint(word).to_string());
            cmd_pos = matches!(word, "if" | "while" | "else" | "spawn" | "explain" | "!");
        } else {
            out.push_str(&segments);
            cmd_pos = word == "{" || word == "}";
        }
        i = j;
    }
    out
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=')
        .is_some_and(|(n, _)| crate::exec::vars::valid_name(n))
}

impl Highlighter for PshHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        *self.editing.borrow_mut() = (line.to_string(), pos);
        if !self.colors {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight_line(line, self))
    }
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if !self.colors {
            return Cow::Borrowed(hint);
        }
        Cow::Owned(Style::new().fg(Color::DarkGray).paint(hint).to_string())
    }
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.colors
    }
}

impl Hinter for PshHelper {
    type Hint = String;
    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        *self.editing.borrow_mut() = (line.to_string(), pos);
        self.hinter.hint(line, pos, ctx)
    }
}

impl Validator for PshHelper {}

// ------------------------------------------------------------ completion

impl Completer for PshHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        let start = before
            .rfind(|c: char| c.is_whitespace() || "|&;<>(){}".contains(c))
            .map_or(0, |i| i + 1);
        let word = &before[start..];
        // The words of the current command before the cursor.
        let cmd_start = before[..start]
            .rfind(['|', '&', ';', '(', '{'])
            .map_or(0, |i| i + 1);
        let words: Vec<&str> = before[cmd_start..start]
            .split_whitespace()
            .filter(|w| !is_assignment(w))
            .collect();
        let pair = |s: String| Pair {
            display: s.clone(),
            replacement: s,
        };
        if let Some(v) = word.strip_prefix('$') {
            let v = v.trim_start_matches('{');
            let c = self
                .snap
                .variables
                .iter()
                .filter(|n| n.starts_with(v))
                .map(|n| pair(format!("${n}")))
                .collect();
            return Ok((start, c));
        }
        if matches!(words.first(), Some(&("fg" | "bg" | "wait" | "kill")))
            && (word.is_empty() || word.starts_with('%'))
        {
            let c = self
                .snap
                .jobs
                .iter()
                .map(|(id, text)| Pair {
                    display: format!("%{id}  {text}"),
                    replacement: format!("%{id}"),
                })
                .filter(|p| p.replacement.starts_with(word))
                .collect();
            return Ok((start, c));
        }
        if words.is_empty() && !word.contains('/') {
            let mut names: BTreeSet<String> = BTreeSet::new();
            names.extend(
                builtins::names()
                    .chain(KEYWORDS.iter().copied())
                    .filter(|b| b.starts_with(word))
                    .map(|s| s.to_string()),
            );
            names.extend(
                self.snap
                    .functions
                    .iter()
                    .filter(|f| f.starts_with(word))
                    .cloned(),
            );
            names.extend(
                self.path_names()
                    .1
                    .iter()
                    .filter(|n| n.starts_with(word))
                    .cloned(),
            );
            if !names.is_empty() {
                return Ok((start, names.into_iter().map(pair).collect()));
            }
        }
        self.files.complete(line, pos, ctx)
    }
}

// ------------------------------------------------------------ the loop

/// `~/psh/data/history`, or None when there is no home directory.
pub fn history_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "psh").map(|d| d.data_dir().join("history"))
}

fn init_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "psh").map(|d| d.config_dir().join("init.psh"))
}

/// Make sure the history file exists and only its owner can read it.
fn prepare_history(path: &PathBuf) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    // Only ever a regular file of the user's: never chmod a device or
    // whatever a link points at.
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => {
            return Err(std::io::Error::other("not a regular file"));
        }
        _ => {}
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

fn colors_wanted() -> bool {
    crate::os::process::colors_on(1)
}

/// The prompt: the directory (home as ~), the last status when non-zero,
/// the number of jobs.  (plain, coloured)
fn prompt(sh: &Shell, colors: bool) -> (String, String) {
    let pwd = sh.var("PWD").unwrap_or("?").to_string();
    let dir = match sh.var("HOME") {
        Some(h) if !h.is_empty() && h != "/" && (pwd == h || pwd.starts_with(&format!("{h}/"))) => {
            format!("~{}", &pwd[h.len()..])
        }
        _ => pwd,
    };
    let status = if sh.status != 0 {
        format!(" [{}]", sh.status)
    } else {
        String::new()
    };
    let n = sh.jobs.jobs.len();
    let jobs = match n {
        0 => String::new(),
        1 => " (1 job)".into(),
        n => format!(" ({n} jobs)"),
    };
    let plain = format!("{dir}{status}{jobs} $ ");
    if !colors {
        return (plain.clone(), plain);
    }
    let styled = format!(
        "{}{}{} $ ",
        Style::new().bold().fg(Color::Blue).paint(&dir),
        Color::Red.paint(&status),
        Color::Yellow.paint(&jobs)
    );
    (plain, styled)
}

fn snapshot(sh: &Shell) -> Snapshot {
    Snapshot {
        functions: sh.funcs.keys().cloned().collect(),
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
    let colors = colors_wanted();
    if !norc {
        if let Some(f) = init_file().filter(|f| f.is_file()) {
            let name = f.to_string_lossy().into_owned();
            if let Err(Flow::Exit(st)) = sh.builtin(&["source".into(), name]) {
                return st;
            }
        }
    }
    let config = Config::builder()
        .history_ignore_dups(true)
        .and_then(|b| b.max_history_size(10_000))
        .map(|b| {
            b.auto_add_history(false)
                .completion_type(CompletionType::List)
                .color_mode(if colors {
                    ColorMode::Enabled
                } else {
                    ColorMode::Disabled
                })
                .build()
        })
        .unwrap_or_default();
    let mut editor: Editor<PshHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            sys::err(&format!("psh: cannot start the line editor: {e}\n"));
            return crate::exec::source::run_stdin(sh, true);
        }
    };
    editor.set_helper(Some(PshHelper {
        snap: Snapshot::default(),
        colors,
        path_names: RefCell::new((String::from("\0"), BTreeSet::new())),
        files: FilenameCompleter::new(),
        hinter: HistoryHinter::new(),
        editing: RefCell::new((String::new(), 0)),
    }));
    let history = history_path();
    if let Some(path) = &history {
        if let Err(e) = prepare_history(path) {
            sys::err(&format!(
                "psh: history: {}: {e} (history is not saved)\n",
                path.display()
            ));
        } else if let Err(e) = editor.load_history(path) {
            sys::err(&format!(
                "psh: history: {}: {e} (starting with an empty history)\n",
                path.display()
            ));
        }
    }
    sh.history_file = history.clone();
    let mut history_ok = true;
    // A half-typed line to give back after a handler block ran.
    let mut carry: Option<(String, usize)> = None;
    loop {
        if let Err(Flow::Exit(st)) = sh.run_pending_traps() {
            sh.status = st;
            break;
        }
        let note = sh.jobs.take_notifications();
        if !note.is_empty() {
            sys::err(&note);
        }
        if let Some(h) = editor.helper_mut() {
            h.snap = snapshot(sh);
        }
        let (plain, styled) = prompt(sh, colors);
        if let Some(h) = editor.helper_mut() {
            *h.editing.borrow_mut() = (String::new(), 0);
        }
        signals::set_in_readline(true);
        let read = match carry.take() {
            Some((line, pos)) => {
                let (left, right) = line.split_at(floor_boundary(&line, pos));
                editor.readline_with_initial(&(plain.as_str(), styled.as_str()), (left, right))
            }
            None => editor.readline(&(plain.as_str(), styled.as_str())),
        };
        signals::set_in_readline(false);
        let mut text = match read {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) if signals::has_pending() => {
                // A handler block's signal, not Ctrl-C: run it, then give
                // the line back as it was.
                carry = editor.helper_mut().map(|h| h.editing.borrow().clone());
                continue;
            }
            Err(ReadlineError::Interrupted) => {
                sh.status = 130;
                continue;
            }
            Err(ReadlineError::Eof) => {
                if !sh.exit_warned && sh.jobs.jobs.iter().any(|j| j.stopped()) {
                    sh.exit_warned = true;
                    sys::err("There are stopped jobs.\n");
                    continue;
                }
                break;
            }
            Err(e) => {
                sys::err(&format!("psh: reading input: {e}\n"));
                break;
            }
        };
        // Continuation lines for an open quote, block or trailing operator.
        let mut interrupted = false;
        while incomplete(&text) {
            match editor.readline("> ") {
                Ok(more) => {
                    text.push('\n');
                    text.push_str(&more);
                }
                Err(ReadlineError::Eof) => break,
                Err(_) => {
                    interrupted = true;
                    break;
                }
            }
        }
        if interrupted {
            sh.status = 130;
            continue;
        }
        if text.trim().is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(text.as_str());
        if let (Some(path), true) = (&history, history_ok) {
            if let Err(e) = editor.append_history(path) {
                sys::err(&format!(
                    "psh: history: {}: {e} (no longer saved)\n",
                    path.display()
                ));
                history_ok = false;
            }
        }
        let list = match parser::parse(&text, "stdin") {
            Ok(l) => l,
            Err(e) => {
                sys::err(&format!("{e}\n"));
                sh.status = 2;
                continue;
            }
        };
        let warned_before = sh.exit_warned;
        match sh.run_list(&list) {
            Err(Flow::Exit(st)) => {
                sh.status = st;
                break;
            }
            Err(Flow::Interrupted) => sh.status = 130,
            _ => {}
        }
        if warned_before {
            sh.exit_warned = false;
        }
    }
    sh.hang_up_stopped_jobs();
    sh.status
}

impl Shell {
    /// SIGHUP to an interactive shell: every job, running or stopped, gets
    /// SIGHUP (and SIGCONT, so a stopped one sees it), as bash does.
    pub fn hang_up_all_jobs(&mut self) {
        use nix::sys::signal::{killpg, Signal};
        for j in self.jobs.jobs.iter().filter(|j| !j.done()) {
            if let Some(pg) = j.pgid {
                let _ = killpg(pg, Signal::SIGHUP);
                let _ = killpg(pg, Signal::SIGCONT);
            }
        }
    }

    /// Leaving the shell: stopped jobs get SIGHUP, then SIGCONT so they
    /// see it (as bash does).
    pub fn hang_up_stopped_jobs(&mut self) {
        use nix::sys::signal::{killpg, Signal};
        for j in self.jobs.jobs.iter().filter(|j| j.stopped()) {
            if let Some(pg) = j.pgid {
                let _ = killpg(pg, Signal::SIGHUP);
                let _ = killpg(pg, Signal::SIGCONT);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper() -> PshHelper {
        PshHelper {
            snap: Snapshot {
                functions: vec!["myfn".into()],
                variables: vec!["HOME".into(), "HOSTNAME".into(), "PATH".into()],
                jobs: vec![(1, "sleep 100".into())],
                path: "/usr/bin:/bin".into(),
            },
            colors: true,
            path_names: RefCell::new((String::from("\0"), BTreeSet::new())),
            files: FilenameCompleter::new(),
            hinter: HistoryHinter::new(),
            editing: RefCell::new((String::new(), 0)),
        }
    }

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut esc = false;
        for c in s.chars() {
            match (esc, c) {
                (false, '\x1b') => esc = true,
                (true, 'm') => esc = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let h = helper();
        for line in [
            "ls -l | wc",
            "echo 'a b' \"c $d\" $x ${y} # note",
            "if true { echo yes } else { nosuchcmd_x }",
            "a=1 myfn 2>&1 > out.txt &",
            "echo ünï \\ x",
            "\"unterminated",
            "$(",
        ] {
            assert_eq!(strip(&highlight_line(line, &h)), line);
        }
    }

    #[test]
    fn commands_are_coloured_by_kind() {
        let h = helper();
        let out = highlight_line("nosuchcmd_psh_x arg", &h);
        assert!(
            out.starts_with(&Color::Red.paint("nosuchcmd_psh_x").to_string()),
            "{out:?}"
        );
        let out = highlight_line("ls", &h);
        assert!(
            out.starts_with(&Color::Green.paint("ls").to_string()),
            "{out:?}"
        );
        let out = highlight_line("echo hi | nosuchcmd_psh_y", &h);
        assert!(
            out.ends_with(&Color::Red.paint("nosuchcmd_psh_y").to_string()),
            "{out:?}"
        );
    }

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

    #[test]
    fn completes_variables_jobs_and_commands() {
        let h = helper();
        let hist = DefaultHistory::new();
        let ctx = Context::new(&hist);
        let (start, c) = h.complete("echo $HO", 8, &ctx).unwrap();
        assert_eq!(start, 5);
        let names: Vec<_> = c.iter().map(|p| p.replacement.as_str()).collect();
        assert_eq!(names, ["$HOME", "$HOSTNAME"]);
        let (_, c) = h.complete("fg %", 4, &ctx).unwrap();
        assert_eq!(c[0].replacement, "%1");
        let (_, c) = h.complete("myf", 3, &ctx).unwrap();
        assert_eq!(c[0].replacement, "myfn");
        let (_, c) = h.complete("ech", 3, &ctx).unwrap();
        assert!(c.iter().any(|p| p.replacement == "echo"));
    }
}
