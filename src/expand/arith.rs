//! `$((expr))`: 64-bit integer arithmetic with C's operators and
//! precedence: `, = op= ?: || && | ^ & == != < <= > >= << >> + - * / % **`,
//! unary `- + ! ~`, `++`/`--` before and after a name.  Names are
//! variables (with or without `$`), read and assigned through a `Scope`;
//! an unset or empty one is 0.  `&&`, `||` and `?:` skip the side they do
//! not take.  Division by zero and malformed expressions are errors,
//! never a crash.  Pure: no I/O; the shell's state only through `Scope`.

const MAX_DEPTH: usize = 200;

/// The variables an expression reads and assigns.
pub trait Scope {
    /// A variable's value as a number (unset or empty: 0).
    fn get(&mut self, name: &str) -> Result<i64, String>;
    fn set(&mut self, name: &str, value: i64) -> Result<(), String>;
}

/// A scope from a closure that only reads (tests, `let`-free uses).
pub struct ReadOnly<F: FnMut(&str) -> Result<i64, String>>(pub F);

impl<F: FnMut(&str) -> Result<i64, String>> Scope for ReadOnly<F> {
    fn get(&mut self, name: &str) -> Result<i64, String> {
        (self.0)(name)
    }
    fn set(&mut self, name: &str, _: i64) -> Result<(), String> {
        Err(format!("{name}: cannot assign here"))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'s> {
    Num(i64),
    Name(&'s str),
    Op(&'static str),
}

// Longest first, so `<<=` is not read as `<<` then `=`.
const OPS: [&str; 39] = [
    "<<=", ">>=", "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "++", "--", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "!", "(", ")", "~", "?",
    ":", ",", "=", "&", "|", "^",
];

/// The operator at the start of `b`, longest first (by its first byte,
/// so a token costs a couple of comparisons, not one per operator).
fn op_at(b: &[u8]) -> Option<&'static str> {
    let c = *b.first()?;
    OPS.iter()
        .filter(|op| op.as_bytes()[0] == c)
        .find(|op| b.starts_with(op.as_bytes()))
        .copied()
}

fn tokenize(s: &str) -> Result<Vec<Tok<'_>>, String> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            // `BASE#DIGITS`
            if b.get(i) == Some(&b'#') {
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'@')
                {
                    i += 1;
                }
            }
            out.push(Tok::Num(parse_number(&s[start..i])?));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            // `NAME[expr]`: one element of a list, looked up whole.
            if b.get(i) == Some(&b'[') {
                let mut depth = 0;
                while i < b.len() {
                    match b[i] {
                        b'[' => depth += 1,
                        b']' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                if depth != 0 {
                    return Err(format!("missing `]` in `{}`", s.trim()));
                }
            }
            out.push(Tok::Name(&s[start..i]));
        } else if let Some(op) = op_at(&b[i..]) {
            out.push(Tok::Op(op));
            i += op.len();
        } else {
            let ch = s[i..].chars().next().unwrap_or('?');
            return Err(format!("unexpected `{ch}` in `{}`", s.trim()));
        }
    }
    Ok(out)
}

fn parse_number(t: &str) -> Result<i64, String> {
    let r = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16)
    } else if let Some((base, digits)) = t.split_once('#') {
        // `BASE#DIGITS`, as bash (2 to 36).
        match base.parse::<u32>() {
            Ok(b) if (2..=36).contains(&b) => i64::from_str_radix(digits, b),
            _ => return Err(format!("{t}: bad base")),
        }
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8)
    } else {
        t.parse::<i64>()
    };
    r.map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
            format!("{t}: number too large for 64 bits")
        }
        _ => format!("{t}: not a number"),
    })
}

struct Parser<'a, 's> {
    toks: Vec<Tok<'s>>,
    pos: usize,
    depth: usize,
    scope: &'a mut dyn Scope,
    /// Inside the branch `&&`, `||` or `?:` does not take: parse only, no
    /// lookups, no assignments, no division errors.
    skip: usize,
}

/// Evaluate `expr` (a comma list of assignments and C expressions).
pub fn eval_in(expr: &str, scope: &mut dyn Scope) -> Result<i64, String> {
    let toks = tokenize(expr)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        scope,
        skip: 0,
    };
    let v = p.comma()?;
    match p.toks.get(p.pos) {
        None => Ok(v),
        Some(t) => Err(format!(
            "syntax error in `{}` near {}",
            expr.trim(),
            show(t)
        )),
    }
}

/// Evaluate `expr` reading variables through `lookup` (no assignments).
pub fn eval<F: FnMut(&str) -> Result<i64, String>>(
    expr: &str,
    lookup: &mut F,
) -> Result<i64, String> {
    eval_in(expr, &mut ReadOnly(lookup))
}

