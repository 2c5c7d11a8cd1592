//! Interrupts reach everything psh runs itself (SPEC §6, issue 10), typed
//! on a real terminal: Ctrl-C and Ctrl-\ stop a loop of builtins, `read`,
//! the wait for `$(…)` and a lab run; the rest of the line is abandoned.

use crate::common;
use common::pty::Pty;
use common::*;

fn shell(name: &str) -> Pty {
    let mut p = Pty::spawn(&scratch(name), &["--norc"], &[]);
    p.prompt();
    p
}

/// `$?` as the shell sees it now.
fn status(p: &mut Pty) -> String {
    p.prompt();
    p.command("echo status=$?");
    let line = p.expect("\r\n");
    line.trim().to_string()
}

#[test]
fn ctrl_c_and_ctrl_backslash_stop_a_loop_of_builtins() {
    let mut p = shell("int-loop");
    p.command("while true { : }; echo not-this");
    p.send("\x03");
    assert_eq!(status(&mut p), "status=130");
    p.command("while true { : }; echo not-this");
    p.send("\x1c");
    assert_eq!(status(&mut p), "status=131");
    // A function and a nested loop are stopped as well.
    p.prompt();
    p.command("fn spin { while true { for i in 1 2 { : } } }");
    p.prompt();
    p.command("spin; echo not-this");
    p.send("\x03");
    assert_eq!(status(&mut p), "status=130");
    assert!(!p.seen.contains("\nnot-this\r\n"), "{}", p.seen);
}

#[test]
fn ctrl_c_ends_read_and_the_rest_of_the_line() {
    let mut p = shell("int-read");
    p.command("read x; echo after-read");
    p.send("\x03");
    assert_eq!(status(&mut p), "status=130");
    // The next line is a command again, not read's input.
    p.prompt();
    p.command("echo next-line");
    p.expect("next-line\r\n");
    assert!(!p.seen.contains("\r\nafter-read"), "{}", p.seen);
}

#[test]
fn ctrl_c_ends_the_wait_for_command_substitution() {
    let mut p = shell("int-subst");
    p.command("echo $(sh -c 'echo started >&2; exec sleep 10') after; echo next");
    p.expect("started");
    p.send("\x03");
    assert_eq!(status(&mut p), "status=130");
    assert!(!p.seen.contains("after\r\n"), "{}", p.seen);
    assert!(!p.seen.contains("next\r\n"), "{}", p.seen);
}

#[test]
fn ctrl_c_stops_a_lab_run() {
    let mut p = shell("int-lab");
    // (The lab's own lines are not live yet; its trace is.)
    p.command("trace on; threads 2 booth 40 --chore 100; echo not-this");
    p.expect("thread spawn #1");
    p.send("\x03");
    p.expect("interrupted after");
    assert_eq!(status(&mut p), "status=130");
    p.prompt();
    p.command("procs 2 booth 40 --chore 100; echo not-this");
    p.expect("(booth 1)");
    p.send("\x03");
    p.expect("interrupted after");
    assert_eq!(status(&mut p), "status=130");
    assert!(!p.seen.contains("\nnot-this\r\n"), "{}", p.seen);
}

/// The concept tasks stop on Ctrl-C too: philosophers at their next step,
/// a deadlocked buffer's sleepers woken by the watchdog, zombies reaped.
#[test]
fn ctrl_c_stops_the_concept_tasks() {
    let mut p = shell("int-concepts");
    p.command("threads 4 philo --order ordered --meals 100000 --chore 20; echo not-this");
    p.expect("eats (meal 2)");
    p.send("\x03");
    p.expect("interrupted after");
    assert_eq!(status(&mut p), "status=130");
    p.prompt();
    p.command("trace on; threads 2 bbuf 100000 --chore 30 --quiet; echo not-this");
    p.expect("thread spawn #2");
    p.send("\x03");
    p.expect("interrupted after");
    assert_eq!(status(&mut p), "status=130");
    p.prompt();
    p.command("trace off; procs 2 zombie; echo not-this");
    p.expect("waiting 2 s");
    p.send("\x03");
    p.expect("reaped; 2 of 2 gone");
    p.expect("interrupted after");
    assert_eq!(status(&mut p), "status=130");
    assert!(!p.seen.contains("\nnot-this\r\n"), "{}", p.seen);
}

#[test]
fn alarms_at_the_prompt_always_fire_and_never_early() {
    let mut p = shell("int-alarm");
    for i in 0..20 {
        p.line(&format!("alarm 0.0003 < echo ding{i} >"));
        // Fires with no key pressed.
        p.expect(&format!("ding{i}\r\n"));
        p.prompt();
    }
    p.line("alarm 0.5 < echo second >");
    let started = std::time::Instant::now();
    p.expect("second\r\n");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(450),
        "the new alarm fired early"
    );
    p.prompt();
    p.command("echo alive");
    p.expect("alive\r\n");
}

#[test]
fn on_a_dumb_terminal_a_handler_runs_without_enter() {
    let home = scratch("int-dumb");
    let mut p = Pty::spawn(&home, &["--norc"], &[("TERM", "dumb")]);
    p.expect("psh$ ");
    p.line("alarm 0.2 < echo dumb-alarm >");
    p.expect("psh$ ");
    p.expect("dumb-alarm\r\n");
    p.expect("psh$ ");
    // Ctrl-C only once the loop runs: sent while the line still waits in
    // the terminal's cooked-mode queue, it would flush the line instead
    // (the race that failed this test once in a loaded full run).
    p.line("echo spinning; while true { : }");
    p.expect("spinning\r\n");
    p.send("\x03");
    p.expect("psh$ ");
    p.line("echo status=$?");
    p.expect("status=130\r\n");
}

#[test]
fn kill_ends_a_stopped_job() {
    let mut p = shell("int-kill");
    p.command("sh -c 'echo pid=$$; exec sleep 100'");
    p.expect("pid=");
    let pid: i32 = p.expect("\r\n").trim().parse().expect("pid");
    p.send("\x1a");
    p.expect("Stopped");
    p.prompt();
    p.command("kill %1");
    wait_gone(pid, "a stopped job after kill %1");
    p.prompt();
    p.command("jobs; echo listed");
    p.expect("listed\r\n");
}

#[test]
fn a_finished_background_job_is_announced_while_psh_waits_for_input() {
    let mut p = shell("int-notify");
    p.line("sleep 0.2 &");
    p.prompt();
    p.send("echo hal");
    // No key pressed: the announcement comes by itself.
    p.expect("Done");
    p.prompt();
    p.line("f-line");
    p.expect("half-line\r\n");
}
