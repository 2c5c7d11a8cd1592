//! `threads N booth TICKETS`: the course's ticket booth on threads.  A
//! counter under a mutex (the course's program, `--course` its pacing and
//! ending), without it (`--nolock`, a real race), or with one atomic
//! fetch-and-subtract (`--atomic`).  Every sale is counted independently
//! of the printed lines.  The processes' booth is `procs_booth.rs`.

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use super::engine::{print_to, sleep, spawn_join, stop_requested, Out, Recorder, Steps};
use super::timeline::{Event, State};
use super::{Options, Report};

struct Booth {
    left: u64,
}

/// The course's booth: a counter under a mutex; each sale prints
/// `TID :now left: N`, a booth that finds none left says so and ends.
pub(crate) fn threads_booth(o: &Options, tickets: u64) -> Result<Report, String> {
    let shared = Arc::new(Mutex::new(Booth { left: tickets }));
    // One output for the lines and the steps: printed under the booth's
    // lock when a sale prints, so in the order things happened.
    let out = Arc::new(Mutex::new(Out::new(super::engine::live_output(o.chore))));
    let steps = Steps::new(o.events, &out);
    let (chore, quiet, timeline, events) = (o.chore, o.quiet, o.timeline, o.events);
    let (sh, out2) = (shared.clone(), out.clone());
    // `--course`: the first booth to find none left ends the whole run,
    // as the course's os._exit(0) does.
    let course = o.course;
    let ended = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ended2 = ended.clone();
    let res = spawn_join(o.n, move |tid| {
        let mut sold = 0u64;
        let mut rec = Recorder::new(timeline);
        let step = |what: std::fmt::Arguments<'_>| steps.step(format_args!("T{tid}"), what);
        while !stop_requested() {
            rec.mark(State::Wait);
            if events {
                step(format_args!("lock wait"));
            }
            let mut b = match sh.lock() {
                Ok(b) => b,
                Err(p) => p.into_inner(),
            };
            // Stamped after the acquire …
            rec.mark(State::Lock);
            if events {
                step(format_args!("lock got"));
            }
            if course && ended2.load(Ordering::Relaxed) {
                // The process has exited, in the course's program.
                rec.mark(State::Done);
                drop(b);
                return (sold, rec.events);
            }
            let left = b.left;
            if events {
                step(format_args!("read left={left}"));
            }
            if left == 0 {
                if !quiet {
                    print_to(&out2, format_args!("Thread_id {tid}  No more tickets"));
                }
                if course {
                    ended2.store(true, Ordering::Relaxed);
                }
                // … and before the release: no time after an unlock is
                // ever drawn as holding the lock.
                rec.mark(State::Done);
                if events {
                    step(format_args!("unlock, end"));
                }
                drop(b);
                return (sold, rec.events);
            }
            b.left = left - 1;
            if events {
                step(format_args!("write left={}", left - 1));
            }
            sold += 1;
            if !quiet {
                print_to(&out2, format_args!("{tid} :now left: {}", left - 1));
            }
            sleep(chore);
            rec.mark(State::Run);
            if events {
                step(format_args!("unlock"));
            }
            drop(b);
            if !chore.is_zero() {
                rec.mark(State::Sleep);
            }
            sleep(chore);
        }
        rec.mark(State::Done);
        (sold, rec.events)
    })?;
    let how = if ended.load(Ordering::Relaxed) {
        "under the lock); the first booth with none left ended the run (os._exit(0)"
    } else {
        "under the lock"
    };
    Ok(report(&out, res, tickets, how))
}

/// The report of a booth that sells each number once when it is right:
/// exact when every ticket was sold, `how` says what made it so.  Flushes
/// the run's output first.
fn report(out: &Mutex<Out>, res: Vec<(u64, Vec<Event>)>, tickets: u64, how: &str) -> Report {
    if let Ok(mut o) = out.lock() {
        o.flush();
    }
    let per_worker: Vec<u64> = res.iter().map(|r| r.0).collect();
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
        events: res.into_iter().map(|r| r.1).collect(),
    }
}

