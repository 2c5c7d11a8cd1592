//! The architecture, checked: the folders of `src/` are layers and every
//! dependency points down (README "Module map"), `unsafe` and `libc` live
//! only in `src/os`, every file says what it does in a `//!` doc, no file
//! grows past ~500 lines, and no two files use each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each layer and the layers it may use (besides itself).
const LAYERS: &[(&str, &[&str])] = &[
    ("os", &[]),
    ("lang", &["os"]),
    ("expand", &["lang", "os"]),
    ("lab", &["os"]),
    ("exec", &["expand", "lang", "lab", "os"]),
    ("teach", &["exec", "expand", "lang", "lab", "os"]),
    (
        "builtins",
        &["teach", "exec", "expand", "lang", "lab", "os"],
    ),
    (
        "repl",
        &["builtins", "teach", "exec", "expand", "lang", "lab", "os"],
    ),
    (
        "cli",
        &[
            "repl", "builtins", "teach", "exec", "expand", "lang", "lab", "os",
        ],
    ),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .map(|r| r.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            (rel, text)
        })
        .collect()
}

/// `exec/eval.rs` → `exec`; `cli.rs` → `cli`.
fn layer_of(rel: &str) -> &str {
    match rel.split_once('/') {
        Some((dir, _)) => dir,
        None => rel.trim_end_matches(".rs"),
    }
}

/// The code of a file without comments (so prose naming a module is not a
/// dependency).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b` path in the code: (a, b).  In `dir/file.rs`,
/// `super::x` is `crate::dir::x` (`super::*` of a test module is the file
/// itself, not a dependency).
fn uses_in(text: &str, dir: Option<&str>) -> BTreeSet<(String, String)> {
    let mut code = code(text).replace("super::*", "");
    if let Some(d) = dir {
        code = code.replace("super::", &format!("crate::{d}::"));
    }
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + 7..];
        let mut parts = rest.splitn(3, "::").map(|s| {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        });
        let a = parts.next().unwrap_or_default();
        let b = parts.next().unwrap_or_default();
        if !a.is_empty() {
            out.insert((a, b));
        }
    }
    out
}

fn uses(text: &str) -> BTreeSet<(String, String)> {
    uses_in(text, None)
}

/// The folder whose `super` a file's `super::` names: `exec/eval.rs` →
/// `exec`; `mod.rs` files and top-level files name the crate root.
fn super_dir(rel: &str) -> Option<&str> {
    match rel.split_once('/') {
        Some((dir, file)) if file != "mod.rs" && !file.contains('/') => Some(dir),
        _ => None,
    }
}

#[test]
fn dependencies_point_down() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut wrong = Vec::new();
    for (rel, text) in src_files() {
        let layer = layer_of(&rel);
        let Some(ok) = allowed.get(layer) else {
            // lib.rs and main.rs sit above everything.
            assert!(
                matches!(layer, "lib" | "main"),
                "{rel}: not in a known layer"
            );
            continue;
        };
        for (to, _) in uses_in(&text, super_dir(&rel)) {
            if to != layer && !ok.contains(&to.as_str()) {
                wrong.push(format!("{rel} uses crate::{to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "upward dependencies:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_files_use_each_other() {
    let files = src_files();
    // A file's module path: `exec/eval.rs` → `exec::eval`, `lab/mod.rs` → `lab`.
    let module = |rel: &str| {
        rel.trim_end_matches(".rs")
            .trim_end_matches("/mod")
            .replace('/', "::")
    };
    let mut edges = BTreeSet::new();
    for (rel, text) in &files {
        let from = module(rel);
        for (a, b) in uses_in(text, super_dir(rel)) {
            let to_nested = format!("{a}::{b}");
            let to = if files.iter().any(|(r, _)| module(r) == to_nested) {
                to_nested
            } else {
                a
            };
            if to != from && !from.starts_with(&format!("{to}::")) {
                edges.insert((from.clone(), to));
            }
        }
    }
    let cycles: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    assert!(cycles.is_empty(), "two-file cycles:\n{}", cycles.join("\n"));
}

#[test]
fn unsafe_and_libc_only_in_os() {
    let mut wrong = Vec::new();
    for (rel, text) in src_files() {
        if rel.starts_with("os/") {
            continue;
        }
        let code = code(&text);
        if code.contains("unsafe ") || code.contains("unsafe{") || code.contains("libc::") {
            wrong.push(rel);
        }
    }
    assert!(wrong.is_empty(), "unsafe or libc outside os/: {wrong:?}");
}

#[test]
fn every_file_says_what_it_does_and_stays_small() {
    for (rel, text) in src_files() {
        assert!(
            text.starts_with("//!"),
            "{rel}: no //! doc saying what the file does"
        );
        let lines = text.lines().count();
        assert!(lines <= 520, "{rel}: {lines} lines (split it)");
    }
}

#[test]
fn the_checker_sees_a_violation() {
    // The scanner itself must find what it looks for.
    let found = uses("use crate::repl::run; // crate::cli in a comment");
    assert!(found.contains(&("repl".to_string(), "run".to_string())));
    assert!(!found.iter().any(|(a, _)| a == "cli"));
    assert_eq!(layer_of("exec/eval.rs"), "exec");
    assert_eq!(layer_of("cli.rs"), "cli");
}
