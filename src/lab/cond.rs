//! `cond ITEMS`: one producer and N consumers on a condition variable
//! (`notify()` or `--notify-all`); counts wake-ups and wasted wake-ups.
//! Threads only (never forks).

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::engine::{sleep, spawn_join, stop_requested, Out, Recorder};
use super::timeline::State;
use super::{Options, Report};
use crate::os::trace;

struct Queue {
    items: std::collections::VecDeque<u64>,
    done: bool,
}

/// One producer and N consumers on a condition variable.  Each wake-up of
/// a consumer is counted; one that finds nothing to take is wasted.
pub(crate) fn threads_cond(o: &Options, items: u64) -> Result<Report, String> {
    let shared = Arc::new((
        Mutex::new(Queue {
            items: std::collections::VecDeque::new(),
            done: false,
        }),
        Condvar::new(),
    ));
    let out = Arc::new(Mutex::new(Out::new(super::engine::live_output(o.chore))));
    let (quiet, timeline, notify_all, chore) = (o.quiet, o.timeline, o.notify_all, o.chore);
    // The producer is one more thread beside the consumers.
    let steps = super::engine::Steps::new(o.events, &out);
    let producer = start_producer(
        shared.clone(),
        items,
        chore,
        notify_all,
        steps.clone(),
        timeline,
    )?;
    trace::event("thread spawn producer");
    let (sh, out2) = (shared.clone(), out.clone());
    let res = spawn_join(o.n, move |idx| {
        let (m, cv) = &*sh;
        let (mut got, mut wakeups, mut wasted) = (0u64, 0u64, 0u64);
        let mut rec = Recorder::new(timeline);
        let step = |what: std::fmt::Arguments<'_>| steps.step(format_args!("T{idx}"), what);
        rec.mark(State::Wait);
        step(format_args!("lock wait"));
        let mut q = match m.lock() {
            Ok(q) => q,
            Err(p) => p.into_inner(),
        };
        rec.mark(State::Lock);
        step(format_args!("lock got"));
        loop {
            if let Some(item) = q.items.pop_front() {
                got += 1;
                step(format_args!("took item {item}"));
                if !quiet {
                    if let Ok(mut w) = out2.lock() {
                        w.line(format_args!("consumer {idx} took item {item}"));
                    }
                }
                continue;
            }
            if q.done {
                break;
            }
            rec.mark(State::CondWait);
            step(format_args!("wait() (unlocks)"));
            q = match cv.wait(q) {
                Ok(q) => q,
                Err(p) => p.into_inner(),
            };
            wakeups += 1;
            let for_nothing = q.items.is_empty() && !q.done;
            if for_nothing {
                wasted += 1;
            }
            // The last wake-up (the queue is done) is neither.
            if for_nothing {
                rec.mark(State::Wasted);
                step(format_args!(
                    "woken (relocked): nothing there, a wasted wake-up"
                ));
            } else if !q.items.is_empty() {
                rec.mark(State::Woken);
                step(format_args!("woken (relocked)"));
            } else {
                step(format_args!("woken (relocked): the producer is done"));
            }
            rec.mark(State::Lock);
        }
        step(format_args!("unlock, end"));
        drop(q);
        rec.mark(State::Done);
        (got, wakeups, wasted, rec.events)
    });
    let joined = producer.join();
    trace::event("thread join producer");
    let res = res?;
    let producer_row = joined.map_err(|_| "the producer failed".to_string())?;
    if let Ok(mut w) = out.lock() {
        w.flush();
    }
    let per_worker: Vec<u64> = res.iter().map(|r| r.0).collect();
    let total: u64 = per_worker.iter().sum();
    let wakeups: u64 = res.iter().map(|r| r.1).sum();
    let wasted: u64 = res.iter().map(|r| r.2).sum();
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
            .map(|r| r.3)
            .chain(std::iter::once(producer_row))
            .collect(),
    })
}

type Shared = Arc<(Mutex<Queue>, Condvar)>;

/// The producer thread: puts items 1…`items` into the queue, notifying
/// one consumer (or all) after each, then marks the queue done.
fn start_producer(
    shared: Shared,
    items: u64,
    chore: Duration,
    notify_all: bool,
    steps: super::engine::Steps,
    timeline: bool,
) -> Result<std::thread::JoinHandle<Vec<super::timeline::Event>>, String> {
    std::thread::Builder::new()
        .name("psh-lab-producer".into())
        .spawn(move || {
            let mut rec = Recorder::new(timeline);
            for k in 1..=items {
                rec.mark(State::Sleep);
                sleep(chore);
                if stop_requested() {
                    break;
                }
                let (m, cv) = &*shared;
                rec.mark(State::Wait);
                if let Ok(mut q) = m.lock() {
                    rec.mark(State::Lock);
                    q.items.push_back(k);
                    steps.step(format_args!("P"), format_args!("put item {k}"));
                    // Stamped before the release, like every holder's.
                    rec.mark(State::Run);
                }
                if notify_all {
                    steps.step(format_args!("P"), format_args!("notify_all()"));
                    cv.notify_all();
                } else {
                    steps.step(format_args!("P"), format_args!("notify()"));
                    cv.notify_one();
                }
            }
            let (m, cv) = &*shared;
            if let Ok(mut q) = m.lock() {
                q.done = true;
            }
            cv.notify_all();
            rec.mark(State::Done);
            rec.events
        })
        .map_err(|e| format!("cannot start the producer: {e}"))
}
