//! Values are bytes (SPEC §4): data that is not UTF-8 passes through
//! arguments, the environment, `$(…)`, `read`, here-documents, script text
//! and file names unchanged, byte for byte as bash passes it.

use std::os::unix::ffi::OsStrExt;

use crate::common;
use common::*;

/// Run `line` with psh and bash in `dir` with `args`; compare stdout bytes.
fn same_bytes(
    dir: &std::path::Path,
    psh_line: &str,
    bash_line: &str,
    args: &[&[u8]],
    env: &[(&str, &[u8])],
) {
    let run = |prog: &str, line: &str| {
        let mut c = command(prog);
        c.current_dir(dir).arg("-c").arg(line);
        for a in args {
            c.arg(std::ffi::OsStr::from_bytes(a));
        }
        for (k, v) in env {
            c.env(k, std::ffi::OsStr::from_bytes(v));
        }
        let o = c.output().unwrap();
        (o.stdout, o.status.code())
    };
    let p = run(PSH, psh_line);
    let b = run("bash", bash_line);
    assert_eq!(p, b, "psh: {psh_line}\nbash: {bash_line}");
}

#[test]
fn arguments_environment_and_substitution_keep_their_bytes() {
    let dir = scratch("bytes");
    same_bytes(
        &dir,
        "printf %s \"$1\" | od -c",
        "printf %s \"$1\" | od -c",
        &[b"_", b"\xff\xfe"],
        &[],
    );
    same_bytes(
        &dir,
        "printf %s \"$X\"; sh -c 'printf %s \"$X\"'",
        "printf %s \"$X\"; sh -c 'printf %s \"$X\"'",
        &[],
        &[("X", b"\xfe\xff")],
    );
    same_bytes(
        &dir,
        "x=$(printf 'a\\377b\\0c'); printf %s \"$x\" | od -c",
        "x=$(printf 'a\\377b\\0c' 2>/dev/null); printf %s \"$x\" | od -c",
        &[],
        &[],
    );
    same_bytes(
        &dir,
        "printf 'a\\376b c\\n' | { read x y; printf '%s|%s' \"$x\" \"$y\"; }",
        "printf 'a\\376b c\\n' | { read x y; printf '%s|%s' \"$x\" \"$y\"; }",
        &[],
        &[],
    );
    same_bytes(
        &dir,
        "echo -en '\\0377\\xfe' | od -c; printf '%q\\n' \"$1\"",
        "echo -en '\\0377\\xfe' | od -c; printf '%q\\n' \"$1\"",
        &[b"_", b"a\xffb"],
        &[],
    );
    same_bytes(
        &dir,
        "x=\"$1\"; echo ${#x} ${x:1:1} | od -c; cat <<< \"$x\" | od -c",
        "x=\"$1\"; echo ${#x} ${x:1:1} | od -c; cat <<< \"$x\" | od -c",
        &[b"_", b"a\xffb"],
        &[],
    );
}

#[test]
fn file_names_that_are_not_utf8_glob_and_open() {
    let dir = scratch("bytes-glob");
    for n in [&b"\xff"[..], b"plain", b".hid", b"["] {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(n)), b"x").unwrap();
    }
    // Used to abort psh (the glob crate unwrapped to_str()).
    same_bytes(
        &dir,
        "echo p*; echo * | od -c; echo .*; echo [\\[z]",
        "echo p*; echo * | od -c; echo .*; echo [\\[z]",
        &[],
        &[],
    );
    same_bytes(
        &dir,
        "for f in * { [ -f $f ] && echo file }; cat ?",
        "for f in *; do [ -f \"$f\" ] && echo file; done; cat ?",
        &[],
        &[],
    );
    // A redirection creates a file with the very bytes.
    let o = command(PSH)
        .current_dir(&dir)
        .args(["-c", "echo hi > \"$1\"x; cat ?x"])
        .arg("_")
        .arg(std::ffi::OsStr::from_bytes(b"\xfe"))
        .output()
        .unwrap();
    assert_eq!(o.stdout, b"hi\n");
    assert!(dir.join(std::ffi::OsStr::from_bytes(b"\xfex")).exists());
    let empty = scratch("bytes-empty");
    same_bytes(&empty, "echo .*; echo *", "echo .*; echo *", &[], &[]);
}

#[test]
fn scripts_with_such_bytes_run() {
    let dir = scratch("bytes-script");
    let name = std::ffi::OsStr::from_bytes(b"s\xff.psh");
    std::fs::write(dir.join(name), b"echo ok \xff\nx=\xfe; printf %s $x\n").unwrap();
    let o = command(PSH).current_dir(&dir).arg(name).output().unwrap();
    assert_eq!(o.stdout, b"ok \xff\n\xfe");
    assert_eq!(o.status.code(), Some(0));
}
