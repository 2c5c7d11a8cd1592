//! The trace sink: with `trace on` (teach/trace.rs), each primitive is
//! printed to stderr, dimmed, as it happens — spawn, fork, pipe, dup2,
//! setpgid, tcsetpgrp, waitpid, signals, timers, threads.  One atomic load
//! when off.  Writes straight to fd 2; never uses the rest of psh.

use std::sync::atomic::{AtomicBool, Ordering};

static ON: AtomicBool = AtomicBool::new(false);

pub fn set(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

#[inline]
pub fn on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// Print one primitive (cheap when tracing is off: one atomic load).
#[inline]
pub fn event(what: &str) {
    if on() {
        emit(what);
    }
}

#[cold]
fn emit(what: &str) {
    let line = if crate::os::process::colors_on(2) {
        format!("\x1b[2mtrace: {what}\x1b[0m\n")
    } else {
        format!("trace: {what}\n")
    };
    // Straight to fd 2 (not through `sys`, which traces its own calls).
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}
