//! The step models of the lock-and-fork tasks for `--seed`/`--schedule`
//! (`sched.rs` drives them): the booth (with and without its lock), the
//! worker and the dining philosophers.  Each says what a worker's next
//! step is, whether it can happen now, and what it changes; they run on
//! the workers' own threads, one step at a time.  No real locks here: the
//! model's state is the lock.

use super::Model;
use crate::lab::Order;

// ---- booth ----------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum B {
    Lock,
    Read,
    Write,
    Print,
    Unlock,
    End,
    Done,
}

pub(crate) struct Booth {
    locked: bool,
    tickets: u64,
    next: Vec<B>,
    holder: Option<usize>,
    left: u64,
    copies: Vec<Option<u64>>,
    sold: Vec<u64>,
    printed: Vec<u64>,
}

impl Booth {
    pub(crate) fn new(n: usize, tickets: u64, locked: bool) -> Booth {
        Booth {
            locked,
            tickets,
            next: vec![if locked { B::Lock } else { B::Read }; n],
            holder: None,
            left: tickets,
            copies: vec![None; n],
            sold: vec![0; n],
            printed: Vec::new(),
        }
    }
}

impl Model for Booth {
    fn workers(&self) -> usize {
        self.next.len()
    }
    fn next(&self, w: usize) -> Option<&'static str> {
        Some(match self.next.get(w)? {
            B::Lock => "lock",
            B::Read => "read",
            B::Write => "write",
            B::Print => "print",
            B::Unlock => "unlock",
            B::End => "end",
            B::Done => return None,
        })
    }
    fn can(&self, w: usize) -> bool {
        // One waiting for a lock another holds cannot move.
        !(self.next.get(w) == Some(&B::Lock) && self.holder.is_some())
    }
    fn take(&mut self, w: usize) -> Option<String> {
        let step = *self.next.get(w)?;
        let mut note = None;
        let next = match step {
            B::Lock => {
                self.holder = Some(w);
                B::Read
            }
            B::Read => {
                self.copies[w] = Some(self.left);
                if self.left == 0 {
                    B::End
                } else {
                    B::Write
                }
            }
            B::Write => {
                self.left = self.copies[w].unwrap_or(0).saturating_sub(1);
                B::Print
            }
            B::Print => {
                let c = self.copies[w].unwrap_or(0).saturating_sub(1);
                self.sold[w] += 1;
                self.printed.push(c);
                note = Some(format!("{w} :now left: {c}"));
                if self.locked {
                    B::Unlock
                } else {
                    B::Read
                }
            }
            B::Unlock => {
                self.holder = None;
                B::Lock
            }
            B::End | B::Done => {
                note = Some(format!("Thread_id {w}  No more tickets"));
                if self.holder == Some(w) {
                    self.holder = None;
                }
                B::Done
            }
        };
        self.next[w] = next;
        note
    }
    fn shared_names(&self) -> Vec<String> {
        vec!["left".into()]
    }
    fn shared(&self) -> Vec<String> {
        vec![self.left.to_string()]
    }
    fn own(&self, w: usize) -> String {
        match self.copies.get(w) {
            Some(Some(v)) => v.to_string(),
            _ => "-".into(),
        }
    }
    fn legend(&self) -> &'static str {
        "shared left, then each thread's copy"
    }
    fn mask(&self, line: &str) -> String {
        match line.split_once(":now left: ") {
            Some((who, _)) => format!("{who}:now left: ?"),
            None => line.to_string(),
        }
    }
    fn summary(&self, _stuck: bool) -> (String, i32) {
        let total: u64 = self.sold.iter().sum();
        let mut seen = std::collections::BTreeMap::new();
        for p in &self.printed {
            *seen.entry(*p).or_insert(0u32) += 1;
        }
        let repeated: Vec<String> = seen
            .iter()
            .filter(|(_, &c)| c > 1)
            .map(|(v, _)| v.to_string())
            .collect();
        let t = self.tickets;
        if total == t && repeated.is_empty() {
            (format!("sold {total} of {t}, each exactly once"), 0)
        } else {
            (
                format!(
                    "sold {total} of {t}: WRONG — the lines `now left: {}` repeat (a lost update)",
                    repeated.join("`, `")
                ),
                1,
            )
        }
    }
    fn per_worker(&self) -> Vec<u64> {
        self.sold.clone()
    }
}

