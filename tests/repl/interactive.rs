//! Interactive psh through a real pseudo-terminal: job control (SPEC §6)
//! and the REPL (SPEC §7).

use crate::common;
use common::pty::Pty;
use common::*;

fn shell() -> Pty {
    let home = scratch("pty");
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.prompt();
    p
}

#[test]
fn ctrl_z_stops_bg_continues_fg_and_ctrl_c_ends() {
    let mut p = shell();
    p.command("sh -c 'echo started; exec sleep 100'");
    p.expect("started");
    p.send("\x1a");
    p.expect("[1]+  Stopped                 sh -c 'echo started; exec sleep 100'");
    p.prompt();
    p.line("echo status=$?");
    p.expect("status=148");
    p.prompt();
    p.line("jobs");
    p.expect("[1]+  Stopped");
    p.prompt();
    p.line("bg");
    p.expect("[1]+ sh -c 'echo started; exec sleep 100' &");
    p.prompt();
    p.line("jobs");
    p.expect("[1]+  Running");
    p.prompt();
    p.command("fg %1");
    p.expect("exec sleep 100'\r\n");
    p.send("\x03");
    p.prompt();
    p.line("echo status=$?");
    p.expect("status=130");
    p.prompt();
    p.line("jobs; echo end-of-jobs");
    let out = p.expect("end-of-jobs\r\n");
    assert!(!out.contains("[1]"), "{out}");
}

#[test]
fn ctrl_c_at_the_prompt_drops_the_line_and_ctrl_z_does_nothing() {
    let mut p = shell();
    p.send("echo $((40 + 2))");
    p.send("\x03");
    p.prompt();
    p.send("\x1a");
    p.line("echo $((1 + 2))");
    p.expect("\r\n3\r\n");
    assert!(
        !p.seen.contains("\r\n42\r\n"),
        "the dropped line ran:\n{}",
        p.seen
    );
    p.prompt();
    p.line("echo alive");
    p.expect("\r\nalive\r\n");
}

#[test]
fn foreground_cat_reads_the_terminal() {
    let mut p = shell();
    p.command("cat");
    p.line("typed for cat");
    p.expect("typed for cat");
    p.expect("typed for cat");
    p.send("\x04");
    p.prompt();
    p.line("echo back");
    p.expect("\r\nback\r\n");
}

