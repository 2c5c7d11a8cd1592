//! The rest of the course's concepts (SPEC §5 Tasks): philo (deadlock and
//! the orders that avoid it), bbuf and its two classic bugs, sema,
//! barrier, rwlock, procs zombie — each task's invariant and failure mode,
//! its bounds, and that explain, --events and --timeline cover it.

use crate::common;
use common::*;

/// The number after `key` in `text`.
fn number_after(text: &str, key: &str) -> u64 {
    let rest = text
        .split(key)
        .nth(1)
        .unwrap_or_else(|| panic!("{key}: {text}"));
    rest.trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("{key}: {text}"))
}

#[test]
fn naive_philosophers_deadlock_and_the_watchdog_names_the_cycle() {
    let t = std::time::Instant::now();
    let r = psh("threads 3 philo --quiet");
    assert_eq!(r.status, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "deadlock: T0 holds fork0, waits fork1 → T1 holds fork1, waits fork2 → T2 holds fork2, waits fork0 → T0"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("the watchdog released them"),
        "{}",
        r.stderr
    );
    // Released, not hung (the watchdog waits 500 ms; generous for CI).
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}

#[test]
fn the_other_orders_never_deadlock() {
    for order in ["ordered", "trylock", "waiter"] {
        for _ in 0..3 {
            let r = psh(&format!(
                "threads 5 philo --order {order} --meals 4 --chore 1"
            ));
            assert_eq!(r.status, 0, "{order}: {}", r.stderr);
            assert!(
                r.stderr
                    .contains("every philosopher ate all 4 meals (meals 4 4 4 4 4)"),
                "{order}: {}",
                r.stderr
            );
            assert_eq!(r.stdout.matches(" eats (meal ").count(), 20, "{}", r.stdout);
        }
    }
}

/// `T2 took 7` lines: every item once.
#[test]
fn the_bounded_buffer_hands_over_every_item_once() {
    let r = psh("threads 3 bbuf 300 --size 4 --producers 2");
    assert_eq!(r.status, 0, "{}", r.stderr);
    let mut taken: Vec<u64> = r
        .stdout
        .lines()
        .filter_map(|l| l.split(" took ").nth(1)?.parse().ok())
        .collect();
    taken.sort_unstable();
    assert_eq!(taken, (1..=300).collect::<Vec<u64>>());
    assert!(r.stderr.contains("every item taken once"), "{}", r.stderr);
    // Never more in the buffer than its slots.
    for l in r.stdout.lines().filter(|l| l.contains(" put ")) {
        assert!(number_after(l, "(") <= 4, "{l}");
    }
}

#[test]
fn the_if_bug_takes_from_an_empty_buffer() {
    // A race: it shows in most runs, not all (fewer on a loaded machine).
    // Up to 20 runs, until it shows once.
    let mut shown = 0;
    for _ in 0..20 {
        if shown > 0 {
            break;
        }
        let r = psh("threads 3 bbuf 2000 --if --quiet");
        if r.status == 1 {
            shown += 1;
            assert!(r.stderr.contains("EMPTY buffer"), "{}", r.stderr);
            assert!(r.stderr.contains("the rule is `while`"), "{}", r.stderr);
        } else {
            assert!(r.stderr.contains("did not show this run"), "{}", r.stderr);
        }
    }
    assert!(shown >= 1, "the --if bug never showed in 20 runs");
}

#[test]
fn one_condition_for_both_sides_puts_everyone_to_sleep() {
    let mut shown = 0;
    for _ in 0..20 {
        if shown > 0 {
            break;
        }
        let r = psh("threads 2 bbuf 2000 --one-cv --quiet");
        if r.status == 1 {
            shown += 1;
            assert!(r.stderr.contains("everyone asleep"), "{}", r.stderr);
            assert!(r.stderr.contains("use two conditions"), "{}", r.stderr);
        }
    }
    assert!(shown >= 1, "the --one-cv bug never showed in 20 runs");
}

#[test]
fn a_semaphore_never_lets_more_than_k_inside() {
    for k in [1u64, 2, 3] {
        let r = psh(&format!("threads 6 sema {k} 60 --chore 2"));
        assert_eq!(r.status, 0, "{}", r.stderr);
        let most = number_after(&r.stderr, "at most");
        assert!(most <= k && most >= 1, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("never above {k}")),
            "{}",
            r.stderr
        );
        assert_eq!(r.stdout.lines().count(), 60, "{}", r.stdout);
        for l in r.stdout.lines() {
            assert!(number_after(l, "inside:") <= k, "{l}");
        }
    }
    // With room for three and 2 ms inside, three are in at once.
    let r = psh("threads 6 sema 3 60 --chore 5 --quiet");
    assert!(number_after(&r.stderr, "at most") >= 2, "{}", r.stderr);
}

