//! A quote's lines as entered, validated, priced from the price lists where no price is given,
//! and rounded line by line (see `amounts`).

use std::collections::HashMap;

use entity::documents::{products, quote_lines};
use uuid::Uuid;

use super::super::amounts::{self, LineInput};
use super::super::policy::DISCOUNT_LIMIT_BP;
use super::super::prices::{self, PriceFor};
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};

/// A line as a client gives it. With a product, name, unit, tax category and unit price default to
/// the product's (the price resolved from the price lists); without one, name and unit price are
/// required.
#[derive(Debug, Clone, Default)]
pub struct LineIn {
    pub product_id: Option<Uuid>,
    pub name: Option<String>,
    pub specification: Option<String>,
    pub unit: Option<String>,
    pub quantity: String,
    pub unit_price: Option<String>,
    pub discount_percent: Option<String>,
    pub tax_category: Option<String>,
}

/// Most lines one revision holds.
pub const MAX_LINES: usize = 500;

/// What pricing needs to know of the quote.
pub struct Pricing<'a> {
    pub price_for: PriceFor<'a>,
    pub header_discount_bp: i32,
    pub products: &'a [products::Model],
    /// Tax rates by category.
    pub tax_rates: &'a HashMap<String, i32>,
}

/// Validated, priced lines for `revision`, and whether any discount exceeds the limit or any
/// price was given by hand.
pub struct Priced {
    pub lines: Vec<quote_lines::Model>,
    pub large_discount: bool,
    pub manual_price: bool,
}

/// Validates and prices `input` (every error at once, each naming `lines.N.field`).
pub async fn price(
    db: &impl sea_orm::ConnectionTrait,
    revision: Uuid,
    input: &[LineIn],
    p: &Pricing<'_>,
) -> AppResult<Priced> {
    let currency = p.price_for.currency;
    if input.len() > MAX_LINES {
        return Err(AppError::bad_input(
            "lines",
            format!("at most {MAX_LINES} lines"),
        ));
    }
    let wanted: Vec<Uuid> = input
        .iter()
        .filter(|l| l.unit_price.is_none())
        .filter_map(|l| l.product_id)
        .collect();
    let resolved = prices::resolve(db, p.price_for, &wanted).await?;
    let mut val = Validator::default();
    let mut out = Vec::new();
    let mut large_discount = p.header_discount_bp > DISCOUNT_LIMIT_BP;
    let mut manual_price = false;
    for (i, l) in input.iter().enumerate() {
        let f = |name: &str| format!("lines.{i}.{name}");
        let product = match l.product_id {
            Some(id) => match p.products.iter().find(|m| m.id == id) {
                Some(m) if m.active => Some(m),
                Some(_) => {
                    val.push(&f("productId"), "is an inactive product");
                    None
                }
                None => {
                    val.push(&f("productId"), "is not a product");
                    None
                }
            },
            None => None,
        };
        let name = match (&l.name, product) {
            (Some(n), _) if !n.trim().is_empty() => val.check(v::required_text(&f("name"), n, 200)),
            (_, Some(m)) => Some(m.name.clone()),
            _ => {
                val.push(&f("name"), "is required for a line without a product");
                None
            }
        };
        let specification = val
            .given(l.specification.as_deref(), |s| {
                v::long_text(&f("specification"), s, 4000)
            })
            .flatten();
        let unit = match (&l.unit, product) {
            (Some(u), _) if !u.trim().is_empty() => val.check(v::required_text(&f("unit"), u, 20)),
            (_, Some(m)) => Some(m.unit.clone()),
            _ => Some("each".to_string()),
        };
        let quantity = val.check(amounts::parse_quantity(&f("quantity"), &l.quantity));
        let unit_price = match (&l.unit_price, product) {
            (Some(s), _) => {
                manual_price = true;
                val.check(amounts::parse_amount(&f("unitPrice"), s, currency))
            }
            (None, Some(m)) => match resolved.get(&m.id) {
                Some((price, _)) => Some(*price),
                None => {
                    val.push(
                        &f("unitPrice"),
                        format!("is required: product {} has no price in {currency}", m.code),
                    );
                    None
                }
            },
            (None, None) => {
                val.push(&f("unitPrice"), "is required for a line without a product");
                None
            }
        };
        let discount = match &l.discount_percent {
            Some(s) => val.check(amounts::parse_percent(&f("discountPercent"), s)),
            None => Some(0),
        };
        if discount.is_some_and(|d| d > DISCOUNT_LIMIT_BP) {
            large_discount = true;
        }
        let tax_category = match (&l.tax_category, product) {
            (Some(t), _) => {
                let t = t.trim().to_ascii_uppercase();
                if p.tax_rates.contains_key(&t) {
                    Some(t)
                } else {
                    val.push(&f("taxCategory"), "is not a tax category");
                    None
                }
            }
            (None, Some(m)) => Some(m.tax_category.clone()),
            (None, None) => Some("STANDARD".to_string()),
        };
        if let (
            Some(name),
            Some(unit),
            Some(quantity_milli),
            Some(unit_price_minor),
            Some(discount_bp),
            Some(tax_category),
        ) = (name, unit, quantity, unit_price, discount, tax_category)
        {
            let tax_rate_bp = p.tax_rates.get(&tax_category).copied().unwrap_or(0);
            let fig = amounts::price_line(
                LineInput {
                    quantity_milli,
                    unit_price_minor,
                    discount_bp,
                    tax_rate_bp,
                },
                p.header_discount_bp,
            );
            let cost_minor = product.and_then(|m| match (m.cost_minor, &m.cost_currency) {
                (Some(c), Some(cur)) if cur == currency => i64::try_from(amounts::div_round(
                    i128::from(c) * i128::from(quantity_milli),
                    1000,
                ))
                .ok(),
                _ => None,
            });
            out.push(quote_lines::Model {
                id: Uuid::new_v4(),
                revision_id: revision,
                position: i as i32,
                product_id: product.map(|m| m.id),
                code: product.map(|m| m.code.clone()),
                name,
                specification,
                unit,
                quantity_milli,
                unit_price_minor,
                discount_bp,
                tax_category,
                tax_rate_bp,
                gross_minor: fig.gross,
                discount_minor: fig.discount,
                net_minor: fig.net,
                tax_minor: fig.tax,
                total_minor: fig.total,
                cost_minor,
            });
        }
    }
    val.finish()?;
    Ok(Priced {
        lines: out,
        large_discount,
        manual_price,
    })
}

/// The figures of stored lines, for the revision's totals.
pub fn figures(lines: &[quote_lines::Model]) -> amounts::LineFigures {
    amounts::sum(
        &lines
            .iter()
            .map(|l| amounts::LineFigures {
                gross: l.gross_minor,
                discount: l.discount_minor,
                net: l.net_minor,
                tax: l.tax_minor,
                total: l.total_minor,
            })
            .collect::<Vec<_>>(),
    )
}