#[test]
fn background_cat_is_stopped_by_sigttin() {
    let mut p = shell();
    p.line("cat &");
    p.expect("[1] ");
    p.prompt();
    // Wait for the event: ask `jobs` until cat has tried to read.
    for _ in 0..100 {
        p.line("jobs; echo jobs-done");
        let out = p.expect("jobs-done\r\n");
        if out.contains("Stopped (tty input)") {
            p.prompt();
            p.line("kill -9 %1; wait; echo killed");
            p.expect("killed\r\n");
            return;
        }
        p.prompt();
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("cat was never stopped:\n{}", p.seen);
}

#[test]
fn finished_background_jobs_are_announced() {
    let mut p = shell();
    p.line("sh -c 'exit 3' &");
    // Only what came before each prompt counts (`seen` may hold more).
    let mut shown = p.prompt();
    for _ in 0..100 {
        p.line("");
        shown.push_str(&p.prompt());
        if shown.contains("[1]+  Exit 3") {
            p.line("jobs; echo listed");
            let out = p.expect("listed\r\n");
            assert!(!out.contains("Exit 3"), "announced twice:\n{out}");
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("no announcement:\n{}", p.seen);
}

#[test]
fn exit_with_a_stopped_job_warns_once_then_leaves_and_the_job_is_gone() {
    let mut p = shell();
    p.command("sh -c 'echo pid=$$; exec sleep 100'");
    p.expect("pid=");
    let pid: i32 = p.expect("\r\n").trim().parse().expect("pid");
    p.send("\x1a");
    p.expect("Stopped");
    p.prompt();
    p.line("exit");
    p.expect("There are stopped jobs.");
    p.prompt();
    p.line("exit");
    p.wait_exit();
    // SIGHUP then SIGCONT: the job ends (or is a zombie awaiting its new parent).
    wait_gone(pid, "the stopped job after exit");
}

#[test]
fn ctrl_d_leaves_with_the_last_status() {
    let mut p = shell();
    p.line("false");
    p.prompt();
    p.send("\x04");
    assert_eq!(p.wait_exit(), 1);
}

#[test]
fn jobs_get_their_own_group_and_the_terminal_with_default_signals() {
    let mut p = shell();
    p.command("echo shell=$$");
    p.expect("shell=");
    let shell_pid = p.expect("\r\n").trim().to_string();
    p.prompt();
    // Fields of /proc/self/stat: 1 pid, 5 pgrp, 8 tpgid (the terminal's group).
    p.command("awk '{print \"fg\", $1, $5, $8}' /proc/self/stat");
    p.expect("fg ");
    let f: Vec<String> = p
        .expect("\r\n")
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!(f[0], f[1], "leads its own group");
    assert_ne!(f[1], shell_pid, "not the shell's group");
    assert_eq!(f[1], f[2], "owns the terminal");
    p.prompt();
    p.command("awk '{print \"BG\", $1, $5, $8}' /proc/self/stat &");
    p.expect("BG ");
    let b: Vec<String> = p
        .expect("\r\n")
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!(b[0], b[1]);
    assert_ne!(b[1], b[2], "a background job does not own the terminal");
    // Every stage of a pipeline is in one group.
    p.command("awk '{print \"stage1\", $5}' /proc/self/stat | cat; echo | awk '{getline l < \"/proc/self/stat\"; split(l, a, \" \"); print \"stage2\", a[5]}'");
    p.expect("stage1 ");
    let g1 = p.expect("\r\n").trim().to_string();
    p.expect("stage2 ");
    let g2 = p.expect("\r\n").trim().to_string();
    assert_ne!(g1, g2, "two pipelines, two jobs");
    p.prompt();
    // Signals: nothing blocked; INT, QUIT, TSTP, TTIN, TTOU at default.
    p.command("grep -E '^Sig(Blk|Ign)' /proc/self/status");
    p.expect("SigBlk:");
    let blk = u64::from_str_radix(p.expect("\r\n").trim(), 16).expect("hex");
    p.expect("SigIgn:");
    let ign = u64::from_str_radix(p.expect("\r\n").trim(), 16).expect("hex");
    assert_eq!(blk, 0);
    for sig in [2, 3, 20, 21, 22] {
        assert_eq!(
            ign & (1 << (sig - 1)),
            0,
            "signal {sig} ignored in the child: {ign:x}"
        );
    }
    p.prompt();
    // The shell itself ignores the stop signals, and catches SIGINT and
    // SIGQUIT with a record-only handler (they interrupt what it runs).
    p.command("grep -E '^Sig(Ign|Cgt)' /proc/$$/status");
    p.expect("SigIgn:");
    let sh_ign = u64::from_str_radix(p.expect("\r\n").trim(), 16).expect("hex");
    p.expect("SigCgt:");
    let sh_cgt = u64::from_str_radix(p.expect("\r\n").trim(), 16).expect("hex");
    for sig in [20, 21, 22] {
        assert_ne!(sh_ign & (1 << (sig - 1)), 0, "psh does not ignore {sig}");
    }
    for sig in [2, 3] {
        assert_ne!(sh_cgt & (1 << (sig - 1)), 0, "psh does not catch {sig}");
    }
}

#[test]
fn wait_can_be_interrupted() {
    let mut p = shell();
    p.line("sleep 100 &");
    p.prompt();
    p.line("wait");
    // Until wait has installed its handler a Ctrl-C is ignored: repeat it.
    let mut back = false;
    for _ in 0..50 {
        p.send("\x03");
        std::thread::sleep(std::time::Duration::from_millis(100));
        p.line("echo after-wait=$?");
        if p.expect("\r\n").contains("after-wait") || p.pending.contains("after-wait=130") {
            back = true;
            break;
        }
    }
    assert!(back || p.seen.contains("after-wait=130"), "{}", p.seen);
    p.expect("after-wait=130");
    p.prompt();
    p.line("jobs");
    p.expect("Running");
}

#[test]
fn typed_syntax_errors_show_a_caret_and_the_shell_goes_on() {
    let mut p = shell();
    p.line("echo (");
    p.expect("psh: stdin:1:6: syntax error");
    p.expect("| echo (");
    p.expect("^");
    p.prompt();
    p.line("echo still-here");
    p.expect("\r\nstill-here\r\n");
}

#[test]
fn incomplete_lines_continue_on_a_continuation_prompt() {
    let mut p = shell();
    p.line("if true {");
    p.expect("> ");
    p.line("echo inside");
    p.expect("> ");
    p.line("}");
    p.expect("\r\ninside\r\n");
    p.prompt();
    p.line("echo 'two");
    p.expect("> ");
    p.line("lines'");
    p.expect("two\r\nlines\r\n");
}

#[test]
fn history_is_saved_with_mode_0600_and_listed() {
    let mut p = shell();
    p.line("echo remembered-command");
    p.prompt();
    p.line("history");
    p.expect("echo remembered-command");
    p.prompt();
    p.line("exit");
    p.wait_exit();
    let file = p.home.join("data/psh/history");
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(&file).expect("history file");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("echo remembered-command"), "{text}");
    // A new shell finds it.
    let mut q = Pty::spawn(&p.home, &["--norc"], &[]);
    q.prompt();
    // The old entry, and this line itself.
    q.command("history | grep -c remembered");
    q.expect("2\r\n");
}

#[test]
fn a_corrupt_history_file_is_only_a_warning() {
    let home = scratch("pty");
    std::fs::create_dir_all(home.join("data/psh/history")).unwrap();
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.expect("psh: history:");
    p.prompt();
    p.line("echo works");
    p.expect("\r\nworks\r\n");
}

#[test]
fn init_file_is_sourced_unless_norc() {
    let home = scratch("pty");
    std::fs::create_dir_all(home.join("config/psh")).unwrap();
    std::fs::write(
        home.join("config/psh/init.psh"),
        "greeting=from-init\nfn hi { echo hi-$1 }\n",
    )
    .unwrap();
    let mut p = Pty::spawn(&home, &[], &[]);
    p.prompt();
    p.line("echo [$greeting]; hi there");
    p.expect("[from-init]");
    p.expect("hi-there");
    let mut q = Pty::spawn(&home, &["--norc"], &[]);
    q.prompt();
    q.line("echo [$greeting]");
    q.expect("\r\n[]\r\n");
}

#[test]
fn prompt_shows_directory_status_and_jobs_and_colour_follows_no_color() {
    let home = scratch("pty");
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.expect("~ $ ");
    p.line("false");
    p.expect("~ [1] $ ");
    p.line("sleep 100 &");
    p.expect("~ (1 job) $ ");
    p.line("mkdir -p sub; cd sub");
    p.expect("~/sub (1 job) $ ");
    assert!(!p.seen.contains("\x1b[1;34m"), "colour despite NO_COLOR");
    let mut c = Pty::spawn(&home, &["--norc"], &[("NO_COLOR", "")]);
    c.expect("$ ");
    assert!(
        c.seen.contains("\x1b["),
        "no colour on a terminal:\n{:?}",
        c.seen
    );
}

#[test]
fn help_explains_builtins_and_concepts() {
    let mut p = shell();
    p.line("help jobs");
    p.expect("jobs");
    p.prompt();
    p.line("help pipeline | head -3; echo help-done");
    let out = p.expect("help-done\r\n");
    assert!(out.contains("pipe"), "{out}");
    p.prompt();
    p.line("help nosuchtopic; echo status=$?");
    p.expect("status=1");
    // Each keyword has its own page, with an example.
    for (k, usage) in [
        ("if", "if COND {"),
        ("for", "for NAME in WORD"),
        ("while", "while COND {"),
        ("fn", "fn NAME {"),
    ] {
        p.prompt();
        p.command(&format!("help {k}; echo end-{k}"));
        let page = p.expect(&format!("end-{k}\r\n"));
        assert!(page.contains("Example:"), "help {k}: {page}");
        assert!(page.contains(usage), "help {k} is not its own page: {page}");
    }
    p.prompt();
    p.command("help lab; echo end-lab");
    let lab = p.expect("end-lab\r\n");
    for field in [
        "per worker",
        "one column",
        "held the lock",
        "interrupted after",
    ] {
        assert!(lab.contains(field), "help lab lacks {field}");
    }
}

#[test]
fn ctrl_c_stops_a_loop_whose_job_it_kills() {
    let mut p = shell();
    p.command("while true { sh -c 'echo tick; exec sleep 5' }; echo not-reached");
    // After "tick" the sleep owns the terminal: Ctrl-C is for it.
    p.expect("tick\r\n");
    p.send("\x03");
    p.prompt();
    p.line("echo status=$?");
    p.expect("status=130");
    assert!(!p.seen.contains("\r\nnot-reached"), "{}", p.seen);
    assert_eq!(
        p.seen.matches("tick").count(),
        2,
        "the loop stopped at once: {}",
        p.seen
    );
}

/// A byte that is not UTF-8 typed at the prompt: the line is dropped with
/// a message and psh goes on (it used to end with status 0).
#[test]
fn a_non_utf8_byte_at_the_prompt_drops_the_line_not_the_shell() {
    let mut p = shell();
    p.send_bytes(b"echo a\xffb\r");
    p.expect("not UTF-8");
    p.prompt();
    p.line("echo status=$? still here");
    p.expect("status=1 still here");
    p.prompt();
    p.line("exit 3");
    assert_eq!(p.wait_exit(), 3);
}

/// `trace on` shows the terminal handed over once per foreground pipeline
/// (by its leader, before exec) and taken back once.
#[test]
fn trace_shows_one_terminal_hand_over_per_pipeline() {
    let mut p = shell();
    p.line("trace on; ls / | wc -l > /dev/null; echo done-$((6*7)); trace off");
    let seen = p.expect("done-42");
    p.prompt();
    assert_eq!(
        seen.matches("tcsetpgrp(tty, own pgid)").count(),
        1,
        "{seen}"
    );
    assert_eq!(
        seen.matches("the terminal back to psh").count(),
        1,
        "{seen}"
    );
}
