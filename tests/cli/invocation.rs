//! Invocation (SPEC §1) and errors (SPEC §8): the real binary, each mode.

use crate::common;
use common::*;

#[test]
fn version_and_help() {
    let r = psh_args(&["--version"], b"");
    assert_eq!(r.status, 0);
    assert!(r.stdout.starts_with("psh "), "{}", r.stdout);
    let r = psh_args(&["--help"], b"");
    assert_eq!(r.status, 0);
    assert!(r.stdout.contains("--check"));
    let r = psh_args(&["--bogus"], b"");
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("--bogus: unknown option"));
}

#[test]
fn script_gets_its_name_and_arguments() {
    let r = psh_script(
        "echo \"$# [$1] [$2]\"\necho $0 | grep -c script.psh\nexit 4\n",
        &["one", "two words"],
    );
    assert_eq!(r.stdout, "2 [one] [two words]\n1\n");
    assert_eq!(r.status, 4);
}

#[test]
fn dash_c_takes_arguments_like_sh() {
    let r = psh_args(&["-c", "echo $0 $1 $#", "name", "arg"], b"");
    assert_eq!(r.stdout, "name arg 1\n");
}

#[test]
fn missing_script_is_127_with_a_message() {
    let r = psh_args(&["/nonexistent/script.psh"], b"");
    assert_eq!(r.status, 127);
    assert_eq!(
        r.stderr,
        "psh: /nonexistent/script.psh: No such file or directory\n"
    );
}

#[test]
fn syntax_error_runs_nothing_and_exits_2() {
    let r = psh_script("echo first > ran.txt\nif true {\n  echo (\n}\n", &[]);
    assert_eq!(r.status, 2);
    assert_eq!(r.stdout, "");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(
        lines[0].ends_with("script.psh:4:1: syntax error: missing ) for the ( opened at 3:8"),
        "{}",
        r.stderr
    );
    assert_eq!(lines[1], " 4 | }");
    assert_eq!(lines[2], "   | ^");
    // The first line did not run.
    assert!(!r.stderr.contains("first"));
}

