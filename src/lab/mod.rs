//! The concurrency lab: `threads N TASK …` runs N OS threads in psh's own
//! process (all joined), `procs N TASK …` N forked children (all reaped).
//! This file checks the arguments, dispatches to the task (`worker`,
//! `booth`, `cond`, or `sched.rs` for a seeded run), runs a threads run
//! beside the caller's thread (which handles signals meanwhile through a
//! callback) and prints the summary and timeline; the machinery shared by
//! tasks is `engine.rs`.  Knows nothing of the shell: it gets words and a
//! callback and returns a status.

mod booth;
mod cond;
mod engine;
mod procs_booth;
mod sched;
pub mod timeline;
mod worker;

use std::time::{Duration, Instant};

use crate::os::sys;
use booth::{threads_booth, threads_booth_atomic, threads_booth_nolock};
use cond::threads_cond;
use procs_booth::procs_booth;
use timeline::Event;
use worker::{procs_worker, threads_worker};

pub const MAX_WORKERS: usize = 1024;
/// Tickets and items: enough to measure, small enough to fit in memory
/// (the lock-free booth keeps one byte per ticket).
pub const MAX_COUNT: u64 = 100_000_000;
const MAX_CHORE_MS: u64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Threads,
    Procs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Task {
    Worker,
    Booth(u64),
    Cond(u64),
}

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) n: usize,
    pub(crate) task: Task,
    pub(crate) nolock: bool,
    /// `--atomic`: no lock, one fetch-and-subtract per sale.
    pub(crate) atomic: bool,
    /// `--course`: the course's pacing and its `os._exit` ending.
    pub(crate) course: bool,
    /// `--seed S` / `--schedule LIST`: one step at a time, reproducibly.
    pub(crate) picker: Option<sched::Picker>,
    /// `--quiz`: the schedule's table with its values hidden first.
    pub(crate) quiz: bool,
    /// `--step`: ask who moves at each step.
    pub(crate) step: bool,
    /// procs `--shared`: each child sells from its copy of the counter.
    pub(crate) shared: bool,
    pub(crate) chore: Duration,
    pub(crate) chore_given: bool,
    pub(crate) quiet: bool,
    pub(crate) timeline: bool,
    pub(crate) notify_all: bool,
    /// `--events`: every step printed as it happens.
    pub(crate) events: bool,
}

fn bad(msg: String) -> Result<Options, String> {
    Err(msg)
}

fn count(what: &str, s: &str, min: u64, max: u64) -> Result<u64, String> {
    let v: u64 = s
        .parse()
        .map_err(|_| format!("{what} must be a whole number, not `{s}`"))?;
    if v < min || v > max {
        return Err(format!("{what} must be from {min} to {max}, not {v}"));
    }
    Ok(v)
}

