//! `--seed S` and `--schedule LIST` for the threads booth: reproducible
//! interleavings.  The workers are real threads, but only one advances at
//! a time, by one named step (lock, read, write, print, unlock); the next
//! is picked by a PRNG seeded with S (or from the LIST, then round-robin)
//! among the workers that can move (one waiting for a lock another holds
//! cannot).  The output is a table in the manner of OSTEP's x86.py: a row
//! per step, a column per worker, the shared counter and each worker's own
//! copy — the same bytes for the same seed, on any machine.  Knows only
//! the booth.

use std::fmt::Write as _;
use std::sync::{Arc, Condvar, Mutex};

use super::engine::spawn_join;
use super::{Options, Report};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Lock,
    Read,
    Write,
    Print,
    Unlock,
    End,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Lock => "lock",
            Step::Read => "read",
            Step::Write => "write",
            Step::Print => "print",
            Step::Unlock => "unlock",
            Step::End => "end",
        }
    }
}

/// Where the picks come from.
#[derive(Debug, Clone)]
pub(crate) enum Picker {
    Seed(u64),
    Schedule(Vec<usize>),
}

struct Sched {
    /// Whose step it is (None: the run is over).
    turn: Option<usize>,
    next: Vec<Step>,
    done: Vec<bool>,
    holder: Option<usize>,
    left: u64,
    copies: Vec<Option<u64>>,
    rng: u64,
    schedule: Vec<usize>,
    picks: usize,
    rows: String,
    /// The same table with every value hidden as `?` (`--quiz`).
    masked: String,
    step_no: usize,
    sold: Vec<u64>,
    printed: Vec<u64>,
    locked: bool,
    /// `--step`: each row printed as it is taken, and the next worker
    /// asked for (a digit, Enter for the seeded choice, q to stop).
    step: bool,
    /// Where the printed part of `rows` ends (for `--step`).
    shown: usize,
    /// `q` at a `--step` question ended the run early.
    quit: bool,
}

impl Sched {
    /// `--step`: print the new rows, then ask who goes next; None: stop.
    fn ask(&mut self, proposed: Option<usize>) -> Option<usize> {
        let new = self.rows.get(self.shown..).unwrap_or("").to_string();
        self.shown = self.rows.len();
        let _ = crate::os::sys::out(&new);
        let p = proposed?;
        let can: Vec<String> = (0..self.next.len())
            .filter(|&w| self.runnable(w))
            .map(|w| format!("T{w} {}", self.next[w].name()))
            .collect();
        loop {
            crate::os::sys::err(&format!(
                "next? [{}] a digit, Enter for T{p}, q to stop: ",
                can.join(", ")
            ));
            let mut line = Vec::new();
            let mut b = [0u8; 1];
            while let Ok(1) = crate::os::sys::read_some(0, &mut b) {
                if b[0] == b'\n' {
                    break;
                }
                line.push(b[0]);
            }
            let t = String::from_utf8_lossy(&line).trim().to_string();
            if t.is_empty() {
                return Some(p);
            }
            if t == "q" {
                self.quit = true;
                return None;
            }
            match t.parse::<usize>() {
                Ok(w) if w < self.next.len() && self.runnable(w) => return Some(w),
                _ => crate::os::sys::err(&format!("T{t} cannot move now\n")),
            }
        }
    }

    fn runnable(&self, w: usize) -> bool {
        // One waiting for a lock another holds cannot move.
        let blocked = self.next[w] == Step::Lock && self.holder.is_some();
        !(self.done[w] || blocked)
    }

    /// The next worker: from the schedule while it lasts (a pick that
    /// cannot move is skipped), then the PRNG or round-robin.
    fn pick(&mut self, last: usize) -> Option<usize> {
        let n = self.next.len();
        let can: Vec<usize> = (0..n).filter(|&w| self.runnable(w)).collect();
        if can.is_empty() {
            return None;
        }
        while self.picks < self.schedule.len() {
            let w = self.schedule[self.picks];
            self.picks += 1;
            if can.contains(&w) {
                return Some(w);
            }
        }
        if self.rng == 0 {
            // Round-robin after an explicit schedule.
            return (1..=n).map(|k| (last + k) % n).find(|w| can.contains(w));
        }
        // xorshift64*
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33;
        can.get(r as usize % can.len()).copied()
    }

    /// Worker `w` takes its step; the table gets its row.
    fn take(&mut self, w: usize) {
        let step = self.next[w];
        let mut note = String::new();
        match step {
            Step::Lock => {
                self.holder = Some(w);
                self.next[w] = Step::Read;
            }
            Step::Read => {
                self.copies[w] = Some(self.left);
                self.next[w] = if self.left == 0 {
                    Step::End
                } else {
                    Step::Write
                };
            }
            Step::Write => {
                let c = self.copies[w].unwrap_or(0);
                self.left = c.saturating_sub(1);
                self.next[w] = Step::Print;
            }
            Step::Print => {
                let c = self.copies[w].unwrap_or(0).saturating_sub(1);
                self.sold[w] += 1;
                self.printed.push(c);
                note = format!("{w} :now left: {c}");
                self.next[w] = if self.locked {
                    Step::Unlock
                } else {
                    Step::Read
                };
            }
            Step::Unlock => {
                self.holder = None;
                self.next[w] = Step::Lock;
            }
            Step::End => {
                note = format!("Thread_id {w}  No more tickets");
                if self.holder == Some(w) {
                    self.holder = None;
                }
                self.done[w] = true;
            }
        }
        self.step_no += 1;
        let mut row = format!("{:>5} ", self.step_no);
        for k in 0..self.next.len() {
            let cell = if k == w { step.name() } else { "" };
            let _ = write!(row, " {cell:<7}");
        }
        let mut hidden = row.clone();
        let _ = write!(row, " {:>5}", self.left);
        let _ = write!(hidden, " {:>5}", "?");
        for c in &self.copies {
            match c {
                Some(v) => {
                    let _ = write!(row, " {v:>4}");
                    let _ = write!(hidden, " {:>4}", "?");
                }
                None => {
                    row.push_str("    -");
                    hidden.push_str("    -");
                }
            }
        }
        if !note.is_empty() {
            let _ = write!(row, "   {note}");
            let masked_note = match note.split_once(":now left: ") {
                Some((who, _)) => format!("{who}:now left: ?"),
                None => note.clone(),
            };
            let _ = write!(hidden, "   {masked_note}");
        }
        self.rows.push_str(&row);
        self.rows.push('\n');
        self.masked.push_str(&hidden);
        self.masked.push('\n');
    }
}

