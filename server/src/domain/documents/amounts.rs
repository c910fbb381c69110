//! Exact document arithmetic: amounts in a currency's minor units (ISO 4217: 0, 2 or 3
//! decimals), quantities in thousandths, percentages in basis points; no floats anywhere.
//!
//! The rounding rule: every line is priced and rounded on its own, half away from zero to the
//! currency's minor unit, in this order: gross = quantity × unit price; net = gross less the line
//! discount and then the header discount (both as percentages of what is left); tax = net × the
//! line's tax rate; total = net + tax. A document's figures are the sums of its rounded lines, so a
//! total always equals the sum of what its lines show.

use crate::error::FieldError;

use crate::domain::money::{self, parse_fixed};
pub use crate::domain::money::{display_amount, exponent, format_amount};

/// Largest quantity, in whole units.
const MAX_QUANTITY: i64 = 1_000_000_000;
/// Largest amount of a document's price or payment, in whole units.
const MAX_UNITS: i64 = 1_000_000_000_000;

/// Parses a non-negative amount of `currency` (`"1250.50"`) into minor units; more decimals than
/// the currency has, signs, exponents and separators are refused.
pub fn parse_amount(field: &str, s: &str, currency: &str) -> Result<i64, FieldError> {
    money::parse_below(field, s, currency, MAX_UNITS)
}

/// Parses a positive quantity with at most three decimals into thousandths.
pub fn parse_quantity(field: &str, s: &str) -> Result<i64, FieldError> {
    match parse_fixed(s, 3) {
        Some(q) if q > 0 && q <= MAX_QUANTITY * 1000 => Ok(q),
        Some(0) => Err(FieldError::new(field, "must be more than 0")),
        Some(_) => Err(FieldError::new(field, "is too large")),
        None => Err(FieldError::new(
            field,
            "must be a positive number with at most 3 decimals, such as 2.5",
        )),
    }
}

/// Formats thousandths as a quantity without trailing zeros (`2500` → `"2.5"`).
pub fn format_quantity(milli: i64) -> String {
    let whole = milli / 1000;
    let frac = (milli % 1000).abs();
    if frac == 0 {
        return whole.to_string();
    }
    let f = format!("{frac:03}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}

/// Parses a percentage from 0 to 100 with at most two decimals into basis points.
pub fn parse_percent(field: &str, s: &str) -> Result<i32, FieldError> {
    match parse_fixed(s, 2) {
        Some(p) if p <= 10_000 => Ok(p as i32),
        _ => Err(FieldError::new(
            field,
            "must be a percentage from 0 to 100 with at most 2 decimals, such as 12.5",
        )),
    }
}

/// Formats basis points as a percentage without trailing zeros (`1250` → `"12.5"`).
pub fn format_percent(bp: i32) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        return whole.to_string();
    }
    let f = format!("{frac:02}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}

/// `n / d` rounded half away from zero (`d > 0`).
pub fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// A line as entered: quantity, unit price, discount and tax rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInput {
    pub quantity_milli: i64,
    pub unit_price_minor: i64,
    pub discount_bp: i32,
    pub tax_rate_bp: i32,
}

/// A priced line, every figure rounded to the minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineFigures {
    pub gross: i64,
    pub discount: i64,
    pub net: i64,
    pub tax: i64,
    pub total: i64,
}

/// Prices one line under the document's header discount (basis points).
pub fn price_line(line: LineInput, header_discount_bp: i32) -> LineFigures {
    let gross = div_round(
        i128::from(line.quantity_milli) * i128::from(line.unit_price_minor),
        1000,
    );
    let keep = i128::from(10_000 - line.discount_bp) * i128::from(10_000 - header_discount_bp);
    let net = div_round(gross * keep, 100_000_000);
    let tax = div_round(net * i128::from(line.tax_rate_bp), 10_000);
    let clamp = |v: i128| i64::try_from(v).unwrap_or(i64::MAX);
    LineFigures {
        gross: clamp(gross),
        discount: clamp(gross - net),
        net: clamp(net),
        tax: clamp(tax),
        total: clamp(net + tax),
    }
}

