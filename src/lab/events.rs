//! The lab's event engine.  Every step a worker takes is one `Ev`, given
//! to its own `Tap` (no shared lock on the way): the tap stamps it once
//! (after an acquire, before a release: where the worker calls it), keeps
//! it for the timeline, prints it with `--events`, prints the line it
//! stands for (a sale, an item taken, a meal…) and counts it.  So the
//! lines, `--events`, the timeline and the counts the summaries are made
//! of all come from the same events and cannot disagree.  Knows no task's
//! rules, only what each event is called and how it is drawn.

use std::sync::{Arc, Mutex};

use super::engine::{lock, Out};
use super::timeline::{self, State};

/// One step of one worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ev {
    // Locks and shared counters.
    LockWait,
    LockGot,
    Read(u64),
    Write(u64),
    Yield,
    FetchSub(u64),
    Unlock,
    /// Unlock and leave.
    UnlockEnd,
    /// The chore's sleep begins; `Run`: running outside any lock;
    /// `Held`: holding the lock again (after a wake-up).
    Chore,
    Held,
    Run,
    End,
    // Lines the programs print (each is also counted).
    Sold(u64),
    NoMore,
    SoldTicket(u64),
    ProcNoMore,
    Consumed(u64),
    Took(u64),
    Put(u64, usize),
    Eats(u64),
    Inside(u64, usize),
    RoundDone(u64, usize),
    ReadPair(u64, usize),
    Wrote(u64),
    /// `thread I PID TID`, `process I PID TID`.
    SaysThread(u32, i64),
    SaysProcess(u32, i64),
    /// The two bugs of a bounded buffer, as they happen.
    IntoFull,
    FromEmpty,
    /// A worker left barrier round R before all had arrived.
    LeftEarly(u64),
    /// Someone was inside a reader-writer lock beside a writer.
    Beside,
    // Condition variables.
    CondWait,
    WaitEmpty,
    WaitFull,
    Woken,
    Wasted,
    WokenDone,
    PutItem(u64),
    Notify,
    NotifyAll,
    TookItem(u64),
    PutNotify(u64),
    TookNotify(u64),
    // Forks, semaphores, barriers, reader-writer locks.
    ForkWait(usize, usize),
    ForkTake(usize),
    ForkBack(usize, usize),
    ForksDown,
    Acquire,
    In(usize),
    Release,
    Arrive(u64),
    Leave(u64),
    RLockWait,
    WLockWait,
    // Processes.
    Start(u32),
    ReadPipe,
    GotTicket(u64),
    EndOfFile,
    OwnRead(u64),
    OwnWrite(u64),
    Printed,
    Exit,
}

impl Ev {
    /// What the worker is doing from this event on, for the timeline.
    #[inline]
    fn state(self) -> Option<State> {
        use Ev::*;
        Some(match self {
            LockWait | ForkWait(..) | ForkBack(..) | Acquire | RLockWait | WLockWait | ReadPipe => {
                State::Wait
            }
            LockGot | Held | In(_) | Read(_) | Eats(_) => State::Lock,
            Unlock | Run | Release | Leave(_) | ForksDown | GotTicket(_) | ForkTake(_)
            | OwnRead(_) => State::Run,
            Chore => State::Sleep,
            CondWait | WaitEmpty | WaitFull | Arrive(_) => State::CondWait,
            Woken => State::Woken,
            Wasted => State::Wasted,
            End | UnlockEnd | Exit | EndOfFile => State::Done,
            _ => return None,
        })
    }

    /// Whether this event is a line the program prints.
    #[inline(always)]
    fn is_line(self) -> bool {
        use Ev::*;
        matches!(
            self,
            Sold(_)
                | NoMore
                | SoldTicket(_)
                | ProcNoMore
                | Consumed(_)
                | Took(_)
                | Put(..)
                | Eats(_)
                | Inside(..)
                | RoundDone(..)
                | ReadPair(..)
                | Wrote(_)
                | SaysThread(..)
                | SaysProcess(..)
                | IntoFull
                | FromEmpty
                | LeftEarly(_)
                | Beside
        )
    }

