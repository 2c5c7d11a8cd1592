//! `--seed`/`--schedule`/`--step`/`--quiz` for processes (`procs N
//! booth`, `--shared`, `procs N worker`): real forked children, each
//! blocked on its own "go" pipe; the parent (this thread, `sched.rs`'s
//! driver) picks one, writes it one byte, and the child takes one step —
//! reads the ticket pipe, reads or writes its own copy of the counter,
//! prints — and reports it through a shared report pipe before it waits
//! again.  Nothing is modelled: the values are what the children did.

use std::os::fd::RawFd;

use nix::unistd::Pid;

use super::Model;
use crate::lab::engine::{reap_all, stop_requested};
use crate::lab::{Options, Task};
use crate::os::process::{self, Forked};
use crate::os::{signals, sys, trace};

const READ: u64 = 0;
const WRITE: u64 = 1;
const PRINT: u64 = 2;
const EXIT: u64 = 3;
/// A child that is gone (no next step).
const GONE: u64 = 4;

pub(crate) struct Procs {
    worker: bool,
    shared: bool,
    tickets: u64,
    children: Vec<Pid>,
    go: Vec<sys::Fd>,
    report: Option<sys::Fd>,
    next: Vec<u64>,
    own: Vec<Option<u64>>,
    sold: Vec<u64>,
    /// Tickets read from the pipe so far.
    taken: u64,
    order: Vec<usize>,
}

impl Procs {
    /// Fork the children (psh is single-threaded here) and fill the
    /// ticket pipe.
    pub(crate) fn start(o: &Options) -> Result<Procs, String> {
        let worker = o.task == Task::Worker;
        let tickets = match o.task {
            Task::Booth(t) => t,
            _ => 0,
        };
        let err = |e: nix::errno::Errno| format!("pipe: {}", e.desc());
        let (tick_r, tick_w) = sys::pipe().map_err(err)?;
        let (rep_r, rep_w) = sys::pipe().map_err(err)?;
        let mut p = Procs {
            worker,
            shared: o.shared,
            tickets,
            children: Vec::new(),
            go: Vec::new(),
            report: None,
            next: Vec::new(),
            own: vec![None; o.n],
            sold: vec![0; o.n],
            taken: 0,
            order: Vec::new(),
        };
        for i in 0..o.n {
            let (go_r, go_w) = sys::pipe().map_err(err)?;
            match process::fork() {
                Ok(Forked::Child) => {
                    signals::reset_in_child();
                    // Keep only this child's ends: the ticket pipe must
                    // reach end of file, and the other go pipes theirs.
                    for fd in
                        p.go.iter()
                            .map(sys::Fd::raw)
                            .chain([go_w.raw(), tick_w.raw(), rep_r.raw()])
                    {
                        sys::close(fd);
                    }
                    let st = child(i, go_r.raw(), rep_w.raw(), tick_r.raw(), &p);
                    process::exit_child(st)
                }
                Ok(Forked::Parent(pid)) => {
                    trace::event(&format!("fork → pid {pid} (process {i}, stepped)"));
                    p.children.push(pid);
                    p.go.push(go_w);
                }
                Err(e) => {
                    p.go.clear();
                    reap_all(&p.children);
                    return Err(format!("cannot fork process {i}: {}", e.desc()));
                }
            }
        }
        drop(tick_r);
        drop(rep_w);
        if !worker && !o.shared {
            // The whole stock, then end of file: at most 1000 tickets, so
            // the pipe's 64 KiB hold them without a reader.
            let all: Vec<u8> = (1..=tickets).rev().flat_map(u64::to_ne_bytes).collect();
            sys::write_all(tick_w.raw(), &all).map_err(|e| format!("ticket pipe: {}", e.desc()))?;
        }
        drop(tick_w);
        p.report = Some(rep_r);
        p.next = vec![if worker { PRINT } else { READ }; o.n];
        Ok(p)
    }
}

impl Drop for Procs {
    fn drop(&mut self) {
        // End of file on every go pipe: a child still waiting leaves.
        self.go.clear();
        reap_all(&self.children);
    }
}

