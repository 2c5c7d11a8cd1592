//! Tab completion: variables after `$`, job numbers after `fg`/`bg`/
//! `wait`/`kill`, builtins, keywords, functions and PATH programs for a
//! command word, file names elsewhere.  Reads the shell only through the
//! helper's snapshot.

use std::collections::BTreeSet;

use rustyline::completion::{Completer, Pair};
use rustyline::Context;

use super::highlight::is_assignment;
use super::PshHelper;
use crate::builtins::{self, KEYWORDS};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::test_helper as helper;
    use rustyline::history::DefaultHistory;

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
