//! `explain PIPELINE`: print the primitives psh would call for a pipeline
//! — pipe, spawn/fork, dup2, close, waitpid — without running anything and
//! without creating a job.

use crate::exec::shell::Shell;
use crate::lang::ast::{
    Command, HandlerKind, List, Pipeline, RedirOp, Redirect, Simple, Word, WordPart,
};
use crate::os::sys;

/// Print the plan for `p`; the status is 0 (or 1 if stdout failed).
pub fn explain_pipeline(sh: &Shell, p: &Pipeline) -> i32 {
    let mut text = plan(sh, p, 0).join("\n");
    text.push('\n');
    match sys::out(&text) {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

/// How deep blocks and `$(…)` are shown inside one another.
const MAX_DEPTH: usize = 4;

/// The plan of one pipeline, a line per primitive; `depth` counts the
/// blocks and substitutions it stands in.
fn plan(sh: &Shell, p: &Pipeline, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let n = p.stages.len();
    for i in 1..n {
        out.push(format!("pipe() → [r{i}, w{i}]"));
    }
    let mut forks = 0;
    for (i, cmd) in p.stages.iter().enumerate() {
        let mut notes = Vec::new();
        if sh.monitor {
            notes.push(if i == 0 {
                "pgid new".to_string()
            } else {
                "pgid of stage 1".to_string()
            });
        }
        if i > 0 {
            notes.push(format!("stdin ← r{i}"));
        }
        if i + 1 < n {
            notes.push(format!("stdout → w{}", i + 1));
        }
        let (what, redirects) = describe(sh, cmd);
        // What runs before the command: its `$(…)`s, then its inside.
        if let Command::Simple(s) = cmd {
            for list in substitutions(s) {
                out.extend(subst_plan(sh, list, depth));
            }
        }
        for r in redirects {
            notes.push(show_redirect(r));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        let here =
            i + 1 < n && !p.spawn && matches!(cmd, Command::Simple(s) if sh.stays_in_shell(s));
        match what {
            Kind::Inside(text) if n == 1 && !p.spawn => out.push(format!("{text}{notes}")),
            Kind::Inside(text) if here => out.push(format!(
                "{text} in the shell itself, no fork: its output caught (memfd), then written into w{}{notes}",
                i + 1
            )),
            Kind::Inside(text) => {
                forks += 1;
                out.push(format!("fork → child runs {text}{notes}"));
            }
            Kind::Spawn(text) => {
                forks += 1;
                // A background job's program: psh does not wait for its
                // exec, unless it is too big to fork.
                let forked = p.spawn && crate::exec::spawn::forks_detached();
                let how = if forked { "fork+execve" } else { "vfork+execve" };
                out.push(format!("{how} {text}{notes}"));
            }
            Kind::Fork(text) => {
                forks += 1;
                out.push(format!("fork → child runs {text}{notes}"));
            }
        }
    }
    if n > 1 {
        let ends: Vec<String> = (1..n).map(|i| format!("r{i}, w{i}")).collect();
        out.push(format!("close {}", ends.join(", ")));
    }
    if p.spawn {
        out.push("no wait: job added to the job table, `[N] PID` printed".into());
    } else if forks > 0 {
        out.push(format!("waitpid ×{forks}"));
    }
    if p.negate {
        out.push("status negated (!)".into());
    }
    // A block's commands, each with its own plan.
    if let [cmd] = p.stages.as_slice() {
        if let Some(lists) = inner_lists(cmd) {
            for (label, l) in lists {
                if label.is_empty() {
                    out.extend(list_plan(sh, l, depth + 1, 1));
                } else {
                    out.push(format!("  {label}"));
                    out.extend(list_plan(sh, l, depth + 1, 2));
                }
            }
        }
    }
    out
}

/// The plans of a list's pipelines, indented `indent` levels.
fn list_plan(sh: &Shell, list: &List, depth: usize, indent: usize) -> Vec<String> {
    let pad = "  ".repeat(indent);
    if depth > MAX_DEPTH {
        return vec![format!("{pad}…")];
    }
    let mut out = Vec::new();
    for job in &list.0 {
        let pipes = std::iter::once(&job.body.first).chain(job.body.rest.iter().map(|(_, p)| p));
        for (k, p) in pipes.enumerate() {
            if k > 0 {
                out.push(format!("{pad}then, by the status (&& / ||):"));
            }
            out.extend(plan(sh, p, depth).into_iter().map(|l| format!("{pad}{l}")));
        }
        if job.background {
            out.push(format!("{pad}(&: in the background, no wait)"));
        }
    }
    out
}

/// The lists a compound command runs in the shell, each with a label.
fn inner_lists(cmd: &Command) -> Option<Vec<(&'static str, &List)>> {
    Some(match cmd {
        Command::Group(l, _) => vec![("", l)],
        Command::If(i, _) => {
            let mut v: Vec<(&str, &List)> = i
                .branches
                .iter()
                .flat_map(|(c, b)| [("condition:", c), ("when it succeeds:", b)])
                .collect();
            v.extend(i.otherwise.iter().map(|o| ("else:", o)));
            v
        }
        Command::While(w, _) => vec![("condition, each time round:", &w.cond), ("body:", &w.body)],
        Command::For(f, _) => vec![("body, once per word:", &f.body)],
        Command::Match(m, _) => m.arms.iter().map(|(_, b)| ("an arm:", b)).collect(),
        _ => return None,
    })
}

/// The `$(…)`s of a simple command's words, in order.
fn substitutions(s: &Simple) -> Vec<&List> {
    fn walk<'a>(parts: &'a [WordPart], out: &mut Vec<&'a List>) {
        for p in parts {
            match p {
                WordPart::CmdSub(l) => out.push(l),
                WordPart::DoubleQuoted(inner) | WordPart::Arith(inner) => walk(inner, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for a in &s.assigns {
        match &a.value {
            crate::lang::ast::AssignValue::Word(w) => walk(&w.0, &mut out),
            crate::lang::ast::AssignValue::List(ws) => ws.iter().for_each(|w| walk(&w.0, &mut out)),
        }
    }
    for w in &s.words {
        walk(&w.0, &mut out);
    }
    out
}

/// What `$(list)` costs, before the command that uses it runs.
fn subst_plan(sh: &Shell, list: &List, depth: usize) -> Vec<String> {
    let builtin_only = match list.0.as_slice() {
        [job] if job.body.rest.is_empty() && !job.background => {
            matches!(job.body.first.stages.as_slice(),
                [Command::Simple(s)] if sh.writes_here(s).is_some())
        }
        _ => false,
    };
    if builtin_only {
        return vec![
            "$(…) first, in the shell itself (a builtin that only writes): its stdout → an anonymous file (memfd), no fork; read back, trailing newlines dropped".into(),
        ];
    }
    let single = matches!(list.0.as_slice(), [job] if job.body.rest.is_empty()
        && !job.background && job.body.first.stages.len() == 1);
    let mut out = vec![if single {
        "$(…) first: pipe() → [r, w]; its command starts with stdout → w:".to_string()
    } else {
        "$(…) first: pipe() → [r, w]; fork → a child (a subshell) runs the list, stdout → w:"
            .to_string()
    }];
    out.extend(list_plan(sh, list, depth + 1, 1));
    out.push("  read r until end of file; trailing newlines dropped".into());
    out
}

enum Kind {
    /// Runs inside the shell (a builtin, an assignment, a block).
    Inside(String),
    /// An external program.
    Spawn(String),
    /// A forked copy of the shell (a subshell), wherever it stands.
    Fork(String),
}

fn describe<'a>(sh: &Shell, cmd: &'a Command) -> (Kind, &'a [Redirect]) {
    match cmd {
        Command::Simple(s) => (simple(sh, s), &s.redirects),
        Command::Group(_, r) => (
            Kind::Inside("{ … } runs in the shell itself (no fork), command by command:".into()),
            r,
        ),
        Command::Subshell(_, r) => (Kind::Fork("the list of ( … )".into()), r),
        Command::If(_, r) => (
            Kind::Inside("if … (the shell runs the condition, then one branch)".into()),
            r,
        ),
        Command::While(_, r) => (Kind::Inside("while … (the shell loops)".into()), r),
        Command::For(_, r) => (Kind::Inside("for … (the shell loops)".into()), r),
        Command::Match(_, r) => (
            Kind::Inside("match … (the shell compares the word with each pattern)".into()),
            r,
        ),
        Command::FnDef(f) => (Kind::Inside(format!("define function {}", f.name())), &[]),
        Command::Handler(h) => {
            let what = match h.kind {
                HandlerKind::Alarm => format!("setitimer(ITIMER_REAL, {}s)", show_word(&h.arg)),
                HandlerKind::Trap => {
                    format!("sigaction(SIG{}, record-only handler)", show_word(&h.arg))
                }
            };
            let n = h.body.0.len();
            let text = format!(
                "{what}; keep the handler block ({n} command(s)) to run when the signal arrives"
            );
            (Kind::Inside(text), &[])
        }
        Command::Lab(l) => (Kind::Inside(lab(l)), &l.redirects),
        Command::Control(_, _, r) => (Kind::Inside("leave the loop/function/shell".into()), r),
    }
}

/// What a lab command does, primitive by primitive.
fn lab(l: &crate::lang::ast::Lab) -> String {
    let words: Vec<String> = l.args.iter().map(show_word).collect();
    let has = |f: &str| words.iter().any(|w| w == f);
    let n = words.first().cloned().unwrap_or_else(|| "N".into());
    let task = words.get(1).map_or("", String::as_str);
    let count = words.get(2).cloned().unwrap_or_default();
    let threads = l.kind == crate::lang::ast::LabKind::Threads;
    let stepped = has("--seed") || has("--schedule") || has("--step");
    let steps: Vec<String> = match (threads, task) {
        (false, _) if stepped => vec![
            "pipe() → tickets; pipe() → reports".into(),
            format!("fork ×{n}, each with its own go pipe (each child: read go, take one step, write its report, again)"),
            "each step: write 1 byte to the picked child's go pipe; read its report".into(),
            format!("close the go pipes; waitpid ×{n}; print the table"),
        ],
        _ if stepped => vec![
            format!("pthread_create ×{n} (every thread of the task)"),
            "each waits for its turn (one mutex + condition variable pass the turn on), takes one named step of the task's model (the model's state is the lock), picks the next thread by the PRNG or the schedule, wakes all (futex wake)".into(),
            format!("pthread_join ×{n}; print the table"),
        ],
        (true, "worker") => vec![
            format!("pthread_create ×{n} (clone: same memory, same pid)"),
            "each: mutex lock, print `thread I PID TID`, unlock".into(),
            format!("pthread_join ×{n}"),
        ],
        (false, "worker") => vec![
            format!("fork ×{n} (each child: own pid, prints `process I PID TID` in one write, _exit)"),
            format!("waitpid ×{n}"),
        ],
        (true, "booth") if has("--nolock") => vec![
            format!("counter = {count} (shared, no lock)"),
            format!("pthread_create ×{n}"),
            "each: read counter; [chore]; write counter-1 — another thread may sell the same ticket".into(),
            format!("pthread_join ×{n}; count sales per ticket number"),
        ],
        (true, "booth") => vec![
            format!("counter = {count}; one mutex (std's Mutex: a futex, no pthread_mutex)"),
            format!("pthread_create ×{n}"),
            "each: mutex lock; counter-1; print `TID :now left: N`; [chore]; unlock; [chore] — until 0".into(),
            format!("pthread_join ×{n}"),
        ],
        (false, "booth") => vec![
            "pipe() → [tickets r, w]; pipe() → [results r, w]".into(),
            format!("fork ×{n} (each child reads 8-byte tickets from r until end of file)"),
            format!("write tickets {count}..1 into w; close w"),
            format!("read the results; waitpid ×{n}"),
        ],
        (true, "cond") => vec![
            "one mutex + one condition variable around a queue (std's Condvar: futex wait and wake)".into(),
            format!("pthread_create: 1 producer + {n} consumers"),
            format!(
                "producer: push item, {} ×{count}",
                if has("--notify-all") { "notify_all (futex wake: every waiter)" } else { "notify_one (futex wake: one waiter)" }
            ),
            "consumer: lock; while empty: Condvar::wait — unlock and futex wait, relock on wake-up (counted); take item".into(),
            format!("pthread_join ×{}", "all"),
        ],
        (true, "bbuf") => vec![
            "one mutex around a ring of K slots; two condition variables, not_full and not_empty (one with --one-cv)".into(),
            format!("pthread_create: {n} consumers + the producers"),
            format!(
                "producer: lock; {} full: wait(not_full); put; notify(not_empty); unlock",
                if has("--if") { "if" } else { "while" }
            ),
            format!(
                "consumer: lock; {} empty: wait(not_empty); take; notify(not_full); unlock",
                if has("--if") { "if" } else { "while" }
            ),
            "watchdog thread: when every thread has slept 500 ms with no progress, wake them all (futex wake)".into(),
            "pthread_join ×all".into(),
        ],
        (true, "philo") => vec![
            format!("{n} forks: each a mutex + condition with its owner in a table"),
            format!("pthread_create ×{n} philosophers + 1 watchdog"),
            "each: think; take its first fork, then the other (futex wait while taken); eat; put both down".into(),
            "watchdog: every 20 ms, follow who waits for whose fork; a cycle all 500 ms old is a deadlock: print it, release everyone".into(),
            format!("pthread_join ×{n}"),
        ],
        (true, "sema") => vec![
            format!("a counting semaphore of {count}: a mutex, a counter, a condition variable"),
            format!("pthread_create ×{n}"),
            "each item: acquire (futex wait while 0); count who is inside; release (futex wake one)".into(),
            format!("pthread_join ×{n}"),
        ],
        (true, "barrier") => vec![
            "a barrier: a mutex, an arrival count, a generation number, a condition variable".into(),
            format!("pthread_create ×{n}"),
            "each round: work; arrive; the last wakes all (futex wake), the others wait for the next generation".into(),
            format!("pthread_join ×{n}"),
        ],
        (true, "rwlock") => vec![
            "std's RwLock (a futex; writers preferred) over a pair of numbers".into(),
            format!("pthread_create ×{n} readers + the writers"),
            "reader: read lock; check the pair is equal; unlock   writer: write lock; change both; unlock".into(),
            "pthread_join ×all".into(),
        ],
        (false, "zombie") => vec![
            format!("fork ×{n} (each child: _exit(0) at once)"),
            format!("waitid(P_PID, WEXITED|WNOWAIT) ×{n}: ended, left unreaped (zombies)"),
            "read /proc/PID/stat for each (what ps shows: Z <defunct>); sleep 2 s".into(),
            format!("waitpid ×{n}: reaped; /proc/PID is gone"),
        ],
        _ => vec!["(not a valid lab command: see `help lab`)".into()],
    };
    let mut text = format!(
        "{} {}:",
        if threads { "threads" } else { "procs" },
        words.join(" ")
    );
    for s in steps {
        text.push_str("\n  ");
        text.push_str(&s);
    }
    text.push_str("\n  summary line to stderr");
    text
}

fn simple(sh: &Shell, s: &Simple) -> Kind {
    let words: Vec<String> = s.words.iter().map(show_word).collect();
    let text = words.join(" ");
    let Some(name) = s.words.first().and_then(Word::as_literal) else {
        if s.words.is_empty() {
            return Kind::Inside("set shell variables".into());
        }
        return Kind::Spawn(text);
    };
    if sh.funcs.contains_key(&name) {
        Kind::Inside(format!("call function {text}"))
    } else if sh.is_builtin(&name) {
        Kind::Inside(format!("builtin {text}"))
    } else {
        Kind::Spawn(text)
    }
}

fn show_redirect(r: &Redirect) -> String {
    let fd = r.fd;
    match &r.op {
        RedirOp::Read(w) => format!("open {} O_RDONLY, dup2 → {fd}", show_word(w)),
        RedirOp::Write(w) => format!(
            "open {} O_WRONLY|O_CREAT|O_TRUNC, dup2 → {fd}",
            show_word(w)
        ),
        RedirOp::Append(w) => format!(
            "open {} O_WRONLY|O_CREAT|O_APPEND, dup2 → {fd}",
            show_word(w)
        ),
        RedirOp::WriteBoth(w) => format!(
            "open {} O_WRONLY|O_CREAT|O_TRUNC, dup2 → 1 and 2",
            show_word(w)
        ),
        RedirOp::AppendBoth(w) => format!(
            "open {} O_WRONLY|O_CREAT|O_APPEND, dup2 → 1 and 2",
            show_word(w)
        ),
        RedirOp::Dup(from) => format!("dup2({from}, {fd})"),
        RedirOp::Close => format!("close({fd})"),
        RedirOp::ReadWrite(w) => format!("open {} O_RDWR|O_CREAT, dup2 → {fd}", show_word(w)),
        RedirOp::Here { word, .. } => format!(
            "memfd_create, write {} into it, dup2 → {fd}",
            show_word(word)
        ),
    }
}

/// A word roughly as it was written.
pub fn show_word(w: &Word) -> String {
    let mut s = String::new();
    for p in &w.0 {
        show_part(p, &mut s);
    }
    s
}

fn show_part(p: &WordPart, s: &mut String) {
    match p {
        WordPart::Lit { text, quoted } => {
            if *quoted && text.contains([' ', '\t']) {
                s.push('\'');
                s.push_str(text);
                s.push('\'');
            } else {
                s.push_str(text);
            }
        }
        WordPart::DoubleQuoted(parts) => {
            s.push('"');
            for q in parts {
                show_part(q, s);
            }
            s.push('"');
        }
        WordPart::Var(n) => {
            s.push('$');
            s.push_str(n);
        }
        WordPart::Param(_) => s.push_str("${…}"),
        WordPart::Special(c) => {
            s.push('$');
            s.push(*c);
        }
        WordPart::Positional(n) => s.push_str(&format!("${{{n}}}")),
        WordPart::CmdSub(_) => s.push_str("$(…)"),
        WordPart::Arith(_) => s.push_str("$((…))"),
        WordPart::Tilde(u) => {
            s.push('~');
            s.push_str(u);
        }
    }
}