fn parse(mode: Mode, args: &[String]) -> Result<Options, String> {
    let name = if mode == Mode::Threads {
        "threads"
    } else {
        "procs"
    };
    let usage = format!("usage: {name} N worker|booth TICKETS|cond ITEMS [--nolock|--atomic] [--course] [--shared] [--chore MS] [--quiet] [--timeline] [--events] [--notify-all] [--seed S|--schedule LIST] [--quiz] [--step]");
    let mut pos = Vec::new();
    let mut o = Options {
        n: 0,
        task: Task::Worker,
        nolock: false,
        atomic: false,
        course: false,
        picker: None,
        quiz: false,
        step: false,
        shared: false,
        chore: Duration::ZERO,
        chore_given: false,
        quiet: false,
        timeline: false,
        notify_all: false,
        events: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--nolock" => o.nolock = true,
            "--atomic" => o.atomic = true,
            "--course" => o.course = true,
            "--quiz" => o.quiz = true,
            "--step" => o.step = true,
            "--shared" => o.shared = true,
            "--seed" => {
                let v = it.next().ok_or("--seed needs a number")?;
                let s = v
                    .parse::<u64>()
                    .map_err(|_| format!("--seed must be a whole number, not `{v}`"))?;
                o.picker = Some(sched::Picker::Seed(s));
            }
            "--schedule" => {
                let v = it
                    .next()
                    .ok_or("--schedule needs a list of workers, like 0,0,1,1,0")?;
                let list: Result<Vec<usize>, _> =
                    v.split(',').map(|w| w.trim().parse::<usize>()).collect();
                let list = list.map_err(|_| {
                    format!("--schedule takes worker numbers separated by commas, not `{v}`")
                })?;
                o.picker = Some(sched::Picker::Schedule(list));
            }
            "--quiet" => o.quiet = true,
            "--timeline" => o.timeline = true,
            "--events" => o.events = true,
            "--notify-all" => o.notify_all = true,
            "--chore" => {
                let v = it.next().ok_or("--chore needs a number of milliseconds")?;
                o.chore = Duration::from_millis(count("--chore", v, 0, MAX_CHORE_MS)?);
                o.chore_given = true;
            }
            s if s.starts_with("--") => return bad(format!("unknown option {s}\n{usage}")),
            _ => pos.push(a.as_str()),
        }
    }
    let (n, task, rest) = match pos.as_slice() {
        [n, task, rest @ ..] => (*n, *task, rest),
        _ => return bad(usage),
    };
    o.n = count("N (workers)", n, 1, MAX_WORKERS as u64)? as usize;
    o.task = match (task, rest) {
        ("worker", []) => Task::Worker,
        ("booth", [t]) => Task::Booth(count("TICKETS", t, 0, MAX_COUNT)?),
        ("cond", [i]) => Task::Cond(count("ITEMS", i, 0, MAX_COUNT)?),
        ("booth", _) => {
            return bad(format!(
                "booth needs a number of tickets: {name} N booth TICKETS"
            ))
        }
        ("cond", _) => return bad(format!("cond needs a number of items: {name} N cond ITEMS")),
        ("worker", _) => return bad(format!("worker takes no arguments\n{usage}")),
        (t, _) => return bad(format!("unknown task `{t}` (worker, booth, cond)")),
    };
    if mode == Mode::Procs && matches!(o.task, Task::Cond(_)) {
        return bad(
            "cond runs on threads: a condition variable lives in one process's memory".into(),
        );
    }
    if mode == Mode::Procs && o.nolock {
        return bad("procs booth has no lock to drop: the tickets come through a pipe".into());
    }
    if o.nolock && !matches!(o.task, Task::Booth(_)) {
        return bad("--nolock is for booth".into());
    }
    if (o.atomic || o.course) && (mode == Mode::Procs || !matches!(o.task, Task::Booth(_))) {
        return bad("--atomic and --course are for threads booth".into());
    }
    if o.atomic && o.nolock {
        return bad("--atomic and --nolock are two ways without the lock: choose one".into());
    }
    if o.course && (o.atomic || o.nolock) {
        return bad("--course is the course's locked booth: without --atomic or --nolock".into());
    }
    if o.shared && (mode == Mode::Threads || !matches!(o.task, Task::Booth(_))) {
        return bad("--shared is for procs booth: threads share memory already".into());
    }
    if o.step && o.picker.is_none() {
        // Enter takes the PRNG's choice: a seed it is.
        o.picker = Some(sched::Picker::Seed(1));
    }
    if o.step && o.quiz {
        return bad("--step shows every value as it goes: not with --quiz".into());
    }
    if o.quiz && o.picker.is_none() {
        return bad(
            "--quiz goes with --seed S or --schedule LIST: it hides the values of their table"
                .into(),
        );
    }
    if o.picker.is_some() {
        if mode == Mode::Procs || !matches!(o.task, Task::Booth(_)) || o.atomic || o.course {
            return bad(
                "--seed and --schedule are for threads booth (with or without --nolock), for now"
                    .into(),
            );
        }
        if o.timeline || o.events || o.chore_given {
            return bad("--seed and --schedule print their own table: no --timeline, --events or --chore with them".into());
        }
        if o.n > 8 {
            return bad(format!(
                "--seed and --schedule show at most 8 workers side by side, not {}",
                o.n
            ));
        }
        if matches!(o.task, Task::Booth(t) if t > 1000) {
            return bad("--seed and --schedule step through at most 1000 tickets".into());
        }
        if let Some(sched::Picker::Schedule(list)) = &o.picker {
            if let Some(w) = list.iter().find(|&&w| w >= o.n) {
                return bad(format!(
                    "--schedule names worker {w}, but there are {} (0 to {})",
                    o.n,
                    o.n - 1
                ));
            }
        }
    }
    if o.course && !o.chore_given {
        // The course's doChore(): half a second inside and outside the lock.
        o.chore = Duration::from_millis(500);
    }
    if o.notify_all && !matches!(o.task, Task::Cond(_)) {
        return bad("--notify-all is for cond".into());
    }
    // An option a task would not use is refused, never silently accepted.
    if o.events && (mode == Mode::Procs || o.task == Task::Worker) {
        return bad(
            "--events is for threads booth and cond (processes and workers record no steps yet)"
                .into(),
        );
    }
    if o.quiet && o.task == Task::Worker {
        return bad("--quiet is for booth and cond: a worker's one line is all it does".into());
    }
    if o.timeline && mode == Mode::Procs && o.task == Task::Worker {
        return bad(
            "--timeline is for threads and for procs booth: a worker process records no events"
                .into(),
        );
    }
    if !o.chore_given && matches!(o.task, Task::Cond(_)) {
        // The producer pauses between items so the consumers are waiting.
        o.chore = Duration::from_millis(1);
    }
    Ok(o)
}

