//! `help [TOPIC]`: a few lines on each builtin and each idea psh shows,
//! and the `help` builtin that prints them.  The topics are data; this
//! file never runs a command.

use crate::os::sys;

/// (topic, text) — the text's first line is the usage.
const TOPICS: &[(&str, &str)] = &[
    ("cd", "cd [DIR|-]\n  Change the shell's directory (HOME by default, `-` for the previous one).\n  A builtin: a child process could not change its parent's directory."),
    ("pwd", "pwd\n  Print the current directory."),
    ("echo", "echo [-n] [-e] WORD…\n  Print the words. -n: no newline; -e: interpret \\n, \\t, \\x41, \\0101, \\c."),
    ("exit", "exit [N]\n  Leave psh with status N (default: the last status). With stopped jobs,\n  an interactive shell warns once; a second exit sends them SIGHUP and SIGCONT."),
    ("export", "export NAME[=VALUE]…\n  Put variables in the environment that children receive (execve's envp)."),
    ("unset", "unset [-f] NAME…\n  Remove variables (or, with -f, functions)."),
    ("set", "set [-e|+e] [-x|+x] [-u|+u] [-o pipefail] [-- ARGS…]\n  -e: stop at the first failing command; -x: trace commands to stderr;\n  -u: unset variables are errors; -o pipefail: a pipeline fails if any stage does.\n  set -- a b c sets $1 $2 $3."),
    ("shift", "shift [N]\n  Drop the first N positional parameters."),
    ("source", "source FILE [ARGS…]   (also: . FILE)\n  Run FILE in this shell: its variables and functions stay."),
    ("test", "test EXPR   or   [ EXPR ]\n  File tests (-e -f -d -r -w -x -s -L), strings (= != -n -z), integers\n  (-eq -ne -lt -le -gt -ge), ! -a -o and parentheses. Status 0 true, 1 false, 2 error."),
    ("read", "read [-r] NAME…\n  Read one line from stdin (a byte at a time, so the rest stays for the next\n  command) and split it at blanks into the NAMEs; the last takes the rest."),
    ("type", "type NAME…\n  Say whether each NAME is a keyword, a function, a builtin or a program (and where)."),
    ("jobs", "jobs [-l] [-p]\n  List jobs: [N]+ current, [N]- previous; Running, Stopped, Done, Exit N, Killed (SIG).\n  -l adds the process id, -p prints only process ids."),
    ("fg", "fg [%N]\n  Continue a job in the foreground: tcsetpgrp gives it the terminal, SIGCONT wakes it,\n  and the shell waits (waitpid with WUNTRACED) until it ends or stops again."),
    ("bg", "bg [%N]\n  Continue a stopped job in the background (SIGCONT to its process group)."),
    ("wait", "wait [%N|PID…]\n  Block in waitpid until the jobs end (all of them by default); the status is the\n  last job's. Ctrl-C interrupts the wait, not the jobs."),
    ("kill", "kill [-SIG|-s SIG] %N|PID…   kill -l\n  Send a signal (TERM by default) to a job's process group or to a process."),
    ("spawn", "spawn PIPELINE [&]\n  Start the pipeline in the background and print [N] PID even in a script; $! is\n  the last stage's pid. Like Python's Popen without wait()."),
    ("explain", "explain PIPELINE   explain { LIST }\n  Print the primitives psh would call (pipe, posix_spawn, fork, dup2, close,\n  waitpid) without running anything."),
    ("history", "history\n  List the commands typed so far (kept in the data directory, mode 0600)."),
    ("help", "help [TOPIC]\n  This help. Topics: every builtin, and pipeline, redirection, expansion, jobs,\n  signals, lab, syntax."),
    ("pipeline", "c1 | c2 | …\n  Every stage starts at once; pipe() joins stdout of one to stdin of the next, so\n  data flows through the kernel, never through psh. The status is the last stage's\n  (or with set -o pipefail the last non-zero one). ! negates it."),
    ("redirection", "< f   > f   >> f   2> f   2>> f   &> f   2>&1   >&2\n  open() the file, then dup2() it onto fd 0, 1 or 2 of the command. Works on\n  builtins and blocks too; a file that cannot be opened skips the command (status 1)."),
    ("expansion", "$name ${name} $? $! $$ $# $@ $* $0 $1… $(cmd) $((expr)) ~ *.txt\n  A variable is always one word (never split); unquoted $(…) splits at blanks;\n  \"$@\" gives one word per argument; globs come only from literal, unquoted * ? [ ]."),
    ("syntax", "if C { … } else if C { … } else { … }   while C { … }   for x in W… { … }\nfn name { … }   { list }   ( list )   a && b || c   cmd &   # comment"),
    ("signals", "alarm SECONDS < handler >   alarm   alarm 0\ntrap SIGNAL < handler >   trap SIGNAL -   trap\n  A handler block runs when the signal arrives: the OS handler only records it,\n  the block runs between commands, while psh waits for a job, or at the prompt.\n  Ctrl-C sends SIGINT and Ctrl-Z SIGTSTP to the foreground job, never to psh."),
    ("trace", "trace on|off\n  Print each primitive to stderr, dimmed, as it happens: pipe, posix_spawn, fork,\n  open, dup2, setpgid, tcsetpgrp, waitpid results, signals, timers, threads."),
    ("lab", "threads N TASK [ARGS] [OPTIONS]   procs N TASK [ARGS] [OPTIONS]\n  N (1-1024) OS threads in psh's process, or N forked processes; all joined/reaped,\n  then a summary on stderr. Tasks: worker (who am I?), booth TICKETS (a counter\n  under a mutex; --nolock races for real; procs get tickets through a pipe),\n  cond ITEMS (a producer, consumers on a condition variable; --notify-all).\n  Options: --chore MS, --quiet, --timeline."),
];

