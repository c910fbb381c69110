//! The revenue report as CSV (`GET /reports/revenue-….csv`): the same figures as the API's
//! `revenueReport`, for callers with the invoice export grant. Customers the caller may not read
//! are named by nothing but their figures.

use std::collections::HashMap;

use entity::parties::parties;
use sea_orm::{ColumnTrait, QueryFilter};
use uuid::Uuid;

use super::graphql::{period_label, revenue_scope, top_arg, RevenueFilterInput};
use super::policy::InvoiceObject;
use super::revenue;
use crate::auth::RequestCtx;
use crate::domain::documents::amounts::{format_amount, format_quantity};
use crate::domain::forecasts::csv::line;
use crate::domain::parties::policy::PartyObject;
use crate::domain::parties::service::display_name;
use crate::error::AppResult;
use crate::kit::aggregate::{self, Aggregate};
use crate::policy::{self, Action};
use crate::state::AppState;

/// The revenue reports that have a CSV form, by file name (without `.csv`).
pub const REPORTS: [&str; 4] = [
    "revenue-by-period",
    "revenue-by-customer",
    "revenue-trends",
    "revenue-by-product",
];

/// Names of the customers the caller may read, by id.
async fn names(
    state: &AppState,
    ctx: &RequestCtx,
    ids: Vec<Uuid>,
) -> AppResult<HashMap<Uuid, String>> {
    if ids.is_empty() || policy::authorize(ctx, PartyObject::OBJECT, Action::Read).is_err() {
        return Ok(HashMap::new());
    }
    Ok(aggregate::visible::<PartyObject>(ctx, Action::Read)?
        .filter(parties::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, display_name(&p)))
        .collect())
}

/// One report as CSV text.
pub async fn report(
    state: &AppState,
    ctx: &RequestCtx,
    name: &str,
    filter: RevenueFilterInput,
    top: Option<i32>,
) -> AppResult<String> {
    policy::authorize(ctx, InvoiceObject::OBJECT, Action::Export)?;
    let scope = revenue_scope(&state.db, filter).await?;
    let top = top_arg(top)?;
    let db = &state.db;
    let mut out = String::new();
    match name {
        "revenue-by-period" => {
            out.push_str("period,start,end,currency,net,gross,invoices,credit_notes\n");
            for r in revenue::by_period(db, ctx, &scope).await? {
                let Some(p) = r.period else { continue };
                out.push_str(&line(&[
                    period_label(&r),
                    p.start.to_string(),
                    p.end().to_string(),
                    r.currency.clone(),
                    format_amount(r.net, &r.currency),
                    format_amount(r.gross, &r.currency),
                    r.invoices.to_string(),
                    r.credit_notes.to_string(),
                ]));
            }
        }
        "revenue-by-customer" => {
            out.push_str("customer,currency,net,invoices,share_percent\n");
            let rows = revenue::top_customers(db, ctx, &scope, top).await?;
            let names = names(state, ctx, rows.iter().map(|r| r.customer).collect()).await?;
            for r in rows {
                let share = (r.of_total > 0).then(|| r.net as f64 * 100.0 / r.of_total as f64);
                out.push_str(&line(&[
                    names.get(&r.customer).cloned().unwrap_or_default(),
                    r.currency.clone(),
                    format_amount(r.net, &r.currency),
                    r.invoices.to_string(),
                    share.map(|s| format!("{s:.1}")).unwrap_or_default(),
                ]));
            }
        }
        "revenue-trends" => {
            out.push_str("customer,currency,current,previous,change,change_percent\n");
            let rows = revenue::trends(db, ctx, &scope, top).await?;
            let names = names(state, ctx, rows.iter().map(|r| r.customer).collect()).await?;
            for r in rows {
                out.push_str(&line(&[
                    names.get(&r.customer).cloned().unwrap_or_default(),
                    r.currency.clone(),
                    format_amount(r.current, &r.currency),
                    format_amount(r.previous, &r.currency),
                    format_amount(r.change(), &r.currency),
                    r.change_percent()
                        .map(|p| format!("{p:.1}"))
                        .unwrap_or_default(),
                ]));
            }
        }
        _ => {
            out.push_str("code,product,currency,quantity,net\n");
            for r in revenue::top_products(db, ctx, &scope, top).await? {
                out.push_str(&line(&[
                    r.code.clone().unwrap_or_default(),
                    r.name.clone(),
                    r.currency.clone(),
                    format_quantity(r.quantity_milli),
                    format_amount(r.net, &r.currency),
                ]));
            }
        }
    }
    Ok(out)
}
