//! Execution: the shell's state (`shell`, `vars`), the evaluator that maps
//! each AST node onto its primitive (`eval`), and the primitives' shell
//! side — pipelines and forks (`pipeline`; what may be expanded in the
//! shell itself, `pure`), simple commands and functions (`simple`, the
//! table in `funcs`), external programs (`spawn`), redirections
//! (`redirect`), waiting and reaping (`wait`), the job table (`jobs`),
//! `$(…)` (`subst`), handler blocks (`traps`), and running program text
//! (`source`).
//! Nothing here parses grammar rules or calls libc directly; builtins and
//! `explain` are reached through the `Hooks` the caller supplies.

pub mod control;
pub mod eval;
pub mod funcs;
pub mod jobs;
pub mod path;
pub mod pipeline;
pub mod pure;
pub mod redirect;
pub mod replace;
pub mod shell;
pub mod simple;
pub mod source;
pub mod spawn;
pub mod subst;
pub mod traps;
pub mod vars;
pub mod wait;

pub use shell::{Flow, Res, Shell};
