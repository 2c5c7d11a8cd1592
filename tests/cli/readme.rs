//! The README's examples run verbatim (issue 15): the language tour is
//! taken from README.md as it is and run by psh in an empty directory.

use crate::common;
use common::*;

/// The first ```sh block after `heading` in README.md.
fn block_after(heading: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let from = readme.find(heading).expect("heading");
    let rest = &readme[from..];
    let start = rest.find("```sh\n").expect("a sh block") + 6;
    let end = rest[start..].find("```").expect("end of block");
    rest[start..start + end].to_string()
}

#[test]
fn the_language_tour_runs_verbatim() {
    let tour = block_after("## A tour of the language");
    assert!(tour.contains("i=0; while"), "the tour block was not found");
    let r = psh_script(&tour, &[]);
    assert!(!r.stderr.contains("syntax error"), "{}", r.stderr);
    assert!(!r.stderr.contains("command not found"), "{}", r.stderr);
    assert!(r.stdout.contains("hello world"), "{}", r.stdout);
    assert!(r.stdout.contains("\n143\n"), "{}", r.stdout);
    assert_eq!(r.status, 0, "{}", r.stderr);
}
