//! `bbuf ITEMS [--size K] [--producers P] [--if] [--one-cv]`: a bounded
//! buffer of K slots between P producers and N consumers, the textbook
//! program: two condition variables and `while` re-checks.  `--if` and
//! `--one-cv` are its two classic bugs; the run shows what each does (a
//! consumer takes from an empty buffer; everyone asleep), names the rule
//! it broke and ends with status 1.  Waits are plain condition waits, as
//! in the textbook (a timed wait would hide the second bug): a watchdog
//! thread wakes everyone when the run is stopped or stuck.  Threads only.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::engine::{live_output, lock, plural, sleep, spawn_join, stop_requested, who, Out};
use super::events::{Ev, Run, Tap};
use super::{Options, Report};
use crate::os::trace;

struct Buf {
    slots: VecDeque<u64>,
    /// The next item to produce (1-based) and how many were taken.
    next: u64,
    taken: u64,
    /// Threads inside a condition wait now.
    waiting: usize,
    /// What went wrong, when it did; everyone then stops.
    bug: Option<String>,
    /// The run is over (done, stopped or broken): leave every wait.
    over: bool,
}

struct Shared {
    buf: Mutex<Buf>,
    not_full: Condvar,
    not_empty: Condvar,
    /// `--one-cv`: both sides wait on and notify `not_empty` only.
    one_cv: bool,
    if_bug: bool,
    items: u64,
    size: usize,
}

impl Shared {
    /// The condition a producer waits on.
    fn room(&self) -> &Condvar {
        if self.one_cv {
            &self.not_empty
        } else {
            &self.not_full
        }
    }
    /// A plain wait (no timeout), counted in `waiting`.
    fn wait<'a>(
        &self,
        cv: &Condvar,
        mut g: std::sync::MutexGuard<'a, Buf>,
    ) -> std::sync::MutexGuard<'a, Buf> {
        g.waiting += 1;
        g = match cv.wait(g) {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.waiting -= 1;
        g
    }
    fn end(&self, g: &mut Buf, bug: Option<String>) {
        if g.bug.is_none() {
            g.bug = bug;
        }
        g.over = true;
        self.not_full.notify_all();
        self.not_empty.notify_all();
    }
}

pub(crate) fn threads_bbuf(o: &Options, items: u64) -> Result<Report, String> {
    let sh = Arc::new(Shared {
        buf: Mutex::new(Buf {
            slots: VecDeque::with_capacity(o.size),
            next: 1,
            taken: 0,
            waiting: 0,
            bug: None,
            over: items == 0,
        }),
        not_full: Condvar::new(),
        not_empty: Condvar::new(),
        one_cv: o.one_cv,
        if_bug: o.if_bug,
        items,
        size: o.size,
    });
    let (consumers, producers) = (o.n, o.producers);
    let out = Arc::new(Mutex::new(Out::new(live_output(o.chore))));
    let stuck_after = Duration::from_millis(500) + o.chore * 4;
    let watchdog = start_watchdog(sh.clone(), consumers + producers, stuck_after)?;
    let sh2 = sh.clone();
    let run = Run::new(&out, o.quiet, o.events, o.timeline);
    let chore = o.chore;
    // Workers 0..N consume; the rest produce.
    let res = spawn_join(consumers + producers, move |i| {
        let mut t = run.tap('T', i);
        if i >= consumers {
            produce(&sh2, i, &mut t, chore);
        } else {
            consume(&sh2, i, &mut t, chore);
        }
        t.ev(Ev::End);
        t
    });
    {
        let mut g = lock(&sh.buf);
        sh.end(&mut g, None);
    }
    watchdog.thread().unpark();
    let _ = watchdog.join();
    trace::event("thread join watchdog");
    let res = res?;
    lock(&out).flush();
    let g = lock(&sh.buf);
    // What the consumers' events say they took.
    let taken: u64 = res.iter().take(consumers).map(|t| t.count).sum();
    let per_worker: Vec<u64> = res.iter().map(|t| t.count).collect();
    let what = format!(
        "{} through {}, {} ({}), {} ({})",
        plural(taken as usize, "item"),
        plural(o.size, "slot"),
        plural(producers, "producer"),
        who(consumers, consumers + producers - 1),
        plural(consumers, "consumer"),
        who(0, consumers - 1)
    );
    let (summary, status) = match &g.bug {
        Some(b) => (format!("{what}: WRONG: {b}"), 1),
        None if o.if_bug || o.one_cv => (
            format!("{what}: the bug did not show this run (it is a race: run it again, or with more items)"),
            0,
        ),
        None => (
            format!("{what}: every item taken once"),
            i32::from(taken != items && !stop_requested()),
        ),
    };
    Ok(Report {
        names: (0..consumers + producers)
            .map(|i| {
                if i < consumers {
                    format!("consumer {i}")
                } else {
                    format!("producer {i}")
                }
            })
            .collect(),
        summary,
        per_worker,
        status,
        events: res.into_iter().map(|t| t.states).collect(),
    })
}

