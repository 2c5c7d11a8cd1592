//! `test` and `[ … ]`: file, string and integer tests.  Returns true or
//! false, or an error message (status 2); the builtin wrapper is in
//! `misc.rs`.  Only queries the file system; changes nothing.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use crate::expand::decimal::signed_digits;
use crate::os::process::{self, access, Access};
use crate::os::text::path;

/// What `test` asks of the shell: `-v NAME` (is it set?) and `-o OPTION`
/// (is it on?), as `q("-v", name)`.
pub type Query<'a> = &'a dyn Fn(&str, &str) -> bool;

/// Evaluate the arguments of `test` (without the closing `]`).
pub fn test(args: &[String], q: Query) -> Result<bool, String> {
    let a = |i: usize| args.get(i).map_or("", String::as_str);
    // POSIX rules by argument count keep `[ "$x" = "!" ]` and friends right.
    let v = match args.len() {
        0 => false,
        1 => !a(0).is_empty(),
        2 if a(0) == "!" => !a(1).is_empty(),
        2 => unary(a(0), a(1), q)?,
        3 if is_binary(a(1)) => binary(a(0), a(1), a(2))?,
        3 if a(0) == "!" => !test(&args[1..], q)?,
        3 if a(0) == "(" && a(2) == ")" => !a(1).is_empty(),
        4 if a(0) == "!" => !test(&args[1..], q)?,
        4 if a(0) == "(" && a(3) == ")" => test(&args[1..3], q)?,
        _ => {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut p = P { a: &a, pos: 0, q };
            let v = p.or()?;
            if p.pos < a.len() {
                return Err(format!("unexpected argument `{}`", a[p.pos]));
            }
            v
        }
    };
    Ok(v)
}

struct P<'a> {
    a: &'a [&'a str],
    pos: usize,
    q: Query<'a>,
}

