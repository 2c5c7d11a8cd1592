//! Signal names: `INT`, `SIGINT`, `int` or a number → a signal, and the
//! short name back.  Pure.

use nix::sys::signal::Signal;

/// A signal from its name (`INT`, `SIGINT`, `int`) or number.
pub fn parse(s: &str) -> Option<Signal> {
    if let Ok(n) = s.parse::<i32>() {
        return Signal::try_from(n).ok();
    }
    let up = s.to_ascii_uppercase();
    let name = if up.starts_with("SIG") {
        up
    } else {
        format!("SIG{up}")
    };
    name.parse::<Signal>().ok()
}

/// `INT` for SIGINT.
pub fn short_name(sig: Signal) -> &'static str {
    let s = sig.as_str();
    s.strip_prefix("SIG").unwrap_or(s)
}
