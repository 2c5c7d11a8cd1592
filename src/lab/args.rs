//! A lab command's words → `Options`: the task, its numbers and the
//! options, each checked against the table of what a task uses (an option
//! a task would ignore is refused, never silently accepted).  Parses only:
//! runs nothing.

use std::time::Duration;

use super::sched;
use super::Mode;

pub const MAX_WORKERS: usize = 1024;
/// Tickets and items: enough to measure, small enough to fit in memory
/// (the lock-free booth keeps one byte per ticket).
pub const MAX_COUNT: u64 = 100_000_000;
const MAX_CHORE_MS: u64 = 10_000;
/// Rounds of a barrier, meals of a philosopher: each one is a few wakes.
const MAX_ROUNDS: u64 = 1_000_000;
/// Slots of a bounded buffer, producers, writers, a semaphore's count.
const MAX_SMALL: u64 = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Task {
    #[default]
    Worker,
    Booth(u64),
    Cond(u64),
    Bbuf(u64),
    Philo,
    /// `sema K ITEMS`.
    Sema(usize, u64),
    Barrier(u64),
    Rwlock(u64),
    Zombie,
}

/// How philosophers pick up their forks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Order {
    /// Left, then right: every one may hold a left fork — a cycle.
    #[default]
    Naive,
    /// The lower-numbered fork first: no cycle can form.
    Ordered,
    /// Left, then try the right; put the left back if it is taken.
    Trylock,
    /// A waiter lets at most N-1 sit down at once.
    Waiter,
}

#[derive(Debug, Clone, Default)]
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
    /// `--timeline=FILE.svg`: the chart as a picture in FILE.
    pub(crate) svg: Option<String>,
    /// philo `--order`.
    pub(crate) order: Order,
    /// philo `--meals`: how many times each philosopher eats.
    pub(crate) meals: u64,
    /// bbuf `--size`, `--producers`, `--if`, `--one-cv`.
    pub(crate) size: usize,
    pub(crate) producers: usize,
    pub(crate) if_bug: bool,
    pub(crate) one_cv: bool,
    /// rwlock `--writers`.
    pub(crate) writers: usize,
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

/// The options each task uses, by mode, separated by spaces (`--seed`
/// stands for the whole family: --schedule, --quiz, --step).
fn allowed(mode: Mode, task: &Task) -> &'static str {
    const SHOWN: &str = "--chore --quiet --timeline --events --seed";
    match (mode, task) {
        (Mode::Threads, Task::Worker) => "--chore --timeline --seed",
        (Mode::Threads, Task::Booth(_)) => {
            "--chore --quiet --timeline --events --nolock --atomic --course --seed"
        }
        (Mode::Threads, Task::Cond(_)) => "--chore --quiet --timeline --events --notify-all --seed",
        (Mode::Threads, Task::Bbuf(_)) => {
            "--chore --quiet --timeline --events --size --producers --if --one-cv --seed"
        }
        (Mode::Threads, Task::Philo) => {
            "--chore --quiet --timeline --events --order --meals --seed"
        }
        (Mode::Threads, Task::Rwlock(_)) => "--chore --quiet --timeline --events --writers --seed",
        (Mode::Threads, Task::Sema(..) | Task::Barrier(_)) => SHOWN,
        (Mode::Procs, Task::Worker) => "--chore --events --seed",
        (Mode::Procs, Task::Booth(_)) => "--chore --quiet --timeline --events --shared --seed",
        _ => "",
    }
}

fn task_name(t: &Task) -> &'static str {
    match t {
        Task::Worker => "worker",
        Task::Booth(_) => "booth",
        Task::Cond(_) => "cond",
        Task::Bbuf(_) => "bbuf",
        Task::Philo => "philo",
        Task::Sema(..) => "sema",
        Task::Barrier(_) => "barrier",
        Task::Rwlock(_) => "rwlock",
        Task::Zombie => "zombie",
    }
}

fn mode_name(mode: Mode) -> &'static str {
    if mode == Mode::Threads {
        "threads"
    } else {
        "procs"
    }
}

