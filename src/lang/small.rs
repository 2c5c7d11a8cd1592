//! `Small<T>`: a list of the parse tree that keeps a lone element in
//! place and only allocates from the second on.  It holds a word's parts
//! (`ast::Parts`): most words have one, and each avoided heap block is a
//! malloc and a free less for every word a script builds.  (A pipeline's
//! stages were tried too: the bigger `Pipeline`, copied on every return,
//! cost more than it saved.)  Reads as a slice (`Deref`); prints as a
//! `Vec` does, so parse trees compare the same way as before.  Holds no
//! parsing or running logic.

use std::fmt;
use std::ops::{Deref, DerefMut};

#[derive(Clone)]
pub enum Small<T> {
    One(T),
    /// Empty (no allocation) or two and more.
    Many(Vec<T>),
}

impl<T> Small<T> {
    pub const fn new() -> Self {
        Small::Many(Vec::new())
    }

    pub fn push(&mut self, x: T) {
        match self {
            Small::Many(v) if !v.is_empty() => v.push(x),
            _ => {
                *self = match std::mem::take(self) {
                    Small::One(first) => Small::Many(vec![first, x]),
                    Small::Many(_) => Small::One(x),
                }
            }
        }
    }

    /// Edit the elements as a `Vec` (the rare edits a slice cannot make).
    pub fn edit<R>(&mut self, f: impl FnOnce(&mut Vec<T>) -> R) -> R {
        let mut v = match std::mem::take(self) {
            Small::One(x) => vec![x],
            Small::Many(v) => v,
        };
        let r = f(&mut v);
        *self = v.into();
        r
    }

    pub fn as_slice(&self) -> &[T] {
        self
    }
}

impl<T> Default for Small<T> {
    fn default() -> Self {
        Small::new()
    }
}

impl<T> Deref for Small<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Small::One(x) => std::slice::from_ref(x),
            Small::Many(v) => v,
        }
    }
}

impl<T> DerefMut for Small<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Small::One(x) => std::slice::from_mut(x),
            Small::Many(v) => v,
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Small<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T> From<Vec<T>> for Small<T> {
    fn from(mut v: Vec<T>) -> Self {
        match (v.len(), v.pop()) {
            (1, Some(x)) => Small::One(x),
            (_, Some(x)) => {
                v.push(x);
                Small::Many(v)
            }
            (_, None) => Small::new(),
        }
    }
}

impl<T> IntoIterator for Small<T> {
    type Item = T;
    type IntoIter = std::iter::Chain<std::option::IntoIter<T>, std::vec::IntoIter<T>>;
    fn into_iter(self) -> Self::IntoIter {
        match self {
            Small::One(x) => Some(x).into_iter().chain(Vec::new()),
            Small::Many(v) => None.into_iter().chain(v),
        }
    }
}

impl<'a, T> IntoIterator for &'a Small<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_element_stays_in_place_and_more_go_to_the_heap() {
        let mut s = Small::new();
        assert!(s.is_empty());
        s.push(1);
        assert!(matches!(s, Small::One(1)));
        s.push(2);
        s.push(3);
        assert_eq!(s.as_slice(), &[1, 2, 3]);
        assert_eq!(format!("{s:?}"), "[1, 2, 3]");
        assert_eq!(s.clone().into_iter().collect::<Vec<_>>(), vec![1, 2, 3]);
        let mut one: Small<i32> = vec![7].into();
        assert!(matches!(one, Small::One(7)));
        one.edit(|v| v.insert(0, 6));
        assert_eq!(one.as_slice(), &[6, 7]);
        assert_eq!(Small::from(Vec::<i32>::new()).len(), 0);
    }
}
