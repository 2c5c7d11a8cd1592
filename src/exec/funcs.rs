//! The shell's functions by name: a set of `Rc<FnDef>` looked up by the
//! name each definition carries, so a name is stored once and an entry is
//! one pointer (a script may define thousands).  Only the table: defining
//! is `eval.rs`'s, calling `simple.rs`'s.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use crate::exec::vars::FastHash;
use crate::lang::ast::FnDef;

/// A definition, hashed and compared by its name.
#[derive(Debug)]
struct ByName(Rc<FnDef>);

impl Borrow<str> for ByName {
    fn borrow(&self) -> &str {
        self.0.name()
    }
}

impl Hash for ByName {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // As `str` hashes, for lookups by `&str`.
        self.0.name().hash(h)
    }
}

impl PartialEq for ByName {
    fn eq(&self, other: &Self) -> bool {
        self.0.name() == other.0.name()
    }
}

impl Eq for ByName {}

#[derive(Debug, Default)]
pub struct Funcs(HashSet<ByName, FastHash>);

impl Funcs {
    pub fn get(&self, name: &str) -> Option<&Rc<FnDef>> {
        self.0.get(name).map(|f| &f.0)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    /// Define (or redefine) the function `f` names.
    pub fn insert(&mut self, f: Rc<FnDef>) {
        self.0.replace(ByName(f));
    }

    pub fn remove(&mut self, name: &str) {
        self.0.remove(name);
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|f| f.0.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::ast::List;

    #[test]
    fn a_redefinition_replaces_and_lookups_go_by_name() {
        let mut t = Funcs::default();
        t.insert(Rc::new(FnDef::new("f", List::default())));
        t.insert(Rc::new(FnDef::later("g", "{ echo }", 3)));
        let again = Rc::new(FnDef::later("f", "{ true }", 7));
        t.insert(again.clone());
        assert!(Rc::ptr_eq(t.get("f").unwrap(), &again));
        assert!(t.contains_key("g") && !t.contains_key("h"));
        t.remove("g");
        let mut names: Vec<&str> = t.names().collect();
        names.sort();
        assert_eq!(names, ["f"]);
    }
}
