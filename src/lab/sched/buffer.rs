//! The step model of a buffer behind one mutex and condition variables,
//! for `--seed`/`--schedule` (`sched.rs` drives it): `bbuf` (K slots, P
//! producers, its `--if` and `--one-cv` bugs) and `cond` (an unbounded
//! queue, one producer, notify or notify_all).  `wait()` unlocks and
//! sleeps until a notify; a notify wakes the longest waiter (as a futex
//! queue does), notify_all every one; a woken thread must relock.

use std::collections::VecDeque;

use super::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Lock,
    Check,
    Wait,
    Asleep,
    Relock,
    Take,
    Put,
    Notify,
    Unlock,
    Done,
}

pub(crate) struct Buffer {
    consumers: usize,
    cap: Option<usize>,
    items: u64,
    notify_all: bool,
    if_bug: bool,
    one_cv: bool,
    /// `cond` rather than `bbuf` (its summary counts wake-ups).
    cond: bool,
    buf: VecDeque<u64>,
    produced: u64,
    taken: u64,
    mutex: Option<usize>,
    /// Waiters on not_empty (0) and not_full (1); one queue with --one-cv.
    queues: [VecDeque<usize>; 2],
    at: Vec<S>,
    leaving: Vec<bool>,
    held: Vec<Option<u64>>,
    done: Vec<u64>,
    wakeups: u64,
    wasted: u64,
    bug: Option<String>,
}

impl Buffer {
    /// `bbuf`: `consumers` then `producers` workers.
    pub(crate) fn bbuf(
        consumers: usize,
        producers: usize,
        size: usize,
        items: u64,
        if_bug: bool,
        one_cv: bool,
    ) -> Buffer {
        Buffer {
            cap: Some(size),
            if_bug,
            one_cv,
            ..Buffer::base(consumers, producers, items)
        }
    }
    /// `cond`: `consumers`, then the one producer, an unbounded queue.
    pub(crate) fn cond(consumers: usize, items: u64, notify_all: bool) -> Buffer {
        Buffer {
            notify_all,
            cond: true,
            ..Buffer::base(consumers, 1, items)
        }
    }
    /// The correct program, unbounded, notifying one waiter.
    fn base(consumers: usize, producers: usize, items: u64) -> Buffer {
        let n = consumers + producers;
        Buffer {
            consumers,
            cap: None,
            items,
            notify_all: false,
            if_bug: false,
            one_cv: false,
            cond: false,
            buf: VecDeque::new(),
            produced: 0,
            taken: 0,
            mutex: None,
            queues: [VecDeque::new(), VecDeque::new()],
            at: vec![S::Lock; n],
            leaving: vec![false; n],
            held: vec![None; n],
            done: vec![0; n],
            wakeups: 0,
            wasted: 0,
            bug: None,
        }
    }
    fn consumer(&self, w: usize) -> bool {
        w < self.consumers
    }
    /// The queue `w` waits in, and the one its notify wakes.
    fn queue_of(&self, w: usize) -> usize {
        usize::from(!self.consumer(w) && !self.one_cv)
    }
    fn other_queue(&self, w: usize) -> usize {
        usize::from(self.consumer(w) && !self.one_cv)
    }
    fn full(&self) -> bool {
        self.cap.is_some_and(|c| self.buf.len() >= c)
    }
    fn finished(&self) -> bool {
        self.taken >= self.items
    }
    fn wake(&mut self, q: usize, all: bool) {
        while let Some(w) = self.queues[q].pop_front() {
            self.at[w] = S::Relock;
            if !all {
                break;
            }
        }
    }
    /// A bug ends the run: everyone stops where they are.
    fn broken(&mut self, why: String) {
        self.bug = Some(why);
        for a in &mut self.at {
            *a = S::Done;
        }
    }
}