/// Run a lab command; its exit status.  Errors are status 2.
/// `on_signal` runs the shell's handler blocks while a threads run goes
/// on (true: an `exit` in one asked the run to stop).
pub fn run(mode: Mode, args: &[String], on_signal: &mut dyn FnMut() -> bool) -> i32 {
    let o = match parse(mode, args) {
        Ok(o) => o,
        Err(m) => {
            let name = if mode == Mode::Threads {
                "threads"
            } else {
                "procs"
            };
            sys::err(&format!("psh: {name}: {m}\n"));
            return 2;
        }
    };
    let start = Instant::now();
    // The lab writes into pipes whose readers may die (killed workers, a
    // closed stdout): an error for that write, never the end of psh.
    let result = crate::os::signals::with_sigpipe_ignored(|| match mode {
        Mode::Threads => run_beside(&o, on_signal),
        // Processes are forked from this thread, which must then be the
        // only one: their handlers run when the run ends.
        Mode::Procs => run_task(mode, &o),
    });
    let mut report = match result {
        Ok(r) => r,
        Err(m) => {
            sys::err(&format!("psh: lab: {m}\n"));
            return 1;
        }
    };
    let took = start.elapsed();
    if crate::os::signals::interrupted() {
        let sold: u64 = report.per_worker.iter().sum();
        report.summary = format!("interrupted after {sold} sales; {}", report.summary);
        report.status = crate::os::signals::interrupt_status();
    }
    let name = if mode == Mode::Threads {
        "threads"
    } else {
        "procs"
    };
    let mut line = format!(
        "{name} {} {}: {} in {}",
        o.n,
        task_text(&o),
        report.summary,
        show_duration(took)
    );
    if !report.per_worker.is_empty() {
        let counts: Vec<String> = report.per_worker.iter().map(u64::to_string).collect();
        line.push_str(&format!("; per worker {}", counts.join(" ")));
    }
    sys::err(&format!("{line}\n"));
    if o.timeline {
        let rows: Vec<Vec<Event>> = report.events;
        sys::err(&timeline::render(
            &rows,
            mode == Mode::Threads,
            timeline::colors_on_stderr(),
            match (mode, o.nolock) {
                (Mode::Procs, _) => timeline::Kind::Pipe,
                (_, true) => timeline::Kind::Unlocked,
                _ => timeline::Kind::Locked,
            },
        ));
    }
    report.status
}

/// A threads run in a thread of its own, while this one waits on the
/// signal pipe and runs handler blocks as signals come (`alarm 0.2 < … >`
/// fires during the run, not after it).
fn run_beside(o: &Options, on_signal: &mut dyn FnMut() -> bool) -> Result<Report, String> {
    use std::sync::atomic::Ordering;
    std::thread::scope(|s| {
        crate::os::process::THREADS_RUNNING.store(true, Ordering::SeqCst);
        let runner = std::thread::Builder::new()
            .name("psh-lab".into())
            .spawn_scoped(s, || {
                let r = run_task(Mode::Threads, o);
                // Done: the shell's thread stops waiting at once.
                crate::os::signals::wake_waiter();
                r
            });
        let runner = match runner {
            Ok(r) => r,
            Err(e) => {
                crate::os::process::THREADS_RUNNING.store(false, Ordering::SeqCst);
                return Err(format!("cannot start the run: {e}"));
            }
        };
        while !runner.is_finished() {
            crate::os::signals::wait_for_signal_ms(10);
            if crate::os::signals::has_pending() && on_signal() {
                engine::cancel();
            }
        }
        let r = runner.join();
        crate::os::process::THREADS_RUNNING.store(false, Ordering::SeqCst);
        let stopped = engine::take_cancel();
        let mut report = r.unwrap_or_else(|_| Err("the run failed".into()))?;
        if stopped {
            let sold: u64 = report.per_worker.iter().sum();
            report.summary = format!("stopped by `exit` in a handler block after {sold} sales");
        }
        Ok(report)
    })
}

