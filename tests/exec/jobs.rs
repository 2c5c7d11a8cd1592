//! Jobs without a terminal (SPEC §6, scripts): `&`, `spawn`, `$!`, `wait`,
//! `jobs`, `kill`; every child reaped; no descriptor leaks into children.

use crate::common;
use common::*;

#[test]
fn spawn_prints_job_and_pid_and_sets_bang() {
    let r = psh("spawn sleep 0.1; echo $!; wait");
    let line = r.stderr.lines().next().unwrap_or_default();
    let pid = line
        .strip_prefix("[1] ")
        .unwrap_or_else(|| panic!("stderr: {:?}", r.stderr));
    assert_eq!(r.stdout, format!("{pid}\n"));
    // spawn never waits, with or without &
    let r = psh("spawn sh -c 'sleep 0.2; echo late' &\necho first; wait");
    assert_eq!(r.stdout, "first\nlate\n");
}

#[test]
fn plain_background_is_quiet_in_scripts() {
    let r = psh("sleep 0.05 & wait");
    assert_eq!(r.stderr, "");
}

#[test]
fn wait_returns_the_jobs_status() {
    let r = psh("sh -c 'exit 3' & wait %1; echo $?");
    assert_eq!(r.stdout, "3\n");
    let r = psh("sh -c 'exit 4' & p=$!; sleep 0.01; wait $p; echo $?");
    assert_eq!(r.stdout, "4\n");
    let r = psh("wait 999999; echo $?");
    assert_eq!(r.stdout, "127\n");
    assert!(
        r.stderr.contains("pid 999999 is not a child of this shell"),
        "{}",
        r.stderr
    );
    let r = psh("wait %3; echo $?");
    assert_eq!(r.stdout, "127\n");
    assert!(r.stderr.contains("%3: no such job"));
    // wait with no argument waits for everything.
    let r = psh("sh -c 'sleep 0.2; echo a' & sh -c 'sleep 0.1; echo b' & wait; echo done");
    assert_eq!(r.stdout, "b\na\ndone\n");
}

#[test]
fn killed_by_signal_is_128_plus_n() {
    let r = psh("sh -c 'kill -9 $$'; echo $?");
    assert_eq!(r.stdout, "137\n");
    let r = psh("sleep 10 & kill %1; wait %1; echo $?");
    assert_eq!(r.stdout, "143\n");
    let r = psh("sleep 10 & kill -USR1 $!; wait $!; echo $?");
    assert_eq!(r.stdout, "138\n");
    // Background jobs of a script ignore SIGINT and SIGQUIT (POSIX), as
    // bash's do.
    // (bash sets the ignore after its fork: its child needs a moment.)
    let line = "sleep 0.3 & sleep 0.05; kill -INT $!; kill -QUIT $!; wait $!; echo $?";
    assert_eq!(psh(line).stdout, "0\n");
    assert_eq!(
        run_in(&scratch("bg-int"), "bash", &["-c", line], b"").stdout,
        "0\n"
    );
    // psh's child starts with them ignored: no moment without.
    let r = psh("sleep 0.3 & kill -INT $!; wait $!; echo $?");
    assert_eq!(r.stdout, "0\n");
    let r = psh("sleep 10 & kill -s KILL %sleep; wait; jobs; echo end");
    assert_eq!(r.stdout, "end\n");
    let r = psh("kill -NOPE 1; echo $?");
    assert_eq!(r.stdout, "1\n");
    assert!(r.stderr.contains("-NOPE: invalid signal"));
}

#[test]
fn jobs_lists_states_then_forgets_finished_ones() {
    let r =
        psh("sleep 10 & sh -c 'exit 2' & sleep 0.3; jobs; kill %1; wait %1; jobs; echo [$(jobs)]");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0], "[1]-  Running                 sleep 10",
        "{}",
        r.stdout
    );
    assert_eq!(
        lines[1], "[2]+  Exit 2                  sh -c 'exit 2'",
        "{}",
        r.stdout
    );
    assert_eq!(lines[2], "[]", "{}", r.stdout);
    let r = psh("sleep 10 & jobs -p | grep -c \"^$!$\"; kill $!");
    assert_eq!(r.stdout, "1\n");
}

