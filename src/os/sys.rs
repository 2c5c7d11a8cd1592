//! Thin, safe wrappers over the file-descriptor primitives the shell uses
//! (read, write, dup, pipe) and the registry of descriptors the shell holds
//! internally, so a forked child can close every one it must not keep.
//! Knows nothing of commands or jobs; never decides what a failure means.

use std::cell::RefCell;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::fcntl::{fcntl, FcntlArg, OFlag};

thread_local! {
    /// Descriptors the shell opened for its own use (pipe ends, redirection
    /// targets, saved copies of 0/1/2).  All are close-on-exec, but a forked
    /// child that runs a builtin never execs, so it closes them by hand.
    static HELD: RefCell<Vec<RawFd>> = const { RefCell::new(Vec::new()) };
}

/// An owned descriptor that is registered while it lives.
#[derive(Debug)]
pub struct Fd(OwnedFd);

impl Fd {
    pub fn new(fd: OwnedFd) -> Fd {
        HELD.with(|h| h.borrow_mut().push(fd.as_raw_fd()));
        Fd(fd)
    }
    pub fn raw(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        let raw = self.0.as_raw_fd();
        HELD.with(|h| {
            let mut h = h.borrow_mut();
            if let Some(i) = h.iter().rposition(|&f| f == raw) {
                h.swap_remove(i);
            }
        });
    }
}

/// In a freshly forked child: close every descriptor the parent held for
/// its own purposes (they were meant for other processes).
pub fn close_held_in_child() {
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        for &fd in h.iter() {
            // SAFETY: the child owns its copy of the descriptor table.
            unsafe { libc::close(fd) };
        }
        h.clear();
    });
}

/// A pipe whose both ends are close-on-exec.
pub fn pipe() -> nix::Result<(Fd, Fd)> {
    let (r, w) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    let (r, w) = (Fd::new(r), Fd::new(w));
    crate::os::trace::event(&format!("pipe() → [{}, {}]", r.raw(), w.raw()));
    Ok((r, w))
}

/// The empty pipe `fd` takes `n` bytes without blocking: within its
/// capacity (a page at least, which needs no question).
pub fn pipe_takes(fd: RawFd, n: usize) -> bool {
    if n <= 4096 {
        return true;
    }
    // SAFETY: F_GETPIPE_SZ only reads the pipe's capacity.
    let cap = unsafe { libc::fcntl(fd, libc::F_GETPIPE_SZ) };
    usize::try_from(cap).is_ok_and(|cap| n <= cap)
}

/// A close-on-exec copy of `fd`, numbered 10 or above (out of the range
/// users redirect) when the limit allows.
pub fn dup_high(fd: RawFd) -> nix::Result<Fd> {
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) returns a fresh descriptor that we own.
    let b = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    // Under a very low descriptor limit 10 may be out of range: any free
    // number above 2 will do then.
    let new = fcntl(b, FcntlArg::F_DUPFD_CLOEXEC(10))
        .or_else(|_| fcntl(b, FcntlArg::F_DUPFD_CLOEXEC(3)))?;
    Ok(own(new))
}

/// Move a descriptor psh keeps for long above 0-9, the numbers a user's
/// redirection may name (`exec 3> log` must not replace psh's own); it
/// stays close-on-exec.  The descriptor to use from now on.
pub fn move_high(fd: RawFd) -> RawFd {
    if fd > 9 {
        return fd;
    }
    // SAFETY: F_DUPFD_CLOEXEC makes a new descriptor; the old one is ours
    // to close.
    unsafe {
        let new = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10);
        if new < 0 {
            return fd;
        }
        libc::close(fd);
        new
    }
}

/// Run `f` with the free descriptors among 3-9 taken (by /dev/null), so
/// whatever `f` opens and keeps lands above them: for descriptors psh
/// cannot move afterwards (the line editor's).
pub fn with_low_fds_taken<T>(f: impl FnOnce() -> T) -> T {
    let mut fillers = Vec::new();
    for fd in 3..=9 {
        if is_open(fd) {
            continue;
        }
        // SAFETY: opens /dev/null; each filler is closed below.
        let raw = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if raw < 0 {
            break;
        }
        fillers.push(raw);
    }
    let r = f();
    for raw in fillers {
        // SAFETY: closing the fillers opened above.
        unsafe { libc::close(raw) };
    }
    r
}

pub fn dup2(src: RawFd, dst: RawFd) -> nix::Result<()> {
    // SAFETY: plain dup2 on raw descriptors; errors are returned.
    let r = unsafe { libc::dup2(src, dst) };
    Errno::result(r).map(drop)
}

pub fn close(fd: RawFd) {
    // SAFETY: closing a descriptor number; a bad one gives EBADF, ignored.
    unsafe { libc::close(fd) };
}

pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only queries.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