pub(crate) fn usage(mode: Mode) -> String {
    format!(
        "usage: {} N TASK [ARGS] [OPTIONS]\n  tasks: worker | booth TICKETS | cond ITEMS | bbuf ITEMS | philo | sema K ITEMS | barrier ROUNDS | rwlock ITEMS | zombie (procs)\n  `help lab` lists every task's options",
        mode_name(mode)
    )
}

/// The task from its name and positional arguments.
fn task(mode: Mode, name: &str, rest: &[&str]) -> Result<Task, String> {
    let m = mode_name(mode);
    Ok(match (name, rest) {
        ("worker", []) => Task::Worker,
        ("booth", [t]) => Task::Booth(count("TICKETS", t, 0, MAX_COUNT)?),
        ("cond", [i]) => Task::Cond(count("ITEMS", i, 0, MAX_COUNT)?),
        ("bbuf", [i]) => Task::Bbuf(count("ITEMS", i, 0, MAX_COUNT)?),
        ("philo", []) => Task::Philo,
        ("sema", [k, i]) => Task::Sema(
            count("K (at most inside)", k, 1, MAX_SMALL)? as usize,
            count("ITEMS", i, 0, MAX_COUNT)?,
        ),
        ("barrier", [r]) => Task::Barrier(count("ROUNDS", r, 0, MAX_ROUNDS)?),
        ("rwlock", [i]) => Task::Rwlock(count("ITEMS", i, 0, MAX_COUNT)?),
        ("zombie", []) => Task::Zombie,
        ("booth", _) => {
            return Err(format!(
                "booth needs a number of tickets: {m} N booth TICKETS"
            ))
        }
        ("sema", _) => {
            return Err(format!(
                "sema needs K and a number of items: {m} N sema K ITEMS"
            ))
        }
        ("barrier", _) => {
            return Err(format!(
                "barrier needs a number of rounds: {m} N barrier ROUNDS"
            ))
        }
        ("worker" | "philo" | "zombie", _) => {
            return Err(format!("{name} takes no arguments\n{}", usage(mode)))
        }
        ("cond" | "bbuf" | "rwlock", _) => {
            return Err(format!(
                "{name} needs a number of items: {m} N {name} ITEMS"
            ))
        }
        (t, _) => {
            return Err(format!(
            "unknown task `{t}` (worker, booth, cond, bbuf, philo, sema, barrier, rwlock, zombie)"
        ))
        }
    })
}

/// An on/off option: its field and the family it belongs to (`--quiz`
/// and `--step` go with `--seed`).
fn switch<'a>(o: &'a mut Options, name: &str) -> Option<(&'a mut bool, &'static str)> {
    Some(match name {
        "--nolock" => (&mut o.nolock, "--nolock"),
        "--atomic" => (&mut o.atomic, "--atomic"),
        "--course" => (&mut o.course, "--course"),
        "--quiz" => (&mut o.quiz, "--seed"),
        "--step" => (&mut o.step, "--seed"),
        "--shared" => (&mut o.shared, "--shared"),
        "--quiet" => (&mut o.quiet, "--quiet"),
        "--timeline" => (&mut o.timeline, "--timeline"),
        "--events" => (&mut o.events, "--events"),
        "--notify-all" => (&mut o.notify_all, "--notify-all"),
        "--if" => (&mut o.if_bug, "--if"),
        "--one-cv" => (&mut o.one_cv, "--one-cv"),
        _ => return None,
    })
}

