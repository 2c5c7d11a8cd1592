//! Redirections: open each target (`< f`, `> f`, `2>&1`, …) in the shell,
//! in order, into a plan of (target fd ← source fd) moves.  The plan is
//! handed to the spawner as dup2s for its child, dup2'd in a forked child, or
//! applied to the shell itself around a builtin and undone afterwards.
//! Never runs the command it redirects.

use std::os::fd::RawFd;

use nix::fcntl::{open, OFlag};
use nix::sys::stat::Mode;

use crate::exec::shell::{Res, Shell};
use crate::lang::ast::{RedirOp, Redirect};
use crate::os::spawn::FdMove;
use crate::os::sys::{self, Fd};

/// A descriptor the plan holds must not be one a redirection can name
/// (0-9): `exec 3> f` could otherwise open f as fd 3 and close it again
/// with the plan.
fn above_targets(f: Fd) -> Result<Fd, String> {
    if f.raw() > 9 {
        return Ok(f);
    }
    sys::dup_high(f.raw()).map_err(|e| format!("psh: out of descriptors: {}", e.desc()))
}

/// The source of a move that closes its target (`N>&-`).
pub const CLOSED: RawFd = -1;

/// One redirection, its target already expanded to a file name.
#[derive(Debug)]
pub enum Step {
    Open {
        fd: RawFd,
        path: String,
        flags: OFlag,
        both: bool,
    },
    Dup {
        fd: RawFd,
        from: RawFd,
    },
    /// `N>&-`: fd is closed.
    Close {
        fd: RawFd,
    },
    /// A here-document or here-string: fd reads these bytes.
    Data {
        fd: RawFd,
        bytes: Vec<u8>,
    },
}

/// Opened redirections: moves to make, and the descriptors they use.
#[derive(Debug, Default)]
pub struct Plan {
    pub moves: Vec<FdMove>,
    _held: Vec<Fd>,
}

impl Plan {
    /// Start from `base` moves (a pipeline stage's pipe ends), then open
    /// each step.  Errors name the file and the reason.
    pub fn open(base: &[FdMove], steps: &[Step]) -> Result<Plan, String> {
        let mut plan = Plan {
            moves: base.to_vec(),
            _held: Vec::new(),
        };
        for step in steps {
            match step {
                Step::Open {
                    fd,
                    path,
                    flags,
                    both,
                } => {
                    let raw = open(
                        crate::os::text::path(path).as_path(),
                        *flags | OFlag::O_CLOEXEC,
                        Mode::from_bits_truncate(0o666),
                    )
                    .map_err(|e| format!("psh: {}: {}", crate::os::text::show(path), e.desc()))?;
                    let f = above_targets(Fd::new(raw))?;
                    crate::os::trace::event(&format!("open({path}) → {}", f.raw()));
                    plan.set(*fd, f.raw());
                    if *both {
                        plan.set(2, f.raw());
                    }
                    plan._held.push(f);
                }
                Step::Close { fd } => plan.set(*fd, CLOSED),
                Step::Data { fd, bytes } => {
                    let f = sys::data_fd(bytes)
                        .map_err(|e| format!("psh: here-document: {}", e.desc()))
                        .and_then(above_targets)?;
                    crate::os::trace::event(&format!(
                        "memfd_create() → {}, {} bytes written",
                        f.raw(),
                        bytes.len()
                    ));
                    plan.set(*fd, f.raw());
                    plan._held.push(f);
                }
                Step::Dup { fd, from } => {
                    let src = plan.source_of(*from);
                    if src == CLOSED {
                        return Err(format!("psh: {from}: bad file descriptor"));
                    }
                    // A copy keeps the source stable even if a later step
                    // moves `from` somewhere else (`2>&1 >f`).
                    let copy = sys::dup_high(src)
                        .map_err(|_| format!("psh: {from}: bad file descriptor"))?;
                    plan.set(*fd, copy.raw());
                    plan._held.push(copy);
                }
            }
        }
        Ok(plan)
    }

    fn source_of(&self, fd: RawFd) -> RawFd {
        self.moves
            .iter()
            .rev()
            .find(|m| m.0 == fd)
            .map_or(fd, |m| m.1)
    }

    fn set(&mut self, target: RawFd, source: RawFd) {
        self.moves.retain(|m| m.0 != target);
        self.moves.push((target, source));
    }

