//! The concurrency lab: `threads N TASK …` runs N OS threads in psh's own
//! process (all joined), `procs N TASK …` N forked children (all reaped).
//! Tasks: `worker` (who am I?), `booth TICKETS` (the ticket booth, with or
//! without the lock; fed through a pipe for processes), `cond ITEMS` (a
//! producer and consumers on a condition variable).  A one-line summary
//! goes to stderr after the join; `--timeline` draws who held the lock,
//! ran or waited.

use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::os::sys;
pub mod timeline;

use crate::os::trace;
use timeline::{Event, State};

pub const MAX_WORKERS: usize = 1024;
/// Tickets and items: enough to measure, small enough to fit in memory
/// (the lock-free booth keeps one byte per ticket).
pub const MAX_COUNT: u64 = 100_000_000;
const MAX_CHORE_MS: u64 = 10_000;
/// Output is gathered and written in blocks of this size.
const OUT_BLOCK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Threads,
    Procs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Task {
    Worker,
    Booth(u64),
    Cond(u64),
}

#[derive(Debug, Clone)]
struct Options {
    n: usize,
    task: Task,
    nolock: bool,
    chore: Duration,
    chore_given: bool,
    quiet: bool,
    timeline: bool,
    notify_all: bool,
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
    let usage = format!("usage: {name} N worker|booth TICKETS|cond ITEMS [--nolock] [--chore MS] [--quiet] [--timeline] [--notify-all]");
    let mut pos = Vec::new();
    let mut o = Options {
        n: 0,
        task: Task::Worker,
        nolock: false,
        chore: Duration::ZERO,
        chore_given: false,
        quiet: false,
        timeline: false,
        notify_all: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--nolock" => o.nolock = true,
            "--quiet" => o.quiet = true,
            "--timeline" => o.timeline = true,
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
    if o.notify_all && !matches!(o.task, Task::Cond(_)) {
        return bad("--notify-all is for cond".into());
    }
    if !o.chore_given && matches!(o.task, Task::Cond(_)) {
        // The producer pauses between items so the consumers are waiting.
        o.chore = Duration::from_millis(1);
    }
    Ok(o)
}

/// Run a lab command; its exit status.  Errors are status 2.
pub fn run(mode: Mode, args: &[String]) -> i32 {
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
    let result = match (mode, &o.task) {
        (Mode::Threads, Task::Worker) => threads_worker(&o),
        (Mode::Threads, Task::Booth(t)) if o.nolock => threads_booth_nolock(&o, *t),
        (Mode::Threads, Task::Booth(t)) => threads_booth(&o, *t),
        (Mode::Threads, Task::Cond(i)) => threads_cond(&o, *i),
        (Mode::Procs, Task::Worker) => procs_worker(&o),
        (Mode::Procs, Task::Booth(t)) => procs_booth(&o, *t),
        (Mode::Procs, Task::Cond(_)) => Err("cond runs on threads".into()),
    };
    let report = match result {
        Ok(r) => r,
        Err(m) => {
            sys::err(&format!("psh: lab: {m}\n"));
            return 1;
        }
    };
    let took = start.elapsed();
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
        ));
    }
    report.status
}

