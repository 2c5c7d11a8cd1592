//! `philo [--order naive|ordered|trylock|waiter] [--meals M]`: N
//! philosophers, N forks (psh's own locks, each with its owner in a
//! table).  A watchdog thread reads the owner table and who waits for
//! which fork; when a cycle of waits has lasted 500 ms for every worker in
//! it, it prints the cycle, releases the workers, and the run ends with
//! status 3.  Threads only.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::engine::{live_output, lock, sleep, spawn_join, stop_requested, wait_for, Out, Rng};
use super::events::{Ev, Run, Tap};
use super::sync::Semaphore;
use super::timeline::now_ns;
use super::{Options, Order, Report};
use crate::os::{sys, trace};

/// How long every worker of a cycle must have waited before it is called
/// a deadlock.
const STUCK: Duration = Duration::from_millis(500);
const POLL: Duration = Duration::from_millis(20);

/// A cycle of waits: (philosopher, the fork it waits for), in order.
type Cycle = Vec<(usize, usize)>;

struct Table {
    /// Who holds each fork.
    owner: Vec<Mutex<Option<usize>>>,
    freed: Vec<Condvar>,
    /// The fork each philosopher waits for (fork + 1; 0: none) and since
    /// when (ns).
    waits: Vec<AtomicUsize>,
    since: Vec<AtomicU64>,
    /// Set by the watchdog: give up every wait, put the forks down.
    release: AtomicBool,
    finished: AtomicUsize,
}

impl Table {
    fn stop(&self) -> bool {
        self.release.load(Ordering::Relaxed) || stop_requested()
    }

    /// Take fork `f` for `me`; false when released or stopped meanwhile.
    fn take(&self, me: usize, f: usize, tap: &mut Tap) -> bool {
        let mut g = lock(&self.owner[f]);
        if let Some(o) = *g {
            self.since[me].store(now_ns(), Ordering::SeqCst);
            self.waits[me].store(f + 1, Ordering::SeqCst);
            tap.ev(Ev::ForkWait(f, o));
        }
        while g.is_some() {
            if self.stop() {
                self.waits[me].store(0, Ordering::SeqCst);
                return false;
            }
            g = wait_for(&self.freed[f], g, POLL);
        }
        *g = Some(me);
        self.waits[me].store(0, Ordering::SeqCst);
        tap.ev(Ev::ForkTake(f));
        true
    }

    fn try_take(&self, me: usize, f: usize) -> bool {
        let mut g = lock(&self.owner[f]);
        if g.is_some() {
            return false;
        }
        *g = Some(me);
        true
    }

    fn put(&self, f: usize) {
        *lock(&self.owner[f]) = None;
        self.freed[f].notify_all();
    }

    /// A cycle of waits in which everyone has waited at least STUCK:
    /// (philosopher, the fork it waits for) in order.
    fn cycle(&self) -> Option<Cycle> {
        let n = self.waits.len();
        let now = now_ns();
        let stuck = |w: usize| {
            let f = self.waits[w].load(Ordering::SeqCst);
            let since = self.since[w].load(Ordering::SeqCst);
            (f > 0 && now.saturating_sub(since) >= STUCK.as_nanos() as u64).then(|| f - 1)
        };
        let walk = |start: usize| {
            let mut path = Vec::new();
            let mut w = start;
            while path.len() <= n {
                let f = stuck(w)?;
                let owner = (*lock(&self.owner[f]))?;
                path.push((w, f));
                if owner == start {
                    return Some(path);
                }
                if path.iter().any(|&(p, _)| p == owner) {
                    return None;
                }
                w = owner;
            }
            None
        };
        (0..n).find_map(walk)
    }
}

/// The text of a cycle: `T0 holds fork0, waits fork1 → T1 holds fork1,
/// waits fork0 → T0`.
pub(crate) fn show_cycle(path: &[(usize, usize)]) -> String {
    let mut s = String::from("deadlock: ");
    for (k, &(w, f)) in path.iter().enumerate() {
        // What w holds is what the one before it waits for.
        let before = if k == 0 { path.len() - 1 } else { k - 1 };
        let held = path.get(before).map_or(f, |p| p.1);
        s.push_str(&format!("T{w} holds fork{held}, waits fork{f} → "));
    }
    s.push_str(&format!("T{}", path.first().map_or(0, |p| p.0)));
    s
}

