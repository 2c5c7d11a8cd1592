//! The operating system, wrapped: the memory allocator (`alloc`), descriptors and I/O (`sys`), signal
//! dispositions and the self-pipe (`signals`), the controlling terminal
//! (`terminal`), raw process calls (`process`), starting programs with clone + execve (`spawn`),
//! line input from a non-terminal stdin (`input`), the trace sink
//! (`trace`) and the user database (`users`).  The only home of `unsafe` and `libc`; nothing here knows
//! psh's language, its AST or its shell state.

pub mod alloc;
pub mod input;
pub mod process;
pub mod signals;
pub mod spawn;
pub mod sys;
pub mod terminal;
pub mod text;
pub mod trace;
pub mod users;