    /// Hand the line this event stands for, as worker `i`, to `f`.
    fn with_line(self, i: usize, f: &mut dyn FnMut(std::fmt::Arguments<'_>)) {
        use Ev::*;
        match self {
            Sold(n) => f(format_args!("{i} :now left: {n}")),
            NoMore => f(format_args!("Thread_id {i}  No more tickets")),
            SoldTicket(t) => f(format_args!("{i} :sold ticket {t}")),
            ProcNoMore => f(format_args!("Process_id {i}  No more tickets")),
            Consumed(k) => f(format_args!("consumer {i} took item {k}")),
            Took(k) => f(format_args!("T{i} took {k}")),
            Put(k, n) => f(format_args!("T{i} put {k} ({n} in the buffer)")),
            Eats(m) => f(format_args!("philosopher {i} eats (meal {m})")),
            Inside(k, n) => f(format_args!("T{i} item {k} inside: {n}")),
            RoundDone(r, n) => f(format_args!("round {r}: all {n} arrived (T{i} last)")),
            ReadPair(v, n) => f(format_args!("T{i} R read {v} ({n} inside)")),
            Wrote(v) => f(format_args!("T{i} W wrote {v}")),
            SaysThread(p, t) => f(format_args!("thread {i} {p} {t}")),
            SaysProcess(p, t) => f(format_args!("process {i} {p} {t}")),
            IntoFull => f(format_args!("T{i} puts into a FULL buffer")),
            FromEmpty => f(format_args!("T{i} takes from an EMPTY buffer")),
            LeftEarly(r) => f(format_args!("T{i} left round {r} before all had arrived")),
            Beside => f(format_args!("T{i} was inside beside a writer")),
            _ => {}
        }
    }

    /// What `--events` says of it (None: a line, or a change of state
    /// only).
    fn text(self) -> Option<String> {
        use Ev::*;
        Some(match self {
            LockWait => "lock wait".into(),
            LockGot => "lock got".into(),
            Read(v) => format!("read left={v}"),
            Write(v) => format!("write left={v}"),
            Yield => "yield".into(),
            FetchSub(v) => format!("fetch_sub left={v}→{}", v.saturating_sub(1)),
            Unlock => "unlock".into(),
            UnlockEnd => "unlock, end".into(),
            End => "end".into(),
            CondWait => "wait() (unlocks)".into(),
            WaitEmpty => "buffer empty: wait()".into(),
            WaitFull => "buffer full: wait()".into(),
            Woken => "woken (relocked)".into(),
            Wasted => "woken (relocked): nothing there, a wasted wake-up".into(),
            WokenDone => "woken (relocked): the producer is done".into(),
            PutItem(k) => format!("put item {k}"),
            Notify => "notify()".into(),
            NotifyAll => "notify_all()".into(),
            TookItem(k) => format!("took item {k}"),
            PutNotify(k) => format!("put item {k}; notify()"),
            TookNotify(k) => format!("took item {k}; notify()"),
            ForkWait(f, o) => format!("waits fork{f} (T{o} has it)"),
            ForkTake(f) => format!("takes fork{f}"),
            ForkBack(f, s) => format!("fork{s} is taken: puts fork{f} back"),
            ForksDown => "puts both forks down".into(),
            Acquire => "acquire (wait)".into(),
            In(n) => format!("in, {n} inside"),
            Release => "release".into(),
            Arrive(r) => format!("arrives at round {r}"),
            Leave(r) => format!("leaves round {r}"),
            RLockWait => "read lock (wait)".into(),
            WLockWait => "write lock (wait)".into(),
            Start(pid) => format!("start, pid {pid}"),
            ReadPipe => "read the ticket pipe".into(),
            GotTicket(t) => format!("got ticket {t}"),
            EndOfFile => "end of file: no tickets left".into(),
            OwnRead(v) => format!("read own left={v}"),
            OwnWrite(v) => format!("write own left={v}"),
            Printed => "printed".into(),
            Exit => "exit".into(),
            _ => return None,
        })
    }

    /// A sale or an item handed over: what the summaries count.
    #[inline(always)]
    fn counts(self) -> bool {
        use Ev::*;
        matches!(
            self,
            Sold(_)
                | SoldTicket(_)
                | Consumed(_)
                | Took(_)
                | Put(..)
                | Eats(_)
                | Inside(..)
                | ReadPair(..)
                | Wrote(_)
                | Leave(_)
        )
    }
}

/// What every tap of a run shares: where lines and events go, and what
/// the run asked for.
#[derive(Clone)]
pub(crate) struct Run {
    out: Arc<Mutex<Out>>,
    quiet: bool,
    events: bool,
    timeline: bool,
    /// Keep the value of every sale (to name repeated numbers).
    values: bool,
    t0_ns: u64,
}

impl Run {
    pub(crate) fn new(out: &Arc<Mutex<Out>>, quiet: bool, events: bool, timeline: bool) -> Run {
        Run {
            out: out.clone(),
            quiet,
            events,
            timeline,
            values: false,
            t0_ns: timeline::now_ns(),
        }
    }
    /// Keep every sale's number (`--nolock` names the repeated ones).
    pub(crate) fn keep_values(mut self) -> Run {
        self.values = true;
        self
    }
    /// Times counted from `t0_ns` (a forked worker counts from the
    /// parent's start: the monotonic clock is the same in every process).
    pub(crate) fn since(mut self, t0_ns: u64) -> Run {
        self.t0_ns = t0_ns;
        self
    }
    /// The tap of worker `i`, named `T3` / `P3` in `--events` (`P` alone
    /// for cond's producer: `i` = usize::MAX).
    pub(crate) fn tap(&self, label: char, i: usize) -> Tap {
        Tap {
            plain: !self.timeline && !self.events,
            run: self.clone(),
            label,
            i,
            states: Vec::new(),
            count: 0,
            values: Vec::new(),
            wakeups: 0,
            wasted: 0,
            peak: 0,
            bad: 0,
            longest_wait_ns: 0,
            wait_from: 0,
        }
    }
}

/// A worker's end of the engine.
pub(crate) struct Tap {
    run: Run,
    /// Nothing to draw or print but the lines: `--timeline` and
    /// `--events` are off.
    plain: bool,
    label: char,
    i: usize,
    /// The timeline's record (with `--timeline`).
    pub(crate) states: Vec<timeline::Event>,
    /// Sales or items, counted from the events.
    pub(crate) count: u64,
    /// The numbers sold (with `keep_values`).
    pub(crate) values: Vec<u64>,
    /// Wake-ups from a condition wait, and those that found nothing.
    pub(crate) wakeups: u64,
    pub(crate) wasted: u64,
    /// The most inside at once this worker saw on entering.
    pub(crate) peak: usize,
    /// Rules seen broken (left a barrier early, beside a writer).
    pub(crate) bad: u64,
    /// The longest wait at a barrier or for a write lock, and since when
    /// this worker waits (0: it does not).
    pub(crate) longest_wait_ns: u64,
    wait_from: u64,
}

/// Enough events to draw a chart; beyond this a worker stops recording.
const MAX_STATES: usize = 200_000;

/// Where a worker's steps go: its `Tap`, or `Silent` — the same tap in a
/// run that draws and prints nothing (`--quiet`, no `--events`, no
/// `--timeline`), where each step folds down to its count.  A task's
/// worker is written once, generic over the sink, and `Tap::silent`
/// picks the sink for the whole run (not per step: the booth's hot loop
/// took ~50 more instructions per sale than a bare Rust one).
pub(crate) trait Sink {
    fn ev(&mut self, e: Ev);
}

impl Sink for Tap {
    #[inline(always)]
    fn ev(&mut self, e: Ev) {
        self.step::<false>(e)
    }
}

/// A tap known to draw and print nothing.
pub(crate) struct Silent<'a>(&'a mut Tap);

