//! Tab completion, with a short description beside each candidate (as
//! fish's pager shows them): variables after `$` and `${` (inside double
//! quotes too), jobs after `fg`/`bg`/`wait`/`kill`, signal names after
//! `kill -` and `trap`, topics after `help`, directories only after `cd`,
//! the options of builtins and lab commands, builtins, keywords,
//! functions and PATH programs for a command word, and paths elsewhere
//! (after `~` too; inside quotes the quote is closed).  Reads the shell
//! only through the helper's snapshot; never runs anything.

use std::collections::BTreeMap;

use rustyline::completion::{Completer, Pair};
use rustyline::Context;

use super::highlight::is_assignment;
use super::PshHelper;
use crate::builtins::{self, KEYWORDS};

/// The word under the cursor, as the completer sees it.
#[derive(Debug, PartialEq, Eq)]
struct Word<'a> {
    /// Byte offset where the replacement starts.
    start: usize,
    /// The text from `start` to the cursor.
    text: &'a str,
    /// The quote the word is inside (`"` or `'`), if any.
    quote: Option<char>,
    /// Where the current command's words begin (after `|`, `;`, `{` …).
    cmd_start: usize,
}

/// Find the word under the cursor: words end at unquoted blanks and
/// operators; a quote opens a word that the completion may close.
fn current_word(before: &str) -> Word<'_> {
    let mut start = 0;
    let mut cmd_start = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut prev = ' ';
    for (i, c) in before.char_indices() {
        let after_dollar = std::mem::replace(&mut prev, c) == '$';
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('"'), '\\') | (None, '\\') => escaped = true,
            (Some(_), _) => {}
            (None, '\'' | '"') => {
                quote = Some(c);
                start = i;
            }
            (None, c) if c.is_whitespace() => start = i + 1,
            (None, '{' | '(') if after_dollar => {}
            (None, '|' | '&' | ';' | '(' | ')' | '{' | '}') => {
                start = i + 1;
                cmd_start = i + 1;
            }
            (None, '<' | '>') => start = i + 1,
            _ => {}
        }
    }
    Word {
        start,
        text: &before[start..],
        quote,
        cmd_start,
    }
}

fn pair(replacement: String, desc: &str) -> Pair {
    let display = if desc.is_empty() {
        replacement.clone()
    } else {
        format!("{replacement}  ({desc})")
    };
    Pair {
        display,
        replacement,
    }
}

/// Options of builtins and lab commands, with what they mean.
fn options_of(cmd: &str) -> &'static [(&'static str, &'static str)] {
    match cmd {
        "threads" | "procs" => &[
            ("--chore", "sleep MS per step"),
            ("--nolock", "booth without the mutex"),
            ("--notify-all", "cond wakes every consumer"),
            ("--quiet", "no per-item lines"),
            ("--timeline", "draw who held the lock"),
        ],
        "set" => &[
            ("-e", "stop at the first failure"),
            ("-o", "pipefail"),
            ("-u", "unset variables are errors"),
            ("-x", "trace commands"),
            ("--", "set the positional parameters"),
        ],
        "echo" => &[("-e", "interpret \\n \\t …"), ("-n", "no newline")],
        "read" => &[("-r", "keep backslashes")],
        "jobs" => &[("-l", "with process ids"), ("-p", "only process ids")],
        "kill" => &[("-l", "list signals"), ("-s", "signal by name")],
        "unset" => &[("-f", "functions")],
        _ => &[],
    }
}

impl PshHelper {
    fn variables(&self, w: &Word<'_>) -> Option<(usize, Vec<Pair>)> {
        if w.quote == Some('\'') {
            return None;
        }
        let dollar = w.text.rfind('$')?;
        let after = &w.text[dollar + 1..];
        let (brace, name) = match after.strip_prefix('{') {
            Some(n) => (true, n),
            None => (false, after),
        };
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let c = self
            .snap
            .variables
            .iter()
            .filter(|n| n.starts_with(name))
            .map(|n| {
                let r = if brace {
                    format!("${{{n}}}")
                } else {
                    format!("${n}")
                };
                pair(r, "variable")
            })
            .collect();
        Some((w.start + dollar, c))
    }