fn task_text(o: &Options) -> String {
    let mut s = match o.task {
        Task::Worker => "worker".to_string(),
        Task::Booth(t) => format!("booth {t}"),
        Task::Cond(i) => format!("cond {i}"),
    };
    if o.nolock {
        s.push_str(" --nolock");
    }
    if o.notify_all {
        s.push_str(" --notify-all");
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

struct Report {
    summary: String,
    per_worker: Vec<u64>,
    status: i32,
    events: Vec<Vec<Event>>,
}

/// Output gathered in blocks so a million lines cost a few dozen writes.
/// Writers that run side by side use blocks of at most PIPE_BUF bytes cut
/// at line ends, so their lines never mix even in a pipe.
struct Out {
    buf: Vec<u8>,
    limit: usize,
}

/// Writes of at most this many bytes to a pipe are atomic.
const PIPE_BUF: usize = 4096;

impl Out {
    /// For a single writer (or writers serialised by a lock).
    fn new() -> Out {
        Out {
            buf: Vec::with_capacity(OUT_BLOCK),
            limit: OUT_BLOCK,
        }
    }
    /// For writers that run at the same time.
    fn shared() -> Out {
        Out {
            buf: Vec::with_capacity(PIPE_BUF),
            limit: PIPE_BUF,
        }
    }
    fn line(&mut self, args: std::fmt::Arguments<'_>) {
        use std::io::Write;
        let start = self.buf.len();
        let _ = self.buf.write_fmt(args);
        self.buf.push(b'\n');
        if self.buf.len() > self.limit && start > 0 {
            let _ = sys::write_all(1, &self.buf[..start]);
            self.buf.drain(..start);
        }
        if self.buf.len() >= self.limit {
            self.flush();
        }
    }
    fn flush(&mut self) {
        if !self.buf.is_empty() {
            // A reader that went away (`| head`) ends the output, not psh.
            let _ = sys::write_all(1, &self.buf);
            self.buf.clear();
        }
    }
}

/// A worker's record of its states over time (only with --timeline).
struct Recorder {
    on: bool,
    events: Vec<Event>,
}

/// Enough events to draw a chart; beyond this a worker stops recording.
const MAX_EVENTS: usize = 200_000;

impl Recorder {
    fn new(on: bool) -> Recorder {
        Recorder {
            on,
            events: Vec::new(),
        }
    }
    #[inline]
    fn mark(&mut self, state: State) {
        if self.on && self.events.len() < MAX_EVENTS {
            self.events.push(Event {
                at_ns: timeline::now_ns(),
                state,
            });
        }
    }
}

fn gettid() -> i64 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::syscall(libc::SYS_gettid) }
}

fn sleep(d: Duration) {
    if !d.is_zero() {
        std::thread::sleep(d);
    }
}

