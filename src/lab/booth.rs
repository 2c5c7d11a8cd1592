//! `booth TICKETS`: the course's ticket booth.  Threads share a counter
//! under a mutex (or race on it with `--nolock`); processes get the
//! ticket numbers through a pipe from the parent (no shared memory, no
//! lock).  Every sale is counted independently of the printed lines.

use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use super::engine::{
    print_to, reap_all, sleep, spawn_join, stop_requested, Out, Recorder, Steps, PIPE_BUF,
};
use super::timeline::{Event, State};
use super::{Options, Report};
use crate::os::process::{self, Forked};
use crate::os::{signals, sys, trace};

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
    if let Ok(mut o) = out.lock() {
        o.flush();
    }
    let per_worker: Vec<u64> = res.iter().map(|r| r.0).collect();
    let total: u64 = per_worker.iter().sum();
    let exact = total == tickets;
    let ending = if ended.load(Ordering::Relaxed) {
        "; the first booth with none left ended the run (os._exit(0))"
    } else {
        ""
    };
    Ok(Report {
        summary: if exact {
            format!("sold {total} of {tickets}, each exactly once (under the lock){ending}")
        } else {
            format!("sold {total} of {tickets}: WRONG")
        },
        per_worker,
        status: i32::from(!exact),
        events: res.into_iter().map(|r| r.1).collect(),
    })
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
    if let Ok(mut o) = out.lock() {
        o.flush();
    }
    let per_worker: Vec<u64> = res.iter().map(|r| r.0).collect();
    let total: u64 = per_worker.iter().sum();
    let exact = total == tickets;
    Ok(Report {
        summary: if exact {
            format!(
                "sold {total} of {tickets}, each exactly once (atomic fetch-and-subtract, no lock)"
            )
        } else {
            format!("sold {total} of {tickets}: WRONG")
        },
        per_worker,
        status: i32::from(!exact),
        events: res.into_iter().map(|r| r.1).collect(),
    })
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

/// The booth with processes: the parent writes ticket numbers into a
/// pipe, the children read them (8-byte reads, atomic for a pipe), so
/// there is no shared memory and no lock, and every ticket is sold once.
pub(crate) fn procs_booth(o: &Options, tickets: u64) -> Result<Report, String> {
    let (tick_r, tick_w) = sys::pipe().map_err(|e| format!("pipe: {}", e.desc()))?;
    let (res_r, res_w) = sys::pipe().map_err(|e| format!("pipe: {}", e.desc()))?;
    trace::event(&format!(
        "pipe() → [{}, {}] tickets, [{}, {}] results",
        tick_r.raw(),
        tick_w.raw(),
        res_r.raw(),
        res_w.raw()
    ));
    let mut children = Vec::with_capacity(o.n);
    for i in 0..o.n {
        // Single-threaded here; the child runs only the loop below
        // and _exits.
        match process::fork() {
            Ok(Forked::Child) => {
                // A worker is an ordinary process: Ctrl-C, SIGTERM reach it.
                signals::reset_in_child();
                sys::close(tick_w.raw());
                sys::close(res_r.raw());
                let st = booth_child(i, tick_r.raw(), res_w.raw(), o);
                // Leave without the parent's destructors.
                process::exit_child(st)
            }
            Ok(Forked::Parent(child)) => {
                trace::event(&format!("fork → pid {child} (booth {i})"));
                children.push(child);
            }
            Err(e) => {
                drop(tick_w);
                reap_all(&children);
                return Err(format!("cannot fork booth {i}: {}", e.desc()));
            }
        }
    }
    drop(tick_r);
    drop(res_w);
    // Hand out the tickets, then close: the children see end of file.
    // Blocks of PIPE_BUF bytes are written whole, so the pipe always holds
    // whole 8-byte tickets and every 8-byte read gets one.
    if !o.shared {
        feed_tickets(tick_w.raw(), tickets);
    }
    drop(tick_w);
    // Collect what each child sold: (index, count, numbers…, events…).
    let mut raw = Vec::new();
    let _ = sys::read_to_end(res_r.raw(), &mut raw);
    drop(res_r);
    let statuses = reap_all(&children);
    let (seen, per_worker, events) = collect_sales(&raw, o.n, tickets)?;
    let total: u64 = per_worker.iter().sum();
    let once = seen.iter().skip(1).all(|&c| c == 1);
    let failed = statuses.iter().filter(|&&s| s != 0).count();
    let exact = total == tickets && once && failed == 0;
    Ok(Report {
        summary: if o.shared && failed == 0 {
            let every = per_worker.iter().all(|&s| s == tickets);
            format!(
                "sold {total} of {tickets}: {} from its own copy of the counter (fork copies memory; nothing is shared){}",
                if every { "each process sold every ticket" } else { "each process sold" },
                if total == tickets { "" } else { " — oversold" }
            )
        } else if exact {
            format!(
                "sold {total} of {tickets}, each exactly once (handed out through a pipe, no lock)"
            )
        } else {
            format!("sold {total} of {tickets}: WRONG ({failed} children failed)")
        },
        per_worker,
        status: i32::from(!exact),
        events,
    })
}

