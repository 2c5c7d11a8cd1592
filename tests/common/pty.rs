//! A real pseudo-terminal for interactive tests: psh runs as the session
//! leader with the PTY as its controlling terminal, and the test types into
//! the master side and waits for output (never for a fixed time).
#![allow(dead_code)]

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

pub struct Pty {
    master: OwnedFd,
    pub child: Child,
    /// Output not yet consumed by `expect`.
    pub pending: String,
    /// Everything the terminal showed, for failure messages.
    pub seen: String,
    pub home: PathBuf,
}

const TIMEOUT: Duration = Duration::from_secs(15);

impl Pty {
    /// Start `psh ARGS` on a new terminal with HOME and the XDG
    /// directories inside `home`; `env` adds or overrides variables.
    pub fn spawn(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Pty {
        Self::spawn_with(home, args, env, |_| {})
    }

    /// As `spawn`, with `setup` given the command last (to set a user id,
    /// say).
    pub fn spawn_with(
        home: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        setup: impl FnOnce(&mut std::process::Command),
    ) -> Pty {
        let pty = nix::pty::openpty(None, None).expect("openpty");
        let slave = pty.slave;
        let mut cmd = super::command(super::PSH);
        cmd.args(args)
            .current_dir(home)
            .env_clear()
            .env("HOME", home)
            .env("PWD", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        setup(&mut cmd);
        cmd.stdin(Stdio::from(slave.try_clone().expect("dup")))
            .stdout(Stdio::from(slave.try_clone().expect("dup")))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(|| {
                libc::close_range(
                    3,
                    libc::c_uint::MAX,
                    libc::CLOSE_RANGE_CLOEXEC as libc::c_int,
                );
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn psh on a pty");
        Pty {
            master: pty.master,
            child,
            pending: String::new(),
            seen: String::new(),
            home: home.to_path_buf(),
        }
    }

    pub fn send(&mut self, s: &str) {
        self.send_bytes(s.as_bytes());
    }

    /// Type bytes that need not be UTF-8.
    pub fn send_bytes(&mut self, b: &[u8]) {
        let _ = nix::unistd::write(&self.master, b);
    }

    /// Type a line and press Enter.
    pub fn line(&mut self, s: &str) {
        self.send(s);
        self.send("\r");
    }

    /// Type a command and wait until the line editor has let go of the
    /// terminal (it leaves bracketed-paste mode): what follows is the
    /// command's own output, and what is typed next goes to the command.
    pub fn command(&mut self, s: &str) {
        self.line(s);
        self.expect("\x1b[?2004l\r\n");
    }

    /// Read what is there within `wait`; false at end of output.
    fn fill(&mut self, wait: Duration) -> bool {
        let mut fds = [PollFd::new(
            // SAFETY: the master stays open while self lives.
            unsafe { std::os::fd::BorrowedFd::borrow_raw(self.master.as_raw_fd()) },
            PollFlags::POLLIN,
        )];
        let ms = wait.as_millis().min(1000) as u16;
        match poll(&mut fds, PollTimeout::from(ms)) {
            Ok(n) if n > 0 => {}
            _ => return true,
        }
        let mut buf = [0u8; 4096];
        match nix::unistd::read(&self.master, &mut buf) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                self.seen.push_str(&text);
                self.pending.push_str(&text);
                // rustyline asks where the cursor is: answer "column 1".
                while let Some(i) = self.pending.find("\x1b[6n") {
                    self.pending.replace_range(i..i + 4, "");
                    self.send("\x1b[1;1R");
                }
                true
            }
        }
    }

    /// Wait until `needle` appears; return the output up to and including
    /// it, and consume it.
    pub fn expect(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self.pending.find(needle) {
                let end = i + needle.len();
                let got = self.pending[..end].to_string();
                self.pending.replace_range(..end, "");
                return got;
            }
            let now = Instant::now();
            if now >= deadline {
                panic!(
                    "timed out waiting for {needle:?}; the terminal showed:\n{}",
                    self.seen
                );
            }
            if !self.fill(deadline - now) {
                if let Some(i) = self.pending.find(needle) {
                    let end = i + needle.len();
                    let got = self.pending[..end].to_string();
                    self.pending.replace_range(..end, "");
                    return got;
                }
                panic!(
                    "psh ended before {needle:?}; the terminal showed:\n{}",
                    self.seen
                );
            }
        }
    }

    /// The prompt of a shell sitting in its home directory.
    pub fn prompt(&mut self) -> String {
        self.expect(" $ ")
    }

    /// Wait for psh to end; its exit status.
    pub fn wait_exit(&mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(st)) = self.child.try_wait() {
                return st.code().unwrap_or(-1);
            }
            if Instant::now() >= deadline {
                panic!("psh did not exit; the terminal showed:\n{}", self.seen);
            }
            self.fill(Duration::from_millis(50));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