/// The help text for `topic`, or None if there is none.
pub fn topic(topic: &str) -> Option<&'static str> {
    let t = match topic {
        "." => "source",
        "[" => "test",
        "jobs-control" | "job" => "jobs",
        "alarm" | "trap" => "signals",
        "threads" | "procs" => "lab",
        "if" | "while" | "for" | "fn" | "else" => "syntax",
        "true" | "false" | ":" => return Some("true, false, :\n  Do nothing, with status 0 (true, :) or 1 (false)."),
        "break" | "continue" | "return" => {
            return Some("break [N]   continue [N]   return [N]\n  Leave N loops, go to the next iteration, or return from a function with status N.")
        }
        other => other,
    };
    TOPICS.iter().find(|(n, _)| *n == t).map(|(_, text)| *text)
}

/// The overview `help` prints alone.
pub fn overview(builtins: &[&str]) -> String {
    let mut s = String::from(
        "psh: a small shell whose every construct is one OS primitive.\n\nBuiltins:\n",
    );
    for chunk in builtins.chunks(10) {
        s.push_str("  ");
        s.push_str(&chunk.join(" "));
        s.push('\n');
    }
    s.push_str("Keywords: if else while for in fn break continue return exit spawn explain threads procs\n");
    s.push_str("Concepts: pipeline redirection expansion syntax signals lab\n");
    s.push_str("`help TOPIC` tells more.\n");
    s
}

/// The `help` builtin: the overview, or one topic.
pub fn builtin(args: &[String], builtins: &[&str]) -> i32 {
    let text = match args.first() {
        None => overview(builtins),
        Some(t) => match topic(t) {
            Some(text) => format!("{text}\n"),
            None => {
                sys::err(&format!("psh: help: no help for `{t}` (try `help`)\n"));
                return 1;
            }
        },
    };
    match sys::out(&text) {
        Ok(()) => 0,
        Err(e) => {
            sys::err(&format!("psh: help: write error: {}\n", e.desc()));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_topics_have_no_help() {
        assert!(super::topic("nope").is_none());
        assert!(super::topic("if").is_some());
    }
}
