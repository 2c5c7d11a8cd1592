//! Helpers shared by the integration tests: run the real psh binary (and
//! bash, for comparison) and collect what they printed.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub mod pty;

pub const PSH: &str = env!("CARGO_BIN_EXE_psh");

/// Whatever the test run itself inherited (nohup ignores SIGHUP, some
/// runners ignore SIGINT or block signals), the shells under test start
/// with the usual dispositions: reset them once in the test process.
pub fn normal_signals() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for sig in [
            libc::SIGHUP,
            libc::SIGINT,
            libc::SIGQUIT,
            libc::SIGTERM,
            libc::SIGALRM,
            libc::SIGUSR1,
            libc::SIGUSR2,
            libc::SIGCHLD,
            libc::SIGTSTP,
            libc::SIGTTIN,
            libc::SIGTTOU,
        ] {
            // SAFETY: installing SIG_DFL in the test process.
            unsafe { libc::signal(sig, libc::SIG_DFL) };
        }
        // SAFETY: an empty set, then unblock it all.
        unsafe {
            let mut set = std::mem::zeroed::<libc::sigset_t>();
            libc::sigemptyset(&mut set);
            libc::pthread_sigmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
        }
    });
}

/// `Command::new(program)`, its child starting with the usual signals.
pub fn command(program: &str) -> Command {
    normal_signals();
    Command::new(program)
}

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl Run {
    fn from(o: Output) -> Run {
        use std::os::unix::process::ExitStatusExt;
        Run {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            status: o
                .status
                .code()
                .unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0)),
        }
    }
}

/// A fresh, empty directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("psh-tests")
        .join(format!(
            "{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn run_in(dir: &Path, program: &str, args: &[&str], stdin: &[u8]) -> Run {
    let mut cmd = command(program);
    // The shell under test starts with 0, 1 and 2 only, whatever the test
    // runner itself inherited, so descriptor checks see psh's own doing.
    // SAFETY: close_range is async-signal-safe.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            // Mark, not close: std's own exec-error pipe must stay open.
            libc::close_range(
                3,
                libc::c_uint::MAX,
                libc::CLOSE_RANGE_CLOEXEC as libc::c_int,
            );
            Ok(())
        });
    }
    let mut child = cmd
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("PWD", dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    Run::from(out)
}

/// `psh -c LINE` in a scratch directory.
pub fn psh(line: &str) -> Run {
    let dir = scratch("c");
    run_in(&dir, PSH, &["-c", line], b"")
}

pub fn psh_args(args: &[&str], stdin: &[u8]) -> Run {
    let dir = scratch("a");
    run_in(&dir, PSH, args, stdin)
}

/// Write `text` to a script file in a scratch dir and run `psh FILE ARGS`.
pub fn psh_script(text: &str, args: &[&str]) -> Run {
    let dir = scratch("s");
    let file = dir.join("script.psh");
    std::fs::write(&file, text).expect("write script");
    let mut all = vec![file.to_str().expect("utf8 path")];
    all.extend_from_slice(args);
    run_in(&dir, PSH, &all, b"")
}

/// Wait (up to 10 s) until process `pid` has ended — gone, or a zombie
/// waiting for a new parent; panics with `what` otherwise.
pub fn wait_gone(pid: i32, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("gone");
        if state == "gone" || state == "Z" {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: process {pid} is still {state}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The tests' effective user id, from /proc.
pub fn euid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// `psh -c LINE` must end with `status` and say `text` on stderr.
pub fn psh_fails(line: &str, status: i32, text: &str) {
    let r = psh(line);
    assert_eq!(r.status, status, "{line}: {}", r.stderr);
    assert!(r.stderr.contains(text), "{line}: {}", r.stderr);
}
