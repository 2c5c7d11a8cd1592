//! Reading commands from a stdin that is not a terminal: one line at a
//! time, never past the end of the line, so input meant for the commands
//! themselves (`read`, `cat`) stays where it is.  Returns bytes; never
//! parses them.

use crate::os::sys;

/// Read one line (with its newline) from fd 0; None at end of input.
pub fn read_line() -> Option<Vec<u8>> {
    // A seekable stdin (a file) can be read in blocks and rewound to just
    // after the newline; a pipe must be read a byte at a time.
    // SAFETY: lseek on fd 0 only queries or moves the offset.
    let seekable = unsafe { libc::lseek(0, 0, libc::SEEK_CUR) } >= 0;
    let mut line = Vec::new();
    if seekable {
        let mut buf = [0u8; 4096];
        loop {
            // SAFETY: buf is valid for its length.
            let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
            if n < 0 {
                if nix::errno::Errno::last() == nix::errno::Errno::EINTR {
                    continue;
                }
                break;
            }
            if n == 0 {
                break;
            }
            let chunk = buf.get(..n as usize).unwrap_or(&[]);
            if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
                line.extend_from_slice(&chunk[..=i]);
                let back = (chunk.len() - i - 1) as libc::off_t;
                // SAFETY: moves fd 0's offset back to just after the newline.
                unsafe { libc::lseek(0, -back, libc::SEEK_CUR) };
                return Some(line);
            }
            line.extend_from_slice(chunk);
        }
    } else {
        while let Ok(Some(b)) = sys::read_byte(0) {
            line.push(b);
            if b == b'\n' {
                return Some(line);
            }
        }
    }
    if line.is_empty() {
        None
    } else {
        Some(line)
    }
}