pub(crate) fn parse(mode: Mode, args: &[String]) -> Result<Options, String> {
    let mut pos = Vec::new();
    let mut given: Vec<(&str, &'static str)> = Vec::new();
    let mut o = Options {
        meals: 5,
        size: 1,
        producers: 1,
        writers: 1,
        ..Options::default()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |what: &str| {
            it.next()
                .map(String::as_str)
                .ok_or_else(|| format!("{a} needs {what}"))
        };
        if let Some(path) = a.strip_prefix("--timeline=") {
            if path.is_empty() {
                return Err("--timeline=FILE needs a file name, like --timeline=run.svg".into());
            }
            o.timeline = true;
            o.svg = Some(path.to_string());
            given.push((a.as_str(), "--timeline"));
            continue;
        }
        if let Some((on, family)) = switch(&mut o, a) {
            *on = true;
            given.push((a.as_str(), family));
            continue;
        }
        let flag: &'static str = match a.as_str() {
            "--seed" => {
                let v = value("a number")?;
                let s = v
                    .parse::<u64>()
                    .map_err(|_| format!("--seed must be a whole number, not `{v}`"))?;
                o.picker = Some(sched::Picker::Seed(s));
                "--seed"
            }
            "--schedule" => {
                let v = value("a list of workers, like 0,0,1,1,0")?;
                let list: Result<Vec<usize>, _> =
                    v.split(',').map(|w| w.trim().parse::<usize>()).collect();
                let list = list.map_err(|_| {
                    format!("--schedule takes worker numbers separated by commas, not `{v}`")
                })?;
                o.picker = Some(sched::Picker::Schedule(list));
                "--seed"
            }
            "--chore" => {
                let v = value("a number of milliseconds")?;
                o.chore = Duration::from_millis(count("--chore", v, 0, MAX_CHORE_MS)?);
                o.chore_given = true;
                "--chore"
            }
            "--size" => {
                o.size = count("--size", value("a number of slots")?, 1, MAX_SMALL)? as usize;
                "--size"
            }
            "--producers" => {
                let v = value("a number of producers")?;
                o.producers = count("--producers", v, 1, MAX_SMALL)? as usize;
                "--producers"
            }
            "--writers" => {
                let v = value("a number of writers")?;
                o.writers = count("--writers", v, 0, MAX_SMALL)? as usize;
                "--writers"
            }
            "--meals" => {
                o.meals = count("--meals", value("a number")?, 0, MAX_ROUNDS)?;
                "--meals"
            }
            "--order" => {
                o.order = match value("naive, ordered, trylock or waiter")? {
                    "naive" => Order::Naive,
                    "ordered" => Order::Ordered,
                    "trylock" => Order::Trylock,
                    "waiter" => Order::Waiter,
                    v => {
                        return Err(format!(
                            "--order is naive, ordered, trylock or waiter, not `{v}`"
                        ))
                    }
                };
                "--order"
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{}", usage(mode))),
            _ => {
                pos.push(a.as_str());
                continue;
            }
        };
        given.push((a.as_str(), flag));
    }
    let (n, name, rest) = match pos.as_slice() {
        [n, name, rest @ ..] => (*n, *name, rest),
        _ => return Err(usage(mode)),
    };
    o.n = count("N (workers)", n, 1, MAX_WORKERS as u64)? as usize;
    o.task = task(mode, name, rest)?;
    refuse_mismatches(mode, &o)?;
    let uses = allowed(mode, &o.task);
    let used = |f: &str| uses.split(' ').any(|u| u == f);
    if let Some((typed, family)) = given.iter().find(|(_, f)| !used(f)) {
        if *family == "--seed" {
            return Err(format!(
                "{typed} steps through every task but zombie (its children only exit)"
            ));
        }
        let takes = if uses.is_empty() {
            "it takes no options".to_string()
        } else {
            format!("it takes {}", uses.replace(' ', ", "))
        };
        return Err(format!(
            "{typed} is not used by {} {}: {takes}",
            mode_name(mode),
            task_name(&o.task)
        ));
    }
    sched::check(&mut o)?;
    if o.course && !o.chore_given {
        // The course's doChore(): half a second inside and outside the lock.
        o.chore = Duration::from_millis(500);
    }
    if !o.chore_given && matches!(o.task, Task::Cond(_)) {
        // The producer pauses between items so the consumers are waiting.
        o.chore = Duration::from_millis(1);
    }
    if o.task == Task::Philo && o.n < 2 {
        return Err("philo needs at least 2 philosophers (one alone has one fork)".into());
    }
    Ok(o)
}

/// The combinations that teach something when refused.
fn refuse_mismatches(mode: Mode, o: &Options) -> Result<(), String> {
    let threads_only = matches!(
        o.task,
        Task::Cond(_)
            | Task::Bbuf(_)
            | Task::Philo
            | Task::Sema(..)
            | Task::Barrier(_)
            | Task::Rwlock(_)
    );
    if mode == Mode::Procs && threads_only {
        return Err(format!(
            "{} runs on threads: its lock and condition live in one process's memory",
            task_name(&o.task)
        ));
    }
    if mode == Mode::Threads && o.task == Task::Zombie {
        return Err(
            "zombie runs on procs: a thread that ends leaves no zombie (procs N zombie)".into(),
        );
    }
    if mode == Mode::Procs && o.nolock {
        return Err("procs booth has no lock to drop: the tickets come through a pipe".into());
    }
    if o.nolock && !matches!(o.task, Task::Booth(_)) {
        return Err("--nolock is for booth".into());
    }
    if (o.atomic || o.course) && (mode == Mode::Procs || !matches!(o.task, Task::Booth(_))) {
        return Err("--atomic and --course are for threads booth".into());
    }
    if o.atomic && o.nolock {
        return Err("--atomic and --nolock are two ways without the lock: choose one".into());
    }
    if o.course && (o.atomic || o.nolock) {
        return Err("--course is the course's locked booth: without --atomic or --nolock".into());
    }
    if o.shared && (mode == Mode::Threads || !matches!(o.task, Task::Booth(_))) {
        return Err("--shared is for procs booth: threads share memory already".into());
    }
    if o.notify_all && !matches!(o.task, Task::Cond(_)) {
        return Err("--notify-all is for cond".into());
    }
    if o.quiet && o.task == Task::Worker {
        return Err("--quiet is for the tasks that print a line per item: a worker's one line is all it does".into());
    }
    if o.timeline && mode == Mode::Procs && o.task == Task::Worker {
        return Err(
            "--timeline is for threads and for procs booth: a worker process records no events"
                .into(),
        );
    }
    if o.if_bug && o.one_cv {
        return Err("--if and --one-cv are two different bugs: show one at a time".into());
    }
    Ok(())
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
        for bad in [
            "0 booth 100",
            "1025 worker",
            "1000000 worker",
            "4 booth",
            "4 booth -3",
            "4 booth 999999999999",
            "4 booth 10 --chore",
            "4 booth 10 --chore 99999",
            "4 booth 10 --bogus",
            "4 dance",
            "4 worker --nolock",
        ] {
            assert!(parse(Mode::Threads, &args(bad)).is_err(), "{bad}");
        }
        assert!(parse(Mode::Procs, &args("4 cond 10")).is_err());
        assert!(parse(Mode::Procs, &args("4 booth 10 --nolock")).is_err());
        let o = parse(Mode::Threads, &args("4 cond 10 --notify-all --quiet")).unwrap();
        assert!(o.notify_all && o.quiet);
        assert_eq!(o.chore, Duration::from_millis(1));
    }

    #[test]
    fn each_task_takes_only_its_options() {
        let ok = [
            "5 philo --order waiter --meals 3",
            "3 bbuf 10 --size 2 --producers 2 --if",
            "3 sema 2 100 --events",
            "4 barrier 5 --timeline",
            "3 rwlock 50 --writers 2 --quiet",
        ];
        for a in ok {
            assert!(parse(Mode::Threads, &args(a)).is_ok(), "{a}");
        }
        assert!(parse(Mode::Procs, &args("3 zombie")).is_ok());
        for a in [
            "5 philo --size 3",
            "3 sema 2 100 --writers 1",
            "4 barrier 5 --order naive",
            "3 bbuf 10 --if --one-cv",
            "1 philo",
            "3 sema 0 10",
            "3 zombie",
            "5 philo --order upside-down",
        ] {
            assert!(parse(Mode::Threads, &args(a)).is_err(), "{a}");
        }
        assert!(parse(Mode::Procs, &args("3 zombie --chore 5")).is_err());
        assert!(parse(Mode::Procs, &args("3 philo")).is_err());
    }
}
