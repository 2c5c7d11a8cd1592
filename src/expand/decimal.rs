//! Integers in decimal text, the common case read and written without
//! the general machinery: `$((…))` results (`push_decimal`), variables
//! holding a plain number in `$((…))` (`plain_decimal`), `[ … -lt … ]`'s
//! operands (`signed_digits`).  Whatever is not the common case is left to
//! the caller's full reader (octal, signs, blanks, overflow).  Pure.

/// The value of 1 to 18 ASCII digits (never overflows); None for
/// anything else.
fn digits_value(d: &[u8]) -> Option<i64> {
    if d.is_empty() || d.len() > 18 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(d.iter().fold(0, |n, c| n * 10 + i64::from(c - b'0')))
}

/// A number as C writes it in decimal (an optional `-`, no leading 0,
/// which would make it octal), read without the general reader: the
/// usual value of a variable in `$((…))`.  None for anything else, which
/// the caller reads as an expression.
pub fn plain_decimal(s: &str) -> Option<i64> {
    let d = s.strip_prefix('-').unwrap_or(s).as_bytes();
    if d.len() > 1 && d.first() == Some(&b'0') {
        return None;
    }
    signed_digits(s)
}

/// An optional `-` and decimal digits (leading zeros allowed), as `[`
/// reads an integer; 19 digits and more go through `str::parse`, which
/// knows where 64 bits end (`-9223372036854775808` fits).
pub fn signed_digits(s: &str) -> Option<i64> {
    let (neg, d) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.as_bytes()),
        None => (false, s.as_bytes()),
    };
    match digits_value(d) {
        Some(n) => Some(if neg { -n } else { n }),
        None if !d.is_empty() && d.iter().all(u8::is_ascii_digit) => s.parse().ok(),
        None => None,
    }
}

/// `n` in decimal after `out` (what `write!(out, "{n}")` gives, without
/// the formatting machinery: `$((…))` results are written this way).
pub fn push_decimal(out: &mut String, n: i64) {
    let mut buf = [0u8; 20];
    let mut m = n.unsigned_abs();
    let mut start = buf.len();
    // u64::MAX has 20 digits: `start` stays in bounds.
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (m % 10) as u8;
        m /= 10;
        start -= 1;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    let digits = buf.get(start..).unwrap_or_default();
    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_and_written_as_std_does() {
        for n in [
            0,
            7,
            -7,
            10,
            99,
            100,
            -1000,
            123456789012345678,
            i64::MAX,
            i64::MIN,
        ] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
        assert_eq!(plain_decimal("0"), Some(0));
        assert_eq!(plain_decimal("-42"), Some(-42));
        assert_eq!(
            plain_decimal("123456789012345678"),
            Some(123456789012345678)
        );
        // Left to the expression reader: octal, signs, blanks, empty, junk.
        for t in ["010", "-010", "+5", " 5", "5 ", "", "-", "0x1", "1a"] {
            assert_eq!(plain_decimal(t), None, "{t:?}");
        }
        // Past 18 digits: what fits in 64 bits, and nothing else.
        assert_eq!(plain_decimal("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(plain_decimal("9223372036854775807"), Some(i64::MAX));
        assert_eq!(plain_decimal("9223372036854775808"), None);
        assert_eq!(signed_digits("-007"), Some(-7));
        assert_eq!(signed_digits("--7"), None);
        assert_eq!(digits_value(b"007"), Some(7));
        assert_eq!(digits_value(b""), None);
    }
}
