//! Signals that always arrive, without a terminal (SPEC §5, §6; issue 10):
//! handler blocks in forked children, an inherited signal mask, lab
//! workers that are killed, Ctrl-C to a script (bash's rule), and
//! background jobs of a script.

use crate::common;
use common::*;

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// `program ARGS`, in its own process group (as a terminal would put a
/// job), with stdout and stderr piped.
fn start(program: &str, args: &[&str]) -> Child {
    command(program)
        .args(args)
        .current_dir(scratch("intr"))
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// Wait for `child`, failing (and killing it) after `secs` seconds.
fn finish(mut child: Child, secs: u64, what: &str) -> (String, String, std::process::ExitStatus) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Ok(Some(st)) = child.try_wait() {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {secs} s (a hang)");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut o) = child.stdout.take() {
        let _ = o.read_to_string(&mut out);
    }
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    (out, err, status)
}

/// Read stdout lines until one equals `line`.
fn wait_line(child: &mut Child, line: &str) -> BufReader<std::process::ChildStdout> {
    let mut r = BufReader::new(child.stdout.take().expect("stdout"));
    let mut got = String::new();
    loop {
        got.clear();
        assert!(
            r.read_line(&mut got).expect("read") > 0,
            "ended before {line:?}"
        );
        if got.trim_end() == line {
            return r;
        }
    }
}

fn rest(mut r: BufReader<std::process::ChildStdout>) -> String {
    let mut s = String::new();
    let _ = r.read_to_string(&mut s);
    s
}

#[test]
fn handler_blocks_work_in_forked_children() {
    for line in [
        "( trap HUP < echo hi >; sleep 0.1; echo inner ); echo end",
        "echo $(alarm 5 < echo no >; sleep 0.1; echo inner); echo end",
        "{ trap USR1 < echo no >; sleep 0.1; echo inner } & wait; echo end",
        "fn f { alarm 5 < echo no >; sleep 0.1; echo inner }; f | cat; echo end",
        "( trap USR1 < echo got-usr1 >; kill -USR1 $(sh -c 'echo $PPID'); sleep 0.1; echo inner ); echo end",
    ] {
        let (out, err, st) = finish(start(PSH, &["-c", line]), 10, line);
        assert!(out.ends_with("inner\nend\n"), "{line}: {out:?} {err}");
        assert_eq!(st.code(), Some(0), "{line}");
    }
}

#[test]
fn an_inherited_signal_mask_or_ignored_signals_change_nothing() {
    let line =
        "trap USR1 < echo u >; kill -USR1 $$; sleep 0.2; echo end; sleep 0.1 & wait; echo waited";
    for (block, ignore) in [
        (vec![libc::SIGCHLD], vec![]),
        (
            vec![libc::SIGCHLD, libc::SIGUSR1, libc::SIGINT, libc::SIGALRM],
            vec![],
        ),
        (vec![], vec![libc::SIGCHLD]),
        (vec![libc::SIGCHLD], vec![libc::SIGINT, libc::SIGQUIT]),
    ] {
        let mut cmd = command(PSH);
        cmd.args(["-c", line])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (b, i) = (block.clone(), ignore.clone());
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let mut set = std::mem::zeroed::<libc::sigset_t>();
                libc::sigemptyset(&mut set);
                for s in &b {
                    libc::sigaddset(&mut set, *s);
                }
                libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
                for s in &i {
                    libc::signal(*s, libc::SIG_IGN);
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn");
        let what = format!("blocked {block:?}, ignored {ignore:?}");
        let (out, err, st) = finish(child, 10, &what);
        assert_eq!(out, "u\nend\nwaited\n", "{what}: {err}");
        assert_eq!(st.code(), Some(0), "{what}");
    }
}

/// The lab's worker processes of a running psh (its children).
fn children_of(pid: u32) -> Vec<i32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect()
}

fn sig_ignored(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|h| u64::from_str_radix(h.trim(), 16).ok())
        .unwrap_or(0)
}