/// A stepped child: wait for a byte, take one step, report it.
fn child(idx: usize, go: RawFd, report: RawFd, tickets: RawFd, p: &Procs) -> i32 {
    let mut next = if p.worker { PRINT } else { READ };
    // `--shared`: this process's own copy of the counter.
    let mut own_left = p.tickets;
    let mut ticket = 0u64;
    let mut b = [0u8; 1];
    loop {
        if sys::read_some(go, &mut b) != Ok(1) {
            return 0;
        }
        let (done, value);
        match next {
            READ if p.shared => {
                (done, value) = (READ, own_left);
                next = if own_left == 0 { EXIT } else { WRITE };
            }
            READ => {
                let mut buf = [0u8; 8];
                ticket = if sys::read_some(tickets, &mut buf) == Ok(8) {
                    u64::from_ne_bytes(buf)
                } else {
                    0
                };
                (done, value) = (READ, ticket);
                next = if ticket == 0 { EXIT } else { PRINT };
            }
            WRITE => {
                own_left -= 1;
                (done, value) = (WRITE, own_left);
                next = PRINT;
            }
            PRINT => {
                (done, value) = (PRINT, if p.shared { own_left } else { ticket });
                next = if p.worker { EXIT } else { READ };
            }
            _ => {
                (done, value) = (EXIT, 0);
                next = GONE;
            }
        }
        let mut rec = Vec::with_capacity(32);
        for w in [idx as u64, done, value, next] {
            rec.extend_from_slice(&w.to_ne_bytes());
        }
        if sys::write_all(report, &rec).is_err() || next == GONE {
            return 0;
        }
    }
}

impl Model for Procs {
    fn workers(&self) -> usize {
        self.next.len()
    }
    fn on_threads(&self) -> bool {
        false
    }
    fn label(&self) -> char {
        'P'
    }
    fn next(&self, w: usize) -> Option<&'static str> {
        ["read", "write", "print", "exit"]
            .get(*self.next.get(w)? as usize)
            .copied()
    }
    fn can(&self, _w: usize) -> bool {
        true
    }
    fn take(&mut self, w: usize) -> Option<String> {
        let gone = |p: &mut Procs| {
            p.next[w] = GONE;
            None
        };
        if sys::write_all(self.go.get(w)?.raw(), b"g").is_err() || stop_requested() {
            return gone(self);
        }
        let mut rec = [0u8; 32];
        let fd = self.report.as_ref()?.raw();
        let mut got = 0;
        while got < rec.len() {
            match sys::read_some(fd, &mut rec[got..]) {
                Ok(0) => return gone(self),
                Ok(k) => got += k,
                Err(nix::errno::Errno::EINTR) if !stop_requested() => {}
                Err(_) => return gone(self),
            }
        }
        let word = |k: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&rec[k * 8..k * 8 + 8]);
            u64::from_ne_bytes(b)
        };
        let (done, value, next) = (word(1), word(2), word(3));
        self.next[w] = next;
        match done {
            READ if !self.shared && value > 0 => {
                self.taken += 1;
                self.own[w] = Some(value);
                None
            }
            READ | WRITE => {
                self.own[w] = Some(value);
                None
            }
            PRINT if self.worker => {
                self.order.push(w);
                Some(format!("process {w} (its own pid)"))
            }
            PRINT => {
                self.sold[w] += 1;
                Some(if self.shared {
                    format!("{w} :now left: {value}")
                } else {
                    format!("{w} :sold ticket {value}")
                })
            }
            _ if self.worker => None,
            _ => Some(format!("Process_id {w}  No more tickets")),
        }
    }
    fn shared_names(&self) -> Vec<String> {
        vec![if self.shared {
            "psh's"
        } else if self.worker {
            "alive"
        } else {
            "pipe"
        }
        .to_string()]
    }
    fn shared(&self) -> Vec<String> {
        let v = if self.shared {
            // The parent's counter: no child's write ever reaches it.
            self.tickets
        } else if self.worker {
            self.next.iter().filter(|&&n| n != GONE).count() as u64
        } else {
            self.tickets - self.taken
        };
        vec![v.to_string()]
    }
    fn own(&self, w: usize) -> String {
        super::cell(&self.own, w)
    }
    fn legend(&self) -> &'static str {
        if self.shared {
            "psh's counter, then each process's own copy"
        } else if self.worker {
            "processes not yet exited"
        } else {
            "tickets left in the pipe, then each process's last ticket"
        }
    }
    fn summary(&self, _stuck: bool) -> (String, i32) {
        if self.worker {
            let order: Vec<String> = self.order.iter().map(|w| format!("P{w}")).collect();
            return (
                format!(
                    "{} processes spoke in the order {}",
                    self.next.len(),
                    order.join(" ")
                ),
                0,
            );
        }
        let total: u64 = self.sold.iter().sum();
        let t = self.tickets;
        if self.shared {
            (format!("sold {total} of {t}: each process sold from its own copy of the counter (fork copies memory)"), i32::from(total != t))
        } else {
            (
                format!("sold {total} of {t}, each exactly once (through the pipe)"),
                i32::from(total != t),
            )
        }
    }
    fn per_worker(&self) -> Vec<u64> {
        if self.worker {
            Vec::new()
        } else {
            self.sold.clone()
        }
    }
}
