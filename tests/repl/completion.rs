//! Tab completion on a real terminal (SPEC §7; issue 15): every case, and
//! the descriptions shown beside the candidates.

use crate::common;
use common::pty::Pty;
use common::*;

/// A shell in a home with a directory `Captures/`, a file `notes.txt` and
/// a directory `docs/`.
fn shell(name: &str) -> Pty {
    let home = scratch(name);
    std::fs::create_dir(home.join("Captures")).expect("mkdir");
    std::fs::create_dir(home.join("docs")).expect("mkdir");
    std::fs::write(home.join("notes.txt"), "n\n").expect("write");
    std::fs::write(home.join("dossier.txt"), "d\n").expect("write");
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.prompt();
    p
}

/// Type `typed`, press Tab, expect the line to read `completed`, then
/// drop the line with Ctrl-C.
fn tab(p: &mut Pty, typed: &str, completed: &str) {
    p.send(typed);
    p.send("\t");
    p.expect(completed);
    p.send("\x03");
    p.prompt();
}

#[test]
fn paths_home_and_quotes() {
    let mut p = shell("comp-paths");
    tab(&mut p, "ls ~/Ca", "ls ~/Captures/");
    tab(&mut p, "cat \"no", "cat \"notes.txt\"");
    tab(&mut p, "cat no", "cat notes.txt");
    // cd offers directories only: `do` is docs/ (dossier.txt is a file).
    tab(&mut p, "cd do", "cd docs/");
}

#[test]
fn variables_signals_topics_options() {
    let mut p = shell("comp-words");
    tab(&mut p, "echo \"$HO", "echo \"$HOME");
    tab(&mut p, "echo ${HO", "echo ${HOME}");
    tab(&mut p, "kill -TE", "kill -TERM");
    tab(&mut p, "trap USR", "trap USR");
    tab(&mut p, "help sig", "help signals");
    tab(
        &mut p,
        "threads 2 booth 5 --ti",
        "threads 2 booth 5 --timeline",
    );
    tab(&mut p, "threads 2 wo", "threads 2 worker");
}

#[test]
fn candidates_carry_descriptions() {
    let mut p = shell("comp-desc");
    p.send("threads 2 booth 5 --no\t\t");
    p.expect("--nolock  (booth without the mutex)");
    let mut p = shell("comp-desc-trap");
    p.send("trap USR\t\t");
    p.expect("USR2  (signal)");
    let mut p = shell("comp-desc-job");
    p.line("sleep 30 &");
    p.prompt();
    p.send("fg \t");
    p.expect("fg %1");
}
