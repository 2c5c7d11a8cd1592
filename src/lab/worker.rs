//! `worker`: each worker says who it is — `thread I PID TID` (one PID
//! for all) or `process I PID TID` (N PIDs).  Shows threads vs processes;
//! shares no state between workers.

use std::sync::{Arc, Mutex};

use super::engine::{lock, reap_all, spawn_join, Out};
use super::events::{Ev, Run};
use super::timeline::{self, Event, State};
use super::{Options, Report};
use crate::os::process::{self, Forked};
use crate::os::trace;

pub(crate) fn threads_worker(o: &Options) -> Result<Report, String> {
    let print_lock = Arc::new(Mutex::new(()));
    let pid = std::process::id();
    let chore = o.chore;
    let out = Arc::new(Mutex::new(Out::new(true)));
    let run = Run::new(&out, false, o.events, o.timeline);
    let res = spawn_join(o.n, move |i| {
        let mut t = run.tap('T', i);
        t.ev(Ev::LockWait);
        let guard = lock(&print_lock);
        t.ev(Ev::LockGot);
        t.ev(Ev::SaysThread(pid, process::gettid()));
        t.ev(Ev::Unlock);
        drop(guard);
        // `--chore MS`: the worker's work, after it said who it is.
        if !chore.is_zero() {
            t.ev(Ev::Chore);
        }
        super::engine::sleep(chore);
        t.ev(Ev::End);
        t.states
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
    // Each child prints into its own output, timed from here.
    let run = |out: &Arc<Mutex<Out>>| Run::new(out, false, o.events, false).since(epoch);
    for i in 0..o.n {
        // psh has no other thread now; the child only formats a
        // line, writes it and _exits.
        match process::fork() {
            Ok(Forked::Child) => {
                crate::os::signals::reset_in_child();
                let out = Arc::new(Mutex::new(Out::shared(true)));
                let mut t = run(&out).tap('P', i);
                t.ev(Ev::Start(std::process::id()));
                // One write of a short line is atomic: no lock is needed.
                t.ev(Ev::SaysProcess(std::process::id(), process::gettid()));
                t.ev(Ev::Printed);
                super::engine::sleep(chore);
                t.ev(Ev::Exit);
                drop(out);
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
