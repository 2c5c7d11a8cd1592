//! Teaching aids: `explain` (what a pipeline would do, as primitives,
//! without running it), `trace on|off` (the switch for the primitive
//! trace), and `help`.  They describe the shell; they never run a
//! command of the user's.

pub mod explain;
pub mod help;
pub mod trace;