/// `jobs` lists the jobs its specs name, and refuses what it does not
/// know (it had listed every job whatever it was given).
#[test]
fn jobs_takes_job_specs_and_refuses_unknown_options() {
    let r = psh("sleep 10 & a=$!; sleep 10 & jobs %2; jobs -p %1; echo $a; kill %1 %2");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(lines[0], "[2]+  Running                 sleep 10");
    assert_eq!(lines[1], lines[2], "{}", r.stdout);
    let r = psh("sleep 10 & jobs %9; echo st=$?; jobs -z; echo st=$?; kill %1");
    assert_eq!(r.stdout, "st=1\nst=2\n", "{}", r.stderr);
    assert!(r.stderr.contains("jobs: %9: no such job"), "{}", r.stderr);
    assert!(
        r.stderr.contains("jobs: -z: unknown option"),
        "{}",
        r.stderr
    );
}

#[test]
fn background_and_or_lists_and_blocks() {
    let r = psh("{ sleep 0.05; echo block; } & false || echo or-list & wait");
    let mut got: Vec<&str> = r.stdout.lines().collect();
    got.sort();
    assert_eq!(got, ["block", "or-list"]);
}

#[test]
fn no_zombie_survives() {
    // The finished job is reaped at the next command boundary.
    let r = psh("true & sleep 0.5; ps -o stat= --ppid $$ | grep -c Z");
    assert_eq!(r.stdout, "0\n");
    let r = psh("for i in 1 2 3 4 5 6 7 8 9 10 { sh -c 'exit 1' & }; wait; ps -o stat= --ppid $$ | grep -c Z");
    assert_eq!(r.stdout, "0\n");
}

#[test]
fn many_background_jobs_are_reaped() {
    let r = psh("i=0; while [ $i -lt 200 ] { true & i=$((i+1)) }; wait; jobs | wc -l; ps -o pid= --ppid $$ > children; wc -l < children");
    // Only `ps` itself is left as a child.
    assert_eq!(r.stdout, "0\n1\n");
}

#[test]
fn children_get_only_0_1_2() {
    let r = psh("ls /proc/self/fd | sort -n | tr '\\n' ' '");
    assert_eq!(r.stdout, "0 1 2 3 ");
    // A stage in the middle of a pipeline, a builtin-run block, a subshell:
    let r = psh("echo | ls /proc/self/fd | sort -n | tr '\\n' ' '");
    assert_eq!(r.stdout, "0 1 2 3 ");
    let r = psh("{ ls /proc/self/fd; } | sort -n | tr '\\n' ' '");
    assert_eq!(r.stdout, "0 1 2 3 ");
    let r = psh("( ls /proc/self/fd > out 2>&1 ); sort -n out | tr '\\n' ' '");
    assert_eq!(r.stdout, "0 1 2 3 ");
    let r = psh("x=$(ls /proc/self/fd | sort -n | tr '\\n' ' '); echo $x");
    assert_eq!(r.stdout, "0 1 2 3 \n");
}

#[test]
fn the_shell_itself_leaks_no_descriptors() {
    // Counted by psh's own glob, not by a child: an `ls` of /proc/$$/fd
    // raced psh closing the ends of the pipe that feeds it.
    let count = "n=0; for f in /proc/$$/fd/* { n=$((n+1)) }";
    let r = psh(&format!(
        "{count}; before=$n; i=0; while [ $i -lt 300 ] {{ echo x | cat | cat > /dev/null; echo y > f 2>&1; i=$((i+1)) }}; {count}; [ $before = $n ] && echo same $n"
    ));
    assert!(r.stdout.starts_with("same "), "{} {}", r.stdout, r.stderr);
}

#[test]
fn pipeline_stops_when_the_reader_goes_away() {
    // A builtin loop feeding `head` ends by SIGPIPE, as in sh.
    let r = psh("while true { echo y } | head -2; echo $?");
    assert_eq!(r.stdout, "y\ny\n0\n");
    let r = psh("yes | head -1");
    assert_eq!(r.stdout, "y\n");
}

