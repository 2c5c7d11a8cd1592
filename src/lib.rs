//! psh: a small, scriptable Unix shell whose pipeline DSL maps each
//! construct onto one operating-system primitive.  The library holds the
//! whole shell; `main.rs` is only the program's entry point.

pub mod arith;
pub mod ast;
pub mod builtins;
pub mod cli;
pub mod eval;
pub mod expand;
pub mod explain;
pub mod help;
pub mod input;
pub mod jobs;
pub mod lab;
pub mod parser;
pub mod redirect;
pub mod repl;
pub mod shell;
pub mod signals;
pub mod spawn;
pub mod sys;
pub mod terminal;
pub mod test_cmd;
pub mod timeline;
pub mod trace;
pub mod traps;
pub mod vars;
