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