#[test]
fn nobody_leaves_a_barrier_early() {
    let r = psh("threads 4 barrier 30");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("nobody left a round before all had arrived"),
        "{}",
        r.stderr
    );
    let rounds: Vec<u64> = r
        .stdout
        .lines()
        .map(|l| number_after(l, "round "))
        .collect();
    assert_eq!(rounds, (1..=30).collect::<Vec<u64>>(), "{}", r.stdout);
    assert!(r.stdout.lines().all(|l| l.contains("all 4 arrived")));
    assert!(r.stderr.contains("per worker 30 30 30 30"), "{}", r.stderr);
}

#[test]
fn readers_share_the_lock_and_writers_have_it_alone() {
    let r = psh("threads 4 rwlock 400 --writers 2 --chore 1 --quiet");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("400 reads by 4 readers"), "{}", r.stderr);
    assert!(r.stderr.contains("40 writes by 2 writers"), "{}", r.stderr);
    assert!(
        r.stderr.contains("no one was inside beside a writer"),
        "{}",
        r.stderr
    );
    let most = number_after(&r.stderr, "up to");
    assert!((1..=4).contains(&most), "{}", r.stderr);
    assert!(r.stderr.contains("longest writer wait"), "{}", r.stderr);
    // Without writers every read sees 0.
    let r = psh("threads 2 rwlock 10 --writers 0");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches(" read 0 ").count(), 10, "{}", r.stdout);
}

/// The children are zombies — checked from outside, in /proc — while psh
/// shows them, and gone after.
#[test]
fn zombies_are_visible_then_reaped() {
    use std::io::{BufRead, BufReader};
    let mut child = command(PSH)
        .args(["-c", "procs 3 zombie"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut pids = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        if line.contains("<defunct>") {
            assert!(line.contains(" Z "), "{line}");
            pids.push(line.split_whitespace().next().unwrap_or("").to_string());
        }
        if line.starts_with("waiting 2 s") {
            break;
        }
    }
    assert_eq!(pids.len(), 3, "{pids:?}");
    for p in &pids {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).expect("a zombie is there");
        assert_eq!(
            stat.rsplit(')')
                .next()
                .and_then(|s| s.split_whitespace().next()),
            Some("Z")
        );
    }
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(rest.join("\n").contains("reaped; 3 of 3 gone"), "{rest:?}");
    for p in &pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{p}")).exists(),
            "{p} still there"
        );
    }
}

#[test]
fn new_tasks_check_their_arguments() {
    for (line, msg) in [
        ("threads 1 philo", "at least 2 philosophers"),
        (
            "threads 3 philo --order sideways",
            "--order is naive, ordered",
        ),
        (
            "threads 3 philo --size 2",
            "--size is not used by threads philo",
        ),
        ("threads 3 philo 5", "philo takes no arguments"),
        ("threads 3 bbuf", "bbuf needs a number of items"),
        ("threads 3 bbuf 10 --size 0", "--size must be from 1"),
        ("threads 3 bbuf 10 --if --one-cv", "two different bugs"),
        ("threads 3 sema 0 10", "K (at most inside) must be from 1"),
        ("threads 3 sema 2", "sema needs K and a number of items"),
        ("threads 3 barrier x", "ROUNDS must be a whole number"),
        (
            "threads 3 rwlock 10 --writers 2000",
            "--writers must be from 0",
        ),
        ("threads 3 zombie", "zombie runs on procs"),
        ("procs 3 philo", "philo runs on threads"),
        (
            "procs 3 zombie --quiet",
            "--quiet is not used by procs zombie",
        ),
        ("procs 3 zombie --chore 1", "it takes no options"),
        (
            "procs 3 zombie --seed 1",
            "--seed steps through every task but zombie",
        ),
    ] {
        let r = psh(&format!("{line}; echo status $?"));
        assert_eq!(r.stdout, "status 2\n", "{line}: {}", r.stderr);
        assert!(r.stderr.contains(msg), "{line}: {}", r.stderr);
    }
}

