//! A quote revision as a printable document: exactly the stored figures, formatted for people.

use entity::documents::{quote_lines, quote_revisions, quotes as quote_rows};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::amounts::{display_amount, format_percent, format_quantity};
use super::policy::QUOTE_AMOUNT;
use super::print::{Align, Column, PrintDocument};
use super::quotes::{self, status_on, today};
use crate::auth::RequestCtx;
use crate::domain::parties::identifiers;
use crate::domain::parties::kinds::ContactMechanismKind as Kind;
use crate::domain::parties::policy::{CONTACT_FIELD, TAX_FIELD};
use crate::domain::parties::{mechanisms, service as parties};
use crate::error::{AppError, AppResult};
use crate::policy;

/// The document of a quote the caller may read (its current revision, or `revision`), for the
/// print view and the PDF. Needs `quote.amount`: a quote without its figures is not a quote.
pub async fn document(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    revision: Option<i32>,
) -> AppResult<PrintDocument> {
    let quote = quotes::get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such quote".into()))?;
    policy::require_field_read(ctx, QUOTE_AMOUNT)?;
    let wanted = revision.unwrap_or(quote.revision);
    let rev = quotes::revisions_of(db, &[quote.id])
        .await?
        .remove(&quote.id)
        .unwrap_or_default()
        .into_iter()
        .find(|r| r.revision == wanted)
        .ok_or_else(|| {
            AppError::NotFound(format!("quote {} has no revision {wanted}", quote.number))
        })?;
    let lines = quotes::lines_of(db, &[rev.id])
        .await?
        .remove(&rev.id)
        .unwrap_or_default();
    let mut recipient = Vec::new();
    if let Some(c) = parties::get(db, ctx, quote.customer_id).await? {
        recipient.push(parties::display_name(&c));
        if ctx.actor()?.grants.can_read(CONTACT_FIELD) {
            if let Some(a) = mechanisms::primary(db, c.id, Kind::PostalAddress).await? {
                recipient.extend(address_lines(&a));
            }
        }
        recipient.push(format!("Customer {}", c.code));
        // The customer's tax numbers (a VAT invoice or quote names them), for who may read them.
        if ctx.actor()?.grants.can_read(TAX_FIELD) {
            let taxes = identifiers::tax_ids_of(db, &[c.id]).await?;
            for t in taxes.get(&c.id).map(Vec::as_slice).unwrap_or_default() {
                recipient.push(identifiers::tax_text(&t.kind, &t.country, &t.value));
            }
        }
    }
    let mut issuer = Vec::new();
    if let Some(owner) = crate::domain::users::service::get(db, ctx, quote.owner_id).await? {
        issuer.push(owner.display_name);
        issuer.push(owner.email);
    }
    Ok(build(&quote, &rev, &lines, issuer, recipient))
}

fn address_lines(a: &entity::parties::contact_mechanisms::Model) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = &a.street {
        out.extend(s.lines().map(str::to_string));
    }
    let city = [a.postal_code.as_deref(), a.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !city.is_empty() {
        out.push(city);
    }
    for part in [a.region.as_deref(), a.country.as_deref()]
        .into_iter()
        .flatten()
    {
        out.push(part.to_string());
    }
    if out.is_empty() {
        out.push(a.value.clone());
    }
    out
}

/// The document of one revision (pure: the figures are the stored ones).
pub fn build(
    quote: &quote_rows::Model,
    rev: &quote_revisions::Model,
    lines: &[quote_lines::Model],
    issuer: Vec<String>,
    recipient: Vec<String>,
) -> PrintDocument {
    let cur = rev.currency.as_str();
    let money = |m: i64| display_amount(m, cur);
    let status = if rev.revision == quote.revision {
        status_on(quote, today()).as_str().to_string()
    } else if rev.sent_at.is_some() {
        "SUPERSEDED".to_string()
    } else {
        "DRAFT (SUPERSEDED)".to_string()
    };
    let mut meta = vec![
        ("Quote".to_string(), quote.number.clone()),
        ("Revision".to_string(), rev.revision.to_string()),
        (
            "Date".to_string(),
            rev.sent_at
                .unwrap_or(rev.created_at)
                .date_naive()
                .to_string(),
        ),
        ("Valid until".to_string(), rev.valid_until.to_string()),
        ("Currency".to_string(), rev.currency.clone()),
    ];
    if rev.discount_bp > 0 {
        meta.push((
            "Discount on every line".to_string(),
            format!("{} %", format_percent(rev.discount_bp)),
        ));
    }
    let columns = vec![
        col("#", 0.35, Align::Right),
        col("Item", 3.2, Align::Left),
        col("Qty", 0.8, Align::Right),
        col("Unit", 0.7, Align::Left),
        col("Unit price", 1.2, Align::Right),
        col("Disc. %", 0.7, Align::Right),
        col("Net", 1.3, Align::Right),
        col("Tax %", 0.6, Align::Right),
        col("Total", 1.3, Align::Right),
    ];
    let rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut item = match &l.code {
                Some(c) => format!("{c} {}", l.name),
                None => l.name.clone(),
            };
            if let Some(s) = &l.specification {
                item.push_str(" — ");
                item.push_str(&s.replace('\n', " "));
            }
            vec![
                (i + 1).to_string(),
                item,
                format_quantity(l.quantity_milli),
                l.unit.clone(),
                money(l.unit_price_minor),
                format_percent(l.discount_bp),
                money(l.net_minor),
                format_percent(l.tax_rate_bp),
                money(l.total_minor),
            ]
        })
        .collect();
    let mut totals = vec![("Gross".to_string(), money(rev.gross_minor))];
    if rev.discount_minor != 0 {
        totals.push((
            "Discounts".to_string(),
            format!("-{}", money(rev.discount_minor)),
        ));
    }
    totals.push(("Net".to_string(), money(rev.net_minor)));
    let mut rates: Vec<(String, i32)> = Vec::new();
    for l in lines {
        let k = (l.tax_category.clone(), l.tax_rate_bp);
        if !rates.contains(&k) {
            rates.push(k);
        }
    }
    for (cat, rate) in rates {
        let tax: i64 = lines
            .iter()
            .filter(|l| l.tax_category == cat && l.tax_rate_bp == rate)
            .map(|l| l.tax_minor)
            .sum();
        totals.push((
            format!("Tax {} % ({})", format_percent(rate), cat.to_lowercase()),
            money(tax),
        ));
    }
    totals.push((format!("Total {cur}"), money(rev.total_minor)));
    let mut notes = Vec::new();
    if let Some(n) = &rev.notes {
        notes.push(("Notes".to_string(), n.clone()));
    }
    if let Some(t) = &rev.terms {
        notes.push(("Terms".to_string(), t.clone()));
    }
    PrintDocument {
        title: format!("Quote {}", quote.number),
        subtitle: Some(format!(
            "{} · revision {} · {}",
            quote.title,
            rev.revision,
            status.to_lowercase()
        )),
        issuer,
        recipient,
        meta,
        columns,
        rows,
        totals,
        notes,
    }
}

fn col(header: &str, weight: f32, align: Align) -> Column {
    Column {
        header: header.to_string(),
        weight,
        align,
    }
}
