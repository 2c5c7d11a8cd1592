//! The language: program text → AST.  The pest grammar
//! (`grammar/psh.pest`) recognises the text, `parser` builds the AST from
//! its pairs and `diagnostics` words the errors.  Nothing here expands,
//! runs or touches a file descriptor.

pub mod ast;
mod build;
pub mod diagnostics;
mod fast;
mod grammar;
pub mod habits;
pub mod heredoc;
mod openers;
pub mod parser;
pub mod recover;
mod redirects;
pub mod small;
pub mod src_text;
mod words;
