//! Shell variables and the environment handed to children.  The
//! environment list is built once and reused until an exported variable
//! changes, so spawning a command does not rebuild it every time.  Stores
//! values; never expands them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::CString;
use std::os::unix::ffi::OsStringExt;

use crate::os::text;

#[derive(Debug, Clone)]
pub struct Var {
    /// The value as one word: a list's elements joined with a space
    /// (what `"$NAME"` gives).
    pub value: String,
    /// The elements, for a list (`NAME=(…)`); None for a plain value.
    pub list: Option<Vec<String>>,
    pub exported: bool,
}

impl Var {
    fn plain(value: String, exported: bool) -> Var {
        Var {
            value,
            list: None,
            exported,
        }
    }

    /// The value as the environment sees it: a list joined with `:` when
    /// the name ends in PATH, else with a space.
    fn env_value(&self, name: &str) -> std::borrow::Cow<'_, str> {
        match &self.list {
            Some(l) if name.ends_with("PATH") => l.join(":").into(),
            _ => self.value.as_str().into(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Vars {
    map: HashMap<String, Var, FastHash>,
    env_cache: Option<Vec<CString>>,
}

impl Vars {
    pub fn from_env() -> Vars {
        // Sized for the environment and the shell's own, so it is not
        // rehashed as it fills; the strings keep the environment's buffers.
        let vars = std::env::vars_os();
        let mut map = HashMap::with_capacity_and_hasher(vars.size_hint().0 + 16, FastHash);
        for (k, v) in vars {
            let k = crate::os::text::decode_owned(k.into_vec());
            let v = crate::os::text::decode_owned(v.into_vec());
            map.insert(k, Var::plain(v, true));
        }
        Vars {
            map,
            env_cache: None,
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(|v| v.value.as_str())
    }

    /// A variable's value and, for a list, its elements: one lookup.
    pub fn get_with_list(&self, name: &str) -> Option<(&str, Option<&[String]>)> {
        self.map
            .get(name)
            .map(|v| (v.value.as_str(), v.list.as_deref()))
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    pub fn set(&mut self, name: &str, value: String) {
        match self.map.get_mut(name) {
            Some(v) => {
                if v.exported {
                    self.env_cache = None;
                }
                v.value = value;
                v.list = None;
            }
            None => {
                self.map.insert(name.to_string(), Var::plain(value, false));
            }
        }
    }

    /// The elements of a list variable (None for a plain value or unset).
    pub fn list(&self, name: &str) -> Option<&[String]> {
        self.map.get(name).and_then(|v| v.list.as_deref())
    }

    /// A variable's elements: a list's, or a plain value as a list of one.
    pub fn elements(&self, name: &str) -> Option<Vec<String>> {
        let v = self.map.get(name)?;
        Some(v.list.clone().unwrap_or_else(|| vec![v.value.clone()]))
    }

    /// `NAME=(…)`: make the variable a list.
    pub fn set_list(&mut self, name: &str, items: Vec<String>) {
        let value = items.join(" ");
        match self.map.get_mut(name) {
            Some(v) => {
                if v.exported {
                    self.env_cache = None;
                }
                v.value = value;
                v.list = Some(items);
            }
            None => {
                self.map.insert(
                    name.to_string(),
                    Var {
                        value,
                        list: Some(items),
                        exported: false,
                    },
                );
            }
        }
    }

    pub fn export(&mut self, name: &str, value: Option<String>) {
        if value.is_some() {
            if let Some(v) = self.map.get_mut(name) {
                v.list = None;
            }
        }
        self.env_cache = None;
        let v = self
            .map
            .entry(name.to_string())
            .or_insert(Var::plain(String::new(), true));
        v.exported = true;
        if let Some(val) = value {
            v.value = val;
        }
    }

    pub fn unset(&mut self, name: &str) {
        if let Some(v) = self.map.remove(name) {
            if v.exported {
                self.env_cache = None;
            }
        }
    }

    /// Remove and return a variable (to restore it later).
    pub fn take(&mut self, name: &str) -> Option<Var> {
        let v = self.map.remove(name);
        if v.as_ref().is_some_and(|v| v.exported) {
            self.env_cache = None;
        }
        v
    }

    pub fn put_back(&mut self, name: &str, var: Option<Var>) {
        self.env_cache = None;
        match var {
            Some(v) => {
                self.map.insert(name.to_string(), v);
            }
            None => {
                self.map.remove(name);
            }
        }
    }

    /// Every variable, sorted by name (for `set` and `export -p`).
    pub fn sorted(&self) -> Vec<(&String, &Var)> {
        let mut v: Vec<_> = self.map.iter().collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    }

    /// The environment for a child: every exported variable, plus `extra`
    /// (a command's own `NAME=value` prefix) overriding them.
    pub fn envp(&mut self, extra: &[(String, String)]) -> Cow<'_, [CString]> {
        if extra.is_empty() {
            return Cow::Borrowed(self.env_cache());
        }
        let mut env: Vec<CString> = self
            .map
            .iter()
            .filter(|(k, v)| v.exported && !extra.iter().any(|(n, _)| n == *k))
            .filter_map(|(k, v)| text::cstring(&format!("{k}={}", v.env_value(k))))
            .collect();
        env.extend(
            extra
                .iter()
                .filter_map(|(k, v)| text::cstring(&format!("{k}={v}"))),
        );
        Cow::Owned(env)
    }

    fn env_cache(&mut self) -> &[CString] {
        let map = &self.map;
        self.env_cache.get_or_insert_with(|| {
            map.iter()
                .filter(|(_, v)| v.exported)
                .filter_map(|(k, v)| text::cstring(&format!("{k}={}", v.env_value(k))))
                .collect()
        })
    }
}

/// A quick hash for variable names (FxHash's mix): the map is looked up
/// several times per command, and SipHash's resistance to crafted keys
/// buys nothing here (whoever names the variables runs the script).
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHash;

impl std::hash::BuildHasher for FastHash {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// `NAME` is a valid variable name.
pub fn valid_name(name: &str) -> bool {
    let mut b = name.bytes();
    matches!(b.next(), Some(c) if c == b'_' || c.is_ascii_alphabetic())
        && b.all(|c| c == b'_' || c.is_ascii_alphanumeric())
}
