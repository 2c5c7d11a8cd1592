//! `help [TOPIC]`: a few lines on each builtin and each idea psh shows,
//! and the `help` builtin that prints them.  The topics are data; this
//! file never runs a command.

use crate::os::sys;

/// (topic, text) — the text's first line is the usage.
const TOPICS: &[(&str, &str)] = &[
    ("cd", "cd [-L|-P] [DIR|-]\n  Change the shell's directory (HOME by default, `-` for the previous one).\n  A builtin: a child process could not change its parent's directory."),
    ("pwd", "pwd [-L|-P]\n  Print the current directory: $PWD as cd left it (-L, the default), or the path\n  with symbolic links resolved (-P). In a directory that was removed, $PWD stays."),
    ("echo", "echo [-n] [-e] WORD…\n  Print the words. -n: no newline; -e: interpret \\n, \\t, \\x41 and \\0101 (bytes),\n  \\u00e9 and \\U0001F600 (characters), \\c (stop)."),
    ("exit", "exit [N]\n  Leave psh with status N (default: the last status). With stopped jobs,\n  an interactive shell warns once; a second exit sends them SIGHUP and SIGCONT."),
    ("export", "export NAME[=VALUE]…\n  Put variables in the environment that children receive (execve's envp)."),
    ("unset", "unset [-f] NAME…\n  Remove variables (or, with -f, functions)."),
    ("set", "set [-e|+e] [-x|+x] [-u|+u] [-o pipefail] [-- ARGS…]\n  -e: stop at the first failing command; -x: trace commands to stderr;\n  -u: unset variables are errors; -o pipefail: a pipeline fails if any stage does.\n  set -- a b c sets $1 $2 $3."),
    ("shift", "shift [N]\n  Drop the first N positional parameters."),
    ("source", "source FILE [ARGS…]   (also: . FILE)\n  Run FILE in this shell: its variables and functions stay."),
    ("test", "test EXPR   or   [ EXPR ]\n  File tests (-e -f -d -r -w -x -s -L), strings (= != -n -z), integers\n  (-eq -ne -lt -le -gt -ge), -v NAME (set?), -o OPTION (on?), ! -a -o and parentheses,\n  by POSIX's argument-count rules. Status 0 true, 1 false, 2 error."),
    ("read", "read [-r] [-p PROMPT] [-d DELIM] [-t SECS] [-a LIST] NAME…\n  Read one line from stdin (a byte at a time, so the rest stays for the next\n  command) and split it at blanks into the NAMEs; the last takes the rest.\n  -p: a prompt (on a terminal); -d: up to DELIM instead of a newline ('' = NUL);\n  -t: give up after SECS (status 142); -a: the fields become the list LIST.\n  Status 1 at the end of input."),
    ("type", "type NAME…\n  Say whether each NAME is a keyword, a function, a builtin or a program (and where)."),
    ("jobs", "jobs [-l] [-p] [%N|PID…]\n  List jobs (all, or those named): [N]+ current, [N]- previous; Running, Stopped,\n  Done, Exit N, Killed (SIG). -l adds the process id, -p prints only process ids."),
    ("fg", "fg [%N]\n  Continue a job in the foreground: tcsetpgrp gives it the terminal, SIGCONT wakes it,\n  and the shell waits (waitpid with WUNTRACED) until it ends or stops again."),
    ("bg", "bg [%N]\n  Continue a stopped job in the background (SIGCONT to its process group)."),
    ("wait", "wait [-n] [%N|PID…]\n  -n: wait for whichever job ends first and give its status.\n  Block in waitpid until the jobs end (all of them by default); the status is the\n  last job's. Ctrl-C interrupts the wait, not the jobs."),
    ("kill", "kill [-SIG|-s SIG] %N|PID…   kill -l\n  Send a signal (TERM by default) to a job's process group or to a process."),
    ("spawn", "spawn PIPELINE [&]\n  Start the pipeline in the background and print [N] PID even in a script; $! is\n  the last stage's pid. Like Python's Popen without wait()."),
    ("explain", "explain PIPELINE   explain { LIST }\n  Print the primitives psh would call (pipe, vfork+execve, fork, dup2, close,\n  waitpid) without running anything. vfork+execve: clone(CLONE_VM|CLONE_VFORK),\n  then the child puts back the signals psh changed, takes its process group and\n  fds and execs the program (what posix_spawn does, minus its 64 sigactions);\n  a small psh forks a background job's programs instead (fork+execve: psh goes\n  on without waiting for the exec).\n  Blocks show their commands (an if's condition and branches, a loop's body), a\n  $(…) shows its own plan first, and `explain … &` a background start (no job).\n  Example:  explain if [ -f x ] { cat x | wc -l } else { echo $(date) }"),
    ("history", "history\n  List the commands typed so far (kept in the data directory, mode 0600)."),
    ("help", "help [TOPIC]\n  This help. Topics: every builtin, and pipeline, redirection, expansion, jobs,\n  signals, lab, syntax."),
    ("pipeline", "c1 | c2 | …\n  Every stage starts at once; pipe() joins stdout of one to stdin of the next, so\n  data flows through the kernel, never through psh. The status is the last stage's\n  (or with set -o pipefail the last non-zero one). ! negates it."),
    ("redirection", "< f   > f   >> f   2> f   2>> f   &> f   2>&1   >&2\n  open() the file, then dup2() it onto fd 0, 1 or 2 of the command. Works on\n  builtins and blocks too; a file that cannot be opened skips the command (status 1).\n  <<EOF … EOF: a here-document, the lines up to EOF ($… and $(…) expand; <<'EOF'\n  keeps them literal, <<-EOF drops leading tabs); <<< word: the word and a newline.\n  Both go into an anonymous file (memfd) that the command reads."),
    ("expansion", "$name ${name} $? $! $$ $# $@ $* $0 $1… $(cmd) $((expr)) ~ *.txt {a,b} {1..9}\n  A variable is always one word (never split); unquoted $(…) splits at blanks;\n  \"$@\" gives one word per argument; globs come only from literal, unquoted * ? [ ].\n  ${x:-w} ${x:=w} ${x:?msg} ${x:+w} (without : only unset counts) ${#x}\n  ${x#p} ${x##p} ${x%p} ${x%%p} ${x/p/r} ${x//p/r} ${x/#p/r} ${x/%p/r} ${x:off:len}\n  ${x^^} ${x,,} ${x^} ${x,}. See also: help lists."),
    ("lists", "a=(w1 w2 …)   a+=(w…)   a[i]=w   $a   \"$a\"   ${a[i]} ${a[@]} ${#a[@]} ${a[@]:off:len}\n  A list holds words. $a gives one word per element (never split further; an empty\n  element is an empty word), so args=(-l --color=never); ls $args is safe. \"$a\" joins\n  them with a space. Indexes start at 0 (negative: from the end); operators apply to\n  each element with [@]: ${a[@]%.txt}. read -a a fills one; export joins with : for\n  names ending in PATH, else with spaces.\n  Example:  files=(*.txt); echo ${#files[@]} files, first ${files[0]}"),
    ("syntax", "if C { … } else if C { … } else { … }   while C { … }   for x in W… { … }\nfn name { … }   { list }   ( list )   a && b || c   cmd &   # comment"),
    ("signals", "alarm SECONDS < handler >   alarm   alarm 0\ntrap SIGNAL < handler >   trap SIGNAL -   trap\n  A handler block runs when the signal arrives: the OS handler only records it,\n  the block runs between commands, while psh waits for a job, or at the prompt.\n  Ctrl-C and Ctrl-Z: see `help interrupts`."),
    ("trace", "trace on|off\n  Print each primitive to stderr, dimmed, as it happens: pipe, vfork+execve, fork,\n  open, dup2, setpgid, tcsetpgrp, waitpid results, signals, timers, threads."),
    ("lab", "threads N TASK [ARGS] [OPTIONS]   procs N TASK [ARGS] [OPTIONS]\n  N (1-1024) OS threads in psh's own process, or N forked processes; every one is\n  joined (threads) or reaped (processes), then one summary line goes to stderr.\n\nTasks\n  worker              each says who it is: `thread I PID TID` (one PID for all) or\n                      `process I PID TID` (N PIDs): threads share a process.\n  booth TICKETS       the course's ticket booth. Threads: a counter under a mutex,\n                      `TID :now left: N` per sale; --nolock: the same minus the lock\n                      (read, yield, write, print): a real race, wrong in most runs.\n                      Processes: tickets come through a pipe from psh.\n  cond ITEMS          one producer, N consumers on a condition variable (notify_one,\n                      or --notify-all).\n  bbuf ITEMS          a bounded buffer: --size K slots, --producers P, N consumers;\n                      --if and --one-cv are the two classic bugs (status 1).\n  philo               N philosophers, N forks; --order naive (deadlocks: the\n                      watchdog prints the cycle, status 3) | ordered | trylock |\n                      waiter; --meals M (5).\n  sema K ITEMS        at most K inside a section: the largest number seen inside.\n  barrier ROUNDS      everyone waits for all each round; nobody may leave early.\n  rwlock ITEMS        N readers, --writers W (1): readers inside at once, the\n                      longest writer wait; nobody inside beside a writer.\n  zombie (procs)      children end and stay zombies (Z <defunct>) 2 s, then reaped.\nOptions\n  --chore MS   sleep MS per step (inside and outside the lock; a worker after its line)\n  --quiet      no per-item lines (every task but worker and zombie)\n  --nolock     booth without the mutex   --notify-all   cond wakes every consumer\n  --atomic     booth with no lock but one atomic fetch-and-subtract per sale (exact)\n  --course     the course's booth: 500 ms chores and its os._exit ending (one\n               `No more tickets` line)\n  --seed S     every task but zombie, one named step at a time (lock, read, write,\n               print, wait, notify, take a fork…), the next worker picked by a PRNG\n               seeded with S (processes: psh lets one child take one step at a time\n               through its own pipe): a table with each thread's step, the shared values\n               and each thread's own copy; the same bytes every run.\n               `threads 2 booth 3 --nolock --seed 1` loses an update by row 7;\n               `threads 3 philo --seed 2` deadlocks in 11 steps;\n               `threads 2 bbuf 6 --if --seed 2` takes from an empty buffer;\n               `threads 2 bbuf 6 --one-cv --seed 6` puts everyone to sleep.\n               --schedule 0,1,1,0 picks the threads (then round-robin).\n  --quiz       with --seed or --schedule: the table with its values hidden as ?,\n               then the answers (after Enter on a terminal).\n  --shared     procs booth: each child sells from its own copy of the counter (fork\n               copies memory): every process sells every ticket\n  --step       ask at each step who moves: a digit picks the thread, Enter takes\n               the seeded choice, q stops (seed 1 unless --seed says).\n  --timeline   draw who held the lock, ran or waited (below); --timeline=FILE.svg\n               writes it as a picture (exact times, the command as its title)\n  --events     print every step as it happens (every task but zombie; processes\n               print their own, timed from the start):\n               +0.120ms T0 lock got · T0 read left=2 · T0 write left=1 · T0 unlock\n\nThe summary:  threads 3 booth 9: sold 9 of 9, each exactly once (under the lock) in 642 µs; per worker 9 0 0\n  `threads 3 booth 9`    what ran (with the options that changed it)\n  `sold S of T …`        the result, counted from the same events the lines print:\n                         exactly once, or WRONG with what went wrong (oversold, the\n                         `now left` lines that repeat, never sold); status 1 when wrong\n  `N wake-ups, W wasted` (cond) wake-ups, and those that found nothing to take\n  `in 642 µs`            wall time from the first worker's start to the last join\n  `per worker 9 0 0`     what each worker did (sales, items), in index order\n  `interrupted after N sales;`  Ctrl-C stopped the run (status 130)\n\nThe timeline:  timeline: 0.110 ms, one column = 1.7 µs   # held the lock  = ran  . waited\n  one row per worker, time left to right; # (red) held the lock (with --nolock: inside\n  the unprotected read-write, and ! where two or more were inside at once), = (green)\n  ran outside it, . (grey) waited for the lock or a condition, blank: not started or\n  finished. cond adds ~ (waiting on the condition), ^ (woken, took an item) and\n  x (woken for nothing: notify_all wakes everyone); z is the chore's sleep.\n  Times are taken after an acquire and before a release, and a column where the\n  lock changes hands shows the longer holder: a locked run never shows two.\n\nExample:  threads 10 booth 100 --nolock   (lost updates, status 1)"),
    ("eval", "eval WORD…\n  Join the words with blanks and run the result as psh code, in this shell.\n  Example:  cmd='echo hi'; eval $cmd"),
    ("command", "command [-v|-V] NAME [ARGS…]\n  Run NAME skipping functions (a builtin or a program); -v prints how NAME would run\n  (a path, or its name for a builtin, function or keyword), -V says it in words.\n  Example:  command -v ls"),
    ("exec", "exec [CMD ARGS…] [REDIRECTIONS]\n  Without a command, the redirections stay on psh for good (exec 3> log, exec 2>&1,\n  exec 3>&-); with one, psh is replaced by it (execve: the same process).\n  Example:  exec 3> trace.log; echo noted >&3"),
    ("times", "times\n  Print the CPU time used so far, user then system: psh itself (with the lab's\n  threads) on the first line, the children it has waited for on the second\n  (getrusage). A program that still runs, or was never waited for, is not counted.\n  Example:  i=0; while [ $i -lt 100000 ] { i=$((i+1)) }; times"),
    ("umask", "umask [-S] [MODE]\n  Print the file-creation mask (octal; -S symbolic) or set it (027, u=rwx,g=rx,o=).\n  Children inherit it.\n  Example:  umask 077"),
    ("printf", "printf [-v NAME] FORMAT [ARGS…]\n  Format the arguments as C's printf does: %s %d %i %u %o %x %X %c %e %f %g %%, flags\n  -+ #0, widths and precisions (* takes them from the arguments); %b expands \\n-style\n  escapes in its argument, %q quotes it for the shell. The format is used again while\n  arguments remain. -v NAME assigns instead of printing. A bad number: status 1.\n  Example:  printf '%-8s %5.1f%%\\n' disk 93.25"),
    ("getopts", "getopts OPTSTRING NAME [ARGS…]\n  Take the next option from the positional parameters (or ARGS): NAME gets its letter,\n  OPTARG its argument (a letter followed by : in OPTSTRING takes one), OPTIND the index\n  of the next argument. Status 1 after the last option (at `--` or a non-option).\n  A leading : in OPTSTRING: no messages, NAME is ? (unknown) or : (missing argument).\n  Example:  while getopts vo: opt { match $opt { v { verbose=1 } o { out=$OPTARG } } }"),
    ("ulimit", "ulimit [-H|-S] [-a|-c|-d|-f|-l|-n|-s|-t|-u|-v] [N|unlimited]\n  Print or set a resource limit of psh, inherited by every command it starts\n  (setrlimit): -n open files, -u processes, -t CPU seconds; -s stack, -v, -d, -l memory\n  in KiB; -c core and -f file size in 1024-byte blocks. Default -f. Setting changes\n  both the soft and hard limit unless -S or -H says which; printing shows the soft one.\n  Example:  ulimit -n 256"),
    ("local", "local NAME[=VALUE]…\n  Make variables belong to the current function call: the caller's values (or their\n  absence) come back when it returns. Functions it calls see them (dynamic scope).\n  Example:  fn count { local n=0; for x in $@ { n=$((n+1)) }; echo $n }"),
    ("match", "match WORD { PATTERN | PATTERN { … } … * { … } }\n  psh's case: the first arm with a glob pattern that matches WORD runs (`*` is the\n  default); the status is the arm's, or 0 when none matched. $var in a pattern\n  matches its value literally.\n  Example:  match $f { *.tar.gz | *.tgz { tar xzf $f } * { echo unknown: $f } }"),
    ("if", "if COND { … } else if COND { … } else { … }\n  COND is any list; its exit status decides (0 is true). No then/fi: braces.\n  Example:  if [ -f notes.txt ] { cat notes.txt } else { echo no notes }"),
    ("else", "if COND { … } else { … }   if COND { … } else if COND { … }\n  The branch that runs when no condition before it was true.\n  Example:  if grep -q root /etc/passwd { echo yes } else { echo no }"),
    ("while", "while COND { … }\n  Run the body as long as COND succeeds; break / continue as in sh. The status is\n  the last body command's (0 if it never ran).\n  Example:  i=0; while [ $i -lt 3 ] { echo $i; i=$((i+1)) }"),
    ("for", "for NAME in WORD… { … }\n  Run the body once per word (after expansion: globs, $(…) split at blanks).\n  Example:  for f in *.txt { wc -l $f }"),
    ("fn", "fn NAME { … }\n  Define a function, called like a command: $1…, $#, $@ are its arguments, `return N`\n  leaves it. It runs in the shell itself (no new process).\n  Example:  fn greet { echo hello $1 }; greet world"),
    ("break", "break [N]   continue [N]\n  Leave N enclosing loops (break), or go on with the next iteration (continue).\n  Example:  for i in 1 2 3 4 { if [ $i = 3 ] { break }; echo $i }"),
    ("continue", "continue [N]\n  Go on with the next iteration of the Nth enclosing loop.\n  Example:  for i in 1 2 3 { if [ $i = 2 ] { continue }; echo $i }"),
    ("return", "return [N]\n  Leave the current function (or sourced file) with status N (default: the last).\n  Example:  fn ok { return 0 }; ok && echo fine"),
    ("alarm", "alarm SECONDS < handler >   alarm   alarm 0\n  Arm a one-shot real-time timer (setitimer; fractions allowed) and keep the block;\n  when SIGALRM arrives the block runs. A new alarm replaces the pending one; `alarm`\n  says what is pending; `alarm 0` cancels.\n  Example:  alarm 2 < echo two seconds passed >"),
    ("trap", "trap SIGNAL < handler >   trap SIGNAL -   trap\n  Run the block whenever SIGNAL (a name or number) arrives; `-` puts the default\n  back; `trap` lists the blocks. KILL, STOP and CHLD cannot be trapped.\n  Example:  trap USR1 < echo got USR1 >; kill -USR1 $$"),
    ("interrupts", "Ctrl-C (SIGINT)   Ctrl-\\ (SIGQUIT)   Ctrl-Z (SIGTSTP)\n  Ctrl-C ends the foreground job and whatever psh runs itself for the line: a loop of\n  builtins, a function, read, the wait for $(…), wait, a lab run. $? is 130 (131 for\n  Ctrl-\\) and the rest of the line is dropped. Ctrl-Z stops a foreground job (fg, bg).\n  A script ends on Ctrl-C, unless its foreground command handled it and went on."),
    ("tour", "tour [zh|en] [--text]     psh --tour [zh|en]\n  The course, one example at a time: the Python, what to watch for, a question to\n  predict, the psh line run in this very shell (so $$ is psh's), what happened.\n  Enter goes on, q leaves; not on a terminal it runs straight through. Chinese or\n  English (default from LC_ALL, LC_MESSAGES, LANG); --text shows the stops without\n  running them.\n  scripts/01-…psh to 10-…psh   the same examples as plain scripts, with comments\n  help lab                     the concurrency lab: tasks, options, summary, timeline"),
];

