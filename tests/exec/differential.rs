//! The differential suite: each line runs in psh and in bash (with bash's
//! spelling where psh's syntax differs) in a fresh directory; stdout and
//! the exit status must agree.

use crate::common;
use common::*;

/// (psh line, bash line — None when it is the same text)
const CASES: &[(&str, Option<&str>)] = &[
    // simple commands and status
    ("echo hello world", None),
    ("echo -n no newline; echo", None),
    ("echo -e 'a\\tb\\nc'", None),
    ("true; echo $?", None),
    ("false; echo $?", None),
    ("nosuchcommand_psh 2>/dev/null; echo $?", None),
    ("./missing 2>/dev/null; echo $?", None),
    ("printf '%s-%s\\n' a b c", None),
    ("exit 3", None),
    ("exit 300", None),
    ("sh -c 'exit 7'; echo $?", None),
    ("sh -c 'kill -TERM $$'; echo $?", None),
    ("echo a; exit; echo b", None),
    // quoting
    ("echo 'single $HOME' \"double\" mixed'quo'\"tes\"", None),
    ("echo \"a\\\"b\\\\c\\$d\"", None),
    ("echo a\\ b c\\\\d", None),
    ("x='a  b'; echo \"[$x]\"", None),
    ("echo '' \"\" | wc -c", None),
    ("echo a#b # comment", None),
    ("echo {} '{}'", None),
    // variables and expansion
    ("x=5; echo $x ${x} \"$x\"", None),
    ("x=5; y=$x$x; echo $y", None),
    ("unset nothing; echo [$nothing]", None),
    ("x=1; unset x; echo [${x}]", None),
    ("A=1 B=2; echo $A$B", None),
    ("FOO=bar sh -c 'echo $FOO'; echo [$FOO]", None),
    ("export E=exported; sh -c 'echo $E'", None),
    ("x='a b c'; for w in $x { echo [$w] }", Some("x='a b c'; for w in \"$x\"; do echo [$w]; done")),
    ("for w in $(echo one two  three) { echo [$w] }", Some("for w in $(echo one two  three); do echo [$w]; done")),
    ("echo \"$(echo 'a  b')\"", None),
    ("x=$(printf 'l1\\nl2\\n\\n'); echo \"[$x]\"", None),
    ("x=$(exit 4); echo $?", None),
    ("echo $(( 1 + 2 * 3 )) $(( (1+2)*3 )) $(( 7 / 2 )) $(( 7 % 3 )) $(( -5 + 2 ))", None),
    ("i=4; echo $((i * 2)) $(($i + 1))", None),
    ("echo $(( 3 > 2 )) $(( 2 >= 3 )) $(( 1 == 1 && 0 )) $(( !0 || 0 ))", None),
    ("echo ~ ~/x | sed \"s|$HOME|H|g\"", None),
    ("touch b.txt a.txt c.log; echo *.txt", None),
    ("echo *.nomatch", None),
    ("touch x1 x2; echo x? 'x?' \"x*\"", None),
    ("mkdir d; touch d/f1 d/f2; echo d/*", None),
    ("echo $#", None),
    // pipelines
    ("echo hello | tr a-z A-Z", None),
    ("printf '3\\n1\\n2\\n' | sort | head -2", None),
    ("echo a | cat | cat | cat | wc -l", None),
    ("false | true; echo $?", None),
    ("true | false; echo $?", None),
    ("set -o pipefail; false | true; echo $?", None),
    ("! true; echo $?", None),
    ("! false; echo $?", None),
    ("echo x | { read v; echo got $v; }", Some("echo x | { read v; echo got $v; }")),
    ("yes | head -3", None),
    ("seq 1 100000 | tail -1", None),
    // lists
    ("true && echo and", None),
    ("false && echo no; echo $?", None),
    ("false || echo or", None),
    ("true || echo no; echo after", None),
    ("false && echo a || echo b", None),
    // redirections
    ("echo one > f; echo two >> f; cat f", None),
    ("echo data > f; wc -c < f", None),
    ("ls /nonexistent_psh 2> err; wc -l < err", None),
    ("ls /nonexistent_psh > out 2>&1; wc -l < out", None),
    ("ls /nonexistent_psh &> both; wc -l < both", None),
    ("echo to-stderr >&2", None),
    ("{ echo a; echo b; } > f; cat f", None),
    ("echo x > /nonexistent_psh/f; echo $?", None),
    ("cat < /nonexistent_psh; echo $?", None),
    ("> empty; wc -c < empty", None),
    ("echo in | cat 2>&1 >/dev/null; echo done", None),
    // groups and subshells
    ("x=1; (x=2; echo in $x); echo out $x", None),
    ("x=1; { x=2; }; echo $x", Some("x=1; { x=2; }; echo $x")),
    ("(cd /; pwd); pwd | sed 's|.*/||' | wc -c", None),
    ("(exit 5); echo $?", None),
    // control flow
    ("if true { echo yes }", Some("if true; then echo yes; fi")),
    ("if false { echo yes } else { echo no }", Some("if false; then echo yes; else echo no; fi")),
    ("if false { echo 1 } else if true { echo 2 } else { echo 3 }", Some("if false; then echo 1; elif true; then echo 2; else echo 3; fi")),
    ("if [ 2 -gt 1 ] && [ a = a ] { echo both }", Some("if [ 2 -gt 1 ] && [ a = a ]; then echo both; fi")),
    ("i=0; while [ $i -lt 5 ] { i=$((i+1)) }; echo $i", Some("i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i")),
    ("for x in a b c { echo $x }", Some("for x in a b c; do echo $x; done")),
    ("for x in 1 2 3 4 { if [ $x = 3 ] { break }; echo $x }", Some("for x in 1 2 3 4; do if [ $x = 3 ]; then break; fi; echo $x; done")),
    ("for x in 1 2 3 { if [ $x = 2 ] { continue }; echo $x }", Some("for x in 1 2 3; do if [ $x = 2 ]; then continue; fi; echo $x; done")),
    ("for a in 1 2 { for b in x y { if [ $b = y ] { continue 2 }; echo $a$b } }", Some("for a in 1 2; do for b in x y; do if [ $b = y ]; then continue 2; fi; echo $a$b; done; done")),
    ("for a in 1 2 { for b in x y { break 2 }; echo no }; echo end", Some("for a in 1 2; do for b in x y; do break 2; done; echo no; done; echo end")),
    ("for f in *.none { echo $f }", Some("for f in *.none; do echo $f; done")),
    ("i=0; while true { i=$((i+1)); if [ $i -ge 3 ] { break } }; echo $i", Some("i=0; while true; do i=$((i+1)); if [ $i -ge 3 ]; then break; fi; done; echo $i")),
    // functions
    ("fn f { echo \"args: $# [$1] [$2]\" }; f a 'b c'", Some("f() { echo \"args: $# [$1] [$2]\"; }; f a 'b c'")),
    ("fn f { return 3 }; f; echo $?", Some("f() { return 3; }; f; echo $?")),
    ("fn f { for a in \"$@\" { echo [$a] } }; f 1 '2 3' ''", Some("f() { for a in \"$@\"; do echo [$a]; done; }; f 1 '2 3' ''")),
    ("fn f { for a in \"$@\" { echo [$a] }; echo end }; f", Some("f() { for a in \"$@\"; do echo [$a]; done; echo end; }; f")),
    ("set -- 1 2; for a in \"x$@y\" { echo [$a] }", Some("set -- 1 2; for a in \"x$@y\"; do echo [$a]; done")),
    ("fn f { echo $* }; f a b c", Some("f() { echo $*; }; f a b c")),
    ("fn fact { if [ $1 -le 1 ] { echo 1 } else { echo $(( $1 * $(fact $(( $1 - 1 ))) )) } }; fact 10", Some("fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 10")),
    ("fn f { x=inner }; x=outer; f; echo $x", Some("f() { x=inner; }; x=outer; f; echo $x")),
    ("fn f { echo fn-out }; f | tr a-z A-Z", Some("f() { echo fn-out; }; f | tr a-z A-Z")),
    ("fn f { echo redirected }; f > out; cat out", Some("f() { echo redirected; }; f > out; cat out")),
    // builtins
    ("cd /tmp && pwd", None),
    ("cd /; cd /tmp; cd - > /dev/null; pwd", None),
    ("cd /nonexistent_psh 2>/dev/null; echo $?", None),
    ("test -d / && echo dir", None),
    ("[ -f /nonexistent ] || echo nofile", None),
    ("[ abc = abc ] && [ 1 -lt 2 ] && [ -n x ] && [ -z '' ] && echo all", None),
    ("[ 1 -eq 2 ]; echo $?", None),
    ("[ 1 -eq ]; echo $?", Some("[ 1 -eq ] 2>/dev/null; echo $?")),
    ("set -- a b c; echo $# $2", None),
    ("set -- a b c; shift; echo $@", None),
    ("type cd | head -c 5", None),
    ("printf 'x y z\\n' | { read a b; echo [$a] [$b]; }", None),
    ("printf 'only\\n' | { read a b; echo [$a] [$b]; }", None),
    ("read v < /dev/null; echo $?", None),
    ("set -e; true; false; echo not reached", None),
    ("set -e; false || true; echo reached", None),
    ("set -e; if false { true }; echo reached", Some("set -e; if false; then true; fi; echo reached")),
    ("set -u; echo $undefined_psh; echo after", Some("set -u; echo $undefined_psh; echo after")),
    ("echo $((1/0)); echo after", None),
    ("set -x; echo traced 2>/dev/null", None),
    // background jobs
    ("sleep 0.1 & wait; echo $?", None),
    ("sh -c 'exit 6' & wait $!; echo $?", None),
    ("sh -c 'sleep 5' & kill $!; wait $!; echo $?", None),
    ("(echo sub-bg) & wait", None),
    ("true & false & wait; echo all", None),
    // control flow, checked when run (issue 12)
    ("for i in 1 2 { echo $i; break oops }; echo st=$?", Some("for i in 1 2; do echo $i; break oops; done; echo st=$?")),
    ("exit 7 8 9; echo after", None),
    ("e=; exit $e", None),
    ("false; e=; exit $e", None),
    ("fn f { return oops }; f; echo st=$?", Some("f() { return oops; }; f; echo st=$?")),
    ("return 3; echo st=$?", None),
    ("fn f { return 300 }; f; echo st=$?", Some("f() { return 300; }; f; echo st=$?")),
    ("i=0; while [ $i -lt 3 ] { i=$((i+1)); [ $i = 2 ] && break }; echo $?", Some("i=0; while [ $i -lt 3 ]; do i=$((i+1)); [ $i = 2 ] && break; done; echo $?")),
    ("while break { echo x }; echo done", Some("while break; do echo x; done; echo done")),
    ("for i in 1 { false; break }; echo $?", Some("for i in 1; do false; break; done; echo $?")),
    ("for i in 1 { continue 0 }; echo st=$?", Some("for i in 1; do continue 0; done; echo st=$?")),
    ("break; echo st=$?", None),
    // set -e: ignored in &&/|| parts and in groups, ifs and loops ending
    // with them; not in function calls, subshells, $(…)
    ("set -e; { false && true; }; echo after", Some("set -e; { false && true; }; echo after")),
    ("set -e; fn f { false && true }; f; echo after", Some("set -e; f() { false && true; }; f; echo after")),
    ("set -e; if true { false && true }; echo after", Some("set -e; if true; then false && true; fi; echo after")),
    ("set -e; for i in 1 { false && true }; echo after", Some("set -e; for i in 1; do false && true; done; echo after")),
    ("set -e; ( false && true ); echo after", None),
    ("set -e; { ! true; }; echo after", Some("set -e; { ! true; }; echo after")),
    ("set -e; x=$(false && true); echo after", None),
    ("set -e; { true && false; }; echo after", Some("set -e; { true && false; }; echo after")),
    ("set -e; i=0; while [ $i -lt 2 ] { i=$((i+1)); false && true }; echo after", Some("set -e; i=0; while [ $i -lt 2 ]; do i=$((i+1)); false && true; done; echo after")),
    // builtins added for scripts (issue 12)
    ("eval \"echo a; echo b\"", None),
    ("x=3; eval \"y=\\$x\"; echo $y", None),
    ("command -v cd ls nosuch_psh; echo $?", None),
    ("command -v nosuch_psh; echo $?", None),
    ("command -V cd", None),
    ("fn echo { printf fn; }; command echo real", Some("echo() { printf fn; }; command echo real")),
    ("umask; umask -S; umask 027; umask; umask u=rwx,g=,o=; umask", None),
    ("umask 999; echo $?", None),
    ("kill -l 15; kill -l 130", None),
    ("kill -0 $$; echo $?; kill -0 999999 2>/dev/null; echo $?", None),
    ("wait zzz 2>/dev/null; echo $?; wait %9 2>/dev/null; echo $?", None),
    ("[ -a / ]; echo $?; [ -O / ]; echo $?; [ -G /nonexistent ]; echo $?", None),
    ("test -a / -a -d /; echo $?; [ ! -a /nonexistent ]; echo $?", None),
    ("type cd nosuch_psh ls 2>&1 | sed 's/^bash: line 1: /psh: /'", None),
    // brace expansion (SPEC §2)
    ("echo {a,b,c} x{,.bak} {1..3} {01..03} {a..c} {10..1..3} {3..1} {-1..1}", None),
    ("x=5; echo a{${x},y}z {a,{b,c}} {a,b}{1,2}", None),
    // psh keeps `$x` a name of its own: bash would read `a$xz` after the
    // braces (a well-known trap).
    ("x=5; echo a{$x,y}z", Some("x=5; echo a{${x},y}z")),
    ("echo \"{a,b}\" \\{a,b\\} '{a,b}' {a} {} a{b,c", None),
    ("for i in {1..3} { echo $i }", Some("for i in {1..3}; do echo $i; done")),
    ("echo {e..a..2} {1..10..4}", None),
    // match (psh's case)
    ("for f in a.tar.gz b.tgz c.zip d.txt { match $f { *.tar.gz | *.tgz { echo tar } *.zip { echo zip } * { echo other } } }",
     Some("for f in a.tar.gz b.tgz c.zip d.txt; do case $f in *.tar.gz | *.tgz) echo tar;; *.zip) echo zip;; *) echo other;; esac; done")),
    ("x='*.txt'; match a.txt { $x { echo lit } * { echo star } }; match '*.txt' { $x { echo lit } }",
     Some("x='*.txt'; case a.txt in \"$x\") echo lit;; *) echo star;; esac; case '*.txt' in \"$x\") echo lit;; esac")),
    ("match nothing { a { echo a } }; echo $?; match x { x { false } }; echo $?",
     Some("case nothing in a) echo a;; esac; echo $?; case x in x) false;; esac; echo $?")),
    ("match a/b { a*b { echo crosses } }; match hello { h[aeiou]llo { echo class } }",
     Some("case a/b in a*b) echo crosses;; esac; case hello in h[aeiou]llo) echo class;; esac")),
    // here-documents and here-strings (SPEC §2)
    ("x=world; cat <<EOF\nhello $x $((1+2)) $(echo sub) \"q\" \\$lit\nEOF\necho after", None),
    ("cat <<'EOF'\nraw $x \"q\" \\n\nEOF", None),
    ("cat <<\"EOF\"\nraw $x\nEOF", None),
    ("cat <<-END\n\t\ttabs\n\tEND", None),
    ("x=there; cat <<< \"here $x\"; tr a-z A-Z <<< abc", None),
    ("a=$(cat <<EOF\ninside\nEOF\n); echo \"[$a]\"", None),
    ("cat <<A; cat <<B\nfirst\nA\nsecond\nB\necho end", None),
    ("while read l { echo \"got $l\" } <<EOF\none\ntwo\nEOF", Some("while read l; do echo \"got $l\"; done <<EOF\none\ntwo\nEOF")),
    ("cat 0<<EOF\nvia zero\nEOF", None),
    // exec and descriptor redirections
    ("exec 3> out; echo hi >&3; exec 3>&-; cat out", None),
    ("exec echo replaced; echo not-here", None),
    ("exec nosuch_psh 2>/dev/null; echo after", None),
    ("echo hi 5>&-; echo st=$?; echo x 1<>f; cat f", None),
    ("echo to-err 1>&2 2>/dev/null; cat <&0 <<< via-dup", None),
    ("exec 2>&1; ls /nonexistent_psh 2>&1 | sed 's/.*/caught/'", None),
    ("echo a >&- 2>/dev/null; echo st=$?", None),
    ("exec 4<<< four; cat <&4; exec 4<&-; cat <&4 2>/dev/null || echo closed", None),
    // read options
    ("printf 'abc' | { read x; echo $? $x; }", None),
    ("printf 'a:b:c' | { read -d : x; echo $x; }; printf 'x\\0y' | { read -d '' v; echo $v; }", None),
    ("sleep 1 | { read -t 0.2 x; echo st=$?; }", None),
    ("printf 'a b\\n' | { read -p 'ask: ' x y; echo \"$x|$y\"; }", None),
    ("printf 'a\\\\:b:' | { read -d : x; echo $x; }", None),
];

#[test]
fn psh_agrees_with_bash() {
    let mut failures = Vec::new();
    for (psh_line, bash_line) in CASES {
        let bash_line = bash_line.unwrap_or(psh_line);
        let dir = scratch("diff");
        let p = run_in(&dir, PSH, &["-c", psh_line], b"");
        let dir = scratch("diff");
        let b = run_in(&dir, "bash", &["-c", bash_line], b"");
        if p.stdout != b.stdout || p.status != b.status {
            failures.push(format!(
                "psh:  {psh_line}\nbash: {bash_line}\n  psh  → {:?} status {} (stderr {:?})\n  bash → {:?} status {}",
                p.stdout, p.status, p.stderr, b.stdout, b.status
            ));
        }
    }
    assert!(CASES.len() >= 60);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}
