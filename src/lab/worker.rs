//! `worker`: each worker says who it is — `thread I PID TID` (one PID
//! for all) or `process I PID TID` (N PIDs).  Shows threads vs processes;
//! shares no state between workers.

use std::sync::{Arc, Mutex};

use super::engine::{reap_all, spawn_join, Recorder};
use super::timeline::{self, Event, State};
use super::{Options, Report};
use crate::os::process::{self, Forked};
use crate::os::{sys, trace};

pub(crate) fn threads_worker(o: &Options) -> Result<Report, String> {
    let print_lock = Arc::new(Mutex::new(()));
    let pid = std::process::id();
    let (timeline, chore) = (o.timeline, o.chore);
    let res = spawn_join(o.n, move |i| {
        let mut rec = Recorder::new(timeline);
        rec.mark(State::Wait);
        let guard = print_lock.lock();
        rec.mark(State::Lock);
        let line = format!("thread {i} {pid} {}\n", process::gettid());
        let _ = sys::write_all(1, line.as_bytes());
        drop(guard);
        rec.mark(State::Run);
        // `--chore MS`: the worker's work, after it said who it is.
        super::engine::sleep(chore);
        rec.mark(State::Done);
        rec.events
    })?;
    Ok(Report {
        names: Vec::new(),
        summary: format!("{} threads in process {pid}", o.n),
        per_worker: Vec::new(),
        status: 0,
        events: res,
    })
}

pub(crate) fn procs_worker(o: &Options) -> Result<Report, String> {
    let chore = o.chore;
    let mut children = Vec::with_capacity(o.n);
    let epoch = timeline::now_ns();
    let t0 = std::time::Instant::now();
    for i in 0..o.n {
        // psh has no other thread now; the child only formats a
        // line, writes it and _exits.
        match process::fork() {
            Ok(Forked::Child) => {
                crate::os::signals::reset_in_child();
                let out = Arc::new(Mutex::new(super::engine::Out::shared(true)));
                let steps = super::engine::Steps::since(o.events, &out, t0);
                let step = |what: std::fmt::Arguments<'_>| steps.step(format_args!("P{i}"), what);
                step(format_args!("start"));
                let line = format!("process {i} {} {}\n", std::process::id(), process::gettid());
                // One write of a short line is atomic: no lock is needed.
                let _ = sys::write_all(1, line.as_bytes());
                step(format_args!("printed"));
                super::engine::sleep(chore);
                step(format_args!("exit"));
                // Leave at once, running nothing of the parent's.
                process::exit_child(0)
            }
            Ok(Forked::Parent(child)) => {
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
        names: Vec::new(),
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
