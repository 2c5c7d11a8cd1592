//! `$(…)`: a builtin that only writes runs in the shell itself (no fork,
//! its output caught in an anonymous file); anything that could change the
//! shell runs in a child, so a subshell's changes never come back.

use crate::common;
use common::*;

#[test]
fn writing_builtins_need_no_fork() {
    let r = psh("trace on; a=$(echo hi); b=$(printf '%s-' x y); c=$(pwd); trace off; echo \"$a $b\"; [ -n \"$c\" ] && echo pwd");
    assert_eq!(r.stdout, "hi x-y-\npwd\n");
    assert!(
        !r.stderr.contains("fork") && !r.stderr.contains("execve"),
        "{}",
        r.stderr
    );
    // Large output does not block (an anonymous file, not a pipe).
    let r = psh("x=$(printf '%0200000d' 0); echo ${#x}");
    assert_eq!(r.stdout, "200000\n");
}

/// `echo … | cmd`: a writing builtin before a pipe runs in the shell too,
/// its output written into the pipe; statuses, big output, a reader that
/// leaves early, and a stage's expansion kept out of the shell (`$((i++))`
/// in a stage or a background job) are as in bash.
#[test]
fn a_writing_builtin_feeds_a_pipe_without_a_fork() {
    let r = psh("trace on; echo a | cat; printf '%s\\n' x y | wc -l; trace off");
    assert_eq!(r.stdout, "a\n2\n");
    assert!(r.stderr.contains("echo ran in psh itself"), "{}", r.stderr);
    assert!(!r.stderr.contains("fork()"), "{}", r.stderr);
    // Still forked: a stage with side effects or a redirection, the last
    // stage.
    let r = psh(
        "trace on; i=0; echo $((i++)) | cat; echo r 2>&1 | cat; cat /dev/null | echo last; trace off; echo $i",
    );
    assert_eq!(r.stdout, "0\nr\nlast\n0\n");
    assert!(!r.stderr.contains("ran in psh itself"), "{}", r.stderr);
    assert_eq!(r.stderr.matches("fork()").count(), 3, "{}", r.stderr);
    // An expansion error stops that stage only (psh's status for `:?`).
    let r = psh("echo ${nope:?gone} | cat; echo ${pipestatus[@]}");
    assert_eq!(r.stdout, "1 0\n");
    // A reader that never reads: psh's `echo` has written into the pipe
    // before `false` starts, so it succeeds; bash's forked `echo` races
    // `false` and sometimes meets a closed pipe (141).
    let r = psh("echo hi | false; echo ${pipestatus[@]}");
    assert_eq!(r.stdout, "0 1\n");
    let b = run_in(
        &scratch("pipe-bash"),
        "bash",
        &["-c", "echo hi | false; echo ${PIPESTATUS[@]}"],
        b"",
    );
    assert!(
        matches!(b.stdout.as_str(), "0 1\n" | "141 1\n"),
        "{}",
        b.stdout
    );
    for (p, b) in [
        (
            "x=$(seq 1 100000); echo \"$x\" | wc -c; echo \"$x\" | head -n 1; echo ${pipestatus[@]}",
            "x=$(seq 1 100000); echo \"$x\" | wc -c; echo \"$x\" | head -n 1; echo ${PIPESTATUS[@]}",
        ),
        (
            "echo a >&2 | cat; printf '%s' 'no newline' | od -c | head -n 1",
            "echo a >&2 | cat; printf '%s' 'no newline' | od -c | head -n 1",
        ),
        (
            "i=0; echo $((i++)) | cat; echo ${q:=x} | cat; k=0; echo $((k++)) & wait; echo $i ${q-unset} $k",
            "i=0; echo $((i++)) | cat; echo ${q:=x} | cat; k=0; echo $((k++)) & wait; echo $i ${q-unset} $k",
        ),
    ] {
        let ours = psh(p);
        let theirs = run_in(&scratch("pipe-bash"), "bash", &["-c", b], b"");
        assert_eq!(ours.stdout, theirs.stdout, "{p}");
        assert_eq!(ours.status, theirs.status, "{p}");
    }
}

#[test]
fn changes_stay_in_the_subshell() {
    let r = psh("trace on; x=$(cd /; echo in); trace off; echo $x");
    assert!(r.stderr.contains("fork"), "{}", r.stderr);
    for (line, want) in [
        ("i=0; z=$(echo $((i++))); echo $i $z", "0 0\n"),
        ("a=$(echo ${q:=set}); echo ${q-unset} $a", "unset set\n"),
        ("b=$(ls ${w:=x} 2>/dev/null); echo ${w-unset}", "unset\n"),
        (
            "x=$(cd /; pwd); [ $PWD != / ] && echo stayed $x",
            "stayed /\n",
        ),
        ("v=$(v=inner; echo $v); echo ${v}", "inner\n"),
        // The words are expanded once, whichever way the command runs
        // (an inner `$(…)` ran twice when psh first tried the command as
        // a writing builtin).
        (
            "x=$(/bin/echo $(echo a >> n; echo b)); echo $x; cat n",
            "b\na\n",
        ),
        ("u=$(echo ${nope:?gone}) 2>/dev/null; echo st=$?", "st=1\n"),
        // A function named like a builtin is the function.
        (
            "fn echo { printf 'fn:%s' \"$@\"; }; x=$(echo hi); printf '%s\\n' \"$x\"",
            "fn:hi\n",
        ),
    ] {
        let r = psh(line);
        assert_eq!(r.stdout, want, "{line}\n{}", r.stderr);
    }
}
