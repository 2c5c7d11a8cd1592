//! Tests of execution (`src/exec`, `src/os`) through the real binary:
//! agreement with bash, jobs without a terminal, handler blocks and
//! signals.

#[path = "../common/mod.rs"]
mod common;

mod bytes;
mod differential;
mod interrupts;
mod jobs;
mod scripts_vs_bash;
mod signals;
mod subst;