/// Spawn `n` threads running `f(index)` and join them all; their results
/// in index order.  A thread that cannot start ends the command.
fn spawn_join<T: Send + 'static>(
    n: usize,
    f: impl Fn(usize) -> T + Send + Sync + 'static,
) -> Result<Vec<T>, String> {
    let f = Arc::new(f);
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        let f = f.clone();
        let h = std::thread::Builder::new()
            .name(format!("psh-lab-{i}"))
            .stack_size(256 * 1024)
            .spawn(move || f(i));
        match h {
            Ok(h) => {
                trace::event(&format!("thread spawn #{i}"));
                handles.push(h);
            }
            Err(e) => {
                // Join the ones that started before reporting.
                for h in handles {
                    let _ = h.join();
                }
                return Err(format!("cannot start thread {i}: {e}"));
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    for (i, h) in handles.into_iter().enumerate() {
        match h.join() {
            Ok(v) => {
                trace::event(&format!("thread join #{i}"));
                out.push(v);
            }
            Err(_) => return Err(format!("thread {i} failed")),
        }
    }
    Ok(out)
}

// ------------------------------------------------------------ worker

fn threads_worker(o: &Options) -> Result<Report, String> {
    let print_lock = Arc::new(Mutex::new(()));
    let pid = std::process::id();
    let timeline = o.timeline;
    let res = spawn_join(o.n, move |i| {
        let mut rec = Recorder::new(timeline);
        rec.mark(State::Wait);
        let guard = print_lock.lock();
        rec.mark(State::Lock);
        let line = format!("thread {i} {pid} {}\n", gettid());
        let _ = sys::write_all(1, line.as_bytes());
        drop(guard);
        rec.mark(State::Run);
        rec.mark(State::Done);
        rec.events
    })?;
    Ok(Report {
        summary: format!("{} threads in process {pid}", o.n),
        per_worker: Vec::new(),
        status: 0,
        events: res,
    })
}

fn procs_worker(o: &Options) -> Result<Report, String> {
    let mut children = Vec::with_capacity(o.n);
    let epoch = timeline::now_ns();
    for i in 0..o.n {
        // SAFETY: psh has no other thread now; the child only formats a
        // line, writes it and _exits.
        match unsafe { nix::unistd::fork() } {
            Ok(nix::unistd::ForkResult::Child) => {
                let line = format!("process {i} {} {}\n", std::process::id(), gettid());
                // One write of a short line is atomic: no lock is needed.
                let _ = sys::write_all(1, line.as_bytes());
                // SAFETY: leave at once, running nothing of the parent's.
                unsafe { libc::_exit(0) }
            }
            Ok(nix::unistd::ForkResult::Parent { child }) => {
                trace::event(&format!("fork → pid {child} (worker {i})"));
                children.push(child);
            }
            Err(e) => {
                reap_all(&children);
                return Err(format!("cannot fork worker {i}: {}", e.desc()));
            }
        }
    }
    let statuses = reap_all(&children);
    let failed = statuses.iter().filter(|&&s| s != 0).count();
    let end = timeline::now_ns();
    let events = (0..o.n)
        .map(|_| {
            vec![
                Event {
                    at_ns: epoch,
                    state: State::Run,
                },
                Event {
                    at_ns: end,
                    state: State::Done,
                },
            ]
        })
        .collect();
    Ok(Report {
        summary: format!(
            "{} processes, {} reaped{}",
            o.n,
            children.len(),
            if failed > 0 {
                format!(", {failed} failed")
            } else {
                String::new()
            }
        ),
        per_worker: Vec::new(),
        status: i32::from(failed > 0),
        events,
    })
}

/// waitpid every child; their exit statuses.
fn reap_all(children: &[nix::unistd::Pid]) -> Vec<i32> {
    children
        .iter()
        .map(|&pid| loop {
            match nix::sys::wait::waitpid(pid, None) {
                Ok(nix::sys::wait::WaitStatus::Exited(_, c)) => {
                    trace::event(&format!("waitpid({pid}) → exited {c}"));
                    break c;
                }
                Ok(nix::sys::wait::WaitStatus::Signaled(_, s, _)) => {
                    trace::event(&format!("waitpid({pid}) → killed by {}", s.as_str()));
                    break 128 + s as i32;
                }
                Ok(_) => continue,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(_) => break 0,
            }
        })
        .collect()
}

// ------------------------------------------------------------ booth

struct Booth {
    left: u64,
    out: Out,
}

/// The course's booth: a counter under a mutex; each sale prints
/// `TID :now left: N`, a booth that finds none left says so and ends.
fn threads_booth(o: &Options, tickets: u64) -> Result<Report, String> {
    let shared = Arc::new(Mutex::new(Booth {
        left: tickets,
        out: Out::new(),
    }));
    let (chore, quiet, timeline) = (o.chore, o.quiet, o.timeline);
    let sh = shared.clone();
    let res = spawn_join(o.n, move |tid| {
        let mut sold = 0u64;
        let mut rec = Recorder::new(timeline);
        loop {
            rec.mark(State::Wait);
            let mut b = match sh.lock() {
                Ok(b) => b,
                Err(p) => p.into_inner(),
            };
            rec.mark(State::Lock);
            if b.left == 0 {
                if !quiet {
                    b.out.line(format_args!("Thread_id {tid}  No more tickets"));
                }
                break;
            }
            b.left -= 1;
            sold += 1;
            if !quiet {
                let left = b.left;
                b.out.line(format_args!("{tid} :now left: {left}"));
            }
            sleep(chore);
            drop(b);
            rec.mark(State::Run);
            sleep(chore);
        }
        rec.mark(State::Done);
        (sold, rec.events)
    })?;
    if let Ok(mut b) = shared.lock() {
        b.out.flush();
    }
    let per_worker: Vec<u64> = res.iter().map(|r| r.0).collect();
    let total: u64 = per_worker.iter().sum();
    let exact = total == tickets;
    Ok(Report {
        summary: if exact {
            format!("sold {total} of {tickets}, each exactly once (under the lock)")
        } else {
            format!("sold {total} of {tickets}: WRONG")
        },
        per_worker,
        status: i32::from(!exact),
        events: res.into_iter().map(|r| r.1).collect(),
    })
}

/// The same booth without the lock: a real read-modify-write race on a
/// shared counter (atomic loads and stores, so the race is the program's,
/// not undefined behaviour).  Every sale is recorded to report exactly what
/// went wrong.
fn threads_booth_nolock(o: &Options, tickets: u64) -> Result<Report, String> {
    let left = Arc::new(AtomicU64::new(tickets));
    let len = usize::try_from(tickets).map_err(|_| "too many tickets".to_string())? + 1;
    let mut counts_v = Vec::new();
    counts_v
        .try_reserve_exact(len)
        .map_err(|_| format!("{tickets} tickets do not fit in memory"))?;
    counts_v.resize_with(len, || AtomicU8::new(0));
    let counts: Arc<Vec<AtomicU8>> = Arc::new(counts_v);
    let (chore, quiet, timeline) = (o.chore, o.quiet, o.timeline);
    let (l2, c2) = (left.clone(), counts.clone());
    let res = spawn_join(o.n, move |tid| {
        let mut sold = 0u64;
        let mut out = Out::shared();
        let mut rec = Recorder::new(timeline);
        loop {
            rec.mark(State::Run);
            // read …
            let n = l2.load(Ordering::Relaxed);
            if n == 0 {
                if !quiet {
                    out.line(format_args!("Thread_id {tid}  No more tickets"));
                }
                break;
            }
            rec.mark(State::Lock);
            sleep(chore);
            // … modify, write: another thread may have sold `n` meanwhile.
            l2.store(n - 1, Ordering::Relaxed);
            if let Some(c) = c2.get(n as usize) {
                let _ = c.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
                    Some(v.saturating_add(1))
                });
            }
            sold += 1;
            if !quiet {
                out.line(format_args!("{tid} :now left: {}", n - 1));
            }
            rec.mark(State::Run);
            sleep(chore);
        }
        out.flush();
        rec.mark(State::Done);
        (sold, rec.events)
    })?;
    let per_worker: Vec<u64> = res.iter().map(|r| r.0).collect();
    let total: u64 = per_worker.iter().sum();
    let mut dup_numbers = 0u64;
    let mut extra = 0u64;
    let mut unsold = 0u64;
    let mut examples = Vec::new();
    for (num, c) in counts.iter().enumerate().skip(1) {
        match c.load(Ordering::Relaxed) {
            0 => unsold += 1,
            1 => {}
            k => {
                dup_numbers += 1;
                extra += u64::from(k) - 1;
                if examples.len() < 5 {
                    examples.push(num.to_string());
                }
            }
        }
    }
    let exact = total == tickets && dup_numbers == 0 && unsold == 0;
    let summary = if exact {
        format!("sold {total} of {tickets}, each exactly once — no race this time (try --chore 1)")
    } else {
        let mut s = format!("sold {total} of {tickets}: WRONG — ");
        let mut parts = Vec::new();
        if total > tickets {
            parts.push(format!("{} oversold", total - tickets));
        }
        if dup_numbers > 0 {
            parts.push(format!(
                "{dup_numbers} ticket numbers sold more than once ({extra} extra sales; e.g. {})",
                examples.join(", ")
            ));
        }
        if unsold > 0 {
            parts.push(format!("{unsold} never sold"));
        }
        s.push_str(&parts.join(", "));
        s
    };
    Ok(Report {
        summary,
        per_worker,
        status: i32::from(!exact),
        events: res.into_iter().map(|r| r.1).collect(),
    })
}

