//! The concurrency lab (SPEC §5): threads and procs, worker, booth with and
//! without the lock, the pipe-fed booth, cond, bounds, lab commands as
//! ordinary commands, explain and trace.

use crate::common;
use common::*;

/// `TID :now left: N` lines in output order.
fn sales(out: &str) -> Vec<(usize, u64)> {
    out.lines()
        .filter_map(|l| {
            let (tid, rest) = l.split_once(" :now left: ")?;
            Some((tid.parse().ok()?, rest.parse().ok()?))
        })
        .collect()
}

#[test]
fn booth_sells_each_ticket_once_in_countdown_order() {
    for (n, t) in [
        (1, 1),
        (1, 50),
        (2, 0),
        (3, 10),
        (10, 100),
        (10, 1000),
        (64, 5000),
        (4, 3),
    ] {
        let r = psh(&format!("threads {n} booth {t}"));
        assert_eq!(r.status, 0, "{n}/{t}: {}", r.stderr);
        let s = sales(&r.stdout);
        let lefts: Vec<u64> = s.iter().map(|x| x.1).collect();
        let want: Vec<u64> = (0..t).rev().collect();
        assert_eq!(lefts, want, "{n} threads, {t} tickets");
        assert!(s.iter().all(|(tid, _)| *tid < n));
        let done = r
            .stdout
            .lines()
            .filter(|l| l.starts_with("Thread_id ") && l.ends_with("  No more tickets"))
            .count();
        assert_eq!(done, n, "every booth says it is done");
        assert!(
            r.stderr
                .contains(&format!("sold {t} of {t}, each exactly once")),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.starts_with(&format!("threads {n} booth {t}: ")),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn per_worker_counts_add_up() {
    let r = psh("threads 4 booth 1000 --quiet");
    assert_eq!(r.stdout, "");
    let counts = r
        .stderr
        .trim()
        .rsplit_once("per worker ")
        .expect("counts")
        .1;
    let total: u64 = counts
        .split_whitespace()
        .map(|c| c.parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 1000);
    assert_eq!(counts.split_whitespace().count(), 4);
}

#[test]
fn booth_without_the_lock_reports_the_race_and_exits_1() {
    let r = psh("threads 10 booth 100 --nolock --chore 1 --quiet");
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("WRONG"), "{}", r.stderr);
    assert!(
        r.stderr.contains("oversold") && r.stderr.contains("sold more than once"),
        "{}",
        r.stderr
    );
    // The same command with the lock is exact.
    let r = psh("threads 10 booth 100 --chore 1 --quiet");
    assert_eq!(r.status, 0, "{}", r.stderr);
}

/// The course's size shows the race with no `--chore`: the unlocked booth
/// reads, yields (where Python may switch threads), writes.  SPEC: wrong in
/// most runs (≥ 8 of 10) on a 2-core machine; repeated, not one lucky run.
#[test]
fn the_race_shows_at_the_course_size() {
    let mut wrong = 0;
    let mut last = String::new();
    for _ in 0..10 {
        let r = psh("threads 10 booth 100 --nolock --quiet");
        if r.status == 1 {
            wrong += 1;
        }
        last = r.stderr;
    }
    assert!(
        wrong >= 8,
        "only {wrong} of 10 runs were wrong; last: {last}"
    );
}

/// The summary names the repeated lines as the lines show them.
#[test]
fn the_race_summary_names_the_printed_numbers() {
    for _ in 0..20 {
        let r = psh("threads 3 booth 5 --nolock");
        if r.status != 1 {
            continue;
        }
        // Every `now left: N` the summary calls repeated is printed twice or more.
        let repeated: Vec<&str> = r
            .stderr
            .split("the lines `now left: ")
            .nth(1)
            .and_then(|s| s.split("` repeat").next())
            .map(|s| s.split("`, `").collect())
            .unwrap_or_default();
        assert!(!repeated.is_empty(), "{}", r.stderr);
        for n in repeated {
            let times = r.stdout.matches(&format!(":now left: {n}\n")).count();
            assert!(
                times >= 2,
                "`now left: {n}` printed {times} times\n{}{}",
                r.stdout,
                r.stderr
            );
        }
        return;
    }
    panic!("20 runs of threads 3 booth 5 --nolock were all exact");
}

#[test]
fn worker_chore_is_honoured() {
    let r = psh("threads 2 worker --chore 150");
    assert_eq!(r.status, 0);
    let ms: f64 = r
        .stderr
        .rsplit(" in ")
        .next()
        .and_then(|t| t.strip_suffix(" ms\n"))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no time in {}", r.stderr));
    assert!(ms >= 150.0, "{}", r.stderr);
}

#[test]
fn procs_booth_sells_every_ticket_once_through_a_pipe() {
    for (n, t) in [(1, 10), (4, 1000), (8, 20000)] {
        let r = psh(&format!("procs {n} booth {t}"));
        assert_eq!(r.status, 0, "{}", r.stderr);
        let mut seen = vec![0u32; t + 1];
        for l in r.stdout.lines() {
            if let Some((_, k)) = l.split_once(" :sold ticket ") {
                seen[k.parse::<usize>().unwrap()] += 1;
            }
        }
        assert!(
            seen[1..].iter().all(|&c| c == 1),
            "{n}/{t}: a ticket sold twice or never"
        );
        let done = r
            .stdout
            .lines()
            .filter(|l| l.starts_with("Process_id "))
            .count();
        assert_eq!(done, n);
        assert!(
            r.stderr.contains(&format!(
                "sold {t} of {t}, each exactly once (handed out through a pipe"
            )),
            "{}",
            r.stderr
        );
    }
}

fn pids(out: &str, kind: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.starts_with(kind))
        .map(|l| l.split_whitespace().nth(2).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn worker_threads_share_a_pid_processes_do_not() {
    let r = psh("echo psh $$; threads 5 worker; procs 5 worker");
    let psh_pid = r
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    let t = pids(&r.stdout, "thread ");
    assert_eq!(t.len(), 5);
    assert!(
        t.iter().all(|p| *p == psh_pid),
        "threads run in psh's own process: {t:?}"
    );
    let mut tids: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("thread "))
        .filter_map(|l| l.split_whitespace().nth(3))
        .collect();
    tids.sort();
    tids.dedup();
    assert_eq!(tids.len(), 5, "five different thread ids");
    let mut p = pids(&r.stdout, "process ");
    assert_eq!(p.len(), 5);
    assert!(!p.contains(&psh_pid));
    p.sort();
    p.dedup();
    assert_eq!(p.len(), 5, "five different pids");
    assert!(r.stderr.contains("threads 5 worker: 5 threads in process"));
    assert!(r.stderr.contains("procs 5 worker: 5 processes, 5 reaped"));
}

fn numbers_after(text: &str, key: &str) -> u64 {
    let at = text.find(key).unwrap_or_else(|| panic!("{key} in {text}"));
    text[..at]
        .trim_end()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn cond_counts_wakeups_and_notify_all_wastes_more() {
    let one = psh("threads 4 cond 40 --quiet");
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert!(
        one.stderr
            .contains("1 producer, 4 consumers, 40 of 40 items taken; notify_one:"),
        "{}",
        one.stderr
    );
    let all = psh("threads 4 cond 40 --notify-all --quiet");
    assert_eq!(all.status, 0, "{}", all.stderr);
    assert!(
        all.stderr.contains("40 of 40 items taken; notify_all:"),
        "{}",
        all.stderr
    );
    let (w1, w2) = (
        numbers_after(&one.stderr, "wake-ups"),
        numbers_after(&all.stderr, "wake-ups"),
    );
    let wasted_all = numbers_after(&all.stderr, "wasted");
    assert!(w2 > w1, "notify_all wakes everyone: {w2} vs {w1}");
    assert!(wasted_all > 0);
    let r = psh("threads 2 cond 5");
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.contains(" took item "))
            .count(),
        5
    );
}

#[test]
fn bounds_and_bad_arguments_are_status_2() {
    for (line, msg) in [
        ("threads 0 worker", "N (workers) must be from 1 to 1024"),
        ("threads 1025 worker", "must be from 1 to 1024"),
        ("procs 1000000 worker", "must be from 1 to 1024"),
        ("threads 4 booth 1000000000000", "TICKETS must be from 0 to"),
        ("threads 4 booth -1", "TICKETS must be a whole number"),
        ("threads 4 booth", "booth needs a number of tickets"),
        ("threads 4 juggle", "unknown task"),
        ("threads 4 booth 10 --fast", "unknown option --fast"),
        (
            "threads 4 booth 10 --chore 99999",
            "--chore must be from 0 to",
        ),
        ("procs 4 cond 10", "cond runs on threads"),
        ("procs 4 booth 10 --nolock", "no lock to drop"),
        (
            "threads 2 worker --quiet",
            "--quiet is for the tasks that print",
        ),
        (
            "procs 2 worker --timeline",
            "a worker process records no events",
        ),
        ("threads 2 worker --nolock", "--nolock is for booth"),
        ("threads 2 booth 5 --notify-all", "--notify-all is for cond"),
        ("threads 2 booth 5 --atomic --nolock", "choose one"),
        (
            "procs 2 booth 5 --atomic",
            "--atomic and --course are for threads booth",
        ),
        (
            "threads 2 worker --course",
            "--atomic and --course are for threads booth",
        ),
        (
            "threads 2 booth 5 --course --atomic",
            "--course is the course's locked booth",
        ),
        ("threads", "usage: threads N"),
    ] {
        let r = psh(&format!("{line}; echo status $?"));
        assert_eq!(r.stdout, "status 2\n", "{line}");
        assert!(r.stderr.contains(msg), "{line}: {}", r.stderr);
    }
}

#[test]
fn lab_commands_are_ordinary_commands() {
    let r = psh("threads 4 booth 50 | grep -c left");
    assert_eq!(r.stdout, "50\n");
    let r = psh("threads 2 booth 10 > out; wc -l < out; procs 2 booth 5 2> err > /dev/null; grep -c 'sold 5 of 5' err");
    assert_eq!(r.stdout, "12\n1\n");
    let r = psh("threads 3 booth 30 > bg.txt & wait $!; echo status $?; grep -c left bg.txt");
    assert_eq!(r.stdout, "status 0\n30\n");
    let r = psh("spawn threads 10 booth 100 --nolock --chore 1 --quiet; wait %1; echo status $?");
    assert_eq!(r.stdout, "status 1\n");
    let r = psh("procs 3 booth 10000 | head -2 | wc -l");
    assert_eq!(r.stdout, "2\n");
}

#[test]
fn big_booths_are_fast_enough_to_finish() {
    let r = psh("threads 10 booth 200000 > /dev/null");
    assert_eq!(r.status, 0, "{}", r.stderr);
    let r = psh("threads 10 booth 1000000 --quiet");
    assert_eq!(r.status, 0, "{}", r.stderr);
}

#[test]
fn explain_runs_nothing_for_lab_commands() {
    let r = psh("explain threads 4 booth 10");
    assert!(r.stdout.contains("pthread_create ×4"), "{}", r.stdout);
    assert!(
        !r.stdout.contains(":now left: 9"),
        "nothing was sold: {}",
        r.stdout
    );
    assert_eq!(r.stderr, "");
    let r = psh("explain procs 2 booth 10");
    assert!(r.stdout.contains("fork ×2"), "{}", r.stdout);
    assert_eq!(r.stderr, "");
}

#[test]
fn timeline_draws_one_row_per_worker() {
    let r = run_in(
        &scratch("tl"),
        PSH,
        &["-c", "threads 3 booth 30 --chore 1 --timeline --quiet"],
        b"",
    );
    let rows: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("thread "))
        .collect();
    assert_eq!(rows.len(), 3, "{}", r.stderr);
    assert!(
        rows.iter().all(|l| l.contains('#')),
        "everyone held the lock: {}",
        r.stderr
    );
    assert!(r.stderr.contains("timeline: "));
    assert!(
        !r.stderr.contains('\x1b'),
        "no colour when stderr is not a terminal"
    );
    let r = psh("procs 2 booth 100 --timeline --quiet");
    assert_eq!(
        r.stderr
            .lines()
            .filter(|l| l.trim_start().starts_with("process "))
            .count(),
        2,
        "{}",
        r.stderr
    );
}

