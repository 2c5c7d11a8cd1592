//! The user database, read by psh itself: a user's home directory by name
//! (`~user`) or by user id (`~` with HOME unset; the REPL's files).
//!
//! psh is linked statically with glibc on Linux (README "Build"), and a
//! static glibc's `getpwnam`/`getpwuid` load the NSS modules named in
//! `/etc/nsswitch.conf` with `dlopen`, which crashes the program for any
//! user `/etc/passwd` does not list.  So this reads `/etc/passwd` itself
//! and asks `getent passwd` — a dynamically linked program that honours
//! the whole NSS configuration (LDAP, systemd users, …) — only about a user
//! it does not find there.  Must not call `getpw*`; knows nothing of
//! shell words.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::process::{Command, Stdio};

/// Whom to look up.
#[derive(Clone, Copy, Debug)]
pub enum User<'a> {
    Name(&'a [u8]),
    Id(u32),
}

/// The home directory of `who`, from `/etc/passwd`, else from `getent`;
/// None when neither knows the user.
pub fn home(who: User) -> Option<OsString> {
    let local = std::fs::read("/etc/passwd")
        .ok()
        .and_then(|db| home_in(&db, who));
    local.or_else(|| from_getent(who)).map(OsString::from_vec)
}

/// The home directory of the user psh runs as (its real user id).
pub fn own_home() -> Option<OsString> {
    home(User::Id(nix::unistd::getuid().as_raw()))
}

/// The home directory of `who` in `db`, text in passwd(5)'s format
/// (`name:password:uid:gid:gecos:home:shell`, one user a line).  Lines
/// that are not of that shape (NIS `+`/`-` entries, comments, blanks) are
/// skipped.
pub fn home_in(db: &[u8], who: User) -> Option<Vec<u8>> {
    db.split(|&b| b == b'\n').find_map(|line| {
        let mut f = line.split(|&b| b == b':');
        let name = f.next()?;
        let uid = f.nth(1)?;
        let dir = f.nth(2)?;
        if matches!(name.first(), None | Some(b'+' | b'-' | b'#')) {
            return None;
        }
        let this = match who {
            User::Name(n) => name == n,
            User::Id(id) => {
                std::str::from_utf8(uid)
                    .ok()
                    .and_then(|u| u.parse::<u32>().ok())
                    == Some(id)
            }
        };
        this.then(|| dir.to_vec())
    })
}

/// Ask `getent passwd` (the other NSS sources); None if it is missing,
/// fails, or names someone else.
fn from_getent(who: User) -> Option<Vec<u8>> {
    let id;
    let key: &OsStr = match who {
        // A name with ':' or a newline cannot be in the database.
        User::Name(n) if n.is_empty() || n.iter().any(|&b| b == b':' || b == b'\n') => return None,
        User::Name(n) => OsStr::from_bytes(n),
        User::Id(u) => {
            id = u.to_string();
            OsStr::new(&id)
        }
    };
    let out = Command::new("getent")
        .args([OsStr::new("passwd"), OsStr::new("--"), key])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    // getent looks a number up as a user id: check the answer is `who`.
    home_in(&out.stdout, who)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DB: &[u8] = b"root:x:0:0:root:/root:/bin/bash\n\
        +nis::::::\n\
        -bad\n\
        short:x:5\n\
        bin:x:2:2:bin:/bin:/usr/sbin/nologin\n\
        \n\
        caf\xc3\xa9:x:1000:1000:,,,:/home/caf\xff:/bin/sh\n\
        2:x:7:7::/home/two:/bin/sh";

    #[test]
    fn finds_a_user_by_name_and_by_id() {
        let h = |w| home_in(DB, w);
        assert_eq!(h(User::Name(b"root")), Some(b"/root".to_vec()));
        assert_eq!(h(User::Name(b"bin")), Some(b"/bin".to_vec()));
        assert_eq!(h(User::Id(2)), Some(b"/bin".to_vec()));
        assert_eq!(h(User::Id(1000)), Some(b"/home/caf\xff".to_vec()));
        assert_eq!(
            h(User::Name(b"caf\xc3\xa9")),
            Some(b"/home/caf\xff".to_vec())
        );
        // A numeric name is a name, not an id.
        assert_eq!(h(User::Name(b"2")), Some(b"/home/two".to_vec()));
    }

    #[test]
    fn skips_what_is_not_a_user() {
        let h = |w| home_in(DB, w);
        assert_eq!(h(User::Name(b"+nis")), None);
        assert_eq!(h(User::Name(b"short")), None);
        assert_eq!(h(User::Id(5)), None);
        assert_eq!(h(User::Name(b"")), None);
        assert_eq!(h(User::Name(b"nosuchuser")), None);
        assert_eq!(h(User::Id(4242)), None);
    }

    /// getent's answer is read like the file's (needs `getent`, which
    /// every glibc system has).
    #[test]
    fn getent_answers_for_root_as_the_file_does() {
        let db = std::fs::read("/etc/passwd").unwrap_or_default();
        let file = home_in(&db, User::Id(0));
        assert!(file.is_some(), "no root in /etc/passwd");
        assert_eq!(from_getent(User::Id(0)), file);
        assert_eq!(from_getent(User::Name(b"root")), file);
        assert_eq!(from_getent(User::Name(b"psh-no-such-user")), None);
        assert_eq!(from_getent(User::Name(b"a:b")), None);
    }
}
