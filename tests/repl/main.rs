//! Tests of the interactive shell (`src/repl`, job control) through a
//! real pseudo-terminal.

#[path = "../common/mod.rs"]
mod common;

mod completion;
mod history;
mod interactive;
mod interrupts;
mod look;