#[test]
fn trace_shows_primitives_as_they_happen() {
    let r = psh(
        "trace on; { echo x } | cat > /dev/null; threads 2 worker > /dev/null; trace off; echo y | cat",
    );
    for want in [
        "trace: pipe() → [",
        "trace: vfork+execve /",
        "dup2(",
        "trace: waitpid(",
        "trace: fork() → pid",
        "trace: thread spawn #1",
        "trace: thread join #1",
    ] {
        assert!(r.stderr.contains(want), "{want} missing:\n{}", r.stderr);
    }
    assert_eq!(
        r.stderr.matches("trace: pipe()").count(),
        1,
        "trace off stops it:\n{}",
        r.stderr
    );
    assert_eq!(r.stdout, "y\n");
}

#[test]
fn course_scripts_run() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "psh"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for p in &names {
        let r = psh_args(&["--check", p.to_str().unwrap()], b"");
        assert_eq!(r.status, 0, "{}: {}", p.display(), r.stderr);
    }
    // Each example runs and shows what it says it shows.
    for (script, want) in [
        ("05-threads-vs-processes", "process 0"),
        ("07-booth-lock", "No more tickets"),
        ("alarm", "Now, it's the time"),
    ] {
        let r = psh_args(&[&format!("{dir}/{script}.psh")], b"");
        assert_eq!(r.status, 0, "{script}: {}", r.stderr);
        assert!(
            r.stdout.contains(want),
            "{script} lacks {want}:\n{}",
            r.stdout
        );
    }
}