impl<'a> P<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.a.get(self.pos).copied()
    }
    fn next(&mut self) -> Result<&'a str, String> {
        let t = self.a.get(self.pos).copied().ok_or("argument expected")?;
        self.pos += 1;
        Ok(t)
    }
    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.peek() == Some("-o") {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }
    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.not()?;
        while self.peek() == Some("-a") {
            self.pos += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }
    fn not(&mut self) -> Result<bool, String> {
        if self.peek() == Some("!") {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<bool, String> {
        let t = self.next()?;
        if t == "(" {
            let v = self.or()?;
            if self.next()? != ")" {
                return Err("`)` expected".into());
            }
            return Ok(v);
        }
        if let Some(op) = self.a.get(self.pos).copied() {
            if is_binary(op) {
                self.pos += 1;
                let rhs = self.next()?;
                return binary(t, op, rhs);
            }
        }
        if t.len() == 2 && t.starts_with('-') && is_unary(t) {
            let arg = self.next()?;
            return unary(t, arg, self.q);
        }
        Ok(!t.is_empty())
    }
}

fn is_unary(op: &str) -> bool {
    matches!(
        op,
        "-e" | "-a"
            | "-v"
            | "-o"
            | "-O"
            | "-G"
            | "-f"
            | "-d"
            | "-r"
            | "-w"
            | "-x"
            | "-s"
            | "-L"
            | "-h"
            | "-n"
            | "-z"
            | "-p"
            | "-S"
            | "-b"
            | "-c"
            | "-t"
            | "-u"
            | "-g"
            | "-k"
    )
}

fn is_binary(op: &str) -> bool {
    matches!(
        op,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

fn unary(op: &str, arg: &str, q: Query) -> Result<bool, String> {
    let meta = || std::fs::metadata(path(arg));
    Ok(match op {
        "-v" | "-o" => q(op, arg),
        "-n" => !arg.is_empty(),
        "-z" => arg.is_empty(),
        "-e" | "-a" => meta().is_ok(),
        "-O" => meta().is_ok_and(|m| m.uid() == nix::unistd::geteuid().as_raw()),
        "-G" => meta().is_ok_and(|m| m.gid() == nix::unistd::getegid().as_raw()),
        "-f" => meta().is_ok_and(|m| m.is_file()),
        "-d" => meta().is_ok_and(|m| m.is_dir()),
        "-s" => meta().is_ok_and(|m| m.len() > 0),
        "-L" | "-h" => {
            std::fs::symlink_metadata(path(arg)).is_ok_and(|m| m.file_type().is_symlink())
        }
        "-p" => meta().is_ok_and(|m| m.file_type().is_fifo()),
        "-S" => meta().is_ok_and(|m| m.file_type().is_socket()),
        "-b" => meta().is_ok_and(|m| m.file_type().is_block_device()),
        "-c" => meta().is_ok_and(|m| m.file_type().is_char_device()),
        "-u" => meta().is_ok_and(|m| m.permissions().mode() & 0o4000 != 0),
        "-g" => meta().is_ok_and(|m| m.permissions().mode() & 0o2000 != 0),
        "-k" => meta().is_ok_and(|m| m.permissions().mode() & 0o1000 != 0),
        "-r" => access(arg, Access::Read),
        "-w" => access(arg, Access::Write),
        "-x" => access(arg, Access::Exec),
        "-t" => {
            let fd: i32 = arg
                .parse()
                .map_err(|_| format!("{arg}: integer expected"))?;
            process::isatty(fd)
        }
        _ => return Err(format!("{op}: unary operator expected")),
    })
}

/// An integer as `[` reads one: decimal, leading zeros and blanks
/// around allowed (`[ 010 -eq 10 ]`, as bash).  The usual plain digits
/// are read without the general parser.
fn int(s: &str) -> Result<i64, String> {
    signed_digits(s)
        .or_else(|| s.trim().parse::<i64>().ok())
        .ok_or_else(|| format!("{s}: integer expected"))
}

fn binary(a: &str, op: &str, b: &str) -> Result<bool, String> {
    let mtime = |p: &str| std::fs::metadata(path(p)).and_then(|m| m.modified()).ok();
    Ok(match op {
        "=" | "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        "-eq" => int(a)? == int(b)?,
        "-ne" => int(a)? != int(b)?,
        "-lt" => int(a)? < int(b)?,
        "-le" => int(a)? <= int(b)?,
        "-gt" => int(a)? > int(b)?,
        "-ge" => int(a)? >= int(b)?,
        "-nt" => {
            matches!((mtime(a), mtime(b)), (Some(x), Some(y)) if x > y)
                || (mtime(a).is_some() && mtime(b).is_none())
        }
        "-ot" => {
            matches!((mtime(a), mtime(b)), (Some(x), Some(y)) if x < y)
                || (mtime(a).is_none() && mtime(b).is_some())
        }
        "-ef" => match (std::fs::metadata(path(a)), std::fs::metadata(path(b))) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        },
        _ => return Err(format!("{op}: binary operator expected")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &[&str]) -> Result<bool, String> {
        test(
            &s.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
            &|_, n| n == "set",
        )
    }

    #[test]
    fn strings_and_integers() {
        assert_eq!(t(&["a", "=", "a"]), Ok(true));
        assert_eq!(t(&["a", "!=", "a"]), Ok(false));
        assert_eq!(t(&["-n", ""]), Ok(false));
        assert_eq!(t(&["-z", ""]), Ok(true));
        assert_eq!(t(&["3", "-lt", "10"]), Ok(true));
        assert_eq!(t(&["!", "3", "-lt", "10"]), Ok(false));
        assert_eq!(t(&["1", "-eq", "1", "-a", "2", "-gt", "3"]), Ok(false));
        assert_eq!(t(&["1", "-eq", "1", "-o", "2", "-gt", "3"]), Ok(true));
        assert_eq!(t(&["!"]), Ok(true));
        assert_eq!(t(&["="]), Ok(true));
        assert_eq!(t(&[]), Ok(false));
        assert_eq!(t(&["(", "x", "=", "x", ")"]), Ok(true));
    }

    #[test]
    fn errors() {
        assert!(t(&["a", "-lt", "3"]).is_err());
        assert!(t(&["(", "x"]).is_err());
        assert!(t(&["-q", "x"]).is_err());
    }

    #[test]
    fn files() {
        assert_eq!(t(&["-d", "/"]), Ok(true));
        assert_eq!(t(&["-f", "/"]), Ok(false));
        assert_eq!(t(&["-e", "/nonexistent/psh"]), Ok(false));
    }
}
