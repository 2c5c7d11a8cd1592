//! `--seed S`, `--schedule LIST`, `--step`, `--quiz`: reproducible
//! interleavings for every task but zombie.  The workers are real
//! threads (or children, `procs.rs`), but only one advances at a time, by one named step of its task's
//! `Model` (lock, read, write, print, wait, notify, take a fork…); the
//! next is picked by a PRNG seeded with S (or from the LIST, then
//! round-robin) among the workers whose step can happen now (one waiting
//! for a lock another holds cannot).  The output is a table in the manner
//! of OSTEP's x86.py: a row per step, a column per worker, the shared
//! values and each worker's own copy — the same bytes for the same seed,
//! on any machine.  This file is the driver; each task's steps are a
//! `Model` in this folder: `locks.rs` (booth, worker, philosophers),
//! `waits.rs` (semaphore, barrier, reader-writer lock), `buffer.rs` (bbuf
//! and cond), `procs.rs` (real children, stepped over pipes).

use std::fmt::Write as _;
use std::sync::{Arc, Condvar, Mutex};

use super::engine::{lock, spawn_join, stop_requested};
use super::{Options, Report, Task};

mod buffer;
mod locks;
pub(crate) mod procs;
mod waits;

/// Where the picks come from.
#[derive(Debug, Clone)]
pub(crate) enum Picker {
    Seed(u64),
    Schedule(Vec<usize>),
}

/// A task as steps: the driver asks which steps can happen, lets one
/// happen, and prints what the model shows.
pub(crate) trait Model: Send {
    fn workers(&self) -> usize;
    /// The name of `w`'s next step (at most 7 characters); None: done.
    fn next(&self, w: usize) -> Option<&'static str>;
    /// Whether `w`'s next step can happen now.
    fn can(&self, w: usize) -> bool;
    /// Take `w`'s next step (called on worker `w`'s own thread); a line
    /// the program prints, if any.
    fn take(&mut self, w: usize) -> Option<String>;
    /// The shared values' headers, each right-aligned in its width.
    fn shared_names(&self) -> Vec<String>;
    fn shared(&self) -> Vec<String>;
    /// What each worker's own column shows (`-`: nothing yet).
    fn own(&self, w: usize) -> String;
    /// The header's explanation of the columns.
    fn legend(&self) -> &'static str;
    /// A printed line with its values hidden, for `--quiz`.
    fn mask(&self, line: &str) -> String {
        line.chars()
            .map(|c| if c.is_ascii_digit() { '?' } else { c })
            .collect()
    }
    /// No worker can move but some are not done: why (a deadlock, every
    /// thread asleep); the run ends there.
    fn stuck(&self) -> String {
        let who = if self.on_threads() {
            "thread"
        } else {
            "process"
        };
        format!("no {who} can move")
    }
    /// The summary and the status, after the run (`stuck` says whether it
    /// ended stuck).
    fn summary(&self, stuck: bool) -> (String, i32);
    /// What each worker did (sales, meals, items), for the summary line.
    fn per_worker(&self) -> Vec<u64> {
        Vec::new()
    }
    /// Whether the workers are this process's threads (false: processes,
    /// stepped from the calling thread).
    fn on_threads(&self) -> bool {
        true
    }
    /// `T` for threads, `P` for processes, in the column heads.
    fn label(&self) -> char {
        'T'
    }
    /// The width of each shared column.
    fn widths(&self) -> Vec<usize> {
        vec![VALUE; self.shared_names().len()]
    }
}

/// A worker's own column from a per-worker value (`-`: none yet).
pub(super) fn cell<T: ToString + Copy>(values: &[Option<T>], w: usize) -> String {
    values
        .get(w)
        .copied()
        .flatten()
        .map_or("-".into(), |v| v.to_string())
}

/// A table longer than this is cut (a livelock would never end).
const MAX_STEPS: usize = 100_000;
const CELL: usize = 7;
const VALUE: usize = 5;
const OWN: usize = 4;

struct Sched {
    model: Box<dyn Model>,
    /// Whose step it is (None: the run is over).
    turn: Option<usize>,
    rng: u64,
    schedule: Vec<usize>,
    picks: usize,
    rows: String,
    /// The same table with every value hidden as `?` (`--quiz`).
    masked: String,
    step_no: usize,
    /// `--step`: each row printed as it is taken, and the next worker
    /// asked for (a digit, Enter for the seeded choice, q to stop).
    step: bool,
    /// Where the printed part of `rows` ends (for `--step`).
    shown: usize,
    /// `q` at a `--step` question ended the run early.
    quit: bool,
    /// Why nobody could move, when that ended the run.
    stuck: Option<String>,
}

impl Sched {
    fn runnable(&self, w: usize) -> bool {
        self.model.next(w).is_some() && self.model.can(w)
    }

