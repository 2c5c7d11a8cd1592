//! Reading commands from a stdin that the line editor does not drive: one
//! line at a time, never past the end of the line, so input meant for the
//! commands themselves (`read`, `cat`) stays where it is.  A signal that
//! interrupts the wait is handed to the caller, who may end it.  Returns
//! bytes; never parses them.

use nix::errno::Errno;

use crate::os::sys;

/// The caller's `on_signal` asked to stop reading (an interrupt).
#[derive(Debug)]
pub struct Stopped;

/// Read one line (with its newline) from fd 0; None at end of input.
/// When a signal interrupts the wait, `on_signal` runs; if it says so,
/// reading stops.
pub fn read_line(on_signal: &mut dyn FnMut() -> bool) -> Result<Option<Vec<u8>>, Stopped> {
    // A seekable stdin (a file) can be read in blocks and rewound to just
    // after the newline; a pipe or terminal must be read a byte at a time.
    // SAFETY: lseek on fd 0 only queries or moves the offset.
    let seekable = unsafe { libc::lseek(0, 0, libc::SEEK_CUR) } >= 0;
    let mut line = Vec::new();
    if seekable {
        let mut buf = [0u8; 4096];
        loop {
            let n = match sys::read_some(0, &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let chunk = buf.get(..n).unwrap_or(&[]);
            if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
                line.extend_from_slice(&chunk[..=i]);
                let back = (chunk.len() - i - 1) as libc::off_t;
                // SAFETY: moves fd 0's offset back to just after the newline.
                unsafe { libc::lseek(0, -back, libc::SEEK_CUR) };
                return Ok(Some(line));
            }
            line.extend_from_slice(chunk);
        }
    } else {
        loop {
            match sys::read_byte_once(0) {
                Ok(Some(b)) => {
                    line.push(b);
                    if b == b'\n' {
                        return Ok(Some(line));
                    }
                }
                Err(Errno::EINTR) => {
                    if on_signal() {
                        return Err(Stopped);
                    }
                }
                Ok(None) | Err(_) => break,
            }
        }
    }
    Ok(if line.is_empty() { None } else { Some(line) })
}

/// A person's answer to a question: one line from fd 0 without its
/// blanks; None at end of input or when Ctrl-C stops the wait.
pub fn answer() -> Option<String> {
    let line = read_line(&mut crate::os::signals::interrupted).ok()??;
    Some(String::from_utf8_lossy(&line).trim().to_string())
}