// ---- worker ---------------------------------------------------------

/// `worker`: lock, say who it is, unlock.
pub(crate) struct Worker {
    /// 0 lock, 1 print, 2 unlock, 3 done.
    at: Vec<u8>,
    holder: Option<usize>,
    order: Vec<usize>,
}

impl Worker {
    pub(crate) fn new(n: usize) -> Worker {
        Worker {
            at: vec![0; n],
            holder: None,
            order: Vec::new(),
        }
    }
}

impl Model for Worker {
    fn workers(&self) -> usize {
        self.at.len()
    }
    fn next(&self, w: usize) -> Option<&'static str> {
        ["lock", "print", "unlock"]
            .get(usize::from(*self.at.get(w)?))
            .copied()
    }
    fn can(&self, w: usize) -> bool {
        !(self.at.get(w) == Some(&0) && self.holder.is_some())
    }
    fn take(&mut self, w: usize) -> Option<String> {
        let at = self.at.get_mut(w)?;
        let note = match *at {
            0 => {
                self.holder = Some(w);
                None
            }
            1 => {
                self.order.push(w);
                // The pid and tid differ every run: a seeded table is the
                // same bytes everywhere, so it names the thread only.
                Some(format!("thread {w} (one pid for all; its own tid)"))
            }
            _ => {
                self.holder = None;
                None
            }
        };
        *at += 1;
        note
    }
    fn shared_names(&self) -> Vec<String> {
        vec!["lock".into()]
    }
    fn shared(&self) -> Vec<String> {
        vec![self.holder.map_or("-".into(), |h| format!("T{h}"))]
    }
    fn own(&self, w: usize) -> String {
        if self.order.contains(&w) {
            "said".into()
        } else {
            "-".into()
        }
    }
    fn legend(&self) -> &'static str {
        "who holds the print lock, then whether each has spoken"
    }
    fn summary(&self, _stuck: bool) -> (String, i32) {
        let order: Vec<String> = self.order.iter().map(|w| format!("T{w}")).collect();
        (
            format!(
                "{} threads spoke in the order {}",
                self.at.len(),
                order.join(" ")
            ),
            0,
        )
    }
}

// ---- philosophers ---------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum P {
    Think,
    Sit,
    First,
    Second,
    Eat,
    Put,
    Done,
}

pub(crate) struct Philo {
    order: Order,
    meals: u64,
    at: Vec<P>,
    eaten: Vec<u64>,
    /// Who holds each fork.
    forks: Vec<Option<usize>>,
    seats: usize,
}

impl Philo {
    pub(crate) fn new(n: usize, order: Order, meals: u64) -> Philo {
        Philo {
            order,
            meals,
            at: vec![if meals == 0 { P::Done } else { P::Think }; n],
            eaten: vec![0; n],
            forks: vec![None; n],
            seats: n.saturating_sub(1),
        }
    }
    /// `w`'s forks in the order it takes them.
    fn pair(&self, w: usize) -> (usize, usize) {
        let n = self.at.len();
        let (l, r) = (w, (w + 1) % n);
        if self.order == Order::Ordered {
            (l.min(r), l.max(r))
        } else {
            (l, r)
        }
    }
    fn wanted(&self, w: usize) -> Option<usize> {
        match self.at.get(w)? {
            P::First => Some(self.pair(w).0),
            P::Second => Some(self.pair(w).1),
            _ => None,
        }
    }
}

