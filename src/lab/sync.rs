//! psh's own counting semaphore and barrier (a mutex and a condition
//! variable each, as a course builds them), and the two tasks that check
//! them: `sema K ITEMS` (never more than K inside) and `barrier ROUNDS`
//! (nobody leaves a round before everyone arrived).  Threads only; every
//! wait gives up when the run is stopped.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::engine::{live_output, lock, sleep, spawn_join, stop_requested, wait_for, Out, Rng};
use super::events::{Ev, Run};
use super::{Options, Report};

/// How often a blocked worker looks at the stop flag.
const POLL: Duration = Duration::from_millis(20);

/// A counting semaphore: `acquire` waits while the count is 0.
pub(crate) struct Semaphore {
    count: Mutex<usize>,
    cv: Condvar,
}

impl Semaphore {
    pub(crate) fn new(k: usize) -> Semaphore {
        Semaphore {
            count: Mutex::new(k),
            cv: Condvar::new(),
        }
    }
    /// Take one unit; false when the run was stopped meanwhile.
    pub(crate) fn acquire(&self) -> bool {
        let mut g = lock(&self.count);
        while *g == 0 {
            if stop_requested() {
                return false;
            }
            g = wait_for(&self.cv, g, POLL);
        }
        *g -= 1;
        true
    }
    pub(crate) fn release(&self) {
        *lock(&self.count) += 1;
        self.cv.notify_one();
    }
}

/// A reusable barrier: the last of `n` to arrive starts the next
/// generation and wakes the others.
struct Barrier {
    state: Mutex<(usize, u64)>,
    cv: Condvar,
    n: usize,
}

impl Barrier {
    /// Some(true) for the last to arrive, Some(false) for the others;
    /// None when the run was stopped.
    fn wait(&self) -> Option<bool> {
        let mut g = lock(&self.state);
        let generation = g.1;
        g.0 += 1;
        if g.0 == self.n {
            g.0 = 0;
            g.1 += 1;
            self.cv.notify_all();
            return Some(true);
        }
        while g.1 == generation {
            if stop_requested() {
                return None;
            }
            g = wait_for(&self.cv, g, POLL);
        }
        Some(false)
    }
}

/// The chore a worker does inside, or a yield when there is none (so
/// others get a chance to be inside at the same time).
fn work(d: Duration) {
    if d.is_zero() {
        std::thread::yield_now();
    } else {
        sleep(d);
    }
}

/// `sema K ITEMS`: N workers take ITEMS items between them; each item is
/// handled inside a section a semaphore of K guards.
pub(crate) fn threads_sema(o: &Options, k: usize, items: u64) -> Result<Report, String> {
    let sem = Arc::new(Semaphore::new(k));
    let next = Arc::new(AtomicU64::new(0));
    let inside = Arc::new(AtomicUsize::new(0));
    let out = Arc::new(Mutex::new(Out::new(live_output(o.chore))));
    let run = Run::new(&out, o.quiet, o.events, o.timeline);
    let chore = o.chore;
    let inside2 = inside.clone();
    let res = spawn_join(o.n, move |i| {
        let mut t = run.tap('T', i);
        loop {
            let item = next.fetch_add(1, Ordering::Relaxed);
            if item >= items || stop_requested() {
                break;
            }
            t.ev(Ev::Acquire);
            if !sem.acquire() {
                break;
            }
            // Counted after the acquire and before the release: the count
            // can only pass K if the semaphore lets too many in.
            let now = inside2.fetch_add(1, Ordering::SeqCst) + 1;
            t.ev(Ev::In(now));
            t.ev(Ev::Inside(item + 1, now));
            work(chore);
            inside2.fetch_sub(1, Ordering::SeqCst);
            t.ev(Ev::Release);
            sem.release();
        }
        t.ev(Ev::End);
        t
    })?;
    lock(&out).flush();
    // The most inside at once, as the workers' events saw it.
    let most = res.iter().map(|t| t.peak).max().unwrap_or(0);
    let per_worker: Vec<u64> = res.iter().map(|t| t.count).collect();
    let total: u64 = per_worker.iter().sum();
    let ok = most <= k && (total == items || stop_requested());
    Ok(Report {
        names: Vec::new(),
        summary: format!(
            "{total} of {items} items through a semaphore of {k}: at most {most} inside at once ({})",
            if most <= k { format!("never above {k}") } else { format!("WRONG: above {k}") }
        ),
        per_worker,
        status: i32::from(!ok),
        events: res.into_iter().map(|t| t.states).collect(),
    })
}

/// `barrier ROUNDS`: each round every worker works a random while (up to
/// the chore), then waits at the barrier; after it, each checks that
/// every other worker had arrived at this round.
pub(crate) fn threads_barrier(o: &Options, rounds: u64) -> Result<Report, String> {
    let n = o.n;
    let bar = Arc::new(Barrier {
        state: Mutex::new((0, 0)),
        cv: Condvar::new(),
        n,
    });
    // The round each worker has arrived at (1-based; 0: none yet).
    let arrived: Arc<Vec<AtomicU64>> = Arc::new((0..n).map(|_| AtomicU64::new(0)).collect());
    let out = Arc::new(Mutex::new(Out::new(live_output(o.chore))));
    let run = Run::new(&out, o.quiet, o.events, o.timeline);
    let chore = if o.chore_given {
        o.chore
    } else {
        Duration::from_millis(1)
    };
    let res = spawn_join(n, move |i| {
        let mut t = run.tap('T', i);
        let mut rng = Rng::new(i as u64 + 1);
        for r in 1..=rounds {
            if stop_requested() {
                break;
            }
            t.ev(Ev::Run);
            // Uneven work, so some wait long at the barrier.
            let us = chore.as_micros() as u64;
            work(Duration::from_micros(rng.below(us + 1)));
            arrived[i].store(r, Ordering::SeqCst);
            t.ev(Ev::Arrive(r));
            let Some(last) = bar.wait() else { break };
            if (0..n).any(|w| arrived[w].load(Ordering::SeqCst) < r) {
                t.ev(Ev::LeftEarly(r));
            }
            t.ev(Ev::Leave(r));
            if last {
                t.ev(Ev::RoundDone(r, n));
            }
        }
        t.ev(Ev::End);
        t
    })?;
    lock(&out).flush();
    // What the events say: early leaves, the longest wait.
    let early: u64 = res.iter().map(|t| t.bad).sum();
    let longest = Duration::from_nanos(res.iter().map(|t| t.longest_wait_ns).max().unwrap_or(0));
    let per_worker: Vec<u64> = res.iter().map(|t| t.count).collect();
    Ok(Report {
        names: Vec::new(),
        summary: format!(
            "{rounds} rounds of {n} workers: {}; longest wait at the barrier {:.3} ms",
            if early == 0 {
                "nobody left a round before all had arrived".to_string()
            } else {
                format!("WRONG: {early} left a round early")
            },
            longest.as_secs_f64() * 1e3
        ),
        per_worker,
        status: i32::from(early > 0),
        events: res.into_iter().map(|t| t.states).collect(),
    })
}