/// The booth, one step at a time by `picker`; the table on stdout.
pub(crate) fn threads_booth_scheduled(
    o: &Options,
    tickets: u64,
    picker: &Picker,
) -> Result<Report, String> {
    let n = o.n;
    let locked = !o.nolock;
    let first = if locked { Step::Lock } else { Step::Read };
    let (rng, schedule) = match picker {
        Picker::Seed(s) => (s.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1, Vec::new()),
        Picker::Schedule(v) => (0, v.clone()),
    };
    let mut head = format!("{:>5} ", "step");
    for k in 0..n {
        let _ = write!(head, " {:<7}", format!("T{k}"));
    }
    let _ = write!(head, " {:>5}", "left");
    for k in 0..n {
        let _ = write!(head, " {:>4}", format!("T{k}"));
    }
    head.push_str("   (shared left, then each thread's copy)\n");
    let mut s = Sched {
        turn: None,
        next: vec![first; n],
        done: vec![false; n],
        holder: None,
        left: tickets,
        copies: vec![None; n],
        rng,
        schedule,
        picks: 0,
        rows: head.clone(),
        masked: head,
        step_no: 0,
        sold: vec![0; n],
        printed: Vec::new(),
        locked,
        step: o.step,
        shown: 0,
        quit: false,
    };
    s.shown = s.rows.len();
    s.turn = s.pick(n - 1);
    if s.step {
        // The header first, then the first choice.
        s.shown = 0;
        let first = s.turn;
        s.turn = s.ask(first);
    }
    let shared = Arc::new((Mutex::new(s), Condvar::new()));
    let sh = shared.clone();
    // Each thread waits for its turn, takes one step, hands the turn on.
    spawn_join(n, move |me| {
        let (m, cv) = &*sh;
        let mut g = match m.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        loop {
            match g.turn {
                None => break,
                Some(t) if t == me => {
                    g.take(me);
                    g.turn = g.pick(me);
                    if g.step {
                        let proposed = g.turn;
                        g.turn = g.ask(proposed);
                    }
                    cv.notify_all();
                    if g.done[me] {
                        break;
                    }
                }
                Some(_) => {
                    g = match cv.wait(g) {
                        Ok(g) => g,
                        Err(p) => p.into_inner(),
                    }
                }
            }
            if super::engine::stop_requested() {
                g.turn = None;
                cv.notify_all();
                break;
            }
        }
    })?;
    let s = match shared.0.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    let write = |t: &str| crate::os::sys::out(t).map_err(|e| format!("write: {}", e.desc()));
    if o.quiz {
        write(&s.masked)?;
        write(
            "quiz: what are the values marked ? (the shared left, each copy, each line printed)?\n",
        )?;
        if crate::os::process::isatty(0) {
            write("press Enter for the answers ")?;
            let mut b = [0u8; 1];
            while let Ok(1) = crate::os::sys::read_some(0, &mut b) {
                if b[0] == b'\n' {
                    break;
                }
            }
        }
        write("answers:\n")?;
    }
    if s.step {
        // Printed as it went; the rest (the last row) now.
        write(s.rows.get(s.shown..).unwrap_or(""))?;
    } else {
        write(&s.rows)?;
    }
    let total: u64 = s.sold.iter().sum();
    let mut seen = std::collections::BTreeMap::new();
    for p in &s.printed {
        *seen.entry(*p).or_insert(0u32) += 1;
    }
    let repeated: Vec<String> = seen
        .iter()
        .filter(|(_, &c)| c > 1)
        .map(|(v, _)| v.to_string())
        .collect();
    let exact = total == tickets && repeated.is_empty();
    let how = match picker {
        Picker::Seed(s) => format!("seed {s}"),
        Picker::Schedule(_) => "the schedule given".to_string(),
    };
    let summary = if s.quit {
        format!(
            "stopped (q) after {} steps; {total} of {tickets} sold so far",
            s.step_no
        )
    } else if exact {
        format!(
            "sold {total} of {tickets}, each exactly once; {} steps picked by {how}",
            s.step_no
        )
    } else {
        format!(
            "sold {total} of {tickets}: WRONG — the lines `now left: {}` repeat (a lost update); {} steps picked by {how}",
            repeated.join("`, `"),
            s.step_no
        )
    };
    Ok(Report {
        summary,
        per_worker: s.sold.clone(),
        status: i32::from(!exact && !s.quit),
        events: Vec::new(),
    })
}
