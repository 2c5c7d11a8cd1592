//! `cond ITEMS`: one producer and N consumers on a condition variable
//! (`notify()` or `--notify-all`); counts wake-ups and wasted wake-ups.
//! Threads only (never forks).

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::engine::{lock, sleep, spawn_join, stop_requested, wait_for, Out};
use super::events::{Ev, Run, Tap};
use super::{Options, Report};
use crate::os::trace;

struct Queue {
    items: std::collections::VecDeque<u64>,
    done: bool,
    /// Consumers asleep on the condition now.
    waiting: usize,
}

/// One producer and N consumers on a condition variable.  Each wake-up of
/// a consumer is an event; one that finds nothing to take is wasted.
pub(crate) fn threads_cond(o: &Options, items: u64) -> Result<Report, String> {
    let shared = Arc::new((
        Mutex::new(Queue {
            items: std::collections::VecDeque::new(),
            done: false,
            waiting: 0,
        }),
        Condvar::new(),
        Condvar::new(),
    ));
    let out = Arc::new(Mutex::new(Out::new(super::engine::live_output(o.chore))));
    let run = Run::new(&out, o.quiet, o.events, o.timeline);
    // The producer is one more thread beside the consumers.
    let producer = start_producer(
        shared.clone(),
        o.n,
        items,
        o.chore,
        o.notify_all,
        run.tap('P', usize::MAX),
    )?;
    trace::event("thread spawn producer");
    let sh = shared.clone();
    let consumers = o.n;
    let res = spawn_join(o.n, move |idx| {
        let (m, cv, ready) = &*sh;
        let mut t = run.tap('T', idx);
        t.ev(Ev::LockWait);
        let mut q = lock(m);
        t.ev(Ev::LockGot);
        loop {
            if let Some(item) = q.items.pop_front() {
                t.ev(Ev::TookItem(item));
                t.ev(Ev::Consumed(item));
                continue;
            }
            if q.done {
                break;
            }
            t.ev(Ev::CondWait);
            q.waiting += 1;
            if q.waiting == consumers {
                ready.notify_one();
            }
            q = match cv.wait(q) {
                Ok(q) => q,
                Err(p) => p.into_inner(),
            };
            q.waiting -= 1;
            // The last wake-up (the queue is done) is neither taken nor
            // wasted.
            t.ev(if !q.items.is_empty() {
                Ev::Woken
            } else if q.done {
                Ev::WokenDone
            } else {
                Ev::Wasted
            });
            t.ev(Ev::Held);
        }
        t.ev(Ev::UnlockEnd);
        drop(q);
        t
    });
    let joined = producer.join();
    trace::event("thread join producer");
    let res = res?;
    let producer = joined.map_err(|_| "the producer failed".to_string())?;
    lock(&out).flush();
    let per_worker: Vec<u64> = res.iter().map(|t| t.count).collect();
    let total: u64 = per_worker.iter().sum();
    let wakeups: u64 = res.iter().map(|t| t.wakeups).sum();
    let wasted: u64 = res.iter().map(|t| t.wasted).sum();
    let how = if o.notify_all {
        "notify_all"
    } else {
        "notify_one"
    };
    Ok(Report {
        names: (0..o.n)
            .map(|i| format!("consumer {i}"))
            .chain(std::iter::once("producer".to_string()))
            .collect(),
        summary: format!("1 producer, {} consumers, {total} of {items} items taken; {how}: {wakeups} wake-ups, {wasted} wasted", o.n),
        per_worker,
        status: i32::from(total != items),
        events: res
            .into_iter()
            .chain(std::iter::once(producer))
            .map(|t| t.states)
            .collect(),
    })
}

/// The queue, the condition consumers wait on for items, and the one the
/// producer waits on for consumers (`consumers_in_place`).
type Shared = Arc<(Mutex<Queue>, Condvar, Condvar)>;

/// The producer thread: puts items 1…`items` into the queue, notifying
/// one consumer (or all) after each, then marks the queue done.
fn start_producer(
    shared: Shared,
    consumers: usize,
    items: u64,
    chore: Duration,
    notify_all: bool,
    mut t: Tap,
) -> Result<std::thread::JoinHandle<Tap>, String> {
    std::thread::Builder::new()
        .name("psh-lab-producer".into())
        .spawn(move || {
            let (m, cv, ready) = &*shared;
            consumers_in_place(m, ready, consumers);
            for k in 1..=items {
                t.ev(Ev::Chore);
                sleep(chore);
                if stop_requested() {
                    break;
                }
                t.ev(Ev::LockWait);
                let mut q = lock(m);
                t.ev(Ev::LockGot);
                q.items.push_back(k);
                t.ev(Ev::PutItem(k));
                // Stamped before the release, like every holder's.
                t.ev(Ev::Unlock);
                drop(q);
                if notify_all {
                    t.ev(Ev::NotifyAll);
                    cv.notify_all();
                } else {
                    t.ev(Ev::Notify);
                    cv.notify_one();
                }
            }
            lock(m).done = true;
            cv.notify_all();
            t.ev(Ev::End);
            t
        })
        .map_err(|e| format!("cannot start the producer: {e}"))
}

/// The producer's first item waits until every consumer is asleep on the
/// condition (at most 50 ms, and not past a Ctrl-C), so a run shows what
/// the task is about: a wait, then a notify that wakes it.  Started
/// first, the producer could put every item before a consumer existed
/// (12 runs of 200 on a loaded machine; a start gate shared with the
/// consumers still left 1 in 200, the consumers being runnable but not
/// running).
fn consumers_in_place(m: &Mutex<Queue>, ready: &Condvar, consumers: usize) {
    let deadline = std::time::Instant::now() + Duration::from_millis(50);
    let mut q = lock(m);
    while q.waiting < consumers && !stop_requested() {
        let now = std::time::Instant::now();
        if now >= deadline {
            return;
        }
        q = wait_for(ready, q, (deadline - now).min(Duration::from_millis(5)));
    }
}
