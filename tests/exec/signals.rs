//! `alarm` and `trap` handler blocks (SPEC §5 "Signals and timers"):
//! between commands, while waiting for a foreground job, at the REPL
//! prompt; replace, cancel, fractions, names and numbers, reset, errors.
//! Timing is checked only loosely (order, generous windows).

use crate::common;
use common::pty::Pty;
use common::*;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Run `psh -c LINE`, noting when each stdout line arrived.
fn timed_lines(line: &str) -> (Vec<(Duration, String)>, i32) {
    let start = Instant::now();
    let mut child = command(PSH)
        .args(["-c", line])
        .current_dir(scratch("timed"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let out = child.stdout.take().expect("stdout");
    let lines = BufReader::new(out)
        .lines()
        .map_while(Result::ok)
        .map(|l| (start.elapsed(), l))
        .collect();
    let status = child.wait().expect("wait").code().unwrap_or(-1);
    (lines, status)
}

#[test]
fn the_course_example_interrupts_a_busy_loop_and_exits_0() {
    let (lines, status) =
        timed_lines("alarm 0.3 < echo \"Now, it's the time\"; exit >\nwhile true { echo not yet }");
    assert_eq!(status, 0);
    let (at, last) = lines.last().expect("output");
    assert_eq!(last, "Now, it's the time");
    assert!(
        lines.len() > 10,
        "the loop ran before the alarm: {} lines",
        lines.len()
    );
    assert!(lines[..lines.len() - 1].iter().all(|(_, l)| l == "not yet"));
    assert!(*at >= Duration::from_millis(250), "fired too early: {at:?}");
}

#[test]
fn a_handler_runs_while_a_foreground_job_keeps_running() {
    let (lines, status) = timed_lines("alarm 0.5 < echo fired >; sleep 2; echo after");
    assert_eq!(status, 0);
    let texts: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(texts, ["fired", "after"]);
    let (fired, after) = (lines[0].0, lines[1].0);
    assert!(fired < Duration::from_millis(1500), "fired at {fired:?}");
    assert!(
        after >= Duration::from_millis(1900),
        "sleep was cut short: {after:?}"
    );
    assert!(after - fired >= Duration::from_millis(400));
}

#[test]
fn kill_to_self_runs_the_trap_before_the_next_command() {
    let r = psh("trap USR1 < echo got usr1 >; kill -USR1 $$; echo next");
    assert_eq!(r.stdout, "got usr1\nnext\n");
}

#[test]
fn traps_by_name_and_number_list_and_reset() {
    let r = psh(
        "trap USR1 < echo one >; kill -USR1 $$; trap 12 < echo two >; kill -USR2 $$; trap SIGUSR1 < echo three >; kill -s USR1 $$; trap",
    );
    assert_eq!(
        r.stdout,
        "one\ntwo\nthree\ntrap USR1 < echo three >\ntrap USR2 < echo two >\n"
    );
    let r = psh("trap USR1 < echo caught >; trap USR1 -; trap; kill -USR1 $$; echo survived");
    assert_eq!(r.stdout, "");
    assert_eq!(r.status, 128 + 10, "default action of SIGUSR1 ends psh");
}

#[test]
fn alarm_replace_cancel_query_and_fractions() {
    let r = psh("alarm 5 < echo a >; alarm 0.2 < echo b >; sleep 0.6; echo end");
    assert_eq!(r.stdout, "b\nend\n");
    assert!(
        r.stderr
            .contains("replaced the pending alarm, which had 4.9")
            || r.stderr.contains("which had 5.000 s left"),
        "{}",
        r.stderr
    );
    let r = psh("alarm 0.2 < echo a >; alarm 0; sleep 0.4; echo end");
    assert_eq!(r.stdout, "end\n");
    assert!(r.stderr.contains("alarm: cancelled"), "{}", r.stderr);
    let r = psh("alarm; alarm 30 < echo later >; alarm");
    assert!(
        r.stdout.starts_with("alarm: none pending\nalarm: 29.9")
            || r.stdout.starts_with("alarm: none pending\nalarm: 30.000"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with("s left, then < echo later >\n"),
        "{}",
        r.stdout
    );
    let r = psh("alarm 0.25 < echo quarter >; sleep 1; echo done");
    assert_eq!(r.stdout, "quarter\ndone\n");
}

#[test]
fn bad_arguments_are_status_2() {
    for (line, msg) in [
        ("alarm -1 < echo x >", "seconds must be 0 or more"),
        ("alarm soon < echo x >", "not a number of seconds"),
        ("alarm 1e99 < echo x >", "too far away"),
        ("alarm 5", "a handler block is needed"),
        ("trap KILL < echo x >", "cannot be caught"),
        ("trap NOPE < echo x >", "no such signal"),
        ("trap USR1", "a handler block or `-` is needed"),
    ] {
        let r = psh(&format!("{line}; echo status $?"));
        assert_eq!(r.stdout, "status 2\n", "{line}");
        assert!(r.stderr.contains(msg), "{line}: {}", r.stderr);
    }
}

#[test]
fn handler_blocks_take_redirections_pipelines_and_exit() {
    let r = psh("alarm 0.2 < echo now > out.txt >; sleep 0.5; cat out.txt");
    assert_eq!(r.stdout, "now\n");
    let r = psh("alarm 0.2 < echo shout | tr a-z A-Z >; sleep 0.5");
    assert_eq!(r.stdout, "SHOUT\n");
    let r = psh("alarm 0.2 < echo leaving; exit 7 >; sleep 3; echo not reached");
    assert_eq!(r.stdout, "leaving\n");
    assert_eq!(r.status, 7);
    // $? is kept around a handler block.
    let r = psh("trap USR1 < false >; true; kill -USR1 $$; echo $?");
    assert_eq!(r.stdout, "0\n");
}

#[test]
fn children_do_not_inherit_handlers() {
    // A trapped signal is back at default in a child: USR1 kills it.
    let r = psh(
        "trap USR1 < echo parent >; sh -c 'kill -USR1 $$; echo child survived'; echo status $?",
    );
    assert_eq!(r.stdout, "status 138\n");
}

#[test]
fn alarm_script_parses() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/alarm.psh");
    let r = psh_args(&["--check", script], b"");
    assert_eq!(r.status, 0, "{}", r.stderr);
}

#[test]
fn at_the_prompt_the_handler_prints_and_the_line_comes_back() {
    let home = scratch("pty-alarm");
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.prompt();
    p.line("alarm 0.3 < echo ALARM-FIRED >");
    p.prompt();
    p.send("echo half");
    p.expect("ALARM-FIRED");
    // The half-typed line is given back; finish it.
    p.prompt();
    p.line("-done");
    p.expect("half-done");
    p.prompt();
    p.line("alarm 0.2 < exit 5 >");
    assert_eq!(p.wait_exit(), 5);
}

#[test]
fn with_a_trap_set_ctrl_c_still_goes_to_the_foreground_job() {
    let home = scratch("pty-trap");
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.prompt();
    p.line("trap INT < echo psh-caught-int >");
    p.prompt();
    p.command("sh -c 'echo started; exec sleep 100'");
    p.expect("started");
    p.send("\x03");
    p.prompt();
    p.line("echo status=$?");
    p.expect("status=130");
    assert!(!p.seen.contains("\r\npsh-caught-int"), "{}", p.seen);
    p.prompt();
    p.command("sh -c 'echo stop-me; exec sleep 100'");
    p.expect("stop-me");
    p.send("\x1a");
    p.expect("Stopped");
    p.prompt();
    p.command("kill -9 %1; wait; kill -INT $$; echo after-int");
    p.expect("psh-caught-int\r\n");
    p.expect("after-int\r\n");
}

#[test]
fn a_handler_runs_while_read_waits_for_its_line() {
    use std::io::Write;
    let mut child = command(PSH)
        .args(["-c", "trap USR1 < echo handled >; sh -c 'sleep 0.2; kill -USR1 $PPID' & read x; echo \"x=$x\""])
        .current_dir(scratch("read-trap"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    // The handler runs while `read` is still waiting: no input given yet.
    assert_eq!(
        lines.next().and_then(Result::ok).as_deref(),
        Some("handled")
    );
    input.write_all(b"typed later\n").expect("write");
    drop(input);
    assert_eq!(
        lines.next().and_then(Result::ok).as_deref(),
        Some("x=typed later")
    );
    assert_eq!(child.wait().expect("wait").code(), Some(0));
}

/// Handler blocks run while a threads run goes on (the alarm used to fire
/// only after the join); `exit` in one stops the run and leaves; a handler
/// cannot fork meanwhile (threads are running), and says so.
#[test]
fn handlers_run_during_a_lab_run() {
    let r = psh("alarm 0.2 < echo ALARM >; threads 2 booth 8 --chore 100");
    let lines: Vec<&str> = r.stdout.lines().collect();
    let at = lines.iter().position(|l| *l == "ALARM").expect("no ALARM");
    assert!(
        lines[at + 1..].iter().any(|l| l.contains(":now left:")),
        "the alarm came after every sale:\n{}",
        r.stdout
    );
    let r = psh("alarm 0.2 < echo bye; exit 7 >; threads 2 booth 8 --chore 100; echo not-here");
    assert_eq!(r.status, 7);
    assert!(!r.stdout.contains("not-here"));
    assert!(
        r.stderr
            .contains("stopped by `exit` in a handler block after"),
        "{}",
        r.stderr
    );
    let r = psh("alarm 0.1 < ( echo sub ); echo after >; threads 2 booth 4 --chore 100 --quiet");
    assert!(
        r.stderr.contains("no fork while lab threads run"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("after") && !r.stdout.contains("sub"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("sold 4 of 4"), "{}", r.stderr);
}