    fn commands(&self, prefix: &str) -> Vec<Pair> {
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        let path = self.path_names();
        for n in path.1.iter().filter(|n| n.starts_with(prefix)) {
            names.insert(n.clone(), "program");
        }
        for f in self.snap.functions.iter().filter(|f| f.starts_with(prefix)) {
            names.insert(f.clone(), "function");
        }
        for b in builtins::names().filter(|b| b.starts_with(prefix)) {
            names.insert(b.to_string(), "builtin");
        }
        for k in KEYWORDS.iter().filter(|k| k.starts_with(prefix)) {
            if k.chars().all(|c| c.is_ascii_alphabetic()) {
                names.insert(k.to_string(), "keyword");
            }
        }
        names.into_iter().map(|(n, d)| pair(n, d)).collect()
    }

    fn jobs(&self, prefix: &str) -> Vec<Pair> {
        self.snap
            .jobs
            .iter()
            .map(|(id, text)| pair(format!("%{id}"), &format!("job: {text}")))
            .filter(|p| p.replacement.starts_with(prefix))
            .collect()
    }

    /// Paths for `w`, directories only when `dirs_only`.  `~` and `~/`
    /// stand for HOME; inside quotes a file's quote is closed; outside,
    /// blanks and specials in names are escaped.
    fn paths(&self, w: &Word<'_>, dirs_only: bool) -> Vec<Pair> {
        let body = match w.quote {
            Some(_) => w.text.get(1..).unwrap_or(""),
            None => w.text,
        };
        let typed = if w.quote.is_none() {
            unescape(body)
        } else {
            body.to_string()
        };
        let (dir_typed, prefix) = match typed.rfind('/') {
            Some(i) => (&typed[..=i], &typed[i + 1..]),
            None => ("", typed.as_str()),
        };
        let home = self.snap.home.as_str();
        let dir_real = if dir_typed == "~/" || dir_typed.starts_with("~/") {
            format!("{home}{}", &dir_typed[1..])
        } else if dir_typed.is_empty() {
            ".".to_string()
        } else {
            dir_typed.to_string()
        };
        if dir_typed.is_empty() && prefix == "~" && !home.is_empty() {
            return vec![pair(
                format!("{}~/", w.quote.map(String::from).unwrap_or_default()),
                "home",
            )];
        }
        let Ok(rd) = std::fs::read_dir(&dir_real) else {
            return Vec::new();
        };
        let mut found: Vec<(String, bool)> = rd
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
                Some((name, is_dir))
            })
            .filter(|(n, d)| {
                n.starts_with(prefix)
                    && (!n.starts_with('.') || prefix.starts_with('.'))
                    && (*d || !dirs_only)
            })
            .collect();
        found.sort();
        let open = w.quote.map(String::from).unwrap_or_default();
        found
            .into_iter()
            .map(|(name, is_dir)| {
                let shown = if w.quote.is_some() {
                    format!("{dir_typed}{name}")
                } else {
                    escape(&format!("{dir_typed}{name}"))
                };
                let end = match (is_dir, w.quote) {
                    (true, _) => "/".to_string(),
                    (false, Some(q)) => q.to_string(),
                    (false, None) => String::new(),
                };
                pair(
                    format!("{open}{shown}{end}"),
                    if is_dir { "directory" } else { "" },
                )
            })
            .collect()
    }
}

/// Backslash-escape what the shell would otherwise split or expand.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() || "\\'\"$`|&;<>(){}*?[]#!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

