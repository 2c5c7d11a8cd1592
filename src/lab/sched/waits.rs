//! The step models of the waiting tasks for `--seed`/`--schedule`
//! (`sched.rs` drives them): the semaphore, the barrier, the
//! reader-writer lock, and the buffer with its condition variables (the
//! bounded `bbuf` with its two bugs, and `cond`'s unbounded queue with one
//! producer).  A notify wakes the longest waiter, as a futex queue does.
//! No real locks here: the model's state is the lock.

use super::Model;

// ---- semaphore ------------------------------------------------------

pub(crate) struct Sema {
    k: usize,
    items: u64,
    next_item: u64,
    count: usize,
    inside: usize,
    most: usize,
    /// 0 next item, 1 acquire, 2 work, 3 release, 4 done.
    at: Vec<u8>,
    item: Vec<Option<u64>>,
    done: Vec<u64>,
}

impl Sema {
    pub(crate) fn new(n: usize, k: usize, items: u64) -> Sema {
        Sema {
            k,
            items,
            next_item: 1,
            count: k,
            inside: 0,
            most: 0,
            at: vec![0; n],
            item: vec![None; n],
            done: vec![0; n],
        }
    }
}

impl Model for Sema {
    fn workers(&self) -> usize {
        self.at.len()
    }
    fn next(&self, w: usize) -> Option<&'static str> {
        ["next", "acquire", "work", "release"]
            .get(usize::from(*self.at.get(w)?))
            .copied()
    }
    fn can(&self, w: usize) -> bool {
        self.at.get(w) != Some(&1) || self.count > 0
    }
    fn take(&mut self, w: usize) -> Option<String> {
        let mut note = None;
        self.at[w] = match *self.at.get(w)? {
            0 if self.next_item > self.items => 4,
            0 => {
                self.item[w] = Some(self.next_item);
                self.next_item += 1;
                1
            }
            1 => {
                self.count -= 1;
                self.inside += 1;
                self.most = self.most.max(self.inside);
                2
            }
            2 => {
                note = Some(format!(
                    "T{w} item {} inside: {}",
                    self.item[w].unwrap_or(0),
                    self.inside
                ));
                3
            }
            _ => {
                self.inside -= 1;
                self.count += 1;
                self.done[w] += 1;
                0
            }
        };
        note
    }
    fn shared_names(&self) -> Vec<String> {
        vec!["count".into(), "in".into()]
    }
    fn shared(&self) -> Vec<String> {
        vec![self.count.to_string(), self.inside.to_string()]
    }
    fn own(&self, w: usize) -> String {
        super::cell(&self.item, w)
    }
    fn legend(&self) -> &'static str {
        "the semaphore's count and who is inside, then each thread's item"
    }
    fn summary(&self, _stuck: bool) -> (String, i32) {
        let total: u64 = self.done.iter().sum();
        (
            format!(
                "{total} of {} items through a semaphore of {}: at most {} inside at once",
                self.items, self.k, self.most
            ),
            i32::from(self.most > self.k || total != self.items),
        )
    }
    fn per_worker(&self) -> Vec<u64> {
        self.done.clone()
    }
}

// ---- barrier --------------------------------------------------------

pub(crate) struct Barrier {
    rounds: u64,
    arrived: usize,
    generation: u64,
    /// 0 work, 1 arrive, 2 leave, 3 done.
    at: Vec<u8>,
    round: Vec<u64>,
    early: u64,
}

impl Barrier {
    pub(crate) fn new(n: usize, rounds: u64) -> Barrier {
        Barrier {
            rounds,
            arrived: 0,
            generation: 0,
            at: vec![if rounds == 0 { 3 } else { 0 }; n],
            round: vec![0; n],
            early: 0,
        }
    }
}

impl Model for Barrier {
    fn workers(&self) -> usize {
        self.at.len()
    }
    fn next(&self, w: usize) -> Option<&'static str> {
        ["work", "arrive", "leave"]
            .get(usize::from(*self.at.get(w)?))
            .copied()
    }
    fn can(&self, w: usize) -> bool {
        // Leaving waits for the generation this worker arrived in to end.
        self.at.get(w) != Some(&2) || self.generation >= self.round.get(w).copied().unwrap_or(0)
    }
    fn take(&mut self, w: usize) -> Option<String> {
        let n = self.at.len();
        let mut note = None;
        self.at[w] = match *self.at.get(w)? {
            0 => {
                self.round[w] += 1;
                1
            }
            1 => {
                self.arrived += 1;
                if self.arrived == n {
                    self.arrived = 0;
                    self.generation += 1;
                    note = Some(format!(
                        "round {}: all {n} arrived (T{w} last)",
                        self.round[w]
                    ));
                }
                2
            }
            _ => {
                if self.round.iter().any(|&r| r < self.round[w]) {
                    self.early += 1;
                }
                if self.round[w] >= self.rounds {
                    3
                } else {
                    0
                }
            }
        };
        note
    }
    fn shared_names(&self) -> Vec<String> {
        vec!["in".into(), "round".into()]
    }
    fn shared(&self) -> Vec<String> {
        vec![self.arrived.to_string(), self.generation.to_string()]
    }
    fn own(&self, w: usize) -> String {
        self.round.get(w).map_or("-".into(), u64::to_string)
    }
    fn legend(&self) -> &'static str {
        "arrived at the barrier and rounds done, then each thread's round"
    }
    fn summary(&self, _stuck: bool) -> (String, i32) {
        let n = self.at.len();
        if self.early == 0 {
            (
                format!(
                    "{} rounds of {n} workers: nobody left a round before all had arrived",
                    self.rounds
                ),
                0,
            )
        } else {
            (format!("WRONG: {} left a round early", self.early), 1)
        }
    }
    fn per_worker(&self) -> Vec<u64> {
        self.round.clone()
    }
}

