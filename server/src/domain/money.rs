//! Money: exact decimals stored as an i64 of the currency's minor units (ISO 4217: 0, 2 or 3
//! decimals: yen are whole, euros hundredths, dinars thousandths) beside the currency code.
//! Sums stay in one currency; the decimals of a figure always follow its currency.

use crate::error::FieldError;

/// Currencies whose minor unit is not a hundredth (ISO 4217): `(code, decimals)`.
const EXPONENTS: &[(&str, u32)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// The decimals every currency not in [`EXPONENTS`] has.
pub const USUAL_EXPONENT: u32 = 2;

/// The most decimals any currency has: bounds that hold across currencies (a filter's
/// `amountMin`) are read to this precision.
pub const MAX_EXPONENT: u32 = 3;

/// The largest amount of a deal, revenue, quota or forecast (exclusive), in whole units.
const MAX_UNITS: i64 = 1_000_000_000_000_000;

/// The number of decimals of a currency's minor unit.
pub fn exponent(currency: &str) -> u32 {
    EXPONENTS
        .iter()
        .find(|(c, _)| *c == currency)
        .map_or(USUAL_EXPONENT, |(_, e)| *e)
}

/// The currencies with `decimals` decimals other than the usual two; every currency not listed
/// has two.
pub fn with_exponent(decimals: u32) -> impl Iterator<Item = &'static str> {
    EXPONENTS
        .iter()
        .filter(move |(_, e)| *e == decimals)
        .map(|(c, _)| *c)
}

/// `"1250.5"` with at most `decimals` decimals as an integer of `10^-decimals`; `None` for
/// anything else (signs, exponents, separators, `".5"`, `"5."`).
pub fn parse_fixed(s: &str, decimals: u32) -> Option<i64> {
    let t = s.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || whole.len() > 16
        || frac.len() > decimals as usize
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (t.ends_with('.') && decimals > 0)
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let mut frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    for _ in frac.len()..decimals as usize {
        frac_value *= 10;
    }
    whole
        .checked_mul(10_i64.pow(decimals))?
        .checked_add(frac_value)
}

/// A non-negative amount of `currency` (`"1250.50"`) in minor units, below `max_units` whole
/// units; more decimals than the currency has, signs, exponents and separators are refused.
pub fn parse_below(
    field: &str,
    s: &str,
    currency: &str,
    max_units: i64,
) -> Result<i64, FieldError> {
    let e = exponent(currency);
    let example = if e == 0 {
        "1250".to_string()
    } else {
        format!("1250.{}", "5".repeat(e as usize))
    };
    let v = parse_fixed(s, e).ok_or_else(|| {
        FieldError::new(
            field,
            format!(
                "must be a non-negative amount with at most {e} decimals in {currency}, such as {example}"
            ),
        )
    })?;
    if i128::from(v) >= i128::from(max_units) * 10_i128.pow(e) {
        return Err(FieldError::new(field, "is too large"));
    }
    Ok(v)
}

/// A non-negative amount of `currency` (`"1250000.50"`) in its minor units.
pub fn parse_amount(field: &str, s: &str, currency: &str) -> Result<i64, FieldError> {
    parse_below(field, s, currency, MAX_UNITS)
}

/// An amount of `currency` when that is known (a valid code), otherwise checked only as a
/// decimal, so a bad amount is named beside a bad currency.
pub fn parse_given(field: &str, s: &str, currency: Option<&str>) -> Result<i64, FieldError> {
    match currency {
        Some(c) => parse_amount(field, s, c),
        None => parse_bound(field, s),
    }
}

/// Checks an amount with its currency (`{field}.amount`, `{field}.currency`), each error named
/// in `val` (the amount first), and gives both when both are good.
pub fn checked(
    val: &mut crate::domain::validation::Validator,
    field: &str,
    amount: &str,
    currency: &str,
) -> Option<(i64, String)> {
    let code = crate::domain::validation::currency(&format!("{field}.currency"), currency);
    let minor = val.check(parse_given(
        &format!("{field}.amount"),
        amount,
        code.as_deref().ok(),
    ));
    let code = val.check(code);
    minor.zip(code)
}

/// A non-negative bound that holds whatever the currency (`"1250.5"`), in thousandths of a
/// whole unit ([`MAX_EXPONENT`] decimals): compare it with an amount scaled to thousandths.
pub fn parse_bound(field: &str, s: &str) -> Result<i64, FieldError> {
    let v = parse_fixed(s, MAX_EXPONENT).ok_or_else(|| {
        FieldError::new(
            field,
            "must be a non-negative amount with at most 3 decimals, such as 1250000.50",
        )
    })?;
    if v >= MAX_UNITS * 10_i64.pow(MAX_EXPONENT) {
        return Err(FieldError::new(field, "is too large"));
    }
    Ok(v)
}

/// A decimal recorded earlier (`"1250.00"` in a history) in minor units of `currency`, rounded
/// half away from zero to its decimals; `None` unless a plain decimal. Lenient where
/// [`parse_amount`] is strict: what was written under other rules is still read.
pub fn read_amount(s: &str, currency: &str) -> Option<i64> {
    let t = s.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || whole.len() > 16
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let e = exponent(currency) as usize;
    let kept: String = frac.chars().chain(std::iter::repeat('0')).take(e).collect();
    let mut v: i64 = format!("{whole}{kept}").parse().ok()?;
    if frac.as_bytes().get(e).is_some_and(|d| *d >= b'5') {
        v = v.checked_add(1)?;
    }
    Some(if negative { -v } else { v })
}