#[test]
fn explain_events_and_timelines_cover_the_new_tasks() {
    let r = psh("explain threads 4 philo; explain threads 3 bbuf 9 --if; explain procs 2 zombie");
    assert_eq!(r.status, 0, "{}", r.stderr);
    for want in [
        "watchdog",
        "if full: wait(not_full)",
        "WNOWAIT",
        "waitpid ×2",
    ] {
        assert!(r.stdout.contains(want), "{want}: {}", r.stdout);
    }
    assert!(r.stderr.is_empty(), "explain ran something: {}", r.stderr);
    let r = psh("threads 3 philo --order ordered --meals 2 --chore 1 --events --quiet");
    assert!(r.stdout.contains("T1 takes fork1"), "{}", r.stdout);
    assert!(r.stdout.contains("puts both forks down"), "{}", r.stdout);
    let r = psh("threads 2 bbuf 3 --events --quiet");
    assert!(r.stdout.contains("put item 1; notify()"), "{}", r.stdout);
    let r = psh("threads 3 sema 2 12 --chore 1 --timeline --quiet");
    assert!(
        r.stderr.contains("inside the semaphore's section"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.matches(" thread ").count(), 3, "{}", r.stderr);
    let r = psh("threads 3 barrier 4 --timeline --quiet");
    assert!(
        r.stderr.contains("~ waited on the condition"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("took an item"), "{}", r.stderr);
}

/// `--seed` for every threads task: the same bytes for the same seed, and
/// the failure modes at a seed named in `help lab`.
#[test]
fn every_threads_task_steps_by_seed() {
    for line in [
        "threads 3 philo --seed 5",
        "threads 2 bbuf 6 --seed 3",
        "threads 3 sema 2 6 --seed 4",
        "threads 3 barrier 3 --seed 1",
        "threads 2 rwlock 6 --writers 1 --seed 2",
        "threads 2 cond 4 --notify-all --seed 1",
        "threads 3 worker --seed 2",
    ] {
        let a = psh(line);
        let b = psh(line);
        assert_eq!(a.stdout, b.stdout, "{line}");
        assert!(a.stdout.starts_with(" step  T0 "), "{line}: {}", a.stdout);
        assert!(a.stdout.lines().count() > 4, "{line}: {}", a.stdout);
        let steps: u64 = a
            .stderr
            .split(" steps picked by")
            .next()
            .and_then(|t| t.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line}: {}", a.stderr));
        let rows = a
            .stdout
            .lines()
            .filter(|l| {
                l.split_whitespace()
                    .next()
                    .is_some_and(|w| w.parse::<u64>().is_ok())
            })
            .count();
        assert_eq!(steps as usize, rows, "{line}: {}", a.stderr);
    }
    // Naive philosophers: deadlock in 11 steps at seed 2, with the cycle.
    let r = psh("threads 3 philo --seed 2");
    assert_eq!(r.status, 3, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 13, "{}", r.stdout);
    assert!(
        r.stdout.ends_with("stuck: deadlock: T0 holds fork0, waits fork1 → T1 holds fork1, waits fork2 → T2 holds fork2, waits fork0 → T0\n"),
        "{}",
        r.stdout
    );
    // An explicit schedule: everyone thinks, then everyone takes the left.
    let r = psh("threads 3 philo --schedule 0,1,2,0,1,2");
    assert_eq!(r.status, 3, "{}", r.stdout);
    assert!(
        r.stdout.contains("    6                  take L    012"),
        "{}",
        r.stdout
    );
    for seed in 0..15 {
        for order in ["ordered", "trylock", "waiter"] {
            let r = psh(&format!(
                "threads 4 philo --order {order} --meals 2 --seed {seed}"
            ));
            assert_eq!(r.status, 0, "{order} seed {seed}: {}", r.stdout);
        }
        let r = psh(&format!("threads 2 bbuf 6 --producers 2 --seed {seed}"));
        assert_eq!(r.status, 0, "bbuf seed {seed}: {}", r.stdout);
        let r = psh(&format!("threads 4 sema 2 8 --seed {seed}"));
        assert_eq!(r.status, 0, "sema seed {seed}: {}", r.stdout);
        for row in r.stdout.lines().skip(1) {
            let inside: u64 = row
                .split_whitespace()
                .rev()
                .nth(4)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            assert!(inside <= 2, "{row}");
        }
    }
    // The two buffer bugs, each at its seed.
    let r = psh("threads 2 bbuf 6 --if --seed 2");
    assert_eq!(r.status, 1);
    assert!(
        r.stdout.ends_with("T0 takes from an EMPTY buffer\n"),
        "{}",
        r.stdout
    );
    let r = psh("threads 2 bbuf 6 --one-cv --seed 6");
    assert_eq!(r.status, 1);
    assert!(
        r.stdout.contains("stuck: everyone asleep (T0 T1 T2 wait"),
        "{}",
        r.stdout
    );
    // --quiz hides the forks and meals.
    let r = psh("threads 3 philo --seed 2 --quiz");
    let (asked, answers) = r
        .stdout
        .split_once("answers:\n")
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert_eq!(answers, psh("threads 3 philo --seed 2").stdout);
    assert!(!asked.contains("01-") && answers.contains("01-"), "{asked}");
    assert!(
        asked
            .lines()
            .nth(4)
            .is_some_and(|l| l.starts_with("    4  take L") && l.ends_with("?    ?    ?    ?")),
        "{asked}"
    );
}

/// `--timeline=FILE.svg` writes the chart as a picture: the command as
/// its title, a row per worker (cond's producer too), the legend, the
/// time axis; without a lock the overlaps are shaded.
#[test]
fn timelines_can_be_pictures() {
    let dir = scratch("svg");
    let file = dir.join("run.svg");
    let line = format!(
        "threads 3 cond 4 --notify-all --quiet --timeline={}",
        file.display()
    );
    let r = psh(&line);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("timeline: written to"), "{}", r.stderr);
    let svg = std::fs::read_to_string(&file).expect("the picture");
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.ends_with("</svg>\n"));
    assert!(
        svg.contains(">threads 3 cond 4 --notify-all</text>"),
        "{svg}"
    );
    for want in [
        "consumer 0",
        "consumer 2",
        ">producer<",
        "woken for nothing",
        " ms</text>",
    ] {
        assert!(svg.contains(want), "{want}: {svg}");
    }
    assert!(balanced(&svg), "{svg}");
    let r = psh(&format!(
        "threads 4 booth 40 --nolock --chore 1 --quiet --timeline={}",
        file.display()
    ));
    assert_eq!(r.status, 1);
    let svg = std::fs::read_to_string(&file).expect("the picture");
    assert!(
        svg.contains("fill=\"#ff000040\""),
        "no overlap shaded: {svg}"
    );
    assert!(svg.contains("two or more inside at once"));
    // The text chart names the producer's row too.
    let r = psh("threads 2 cond 3 --quiet --timeline");
    assert!(r.stderr.contains("   producer |"), "{}", r.stderr);
    let r = psh("threads 2 booth 3 --timeline=/no/such/dir/x.svg; echo status $?");
    assert!(
        r.stdout.ends_with("status 1\n") && r.stderr.contains("cannot write the timeline"),
        "{}",
        r.stderr
    );
}