    /// `--step`: print the new rows, then ask who goes next; None: stop.
    fn ask(&mut self, proposed: Option<usize>) -> Option<usize> {
        let new = self.rows.get(self.shown..).unwrap_or("").to_string();
        self.shown = self.rows.len();
        let _ = crate::os::sys::out(&new);
        let p = proposed?;
        let can: Vec<String> = (0..self.model.workers())
            .filter(|&w| self.runnable(w))
            .map(|w| {
                format!(
                    "{}{w} {}",
                    self.model.label(),
                    self.model.next(w).unwrap_or("")
                )
            })
            .collect();
        loop {
            crate::os::sys::err(&format!(
                "next? [{}] a digit, Enter for {}{p}, q to stop: ",
                can.join(", "),
                self.model.label()
            ));
            // End of input takes the seeded choice, as Enter does.
            let t = crate::os::input::answer().unwrap_or_default();
            if t.is_empty() {
                return Some(p);
            }
            if t == "q" {
                self.quit = true;
                return None;
            }
            match t.parse::<usize>() {
                Ok(w) if w < self.model.workers() && self.runnable(w) => return Some(w),
                _ => crate::os::sys::err(&format!("T{t} cannot move now\n")),
            }
        }
    }

    /// The next worker: from the schedule while it lasts (a pick that
    /// cannot move is skipped), then the PRNG or round-robin.  None when
    /// nobody can move (done, or stuck).
    fn pick(&mut self, last: usize) -> Option<usize> {
        let n = self.model.workers();
        if self.step_no >= MAX_STEPS {
            self.stuck = None;
            self.quit = true;
            return None;
        }
        let can: Vec<usize> = (0..n).filter(|&w| self.runnable(w)).collect();
        if can.is_empty() {
            if (0..n).any(|w| self.model.next(w).is_some()) {
                let why = self.model.stuck();
                self.rows.push_str(&format!("stuck: {why}\n"));
                self.masked.push_str(&format!("stuck: {why}\n"));
                self.stuck = Some(why);
            }
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
        let name = self.model.next(w).unwrap_or("");
        let note = self.model.take(w);
        self.step_no += 1;
        let n = self.model.workers();
        let mut row = format!("{:>5} ", self.step_no);
        for k in 0..n {
            let cell = if k == w { name } else { "" };
            let _ = write!(row, " {cell:<CELL$}");
        }
        let mut hidden = row.clone();
        for (v, w) in self.model.shared().iter().zip(self.model.widths()) {
            let _ = write!(row, " {v:>w$}");
            let _ = write!(hidden, " {:>w$}", "?");
        }
        for k in 0..n {
            let own = self.model.own(k);
            let masked = if own == "-" { "-" } else { "?" };
            let _ = write!(row, " {own:>OWN$}");
            let _ = write!(hidden, " {masked:>OWN$}");
        }
        if let Some(note) = note {
            let _ = write!(row, "   {note}");
            let _ = write!(hidden, "   {}", self.model.mask(&note));
        }
        self.rows.push_str(&row);
        self.rows.push('\n');
        self.masked.push_str(&hidden);
        self.masked.push('\n');
    }
}

/// A task as steps, for `--seed`/`--schedule`.
pub(crate) fn model(o: &Options, task: &Task) -> Box<dyn Model> {
    let n = o.n;
    match *task {
        // zombie takes no --seed (args.rs): its children only exit.
        Task::Worker | Task::Zombie => Box::new(locks::Worker::new(n)),
        Task::Booth(t) => Box::new(locks::Booth::new(n, t, !o.nolock)),
        Task::Philo => Box::new(locks::Philo::new(n, o.order, o.meals)),
        Task::Cond(i) => Box::new(buffer::Buffer::cond(n, i, o.notify_all)),
        Task::Bbuf(i) => Box::new(buffer::Buffer::bbuf(
            n,
            o.producers,
            o.size,
            i,
            o.if_bug,
            o.one_cv,
        )),
        Task::Sema(k, i) => Box::new(waits::Sema::new(n, k, i)),
        Task::Barrier(r) => Box::new(waits::Barrier::new(n, r)),
        Task::Rwlock(i) => Box::new(waits::Rwlock::new(n, o.writers, i)),
    }
}

/// Run `model` one step at a time by `o.picker`; the table on stdout.
pub(crate) fn run_scheduled(o: &Options, model: Box<dyn Model>) -> Result<Report, String> {
    let n = model.workers();
    let Some(picker) = o.picker.clone() else {
        return Err("no --seed or --schedule".into());
    };
    let (rng, schedule) = match &picker {
        Picker::Seed(s) => (s.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1, Vec::new()),
        Picker::Schedule(v) => (0, v.clone()),
    };
    let mut head = format!("{:>5} ", "step");
    let label = model.label();
    for k in 0..n {
        let _ = write!(head, " {:<CELL$}", format!("{label}{k}"));
    }
    for (name, w) in model.shared_names().iter().zip(model.widths()) {
        let _ = write!(head, " {name:>w$}");
    }
    for k in 0..n {
        let _ = write!(head, " {:>OWN$}", format!("{label}{k}"));
    }
    let _ = writeln!(head, "   ({})", model.legend());
    let mut s = Sched {
        model,
        turn: None,
        rng,
        schedule,
        picks: 0,
        rows: head.clone(),
        masked: head,
        step_no: 0,
        step: o.step,
        shown: 0,
        quit: false,
        stuck: None,
    };
    s.shown = s.rows.len();
    s.turn = s.pick(n - 1);
    if s.step {
        // The header first, then the first choice.
        s.shown = 0;
        let first = s.turn;
        s.turn = s.ask(first);
    }
    if !s.model.on_threads() {
        // Processes: this thread lets one child take one step at a time.
        while let Some(w) = s.turn {
            s.take(w);
            s.turn = if stop_requested() { None } else { s.pick(w) };
            if s.step {
                let proposed = s.turn;
                s.turn = s.ask(proposed);
            }
        }
        return finish(o, &s, &picker);
    }
    let shared = Arc::new((Mutex::new(s), Condvar::new()));
    let sh = shared.clone();
    // Each thread waits for its turn, takes one step, hands the turn on.
    spawn_join(n, move |me| {
        let (m, cv) = &*sh;
        let mut g = lock(m);
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
                }
                Some(_) => {
                    g = match cv.wait(g) {
                        Ok(g) => g,
                        Err(p) => p.into_inner(),
                    }
                }
            }
            if stop_requested() {
                g.turn = None;
                cv.notify_all();
                break;
            }
        }
    })?;
    let s = lock(&shared.0);
    finish(o, &s, &picker)
}

