//! `procs N booth TICKETS`: the booth with processes.  The parent writes
//! the ticket numbers into a pipe and the children read them (no shared
//! memory, no lock); `--shared` instead gives each child the counter as it
//! was at fork, in its own memory.  Children report their sales and events
//! back through a second pipe.  Knows nothing of threads.

use std::os::fd::RawFd;

use super::engine::{reap_all, sleep, stop_requested, Out, PIPE_BUF};
use super::events::{Ev, Run};
use super::timeline::{Event, State};
use super::{Options, Report};
use crate::os::process::{self, Forked};
use crate::os::{signals, sys, trace};

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
    let t0 = super::timeline::now_ns();
    for i in 0..o.n {
        // Single-threaded here; the child runs only the loop below
        // and _exits.
        match process::fork() {
            Ok(Forked::Child) => {
                // A worker is an ordinary process: Ctrl-C, SIGTERM reach it.
                signals::reset_in_child();
                sys::close(tick_w.raw());
                sys::close(res_r.raw());
                let st = booth_child(i, tick_r.raw(), res_w.raw(), o, t0);
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
        names: Vec::new(),
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
fn booth_child(idx: usize, tickets: RawFd, results: RawFd, o: &Options, t0_ns: u64) -> i32 {
    // With --events the lines and the events share one live output, so
    // they come in the order this process made them.
    let live = super::engine::live_output(o.chore) || o.events;
    let out = std::sync::Arc::new(std::sync::Mutex::new(Out::shared(live)));
    let run = Run::new(&out, o.quiet, o.events, o.timeline)
        .since(t0_ns)
        .keep_values();
    let mut t = run.tap('P', idx);
    let mut buf = [0u8; 8];
    t.ev(Ev::Start(std::process::id()));
    // `--shared`: the counter as it was at fork, in this process's own
    // (copy-on-write) memory: no other process sees it change.
    let mut own_left = o.shared.then_some(match o.task {
        super::Task::Booth(t) => t,
        _ => 0,
    });
    loop {
        if let Some(left) = own_left.as_mut() {
            t.ev(Ev::OwnRead(*left));
            if *left == 0 {
                break;
            }
            *left -= 1;
            t.ev(Ev::OwnWrite(*left));
            t.ev(Ev::Sold(*left));
        } else {
            t.ev(Ev::ReadPipe);
            // 8-byte reads from a pipe are atomic: one ticket each.
            if sys::read_some(tickets, &mut buf) != Ok(8) {
                t.ev(Ev::EndOfFile);
                break;
            }
            let ticket = u64::from_ne_bytes(buf);
            t.ev(Ev::GotTicket(ticket));
            t.ev(Ev::SoldTicket(ticket));
        }
        // `--chore` paces every booth process too.
        if !o.chore.is_zero() {
            t.ev(Ev::Chore);
        }
        sleep(o.chore);
    }
    t.ev(Ev::ProcNoMore);
    t.ev(Ev::Exit);
    super::engine::lock(&out).flush();
    // Several children report into one pipe: every chunk is one write of
    // at most PIPE_BUF bytes, so chunks never mix.
    let events: Vec<u64> = t
        .states
        .iter()
        .map(|e| (e.at_ns << 3) | e.state as u64)
        .collect();
    let mut failed = false;
    // What it sold, as its events counted it.
    for (kind, values) in [(0u64, &t.values), (1u64, &events)] {
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