// ---- reader-writer lock ----------------------------------------------

pub(crate) struct Rwlock {
    readers: usize,
    reads_left: u64,
    writes_left: u64,
    pair: (u64, u64),
    inside: usize,
    writer: Option<usize>,
    most: usize,
    /// 0 next, 1 lock, 2 read / write a, 3 unlock (reader) / write b,
    /// 4 unlock (writer), 5 done.
    at: Vec<u8>,
    seen: Vec<Option<u64>>,
    done: Vec<u64>,
    torn: u64,
}

impl Rwlock {
    pub(crate) fn new(readers: usize, writers: usize, items: u64) -> Rwlock {
        Rwlock {
            readers,
            reads_left: items,
            writes_left: if writers == 0 { 0 } else { (items / 10).max(1) },
            pair: (0, 0),
            inside: 0,
            writer: None,
            most: 0,
            at: vec![0; readers + writers],
            seen: vec![None; readers + writers],
            done: vec![0; readers + writers],
            torn: 0,
        }
    }
}

impl Model for Rwlock {
    fn workers(&self) -> usize {
        self.at.len()
    }
    fn next(&self, w: usize) -> Option<&'static str> {
        let names = if w < self.readers {
            ["next", "rlock", "read", "unlock", ""]
        } else {
            ["next", "wlock", "write a", "write b", "unlock"]
        };
        names.get(usize::from(*self.at.get(w)?)).copied()
    }
    fn can(&self, w: usize) -> bool {
        match self.at.get(w) {
            Some(1) if w < self.readers => self.writer.is_none(),
            Some(1) => self.writer.is_none() && self.inside == 0,
            _ => true,
        }
    }
    fn take(&mut self, w: usize) -> Option<String> {
        let reader = w < self.readers;
        let mut note = None;
        self.at[w] = match (*self.at.get(w)?, reader) {
            (0, true) if self.reads_left == 0 => 5,
            (0, false) if self.writes_left == 0 => 5,
            (0, true) => {
                self.reads_left -= 1;
                1
            }
            (0, false) => {
                self.writes_left -= 1;
                1
            }
            (1, true) => {
                self.inside += 1;
                self.most = self.most.max(self.inside);
                2
            }
            (1, false) => {
                self.writer = Some(w);
                2
            }
            (2, true) => {
                self.torn += u64::from(self.pair.0 != self.pair.1);
                self.seen[w] = Some(self.pair.0);
                note = Some(format!(
                    "T{w} R read {} ({} inside)",
                    self.pair.0, self.inside
                ));
                3
            }
            (2, false) => {
                self.pair.0 += 1;
                3
            }
            (3, true) => {
                self.inside -= 1;
                self.done[w] += 1;
                0
            }
            (3, false) => {
                self.pair.1 += 1;
                self.seen[w] = Some(self.pair.1);
                note = Some(format!("T{w} W wrote {}", self.pair.1));
                4
            }
            _ => {
                self.writer = None;
                self.done[w] += 1;
                0
            }
        };
        note
    }
    fn shared_names(&self) -> Vec<String> {
        ["a", "b", "rd", "wr"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
    fn shared(&self) -> Vec<String> {
        vec![
            self.pair.0.to_string(),
            self.pair.1.to_string(),
            self.inside.to_string(),
            self.writer.map_or("-".into(), |w| format!("T{w}")),
        ]
    }
    fn own(&self, w: usize) -> String {
        super::cell(&self.seen, w)
    }
    fn legend(&self) -> &'static str {
        "the pair a b, readers inside, the writer; then what each read or wrote"
    }
    fn summary(&self, _stuck: bool) -> (String, i32) {
        let (r, wr) = self.done.split_at(self.readers.min(self.done.len()));
        let (r, wr): (u64, u64) = (r.iter().sum(), wr.iter().sum());
        let ok = self.torn == 0;
        (
            format!(
                "{r} reads, {wr} writes: up to {} readers inside at once; {}",
                self.most,
                if ok {
                    "no reader saw a half-done write"
                } else {
                    "WRONG: a reader saw a half-done write"
                }
            ),
            i32::from(!ok),
        )
    }
    fn per_worker(&self) -> Vec<u64> {
        self.done.clone()
    }
}
