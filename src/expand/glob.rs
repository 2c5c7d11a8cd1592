//! Globbing: a pattern built from a word's unquoted `* ? [` becomes the
//! sorted list of matching paths, or the word itself when nothing
//! matches.  Reads directories; never expands parameters.

/// Sorted matches of `pattern`, or the word itself when nothing matches.
pub fn glob_into(pattern: &str, text: String, out: &mut Vec<String>) {
    let opts = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let mut hits: Vec<String> = match glob::glob_with(pattern, opts) {
        Ok(paths) => paths
            .filter_map(Result::ok)
            .map(|p| p.to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    if hits.is_empty() {
        out.push(text);
    } else {
        hits.sort();
        // glob drops a leading "./" the pattern had; sh keeps it.
        if pattern.starts_with("./") {
            for h in &mut hits {
                if !h.starts_with("./") {
                    h.insert_str(0, "./");
                }
            }
        }
        out.extend(hits);
    }
}
