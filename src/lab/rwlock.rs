//! `rwlock ITEMS [--writers W]`: N readers share ITEMS reads and W
//! writers share ITEMS/10 writes (at least one) of a pair of numbers on a
//! reader-writer lock (std's RwLock: a futex, writers preferred).  Writers
//! change the pair in two steps; a reader that saw them differ, or anyone
//! inside beside a writer, is an error.  Reports the most readers inside
//! at once and the longest wait of a writer.  Threads only.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use super::engine::{
    live_output, lock, plural, sleep, spawn_join, stop_requested, who, Out, Recorder, Steps,
};
use super::timeline::State;
use super::{Options, Report};

struct Counts {
    readers: AtomicUsize,
    writers: AtomicUsize,
    most_readers: AtomicUsize,
    bad: AtomicU64,
    writer_wait_ns: AtomicU64,
}

fn take(pool: &AtomicU64) -> bool {
    pool.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_sub(1))
        .is_ok()
}

pub(crate) fn threads_rwlock(o: &Options, items: u64) -> Result<Report, String> {
    let (readers, writers) = (o.n, o.writers);
    let writes = if writers == 0 { 0 } else { (items / 10).max(1) };
    let data = Arc::new(RwLock::new((0u64, 0u64)));
    let reads_left = Arc::new(AtomicU64::new(items));
    let writes_left = Arc::new(AtomicU64::new(writes));
    let c = Arc::new(Counts {
        readers: AtomicUsize::new(0),
        writers: AtomicUsize::new(0),
        most_readers: AtomicUsize::new(0),
        bad: AtomicU64::new(0),
        writer_wait_ns: AtomicU64::new(0),
    });
    let out = Arc::new(Mutex::new(Out::new(live_output(o.chore))));
    let steps = Steps::new(o.events, &out);
    let (quiet, timeline, chore) = (o.quiet, o.timeline, o.chore);
    let (c2, out2) = (c.clone(), out.clone());
    // Workers 0..readers read; the rest write.
    let res = spawn_join(readers + writers, move |i| {
        let mut rec = Recorder::new(timeline);
        let writer = i >= readers;
        let who = if writer { 'W' } else { 'R' };
        let step = |what: std::fmt::Arguments<'_>| steps.step(format_args!("T{i}"), what);
        let mut done = 0u64;
        let pool = if writer { &writes_left } else { &reads_left };
        while !stop_requested() && take(pool) {
            rec.mark(State::Wait);
            let t = Instant::now();
            if writer {
                step(format_args!("write lock (wait)"));
                let mut g = match data.write() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                c2.writer_wait_ns
                    .fetch_max(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                let others = c2.writers.fetch_add(1, Ordering::SeqCst);
                rec.mark(State::Lock);
                if others > 0 || c2.readers.load(Ordering::SeqCst) > 0 {
                    c2.bad.fetch_add(1, Ordering::Relaxed);
                }
                // Two steps: a reader inside now would see them differ.
                g.0 += 1;
                std::thread::yield_now();
                g.1 += 1;
                step(format_args!("wrote {}", g.0));
                if !quiet {
                    lock(&out2).line(format_args!("T{i} {who} wrote {}", g.0));
                }
                c2.writers.fetch_sub(1, Ordering::SeqCst);
                rec.mark(State::Run);
                drop(g);
                sleep(chore);
            } else {
                step(format_args!("read lock (wait)"));
                let g = match data.read() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                let now = c2.readers.fetch_add(1, Ordering::SeqCst) + 1;
                c2.most_readers.fetch_max(now, Ordering::SeqCst);
                rec.mark(State::Lock);
                if c2.writers.load(Ordering::SeqCst) > 0 || g.0 != g.1 {
                    c2.bad.fetch_add(1, Ordering::Relaxed);
                }
                step(format_args!("read {}, {now} readers inside", g.0));
                if !quiet {
                    lock(&out2).line(format_args!("T{i} {who} read {} ({now} inside)", g.0));
                }
                if chore.is_zero() {
                    std::thread::yield_now();
                } else {
                    sleep(chore);
                }
                c2.readers.fetch_sub(1, Ordering::SeqCst);
                rec.mark(State::Run);
                drop(g);
            }
            done += 1;
        }
        rec.mark(State::Done);
        (done, rec.events)
    })?;
    lock(&out).flush();
    let bad = c.bad.load(Ordering::Relaxed);
    let most = c.most_readers.load(Ordering::SeqCst);
    let wait = Duration::from_nanos(c.writer_wait_ns.load(Ordering::Relaxed));
    let per_worker: Vec<u64> = res.iter().map(|r| r.0).collect();
    let (r, w) = per_worker.split_at(readers.min(per_worker.len()));
    let (r_done, w_done): (u64, u64) = (r.iter().sum(), w.iter().sum());
    Ok(Report {
        names: (0..readers + writers)
            .map(|i| if i < readers { format!("reader {i}") } else { format!("writer {i}") })
            .collect(),
        summary: format!(
            "{r_done} reads by {} ({}), {w_done} writes by {}{}: up to {most} readers inside at once; {}; longest writer wait {:.3} ms",
            plural(readers, "reader"),
            who(0, readers - 1),
            plural(writers, "writer"),
            if writers > 0 { format!(" ({})", who(readers, readers + writers - 1)) } else { String::new() },
            if bad == 0 {
                "no one was inside beside a writer".to_string()
            } else {
                format!("WRONG: {bad} times someone was inside beside a writer")
            },
            wait.as_secs_f64() * 1e3
        ),
        per_worker,
        status: i32::from(bad > 0),
        events: res.into_iter().map(|r| r.1).collect(),
    })
}