fn show(t: &Tok<'_>) -> String {
    match t {
        Tok::Num(n) => n.to_string(),
        Tok::Name(n) => n.to_string(),
        Tok::Op(o) => format!("`{o}`"),
    }
}

/// Binary operators by precedence (higher binds tighter), as C.
fn prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | "<=" | ">" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

fn is_assign(op: &str) -> bool {
    matches!(
        op,
        "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^="
    )
}

impl Parser<'_, '_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        Ok(())
    }

    fn get(&mut self, name: &str) -> Result<i64, String> {
        if self.skip > 0 {
            return Ok(0);
        }
        self.scope.get(name)
    }

    fn set(&mut self, name: &str, v: i64) -> Result<(), String> {
        if self.skip > 0 {
            return Ok(());
        }
        self.scope.set(name, v)
    }

    fn comma(&mut self) -> Result<i64, String> {
        let mut v = self.assign()?;
        while self.peek_op() == Some(",") {
            self.pos += 1;
            v = self.assign()?;
        }
        Ok(v)
    }

    /// `NAME op= expr` (right-associative), else a conditional.
    fn assign(&mut self) -> Result<i64, String> {
        if let (Some(Tok::Name(n)), Some(Tok::Op(op))) =
            (self.toks.get(self.pos), self.toks.get(self.pos + 1))
        {
            if is_assign(op) {
                let (name, op) = (*n, *op);
                self.pos += 2;
                self.enter()?;
                let rhs = self.assign()?;
                self.depth -= 1;
                let v = if op == "=" {
                    rhs
                } else {
                    let old = self.get(name)?;
                    self.apply(&op[..op.len() - 1], old, rhs)?
                };
                self.set(name, v)?;
                return Ok(v);
            }
        }
        self.conditional()
    }

    fn conditional(&mut self) -> Result<i64, String> {
        let c = self.binary(1)?;
        if self.peek_op() != Some("?") {
            return Ok(c);
        }
        self.pos += 1;
        self.enter()?;
        if c == 0 {
            self.skip += 1;
        }
        let a = self.assign()?;
        if c == 0 {
            self.skip -= 1;
        }
        if self.peek_op() != Some(":") {
            return Err("`?` without its `:`".into());
        }
        self.pos += 1;
        if c != 0 {
            self.skip += 1;
        }
        let b = self.assign()?;
        if c != 0 {
            self.skip -= 1;
        }
        self.depth -= 1;
        Ok(if c != 0 { a } else { b })
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        self.enter()?;
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_op() {
            let Some(p) = prec(op) else { break };
            if p < min {
                break;
            }
            self.pos += 1;
            // `**` is right-associative; the rest left-associative.
            let next = if op == "**" { p } else { p + 1 };
            // `&&` and `||` do not evaluate what they need not.
            let short = (op == "&&" && lhs == 0) || (op == "||" && lhs != 0);
            if short {
                self.skip += 1;
            }
            let rhs = self.binary(next)?;
            if short {
                self.skip -= 1;
            }
            lhs = self.apply(op, lhs, rhs)?;
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, String> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        match t {
            Some(Tok::Num(n)) => Ok(n),
            Some(Tok::Name(n)) => match self.peek_op() {
                Some(op @ ("++" | "--")) => {
                    self.pos += 1;
                    let v = self.get(n)?;
                    let d = if op == "++" { 1 } else { -1 };
                    self.set(n, v.wrapping_add(d))?;
                    Ok(v)
                }
                _ => self.get(n),
            },
            Some(Tok::Op(op @ ("++" | "--"))) => {
                let Some(Tok::Name(n)) = self.toks.get(self.pos).cloned() else {
                    return Err(format!("`{op}` needs a variable name"));
                };
                self.pos += 1;
                let d = if op == "++" { 1 } else { -1 };
                let v = self.get(n)?.wrapping_add(d);
                self.set(n, v)?;
                Ok(v)
            }
            Some(Tok::Op("-")) => Ok(self.unary_nested()?.wrapping_neg()),
            Some(Tok::Op("+")) => self.unary_nested(),
            Some(Tok::Op("!")) => Ok(i64::from(self.unary_nested()? == 0)),
            Some(Tok::Op("~")) => Ok(!self.unary_nested()?),
            Some(Tok::Op("(")) => {
                self.enter()?;
                let v = self.comma()?;
                self.depth -= 1;
                match self.toks.get(self.pos) {
                    Some(Tok::Op(")")) => {
                        self.pos += 1;
                        Ok(v)
                    }
                    _ => Err("missing `)`".into()),
                }
            }
            Some(t) => Err(format!("unexpected {}", show(&t))),
            None => Err("expression ends too early".into()),
        }
    }

    fn unary_nested(&mut self) -> Result<i64, String> {
        self.enter()?;
        let v = self.unary();
        self.depth -= 1;
        v
    }

    fn apply(&self, op: &str, a: i64, b: i64) -> Result<i64, String> {
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" if b == 0 && self.skip > 0 => 0,
            "/" | "%" if b == 0 => return Err("division by zero".into()),
            "/" => a.wrapping_div(b),
            "%" => a.wrapping_rem(b),
            "**" if b < 0 && self.skip > 0 => 0,
            "**" if b < 0 => return Err("negative exponent".into()),
            "**" => a.wrapping_pow(u32::try_from(b).unwrap_or(u32::MAX)),
            "<<" => a.wrapping_shl((b & 63) as u32),
            ">>" => a.wrapping_shr((b & 63) as u32),
            "&" => a & b,
            "|" => a | b,
            "^" => a ^ b,
            "<" => i64::from(a < b),
            "<=" => i64::from(a <= b),
            ">" => i64::from(a > b),
            ">=" => i64::from(a >= b),
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "&&" => i64::from(a != 0 && b != 0),
            "||" => i64::from(a != 0 || b != 0),
            _ => return Err(format!("unknown operator `{op}`")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str) -> Result<i64, String> {
        eval(s, &mut |n| if n == "x" { Ok(7) } else { Ok(0) })
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(ev("1 + 2 * 3"), Ok(7));
        assert_eq!(ev("(1 + 2) * 3"), Ok(9));
        assert_eq!(ev("10 - 4 - 3"), Ok(3));
        assert_eq!(ev("2 ** 3 ** 2"), Ok(512));
        assert_eq!(ev("x * 2 + y"), Ok(14));
        assert_eq!(ev("-x + 10"), Ok(3));
        assert_eq!(ev("!0 && 3 > 2 || 0"), Ok(1));
        assert_eq!(ev("7 % 3 == 1"), Ok(1));
        assert_eq!(ev("0x10 + 010"), Ok(24));
        assert_eq!(ev(""), Ok(0));
    }

    #[test]
    fn errors_are_messages() {
        assert_eq!(ev("1 / 0"), Err("division by zero".into()));
        assert_eq!(ev("5 % 0"), Err("division by zero".into()));
        assert!(ev("99999999999999999999")
            .unwrap_err()
            .contains("too large"));
        assert!(ev("1 +").is_err());
        assert!(ev("(1").is_err());
        assert!(ev("1 2").is_err());
        assert!(ev("1 @ 2").is_err());
        assert_eq!(
            ev(&format!("{}1{}", "(".repeat(5000), ")".repeat(5000))),
            Err("expression nested too deeply".into())
        );
        assert_eq!(
            ev(&"- ".repeat(5000)),
            Err("expression nested too deeply".into())
        );
    }

    struct Vars(std::collections::HashMap<String, i64>);
    impl Scope for Vars {
        fn get(&mut self, n: &str) -> Result<i64, String> {
            Ok(*self.0.get(n).unwrap_or(&0))
        }
        fn set(&mut self, n: &str, v: i64) -> Result<(), String> {
            self.0.insert(n.to_string(), v);
            Ok(())
        }
    }

    #[test]
    fn assignments_conditionals_and_side_effects() {
        let mut v = Vars(Default::default());
        assert_eq!(eval_in("x = 5, y = x++ + ++x, x", &mut v), Ok(7));
        assert_eq!(v.0["y"], 12);
        assert_eq!(eval_in("x += 3, x <<= 1, x", &mut v), Ok(20));
        assert_eq!(eval_in("a = b = 4", &mut v), Ok(4));
        assert_eq!(v.0["b"], 4);
        assert_eq!(eval_in("0 && (z = 1), 1 || (z = 2), z", &mut v), Ok(0));
        assert_eq!(eval_in("x > 10 ? 100 : 1 / 0", &mut v), Ok(100));
        assert_eq!(eval_in("1 ? 2 : 3 ? 4 : 5", &mut v), Ok(2));
        assert_eq!(eval_in("5 & 3 | 8 ^ 1, ~0", &mut v), Ok(-1));
        assert_eq!(eval_in("(5 & 3) | (8 ^ 1)", &mut v), Ok(9));
        assert_eq!(eval_in("2#101 + 16#ff + 8#17", &mut v), Ok(5 + 255 + 15));
        assert!(eval_in("1 ? 2", &mut v).is_err());
        assert!(eval_in("++3", &mut v).is_err());
    }

    #[test]
    fn wraps_instead_of_panicking() {
        assert_eq!(ev("9223372036854775807 + 1"), Ok(i64::MIN));
        assert_eq!(ev("(0 - 9223372036854775807 - 1) / -1"), Ok(i64::MIN));
        assert_eq!(ev("2 ** 64"), Ok(0));
    }
}