    /// A plan of `base` moves only (no redirections).
    pub fn base(base: &[FdMove]) -> Plan {
        Plan {
            moves: base.to_vec(),
            _held: Vec::new(),
        }
    }

    /// Apply to the shell itself; the returned guard undoes it.
    pub fn apply_here(&self) -> Result<Restore, String> {
        let mut saved = Vec::new();
        for &(target, source) in &self.moves {
            let copy = if sys::is_open(target) {
                match sys::dup_high(target) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        drop(Restore { saved });
                        return Err(format!("psh: cannot save fd {target}: {}", e.desc()));
                    }
                }
            } else {
                None
            };
            saved.push((target, copy));
            if source == CLOSED {
                crate::os::trace::event(&format!("close({target}) in the shell"));
                sys::close(target);
                continue;
            }
            crate::os::trace::event(&format!("dup2({source}, {target}) in the shell"));
            if let Err(e) = sys::dup2(source, target) {
                drop(Restore { saved });
                return Err(format!("psh: cannot redirect fd {target}: {}", e.desc()));
            }
        }
        Ok(Restore { saved })
    }
}

/// Puts the shell's own descriptors back when dropped.
#[derive(Debug)]
pub struct Restore {
    saved: Vec<(RawFd, Option<Fd>)>,
}

impl Restore {
    /// Keep the redirections for good (`exec 3> log`): nothing is put back.
    pub fn keep(mut self) {
        self.saved.clear();
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        for (target, copy) in self.saved.drain(..).rev() {
            match copy {
                Some(c) => {
                    let _ = sys::dup2(c.raw(), target);
                }
                None => sys::close(target),
            }
        }
    }
}

pub fn read_flags() -> OFlag {
    OFlag::O_RDONLY
}
pub fn write_flags(append: bool) -> OFlag {
    OFlag::O_WRONLY
        | OFlag::O_CREAT
        | if append {
            OFlag::O_APPEND
        } else {
            OFlag::O_TRUNC
        }
}

impl Shell {
    /// Run `f` with the shell's own descriptors redirected, then put
    /// them back.
    pub fn with_redirects(&mut self, r: &[Redirect], f: impl FnOnce(&mut Shell) -> Res) -> Res {
        if r.is_empty() {
            return f(self);
        }
        let plan = match self.open_redirects(r, &[]) {
            Ok(p) => p,
            Err(m) => {
                sys::err(&m);
                return Ok(1);
            }
        };
        let guard = match plan.apply_here() {
            Ok(g) => g,
            Err(m) => {
                sys::err(&format!("{m}\n"));
                return Ok(1);
            }
        };
        let r = f(self);
        drop(guard);
        r
    }

    /// Expand redirection targets and open them (messages end in '\n').
    pub fn open_redirects(&mut self, r: &[Redirect], base: &[FdMove]) -> Result<Plan, String> {
        if r.is_empty() {
            return Ok(Plan::base(base));
        }
        let mut steps = Vec::with_capacity(r.len());
        for red in r {
            let (word, flags, both) = match &red.op {
                RedirOp::Dup(from) => {
                    steps.push(Step::Dup {
                        fd: red.fd,
                        from: *from,
                    });
                    continue;
                }
                RedirOp::Close => {
                    steps.push(Step::Close { fd: red.fd });
                    continue;
                }
                RedirOp::Here { word, newline } => {
                    let mut text = self
                        .expand_string(word)
                        .map_err(|e| format!("{}\n", e.message()))?;
                    if *newline {
                        text.push('\n');
                    }
                    steps.push(Step::Data {
                        fd: red.fd,
                        bytes: crate::os::text::encode(&text).into_owned(),
                    });
                    continue;
                }
                RedirOp::Read(w) => (w, read_flags(), false),
                RedirOp::ReadWrite(w) => (w, OFlag::O_RDWR | OFlag::O_CREAT, false),
                RedirOp::Write(w) => (w, write_flags(false), false),
                RedirOp::Append(w) => (w, write_flags(true), false),
                RedirOp::WriteBoth(w) => (w, write_flags(false), true),
                RedirOp::AppendBoth(w) => (w, write_flags(true), true),
            };
            let path = self
                .expand_target(word)
                .map_err(|e| format!("{}\n", e.message()))?;
            steps.push(Step::Open {
                fd: red.fd,
                path,
                flags,
                both,
            });
        }
        Plan::open(base, &steps).map_err(|m| format!("{m}\n"))
    }
}