/// The help text for `topic`, or None if there is none.
pub fn topic(topic: &str) -> Option<&'static str> {
    let t = match topic {
        "." => "source",
        "[" => "test",
        "jobs-control" | "job" => "jobs",
        "threads" | "procs" => "lab",
        "true" | "false" | ":" => {
            return Some("true, false, :\n  Do nothing, with status 0 (true, :) or 1 (false).")
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
    s.push_str("Concepts: pipeline redirection expansion syntax signals interrupts lab tour\n");
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

/// Every topic name (for completion after `help`).
pub fn topics() -> impl Iterator<Item = &'static str> {
    TOPICS.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::topic;

    #[test]
    fn unknown_topics_have_no_help() {
        assert!(topic("nope").is_none());
    }

    #[test]
    fn every_keyword_has_its_own_page_with_an_example() {
        let mut seen = std::collections::HashSet::new();
        for k in [
            "if", "else", "while", "for", "fn", "break", "continue", "return", "alarm", "trap",
        ] {
            let text = topic(k).unwrap_or_default();
            assert!(text.contains("Example:"), "help {k} has no example");
            assert!(seen.insert(text), "help {k} repeats another page");
        }
        let lab = topic("lab").unwrap_or_default();
        for field in [
            "per worker",
            "interrupted after",
            "one column",
            "held the lock",
            "waited",
        ] {
            assert!(lab.contains(field), "help lab does not explain {field}");
        }
    }
}
