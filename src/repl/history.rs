//! Where the REPL keeps its files: the history (in the user's data
//! directory, mode 0600, a regular file of the user's only, never through
//! a link) and the init file (in the config directory).  Never reads a
//! command.

use std::path::{Path, PathBuf};

use std::os::fd::{AsRawFd, OwnedFd};

use crate::os::{sys, users};

/// `~/.local/share/psh/history`, or None when there is no home directory.
pub fn history_path() -> Option<PathBuf> {
    psh_dir(Dir::Data).map(|d| d.join("history"))
}

/// `~/.config/psh/init.psh`, or None when there is no home directory.
pub(crate) fn init_file() -> Option<PathBuf> {
    psh_dir(Dir::Config).map(|d| d.join("init.psh"))
}

enum Dir {
    Data,
    Config,
}

/// psh's data or config directory.  `directories` finds the home in
/// `$HOME`, else with `getpwuid`, which a statically linked psh must not
/// call (see `os/users.rs`): with HOME unset or empty, the home comes
/// from `os::users` and the XDG rule is applied here.
fn psh_dir(which: Dir) -> Option<PathBuf> {
    let (xdg, under_home) = match which {
        Dir::Data => ("XDG_DATA_HOME", ".local/share"),
        Dir::Config => ("XDG_CONFIG_HOME", ".config"),
    };
    if std::env::var_os("HOME").is_some_and(|h| !h.is_empty()) {
        let dirs = directories::ProjectDirs::from("", "", "psh")?;
        return Some(match which {
            Dir::Data => dirs.data_dir().to_path_buf(),
            Dir::Config => dirs.config_dir().to_path_buf(),
        });
    }
    let base = match std::env::var_os(xdg).map(PathBuf::from) {
        Some(p) if p.is_absolute() => p,
        _ => PathBuf::from(users::own_home()?).join(under_home),
    };
    Some(base.join("psh"))
}

/// The history file, open for the whole session.  The line editor is
/// given `/proc/self/fd/N`, which reopens this very file: whatever is
/// later put at the path (a link, a FIFO) is never followed.
pub(crate) struct HistoryFile {
    /// Not among the descriptors a forked child closes: `history | grep`
    /// runs the builtin in one.  Close-on-exec, so no program gets it.
    _fd: OwnedFd,
    /// The path the line editor reads and writes.
    pub(crate) editor_path: PathBuf,
    /// There was no history file before: psh's first interactive start.
    pub(crate) first_start: bool,
}

/// Open the history file at `path` (a regular file of the user's, mode
/// 0600, created if missing with its directory at 0700), or say why not:
/// a symbolic link, FIFO, device or directory there is refused, never
/// read, written or chmod'ed.
pub(crate) fn open_history(path: &Path) -> Result<HistoryFile, String> {
    use std::os::unix::fs::DirBuilderExt;
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| sys::why(&e))?;
    }
    let first_start = std::fs::symlink_metadata(path).is_err();
    let fd = sys::open_own_regular(path, 0o600)?;
    let editor_path = PathBuf::from(format!("/proc/self/fd/{}", fd.as_raw_fd()));
    if !editor_path.exists() {
        return Err("/proc is not mounted (the file could not be held open)".into());
    }
    Ok(HistoryFile {
        _fd: fd,
        editor_path,
        first_start,
    })
}
