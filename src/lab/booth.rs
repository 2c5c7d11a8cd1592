//! `threads N booth TICKETS`: the course's ticket booth on threads.  A
//! counter under a mutex (the course's program, `--course` its pacing and
//! ending), without it (`--nolock`, a real race), or with one atomic
//! fetch-and-subtract (`--atomic`).  Every step is an event (`events.rs`):
//! the lines, the counts and the chart come from them.  The processes'
//! booth is `procs_booth.rs`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::engine::{lock, sleep, spawn_join, stop_requested, Out};
use super::events::{Ev, Run, Sink, Tap};
use super::{Options, Report};

struct Booth {
    left: u64,
}

/// The course's booth: a counter under a mutex; each sale prints
/// `TID :now left: N`, a booth that finds none left says so and ends.
pub(crate) fn threads_booth(o: &Options, tickets: u64) -> Result<Report, String> {
    let shared = Arc::new(Mutex::new(Booth { left: tickets }));
    // One output for the lines and the events: a sale prints under the
    // booth's lock, so in the order things happened.
    let out = Arc::new(Mutex::new(Out::new(super::engine::live_output(o.chore))));
    let run = Run::new(&out, o.quiet, o.events, o.timeline);
    let chore = o.chore;
    let sh = shared.clone();
    // `--course`: the first booth to find none left ends the whole run,
    // as the course's os._exit(0) does.
    let course = o.course;
    let ended = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ended2 = ended.clone();
    let res = spawn_join(o.n, move |tid| {
        let mut t = run.tap('T', tid);
        let end = &ended2;
        match t.silent() {
            Some(mut quiet) => sell(&mut quiet, &sh, course, end, chore),
            None => sell(&mut t, &sh, course, end, chore),
        }
        t
    })?;
    let how = if ended.load(Ordering::Relaxed) {
        "under the lock); the first booth with none left ended the run (os._exit(0)"
    } else {
        "under the lock"
    };
    Ok(report(&out, res, tickets, how))
}

/// One booth of `threads_booth`, its steps given to `t`: it sells until
/// none are left, or (`--course`) another booth found none.
fn sell<S: Sink>(
    t: &mut S,
    sh: &Mutex<Booth>,
    course: bool,
    ended: &std::sync::atomic::AtomicBool,
    chore: std::time::Duration,
) {
    while !stop_requested() {
        t.ev(Ev::LockWait);
        let mut b = lock(sh);
        // Stamped after the acquire …
        t.ev(Ev::LockGot);
        if course && ended.load(Ordering::Relaxed) {
            // The process has exited, in the course's program.
            t.ev(Ev::End);
            return;
        }
        let left = b.left;
        t.ev(Ev::Read(left));
        if left == 0 {
            t.ev(Ev::NoMore);
            if course {
                ended.store(true, Ordering::Relaxed);
            }
            // … and before the release: no time after an unlock is
            // ever drawn as holding the lock.
            t.ev(Ev::UnlockEnd);
            return;
        }
        b.left = left - 1;
        t.ev(Ev::Write(left - 1));
        t.ev(Ev::Sold(left - 1));
        sleep(chore);
        t.ev(Ev::Unlock);
        drop(b);
        if !chore.is_zero() {
            t.ev(Ev::Chore);
        }
        sleep(chore);
    }
    t.ev(Ev::End);
}

/// The report of a booth that sells each number once when it is right:
/// exact when every ticket was sold, `how` says what made it so.  Flushes
/// the run's output first.
fn report(out: &Mutex<Out>, res: Vec<Tap>, tickets: u64, how: &str) -> Report {
    lock(out).flush();
    let per_worker: Vec<u64> = res.iter().map(|t| t.count).collect();
    let total: u64 = per_worker.iter().sum();
    let exact = total == tickets;
    Report {
        names: Vec::new(),
        summary: if exact {
            format!("sold {total} of {tickets}, each exactly once ({how})")
        } else {
            format!("sold {total} of {tickets}: WRONG")
        },
        per_worker,
        status: i32::from(!exact),
        events: res.into_iter().map(|t| t.states).collect(),
    }
}