fn run_task(mode: Mode, o: &Options) -> Result<Report, String> {
    match (mode, &o.task) {
        (Mode::Threads, Task::Worker) => threads_worker(o),
        (Mode::Threads, Task::Booth(t)) if o.picker.is_some() => match &o.picker {
            Some(p) => sched::threads_booth_scheduled(o, *t, p),
            None => threads_booth(o, *t),
        },
        (Mode::Threads, Task::Booth(t)) if o.nolock => threads_booth_nolock(o, *t),
        (Mode::Threads, Task::Booth(t)) if o.atomic => threads_booth_atomic(o, *t),
        (Mode::Threads, Task::Booth(t)) => threads_booth(o, *t),
        (Mode::Threads, Task::Cond(i)) => threads_cond(o, *i),
        (Mode::Procs, Task::Worker) => procs_worker(o),
        (Mode::Procs, Task::Booth(t)) => procs_booth(o, *t),
        (Mode::Procs, Task::Cond(_)) => Err("cond runs on threads".into()),
    }
}

fn task_text(o: &Options) -> String {
    let mut s = match o.task {
        Task::Worker => "worker".to_string(),
        Task::Booth(t) => format!("booth {t}"),
        Task::Cond(i) => format!("cond {i}"),
    };
    for (on, flag) in [
        (o.nolock, " --nolock"),
        (o.atomic, " --atomic"),
        (o.course, " --course"),
    ] {
        if on {
            s.push_str(flag);
        }
    }
    match &o.picker {
        Some(sched::Picker::Seed(v)) => s.push_str(&format!(" --seed {v}")),
        Some(sched::Picker::Schedule(l)) => {
            let l: Vec<String> = l.iter().map(usize::to_string).collect();
            s.push_str(&format!(" --schedule {}", l.join(",")));
        }
        None => {}
    }
    for (on, flag) in [
        (o.quiz, " --quiz"),
        (o.step, " --step"),
        (o.shared, " --shared"),
        (o.events, " --events"),
        (o.notify_all, " --notify-all"),
    ] {
        if on {
            s.push_str(flag);
        }
    }
    if o.chore_given {
        s.push_str(&format!(" --chore {}", o.chore.as_millis()));
    }
    s
}

fn show_duration(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{} µs", d.as_micros())
    } else if d < Duration::from_secs(1) {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

pub(crate) struct Report {
    pub(crate) summary: String,
    pub(crate) per_worker: Vec<u64>,
    pub(crate) status: i32,
    pub(crate) events: Vec<Vec<Event>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn options_are_checked() {
        assert!(parse(Mode::Threads, &args("10 booth 100")).is_ok());
        assert!(parse(Mode::Threads, &args("0 booth 100")).is_err());
        assert!(parse(Mode::Threads, &args("1025 worker")).is_err());
        assert!(parse(Mode::Threads, &args("1000000 worker")).is_err());
        assert!(parse(Mode::Threads, &args("4 booth")).is_err());
        assert!(parse(Mode::Threads, &args("4 booth -3")).is_err());
        assert!(parse(Mode::Threads, &args("4 booth 999999999999")).is_err());
        assert!(parse(Mode::Threads, &args("4 booth 10 --chore")).is_err());
        assert!(parse(Mode::Threads, &args("4 booth 10 --chore 99999")).is_err());
        assert!(parse(Mode::Threads, &args("4 booth 10 --bogus")).is_err());
        assert!(parse(Mode::Threads, &args("4 dance")).is_err());
        assert!(parse(Mode::Threads, &args("4 worker --nolock")).is_err());
        assert!(parse(Mode::Procs, &args("4 cond 10")).is_err());
        assert!(parse(Mode::Procs, &args("4 booth 10 --nolock")).is_err());
        let o = parse(Mode::Threads, &args("4 cond 10 --notify-all --quiet")).unwrap();
        assert!(o.notify_all && o.quiet);
        assert_eq!(o.chore, Duration::from_millis(1));
    }
}
