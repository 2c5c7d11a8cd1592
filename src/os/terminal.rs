//! The controlling terminal and job control: making sure the shell is in
//! the foreground at start-up, handing the terminal to a foreground job
//! (tcsetpgrp) and taking it back with the shell's own terminal modes.
//! Never reads or writes the terminal's data.

use std::os::fd::BorrowedFd;

use nix::sys::signal::{killpg, Signal};
use nix::sys::termios::{tcgetattr, tcsetattr, SetArg, Termios};
use nix::unistd::{getpgrp, getpid, setpgid, tcgetpgrp, tcsetpgrp, Pid};

use crate::os::signals;

/// The terminal psh reads from (its stdin).
const TTY: i32 = 0;

fn tty() -> BorrowedFd<'static> {
    // SAFETY: fd 0 stays open for the life of the shell.
    unsafe { BorrowedFd::borrow_raw(TTY) }
}

/// What the shell needs to give the terminal away and take it back.
#[derive(Debug, Clone)]
pub struct Terminal {
    pub shell_pgid: Pid,
    pub modes: Option<Termios>,
}

/// Become an interactive job-control shell: wait until we are in the
/// foreground, ignore the job-control signals, lead our own process group
/// and own the terminal.  None if the terminal cannot be controlled.
pub fn init() -> Option<Terminal> {
    // A shell started in the background stops itself until `fg`.
    loop {
        let fg = tcgetpgrp(tty()).ok()?;
        let me = getpgrp();
        if fg == me {
            break;
        }
        let _ = killpg(me, Signal::SIGTTIN);
    }
    signals::ignore_job_control();
    let pid = getpid();
    if getpgrp() != pid {
        // Fails only for a session leader, which already leads its group.
        let _ = setpgid(pid, pid);
    }
    let pgid = getpgrp();
    tcsetpgrp(tty(), pgid).ok()?;
    Some(Terminal {
        shell_pgid: pgid,
        modes: tcgetattr(tty()).ok(),
    })
}

/// Hand the terminal to the process group `pgid`.
pub fn give_to(pgid: Pid) {
    crate::os::trace::event(&format!("tcsetpgrp(tty, {pgid})"));
    let _ = tcsetpgrp(tty(), pgid);
}

/// The terminal modes now (a job's, when it stops).
pub fn modes() -> Option<Termios> {
    tcgetattr(tty()).ok()
}

pub fn set_modes(modes: &Termios) {
    let _ = tcsetattr(tty(), SetArg::TCSADRAIN, modes);
}

/// The width of the terminal on fd 1, in columns (80 if unknown).
pub fn columns() -> usize {
    let mut ws = std::mem::MaybeUninit::<libc::winsize>::zeroed();
    // SAFETY: TIOCGWINSZ fills a winsize for a terminal descriptor.
    let r = unsafe { libc::ioctl(1, libc::TIOCGWINSZ, ws.as_mut_ptr()) };
    // SAFETY: filled by the successful call above.
    let cols = if r == 0 {
        unsafe { ws.assume_init() }.ws_col
    } else {
        0
    };
    if cols == 0 {
        80
    } else {
        usize::from(cols)
    }
}

impl Terminal {
    /// Take the terminal back, with the shell's own modes.
    pub fn take_back(&self) {
        crate::os::trace::event(&format!(
            "tcsetpgrp(tty, {}) → the terminal back to psh",
            self.shell_pgid
        ));
        let _ = tcsetpgrp(tty(), self.shell_pgid);
        if let Some(m) = &self.modes {
            set_modes(m);
        }
    }
}
