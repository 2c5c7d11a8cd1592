//! The PATH search: a command name → the full path of an executable file,
//! cached until PATH changes (or a cached path goes away).  Only looks at
//! the file system; never starts anything.

use std::collections::HashMap;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

/// Cached PATH lookups, emptied whenever PATH changes.
#[derive(Debug, Default)]
pub struct PathCache {
    path: String,
    hits: HashMap<String, CString>,
}

impl PathCache {
    /// The full path of `name` on `path`, or None when not found.  A name
    /// with a slash is used as it is; an empty PATH entry is not the
    /// current directory unless PATH says `.`.
    pub fn lookup(&mut self, name: &str, path: &str) -> Option<CString> {
        if name.contains('/') {
            return crate::os::text::cstring(name);
        }
        if self.path != path {
            self.path = path.to_string();
            self.hits.clear();
        }
        if let Some(p) = self.hits.get(name) {
            return Some(p.clone());
        }
        for dir in path.split(':') {
            if dir.is_empty() {
                continue;
            }
            let full = crate::os::text::path(dir).join(crate::os::text::path(name));
            if let Ok(m) = std::fs::metadata(&full) {
                if m.is_file() && m.permissions().mode() & 0o111 != 0 {
                    let c = CString::new(full.as_os_str().as_bytes()).ok()?;
                    self.hits.insert(name.to_string(), c.clone());
                    return Some(c);
                }
            }
        }
        None
    }

    pub fn forget(&mut self) {
        self.hits.clear();
    }
}