/// The booth with no lock and no race: one atomic fetch-and-subtract per
/// sale (a `lock`-prefixed instruction), so every number is sold once.
pub(crate) fn threads_booth_atomic(o: &Options, tickets: u64) -> Result<Report, String> {
    let left = Arc::new(AtomicU64::new(tickets));
    let out = Arc::new(Mutex::new(Out::new(super::engine::live_output(o.chore))));
    let run = Run::new(&out, o.quiet, o.events, o.timeline);
    let chore = o.chore;
    let l2 = left.clone();
    let res = spawn_join(o.n, move |tid| {
        let mut t = run.tap('T', tid);
        while !stop_requested() {
            // The one instruction is the "critical section".
            t.ev(Ev::LockGot);
            let prev = l2.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| v.checked_sub(1));
            let Ok(n) = prev else {
                t.ev(Ev::Run);
                t.ev(Ev::NoMore);
                break;
            };
            t.ev(Ev::FetchSub(n));
            t.ev(Ev::Run);
            t.ev(Ev::Sold(n - 1));
            sleep(chore);
        }
        t.ev(Ev::End);
        t
    })?;
    Ok(report(
        &out,
        res,
        tickets,
        "atomic fetch-and-subtract, no lock",
    ))
}

/// The same booth without the lock: a real read-modify-write race on a
/// shared counter (atomic loads and stores, so the race is the program's,
/// not undefined behaviour).  Every sale is recorded to report exactly what
/// went wrong.
pub(crate) fn threads_booth_nolock(o: &Options, tickets: u64) -> Result<Report, String> {
    let left = Arc::new(AtomicU64::new(tickets));
    let len = usize::try_from(tickets).map_err(|_| "too many tickets".to_string())? + 1;
    let mut counts = Vec::new();
    counts
        .try_reserve_exact(len)
        .map_err(|_| format!("{tickets} tickets do not fit in memory"))?;
    counts.resize(len, 0u8);
    let chore = o.chore;
    let l2 = left.clone();
    // One output for all: the lines come in the order they were printed
    // (its lock is taken only to print, after the unprotected write).
    let out = Arc::new(Mutex::new(Out::new(super::engine::live_output(chore))));
    let run = Run::new(&out, o.quiet, o.events, o.timeline).keep_values();
    let res = spawn_join(o.n, move |tid| {
        let mut t = run.tap('T', tid);
        while !stop_requested() {
            t.ev(Ev::Run);
            // read …
            let n = l2.load(Ordering::Relaxed);
            t.ev(Ev::Read(n));
            if n == 0 {
                t.ev(Ev::NoMore);
                break;
            }
            // … yield, where Python's interpreter may switch threads (the
            // course's program minus its lock) …
            t.ev(Ev::Yield);
            std::thread::yield_now();
            // … modify, write: another thread may have sold `n` meanwhile.
            l2.store(n - 1, Ordering::Relaxed);
            t.ev(Ev::Write(n - 1));
            t.ev(Ev::Sold(n - 1));
            t.ev(Ev::Run);
            sleep(chore);
        }
        t.ev(Ev::End);
        t
    })?;
    lock(&out).flush();
    // Counted by the numbers the lines print (`now left: n-1`).
    for v in res.iter().flat_map(|t| t.values.iter()) {
        if let Some(c) = counts.get_mut(*v as usize) {
            *c = c.saturating_add(1);
        }
    }
    let per_worker: Vec<u64> = res.iter().map(|t| t.count).collect();
    let total: u64 = per_worker.iter().sum();
    let (exact, summary) = nolock_verdict(&counts, total, tickets);
    Ok(Report {
        names: Vec::new(),
        summary,
        per_worker,
        status: i32::from(!exact),
        events: res.into_iter().map(|t| t.states).collect(),
    })
}

/// What an unlocked run really did, from the per-number
/// counts: (exact, the summary).
fn nolock_verdict(counts: &[u8], total: u64, tickets: u64) -> (bool, String) {
    let mut dup_numbers = 0u64;
    let mut extra = 0u64;
    let mut unsold = 0u64;
    let mut examples = Vec::new();
    // Index = the `left` value a sale printed (0 … tickets-1).
    let printed = usize::try_from(tickets).unwrap_or(usize::MAX);
    for (num, c) in counts.iter().enumerate().take(printed) {
        match *c {
            0 => unsold += 1,
            1 => {}
            k => {
                dup_numbers += 1;
                extra += u64::from(k) - 1;
                if examples.len() < 5 {
                    examples.push(num.to_string());
                }
            }
        }
    }
    let exact = total == tickets && dup_numbers == 0 && unsold == 0;
    let summary = if exact {
        format!("sold {total} of {tickets}, each exactly once — no race this time (try --chore 1)")
    } else {
        let mut s = format!("sold {total} of {tickets}: WRONG — ");
        let mut parts = Vec::new();
        if total > tickets {
            parts.push(format!("{} oversold", total - tickets));
        }
        if dup_numbers > 0 {
            parts.push(format!(
                "{dup_numbers} tickets sold more than once ({extra} extra sales; the lines `now left: {}` repeat)",
                examples.join("`, `")
            ));
        }
        if unsold > 0 {
            parts.push(format!("{unsold} never sold"));
        }
        s.push_str(&parts.join(", "));
        s
    };
    (exact, summary)
}
