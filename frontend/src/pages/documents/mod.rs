//! Sales documents: enquiries (list, page, form), quotes (list, new, the quote's page with its
//! line editor, revisions and PDF) and the product catalogue. The live totals of the line editors
//! follow the server's rounding rule (each line rounded half away from zero, the totals the sums
//! of the lines); the server's figures are the ones stored and printed.

mod editor;
pub mod enquiries;
mod enquiry_form;
mod new;
mod price_lists;
mod product;
pub mod products;
pub mod quote;
pub mod quotes;
pub mod routes;

use crate::api::accounts::Money;

/// The number of decimals of a currency's minor unit (ISO 4217).
pub fn exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// A non-negative decimal with at most `decimals` decimals as an integer of that scale
/// (`"12.5"`, 2 → 1250); thousands separators as the app writes them are accepted.
pub fn fixed(text: &str, decimals: u32) -> Option<i128> {
    let t = crate::format::amount_typed(text);
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || whole.len() > 15
        || frac.len() > decimals as usize
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut v: i128 = whole.parse().ok()?;
    for i in 0..decimals as usize {
        v = v * 10 + frac.as_bytes().get(i).map_or(0, |b| i128::from(b - b'0'));
    }
    Some(v)
}

/// `n / d` rounded half away from zero (`d > 0`).
fn div_round(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// A line as typed in the editor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineDraft {
    pub quantity: String,
    pub unit_price: String,
    pub discount: String,
    pub tax_rate: String,
}

/// A line's net and tax in minor units, as the server will round them; `None` while a value
/// is not a valid number.
pub fn line_figures(
    line: &LineDraft,
    header_discount: &str,
    currency: &str,
) -> Option<(i128, i128)> {
    let e = exponent(currency);
    let quantity = fixed(&line.quantity, 3)?;
    let price = fixed(&line.unit_price, e)?;
    let discount = if line.discount.trim().is_empty() {
        0
    } else {
        fixed(&line.discount, 2)?
    };
    let header = if header_discount.trim().is_empty() {
        0
    } else {
        fixed(header_discount, 2)?
    };
    let rate = fixed(&line.tax_rate, 2)?;
    if quantity == 0 || discount > 10_000 || header > 10_000 {
        return None;
    }
    let gross = div_round(quantity * price, 1000);
    let net = div_round(gross * (10_000 - discount) * (10_000 - header), 100_000_000);
    let tax = div_round(net * rate, 10_000);
    Some((net, tax))
}

/// Minor units of `currency` as money to show.
pub fn money_of(minor: i128, currency: &str) -> Money {
    let e = exponent(currency);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let amount = if e == 0 {
        format!("{sign}{abs}")
    } else {
        let scale = 10_u128.pow(e);
        format!("{sign}{}.{:0w$}", abs / scale, abs % scale, w = e as usize)
    };
    Money {
        amount,
        currency: currency.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(q: &str, p: &str, d: &str, t: &str) -> LineDraft {
        LineDraft {
            quantity: q.into(),
            unit_price: p.into(),
            discount: d.into(),
            tax_rate: t.into(),
        }
    }

    #[test]
    fn lines_round_like_the_server() {
        // 3 × 17.00 less 10 % and then 5 %: 43.605 → 43.61; tax 20 % 8.722 → 8.72.
        assert_eq!(
            line_figures(&line("3", "17", "10", "20"), "5", "EUR"),
            Some((4361, 872))
        );
        // 1 × 99.99 less 5 %: 94.9905 → 94.99.
        assert_eq!(
            line_figures(&line("1", "99.99", "", "0"), "5", "EUR"),
            Some((9499, 0))
        );
        assert_eq!(
            line_figures(&line("2.5", "80", "", "7"), "", "EUR"),
            Some((20000, 1400))
        );
        assert_eq!(
            line_figures(&line("1", "1,250", "", "0"), "", "JPY"),
            Some((1250, 0))
        );
        assert_eq!(line_figures(&line("0", "1", "", "0"), "", "EUR"), None);
        assert_eq!(line_figures(&line("1", "1.001", "", "0"), "", "EUR"), None);
        assert_eq!(money_of(35062, "EUR").amount, "350.62");
        assert_eq!(money_of(1234, "KWD").amount, "1.234");
    }
}
