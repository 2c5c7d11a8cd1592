//! `ulimit`: print or set psh's resource limits (getrlimit/setrlimit), which
//! every command it starts inherits.  Units as bash: KiB for memory and
//! stack, 1024-byte blocks for file and core sizes.  Touches nothing but
//! the limits.

use nix::sys::resource::{getrlimit, setrlimit, Resource, RLIM_INFINITY};

use super::err;
use crate::exec::traps::usage;

/// (option letter, description, unit in bytes or 1, resource)
const LIMITS: &[(char, &str, u64, Resource)] = &[
    (
        'c',
        "core file size              (blocks, -c)",
        1024,
        Resource::RLIMIT_CORE,
    ),
    (
        'd',
        "data seg size               (kbytes, -d)",
        1024,
        Resource::RLIMIT_DATA,
    ),
    (
        'f',
        "file size                   (blocks, -f)",
        1024,
        Resource::RLIMIT_FSIZE,
    ),
    (
        'l',
        "max locked memory           (kbytes, -l)",
        1024,
        Resource::RLIMIT_MEMLOCK,
    ),
    (
        'n',
        "open files                          (-n)",
        1,
        Resource::RLIMIT_NOFILE,
    ),
    (
        's',
        "stack size                  (kbytes, -s)",
        1024,
        Resource::RLIMIT_STACK,
    ),
    (
        't',
        "cpu time                   (seconds, -t)",
        1,
        Resource::RLIMIT_CPU,
    ),
    (
        'u',
        "max user processes                  (-u)",
        1,
        Resource::RLIMIT_NPROC,
    ),
    (
        'v',
        "virtual memory              (kbytes, -v)",
        1024,
        Resource::RLIMIT_AS,
    ),
];

pub(crate) fn ulimit(args: &[String]) -> i32 {
    let (mut hard, mut soft, mut all) = (false, false, false);
    let mut which: Vec<char> = Vec::new();
    let mut value: Option<&str> = None;
    for a in args {
        match a.strip_prefix('-') {
            Some(flags) if !flags.is_empty() && value.is_none() => {
                for c in flags.chars() {
                    match c {
                        'H' => hard = true,
                        'S' => soft = true,
                        'a' => all = true,
                        c if LIMITS.iter().any(|l| l.0 == c) => which.push(c),
                        c => {
                            return usage(&format!("ulimit: -{c}: unknown option\nusage: ulimit [-H|-S] [-a|-c|-d|-f|-l|-n|-s|-t|-u|-v] [N|unlimited]"));
                        }
                    }
                }
            }
            _ if value.is_none() => value = Some(a),
            _ => return err(format!("ulimit: `{a}`: too many arguments")),
        }
    }
    if all {
        let mut status = 0;
        for l in LIMITS {
            status |= show(l, hard, true);
        }
        return status;
    }
    if which.is_empty() {
        which.push('f');
    }
    let chosen: Vec<_> = which
        .iter()
        .filter_map(|c| LIMITS.iter().find(|l| l.0 == *c))
        .collect();
    let Some(v) = value else {
        let label = chosen.len() > 1;
        return chosen
            .iter()
            .map(|l| show(l, hard, label))
            .max()
            .unwrap_or(0);
    };
    let n = if v == "unlimited" {
        RLIM_INFINITY
    } else {
        match v.parse::<u64>() {
            Ok(n) => n,
            Err(_) => return err(format!("ulimit: {v}: invalid number")),
        }
    };
    let mut status = 0;
    for l in chosen {
        let (s0, h0) = match getrlimit(l.3) {
            Ok(x) => x,
            Err(e) => return err(format!("ulimit: {}: {}", name(l), e.desc())),
        };
        let raw = if n == RLIM_INFINITY {
            n
        } else {
            n.saturating_mul(l.2)
        };
        // Neither -H nor -S: both, as bash.
        let (s1, h1) = match (hard, soft) {
            (true, false) => (s0.min(raw), raw),
            (false, true) => (raw, h0),
            _ => (raw, raw),
        };
        if let Err(e) = setrlimit(l.3, s1, h1) {
            status = err(format!(
                "ulimit: {}: cannot modify limit: {}",
                name(l),
                e.desc()
            ));
        }
    }
    status
}

fn name(l: &(char, &str, u64, Resource)) -> &'static str {
    match l.0 {
        'c' => "core file size",
        'd' => "data seg size",
        'f' => "file size",
        'l' => "max locked memory",
        'n' => "open files",
        's' => "stack size",
        't' => "cpu time",
        'u' => "max user processes",
        _ => "virtual memory",
    }
}

fn show(l: &(char, &str, u64, Resource), hard: bool, label: bool) -> i32 {
    let (s, h) = match getrlimit(l.3) {
        Ok(x) => x,
        Err(e) => return err(format!("ulimit: {}: {}", name(l), e.desc())),
    };
    let v = if hard { h } else { s };
    let text = if v == RLIM_INFINITY {
        "unlimited".to_string()
    } else {
        (v / l.2).to_string()
    };
    let line = if label {
        format!("{} {text}\n", l.1)
    } else {
        format!("{text}\n")
    };
    super::out("ulimit", &line)
}
