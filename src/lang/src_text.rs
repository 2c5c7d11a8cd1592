//! `SrcText`: a job's or a pipeline's source text, kept for `jobs`, the
//! `[N]+ Done` lines and a stopped job's entry.  Either its own copy, or a
//! range of a script's whole text, which every command of the script
//! shares: running a script then costs no allocation per command for a
//! text that is rarely shown.  Holds text; never parses.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

#[derive(Clone, Default)]
pub enum SrcText {
    /// No text (a tree made only to find where a job ends).
    #[default]
    Empty,
    Own(Rc<str>),
    /// `all[start..end]`.
    In {
        all: Rc<String>,
        start: u32,
        end: u32,
    },
}

impl SrcText {
    /// `all[start..end]`, shared; a copy when the range does not fit the
    /// offsets (a script over 4 GiB).
    pub fn within(all: &Rc<String>, start: usize, end: usize) -> SrcText {
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start), Ok(end)) => SrcText::In {
                all: Rc::clone(all),
                start,
                end,
            },
            _ => SrcText::from(all.get(start..end).unwrap_or("")),
        }
    }
}

impl From<&str> for SrcText {
    fn from(s: &str) -> Self {
        SrcText::Own(Rc::from(s))
    }
}

impl Deref for SrcText {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            SrcText::Empty => "",
            SrcText::Own(s) => s,
            SrcText::In { all, start, end } => {
                all.get(*start as usize..*end as usize).unwrap_or("")
            }
        }
    }
}

impl fmt::Display for SrcText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

/// As the text itself (so parse trees print and compare as before).
impl fmt::Debug for SrcText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_reads_as_its_text() {
        let all = Rc::new(String::from("echo a; sleep 5 &"));
        let t = SrcText::within(&all, 8, 15);
        assert_eq!(&*t, "sleep 5");
        assert_eq!(format!("{t} {t:?}"), "sleep 5 \"sleep 5\"");
        assert_eq!(Rc::strong_count(&all), 2, "shared, not copied");
        assert_eq!(&*SrcText::from("own"), "own");
        assert_eq!(&*SrcText::default(), "");
    }
}
