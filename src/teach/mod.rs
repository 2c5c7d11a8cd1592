//! Teaching aids: `explain` (what a pipeline would do, as primitives,
//! without running it), `trace on|off` (the switch for the primitive
//! trace), `help`, and the course's `tour` (which runs its own lines
//! through the evaluator).  They never run a command of the user's.

pub mod explain;
pub mod help;
pub mod tour;
mod tour_text;
pub mod trace;
