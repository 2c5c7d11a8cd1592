//! Whether expanding a simple command can change the shell (`${x=…}`,
//! `${x:=…}`, `$((i++))`, an assignment inside `$((…))`): where it cannot,
//! the shell may expand it itself for a child or run it in place; where
//! it can, the expansion happens in a forked child, as in bash's
//! subshells.  Looks at the AST only; runs nothing.

use crate::lang::ast::*;

/// A simple command whose expansion cannot change the shell.
pub(crate) fn simple_is_pure(s: &Simple) -> bool {
    s.words.iter().all(no_side_effects)
        && s.assigns.iter().all(|a| match &a.value {
            AssignValue::Word(w) => no_side_effects(w),
            AssignValue::List(ws) => ws.iter().all(no_side_effects),
        })
}

/// A word whose expansion cannot change the shell: no `${x=…}`/`${x:=…}`
/// and no assignment or `++`/`--` inside `$((…))`.
fn no_side_effects(w: &Word) -> bool {
    w.0.iter().all(part_has_no_side_effects)
}

fn part_has_no_side_effects(p: &WordPart) -> bool {
    match p {
        WordPart::DoubleQuoted(parts) => parts.iter().all(part_has_no_side_effects),
        WordPart::Param(x) => match &x.op {
            ParamOp::Default { kind, .. } => *kind != '=',
            _ => true,
        },
        WordPart::Arith(parts) => parts.iter().all(|q| match q {
            WordPart::Lit { text, .. } => {
                !text.contains("++") && !text.contains("--") && !assigns(text)
            }
            other => part_has_no_side_effects(other),
        }),
        _ => true,
    }
}

/// Arithmetic text with an `=` that is not part of `==`, `!=`, `<=`, `>=`.
fn assigns(text: &str) -> bool {
    let b = text.as_bytes();
    let at = |i: usize, k: usize| i.checked_sub(k).and_then(|j| b.get(j)).copied();
    b.iter().enumerate().any(|(i, &c)| {
        let comparison = match at(i, 1) {
            Some(b'=' | b'!') => true,
            // `<=` compares, `<<=` assigns.
            Some(p @ (b'<' | b'>')) => at(i, 2) != Some(p),
            _ => false,
        };
        c == b'=' && b.get(i + 1) != Some(&b'=') && !comparison
    })
}
