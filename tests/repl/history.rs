//! The history file is refused unless it is a regular file of the user's
//! (SPEC §7; issue 15): a symbolic link (to a file, dangling, to a
//! device), a FIFO, a device or a directory in its place is never read,
//! written or chmod'ed; psh warns once and keeps history in memory.

use crate::common;
use common::pty::Pty;
use common::*;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Start psh whose history path is `data/psh/history` under a scratch
/// home prepared by `setup`; type a few commands; return the session.
fn session(name: &str, setup: impl FnOnce(&Path)) -> Pty {
    let home = scratch(name);
    let dir = home.join("data/psh");
    std::fs::create_dir_all(&dir).expect("dir");
    setup(&dir.join("history"));
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.expect("psh: history:");
    let warning = p.expect("\r\n");
    assert!(warning.contains("kept in memory only"), "{warning}");
    for i in 0..3 {
        p.prompt();
        p.command(&format!("echo works{i}"));
        p.expect(&format!("works{i}\r\n"));
    }
    p.prompt();
    p.command("history; echo done");
    p.expect("done\r\n");
    assert_eq!(
        p.seen.matches("psh: history:").count(),
        2,
        "one warning at start, one from `history`:\n{}",
        p.seen
    );
    p
}

#[test]
fn a_symlink_to_another_file_is_refused_and_the_file_untouched() {
    let home = scratch("hist-target");
    let target = home.join("precious.txt");
    std::fs::write(&target, "precious\n").expect("write");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let t = target.clone();
    let _p = session("hist-link", move |h| {
        std::os::unix::fs::symlink(&t, h).expect("symlink");
    });
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "precious\n"
    );
    let mode = std::fs::metadata(&target)
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o644, "the target was chmod'ed");
}

#[test]
fn a_dangling_symlink_is_refused_and_its_target_not_created() {
    let home = scratch("hist-dangling-target");
    let target = home.join("not-there");
    let t = target.clone();
    let _p = session("hist-dangling", move |h| {
        std::os::unix::fs::symlink(&t, h).expect("symlink");
    });
    assert!(!target.exists(), "the link's target was created");
}

#[test]
fn a_fifo_is_refused_without_hanging() {
    let _p = session("hist-fifo", |h| {
        nix::unistd::mkfifo(h, nix::sys::stat::Mode::from_bits_truncate(0o600)).expect("mkfifo");
    });
}

#[test]
fn a_link_to_a_device_and_a_directory_are_refused() {
    let _p = session("hist-zero", |h| {
        std::os::unix::fs::symlink("/dev/zero", h).expect("symlink");
    });
    let _p = session("hist-dir", |h| {
        std::fs::create_dir(h).expect("mkdir");
    });
}

#[test]
fn a_device_node_is_refused() {
    // Making a device node needs root (CI runs as root).
    if nix::unistd::geteuid().as_raw() != 0 {
        return;
    }
    let _p = session("hist-dev", |h| {
        nix::sys::stat::mknod(
            h,
            nix::sys::stat::SFlag::S_IFCHR,
            nix::sys::stat::Mode::from_bits_truncate(0o600),
            nix::sys::stat::makedev(1, 5),
        )
        .expect("mknod");
    });
}

#[test]
fn the_first_start_greets_once_and_a_good_file_is_kept_at_0600() {
    let home = scratch("hist-greet");
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.expect("Welcome to psh");
    p.prompt();
    p.command("echo remembered");
    p.expect("remembered\r\n");
    p.prompt();
    p.line("exit");
    assert_eq!(p.wait_exit(), 0);
    let file = home.join("data/psh/history");
    let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // A second start: no greeting, the history is there.
    let mut p = Pty::spawn(&home, &["--norc"], &[]);
    p.prompt();
    p.command("history | grep -c 'echo remembered$'");
    p.expect("1\r\n");
    assert!(!p.seen.contains("Welcome"), "{}", p.seen);
}

/// With HOME and the XDG directories empty, the REPL's files are found
/// from the user database; for a user no database lists there are none,
/// and the shell runs (a static glibc's getpwuid, which `directories`
/// would call, crashes there).
#[test]
fn a_user_no_database_knows_still_gets_a_shell() {
    if crate::common::euid() != Some(0) {
        eprintln!("skipped: becoming another user needs root");
        return;
    }
    let home = scratch("hist-stranger");
    let empty = [("HOME", ""), ("XDG_DATA_HOME", ""), ("XDG_CONFIG_HOME", "")];
    let mut p = Pty::spawn_with(&home, &[], &empty, |c| {
        use std::os::unix::process::CommandExt;
        c.current_dir("/").uid(54_321).gid(54_321);
    });
    p.expect("$ ");
    p.line("echo stranger-$((40+2))");
    p.expect("stranger-42");
    p.line("exit");
    assert_eq!(p.wait_exit(), 0, "{}", p.seen);
}
