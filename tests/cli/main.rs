//! Tests of the program as a whole (`src/cli.rs`): invocation modes, bad
//! input of every kind, scale, faults and security.

#[path = "../common/mod.rs"]
mod common;

mod hardening;
mod invocation;
mod readme;
mod robustness;
mod tour;
mod users;
