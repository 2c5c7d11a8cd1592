//! Scale, faults and security (issue 6): a thousand jobs, leaks, running
//! out of processes, children killed by every signal, closed pipes,
//! SIGHUP and SIGTERM to psh, and what children inherit.

use crate::common;
use common::pty::Pty;
use common::*;

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn a_thousand_background_jobs_are_listed_and_reaped() {
    let start = Instant::now();
    let r = psh(
        "i=0; while [ $i -lt 1000 ] { sleep 0.5 & i=$((i+1)) }; jobs | wc -l; wait; jobs | wc -l; ps -o stat= --ppid $$ > kids; grep -c . kids",
    );
    assert_eq!(r.stdout, "1000\n0\n1\n", "{}", r.stderr);
    // Generous: the point is "a few seconds", not a benchmark.
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn children_killed_by_any_signal_give_128_plus_n() {
    for (name, n) in [
        ("HUP", 1),
        ("INT", 2),
        ("QUIT", 3),
        ("ABRT", 6),
        ("KILL", 9),
        ("SEGV", 11),
        ("PIPE", 13),
        ("ALRM", 14),
        ("TERM", 15),
        ("USR1", 10),
        ("USR2", 12),
    ] {
        let r = psh(&format!(
            "sh -c 'kill -{name} $$'; echo $?; sh -c 'kill -{name} $$' | cat; echo $?"
        ));
        assert_eq!(r.stdout, format!("{}\n0\n", 128 + n), "{name}");
        let r = psh(&format!(
            "set -o pipefail; sh -c 'kill -{name} $$' | cat; echo $?"
        ));
        assert_eq!(r.stdout, format!("{}\n", 128 + n), "{name} with pipefail");
    }
}

#[test]
fn psh_writing_into_a_closed_pipe_ends_instead_of_spinning() {
    let mut child = command(PSH)
        .args(["-c", "while true { echo y }"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut buf = [0u8; 16];
    out.read_exact(&mut buf).expect("some output");
    drop(out);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(st) = child.try_wait().expect("wait") {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(st.signal(), Some(libc::SIGPIPE));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "psh kept writing into a closed pipe"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let r = psh("yes | head -1; echo status $?");
    assert_eq!(r.stdout, "y\nstatus 0\n");
}

#[test]
fn running_out_of_processes_is_an_error_for_that_command() {
    // SAFETY: getuid only queries.
    if unsafe { libc::getuid() } != 0 {
        eprintln!("skipped: needs root to run psh as another user with a process limit");
        return;
    }
    let mut cmd = command(PSH);
    cmd.args(["-c", "i=0; while [ $i -lt 40 ] { sleep 2 & i=$((i+1)) }; echo still here; echo $(echo subst-ok); ( echo sub-ok )"])
        .current_dir("/tmp")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 20,
                rlim_max: 20,
            };
            if libc::setrlimit(libc::RLIMIT_NPROC, &lim) != 0
                || libc::setgid(65534) != 0
                || libc::setuid(65534) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.starts_with("still here\n"), "{stdout}\n{stderr}");
    assert!(stderr.contains("out of processes"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn children_inherit_exactly_the_environment_they_were_given() {
    let dir = scratch("env");
    let out = command(PSH)
        .args(["-c", "env"])
        .current_dir(&dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ONE", "1")
        .env("SPACES", "a  b")
        .env("EMPTY", "")
        .output()
        .expect("run");
    let mut got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    got.sort();
    let mut want = vec![
        format!("PATH={}", std::env::var("PATH").unwrap_or_default()),
        "ONE=1".to_string(),
        "SPACES=a  b".to_string(),
        "EMPTY=".to_string(),
        format!("PWD={}", dir.canonicalize().unwrap().display()),
    ];
    want.sort();
    assert_eq!(got, want, "psh adds PWD (as sh does) and nothing else");
    // Only what the user asks for changes.
    let r = psh("export ADDED=x; unset HOME; env | grep -c '^ADDED=x$'; env | grep -c '^HOME='");
    assert_eq!(r.stdout, "1\n0\n");
}

#[test]
fn sighup_to_an_interactive_psh_hangs_up_its_jobs() {
    let home = scratch("pty-hup");
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.prompt();
    p.command("sleep 100 & echo bg=$!");
    p.expect("bg=");
    let pid: i32 = p.expect("\r\n").trim().parse().expect("pid");
    p.prompt();
    p.command("sh -c 'echo stopped=$$; exec sleep 100'");
    p.expect("stopped=");
    let stopped: i32 = p.expect("\r\n").trim().parse().expect("pid");
    p.send("\x1a");
    p.expect("Stopped");
    p.prompt();
    // SAFETY: signalling the psh process this test started.
    unsafe { libc::kill(p.child.id() as i32, libc::SIGHUP) };
    assert_eq!(p.wait_exit(), 128 + 1);
    for job in [pid, stopped] {
        wait_gone(job, "a job after SIGHUP to psh");
    }
}

#[test]
fn sigterm_does_not_end_an_interactive_psh() {
    let home = scratch("pty-term");
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.prompt();
    // SAFETY: signalling the psh process this test started.
    unsafe { libc::kill(p.child.id() as i32, libc::SIGTERM) };
    p.command("echo alive; sh -c 'grep SigIgn /proc/self/status'");
    p.expect("alive\r\n");
    let ign = p.expect("\r\n");
    let mask =
        u64::from_str_radix(ign.trim().trim_start_matches("SigIgn:").trim(), 16).expect("hex");
    assert_eq!(
        mask & (1 << (15 - 1)),
        0,
        "children get SIGTERM back at its default"
    );
}

#[test]
fn a_history_that_cannot_be_a_file_is_only_a_warning() {
    let home = scratch("pty-hist");
    std::fs::create_dir_all(home.join("data/psh")).unwrap();
    std::os::unix::fs::symlink("/dev/null", home.join("data/psh/history")).unwrap();
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.expect("psh: history:");
    p.prompt();
    p.command("echo works");
    p.expect("works\r\n");
    // /dev/null was not touched.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata("/dev/null").unwrap().permissions().mode() & 0o777,
        0o666
    );
}