impl Model for Philo {
    fn workers(&self) -> usize {
        self.at.len()
    }
    fn next(&self, w: usize) -> Option<&'static str> {
        let (first, _) = self.pair(w);
        Some(match self.at.get(w)? {
            P::Think => "think",
            P::Sit => "sit",
            P::First if first == w => "take L",
            P::First => "take R",
            P::Second if self.order == Order::Trylock => "try R",
            P::Second if first == w => "take R",
            P::Second => "take L",
            P::Eat => "eat",
            P::Put => "put",
            P::Done => return None,
        })
    }
    fn can(&self, w: usize) -> bool {
        match self.at.get(w) {
            Some(P::Sit) => self.seats > 0,
            Some(P::Second) if self.order == Order::Trylock => true,
            Some(P::First | P::Second) => self
                .wanted(w)
                .and_then(|f| self.forks.get(f))
                .is_some_and(Option::is_none),
            _ => true,
        }
    }
    fn take(&mut self, w: usize) -> Option<String> {
        let (first, second) = self.pair(w);
        let mut note = None;
        let next = match *self.at.get(w)? {
            P::Think if self.order == Order::Waiter => P::Sit,
            P::Think => P::First,
            P::Sit => {
                self.seats -= 1;
                P::First
            }
            P::First => {
                self.forks[first] = Some(w);
                P::Second
            }
            P::Second if self.forks[second].is_some() => {
                // trylock: the right fork is taken; put the left one back.
                self.forks[first] = None;
                note = Some(format!("philosopher {w} puts fork{first} back"));
                P::Think
            }
            P::Second => {
                self.forks[second] = Some(w);
                P::Eat
            }
            P::Eat => {
                self.eaten[w] += 1;
                note = Some(format!("philosopher {w} eats (meal {})", self.eaten[w]));
                P::Put
            }
            P::Put | P::Done => {
                self.forks[first] = None;
                self.forks[second] = None;
                if self.order == Order::Waiter {
                    self.seats += 1;
                }
                if self.eaten[w] >= self.meals {
                    P::Done
                } else {
                    P::Think
                }
            }
        };
        self.at[w] = next;
        note
    }
    fn shared_names(&self) -> Vec<String> {
        vec!["forks".into()]
    }
    fn shared(&self) -> Vec<String> {
        // Who holds each fork: a digit, or `-` when it is on the table.
        vec![self
            .forks
            .iter()
            .map(|h| h.map_or('-', |w| char::from_digit(w as u32 % 10, 10).unwrap_or('?')))
            .collect()]
    }
    fn widths(&self) -> Vec<usize> {
        vec![self.at.len().max(5)]
    }
    fn own(&self, w: usize) -> String {
        self.eaten.get(w).map_or("-".into(), u64::to_string)
    }
    fn legend(&self) -> &'static str {
        "who holds each fork, then the meals each has eaten"
    }
    fn stuck(&self) -> String {
        // Everyone who can't move waits for a fork; follow the waits.
        let n = self.at.len();
        for start in 0..n {
            let mut path: Vec<(usize, usize)> = Vec::new();
            let mut w = start;
            while let Some(f) = self.wanted(w) {
                let Some(owner) = self.forks.get(f).copied().flatten() else {
                    break;
                };
                path.push((w, f));
                if owner == start {
                    return crate::lab::philo::show_cycle(&path);
                }
                if path.len() > n {
                    break;
                }
                w = owner;
            }
        }
        "no philosopher can move".into()
    }
    fn summary(&self, stuck: bool) -> (String, i32) {
        let ate: Vec<String> = self.eaten.iter().map(u64::to_string).collect();
        if stuck {
            (
                format!("deadlock: every philosopher holds one fork and waits for the next (meals eaten {})", ate.join(" ")),
                3,
            )
        } else {
            (
                format!(
                    "no deadlock: every philosopher ate all {} meals",
                    self.meals
                ),
                0,
            )
        }
    }
    fn per_worker(&self) -> Vec<u64> {
        self.eaten.clone()
    }
}