/// The document's figures: the sums of its lines.
pub fn sum(lines: &[LineFigures]) -> LineFigures {
    lines
        .iter()
        .fold(LineFigures::default(), |a, l| LineFigures {
            gross: a.gross.saturating_add(l.gross),
            discount: a.discount.saturating_add(l.discount),
            net: a.net.saturating_add(l.net),
            tax: a.tax.saturating_add(l.tax),
            total: a.total.saturating_add(l.total),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator for the property tests.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self, below: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % below
        }
    }

    #[test]
    fn amounts_follow_the_currency_minor_unit() {
        assert_eq!(parse_amount("p", "1250.5", "EUR"), Ok(125_050));
        assert_eq!(parse_amount("p", "1250", "JPY"), Ok(1250));
        assert!(parse_amount("p", "1250.5", "JPY").is_err());
        assert_eq!(parse_amount("p", "1.234", "KWD"), Ok(1234));
        assert!(parse_amount("p", "1.2345", "KWD").is_err());
        for bad in ["", "-1", "1e3", "1,000", ".5", "5.", "abc", " 1 2"] {
            assert!(parse_amount("p", bad, "EUR").is_err(), "{bad}");
        }
        assert_eq!(format_amount(125_050, "EUR"), "1250.50");
        assert_eq!(format_amount(1250, "JPY"), "1250");
        assert_eq!(format_amount(-1234, "KWD"), "-1.234");
        assert_eq!(display_amount(123_456_789, "EUR"), "1,234,567.89");
        assert_eq!(display_amount(-100_000, "JPY"), "-100,000");
        assert_eq!(display_amount(5, "EUR"), "0.05");
    }

    #[test]
    fn quantities_and_percentages() {
        assert_eq!(parse_quantity("q", "2.5"), Ok(2500));
        assert_eq!(parse_quantity("q", "1"), Ok(1000));
        assert!(parse_quantity("q", "0").is_err());
        assert!(parse_quantity("q", "0.0001").is_err());
        assert_eq!(format_quantity(2500), "2.5");
        assert_eq!(format_quantity(3000), "3");
        assert_eq!(format_quantity(1), "0.001");
        assert_eq!(parse_percent("d", "12.5"), Ok(1250));
        assert_eq!(parse_percent("d", "100"), Ok(10_000));
        assert!(parse_percent("d", "100.01").is_err());
        assert_eq!(format_percent(1250), "12.5");
        assert_eq!(format_percent(2000), "20");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(15, 10), 2);
        assert_eq!(div_round(25, 10), 3);
    }

    #[test]
    fn a_line_is_priced_in_the_stated_order() {
        // 3 × 19.99 = 59.97; less 10 % and then 5 % (× 0.9 × 0.95) = 51.27435 → 51.27, so the
        // discount is 8.70; tax 20 % of 51.27 = 10.254 → 10.25.
        let l = price_line(
            LineInput {
                quantity_milli: 3000,
                unit_price_minor: 1999,
                discount_bp: 1000,
                tax_rate_bp: 2000,
            },
            500,
        );
        assert_eq!(
            l,
            LineFigures {
                gross: 5997,
                discount: 870,
                net: 5127,
                tax: 1025,
                total: 6152,
            }
        );
        // Half a cent rounds up: 0.5 × 0.01 = 0.005 → 0.01.
        let half = price_line(
            LineInput {
                quantity_milli: 500,
                unit_price_minor: 1,
                discount_bp: 0,
                tax_rate_bp: 0,
            },
            0,
        );
        assert_eq!(half.gross, 1);
    }

    /// For random lines: every figure is within half a minor unit of the exact value, the parts
    /// add up on every line, and the document's figures are exactly the sums of its lines.
    #[test]
    fn property_lines_round_once_and_totals_are_sums_of_lines() {
        let mut g = Gen(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2_000 {
            let header = g.next(5_001) as i32;
            let n = 1 + g.next(30) as usize;
            let mut figures = Vec::new();
            for _ in 0..n {
                let line = LineInput {
                    quantity_milli: 1 + g.next(100_000_000) as i64,
                    unit_price_minor: g.next(100_000_000) as i64,
                    discount_bp: g.next(10_001) as i32,
                    tax_rate_bp: g.next(3_001) as i32,
                };
                let f = price_line(line, header);
                // Exact gross in thousandths of a minor unit.
                let exact_gross =
                    i128::from(line.quantity_milli) * i128::from(line.unit_price_minor);
                assert!((i128::from(f.gross) * 1000 - exact_gross).abs() <= 500);
                let keep = i128::from(10_000 - line.discount_bp) * i128::from(10_000 - header);
                let exact_net = i128::from(f.gross) * keep;
                assert!((i128::from(f.net) * 100_000_000 - exact_net).abs() <= 50_000_000);
                let exact_tax = i128::from(f.net) * i128::from(line.tax_rate_bp);
                assert!((i128::from(f.tax) * 10_000 - exact_tax).abs() <= 5_000);
                assert_eq!(f.gross - f.discount, f.net);
                assert_eq!(f.net + f.tax, f.total);
                assert!(f.net >= 0 && f.tax >= 0 && f.discount >= 0);
                figures.push(f);
            }
            let t = sum(&figures);
            assert_eq!(t.total, figures.iter().map(|f| f.total).sum::<i64>());
            assert_eq!(t.net, figures.iter().map(|f| f.net).sum::<i64>());
            assert_eq!(t.tax, figures.iter().map(|f| f.tax).sum::<i64>());
            assert_eq!(t.net + t.tax, t.total);
            assert_eq!(t.gross - t.discount, t.net);
        }
    }

    /// Formatting and parsing are inverse for every exponent.
    #[test]
    fn property_amounts_round_trip() {
        let mut g = Gen(12345);
        for cur in ["EUR", "JPY", "KWD"] {
            for _ in 0..1_000 {
                let v = g.next(1_000_000_000_000) as i64;
                assert_eq!(parse_amount("a", &format_amount(v, cur), cur), Ok(v));
            }
        }
    }
}
