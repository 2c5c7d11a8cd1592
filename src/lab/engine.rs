//! The lab's machinery shared by every task: output written whole lines
//! at a time, live when the run is paced or watched, in blocks otherwise
//! (`Out`), starting N threads (which open together) and joining them,
//! reaping N children, the stop flag, and small helpers (locks that
//! survive a panic, waits that see a cancel, a PRNG, plurals).
//! The event engine every task records through is `events.rs`.  Knows no
//! task.

use std::sync::Arc;
use std::time::Duration;

use crate::os::{sys, trace};

/// Output is gathered and written in blocks of this size.
const OUT_BLOCK: usize = 64 * 1024;

/// Output gathered in blocks so a million lines cost a few dozen writes.
/// Writers that run side by side use blocks of at most PIPE_BUF bytes cut
/// at line ends, so their lines never mix even in a pipe.
pub(crate) struct Out {
    buf: Vec<u8>,
    limit: usize,
    /// Write every line as it comes (a paced run, or a terminal): the
    /// output is live.  Otherwise lines go out in blocks, which a fast run
    /// fills in microseconds.
    live: bool,
}

/// Lines should appear as they happen: the run is paced (`--chore`), so
/// blocks would hold lines back for seconds, or a person is watching.
pub(crate) fn live_output(chore: Duration) -> bool {
    !chore.is_zero() || crate::os::process::isatty(1)
}

/// Writes of at most this many bytes to a pipe are atomic.
pub(crate) const PIPE_BUF: usize = 4096;

impl Out {
    /// For a single writer (or writers serialised by a lock).
    pub(crate) fn new(live: bool) -> Out {
        Out {
            buf: Vec::with_capacity(OUT_BLOCK),
            limit: OUT_BLOCK,
            live,
        }
    }
    /// For writers that run at the same time (processes: each of their
    /// blocks is one atomic pipe write).
    pub(crate) fn shared(live: bool) -> Out {
        Out {
            buf: Vec::with_capacity(PIPE_BUF),
            limit: PIPE_BUF,
            live,
        }
    }
    pub(crate) fn line(&mut self, args: std::fmt::Arguments<'_>) {
        use std::io::Write;
        let start = self.buf.len();
        let _ = self.buf.write_fmt(args);
        self.buf.push(b'\n');
        if self.buf.len() > self.limit && start > 0 {
            let _ = sys::write_all(1, &self.buf[..start]);
            self.buf.drain(..start);
        }
        if self.live || self.buf.len() >= self.limit {
            self.flush();
        }
    }
    /// What is gathered and not yet written.
    #[cfg(test)]
    pub(crate) fn pending(&self) -> &[u8] {
        &self.buf
    }
    pub(crate) fn flush(&mut self) {
        if !self.buf.is_empty() {
            // A reader that went away (`| head`) ends the output, not psh.
            let _ = sys::write_all(1, &self.buf);
            self.buf.clear();
        }
    }
}

/// A chore: sleep `d`, cut short by Ctrl-C (the run then stops).
/// Inlined: most runs have no chore, and the test is all they pay.
#[inline(always)]
pub(crate) fn sleep(d: Duration) {
    if !d.is_zero() {
        crate::os::signals::sleep_interruptible(d);
    }
}

/// Ctrl-C (or Ctrl-\\) came, or an `exit` in a handler block: every
/// worker stops at its next step.
#[inline]
pub(crate) fn stop_requested() -> bool {
    crate::os::signals::interrupted() || CANCEL.load(std::sync::atomic::Ordering::Relaxed)
}

static CANCEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Stop the run (the shell is leaving).
pub(crate) fn cancel() {
    CANCEL.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Clear the request; whether there was one.
pub(crate) fn take_cancel() -> bool {
    CANCEL.swap(false, std::sync::atomic::Ordering::Relaxed)
}

/// Spawn `n` threads running `f(index)` and join them all; their results
/// in index order.  A thread that cannot start ends the command.  The
/// workers open together (`open_together`).
pub(crate) fn spawn_join<T: Send + 'static>(
    n: usize,
    f: impl Fn(usize) -> T + Send + Sync + 'static,
) -> Result<Vec<T>, String> {
    let f = Arc::new(f);
    let started = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        let f = f.clone();
        let started = started.clone();
        let h = std::thread::Builder::new()
            .name(format!("psh-lab-{i}"))
            .stack_size(256 * 1024)
            .spawn(move || {
                open_together(&started, n);
                f(i)
            });
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

/// A worker waits until all `n` have started (yielding; at most 50 ms,
/// should one not start, and not past a Ctrl-C), so they begin their
/// task together.  Started one by one, the first would do much of the
/// work before the last exists: the unlocked booth at the course's size
/// then hid its race in about 1 run of 15.
fn open_together(started: &std::sync::atomic::AtomicUsize, n: usize) {
    use std::sync::atomic::Ordering::SeqCst;
    started.fetch_add(1, SeqCst);
    let t0 = std::time::Instant::now();
    while started.load(SeqCst) < n && t0.elapsed() < Duration::from_millis(50) && !stop_requested()
    {
        std::thread::yield_now();
    }
}

/// waitpid every child; their exit statuses.
pub(crate) fn reap_all(children: &[nix::unistd::Pid]) -> Vec<i32> {
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

/// Lock a mutex; a worker that panicked holding it leaves the data as it
/// was, which the run's own checks then report.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// Wait on `cv` for at most `d` (so a worker sees a cancel or a watchdog's
/// release within `d`).
pub(crate) fn wait_for<'a, T>(
    cv: &std::sync::Condvar,
    g: std::sync::MutexGuard<'a, T>,
    d: Duration,
) -> std::sync::MutexGuard<'a, T> {
    match cv.wait_timeout(g, d) {
        Ok((g, _)) => g,
        Err(p) => p.into_inner().0,
    }
}

/// A small PRNG for back-offs (xorshift64*): no dependency, no lock.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// `1 slot`, `3 slots`.
pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Workers by number: `T3`, or `T3-T5`.
pub(crate) fn who(first: usize, last: usize) -> String {
    if first == last {
        format!("T{first}")
    } else {
        format!("T{first}-T{last}")
    }
}