impl Completer for PshHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        let w = current_word(before);
        if let Some(found) = self.variables(&w) {
            return Ok(found);
        }
        // The words of the current command before this one.
        let words: Vec<&str> = before
            .get(w.cmd_start..w.start)
            .unwrap_or("")
            .split_whitespace()
            .filter(|x| !is_assignment(x))
            .collect();
        let cmd = words.first().copied().unwrap_or("");
        let text = w.text;
        let candidates = match (cmd, w.quote) {
            ("", None) if !text.contains('/') && !text.starts_with('~') => self.commands(text),
            ("fg" | "bg" | "wait" | "kill", None) if text.is_empty() || text.starts_with('%') => {
                self.jobs(text)
            }
            ("kill", None) if text.starts_with('-') && !matches!(words.last(), Some(&"-s")) => {
                let mut c = signal_names("-", &text[1..]);
                c.extend(
                    options_of("kill")
                        .iter()
                        .filter(|(o, _)| o.starts_with(text))
                        .map(|(o, d)| pair(o.to_string(), d)),
                );
                c
            }
            ("kill", None) if matches!(words.last(), Some(&"-s")) => signal_names("", text),
            ("trap", None) if words.len() == 1 => signal_names("", text),
            ("help", None) if words.len() == 1 => help_topics(text),
            ("threads" | "procs", None) if words.len() == 2 => ["worker", "booth", "cond"]
                .iter()
                .zip(["who am I?", "sell TICKETS", "ITEMS on a condition"])
                .filter(|(t, _)| t.starts_with(text))
                .map(|(t, d)| pair(t.to_string(), d))
                .collect(),
            (c, None) if text.starts_with('-') && !options_of(c).is_empty() => options_of(c)
                .iter()
                .filter(|(o, _)| o.starts_with(text))
                .map(|(o, d)| pair(o.to_string(), d))
                .collect(),
            ("cd", _) => self.paths(&w, true),
            _ => self.paths(&w, false),
        };
        Ok((w.start, candidates))
    }
}

fn signal_names(dash: &str, prefix: &str) -> Vec<Pair> {
    let prefix = prefix.to_ascii_uppercase();
    let prefix = prefix.strip_prefix("SIG").unwrap_or(&prefix);
    nix::sys::signal::Signal::iterator()
        .map(crate::os::signals::short_name)
        .filter(|n| n.starts_with(prefix))
        .map(|n| pair(format!("{dash}{n}"), "signal"))
        .collect()
}

fn help_topics(prefix: &str) -> Vec<Pair> {
    let mut t: Vec<&str> = crate::teach::help::topics()
        .chain(builtins::names())
        .filter(|t| t.starts_with(prefix))
        .collect();
    t.sort_unstable();
    t.dedup();
    t.into_iter()
        .map(|n| pair(n.to_string(), "topic"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::test_helper as helper;
    use rustyline::history::DefaultHistory;

    fn complete(line: &str) -> (usize, Vec<String>) {
        let h = helper();
        let hist = DefaultHistory::new();
        let ctx = Context::new(&hist);
        let (start, c) = h.complete(line, line.len(), &ctx).unwrap();
        (start, c.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn words_respect_quotes() {
        let w = current_word("echo \"a b");
        assert_eq!((w.start, w.text, w.quote), (5, "\"a b", Some('"')));
        let w = current_word("ls | gr");
        assert_eq!((w.start, w.text, w.cmd_start), (5, "gr", 4));
    }

    #[test]
    fn completes_variables_jobs_and_commands() {
        assert_eq!(
            complete("echo $HO"),
            (5, vec!["$HOME".into(), "$HOSTNAME".into()])
        );
        assert_eq!(complete("echo \"$HO").1, ["$HOME", "$HOSTNAME"]);
        assert_eq!(complete("echo ${HO").1, ["${HOME}", "${HOSTNAME}"]);
        assert_eq!(complete("fg %").1, ["%1"]);
        assert_eq!(complete("myf").1, ["myfn"]);
        assert!(complete("ech").1.contains(&"echo".to_string()));
    }

    #[test]
    fn completes_signals_topics_options_and_tasks() {
        assert_eq!(complete("kill -TE").1, ["-TERM"]);
        assert_eq!(complete("trap US").1, ["USR1", "USR2"]);
        assert!(complete("help sig").1.contains(&"signals".to_string()));
        assert_eq!(
            complete("threads 4 booth 10 --no").1,
            ["--nolock", "--notify-all"]
        );
        assert_eq!(complete("threads 4 bo").1, ["booth"]);
        assert_eq!(complete("set -").1.len(), 5);
    }
}