fn produce(sh: &Shared, i: usize, t: &mut Tap, chore: Duration) {
    loop {
        t.ev(Ev::LockWait);
        let mut g = lock(&sh.buf);
        t.ev(Ev::LockGot);
        if g.over || g.next > sh.items {
            break;
        }
        while g.slots.len() == sh.size && !g.over {
            t.ev(Ev::WaitFull);
            g = sh.wait(sh.room(), g);
            t.ev(Ev::Held);
            if sh.if_bug {
                // `if`: waited once, goes on without checking again.
                break;
            }
        }
        if g.over || g.next > sh.items {
            break;
        }
        if g.slots.len() >= sh.size {
            let bug = format!("T{i} put an item into a full buffer: it was woken and did not check again (`if` where the rule is `while`: a woken thread must re-check its condition)");
            t.ev(Ev::IntoFull);
            sh.end(&mut g, Some(bug));
            break;
        }
        let item = g.next;
        g.next += 1;
        g.slots.push_back(item);
        t.ev(Ev::PutNotify(item));
        t.ev(Ev::Put(item, g.slots.len()));
        sh.not_empty.notify_one();
        t.ev(Ev::Unlock);
        drop(g);
        sleep(chore);
    }
}

fn consume(sh: &Shared, i: usize, t: &mut Tap, chore: Duration) {
    loop {
        t.ev(Ev::LockWait);
        let mut g = lock(&sh.buf);
        t.ev(Ev::LockGot);
        if g.over {
            break;
        }
        while g.slots.is_empty() && !g.over {
            t.ev(Ev::WaitEmpty);
            g = sh.wait(&sh.not_empty, g);
            t.ev(if g.slots.is_empty() {
                Ev::Wasted
            } else {
                Ev::Woken
            });
            t.ev(Ev::Held);
            if sh.if_bug {
                // `if`: waited once, goes on without checking again.
                break;
            }
        }
        if g.over {
            break;
        }
        let Some(item) = g.slots.pop_front() else {
            let bug = format!("T{i} took from an EMPTY buffer: it was woken, another consumer took the item first, and it did not check again (`if` where the rule is `while`)");
            t.ev(Ev::FromEmpty);
            sh.end(&mut g, Some(bug));
            break;
        };
        g.taken += 1;
        t.ev(Ev::TookNotify(item));
        t.ev(Ev::Took(item));
        if g.taken == sh.items {
            sh.end(&mut g, None);
        } else {
            sh.room().notify_one();
        }
        t.ev(Ev::Unlock);
        drop(g);
        sleep(chore);
    }
}

/// Wakes everyone when the run is stopped, and ends it when every thread
/// has been asleep on a condition with no progress for `stuck_after`
/// (`--one-cv`'s bug: a notify woke the wrong side).
fn start_watchdog(
    sh: Arc<Shared>,
    threads: usize,
    stuck_after: Duration,
) -> Result<std::thread::JoinHandle<()>, String> {
    let h = std::thread::Builder::new()
        .name("psh-lab-watchdog".into())
        .spawn(move || {
            let mut last = (u64::MAX, Instant::now());
            loop {
                std::thread::park_timeout(Duration::from_millis(20));
                let mut g = lock(&sh.buf);
                if g.over {
                    return;
                }
                if stop_requested() {
                    sh.end(&mut g, None);
                    return;
                }
                let progress = g.taken * 2 + g.next;
                if progress != last.0 || g.waiting < threads {
                    last = (progress, Instant::now());
                } else if last.1.elapsed() >= stuck_after {
                    let bug = format!("everyone asleep: all {threads} threads wait on the one condition and none is left to notify ({} items in the buffer): with one condition a notify can wake a thread of the same side — use two conditions (not_full, not_empty)", g.slots.len());
                    sh.end(&mut g, Some(bug));
                    return;
                }
            }
        })
        .map_err(|e| format!("cannot start the watchdog: {e}"))?;
    trace::event("thread spawn watchdog");
    Ok(h)
}
