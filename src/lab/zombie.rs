//! `procs N zombie`: N children end at once; psh waits until each has
//! ended without reaping it (waitid with WNOWAIT), shows the kernel's
//! view of them from /proc (what `ps` reads: state `Z`, `<defunct>`) for
//! two seconds, then reaps them with waitpid and shows they are gone.
//! Forks only from a single-threaded psh; the children only `_exit`.

use std::time::Duration;

use nix::sys::wait::{waitid, Id, WaitPidFlag};
use nix::unistd::Pid;

use super::engine::{reap_all, sleep, stop_requested, Out};
use super::{Options, Report};
use crate::os::process::{self, Forked};
use crate::os::{sys, trace};

/// How long the zombies are left for everyone to see.
const SHOWN: Duration = Duration::from_secs(2);

/// One line of `ps -o pid,ppid,stat,comm` for `pid`, read from
/// /proc/PID/stat; None when the process is gone.
fn ps_line(pid: Pid) -> Option<String> {
    let text = std::fs::read(format!("/proc/{pid}/stat")).ok()?;
    let text = String::from_utf8_lossy(&text);
    // "PID (COMM) STATE PPID …": COMM may hold spaces and parentheses.
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?;
    let mut rest = text.get(close + 1..)?.split_whitespace();
    let state = rest.next()?;
    let ppid = rest.next()?;
    let defunct = if state == "Z" { " <defunct>" } else { "" };
    Some(format!("{pid:>7} {ppid:>7} {state:<4} {comm}{defunct}"))
}

pub(crate) fn procs_zombie(o: &Options) -> Result<Report, String> {
    let mut children = Vec::with_capacity(o.n);
    for i in 0..o.n {
        // Single-threaded here; the child only _exits.
        match process::fork() {
            Ok(Forked::Child) => process::exit_child(0),
            Ok(Forked::Parent(child)) => {
                trace::event(&format!("fork → pid {child} (child {i}, exits at once)"));
                children.push(child);
            }
            Err(e) => {
                reap_all(&children);
                return Err(format!("cannot fork child {i}: {}", e.desc()));
            }
        }
    }
    // Wait until each has ended, leaving it unreaped.
    for &c in &children {
        loop {
            match waitid(Id::Pid(c), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT) {
                Err(nix::errno::Errno::EINTR) if !stop_requested() => continue,
                _ => break,
            }
        }
    }
    trace::event(&format!(
        "waitid(WNOWAIT) ×{}: ended, not reaped",
        children.len()
    ));
    let mut out = Out::new(true);
    let header = format!("{:>7} {:>7} {:<4} COMMAND", "PID", "PPID", "STAT");
    out.line(format_args!(
        "{} children have ended and are not reaped yet: zombies (ps's view, from /proc/PID/stat):",
        children.len()
    ));
    out.line(format_args!("{header}"));
    let mut zombies = 0;
    for &c in &children {
        if let Some(l) = ps_line(c) {
            zombies += usize::from(l.contains(" Z "));
            out.line(format_args!("{l}"));
        }
    }
    out.line(format_args!(
        "waiting {} s without reaping them (try `ps -o pid,stat,comm --ppid {}` in another terminal) …",
        SHOWN.as_secs(),
        std::process::id()
    ));
    sleep(SHOWN);
    let statuses = reap_all(&children);
    let gone = children.iter().filter(|&&c| ps_line(c).is_none()).count();
    out.line(format_args!(
        "waitpid ×{}: reaped; {gone} of {} gone from the process table",
        statuses.len(),
        children.len()
    ));
    out.flush();
    let ok = zombies == children.len() && gone == children.len();
    if !ok {
        sys::err(&format!(
            "psh: procs: expected {n} zombies then {n} gone, saw {zombies} and {gone}\n",
            n = children.len()
        ));
    }
    Ok(Report {
        names: Vec::new(),
        summary: format!(
            "{} children were zombies (Z <defunct>) until reaped, then gone",
            zombies
        ),
        per_worker: Vec::new(),
        status: i32::from(!ok && !stop_requested()),
        events: Vec::new(),
    })
}