/// The booth with processes: the parent writes ticket numbers into a
/// pipe, the children read them (8-byte reads, atomic for a pipe), so
/// there is no shared memory and no lock, and every ticket is sold once.
fn procs_booth(o: &Options, tickets: u64) -> Result<Report, String> {
    let (tick_r, tick_w) = sys::pipe().map_err(|e| format!("pipe: {}", e.desc()))?;
    let (res_r, res_w) = sys::pipe().map_err(|e| format!("pipe: {}", e.desc()))?;
    trace::event(&format!(
        "pipe() → [{}, {}] tickets, [{}, {}] results",
        tick_r.raw(),
        tick_w.raw(),
        res_r.raw(),
        res_w.raw()
    ));
    let mut children = Vec::with_capacity(o.n);
    for i in 0..o.n {
        // SAFETY: single-threaded here; the child runs only the loop below
        // and _exits.
        match unsafe { nix::unistd::fork() } {
            Ok(nix::unistd::ForkResult::Child) => {
                sys::close(tick_w.raw());
                sys::close(res_r.raw());
                let st = booth_child(i, tick_r.raw(), res_w.raw(), o.quiet, o.timeline);
                // SAFETY: leave without the parent's destructors.
                unsafe { libc::_exit(st) }
            }
            Ok(nix::unistd::ForkResult::Parent { child }) => {
                trace::event(&format!("fork → pid {child} (booth {i})"));
                children.push(child);
            }
            Err(e) => {
                drop(tick_w);
                reap_all(&children);
                return Err(format!("cannot fork booth {i}: {}", e.desc()));
            }
        }
    }
    drop(tick_r);
    drop(res_w);
    // Hand out the tickets, then close: the children see end of file.
    // Blocks of PIPE_BUF bytes are written whole, so the pipe always holds
    // whole 8-byte tickets and every 8-byte read gets one.
    let mut block = Vec::with_capacity(PIPE_BUF);
    for t in (1..=tickets).rev() {
        block.extend_from_slice(&t.to_ne_bytes());
        if block.len() >= PIPE_BUF {
            if sys::write_all(tick_w.raw(), &block).is_err() {
                break;
            }
            block.clear();
        }
    }
    let _ = sys::write_all(tick_w.raw(), &block);
    drop(tick_w);
    // Collect what each child sold: (index, count, numbers…, events…).
    let mut raw = Vec::new();
    let _ = sys::read_to_end(res_r.raw(), &mut raw);
    drop(res_r);
    let statuses = reap_all(&children);
    let mut seen = Vec::new();
    seen.try_reserve_exact(
        usize::try_from(tickets)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
    )
    .map_err(|_| format!("{tickets} tickets do not fit in memory"))?;
    seen.resize(usize::try_from(tickets).unwrap_or(0) + 1, 0u8);
    let mut per_worker = vec![0u64; o.n];
    let mut events: Vec<Vec<Event>> = vec![Vec::new(); o.n];
    // Chunks of (index, kind, n, n values): 0 = tickets sold, 1 = events
    // (time, state pairs).
    let mut words = raw
        .chunks_exact(8)
        .map(|c| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8])));
    while let (Some(idx), Some(kind), Some(n)) = (words.next(), words.next(), words.next()) {
        let idx = usize::try_from(idx).unwrap_or(usize::MAX);
        for _ in 0..n {
            let v = words.next().unwrap_or(0);
            match kind {
                0 => {
                    if let Some(s) = seen.get_mut(usize::try_from(v).unwrap_or(usize::MAX)) {
                        *s = s.saturating_add(1);
                    }
                    if let Some(p) = per_worker.get_mut(idx) {
                        *p += 1;
                    }
                }
                _ => {
                    if let Some(e) = events.get_mut(idx) {
                        e.push(Event {
                            at_ns: v >> 2,
                            state: State::from_u64(v & 3),
                        });
                    }
                }
            }
        }
    }
    let total: u64 = per_worker.iter().sum();
    let once = seen.iter().skip(1).all(|&c| c == 1);
    let failed = statuses.iter().filter(|&&s| s != 0).count();
    let exact = total == tickets && once && failed == 0;
    Ok(Report {
        summary: if exact {
            format!(
                "sold {total} of {tickets}, each exactly once (handed out through a pipe, no lock)"
            )
        } else {
            format!("sold {total} of {tickets}: WRONG ({failed} children failed)")
        },
        per_worker,
        status: i32::from(!exact),
        events,
    })
}