/// Open (creating it with `mode` if missing) a file that must be a
/// regular file owned by this user, never through a symbolic link; the
/// checks are made on the open descriptor (`fstat`), so nothing can be
/// swapped in between.  A FIFO or device is refused without blocking.
/// The reason in words when refused.
pub fn open_own_regular(path: &std::path::Path, mode: u32) -> Result<OwnedFd, String> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| "a NUL byte in the path".to_string())?;
    let flags = libc::O_RDWR
        | libc::O_CREAT
        | libc::O_NOFOLLOW
        | libc::O_CLOEXEC
        | libc::O_NONBLOCK
        | libc::O_NOCTTY;
    // SAFETY: a valid path; the returned descriptor is owned below.
    let raw = unsafe { libc::open(c.as_ptr(), flags, mode as libc::c_uint) };
    if raw < 0 {
        let e = Errno::last();
        return Err(match e {
            Errno::ELOOP => "a symbolic link, not a regular file".to_string(),
            _ => e.desc().to_string(),
        });
    }
    // SAFETY: a fresh descriptor that nothing else owns (moved above 0-9,
    // which a user's redirection may name).
    let fd = unsafe { OwnedFd::from_raw_fd(move_high(raw)) };
    let raw = fd.as_raw_fd();
    let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: fstat fills `st` for an open descriptor.
    if unsafe { libc::fstat(raw, st.as_mut_ptr()) } != 0 {
        return Err(Errno::last().desc().to_string());
    }
    // SAFETY: filled by the successful call above.
    let st = unsafe { st.assume_init() };
    if st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err("not a regular file".to_string());
    }
    // SAFETY: getuid has no preconditions.
    if st.st_uid != unsafe { libc::getuid() } {
        return Err("owned by another user".to_string());
    }
    // Back to blocking reads and writes, and only the owner may read it.
    // SAFETY: flag and mode changes on our own open descriptor.
    unsafe {
        let fl = libc::fcntl(raw, libc::F_GETFL);
        if fl >= 0 {
            libc::fcntl(raw, libc::F_SETFL, fl & !libc::O_NONBLOCK);
        }
        if st.st_mode & 0o777 != mode {
            libc::fchmod(raw, mode as libc::mode_t);
        }
    }
    Ok(fd)
}

/// An anonymous file (memfd) holding `bytes`, read from the start: what
/// a here-document's command reads on its fd.  Any size works (a pipe
/// would block past its buffer).
pub fn data_fd(bytes: &[u8]) -> nix::Result<Fd> {
    // SAFETY: a NUL-terminated name; the returned descriptor is owned below.
    let raw = unsafe { libc::memfd_create(c"psh-here".as_ptr(), libc::MFD_CLOEXEC) };
    if raw < 0 {
        return Err(Errno::last());
    }
    let fd = own(raw);
    write_all(fd.raw(), bytes)?;
    // SAFETY: rewinds our own descriptor.
    if unsafe { libc::lseek(fd.raw(), 0, libc::SEEK_SET) } < 0 {
        return Err(Errno::last());
    }
    Ok(fd)
}

/// `fd` is a regular file (so it can be read ahead and sought back).
pub fn is_regular(fd: RawFd) -> bool {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: fstat fills the buffer when it returns 0.
    unsafe {
        libc::fstat(fd, st.as_mut_ptr()) == 0
            && (st.assume_init().st_mode & libc::S_IFMT) == libc::S_IFREG
    }
}

/// Move `fd`'s offset back by `n` bytes (what was read ahead).
pub fn seek_back(fd: RawFd, n: usize) -> nix::Result<()> {
    let off = libc::off_t::try_from(n).map_err(|_| Errno::EINVAL)?;
    // SAFETY: lseek on a descriptor; no memory is touched.
    if unsafe { libc::lseek(fd, -off, libc::SEEK_CUR) } < 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// Back to the start of a file.
pub fn rewind(fd: RawFd) -> nix::Result<()> {
    // SAFETY: lseek on a descriptor; no memory is touched.
    if unsafe { libc::lseek(fd, 0, libc::SEEK_SET) } < 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// The descriptors open in this process now (from /proc/self/fd).
pub fn open_fds() -> Vec<RawFd> {
    let Ok(rd) = std::fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        .filter(|&fd| is_open(fd))
        .collect()
}

/// Mark `fd` close-on-exec.
pub fn set_cloexec(fd: RawFd) {
    // SAFETY: F_GETFD/F_SETFD only change the descriptor's flags.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC);
        }
    }
}

/// Write all of `buf` to `fd`, retrying on EINTR and short writes.
pub fn write_all(fd: RawFd, mut buf: &[u8]) -> nix::Result<()> {
    while !buf.is_empty() {
        // SAFETY: buf is a valid slice for its length.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = Errno::last();
            if e == Errno::EINTR {
                continue;
            }
            return Err(e);
        }
        buf = buf.get(n as usize..).unwrap_or(&[]);
    }
    Ok(())
}