#[test]
fn output_is_live_not_held_until_the_join() {
    use std::io::BufRead;
    for cmd in [
        "threads 2 booth 8 --chore 150",
        "threads 2 booth 8 --nolock --chore 150",
        "procs 2 booth 6 --chore 150",
        "threads 3 cond 6 --chore 150",
    ] {
        let mut child = common::command(PSH)
            .args(["-c", cmd])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{cmd}: no line");
        // The run (about a second of chores) has not ended yet.
        assert!(
            child.try_wait().unwrap().is_none(),
            "{cmd}: the first line came at the end"
        );
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut rest);
        let st = child.wait().unwrap();
        // The unlocked booth may be wrong (status 1): that is its lesson.
        assert!(st.success() || cmd.contains("--nolock"), "{cmd}: {st}");
    }
}

/// Times are taken after an acquire and before a release, so a locked
/// run's timeline never shows two holders in one column (it did in about
/// one run in ten).  Repeated, as a race must be.
#[test]
fn no_timeline_column_has_two_lock_holders() {
    for _ in 0..50 {
        let r = psh("threads 4 booth 20 --chore 2 --timeline --quiet");
        let rows: Vec<Vec<char>> = r
            .stderr
            .lines()
            .filter(|l| l.starts_with(" thread"))
            .filter_map(|l| l.split('|').nth(1))
            .map(|cells| cells.chars().collect())
            .collect();
        assert_eq!(rows.len(), 4, "{}", r.stderr);
        let width = rows.iter().map(Vec::len).min().unwrap_or(0);
        for c in 0..width {
            let holders = rows.iter().filter(|r| r[c] == '#').count();
            assert!(
                holders <= 1,
                "column {c} has {holders} holders:\n{}",
                r.stderr
            );
        }
    }
}

