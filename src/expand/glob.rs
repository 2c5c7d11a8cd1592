//! Globbing: a pattern built from a word's unquoted `* ? [` becomes the
//! sorted list of matching paths, or the word itself when nothing
//! matches.  Walks directories one pattern component at a time; names that
//! are not UTF-8 match like any other (`os/text.rs`).  A name starting with
//! `.` matches only a component that starts with `.`, and `.`/`..` never
//! come from a pattern.  `**` as a whole component matches any depth of
//! directories; last, it matches every path below.  Reads directories; never expands parameters.

use super::pattern::{has_magic, unescape, Pattern};
use std::os::unix::ffi::OsStringExt;

use crate::os::text;

/// Sorted matches of `pattern`, or the word itself when nothing matches.
/// `bytes`: the C locale (`?` is one byte).
pub fn glob_into(pattern: &str, word: String, bytes: bool, out: &mut Vec<String>) {
    // `[ -f x ]`: a `[` that opens no class reads no directory.
    if !has_magic(pattern) {
        out.push(word);
        return;
    }
    let mut hits = glob(pattern, bytes);
    if hits.is_empty() {
        out.push(word);
    } else {
        sort(&mut hits);
        out.append(&mut hits);
    }
}

/// Byte order (what `sort_unstable` gives), with the first eight bytes
/// compared as one number first: most names differ there, and a sort of
/// 10 000 names spent most of its time calling `memcmp`.
fn sort(names: &mut Vec<String>) {
    let prefix = |s: &str| {
        let mut b = [0u8; 8];
        let n = s.len().min(8);
        b[..n].copy_from_slice(&s.as_bytes()[..n]);
        u64::from_be_bytes(b)
    };
    let mut keyed: Vec<(u64, String)> = names.drain(..).map(|s| (prefix(&s), s)).collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    names.extend(keyed.into_iter().map(|(_, s)| s));
}

/// Every path that matches.
pub fn glob(pattern: &str, bytes: bool) -> Vec<String> {
    let (root, rest) = match pattern.strip_prefix('/') {
        Some(r) => ("/".to_string(), r),
        None => (String::new(), pattern),
    };
    let mut comps: Vec<&str> = rest.split('/').collect();
    // `**/**` is `**` (each would walk the same tree again).
    comps.dedup_by(|a, b| *a == "**" && *b == "**");
    let mut hits = Vec::new();
    walk(root, &comps, bytes, &mut hits);
    hits
}

/// Match `comps` below `base` ("" is the current directory; otherwise it
/// ends with `/`).
fn walk(base: String, comps: &[&str], bytes: bool, hits: &mut Vec<String>) {
    let Some((first, rest)) = comps.split_first() else {
        return;
    };
    // A trailing `/` (last component empty): directories only.
    if first.is_empty() && rest.is_empty() {
        if !base.is_empty() && is_dir(&base) {
            hits.push(base);
        }
        return;
    }
    if first.is_empty() {
        // `a//b`: keep the slash.
        return walk(format!("{base}/"), rest, bytes, hits);
    }
    if !has_magic(first) {
        let path = format!("{base}{}", unescape(first));
        if rest.is_empty() {
            if exists(&path) {
                hits.push(path);
            }
        } else if is_dir(&path) {
            walk(format!("{path}/"), rest, bytes, hits);
        }
        return;
    }
    if *first == "**" && rest.is_empty() {
        // Last: every name below, at any depth, and `d/` itself for
        // `d/**` (as bash's globstar).
        if !base.is_empty() && is_dir(&base) {
            hits.push(base.clone());
        }
        every(&base, hits);
        return;
    }
    if *first == "**" {
        // Zero directories, then each subdirectory at any depth.
        walk(base.clone(), rest, bytes, hits);
        for name in names(&base, false) {
            let path = format!("{base}{name}");
            if is_dir(&path) && !is_symlink(&path) {
                walk(format!("{path}/"), comps, bytes, hits);
            }
        }
        return;
    }
    let pat = if bytes {
        Pattern::bytewise(first)
    } else {
        Pattern::new(first)
    };
    let hidden_ok = pat.starts_with_dot();
    for name in names(&base, hidden_ok) {
        if !pat.matches(&name) {
            continue;
        }
        // In the current directory the name is the path: no copy.
        let path = match base.is_empty() {
            true => name,
            false => base.clone() + &name,
        };
        if rest.is_empty() {
            hits.push(path);
        } else if is_dir(&path) {
            walk(format!("{path}/"), rest, bytes, hits);
        }
    }
}

/// Every path below `base` (not hidden), descending into directories
/// but not through symbolic links.
fn every(base: &str, hits: &mut Vec<String>) {
    for name in names(base, false) {
        let path = format!("{base}{name}");
        let sub = (is_dir(&path) && !is_symlink(&path)).then(|| format!("{path}/"));
        hits.push(path);
        if let Some(sub) = sub {
            every(&sub, hits);
        }
    }
}

/// The names in directory `base` (hidden ones only when asked).
fn names(base: &str, hidden: bool) -> Vec<String> {
    let dir = if base.is_empty() { "." } else { base };
    let Ok(rd) = std::fs::read_dir(text::path(dir)) else {
        return Vec::new();
    };
    rd.filter_map(Result::ok)
        .map(|e| text::decode_owned(e.file_name().into_vec()))
        .filter(|n| hidden || !n.starts_with('.'))
        .collect()
}

fn exists(p: &str) -> bool {
    std::fs::symlink_metadata(text::path(p)).is_ok()
}

fn is_dir(p: &str) -> bool {
    std::fs::metadata(text::path(p)).is_ok_and(|m| m.is_dir())
}

fn is_symlink(p: &str) -> bool {
    std::fs::symlink_metadata(text::path(p)).is_ok_and(|m| m.file_type().is_symlink())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sort_is_byte_order() {
        let mut names: Vec<String> = [
            "b",
            "a",
            "abcdefgh2",
            "abcdefgh1",
            "abcdefgh",
            "abcdefg",
            "",
            "é",
            "e\u{10FFC3}",
            "Z",
            "10",
            "9",
            "100",
            "abcdefghé",
            "abcdefgh\u{1}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut want = names.clone();
        want.sort_unstable();
        super::sort(&mut names);
        assert_eq!(names, want);
    }
}