/// A background job's program is forked, not spawned (psh does not wait
/// for its exec): a failure to exec is then the child's to report, to the
/// command's stderr, with bash's statuses; a `#!`-less script still runs
/// under sh; the explanation says fork+execve.
#[test]
fn background_programs_start_without_waiting_for_their_exec() {
    let dir = scratch("bg-exec");
    std::fs::write(dir.join("plain"), "echo never\n").unwrap();
    std::fs::write(dir.join("bare"), "echo from sh \"$1\"\n").unwrap();
    let mode = |f: &str, m: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(m)).unwrap();
    };
    mode("plain", 0o644);
    mode("bare", 0o755);
    let line =
        "./plain 2> err & wait $!; echo $?; ./bare x & wait $!; echo $?; ./nope & wait $!; echo $?";
    let ours = run_in(&dir, env!("CARGO_BIN_EXE_psh"), &["-c", line], b"");
    let err = std::fs::read_to_string(dir.join("err")).unwrap_or_default();
    assert_eq!(err, "psh: ./plain: Permission denied\n");
    let theirs = run_in(&dir, "bash", &["-c", line], b"");
    assert_eq!(ours.stdout, "126\nfrom sh x\n0\n127\n", "{}", ours.stderr);
    assert_eq!(ours.stdout, theirs.stdout);
    assert!(ours.stderr.contains("./nope"), "{}", ours.stderr);
    // Never a fork of a large psh (SPEC §9): past 16 MB, the spawner.
    let r =
        psh("x=$(head -c 30000000 /dev/zero | tr '\\0' a); trace on; sleep 0 & wait; trace off");
    assert!(r.stderr.contains("vfork+execve /"), "{}", r.stderr);
    // … and `explain` says so.
    let r = psh("x=$(head -c 30000000 /dev/zero | tr '\\0' a); explain sleep 0 &");
    assert!(
        r.stdout.starts_with("vfork+execve sleep 0\n"),
        "{}",
        r.stdout
    );
    let r = psh("trace on; sleep 0 & wait; trace off");
    assert!(
        r.stderr.contains("fork+execve sleep 0 → pid"),
        "{}",
        r.stderr
    );
}

/// `times`' two lines (psh, then the children it waited for), as bash
/// prints them: a builtin loop counts on the first line, a child's loop
/// on the second once waited for, and not before.
#[test]
fn times_counts_the_shell_and_its_waited_children() {
    // Seconds of user time on each line.
    fn users(out: &str) -> Vec<f64> {
        out.lines()
            .map(|l| {
                let (user, sys) = l.split_once(' ').expect("two fields");
                for f in [user, sys] {
                    let (m, s) = f.split_once('m').expect("NmS.MMMs");
                    assert!(m.parse::<u64>().is_ok(), "{l}");
                    let frac = s.strip_suffix('s').and_then(|s| s.split_once('.'));
                    assert!(matches!(frac, Some((_, ms)) if ms.len() == 3), "{l}");
                }
                let (m, s) = user.split_once('m').expect("m");
                m.parse::<f64>().expect("minutes") * 60.0
                    + s.trim_end_matches('s').parse::<f64>().expect("seconds")
            })
            .collect()
    }
    let child_loop = "dash -c 'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done'";
    let r = psh(&format!(
        "i=0; while [ $i -lt 50000 ] {{ i=$((i+1)) }}; times; {child_loop} & times; wait; times"
    ));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let lines = users(&r.stdout);
    assert_eq!(lines.len(), 6, "{}", r.stdout);
    assert!(
        lines[0] >= 0.01,
        "the builtin loop took no time:\n{}",
        r.stdout
    );
    // The child is not counted until it has been waited for.
    assert!(lines[3] < 0.01, "{}", r.stdout);
    assert!(
        lines[5] >= 0.05,
        "the waited child took no time:\n{}",
        r.stdout
    );
    // bash's format, line for line.
    let bash = run_in(&scratch("times-bash"), "bash", &["-c", "times"], b"");
    assert_eq!(users(&bash.stdout).len(), 2, "{}", bash.stdout);

    psh_fails("times now", 2, "times: now: takes no arguments");
    psh_fails("times > /dev/full", 1, "times: write error");
}