/// The table, then the report.
fn finish(o: &Options, s: &Sched, picker: &Picker) -> Result<Report, String> {
    print_table(o, s)?;
    let how = match picker {
        Picker::Seed(v) => format!("seed {v}"),
        Picker::Schedule(_) => "the schedule given".to_string(),
    };
    let (summary, status) = s.model.summary(s.stuck.is_some());
    let summary = if s.quit {
        format!("stopped (q) after {} steps; {summary}", s.step_no)
    } else {
        format!("{summary}; {} steps picked by {how}", s.step_no)
    };
    let per_worker = s.model.per_worker();
    Ok(Report {
        names: Vec::new(),
        summary,
        per_worker,
        status: if s.quit { 0 } else { status },
        events: Vec::new(),
    })
}

fn print_table(o: &Options, s: &Sched) -> Result<(), String> {
    let write = |t: &str| crate::os::sys::out(t).map_err(|e| format!("write: {}", e.desc()));
    if o.quiz {
        write(&s.masked)?;
        write("quiz: what are the values marked ? (the shared values, each copy, each line printed)?\n")?;
        if crate::os::process::isatty(0) {
            write("press Enter for the answers ")?;
            let _ = crate::os::input::answer();
        }
        write("answers:\n")?;
    }
    if s.step {
        // Printed as it went; the rest (the last row) now.
        write(s.rows.get(s.shown..).unwrap_or(""))
    } else {
        write(&s.rows)
    }
}

/// `--seed`, `--schedule`, `--quiz`, `--step`: checked against the task
/// (threads only, at most 8 columns, at most 1000 of anything).
pub(crate) fn check(o: &mut Options) -> Result<(), String> {
    if o.step && o.picker.is_none() {
        // Enter takes the PRNG's choice: a seed it is.
        o.picker = Some(Picker::Seed(1));
    }
    if o.step && o.quiz {
        return Err("--step shows every value as it goes: not with --quiz".into());
    }
    if o.quiz && o.picker.is_none() {
        return Err(
            "--quiz goes with --seed S or --schedule LIST: it hides the values of their table"
                .into(),
        );
    }
    let Some(picker) = &o.picker else {
        return Ok(());
    };
    if o.atomic || o.course {
        return Err(
            "--seed and --schedule step through the booth with or without its lock: not --atomic or --course"
                .into(),
        );
    }
    if o.timeline || o.events || o.chore_given {
        return Err("--seed and --schedule print their own table: no --timeline, --events or --chore with them".into());
    }
    // Every thread of the task gets a column.
    let workers = match o.task {
        Task::Bbuf(_) => o.n + o.producers,
        Task::Rwlock(_) => o.n + o.writers,
        Task::Cond(_) => o.n + 1,
        _ => o.n,
    };
    if workers > 8 {
        return Err(format!(
            "--seed and --schedule show at most 8 threads side by side, not {workers}"
        ));
    }
    let steps = match o.task {
        Task::Booth(c) | Task::Cond(c) | Task::Bbuf(c) | Task::Sema(_, c) | Task::Rwlock(c) => c,
        Task::Barrier(c) => c,
        Task::Philo => o.meals,
        Task::Worker | Task::Zombie => 0,
    };
    if steps > 1000 {
        return Err(
            "--seed and --schedule step through at most 1000 tickets, items, rounds or meals"
                .into(),
        );
    }
    if let Picker::Schedule(list) = picker {
        if let Some(w) = list.iter().find(|&&w| w >= o.n) {
            return Err(format!(
                "--schedule names worker {w}, but there are {workers} (0 to {})",
                workers - 1
            ));
        }
    }
    Ok(())
}
