//! Home directories of users (`~`, `~user`), which psh reads from
//! `/etc/passwd` itself and asks `getent` about otherwise, because a
//! statically linked glibc must not load NSS modules (src/os/users.rs).

use crate::common::{command, euid, psh, run_in, scratch, PSH};

#[test]
fn home_directories_of_users_are_bashs() {
    let line = "echo ~root ~root/sub ~psh-no-such-user ~psh-no-such-user/x a~root";
    let ours = psh(line);
    let bash = run_in(&scratch("users-bash"), "bash", &["-c", line], b"");
    assert_eq!(ours.stdout, bash.stdout, "{}", ours.stderr);
    assert_eq!(ours.status, 0, "{}", ours.stderr);
    assert!(ours.stdout.starts_with('/'), "{}", ours.stdout);
}

/// A user id no database lists.
const STRANGER: u32 = 54_321;

/// Only root can become another user; CI runs as root.
fn can_become_a_stranger() -> bool {
    if euid() == Some(0) {
        return true;
    }
    eprintln!("skipped: becoming user {STRANGER} needs root");
    false
}

/// A user that `/etc/passwd` does not list, with HOME unset: the place
/// where a static glibc's getpwuid would load an NSS module and crash.
#[test]
fn a_user_no_database_knows_gets_the_tilde_back() {
    if !can_become_a_stranger() {
        return;
    }
    use std::os::unix::process::CommandExt;
    let out = command(PSH)
        .args([
            "-c",
            "echo ~; echo ~root; echo ~psh-no-such-user; echo done",
        ])
        .current_dir("/")
        .env_remove("HOME")
        .uid(STRANGER)
        .gid(STRANGER)
        .output()
        .expect("run psh");
    let root_home = psh("echo ~root").stdout;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("~\n{root_home}~psh-no-such-user\ndone\n"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
}
