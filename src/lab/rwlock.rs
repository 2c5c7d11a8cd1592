//! `rwlock ITEMS [--writers W]`: N readers share ITEMS reads and W
//! writers share ITEMS/10 writes (at least one) of a pair of numbers on a
//! reader-writer lock (std's RwLock: a futex, writers preferred).  Writers
//! change the pair in two steps; a reader that saw them differ, or anyone
//! inside beside a writer, is an error.  Reports the most readers inside
//! at once and the longest wait of a writer.  Threads only.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::engine::{live_output, lock, plural, sleep, spawn_join, stop_requested, who, Out};
use super::events::{Ev, Run};
use super::{Options, Report};

/// Who is inside now: the shared measurement the readers and writers
/// check on entering (a broken lock would show here).
struct Inside {
    readers: AtomicUsize,
    writers: AtomicUsize,
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
    let c = Arc::new(Inside {
        readers: AtomicUsize::new(0),
        writers: AtomicUsize::new(0),
    });
    let out = Arc::new(Mutex::new(Out::new(live_output(o.chore))));
    let run = Run::new(&out, o.quiet, o.events, o.timeline);
    let chore = o.chore;
    let c2 = c.clone();
    // Workers 0..readers read; the rest write.
    let res = spawn_join(readers + writers, move |i| {
        let mut t = run.tap('T', i);
        let writer = i >= readers;
        let pool = if writer { &writes_left } else { &reads_left };
        while !stop_requested() && take(pool) {
            if writer {
                t.ev(Ev::WLockWait);
                let mut g = match data.write() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                t.ev(Ev::LockGot);
                let others = c2.writers.fetch_add(1, Ordering::SeqCst);
                if others > 0 || c2.readers.load(Ordering::SeqCst) > 0 {
                    t.ev(Ev::Beside);
                }
                // Two steps: a reader inside now would see them differ.
                g.0 += 1;
                std::thread::yield_now();
                g.1 += 1;
                t.ev(Ev::Wrote(g.0));
                c2.writers.fetch_sub(1, Ordering::SeqCst);
                t.ev(Ev::Unlock);
                drop(g);
                sleep(chore);
            } else {
                t.ev(Ev::RLockWait);
                let g = match data.read() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                t.ev(Ev::LockGot);
                let now = c2.readers.fetch_add(1, Ordering::SeqCst) + 1;
                if c2.writers.load(Ordering::SeqCst) > 0 || g.0 != g.1 {
                    t.ev(Ev::Beside);
                }
                t.ev(Ev::ReadPair(g.0, now));
                if chore.is_zero() {
                    std::thread::yield_now();
                } else {
                    sleep(chore);
                }
                c2.readers.fetch_sub(1, Ordering::SeqCst);
                t.ev(Ev::Unlock);
                drop(g);
            }
        }
        t.ev(Ev::End);
        t
    })?;
    lock(&out).flush();
    // From the events: rules broken, readers inside at once, writer waits.
    let bad: u64 = res.iter().map(|t| t.bad).sum();
    let most = res.iter().map(|t| t.peak).max().unwrap_or(0);
    let wait = Duration::from_nanos(res.iter().map(|t| t.longest_wait_ns).max().unwrap_or(0));
    let per_worker: Vec<u64> = res.iter().map(|t| t.count).collect();
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
        events: res.into_iter().map(|t| t.states).collect(),
    })
}
