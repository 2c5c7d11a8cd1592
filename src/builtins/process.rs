//! Builtins about the shell process itself: `umask` (the file-creation
//! mask children inherit) and `times` (the CPU time psh and its children
//! have used).  Only reads or changes psh's own process attributes.

use nix::sys::stat::Mode;

use super::{err, out};
use crate::exec::traps::usage;

/// `umask [-S] [MODE]`: print the mask (octal, or symbolic with -S), or
/// set it from an octal number or a symbolic `u=rwx,g=rx,o=`.
pub(crate) fn umask(args: &[String]) -> i32 {
    let (symbolic, rest) = match args.split_first() {
        Some((s, rest)) if s == "-S" => (true, rest),
        _ => (false, args),
    };
    let current = nix::sys::stat::umask(Mode::empty());
    nix::sys::stat::umask(current);
    let cur = current.bits() & 0o777;
    let Some(spec) = rest.first() else {
        let text = if symbolic {
            let who = |shift: u32| {
                let allowed = !(cur >> shift) & 0o7;
                let mut s = String::new();
                for (bit, c) in [(4, 'r'), (2, 'w'), (1, 'x')] {
                    if allowed & bit != 0 {
                        s.push(c);
                    }
                }
                s
            };
            format!("u={},g={},o={}\n", who(6), who(3), who(0))
        } else {
            format!("{cur:04o}\n")
        };
        return out("umask", &text);
    };
    let new = if spec.bytes().all(|b| b.is_ascii_digit()) {
        match u32::from_str_radix(spec, 8) {
            Ok(m) if m <= 0o777 => m,
            _ => return err(format!("umask: {spec}: octal number out of range")),
        }
    } else {
        match symbolic_mask(spec, cur) {
            Some(m) => m,
            None => return err(format!("umask: {spec}: invalid symbolic mode")),
        }
    };
    nix::sys::stat::umask(Mode::from_bits_truncate(new));
    0
}

/// `times`: two lines, as bash prints them — the user and system CPU time
/// of psh itself (every thread: the lab's run in psh's process), then of
/// the children psh has waited for (getrusage SELF and CHILDREN).
pub(crate) fn times(args: &[String]) -> i32 {
    use nix::sys::resource::{getrusage, UsageWho};
    if let Some(a) = args.first() {
        return usage(&format!("times: {a}: takes no arguments\nusage: times"));
    }
    let mut text = String::new();
    for who in [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN] {
        match getrusage(who) {
            Ok(u) => {
                text.push_str(&clock(u.user_time()));
                text.push(' ');
                text.push_str(&clock(u.system_time()));
                text.push('\n');
            }
            Err(e) => return err(format!("times: {}", e.desc())),
        }
    }
    out("times", &text)
}

/// `1m5.250s`: minutes, then seconds to the millisecond (bash's format).
fn clock(t: nix::sys::time::TimeVal) -> String {
    let secs = t.tv_sec().max(0);
    let ms = t.tv_usec().clamp(0, 999_999) / 1000;
    format!("{}m{}.{ms:03}s", secs / 60, secs % 60)
}

/// `u=rwx,g=rx,o=` (also `a=`, `ug=`; only `=`): the mask it means.
fn symbolic_mask(spec: &str, cur: u32) -> Option<u32> {
    let mut mask = cur;
    for clause in spec.split(',') {
        let (who, perms) = clause.split_once('=')?;
        let mut bits = 0;
        for c in perms.chars() {
            bits |= match c {
                'r' => 4,
                'w' => 2,
                'x' => 1,
                _ => return None,
            };
        }
        let shifts: Vec<u32> = match who {
            "" | "a" => vec![6, 3, 0],
            w => w
                .chars()
                .map(|c| match c {
                    'u' => Some(6),
                    'g' => Some(3),
                    'o' => Some(0),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
        };
        for s in shifts {
            mask = (mask & !(0o7 << s)) | ((!bits & 0o7) << s);
        }
    }
    Some(mask)
}

#[cfg(test)]
mod tests {
    use super::symbolic_mask;

    #[test]
    fn symbolic_masks() {
        assert_eq!(symbolic_mask("u=rwx,g=rx,o=", 0o022), Some(0o027));
        assert_eq!(symbolic_mask("a=r", 0), Some(0o333));
        assert_eq!(symbolic_mask("u+x", 0), None);
    }
}