pub(crate) fn threads_philo(o: &Options) -> Result<Report, String> {
    let n = o.n;
    let table = Arc::new(Table {
        owner: (0..n).map(|_| Mutex::new(None)).collect(),
        freed: (0..n).map(|_| Condvar::new()).collect(),
        waits: (0..n).map(|_| AtomicUsize::new(0)).collect(),
        since: (0..n).map(|_| AtomicU64::new(0)).collect(),
        release: AtomicBool::new(false),
        finished: AtomicUsize::new(0),
    });
    // Thinking, eating and the moment between two forks; 10 ms unless
    // --chore says: long enough that every naive philosopher holds a
    // left fork before anyone reaches for a right one.
    let pause = if o.chore_given {
        o.chore
    } else {
        Duration::from_millis(10)
    };
    let seats = Arc::new(Semaphore::new(n - 1));
    let out = Arc::new(Mutex::new(Out::new(live_output(pause))));
    let run = Run::new(&out, o.quiet, o.events, o.timeline);
    let watchdog = start_watchdog(table.clone())?;
    let t2 = table.clone();
    let (order, meals) = (o.order, o.meals);
    let res = spawn_join(n, move |i| {
        let t = &*t2;
        let mut tap = run.tap('T', i);
        let mut rng = Rng::new(i as u64 + 7);
        let (left, right) = (i, (i + 1) % n);
        let mut held: Vec<usize> = Vec::with_capacity(2);
        'meals: for meal in 1..=meals {
            tap.ev(Ev::Run);
            sleep(pause);
            if t.stop() {
                break;
            }
            let seated = order == Order::Waiter;
            if seated {
                tap.ev(Ev::Acquire);
                if !seats.acquire() {
                    break;
                }
            }
            let (first, second) = match order {
                Order::Ordered => (left.min(right), left.max(right)),
                _ => (left, right),
            };
            loop {
                if !t.take(i, first, &mut tap) {
                    break 'meals;
                }
                held.push(first);
                // Reaching for the other fork.
                sleep(pause);
                if order == Order::Trylock {
                    if t.try_take(i, second) {
                        tap.ev(Ev::ForkTake(second));
                        break;
                    }
                    tap.ev(Ev::ForkBack(first, second));
                    t.put(first);
                    held.clear();
                    // Back off a random while so the neighbours do not
                    // retry in step for ever.
                    sleep(Duration::from_micros(
                        rng.below(pause.as_micros() as u64 * 2 + 100),
                    ));
                    continue;
                }
                if !t.take(i, second, &mut tap) {
                    break 'meals;
                }
                break;
            }
            held.push(second);
            tap.ev(Ev::Eats(meal));
            sleep(pause);
            for f in held.drain(..) {
                t.put(f);
            }
            if seated {
                seats.release();
            }
            tap.ev(Ev::ForksDown);
        }
        for f in held.drain(..) {
            t.put(f);
        }
        t.finished.fetch_add(1, Ordering::SeqCst);
        tap.ev(Ev::End);
        tap
    });
    table.finished.store(n, Ordering::SeqCst);
    watchdog.thread().unpark();
    let cycle = watchdog
        .join()
        .map_err(|_| "the watchdog failed".to_string())?;
    trace::event("thread join watchdog");
    let res = res?;
    lock(&out).flush();
    let per_worker: Vec<u64> = res.iter().map(|t| t.count).collect();
    let events = res.into_iter().map(|t| t.states).collect();
    let ate: Vec<String> = per_worker.iter().map(u64::to_string).collect();
    let (summary, status) = match cycle {
        Some(c) => (
            format!(
                "deadlock: a cycle of {} philosophers, each holding one fork and waiting for the next; the watchdog released them (meals eaten {})",
                c.len(),
                ate.join(" ")
            ),
            3,
        ),
        None => {
            let all = per_worker.iter().all(|&m| m == meals);
            (
                format!(
                    "no deadlock: every philosopher ate {}{} (meals {})",
                    if all { "all " } else { "" },
                    if all { format!("{meals} meals") } else { "some meals".into() },
                    ate.join(" ")
                ),
                i32::from(!all && !stop_requested()),
            )
        }
    };
    Ok(Report {
        names: Vec::new(),
        summary,
        per_worker,
        status,
        events,
    })
}

/// The watchdog: looks for a lasting cycle of waits every POLL until
/// every philosopher has finished; prints it and releases them.
fn start_watchdog(table: Arc<Table>) -> Result<std::thread::JoinHandle<Option<Cycle>>, String> {
    let h = std::thread::Builder::new()
        .name("psh-lab-watchdog".into())
        .spawn(move || {
            let n = table.waits.len();
            let start = Instant::now();
            while table.finished.load(Ordering::SeqCst) < n && !stop_requested() {
                std::thread::park_timeout(POLL);
                if let Some(c) = table.cycle() {
                    sys::err(&format!(
                        "{} (found by the watchdog after {} ms; releasing everyone)\n",
                        show_cycle(&c),
                        start.elapsed().as_millis()
                    ));
                    table.release.store(true, Ordering::SeqCst);
                    return Some(c);
                }
            }
            None
        })
        .map_err(|e| format!("cannot start the watchdog: {e}"))?;
    trace::event("thread spawn watchdog");
    Ok(h)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cycle_reads_around() {
        assert_eq!(
            super::show_cycle(&[(0, 1), (1, 0)]),
            "deadlock: T0 holds fork0, waits fork1 → T1 holds fork1, waits fork0 → T0"
        );
    }
}