/// The booth with no lock and no race: one atomic fetch-and-subtract per
/// sale (a `lock`-prefixed instruction), so every number is sold once.
pub(crate) fn threads_booth_atomic(o: &Options, tickets: u64) -> Result<Report, String> {
    let left = Arc::new(AtomicU64::new(tickets));
    let out = Arc::new(Mutex::new(Out::new(super::engine::live_output(o.chore))));
    let steps = Steps::new(o.events, &out);
    let (chore, quiet, timeline, events) = (o.chore, o.quiet, o.timeline, o.events);
    let (l2, out2) = (left.clone(), out.clone());
    let res = spawn_join(o.n, move |tid| {
        let mut sold = 0u64;
        let mut rec = Recorder::new(timeline);
        while !stop_requested() {
            rec.mark(State::Lock);
            let prev = l2.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| v.checked_sub(1));
            rec.mark(State::Run);
            let Ok(n) = prev else {
                if !quiet {
                    print_to(&out2, format_args!("Thread_id {tid}  No more tickets"));
                }
                break;
            };
            if events {
                steps.step(
                    format_args!("T{tid}"),
                    format_args!("fetch_sub left={n}→{}", n - 1),
                );
            }
            sold += 1;
            if !quiet {
                print_to(&out2, format_args!("{tid} :now left: {}", n - 1));
            }
            sleep(chore);
        }
        rec.mark(State::Done);
        (sold, rec.events)
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
    let mut counts_v = Vec::new();
    counts_v
        .try_reserve_exact(len)
        .map_err(|_| format!("{tickets} tickets do not fit in memory"))?;
    counts_v.resize_with(len, || AtomicU8::new(0));
    let counts: Arc<Vec<AtomicU8>> = Arc::new(counts_v);
    let (chore, quiet, timeline) = (o.chore, o.quiet, o.timeline);
    let (l2, c2) = (left.clone(), counts.clone());
    // One output for all: the lines come in the order they were printed
    // (the lock is taken only to print, after the unprotected write).
    let out = Arc::new(Mutex::new(Out::new(super::engine::live_output(chore))));
    let steps = Steps::new(o.events, &out);
    let events = o.events;
    let out2 = out.clone();
    let res = spawn_join(o.n, move |tid| {
        let mut sold = 0u64;
        let print = |args: std::fmt::Arguments<'_>| print_to(&out2, args);
        let step = |what: std::fmt::Arguments<'_>| steps.step(format_args!("T{tid}"), what);
        let mut rec = Recorder::new(timeline);
        while !stop_requested() {
            rec.mark(State::Run);
            // read …
            let n = l2.load(Ordering::Relaxed);
            if events {
                step(format_args!("read left={n}"));
            }
            if n == 0 {
                if !quiet {
                    print(format_args!("Thread_id {tid}  No more tickets"));
                }
                break;
            }
            rec.mark(State::Lock);
            // … yield, where Python's interpreter may switch threads (the
            // course's program minus its lock) …
            if events {
                step(format_args!("yield"));
            }
            std::thread::yield_now();
            // … modify, write: another thread may have sold `n` meanwhile.
            l2.store(n - 1, Ordering::Relaxed);
            if events {
                step(format_args!("write left={}", n - 1));
            }
            // Counted by the number the line prints (`now left: n-1`).
            if let Some(c) = c2.get(n as usize - 1) {
                let _ = c.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
                    Some(v.saturating_add(1))
                });
            }
            sold += 1;
            if !quiet {
                print(format_args!("{tid} :now left: {}", n - 1));
            }
            rec.mark(State::Run);
            sleep(chore);
        }
        rec.mark(State::Done);
        (sold, rec.events)
    })?;
    if let Ok(mut o) = out.lock() {
        o.flush();
    }
    let per_worker: Vec<u64> = res.iter().map(|r| r.0).collect();
    let total: u64 = per_worker.iter().sum();
    let (exact, summary) = nolock_verdict(&counts, total, tickets);
    Ok(Report {
        names: Vec::new(),
        summary,
        per_worker,
        status: i32::from(!exact),
        events: res.into_iter().map(|r| r.1).collect(),
    })
}

/// What an unlocked run really did, from the independent per-number
/// counts: (exact, the summary).
fn nolock_verdict(counts: &[AtomicU8], total: u64, tickets: u64) -> (bool, String) {
    let mut dup_numbers = 0u64;
    let mut extra = 0u64;
    let mut unsold = 0u64;
    let mut examples = Vec::new();
    // Index = the `left` value a sale printed (0 … tickets-1).
    let printed = usize::try_from(tickets).unwrap_or(usize::MAX);
    for (num, c) in counts.iter().enumerate().take(printed) {
        match c.load(Ordering::Relaxed) {
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
