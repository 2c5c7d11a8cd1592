//! Scripts run as files by psh and by bash, compared: the cases where
//! `bash -c` and `bash FILE` differ (bash gives 127 for an unbound
//! variable under `-c`, 1 in a script; psh gives 1 in both, as SPEC §4).

use crate::common;
use common::*;

fn both(psh_text: &str, bash_text: &str) -> (Run, Run) {
    let dir = scratch("svb");
    std::fs::write(dir.join("s.psh"), psh_text).unwrap();
    std::fs::write(dir.join("s.sh"), bash_text).unwrap();
    (
        run_in(&dir, PSH, &["s.psh"], b""),
        run_in(&dir, "bash", &["s.sh"], b""),
    )
}

#[test]
fn unbound_variables_end_a_script_with_status_1() {
    for text in [
        "set -u\necho before\necho $nope\necho after\n",
        "unset u\necho ${u:?is missing}\necho after\n",
        "echo ${u?}\necho after\n",
    ] {
        let (p, b) = both(text, text);
        assert_eq!(
            (p.stdout.as_str(), p.status),
            (b.stdout.as_str(), b.status),
            "{text}"
        );
        assert_eq!(p.status, 1, "{text}");
    }
    // The same with -c: status 1 (bash -c says 127).
    let r = psh("set -u; echo $nope; echo after");
    assert_eq!((r.stdout.as_str(), r.status), ("", 1));
    assert!(r.stderr.contains("nope: unbound variable"), "{}", r.stderr);
}

/// scripts/logsum.psh, the realistic example (getopts, match, lists,
/// here-documents, printf, local), on its sample and on a file.
#[test]
fn logsum_example_script_runs() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/logsum.psh");
    let r = psh_args(&[script], b"");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        concat!(
            "level    lines  share\nINFO         2   25.0%\nWARN         1   12.5%\n",
            "ERROR        4   50.0%\nDEBUG        1   12.5%\ntotal        8\n\n",
            "top 3 ERROR messages:\n    3 × cannot open /var/db/main\n",
            "    1 × timeout talking to 10.0.0.7\n"
        )
    );
    let dir = scratch("logsum");
    std::fs::write(
        dir.join("a.log"),
        "d t WARN low disk\nd t INFO up\nd t WARN low disk\nd t odd line\n",
    )
    .unwrap();
    let r = run_in(&dir, PSH, &[script, "-l", "warn", "-n", "1", "a.log"], b"");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("OTHER        1   25.0%\ntotal        4\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .ends_with("top 1 WARN messages:\n    2 × low disk\n"),
        "{}",
        r.stdout
    );
    let r = run_in(&dir, PSH, &[script, "-n", "many"], b"");
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (2, "logsum.psh: -n wants a number, not many\n")
    );
    let r = run_in(&dir, PSH, &[script, "-h"], b"");
    assert!(
        r.stdout.starts_with("usage: logsum.psh [-n TOP]"),
        "{}",
        r.stdout
    );
    let r = run_in(&dir, PSH, &[script, "missing.log"], b"");
    assert_eq!(r.status, 1);
}
