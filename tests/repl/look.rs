//! How the REPL looks (SPEC §7; issue 15): a history hint is still told
//! apart from typed text under NO_COLOR, and a job's announcement while
//! psh waits for input is one line above the prompt, the half-typed line
//! redrawn once.

use crate::common;
use common::pty::Pty;
use common::*;

#[test]
fn under_no_color_a_hint_is_dim_and_italic_not_plain() {
    let mut p = Pty::spawn(&scratch("look-hint"), &["--norc"], &[("NO_COLOR", "1")]);
    p.prompt();
    p.command("echo remembered");
    p.expect("remembered\r\n");
    p.prompt();
    p.send("echo rem");
    // The rest of the history line, dim (2) and italic (3), no colour.
    p.expect("\x1b[2;3membered\x1b[0m");
    assert!(
        !p.seen.contains("\x1b[3"),
        "a colour was written: {:?}",
        p.seen
    );
}

#[test]
fn an_announcement_is_one_line_and_the_line_is_redrawn() {
    let mut p = Pty::spawn(&scratch("look-notify"), &["--norc"], &[]);
    p.prompt();
    p.line("sleep 0.2 &");
    p.prompt();
    p.send("echo hal");
    let before = p.expect("[1]+  Done");
    // The interrupted prompt row is erased before the announcement.
    assert!(before.contains("\x1b[1A\r\x1b[J"), "{before:?}");
    p.expect("\r\n");
    let after = p.prompt();
    assert!(!after.contains('\n'), "one line: {after:?}");
    p.expect("echo hal");
    p.line("f-done");
    p.expect("half-done\r\n");
}

#[test]
fn a_habit_from_bash_is_a_diagnosis_not_an_endless_continuation() {
    let mut p = Pty::spawn(&scratch("look-habit"), &["--norc"], &[]);
    p.prompt();
    p.line("if [ -f x ]; then echo yes; fi");
    p.expect("then is not psh syntax: write if COND { … }");
    let after = p.prompt();
    assert!(!after.contains("> "), "a continuation prompt: {after:?}");
    p.line("echo `date`");
    p.expect("backquotes are not psh syntax: write $(…)");
    p.prompt();
    p.command("echo $?");
    p.expect("2\r\n");
}

#[test]
fn a_here_document_continues_until_its_terminator() {
    let mut p = Pty::spawn(&scratch("look-heredoc"), &["--norc"], &[]);
    p.prompt();
    p.line("cat <<EOF");
    p.expect("> ");
    p.line("typed body");
    p.expect("> ");
    p.line("EOF");
    p.expect("typed body\r\n");
    p.prompt();
}

#[test]
fn read_shows_its_prompt_on_a_terminal() {
    let mut p = Pty::spawn(&scratch("look-read"), &["--norc"], &[]);
    p.prompt();
    p.command("read -p 'your name? ' n; echo \"hi $n\"");
    p.expect("your name? ");
    p.line("psh");
    p.expect("hi psh\r\n");
}
