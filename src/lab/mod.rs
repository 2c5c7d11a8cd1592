//! The concurrency lab: `threads N TASK …` runs N OS threads in psh's own
//! process (all joined), `procs N TASK …` N forked children (all reaped).
//! This file dispatches a parsed command (`args.rs`) to its task (one file
//! each: worker, booth, cond, bbuf, philo, sync (sema, barrier), rwlock,
//! procs_booth, zombie; `sched/` for a seeded run), runs a threads run
//! beside the caller's thread (which handles signals meanwhile through a
//! callback) and prints the summary and timeline; the machinery shared by
//! tasks is `engine.rs`.  Knows nothing of the shell: it gets words and a
//! callback and returns a status.

mod args;
mod bbuf;
mod booth;
mod cond;
mod engine;
mod events;
mod philo;
mod procs_booth;
mod rwlock;
mod sched;
mod svg;
mod sync;
pub mod timeline;
mod worker;
mod zombie;

use std::time::{Duration, Instant};

use crate::os::sys;
pub(crate) use args::{Options, Order, Task};

use args::parse;
use booth::{threads_booth, threads_booth_atomic, threads_booth_nolock};
use cond::threads_cond;
use procs_booth::procs_booth;
use timeline::Event;
use worker::{procs_worker, threads_worker};

pub use args::{MAX_COUNT, MAX_WORKERS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Threads,
    Procs,
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
        report.summary = format!(
            "interrupted after {sold} {}; {}",
            unit(&o.task),
            report.summary
        );
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
    let threads = mode == Mode::Threads;
    match &o.svg {
        Some(path) => {
            let title = format!("{name} {} {}", o.n, task_text(&o));
            let picture = svg::svg(
                &report.events,
                &report.names,
                threads,
                chart_kind(mode, &o),
                &title,
            );
            match std::fs::write(path, picture) {
                Ok(()) => sys::err(&format!("timeline: written to {path}\n")),
                Err(e) => {
                    sys::err(&format!(
                        "psh: {name}: cannot write the timeline to {path}: {e}\n"
                    ));
                    return 1;
                }
            }
        }
        None if o.timeline => sys::err(&timeline::render(
            &report.events,
            &report.names,
            threads,
            timeline::colors_on_stderr(),
            chart_kind(mode, &o),
        )),
        None => {}
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
            report.summary = format!(
                "stopped by `exit` in a handler block after {sold} {}",
                unit(&o.task)
            );
        }
        Ok(report)
    })
}

fn run_task(mode: Mode, o: &Options) -> Result<Report, String> {
    match (mode, &o.task) {
        (Mode::Threads, task) if o.picker.is_some() => {
            sched::run_scheduled(o, sched::model(o, task))
        }
        (Mode::Threads, Task::Worker) => threads_worker(o),
        (Mode::Threads, Task::Booth(t)) if o.nolock => threads_booth_nolock(o, *t),
        (Mode::Threads, Task::Booth(t)) if o.atomic => threads_booth_atomic(o, *t),
        (Mode::Threads, Task::Booth(t)) => threads_booth(o, *t),
        (Mode::Threads, Task::Cond(i)) => threads_cond(o, *i),
        (Mode::Threads, Task::Bbuf(i)) => bbuf::threads_bbuf(o, *i),
        (Mode::Threads, Task::Philo) => philo::threads_philo(o),
        (Mode::Threads, Task::Sema(k, i)) => sync::threads_sema(o, *k, *i),
        (Mode::Threads, Task::Barrier(r)) => sync::threads_barrier(o, *r),
        (Mode::Threads, Task::Rwlock(i)) => rwlock::threads_rwlock(o, *i),
        (Mode::Procs, _) if o.picker.is_some() => {
            sched::run_scheduled(o, Box::new(sched::procs::Procs::start(o)?))
        }
        (Mode::Procs, Task::Worker) => procs_worker(o),
        (Mode::Procs, Task::Booth(t)) => procs_booth(o, *t),
        (Mode::Procs, Task::Zombie) => zombie::procs_zombie(o),
        (Mode::Procs, _) => Err("this task runs on threads".into()),
        (Mode::Threads, Task::Zombie) => Err("zombie runs on procs".into()),
    }
}

/// What `#` means in a task's timeline.
fn chart_kind(mode: Mode, o: &Options) -> timeline::Kind {
    use timeline::Kind;
    match (mode, &o.task) {
        (Mode::Procs, _) => Kind::Pipe,
        (_, Task::Booth(_)) if o.nolock => Kind::Unlocked,
        (_, Task::Philo) => Kind::Section("ate (held both forks)"),
        (_, Task::Sema(..)) => Kind::Section("inside the semaphore's section"),
        (_, Task::Rwlock(_)) => Kind::Section("inside (reading, or writing alone)"),
        (_, Task::Barrier(_) | Task::Bbuf(_)) => Kind::Section("held the lock"),
        _ => Kind::Locked,
    }
}

/// What the interrupted summary counts for a task.
fn unit(task: &Task) -> &'static str {
    match task {
        Task::Booth(_) => "sales",
        Task::Philo => "meals",
        Task::Barrier(_) => "rounds",
        Task::Worker | Task::Zombie => "workers' steps",
        _ => "items",
    }
}

/// The task and the options that changed it, for the summary line.
fn task_text(o: &Options) -> String {
    let mut s = match o.task {
        Task::Worker => "worker".to_string(),
        Task::Booth(t) => format!("booth {t}"),
        Task::Cond(i) => format!("cond {i}"),
        Task::Bbuf(i) => format!("bbuf {i}"),
        Task::Philo => "philo".to_string(),
        Task::Sema(k, i) => format!("sema {k} {i}"),
        Task::Barrier(r) => format!("barrier {r}"),
        Task::Rwlock(i) => format!("rwlock {i}"),
        Task::Zombie => "zombie".to_string(),
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
        (o.if_bug, " --if"),
        (o.one_cv, " --one-cv"),
    ] {
        if on {
            s.push_str(flag);
        }
    }
    if o.task == Task::Philo {
        let order = format!("{:?}", o.order).to_lowercase();
        s.push_str(&format!(" --order {order} --meals {}", o.meals));
    }
    if matches!(o.task, Task::Bbuf(_)) {
        s.push_str(&format!(" --size {} --producers {}", o.size, o.producers));
    }
    if matches!(o.task, Task::Rwlock(_)) {
        s.push_str(&format!(" --writers {}", o.writers));
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
    /// The timeline's row labels (`thread I` / `process I` where absent).
    pub(crate) names: Vec<String>,
}
