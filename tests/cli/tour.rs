//! The course's tour (SPEC §5 Teaching aids): `psh --tour [zh|en]` and the
//! `tour` builtin — both languages, every stop run in psh's own process,
//! straight through off a terminal, asking and waiting on one (PTY).

use crate::common;
use common::pty::Pty;
use common::*;

/// `--text` prints the stops without running them: the same bytes every
/// time; a real run shows every one of those lines, in the same order,
/// with the commands' output between them.
#[test]
fn the_tour_runs_every_stop_in_both_languages() {
    for lang in ["en", "zh"] {
        let text = psh_args(&["--tour", lang, "--text"], b"");
        assert_eq!(text.status, 0, "{}", text.stderr);
        assert_eq!(
            text.stdout,
            psh_args(&["--tour", lang, "--text"], b"").stdout
        );
        assert_eq!(text.stdout.matches("\n── ").count(), 15, "{}", text.stdout);
        let run = psh_args(&["--tour", lang], b"");
        assert_eq!(run.status, 0, "{lang}: {}", run.stderr);
        let mut rest = run.stdout.as_str();
        for line in text.stdout.lines().filter(|l| !l.is_empty()) {
            let at = rest.find(line).unwrap_or_else(|| {
                panic!("{lang}: `{line}` missing or out of order:\n{}", run.stdout)
            });
            rest = &rest[at + line.len()..];
        }
        // The lines really ran: their output is there.
        for want in [
            "exit code: 2",
            "status: 3",
            "communicate() gave:",
            "thread 0 ",
            "<defunct>",
            "Now, it's the time",
            ":now left: 0",
        ] {
            assert!(run.stdout.contains(want), "{lang}: {want}:\n{}", run.stdout);
        }
        assert!(
            run.stderr.contains("deadlock: T0 holds fork0"),
            "{}",
            run.stderr
        );
    }
    let zh = psh_args(&["--tour", "zh", "--text"], b"").stdout;
    assert!(zh.contains("观察：") && zh.contains("发生了什么："), "{zh}");
    let en = psh_args(&["--tour", "en", "--text"], b"").stdout;
    assert!(en.contains("Watch: ") && !en.contains("观察"), "{en}");
}

/// The tour runs in psh's own process: the pid psh prints for itself is
/// the pid the threads print (script 05's lesson).
#[test]
fn the_tour_runs_its_lines_in_psh_itself() {
    let r = psh_args(&["--tour", "en"], b"");
    let own = r
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("psh is pid "))
        .unwrap_or_else(|| panic!("no pid line:\n{}", r.stdout))
        .to_string();
    let threads: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("thread "))
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(threads.len(), 4, "{}", r.stdout);
    assert!(
        threads.iter().all(|p| *p == own),
        "psh {own}, threads {threads:?}"
    );
}

/// The language follows LANG (then LC_ALL/LC_MESSAGES) unless given; a
/// bad argument is status 2.
#[test]
fn the_language_follows_the_locale() {
    let dir = scratch("tour-lang");
    let zh = psh_args(&["--tour", "zh", "--text"], b"").stdout;
    let en = psh_args(&["--tour", "en", "--text"], b"").stdout;
    let run = |vars: &[(&str, &str)]| {
        let mut c = command(PSH);
        c.args(["-c", "tour --text"])
            .current_dir(&dir)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        for (k, v) in vars {
            c.env(k, v);
        }
        String::from_utf8_lossy(&c.output().expect("run").stdout).into_owned()
    };
    assert_eq!(run(&[("LANG", "zh_CN.UTF-8")]), zh);
    assert_eq!(run(&[("LANG", "en_US.UTF-8")]), en);
    assert_eq!(run(&[]), en);
    assert_eq!(run(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")]), en);
    let r = psh("tour fr; echo status $?");
    assert_eq!(r.stdout, "status 2\n");
    assert!(
        r.stderr.contains("usage: tour [zh|en] [--text]"),
        "{}",
        r.stderr
    );
}

/// On a terminal the tour asks for a prediction, shows it back beside
/// what happened, and waits for Enter; `q` leaves.
#[test]
fn on_a_terminal_the_tour_asks_and_waits() {
    let home = scratch("tour-pty");
    let mut p = Pty::spawn(&home, &["--tour", "en"], &[]);
    p.expect("1/15");
    p.expect("Your prediction (Enter to skip): ");
    p.line("2");
    p.expect("exit code: 2");
    p.expect("You predicted: 2");
    p.expect("What happened: ");
    p.expect("Enter: next stop");
    assert!(!p.seen.contains("2/15"), "{}", p.seen);
    p.line("");
    p.expect("2/15");
    p.expect("Enter: next stop");
    p.line("q");
    assert_eq!(p.wait_exit(), 0);
    assert!(!p.seen.contains("3/15"), "{}", p.seen);
}
