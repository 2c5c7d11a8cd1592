//! Parser tests for hostile nesting: blocks, `$(`, `${`, arithmetic
//! parentheses and function bodies nested past the limit are refused at
//! once, never overflow a stack and never take exponential time.  Parse
//! only; nothing runs.

use super::tests::{bad, ok, only_command};
use super::*;

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}echo{}", "{ ".repeat(10_000), " }".repeat(10_000));
    let e = bad(&deep);
    assert!(e.message.contains("nested"), "{}", e.message);
    let ok_depth = format!(
        "{}echo{}",
        "{ ".repeat(MAX_NESTING - 1),
        " }".repeat(MAX_NESTING - 1)
    );
    ok(&ok_depth);
    let parens = format!("echo {}", "$(".repeat(10_000));
    assert!(bad(&parens).message.contains("nested"));
    // Parentheses inside quotes do not count.
    ok(&format!("echo '{}'", "(".repeat(10_000)));
    ok(&format!("echo \"{}\"", "{".repeat(10_000)));
    // Past the limit in a word, in arithmetic, in a function's body:
    // refused, never read by the fast path's recursion.
    for deep in [
        format!("echo {}y{}", "${x:-".repeat(10_000), "}".repeat(10_000)),
        format!("echo $(({}1{}))", "(".repeat(10_000), ")".repeat(10_000)),
        format!(
            "fn f {{ {}echo{} }}",
            "{ ".repeat(10_000),
            " }".repeat(10_000)
        ),
    ] {
        assert!(
            bad(&deep).message.contains("nested more than"),
            "{}",
            &deep[..20]
        );
    }
    // Braces in a word are letters, not blocks (as in bash).
    let l = ok(&format!("echo {}", "{".repeat(MAX_NESTING + 50)));
    assert!(matches!(only_command(&l), Command::Simple(_)));
}

/// Each of these took time exponential in the nesting before the grammar
/// stopped reading text two ways (the fuzzer found the last one); at 60
/// levels each must now fail at once.
#[test]
fn malformed_nesting_fails_fast() {
    for tok in [
        "$((",
        "\"$(",
        "$(",
        "a=$(",
        "2>$(",
        "${",
        "$(( (",
        "$(alarm 1 < ",
        "alarm 1 < ",
        "a$(",
        "$(b",
        "x=a$(",
        "for x in a$(",
        "threads a$(",
        "exit a$(",
    ] {
        let src = format!("echo {}", tok.repeat(60));
        let start = std::time::Instant::now();
        assert!(parse(&src, "t").is_err(), "{tok}");
        // Generous (debug build, shared machine): exponential would be years.
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{tok}"
        );
    }
}