impl Sink for Silent<'_> {
    #[inline(always)]
    fn ev(&mut self, e: Ev) {
        self.0.step::<true>(e)
    }
}

impl Tap {
    /// This tap as a `Silent` sink, when the run draws and prints
    /// nothing.
    pub(crate) fn silent(&mut self) -> Option<Silent<'_>> {
        (self.plain && self.run.quiet).then_some(Silent(self))
    }

    /// Worker `i` took step `e`.
    #[inline(always)]
    pub(crate) fn ev(&mut self, e: Ev) {
        self.step::<false>(e)
    }

    /// `ev`, inlined so that, `e` being a constant at every call, the
    /// counting folds away; with `SILENT` (the run draws and prints
    /// nothing) only the counting and the timing of waits are left.
    #[inline(always)]
    fn step<const SILENT: bool>(&mut self, e: Ev) {
        match e {
            Ev::Woken | Ev::WokenDone => self.wakeups += 1,
            Ev::Wasted => {
                self.wakeups += 1;
                self.wasted += 1;
            }
            Ev::In(n) | Ev::ReadPair(_, n) => self.peak = self.peak.max(n),
            Ev::LeftEarly(_) | Ev::Beside => self.bad += 1,
            _ => {}
        }
        if e.counts() {
            self.count += 1;
            if let Ev::Sold(v) | Ev::SoldTicket(v) = e {
                if self.run.values {
                    self.values.push(v);
                }
            }
        }
        // Waits are timed from their start to the event that ends them.
        let starts = matches!(e, Ev::Arrive(_) | Ev::WLockWait);
        let ends = matches!(e, Ev::Leave(_) | Ev::LockGot) && self.wait_from != 0;
        let line = e.is_line() && !SILENT && !self.run.quiet;
        if (SILENT || self.plain) && !line && !starts && !ends {
            return;
        }
        self.record(e, line, starts, ends);
    }

    /// Stamp, draw and print an event (the slow part of `ev`).
    #[inline(never)]
    fn record(&mut self, e: Ev, line: bool, starts: bool, ends: bool) {
        let at_ns = timeline::now_ns();
        if starts {
            self.wait_from = at_ns;
        } else if ends {
            let waited = at_ns.saturating_sub(self.wait_from);
            self.longest_wait_ns = self.longest_wait_ns.max(waited);
            self.wait_from = 0;
        }
        if self.run.timeline && self.states.len() < MAX_STATES {
            if let Some(state) = e.state() {
                self.states.push(timeline::Event { at_ns, state });
            }
        }
        let text = if self.run.events { e.text() } else { None };
        if !line && text.is_none() {
            return;
        }
        let ms = at_ns.saturating_sub(self.run.t0_ns) as f64 / 1e6;
        let who = Who(self.label, self.i);
        let mut o = lock(&self.run.out);
        if let Some(t) = text {
            o.line(format_args!("+{ms:.3}ms {who} {t}"));
        }
        if line {
            e.with_line(self.i, &mut |a| o.line(a));
        }
    }
}

