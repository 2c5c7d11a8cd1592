//! `$((expr))`: 64-bit integer arithmetic with C precedence.  Names are
//! variables (with or without `$`), looked up through the caller's closure;
//! an unset or empty one is 0.  Division by zero and malformed expressions
//! are errors, never a crash.  Pure: no I/O, no shell state.

const MAX_DEPTH: usize = 200;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: [&str; 20] = [
    "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+", "-", "*", "/", "%", "<", ">", "!",
    "(", ")", "~",
];

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
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
            out.push(Tok::Name(s[start..i].to_string()));
        } else if let Some(op) = OPS.iter().find(|op| s[i..].starts_with(**op)) {
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

struct Parser<'a, F: FnMut(&str) -> Result<i64, String>> {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
    lookup: &'a mut F,
}

/// Evaluate `expr`; `lookup` gives a variable's value as a number.
pub fn eval<F: FnMut(&str) -> Result<i64, String>>(
    expr: &str,
    lookup: &mut F,
) -> Result<i64, String> {
    let toks = tokenize(expr)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        lookup,
    };
    let v = p.binary(0)?;
    match p.toks.get(p.pos) {
        None => Ok(v),
        Some(t) => Err(format!(
            "syntax error in `{}` near {}",
            expr.trim(),
            show(t)
        )),
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Num(n) => n.to_string(),
        Tok::Name(n) => n.clone(),
        Tok::Op(o) => format!("`{o}`"),
    }
}

/// Binary operators by precedence (higher binds tighter).
fn prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "==" | "!=" => 3,
        "<" | "<=" | ">" | ">=" => 4,
        "<<" | ">>" => 5,
        "+" | "-" => 6,
        "*" | "/" | "%" => 7,
        "**" => 8,
        _ => return None,
    })
}

impl<F: FnMut(&str) -> Result<i64, String>> Parser<'_, F> {
    fn binary(&mut self, min: u8) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        let mut lhs = self.unary()?;
        while let Some(Tok::Op(op)) = self.toks.get(self.pos) {
            let op = *op;
            let Some(p) = prec(op) else { break };
            if p < min {
                break;
            }
            self.pos += 1;
            // `**` is right-associative; the rest left-associative.
            let next = if op == "**" { p } else { p + 1 };
            let rhs = self.binary(next)?;
            lhs = apply(op, lhs, rhs)?;
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, String> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        match t {
            Some(Tok::Num(n)) => Ok(n),
            Some(Tok::Name(n)) => (self.lookup)(&n),
            Some(Tok::Op("-")) => Ok(self.unary_nested()?.wrapping_neg()),
            Some(Tok::Op("+")) => self.unary_nested(),
            Some(Tok::Op("!")) => Ok(i64::from(self.unary_nested()? == 0)),
            Some(Tok::Op("~")) => Ok(!self.unary_nested()?),
            Some(Tok::Op("(")) => {
                let v = self.binary(0)?;
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
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        let v = self.unary();
        self.depth -= 1;
        v
    }
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by zero".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "**" => {
            if b < 0 {
                return Err("negative exponent".into());
            }
            a.wrapping_pow(u32::try_from(b).unwrap_or(u32::MAX))
        }
        "<<" => a.wrapping_shl((b & 63) as u32),
        ">>" => a.wrapping_shr((b & 63) as u32),
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
            ev(&"-".repeat(5000)),
            Err("expression nested too deeply".into())
        );
    }

    #[test]
    fn wraps_instead_of_panicking() {
        assert_eq!(ev("9223372036854775807 + 1"), Ok(i64::MIN));
        assert_eq!(ev("(0 - 9223372036854775807 - 1) / -1"), Ok(i64::MIN));
        assert_eq!(ev("2 ** 64"), Ok(0));
    }
}