/// Every tag that opens closes, in order (a small well-formedness check).
fn balanced(xml: &str) -> bool {
    let mut open: Vec<&str> = Vec::new();
    for tag in xml.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name) {
                return false;
            }
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap_or(""));
        }
    }
    open.is_empty()
}

/// Processes step too: real children, each let through one step at a
/// time by psh over its own pipe; the values are what they did.
#[test]
fn processes_step_by_seed() {
    for line in [
        "procs 2 booth 3 --seed 1",
        "procs 2 booth 2 --shared --seed 3",
        "procs 3 worker --seed 2",
    ] {
        let a = psh(line);
        assert_eq!(a.stdout, psh(line).stdout, "{line}");
        assert!(a.stdout.starts_with(" step  P0 "), "{line}: {}", a.stdout);
    }
    let r = psh("procs 2 booth 3 --seed 1");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches(":sold ticket").count(), 3, "{}", r.stdout);
    // The pipe column counts down as the children read.
    assert!(
        r.stdout
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("read        2")),
        "{}",
        r.stdout
    );
    // --shared: every child counts down its own copy; psh's stays at 2.
    let r = psh("procs 2 booth 2 --shared --seed 3");
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert_eq!(r.stdout.matches(":now left: 0").count(), 2, "{}", r.stdout);
    assert!(
        r.stdout
            .lines()
            .skip(1)
            .all(|l| l.split_whitespace().nth(2) == Some("2")),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("sold 4 of 2"), "{}", r.stderr);
    // --schedule: one child reads everything first.
    let r = psh("procs 2 booth 2 --schedule 0,0,0,0,0,0,0");
    assert!(r.stderr.contains("per worker 2 0"), "{}", r.stderr);
    let r = psh("procs 2 zombie --seed 1; echo status $?");
    assert!(
        r.stdout.ends_with("status 2\n") && r.stderr.contains("every task but zombie"),
        "{}",
        r.stderr
    );
}