/// Without the lock the legend says what `#` is, and workers inside the
/// unprotected read-write at the same time are marked `!`.
#[test]
fn the_unlocked_timeline_says_what_it_shows() {
    let r = psh("threads 4 booth 50 --nolock --timeline --quiet");
    assert!(
        r.stderr.contains("# inside the unprotected read-write"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("held the lock"), "{}", r.stderr);
    for line in r.stderr.lines().filter(|l| l.starts_with(" thread")) {
        let cells = line.split('|').nth(1).unwrap_or("");
        assert!(cells.chars().all(|c| "#!=. ".contains(c)), "{line}");
    }
}

/// notify and notify_all look different: a consumer waiting on the
/// condition is `~`, a wake-up that found an item `^`, one that found
/// nothing `x` — as many as the summary's wasted wake-ups allow.
#[test]
fn cond_timelines_show_each_wake_up() {
    let r = psh("threads 4 cond 8 --notify-all --timeline --quiet");
    assert!(
        r.stderr.contains("~ waited on the condition"),
        "{}",
        r.stderr
    );
    let wasted: u64 = r
        .stderr
        .split(" wasted")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", r.stderr));
    let rows: String = r
        .stderr
        .lines()
        .filter(|l| l.starts_with(" consumer"))
        .collect();
    assert_eq!(r.stderr.matches(" consumer ").count(), 4, "{}", r.stderr);
    let xs = rows.matches('x').count() as u64;
    assert!(
        xs <= wasted,
        "{xs} x marks for {wasted} wasted wake-ups\n{}",
        r.stderr
    );
    if wasted > 0 {
        assert!(xs > 0, "{}", r.stderr);
    }
    assert!(rows.contains('^') && rows.contains('~'), "{}", r.stderr);
}

/// `--events` prints every step as it happens, in one ordered stream: with
/// the lock, a `lock got` is always followed by the same thread's unlock
/// before anyone else gets it, and each write is the line that follows.
#[test]
fn events_show_every_step_in_order() {
    let r = psh("threads 3 booth 6 --events");
    assert_eq!(r.status, 0, "{}", r.stderr);
    let mut holder: Option<String> = None;
    let mut last_write: Option<String> = None;
    for line in r.stdout.lines() {
        if let Some(rest) = line.split_once(' ').map(|(_, r)| r) {
            let (who, what) = rest.split_once(' ').unwrap_or((rest, ""));
            if what == "lock got" {
                assert!(
                    holder.is_none(),
                    "{who} got the lock while {holder:?} held it:\n{}",
                    r.stdout
                );
                holder = Some(who.to_string());
            } else if what.starts_with("unlock") {
                assert_eq!(holder.as_deref(), Some(who), "{}", r.stdout);
                holder = None;
            } else if let Some(n) = what.strip_prefix("write left=") {
                last_write = Some(n.to_string());
            }
        }
        if let Some(n) = line.split(":now left: ").nth(1) {
            assert_eq!(last_write.as_deref(), Some(n), "{}", r.stdout);
        }
    }
    assert!(
        r.stdout.starts_with('+') && r.stdout.contains("ms T0 lock wait"),
        "{}",
        r.stdout
    );
    let r = psh("threads 2 cond 3 --events --quiet");
    for want in [
        "wait() (unlocks)",
        "P put item 1",
        "P notify()",
        "woken (relocked)",
        "took item 1",
    ] {
        assert!(r.stdout.contains(want), "{want}:\n{}", r.stdout);
    }
    let r = psh("threads 2 booth 3 --nolock --events --quiet");
    for want in ["read left=3", "yield", "write left=2"] {
        assert!(r.stdout.contains(want), "{want}:\n{}", r.stdout);
    }
    // Processes print their own steps as they take them, timed from the
    // parent's start (one monotonic clock for every process).
    let r = psh("procs 2 booth 3 --events");
    assert_eq!(r.status, 0, "{}", r.stderr);
    for want in [
        "P0 start, pid ",
        "P1 read the ticket pipe",
        "end of file: no tickets left",
        "P1 exit",
    ] {
        assert!(r.stdout.contains(want), "{want}:\n{}", r.stdout);
    }
    assert_eq!(r.stdout.matches(" got ticket ").count(), 3, "{}", r.stdout);
    // Each process's lines come in its own order: a got before its sale.
    for p in ["P0", "P1"] {
        let mine: Vec<&str> = r
            .stdout
            .lines()
            .filter(|l| l.contains(&format!(" {p} ")))
            .collect();
        assert!(
            mine.first().is_some_and(|l| l.contains("start")),
            "{}",
            r.stdout
        );
        assert!(
            mine.last().is_some_and(|l| l.ends_with("exit")),
            "{}",
            r.stdout
        );
    }
    let r = psh("procs 2 booth 2 --shared --events --quiet");
    assert_eq!(
        r.stdout.matches("write own left=0").count(),
        2,
        "{}",
        r.stdout
    );
    let r = psh("procs 2 worker --events");
    assert_eq!(r.stdout.matches(" printed").count(), 2, "{}", r.stdout);
}

/// A procs booth has no lock: its timeline says what its marks are.
#[test]
fn the_procs_timeline_names_no_lock() {
    let r = psh("procs 3 booth 12 --timeline --quiet");
    assert!(
        r.stderr.contains("waited for one on the pipe"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("held the lock"), "{}", r.stderr);
}

/// `--atomic`: no lock, one fetch-and-subtract per sale, always exact.
#[test]
fn the_atomic_booth_is_always_exact() {
    for _ in 0..5 {
        let r = psh("threads 10 booth 1000 --atomic");
        assert_eq!(r.status, 0, "{}", r.stderr);
        assert!(
            r.stderr
                .contains("each exactly once (atomic fetch-and-subtract, no lock)"),
            "{}",
            r.stderr
        );
        let mut left: Vec<u32> = r
            .stdout
            .lines()
            .filter_map(|l| l.split(":now left: ").nth(1))
            .filter_map(|n| n.parse().ok())
            .collect();
        left.sort_unstable();
        assert_eq!(left, (0..1000).collect::<Vec<u32>>());
    }
}

/// `--course`: the course's ending — the first booth to find none left ends
/// the run, so exactly one `No more tickets` line appears.
#[test]
fn the_course_booth_ends_like_os_exit() {
    let r = psh("threads 4 booth 6 --course --chore 5");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.matches("No more tickets").count(),
        1,
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("ended the run (os._exit(0))"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout.matches(":now left:").count(), 6, "{}", r.stdout);
}

/// `--seed`: one step at a time, a table like OSTEP's x86.py, the same
/// bytes every run; seed 1 shows a lost update within a dozen rows.
#[test]
fn a_seed_gives_the_same_interleaving_every_time() {
    let first = psh("threads 3 booth 5 --nolock --seed 42");
    for _ in 0..5 {
        let again = psh("threads 3 booth 5 --nolock --seed 42");
        assert_eq!(again.stdout, first.stdout);
        assert_eq!(again.status, first.status);
    }
    assert!(
        first
            .stdout
            .starts_with(" step  T0      T1      T2       left"),
        "{}",
        first.stdout
    );
    let r = psh("threads 2 booth 3 --nolock --seed 1");
    assert_eq!(r.status, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    // Rows 4 and 7 print the same `now left: 2`: two sales of one ticket.
    assert!(
        lines[4].ends_with("1 :now left: 2") && lines[7].ends_with("0 :now left: 2"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("the lines `now left: 2` repeat (a lost update)"),
        "{}",
        r.stderr
    );
    // With the lock, every seed is exact.
    for seed in 0..20 {
        let r = psh(&format!("threads 3 booth 4 --seed {seed}"));
        assert_eq!(r.status, 0, "seed {seed}: {}{}", r.stdout, r.stderr);
    }
    // An explicit schedule: strict alternation loses every update.
    let r = psh("threads 2 booth 2 --nolock --schedule 0,1,0,1,0,1,0,1,0,1,0,1");
    assert!(r.stderr.contains("sold 4 of 2"), "{}", r.stderr);
    for (line, msg) in [
        (
            "threads 2 booth 3 --seed x",
            "--seed must be a whole number",
        ),
        ("threads 2 booth 3 --schedule 0,5", "names worker 5"),
        ("threads 9 booth 3 --seed 1", "at most 8 threads"),
        ("procs 2 zombie --seed 1", "every task but zombie"),
        (
            "threads 2 booth 3 --seed 1 --timeline",
            "print their own table",
        ),
    ] {
        let r = psh(&format!("{line}; echo status $?"));
        assert_eq!(r.stdout, "status 2\n", "{line}");
        assert!(r.stderr.contains(msg), "{line}: {}", r.stderr);
    }
}

/// `--quiz`: the table with its values hidden, then (not on a terminal,
/// at once) the answers — the same table `--seed` prints.
#[test]
fn a_quiz_hides_the_values_then_answers() {
    let q = psh("threads 2 booth 3 --nolock --seed 1 --quiz");
    let plain = psh("threads 2 booth 3 --nolock --seed 1");
    let (asked, answers) = q
        .stdout
        .split_once("answers:\n")
        .unwrap_or_else(|| panic!("{}", q.stdout));
    assert_eq!(answers, plain.stdout);
    assert!(
        asked.contains("    1          read        ?    -    ?"),
        "{asked}"
    );
    assert!(
        asked.contains(":now left: ?") && !asked.contains(":now left: 2"),
        "{asked}"
    );
    let r = psh("threads 2 booth 3 --quiz; echo status $?");
    assert!(
        r.stdout.ends_with("status 2\n") && r.stderr.contains("--quiz goes with --seed"),
        "{}",
        r.stderr
    );
}

/// `--step`: each row as it is taken; a digit picks the worker, Enter the
/// seeded choice, q stops.
#[test]
fn step_asks_who_moves() {
    let r = psh_args(
        &["-c", "threads 2 booth 2 --nolock --step"],
        b"1\n1\n0\nq\n",
    );
    let rows: Vec<&str> = r.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{}", r.stdout);
    assert!(rows[0].starts_with("    1          read"), "{}", r.stdout);
    assert!(rows[1].starts_with("    2          write"), "{}", r.stdout);
    assert!(rows[2].starts_with("    3  read"), "{}", r.stdout);
    assert!(r.stderr.contains("a digit, Enter for"), "{}", r.stderr);
    assert!(
        r.stderr.contains("stopped (q) after 3 steps"),
        "{}",
        r.stderr
    );
    assert_eq!(r.status, 0);
}

/// The chore outside the lock is sleep, drawn as such (`z`), not as running.
#[test]
fn timelines_show_the_chore_as_sleep() {
    let r = psh("threads 3 booth 9 --chore 5 --timeline --quiet");
    assert!(r.stderr.contains("z slept (the chore)"), "{}", r.stderr);
    let rows: String = r
        .stderr
        .lines()
        .filter(|l| l.starts_with(" thread"))
        .collect();
    assert!(rows.contains('z') && rows.contains('#'), "{}", r.stderr);
}

/// procs `--shared`: each child has its own copy of the counter after
/// fork, so every process sells every ticket (the lesson that processes do
/// not share memory); status 1 (oversold).
#[test]
fn procs_with_a_shared_counter_each_sell_everything() {
    let r = psh("procs 3 booth 4 --shared");
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("sold 12 of 4: each process sold every ticket from its own copy"),
        "{}",
        r.stderr
    );
    for k in 0..3 {
        assert_eq!(
            r.stdout.matches(&format!("{k} :now left:")).count(),
            4,
            "{}",
            r.stdout
        );
    }
    let r = psh("threads 3 booth 4 --shared; echo status $?");
    assert!(
        r.stdout.ends_with("status 2\n") && r.stderr.contains("--shared is for procs booth"),
        "{}",
        r.stderr
    );
}
