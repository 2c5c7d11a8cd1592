//! The event engine (SPEC §5 "Truthful by construction"): the printed
//! lines, `--events`, the summary and the timeline of one run come from
//! the same events, so they agree — checked here on runs where they
//! could disagree (a race, wake-ups, a buffer, a semaphore).

use crate::common;
use common::*;

/// The number just before `key` in `text` (`sold 12 of` → 12 for "of").
fn number_before(text: &str, key: &str) -> u64 {
    text.split(key)
        .next()
        .and_then(|t| t.trim_end().rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{key}: {text}"))
}

fn per_worker(stderr: &str) -> Vec<u64> {
    stderr
        .split("per worker ")
        .nth(1)
        .and_then(|t| t.lines().next())
        .map(|t| {
            t.split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn lines_events_summary_and_timeline_agree() {
    for line in [
        "threads 4 booth 60 --events --timeline",
        "threads 4 booth 60 --nolock --events --timeline",
        "threads 4 booth 60 --atomic --events --timeline",
    ] {
        let r = psh(line);
        let sales = r.stdout.matches(":now left: ").count() as u64;
        // Every sale is one event and one line, in the same stream.
        let writes =
            r.stdout.matches(" write left=").count() + r.stdout.matches(" fetch_sub left=").count();
        assert_eq!(sales, writes as u64, "{line}:\n{}", r.stdout);
        assert_eq!(
            number_before(&r.stderr, " of 60"),
            sales,
            "{line}: {}",
            r.stderr
        );
        assert_eq!(
            per_worker(&r.stderr).iter().sum::<u64>(),
            sales,
            "{line}: {}",
            r.stderr
        );
        // Each worker's own lines are as many as its count.
        for (i, n) in per_worker(&r.stderr).iter().enumerate() {
            let mine = r
                .stdout
                .lines()
                .filter(|l| l.starts_with(&format!("{i} :now left: ")))
                .count();
            assert_eq!(mine as u64, *n, "{line}: T{i}:\n{}", r.stdout);
        }
        assert_eq!(
            r.stderr.matches(" thread ").count(),
            4,
            "{line}: {}",
            r.stderr
        );
    }
    // Wake-ups: the summary counts exactly the wake-up events shown.
    let r = psh("threads 3 cond 8 --notify-all --events --quiet");
    let shown = r.stdout.matches(" woken (relocked)").count() as u64;
    assert_eq!(
        number_before(&r.stderr, " wake-ups"),
        shown,
        "{}\n{}",
        r.stdout,
        r.stderr
    );
    let wasted = r.stdout.matches("a wasted wake-up").count() as u64;
    assert_eq!(number_before(&r.stderr, " wasted"), wasted, "{}", r.stderr);
    // A buffer: the items the lines show taken are the summary's.
    let r = psh("threads 3 bbuf 40 --size 2 --producers 2 --events");
    let took = r
        .stdout
        .lines()
        .filter(|l| l.starts_with('T') && l.contains(" took "))
        .count() as u64;
    assert_eq!(
        number_before(&r.stderr, " items through"),
        took,
        "{}",
        r.stderr
    );
    // A semaphore: the most inside is the largest count an event showed.
    let r = psh("threads 5 sema 3 40 --chore 1 --events --quiet");
    let most = r
        .stdout
        .lines()
        .filter_map(|l| {
            l.split(" in, ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    assert_eq!(
        number_before(&r.stderr, " inside at once"),
        most,
        "{}",
        r.stderr
    );
}
