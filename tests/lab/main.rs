//! Tests of the concurrency lab (`src/lab`) through the real binary.

#[path = "../common/mod.rs"]
mod common;

mod concepts;
mod engine;
mod tasks;