/// Write ticket numbers `tickets`…1 into the pipe, in blocks of at most
/// PIPE_BUF bytes so each write holds whole 8-byte tickets.  A pipe whose
/// readers are gone ends the feed.
fn feed_tickets(w: RawFd, tickets: u64) {
    let mut block = Vec::with_capacity(PIPE_BUF);
    for t in (1..=tickets).rev() {
        if t % 512 == 0 && stop_requested() {
            return;
        }
        block.extend_from_slice(&t.to_ne_bytes());
        if block.len() >= PIPE_BUF {
            if sys::write_all(w, &block).is_err() {
                return;
            }
            block.clear();
        }
    }
    let _ = sys::write_all(w, &block);
}

/// Per-ticket sale counts, sales per child and each child's events.
type Sales = (Vec<u8>, Vec<u64>, Vec<Vec<Event>>);

/// Decode the children's reports.
fn collect_sales(raw: &[u8], n: usize, tickets: u64) -> Result<Sales, String> {
    let mut seen = Vec::new();
    seen.try_reserve_exact(
        usize::try_from(tickets)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
    )
    .map_err(|_| format!("{tickets} tickets do not fit in memory"))?;
    seen.resize(usize::try_from(tickets).unwrap_or(0) + 1, 0u8);
    let mut per_worker = vec![0u64; n];
    let mut events: Vec<Vec<Event>> = vec![Vec::new(); n];
    // Chunks of (index, kind, n, n values): 0 = tickets sold, 1 = events
    // (time, state pairs).
    let mut words = raw
        .chunks_exact(8)
        .map(|c| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8])));
    while let (Some(idx), Some(kind), Some(n)) = (words.next(), words.next(), words.next()) {
        let idx = usize::try_from(idx).unwrap_or(usize::MAX);
        for _ in 0..n {
            let v = words.next().unwrap_or(0);
            match kind {
                0 => {
                    if let Some(s) = seen.get_mut(usize::try_from(v).unwrap_or(usize::MAX)) {
                        *s = s.saturating_add(1);
                    }
                    if let Some(p) = per_worker.get_mut(idx) {
                        *p += 1;
                    }
                }
                _ => {
                    if let Some(e) = events.get_mut(idx) {
                        e.push(Event {
                            at_ns: v >> 3,
                            state: State::from_u64(v & 7),
                        });
                    }
                }
            }
        }
    }
    Ok((seen, per_worker, events))
}

/// A booth process: read ticket numbers until end of file; then report
/// to the parent through the results pipe.
fn booth_child(idx: usize, tickets: RawFd, results: RawFd, o: &Options) -> i32 {
    let (quiet, timeline) = (o.quiet, o.timeline);
    let mut out = Out::shared(super::engine::live_output(o.chore));
    let mut sold: Vec<u64> = Vec::new();
    let mut rec = Recorder::new(timeline);
    let mut buf = [0u8; 8];
    // `--shared`: the counter as it was at fork, in this process's own
    // (copy-on-write) memory: no other process sees it change.
    let mut own_left = o.shared.then_some(match o.task {
        super::Task::Booth(t) => t,
        _ => 0,
    });
    loop {
        rec.mark(State::Wait);
        let t = if let Some(left) = own_left.as_mut() {
            if *left == 0 {
                break;
            }
            *left -= 1;
            *left + 1
        } else {
            // 8-byte reads from a pipe are atomic: one ticket each.
            if sys::read_some(tickets, &mut buf) != Ok(8) {
                break;
            }
            u64::from_ne_bytes(buf)
        };
        rec.mark(State::Run);
        sold.push(t);
        if !quiet {
            if o.shared {
                out.line(format_args!("{idx} :now left: {}", t - 1));
            } else {
                out.line(format_args!("{idx} :sold ticket {t}"));
            }
        }
        // `--chore` paces every booth process too.
        if !o.chore.is_zero() {
            rec.mark(State::Sleep);
        }
        sleep(o.chore);
    }
    if !quiet {
        out.line(format_args!("Process_id {idx}  No more tickets"));
    }
    out.flush();
    rec.mark(State::Done);
    // Several children report into one pipe: every chunk is one write of
    // at most PIPE_BUF bytes, so chunks never mix.
    let events: Vec<u64> = rec
        .events
        .iter()
        .map(|e| (e.at_ns << 3) | e.state as u64)
        .collect();
    let mut failed = false;
    for (kind, values) in [(0u64, &sold), (1u64, &events)] {
        for part in values.chunks(PIPE_BUF / 8 - 3) {
            let mut chunk = Vec::with_capacity(PIPE_BUF);
            for w in [idx as u64, kind, part.len() as u64].iter().chain(part) {
                chunk.extend_from_slice(&w.to_ne_bytes());
            }
            failed |= sys::write_all(results, &chunk).is_err();
        }
    }
    i32::from(failed)
}
