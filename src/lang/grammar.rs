//! The grammar: pest derives the recognizer and its `Rule` names from
//! `grammar/psh.pest`.  Recognizes text only; the AST is built in
//! `build.rs`.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/psh.pest"]
pub struct Grammar;