#[test]
fn killed_lab_workers_are_reported_and_psh_goes_on() {
    let child = start(
        PSH,
        &["-c", "procs 2 booth 100000000 --quiet; echo after=$?"],
    );
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(10);
    let workers = loop {
        let w = children_of(pid);
        if w.len() == 2 {
            break w;
        }
        assert!(Instant::now() < deadline, "no workers appeared");
        std::thread::sleep(Duration::from_millis(5));
    };
    for &w in &workers {
        // INT, QUIT, TERM and TSTP reach a worker: none is ignored.
        let bits = (1 << (2 - 1)) | (1 << (3 - 1)) | (1 << (15 - 1)) | (1 << (20 - 1));
        assert_eq!(
            sig_ignored(w) & bits,
            0,
            "worker {w} ignores {:#x}",
            sig_ignored(w)
        );
    }
    for &w in &workers {
        // SAFETY: signalling the test's own grandchildren.
        unsafe { libc::kill(w, libc::SIGTERM) };
    }
    let (out, err, st) = finish(child, 20, "procs booth with killed workers");
    assert_eq!(out, "after=1\n", "{err}");
    assert!(err.contains("WRONG"), "{err}");
    assert_eq!(
        st.code(),
        Some(0),
        "psh itself must not die (SIGPIPE): {st:?}"
    );
}

/// Ctrl-C to a script: the whole process group gets SIGINT.
fn interrupt_group(child: &Child) {
    // SAFETY: signalling the process group the test started.
    unsafe { libc::killpg(child.id() as i32, libc::SIGINT) };
}

#[test]
fn ctrl_c_to_a_script_follows_bash() {
    // The foreground command handles SIGINT and exits 0: the script goes
    // on.  It dies of SIGINT: so does the script.
    let handled = "sh -c 'trap \"echo caught; exit 0\" INT; echo ready; while :; do sleep 0.01; done'; echo after";
    let dies = "sh -c 'echo ready; exec sleep 5'; echo after";
    let builtin_loop = "echo ready; while true { : }; echo after";
    for shell in [PSH, "bash"] {
        let line = if shell == "bash" {
            "echo ready; while true; do :; done; echo after"
        } else {
            builtin_loop
        };
        for (script, expect_out, expect_sig) in [
            (handled, "caught\nafter\n", None),
            (dies, "", Some(libc::SIGINT)),
            (line, "", Some(libc::SIGINT)),
        ] {
            let mut child = start(shell, &["-c", script]);
            let r = wait_line(&mut child, "ready");
            interrupt_group(&child);
            let out = rest(r);
            let (_, err, st) = finish(child, 10, script);
            assert_eq!(out, expect_out, "{shell}: {script}: {err}");
            assert_eq!(st.signal(), expect_sig, "{shell}: {script}: {st:?}");
        }
    }
}

#[test]
fn background_jobs_of_a_script_ignore_int_and_quit() {
    for line in [
        "sleep 1 & grep SigIgn /proc/$!/status; kill $!",
        "{ sleep 1 } & sleep 0.1; grep SigIgn /proc/$(pgrep -P $! sleep)/status; kill %1",
    ] {
        let r = psh(line);
        let mask = r
            .stdout
            .trim()
            .trim_start_matches("SigIgn:")
            .trim()
            .to_string();
        let mask = u64::from_str_radix(&mask, 16).unwrap_or(0);
        assert_eq!(mask & 0b110, 0b110, "{line}: {}", r.stdout);
    }
}

#[test]
fn redirections_of_fds_0_to_9_never_reach_psh_s_own_descriptors() {
    // psh keeps its self-pipe (and, interactively, the history file and the
    // line editor's pipe) above 9: `exec 3> f` once replaced the self-pipe
    // and the next child's SIGCHLD killed psh with SIGPIPE.
    let line = "exec 3> out 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; trap USR1 < echo u >; kill -USR1 $$; /bin/true; sleep 0.1 & wait; echo end; exec 3>&-; cat out";
    let (out, err, st) = finish(start(PSH, &["-c", line]), 10, line);
    assert_eq!(out, "u\nend\n", "{err}");
    assert_eq!(st.code(), Some(0), "{st:?}");
}