#[test]
fn check_mode_reports_every_file() {
    let dir = scratch("check");
    std::fs::write(dir.join("good.psh"), "echo fine\nfor x in a { echo $x }\n").unwrap();
    std::fs::write(dir.join("bad.psh"), "echo 'open\n").unwrap();
    std::fs::write(dir.join("bad2.psh"), "fn { }\n").unwrap();
    let r = run_in(&dir, PSH, &["--check", "good.psh"], b"");
    assert_eq!((r.status, r.stderr.as_str()), (0, ""));
    let r = run_in(
        &dir,
        PSH,
        &["--check", "good.psh", "bad.psh", "bad2.psh"],
        b"",
    );
    assert_eq!(r.status, 2);
    assert!(
        r.stderr
            .contains("psh: bad.psh:1:6: syntax error: unterminated '…'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "psh: bad2.psh:1:4: syntax error: fn needs a name and a block: fn NAME { … }"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn commands_from_a_pipe_leave_the_rest_for_the_commands() {
    let input = b"echo one\nread line\nthis is data\necho \"got $line\"\nsed -n 1p\nfor sed\n";
    let r = psh_args(&[], input);
    assert_eq!(r.stdout, "one\ngot this is data\nfor sed\n");
    assert_eq!(r.status, 0);
    let b = run_in(&scratch("bash"), "bash", &[], input);
    assert_eq!(r.stdout, b.stdout, "bash reads its input the same way");
}

#[test]
fn multi_line_commands_on_stdin() {
    let r = psh_args(
        &[],
        b"if true {\n  echo inside\n}\necho 'two\nlines'\nexit 3\necho never\n",
    );
    assert_eq!(r.stdout, "inside\ntwo\nlines\n");
    assert_eq!(r.status, 3);
}

#[test]
fn syntax_error_on_stdin_names_the_line() {
    let r = psh_args(&[], b"echo ok\necho ;;\n");
    assert_eq!(r.stdout, "ok\n");
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.starts_with("psh: stdin:2:7: syntax error"),
        "{}",
        r.stderr
    );
}

#[test]
fn exit_statuses_126_and_127() {
    let dir = scratch("perm");
    std::fs::write(dir.join("noexec"), "#!/bin/sh\necho hi\n").unwrap();
    let r = run_in(&dir, PSH, &["-c", "./noexec; echo $?"], b"");
    assert_eq!(r.stdout, "126\n");
    assert!(
        r.stderr.contains("./noexec: Permission denied"),
        "{}",
        r.stderr
    );
    let r = run_in(&dir, PSH, &["-c", "/; echo $?"], b"");
    assert_eq!(r.stdout, "126\n");
    assert!(r.stderr.contains("/: Is a directory"), "{}", r.stderr);
    let r = run_in(
        &dir,
        PSH,
        &[
            "-c",
            "no_such_cmd_psh 2> err; cat err; no_such_cmd_psh 2>&1 | tr a-z A-Z",
        ],
        b"",
    );
    assert_eq!(
        r.stdout,
        "psh: no_such_cmd_psh: command not found\nPSH: NO_SUCH_CMD_PSH: COMMAND NOT FOUND\n"
    );
    let r = run_in(&dir, PSH, &["-c", "no_such_cmd_psh"], b"");
    assert_eq!(r.status, 127);
    assert_eq!(r.stderr, "psh: no_such_cmd_psh: command not found\n");
}

#[test]
fn a_script_without_shebang_runs_under_sh() {
    let dir = scratch("noshebang");
    let file = dir.join("plain");
    std::fs::write(&file, "echo plain $1\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = run_in(&dir, PSH, &["-c", "./plain arg; echo $?"], b"");
    assert_eq!(r.stdout, "plain arg\n0\n");
}

#[test]
fn commands_are_not_looked_up_in_the_current_directory() {
    let dir = scratch("cwd");
    let tool = dir.join("localtool");
    std::fs::write(&tool, "#!/bin/sh\necho ran\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = run_in(&dir, PSH, &["-c", "localtool; ./localtool"], b"");
    assert_eq!(r.stdout, "ran\n");
    assert!(r.stderr.contains("localtool: command not found"));
}

#[test]
fn redirection_failure_names_the_file_and_skips_the_command() {
    let r = psh("echo hi > /nonexistent_dir/f; echo status $?");
    assert_eq!(r.stdout, "status 1\n");
    assert_eq!(
        r.stderr,
        "psh: /nonexistent_dir/f: No such file or directory\n"
    );
    let r = psh("cat < /nonexistent_in; echo $?");
    assert_eq!(
        r.stderr,
        "psh: /nonexistent_in: No such file or directory\n"
    );
    let r = psh("x='a b'; echo hi > $x; cat 'a b'");
    assert_eq!(r.stdout, "hi\n", "a variable is one word, even as a target");
}

#[test]
fn builtins_and_blocks_take_redirections() {
    let r = psh("pwd > p; echo $? ; { echo a; echo b >&2; } 2> err > out; cat out err; type echo > t; cat t");
    assert_eq!(r.stdout, "0\na\nb\necho is a shell builtin\n");
    let r = psh("for i in 1 2 { echo $i } > f; cat f; while read l { echo got $l } < f");
    assert_eq!(r.stdout, "1\n2\ngot 1\ngot 2\n");
}

#[test]
fn environment_of_children() {
    let r = psh("X=1 env | grep -c '^X=1$'; env | grep -c '^X=' ; export Y=2; env | grep '^Y='; unset Y; env | grep -c '^Y='");
    assert_eq!(r.stdout, "1\n0\nY=2\n0\n");
}

#[test]
fn explain_runs_nothing() {
    let r = psh("explain ls -l | wc > out.txt; ls");
    assert_eq!(
        r.stdout,
        "pipe() → [r1, w1]\nvfork+execve ls -l (stdout → w1)\nvfork+execve wc (stdin ← r1, open out.txt O_WRONLY|O_CREAT|O_TRUNC, dup2 → 1)\nclose r1, w1\nwaitpid ×2\n"
    );
    let r = psh("explain echo hi > f; ls");
    assert_eq!(
        r.stdout,
        "builtin echo hi (open f O_WRONLY|O_CREAT|O_TRUNC, dup2 → 1)\n"
    );
}

#[test]
fn xtrace_shows_expanded_commands() {
    let r = psh("x=world; set -x; echo hello $x");
    assert_eq!(r.stdout, "hello world\n");
    assert_eq!(r.stderr, "+ echo hello world\n");
}

#[test]
fn habits_from_other_shells_are_syntax_errors_that_say_what_to_write() {
    for (line, says) in [
        (
            "if true; then echo x; fi",
            "then is not psh syntax: write if COND { … }",
        ),
        (
            "for i in 1 2; do echo $i; done",
            "do is not psh syntax: write while COND { … } or for NAME in WORDS { … }",
        ),
        ("echo `date`", "backquotes are not psh syntax: write $(…)"),
        ("case a in a) echo a;; esac", "case … in is not psh syntax"),
        (
            "function f { echo; }",
            "function is not psh syntax: write fn NAME { … }",
        ),
        ("f() { echo; }", "f() is not psh syntax: write fn f { … }"),
        // `${#x}` starts no comment that would hide the rest of the line.
        ("echo ${#x}; fi", "fi is not psh syntax"),
    ] {
        let r = psh(line);
        assert_eq!(r.status, 2, "{line}");
        assert_eq!(r.stdout, "", "{line}: nothing runs");
        assert!(r.stderr.contains(says), "{line}: {}", r.stderr);
        assert!(r.stderr.contains("^"), "{line}: a caret");
    }
    // The same words as arguments are words.
    let r = psh("echo then fi do done '`x`'");
    assert_eq!(r.stdout, "then fi do done `x`\n");
    // So are names inside `${…}` and `$((…))`.
    let r = psh("then=1; done=2; echo ${then} ${#done} $((done + 1))");
    assert_eq!(
        (r.stdout.as_str(), r.status),
        ("1 1 3\n", 0),
        "{}",
        r.stderr
    );
    // And the words after a `$(…)`, in a list, or as a `match` pattern:
    // the parser knows where commands start (a scan of the text alone
    // took these for commands).  As bash, where it has the syntax.
    for line in ["echo $(echo hi) fi then", "x=$(echo a)done; echo $x"] {
        let r = psh(line);
        let b = run_in(&scratch("habits-bash"), "bash", &["-c", line], b"");
        assert_eq!(
            (r.stdout.as_str(), r.status),
            (b.stdout.as_str(), 0),
            "{line}"
        );
    }
    let r = psh("a=(then fi); echo $a; match done { x | done { echo matched } }");
    assert_eq!(r.stdout, "then fi\nmatched\n", "{}", r.stderr);
    // In a script that also has jobs the fast path leaves to the grammar.
    let r = psh("trap USR1 < echo t >; echo $(echo hi) do; ! false");
    assert_eq!(r.stdout, "hi do\n", "{}", r.stderr);
}

#[test]
fn check_reports_every_error_of_a_file() {
    let dir = scratch("check-all");
    let f = dir.join("bad.psh");
    std::fs::write(
        &f,
        "echo ok\nif {\necho fine\nfor x {\necho `date`\necho end\n",
    )
    .unwrap();
    let r = psh_args(&["--check", f.to_str().unwrap()], b"");
    assert_eq!(r.status, 2);
    for at in ["bad.psh:2:", "bad.psh:4:", "bad.psh:5:"] {
        assert!(r.stderr.contains(at), "no error at {at}:\n{}", r.stderr);
    }
    assert_eq!(r.stderr.matches("syntax error").count(), 3, "{}", r.stderr);
}

#[test]
fn binary_files_and_devices_are_not_scripts() {
    let dir = scratch("binary");
    let f = dir.join("prog.psh");
    std::fs::write(&f, b"\x7fELF\x02\x01\x01\x00\x00\x00").unwrap();
    for path in [f.to_str().unwrap(), "/dev/zero"] {
        let r = psh_args(&[path], b"");
        assert_eq!(r.status, 126, "{path}");
        assert!(
            r.stderr.contains("a binary file, not a script"),
            "{}",
            r.stderr
        );
    }
    let r = psh("source /dev/zero; echo st=$?");
    assert_eq!(r.stdout, "st=1\n");
}

#[test]
fn type_keeps_answers_and_errors_in_order() {
    let r = psh("type cd nosuch ls 2>&1 | cat");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert!(lines[0].starts_with("cd is"));
    assert!(lines[1].contains("nosuch: not found"));
    assert!(lines[2].starts_with("ls is"));
}

#[test]
fn a_script_whose_name_starts_with_a_dash_runs_after_double_dash() {
    let dir = scratch("dashdash");
    std::fs::write(dir.join("-x.psh"), "echo ran $1\n").unwrap();
    let r = run_in(&dir, PSH, &["--", "-x.psh", "arg"], b"");
    assert_eq!(r.stdout, "ran arg\n", "{}", r.stderr);
}

#[test]
fn source_looks_in_path_before_the_current_directory() {
    let dir = scratch("source-path");
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(bin.join("lib.psh"), "echo from-path\n").unwrap();
    std::fs::write(dir.join("lib.psh"), "echo from-cwd\n").unwrap();
    let line = format!("PATH={}:$PATH; source lib.psh; . ./lib.psh", bin.display());
    let r = run_in(&dir, PSH, &["-c", &line], b"");
    assert_eq!(r.stdout, "from-path\nfrom-cwd\n", "{}", r.stderr);
}

/// `explain … &` explains a background start and starts no job; blocks and
/// `$(…)` show what runs inside them; the lab's plans name what std
/// really calls (futexes, not pthread_cond_*).
#[test]
fn explain_shows_blocks_substitutions_and_background_truthfully() {
    let r = psh("explain sleep 5 &\njobs; echo jobs-done");
    assert_eq!(
        r.stdout,
        "fork+execve sleep 5\nno wait: job added to the job table, `[N] PID` printed\njobs-done\n"
    );
    let r = psh("explain { echo a; ls | wc }");
    assert_eq!(
        r.stdout,
        "{ … } runs in the shell itself (no fork), command by command:\n  builtin echo a\n  pipe() → [r1, w1]\n  vfork+execve ls (stdout → w1)\n  vfork+execve wc (stdin ← r1)\n  close r1, w1\n  waitpid ×2\n"
    );
    let r = psh("explain echo $(ls | wc) $(echo hi)");
    assert!(r.stdout.starts_with("$(…) first: pipe() → [r, w]; fork → a child (a subshell) runs the list, stdout → w:\n  pipe() → [r1, w1]\n"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("$(…) first, in the shell itself (a builtin that only writes)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with("builtin echo $(…) $(…)\n"),
        "{}",
        r.stdout
    );
    let r = psh("explain if [ -f x ] { ls } else { true }");
    assert!(
        r.stdout.contains(
            "  condition:\n    builtin [ -f x ]\n  when it succeeds:\n    vfork+execve ls\n"
        ),
        "{}",
        r.stdout
    );
    let r = psh("explain threads 4 cond 10");
    assert!(!r.stdout.contains("pthread_cond"), "{}", r.stdout);
    assert!(r.stdout.contains("futex"), "{}", r.stdout);
}

/// psh is linked statically on Linux with glibc (.cargo/config.toml): it
/// loads no shared library at all.  Built otherwise (`RUSTFLAGS=`), build.rs
/// links the unwinder statically where the C compiler has `libgcc_eh.a`
/// (one shared library fewer at every start-up), and the executable needs
/// the C library alone.
#[test]
fn the_executable_loads_no_shared_library_but_libc() {
    let eh = std::process::Command::new("cc")
        .arg("-print-file-name=libgcc_eh.a")
        .output();
    let has_eh = eh.is_ok_and(|o| o.stdout.starts_with(b"/"));
    let dynamic = std::process::Command::new("readelf")
        .args(["-d", env!("CARGO_BIN_EXE_psh")])
        .output();
    let Ok(dynamic) = dynamic else {
        eprintln!("no readelf here: not checked");
        return;
    };
    let text = String::from_utf8_lossy(&dynamic.stdout);
    let needed: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    if cfg!(target_feature = "crt-static") {
        assert!(needed.is_empty(), "{text}");
        return;
    }
    assert!(needed.contains(&"libc.so.6"), "{text}");
    if has_eh && cfg!(target_env = "gnu") {
        assert!(
            !needed.iter().any(|n| n.starts_with("libgcc_s")),
            "{needed:?}"
        );
    }
}

/// A script past the size whose tree is kept is read a job at a time, its
/// jobs' texts ranges of the script's text: `jobs` shows each trimmed,
/// nested ones too.
#[test]
fn a_big_script_shows_its_jobs_text() {
    let mut text = "x=1\n".repeat(30_000);
    text.push_str("   sleep 0.3 &   # bg\nif true { sleep 0.2 & }\njobs\nwait\n");
    let r = psh_script(&text, &[]);
    assert_eq!(
        r.stdout,
        "[1]-  Running                 sleep 0.3\n[2]+  Running                 sleep 0.2\n",
        "{}",
        r.stderr
    );
}