impl Model for Buffer {
    fn workers(&self) -> usize {
        self.at.len()
    }
    fn next(&self, w: usize) -> Option<&'static str> {
        Some(match self.at.get(w)? {
            S::Lock => "lock",
            S::Check => "check",
            S::Wait => "wait",
            S::Asleep => "(sleep)",
            S::Relock => "relock",
            S::Take => "take",
            S::Put => "put",
            S::Notify => "notify",
            S::Unlock => "unlock",
            S::Done => return None,
        })
    }
    fn can(&self, w: usize) -> bool {
        match self.at.get(w) {
            Some(S::Lock | S::Relock) => self.mutex.is_none(),
            Some(S::Asleep) => false,
            _ => true,
        }
    }
    fn take(&mut self, w: usize) -> Option<String> {
        let mut note = None;
        let consumer = self.consumer(w);
        let next = match *self.at.get(w)? {
            S::Lock => {
                self.mutex = Some(w);
                S::Check
            }
            S::Check => {
                let (end, wait) = if consumer {
                    (self.finished(), self.buf.is_empty())
                } else {
                    (self.produced >= self.items || self.finished(), self.full())
                };
                if end {
                    self.leaving[w] = true;
                    S::Unlock
                } else if wait {
                    S::Wait
                } else if consumer {
                    S::Take
                } else {
                    S::Put
                }
            }
            S::Wait => {
                self.mutex = None;
                let q = self.queue_of(w);
                self.queues[q].push_back(w);
                S::Asleep
            }
            S::Asleep => S::Asleep,
            S::Relock => {
                self.mutex = Some(w);
                self.wakeups += 1;
                if consumer && self.buf.is_empty() && !self.finished() {
                    self.wasted += 1;
                }
                match (self.if_bug, consumer) {
                    // `if`: straight on, without checking again.
                    (true, true) if !self.finished() => S::Take,
                    (true, false) if !self.finished() => S::Put,
                    _ => S::Check,
                }
            }
            S::Take => match self.buf.pop_front() {
                None => {
                    note = Some(format!("T{w} takes from an EMPTY buffer"));
                    self.broken(format!("T{w} took from an EMPTY buffer: it was woken, another consumer took the item first, and it did not check again (`if` where the rule is `while`)"));
                    return note;
                }
                Some(item) => {
                    self.taken += 1;
                    self.done[w] += 1;
                    self.held[w] = Some(item);
                    note = Some(format!("T{w} took {item}"));
                    if self.finished() {
                        // The last item: everyone still asleep may leave.
                        self.wake(0, true);
                        self.wake(1, true);
                    }
                    // cond's consumers notify nobody (its producer never waits).
                    if self.cond {
                        S::Unlock
                    } else {
                        S::Notify
                    }
                }
            },
            S::Put => {
                if self.full() {
                    note = Some(format!("T{w} puts into a FULL buffer"));
                    self.broken(format!("T{w} put an item into a full buffer: it was woken and did not check again (`if` where the rule is `while`)"));
                    return note;
                }
                self.produced += 1;
                self.done[w] += 1;
                self.held[w] = Some(self.produced);
                self.buf.push_back(self.produced);
                note = Some(format!(
                    "T{w} put {} ({} in the buffer)",
                    self.produced,
                    self.buf.len()
                ));
                S::Notify
            }
            S::Notify => {
                let q = self.other_queue(w);
                self.wake(q, self.notify_all);
                S::Unlock
            }
            S::Unlock => {
                self.mutex = None;
                if self.leaving[w] {
                    S::Done
                } else {
                    S::Lock
                }
            }
            S::Done => S::Done,
        };
        self.at[w] = next;
        note
    }
    fn shared_names(&self) -> Vec<String> {
        vec!["buf".into(), "lock".into()]
    }
    fn shared(&self) -> Vec<String> {
        vec![
            self.buf.len().to_string(),
            self.mutex.map_or("-".into(), |h| format!("T{h}")),
        ]
    }
    fn own(&self, w: usize) -> String {
        super::cell(&self.held, w)
    }
    fn legend(&self) -> &'static str {
        "items in the buffer, who holds the mutex; then each thread's last item"
    }
    fn stuck(&self) -> String {
        let asleep: Vec<String> = (0..self.at.len())
            .filter(|&w| self.at[w] == S::Asleep)
            .map(|w| format!("T{w}"))
            .collect();
        let why = if self.one_cv {
            "with one condition a notify can wake a thread of the same side — use two conditions (not_full, not_empty)"
        } else {
            "nobody is left to notify"
        };
        format!(
            "everyone asleep ({} wait on a condition, {} items in the buffer): {why}",
            asleep.join(" "),
            self.buf.len()
        )
    }
    fn summary(&self, stuck: bool) -> (String, i32) {
        let n = self.consumers;
        if self.cond {
            let how = if self.notify_all {
                "notify_all"
            } else {
                "notify_one"
            };
            return (
                format!("1 producer, {n} consumers, {} of {} items taken; {how}: {} wake-ups, {} wasted", self.taken, self.items, self.wakeups, self.wasted),
                i32::from(self.taken != self.items),
            );
        }
        let what = format!("{} of {} items taken", self.taken, self.items);
        match &self.bug {
            Some(b) => (format!("{what}: WRONG: {b}"), 1),
            None if stuck => (format!("{what}: WRONG: {}", self.stuck()), 1),
            None => (
                format!("{what}, each once"),
                i32::from(self.taken != self.items),
            ),
        }
    }
    fn per_worker(&self) -> Vec<u64> {
        self.done.clone()
    }
}