/// Read from `fd` until end of file.
pub fn read_to_end(fd: RawFd, out: &mut Vec<u8>) -> nix::Result<()> {
    let mut chunk = [0u8; 8192];
    loop {
        let n = read_some(fd, &mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        out.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
    }
}

/// One read(2) into `buf`, retried on EINTR; the number of bytes read.
pub fn read_some(fd: RawFd, buf: &mut [u8]) -> nix::Result<usize> {
    loop {
        // SAFETY: buf is a valid buffer of its length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = Errno::last();
        if e != Errno::EINTR {
            return Err(e);
        }
    }
}

/// Wait until `fd` has something to read (or its end), at most `wait`:
/// Some(true) readable, Some(false) the time ran out, None a signal came
/// first (the caller acts on it and waits again).
pub fn wait_readable(fd: RawFd, wait: std::time::Duration) -> Option<bool> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = i32::try_from(wait.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: one valid pollfd.
    match unsafe { libc::poll(&mut p, 1, ms) } {
        0 => Some(false),
        r if r > 0 => Some(true),
        _ => None,
    }
}

/// One read of one byte; EINTR comes back to the caller (who may have
/// handler blocks to run).
pub fn read_byte_once(fd: RawFd) -> nix::Result<Option<u8>> {
    let mut b = [0u8; 1];
    // SAFETY: b is a valid one-byte buffer.
    let n = unsafe { libc::read(fd, b.as_mut_ptr().cast(), 1) };
    if n < 0 {
        return Err(Errno::last());
    }
    Ok(if n == 0 { None } else { Some(b[0]) })
}

/// Text for stdout of the shell process; errors are the caller's to report.
pub fn out(s: &str) -> nix::Result<()> {
    write_all(1, &super::text::encode(s))
}

/// A message on stderr; a failure to write it has nowhere to go.
pub fn err(s: &str) {
    let _ = write_all(2, &super::text::encode(s));
}

/// Make sure 0, 1 and 2 are open, so the shell's own pipes and files never
/// land on them by accident.
pub fn ensure_std_fds() {
    for fd in 0..3 {
        if !is_open(fd) {
            let flags = if fd == 0 {
                libc::O_RDONLY
            } else {
                libc::O_WRONLY
            };
            // SAFETY: opening /dev/null with a valid C string.
            let n = unsafe { libc::open(c"/dev/null".as_ptr(), flags) };
            if n >= 0 && n != fd {
                dup2(n, fd).ok();
                close(n);
            }
        }
    }
}

/// The main thread's stack size (RLIMIT_STACK), read once: the recursion
/// limits of the parser and the evaluator are scaled to it, so a shell run
/// under a small `ulimit -s` refuses deep input instead of crashing.
pub fn stack_budget() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static BUDGET: AtomicUsize = AtomicUsize::new(0);
    let b = BUDGET.load(Ordering::Relaxed);
    if b != 0 {
        return b;
    }
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: a valid rlimit pointer.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut r) } == 0;
    let b = if !ok || r.rlim_cur == libc::RLIM_INFINITY {
        64 << 20
    } else {
        usize::try_from(r.rlim_cur).unwrap_or(usize::MAX)
    };
    BUDGET.store(b.max(1), Ordering::Relaxed);
    b.max(1)
}

/// The reason of an I/O error as the C library words it ("No such file
/// or directory"), without Rust's "(os error 2)".
pub fn why(e: &std::io::Error) -> String {
    e.raw_os_error()
        .map_or(e.to_string(), |n| Errno::from_raw(n).desc().to_string())
}

/// A script's text (invalid UTF-8 replaced, never an error), or why not.
pub fn read_script(path: &str) -> Result<String, String> {
    use std::io::Read;
    let mut f = std::fs::File::open(super::text::path(path)).map_err(|e| why(&e))?;
    // A bounded look first: a binary file or a device like /dev/zero is
    // refused after 4 KiB, never read without end.
    let mut head = vec![0u8; 4096];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(why(&e)),
        }
    }
    head.truncate(n);
    if head.contains(&0) {
        return Err(NOT_A_SCRIPT.into());
    }
    if n == 4096 {
        f.read_to_end(&mut head).map_err(|e| why(&e))?;
    }
    Ok(super::text::decode_owned(head))
}

/// Why `read_script` refused a file (the status is 126, as for a program
/// that cannot be run).
pub const NOT_A_SCRIPT: &str = "a binary file, not a script";

/// Wrap a raw descriptor the caller just created and owns.
pub fn own(raw: RawFd) -> Fd {
    // SAFETY: the caller passes a descriptor it owns and no one else closes.
    Fd::new(unsafe { OwnedFd::from_raw_fd(raw) })
}
