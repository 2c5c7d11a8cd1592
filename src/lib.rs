//! psh: a small, scriptable Unix shell whose pipeline DSL maps each
//! construct onto one operating-system primitive.  The library holds the
//! whole shell; `main.rs` is only the program's entry point.
//!
//! The folders are the layers, and dependencies point down only (checked
//! by `tests/layers.rs`):
//!
//! ```text
//! cli → repl → builtins → teach → exec → lab, expand → lang → os
//! ```
//!
//! Text becomes an AST in `lang/`, words become fields in `expand/`, and
//! `exec/` maps each node onto its primitive through `os/`, the only home
//! of `unsafe` and `libc`.

/// malloc behind a cache of small blocks (see `os::alloc`).
#[global_allocator]
static ALLOC: os::alloc::Cached = os::alloc::Cached;

pub mod builtins;
pub mod cli;
pub mod exec;
pub mod expand;
pub mod lab;
pub mod lang;
pub mod os;
pub mod repl;
pub mod teach;