/// A booth process: read ticket numbers until end of file; then report
/// to the parent through the results pipe.
fn booth_child(idx: usize, tickets: RawFd, results: RawFd, quiet: bool, timeline: bool) -> i32 {
    let mut out = Out::shared();
    let mut sold: Vec<u64> = Vec::new();
    let mut rec = Recorder::new(timeline);
    let mut buf = [0u8; 8];
    loop {
        rec.mark(State::Wait);
        // SAFETY: an 8-byte read into an 8-byte buffer.
        let n = unsafe { libc::read(tickets, buf.as_mut_ptr().cast(), 8) };
        if n < 0 && nix::errno::Errno::last() == nix::errno::Errno::EINTR {
            continue;
        }
        if n != 8 {
            break;
        }
        rec.mark(State::Run);
        let t = u64::from_ne_bytes(buf);
        sold.push(t);
        if !quiet {
            out.line(format_args!("{idx} :sold ticket {t}"));
        }
    }
    if !quiet {
        out.line(format_args!("Process_id {idx}  No more tickets"));
    }
    out.flush();
    rec.mark(State::Done);
    // Several children report into one pipe: every chunk is one write of
    // at most PIPE_BUF bytes, so chunks never mix.
    let events: Vec<u64> = rec
        .events
        .iter()
        .map(|e| (e.at_ns << 2) | e.state as u64)
        .collect();
    let mut failed = false;
    for (kind, values) in [(0u64, &sold), (1u64, &events)] {
        for part in values.chunks(PIPE_BUF / 8 - 3) {
            let mut chunk = Vec::with_capacity(PIPE_BUF);
            for w in [idx as u64, kind, part.len() as u64].iter().chain(part) {
                chunk.extend_from_slice(&w.to_ne_bytes());
            }
            failed |= sys::write_all(results, &chunk).is_err();
        }
    }
    i32::from(failed)
}

