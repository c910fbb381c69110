//! How values are written on screen. Pure functions, tested below.

use crate::api::accounts::Money;

/// Placeholder for an empty or hidden value.
pub const EMPTY: &str = "—";

/// An amount as the user typed it, ready to send: blanks around it dropped, and
/// thousands separators as this app writes amounts (`1,250,000.50`: commas
/// between groups of three digits) taken out. Anything else (`1,5`, `1.250,00`)
/// is sent as typed, for the server to refuse with its message rather than be
/// read as another number.
pub fn amount_typed(text: &str) -> String {
    let text = text.trim();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (rest, None),
    };
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if !grouped {
        return text.to_owned();
    }
    let mut out = format!("{sign}{}", groups.concat());
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

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

    #[test]
    fn amounts_are_read_as_the_app_writes_them() {
        assert_eq!(amount_typed(" 1,000,000 "), "1000000");
        assert_eq!(amount_typed("1,250,000.50"), "1250000.50");
        assert_eq!(amount_typed("-12,345.6"), "-12345.6");
        assert_eq!(amount_typed("1000000.00"), "1000000.00");
        // Not the app's grouping: sent as typed, for the server to refuse.
        for typed in [
            "1,5",
            "1.250,00",
            "12,34,567",
            "1,0000",
            ",100",
            "1,,000",
            "a,bcd",
        ] {
            assert_eq!(amount_typed(typed), typed, "{typed}");
        }
        // The app's own way of showing an amount reads back as the same number.
        assert_eq!(amount_typed(&group_thousands("9876543.21")), "9876543.21");
    }

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
