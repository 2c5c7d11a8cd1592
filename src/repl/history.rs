//! Where the REPL keeps its files: the history (in the user's data
//! directory, mode 0600, a regular file only) and the init file (in the
//! config directory).  Never reads a command.

use std::path::PathBuf;

/// `~/psh/data/history`, or None when there is no home directory.
pub fn history_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "psh").map(|d| d.data_dir().join("history"))
}

pub(crate) fn init_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "psh").map(|d| d.config_dir().join("init.psh"))
}

/// Make sure the history file exists and only its owner can read it.
pub(crate) fn prepare_history(path: &PathBuf) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    // Only ever a regular file of the user's: never chmod a device or
    // whatever a link points at.
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => {
            return Err(std::io::Error::other("not a regular file"));
        }
        _ => {}
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}