// ------------------------------------------------------------ cond

struct Queue {
    items: std::collections::VecDeque<u64>,
    done: bool,
}

/// One producer and N consumers on a condition variable.  Each wake-up of
/// a consumer is counted; one that finds nothing to take is wasted.
fn threads_cond(o: &Options, items: u64) -> Result<Report, String> {
    let shared = Arc::new((
        Mutex::new(Queue {
            items: std::collections::VecDeque::new(),
            done: false,
        }),
        Condvar::new(),
    ));
    let out = Arc::new(Mutex::new(Out::new()));
    let (quiet, timeline, notify_all, chore) = (o.quiet, o.timeline, o.notify_all, o.chore);
    // The producer is one more thread beside the consumers.
    let producer = {
        let sh = shared.clone();
        std::thread::Builder::new()
            .name("psh-lab-producer".into())
            .spawn(move || {
                for k in 1..=items {
                    sleep(chore);
                    let (m, cv) = &*sh;
                    if let Ok(mut q) = m.lock() {
                        q.items.push_back(k);
                    }
                    if notify_all {
                        cv.notify_all();
                    } else {
                        cv.notify_one();
                    }
                }
                let (m, cv) = &*sh;
                if let Ok(mut q) = m.lock() {
                    q.done = true;
                }
                cv.notify_all();
            })
            .map_err(|e| format!("cannot start the producer: {e}"))?
    };
    trace::event("thread spawn producer");
    let (sh, out2) = (shared.clone(), out.clone());
    let res = spawn_join(o.n, move |idx| {
        let (m, cv) = &*sh;
        let (mut got, mut wakeups, mut wasted) = (0u64, 0u64, 0u64);
        let mut rec = Recorder::new(timeline);
        rec.mark(State::Wait);
        let mut q = match m.lock() {
            Ok(q) => q,
            Err(p) => p.into_inner(),
        };
        rec.mark(State::Lock);
        loop {
            if let Some(item) = q.items.pop_front() {
                got += 1;
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
            rec.mark(State::Wait);
            q = match cv.wait(q) {
                Ok(q) => q,
                Err(p) => p.into_inner(),
            };
            rec.mark(State::Lock);
            wakeups += 1;
            if q.items.is_empty() && !q.done {
                wasted += 1;
            }
        }
        drop(q);
        rec.mark(State::Done);
        (got, wakeups, wasted, rec.events)
    });
    let joined = producer.join();
    trace::event("thread join producer");
    let res = res?;
    joined.map_err(|_| "the producer failed".to_string())?;
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
        summary: format!("1 producer, {} consumers, {total} of {items} items taken; {how}: {wakeups} wake-ups, {wasted} wasted", o.n),
        per_worker,
        status: i32::from(total != items),
        events: res.into_iter().map(|r| r.3).collect(),
    })
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