/// `T3`, `P3`, or `P` alone (cond's producer).
struct Who(char, usize);

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.1 == usize::MAX {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{}{}", self.0, self.1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_event_feeds_the_line_the_count_the_chart_and_the_text() {
        let out = Arc::new(Mutex::new(Out::new(false)));
        let run = Run::new(&out, false, true, true).keep_values();
        let mut t = run.tap('T', 3);
        t.ev(Ev::LockGot);
        t.ev(Ev::Sold(7));
        t.ev(Ev::Unlock);
        assert_eq!((t.count, t.values.clone()), (1, vec![7]));
        let states: Vec<State> = t.states.iter().map(|e| e.state).collect();
        assert_eq!(states, vec![State::Lock, State::Run]);
        let text = String::from_utf8_lossy(lock(&out).pending()).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].ends_with("ms T3 lock got"), "{text}");
        assert_eq!(lines[1], "3 :now left: 7");
        assert!(lines[2].ends_with("ms T3 unlock"), "{text}");
        // Quiet: the sale is still counted, its line not printed.
        let quiet = Run::new(&out, true, false, false);
        let mut q = quiet.tap('T', 0);
        q.ev(Ev::Sold(1));
        assert_eq!(q.count, 1);
    }

    #[test]
    fn a_silent_run_counts_what_a_tap_counts_and_nothing_else() {
        let out = Arc::new(Mutex::new(Out::new(false)));
        let steps = [
            Ev::LockWait,
            Ev::LockGot,
            Ev::Sold(3),
            Ev::Unlock,
            Ev::Woken,
        ];
        let quiet = Run::new(&out, true, false, false);
        let mut a = quiet.tap('T', 0);
        let mut s = a
            .silent()
            .expect("a quiet run with nothing to draw is silent");
        for e in steps {
            s.ev(e);
        }
        let mut b = quiet.tap('T', 1);
        for e in steps {
            b.ev(e);
        }
        assert_eq!((a.count, a.wakeups), (1, 1));
        assert_eq!((a.count, a.wakeups), (b.count, b.wakeups));
        assert!(a.states.is_empty() && lock(&out).pending().is_empty());
        // Lines, events or a chart: not silent.
        for (q, ev, tl) in [
            (false, false, false),
            (true, true, false),
            (true, false, true),
        ] {
            assert!(Run::new(&out, q, ev, tl).tap('T', 0).silent().is_none());
        }
    }
}
