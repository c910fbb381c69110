//! How values are written on screen. Pure functions, tested below.

use crate::api::accounts::Money;

/// Placeholder for an empty or hidden value.
pub const EMPTY: &str = "—";

/// `"1250000.00"`, `"EUR"` → `"1,250,000.00 EUR"`. Anything that is not a plain
/// decimal is shown as the server sent it.
pub fn money(money: &Money) -> String {
    format!("{} {}", group_thousands(&money.amount), money.currency)
}

fn group_thousands(amount: &str) -> String {
    let (sign, digits) = match amount.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", amount),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return amount.to_owned();
    }
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(frac) => format!("{sign}{grouped}.{frac}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The calendar date (UTC) of an RFC 3339 time: `"2024-05-02T10:00:00Z"` → `"2024-05-02"`.
pub fn date(rfc3339: &str) -> String {
    rfc3339.get(..10).unwrap_or(rfc3339).to_owned()
}

/// Date and minute (UTC) of an RFC 3339 time: `"2024-05-02T10:00:59Z"` → `"2024-05-02 10:00"`.
pub fn date_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => rfc3339.to_owned(),
    }
}

/// `"42 accounts"`, `"1 account"`.
pub fn count(n: i64, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// An optional text, or [`EMPTY`].
pub fn or_empty(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => v.to_owned(),
        _ => EMPTY.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(amount: &str) -> Money {
        Money {
            amount: amount.into(),
            currency: "EUR".into(),
        }
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(money(&m("1250000.00")), "1,250,000.00 EUR");
        assert_eq!(money(&m("999.5")), "999.5 EUR");
        assert_eq!(money(&m("1000")), "1,000 EUR");
        assert_eq!(money(&m("-12345.67")), "-12,345.67 EUR");
        assert_eq!(money(&m("0.00")), "0.00 EUR");
        assert_eq!(money(&m("1e6")), "1e6 EUR");
    }

    #[test]
    fn dates_and_counts() {
        assert_eq!(date("2024-05-02T10:00:00Z"), "2024-05-02");
        assert_eq!(date("bad"), "bad");
        assert_eq!(date_time("2024-05-02T10:00:59.123Z"), "2024-05-02 10:00");
        assert_eq!(date_time("2024-05-02"), "2024-05-02");
        assert_eq!(count(42, "account", "accounts"), "42 accounts");
        assert_eq!(count(1, "account", "accounts"), "1 account");
        assert_eq!(count(0, "account", "accounts"), "0 accounts");
        assert_eq!(or_empty(None), EMPTY);
        assert_eq!(or_empty(Some("")), EMPTY);
        assert_eq!(or_empty(Some("Retail")), "Retail");
    }
}