/// Minor units of `currency` (any size: sums of many deals) as a plain decimal with the
/// currency's decimals (`"1250.50"`, `"1250"` for JPY, `"1.250"` for KWD).
pub fn format_wide(minor: i128, currency: &str) -> String {
    let e = exponent(currency);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if e == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10_u128.pow(e);
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = e as usize
    )
}

/// Minor units of `currency` as a plain decimal with the currency's decimals.
pub fn format_amount(minor: i64, currency: &str) -> String {
    format_wide(minor.into(), currency)
}

/// Formats minor units for people: thousands grouped with commas (`"1,250.50"`).
pub fn display_amount(minor: i64, currency: &str) -> String {
    let plain = format_amount(minor, currency);
    let (sign, rest) = plain
        .strip_prefix('-')
        .map_or(("", plain.as_str()), |r| ("-", r));
    let (whole, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// `"1250.00 EUR"`: an amount and its currency as a history records them, or `None`.
pub fn to_text(minor: Option<i64>, currency: &Option<String>) -> Option<String> {
    match (minor, currency) {
        (Some(m), Some(c)) => Some(format!("{} {c}", format_amount(m, c))),
        _ => None,
    }
}

/// Money as the change log records it: `{"amount": "12.50", "currency": "EUR"}`, or `null`.
pub fn to_json(minor: Option<i64>, currency: &Option<String>) -> serde_json::Value {
    match (minor, currency) {
        (Some(m), Some(c)) => serde_json::json!({"amount": format_amount(m, c), "currency": c}),
        _ => serde_json::Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_follow_the_currency_minor_unit() {
        assert_eq!(parse_amount("a", "1250000", "EUR"), Ok(125_000_000));
        assert_eq!(parse_amount("a", "0.5", "USD"), Ok(50));
        assert_eq!(parse_amount("a", "0.99", "USD"), Ok(99));
        assert_eq!(parse_amount("a", "1250", "JPY"), Ok(1250));
        assert_eq!(parse_amount("a", "1.234", "KWD"), Ok(1234));
        assert_eq!(
            parse_amount("a", "999999999999999", "EUR"),
            Ok(99_999_999_999_999_900)
        );
        assert_eq!(format_amount(125_000_000, "EUR"), "1250000.00");
        assert_eq!(format_amount(5, "EUR"), "0.05");
        assert_eq!(format_amount(-5, "EUR"), "-0.05");
        assert_eq!(format_amount(1250, "JPY"), "1250");
        assert_eq!(format_amount(-1234, "KWD"), "-1.234");
        assert_eq!(
            format_wide(10_i128.pow(20), "KWD"),
            "100000000000000000.000"
        );
        assert_eq!(display_amount(123_456_789, "EUR"), "1,234,567.89");
        assert_eq!(display_amount(-100_000, "JPY"), "-100,000");
        for (bad, cur) in [
            ("", "EUR"),
            ("-1", "EUR"),
            ("1.234", "EUR"),
            ("1.5", "JPY"),
            ("1.2345", "KWD"),
            ("1e5", "EUR"),
            ("1,000", "EUR"),
            (".5", "EUR"),
            ("5.", "EUR"),
            ("abc", "EUR"),
            ("99999999999999999", "EUR"),
            ("1000000000000000", "KWD"),
        ] {
            assert!(parse_amount("a", bad, cur).is_err(), "{bad} {cur}");
        }
        let e = parse_amount("amount", "1.5", "JPY").err();
        assert_eq!(e.as_ref().map(|e| e.field.as_str()), Some("amount"));
        assert!(
            e.as_ref()
                .is_some_and(|e| e.message.contains("0 decimals in JPY")),
            "{e:?}"
        );
    }

    #[test]
    fn bounds_hold_across_currencies() {
        assert_eq!(parse_bound("f", "1000.5"), Ok(1_000_500));
        assert_eq!(parse_bound("f", "0.125"), Ok(125));
        assert!(parse_bound("f", "0.1255").is_err());
        assert!(parse_bound("f", "-1").is_err());
    }

    #[test]
    fn recorded_amounts_are_read_in_the_currency_decimals() {
        assert_eq!(read_amount("1250.00", "JPY"), Some(1250));
        assert_eq!(read_amount("1250.50", "JPY"), Some(1251));
        assert_eq!(read_amount("1250.5", "EUR"), Some(125_050));
        assert_eq!(read_amount("1250.505", "EUR"), Some(125_051));
        assert_eq!(read_amount("1.25", "KWD"), Some(1250));
        assert_eq!(read_amount("-3.10", "EUR"), Some(-310));
        assert_eq!(read_amount("1e3", "EUR"), None);
        assert_eq!(read_amount("", "EUR"), None);
        assert_eq!(
            to_text(Some(1250), &Some("JPY".into())).as_deref(),
            Some("1250 JPY")
        );
        assert_eq!(to_json(Some(1250), &Some("KWD".into()))["amount"], "1.250");
    }

    /// Formatting and parsing are inverse for every exponent.
    #[test]
    fn property_amounts_round_trip() {
        let mut x: u64 = 12345;
        for cur in ["EUR", "JPY", "KWD"] {
            for _ in 0..1_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let v = (x % 1_000_000_000_000_000) as i64;
                assert_eq!(parse_amount("a", &format_amount(v, cur), cur), Ok(v));
                assert_eq!(read_amount(&format_amount(v, cur), cur), Some(v));
            }
        }
    }
}
