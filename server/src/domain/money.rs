//! Money: exact decimals with two fraction digits, stored as minor units (hundredths) in an i64.

use crate::error::FieldError;

/// The largest amount accepted (exclusive), in whole units.
const MAX_UNITS: i64 = 1_000_000_000_000_000;

/// Parses a non-negative decimal string such as `"1250000"`, `"1250000.5"` or `"0.99"` into minor
/// units. More than two fraction digits, signs, exponents and separators are refused.
pub fn parse_amount(field: &str, s: &str) -> Result<i64, FieldError> {
    let bad = || {
        FieldError::new(
            field,
            "must be a non-negative decimal with at most two fraction digits, such as 1250000.00",
        )
    };
    let t = s.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || whole.len() > 16 || frac.len() > 2 {
        return Err(bad());
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let units: i64 = whole.parse().map_err(|_| bad())?;
    if units >= MAX_UNITS {
        return Err(FieldError::new(field, "is too large"));
    }
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    Ok(units * 100 + cents)
}

/// Formats minor units as a decimal string with two fraction digits.
pub fn format_amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Money as the change log records it: `{"amount": "12.50", "currency": "EUR"}`, or `null`.
pub fn to_json(minor: Option<i64>, currency: &Option<String>) -> serde_json::Value {
    match (minor, currency) {
        (Some(m), Some(c)) => serde_json::json!({"amount": format_amount(m), "currency": c}),
        _ => serde_json::Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_exactly() {
        assert_eq!(parse_amount("a", "1250000"), Ok(125_000_000));
        assert_eq!(parse_amount("a", "0.5"), Ok(50));
        assert_eq!(parse_amount("a", "0.99"), Ok(99));
        assert_eq!(format_amount(125_000_000), "1250000.00");
        assert_eq!(format_amount(5), "0.05");
        assert_eq!(format_amount(-5), "-0.05");
        for bad in [
            "",
            "-1",
            "1.234",
            "1e5",
            "1,000",
            ".5",
            "abc",
            "99999999999999999",
        ] {
            assert!(parse_amount("a", bad).is_err(), "{bad}");
        }
    }
}
