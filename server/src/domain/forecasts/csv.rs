//! The sales reports as CSV, under the same row scope and field grants as the API: money columns
//! are left out for a caller who may not read amounts. The opportunities behind the reports stream
//! in keyset pages, so an export of any size runs in flat memory.

use entity::opportunities::opportunities;
use futures_util::stream::{self, Stream};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::graphql::{decimal, ReportFilter, SalesReport};
use super::reports::ReportGrouping;
use crate::auth::RequestCtx;
use crate::domain::opportunities::policy::AMOUNT_FIELD;
use crate::domain::opportunities::service::{self, OpportunityFilter};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::Aggregate;
use crate::policy::{self, Action};
use crate::state::AppState;

/// The reports that have a CSV form, by file name (without `.csv`).
pub const REPORTS: [&str; 5] = [
    "pipeline-by-stage",
    "performance",
    "funnel",
    "slippage",
    "opportunities",
];

pub use crate::kit::csv::{field, line};

fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.4}")).unwrap_or_default()
}

/// A small report (one row per stage or group) as CSV text.
pub async fn report(
    state: &AppState,
    ctx: &RequestCtx,
    name: &str,
    filter: ReportFilter,
    group_by: ReportGrouping,
) -> AppResult<String> {
    let r = SalesReport::new(&state.db, ctx, filter).await?;
    let money = ctx.actor()?.grants.can_read(AMOUNT_FIELD);
    let db = &state.db;
    let mut out = String::new();
    match name {
        "pipeline-by-stage" => {
            out.push_str(if money {
                "stage,count,currency,sum,weighted\n"
            } else {
                "stage,count\n"
            });
            for row in r.stage_rows(db, ctx).await? {
                if money && !row.amounts.is_empty() {
                    for a in &row.amounts {
                        out.push_str(&line(&[
                            row.stage_name.clone(),
                            row.count.to_string(),
                            a.currency.clone(),
                            a.sum.0.clone(),
                            a.weighted.0.clone(),
                        ]));
                    }
                } else {
                    let mut cols = vec![row.stage_name.clone(), row.count.to_string()];
                    if money {
                        cols.extend([String::new(), String::new(), String::new()]);
                    }
                    out.push_str(&line(&cols));
                }
            }
        }
        "performance" => {
            out.push_str(if money {
                "group,won,lost,win_rate,average_cycle_days,currency,won_amount,average_deal_size\n"
            } else {
                "group,won,lost,win_rate,average_cycle_days\n"
            });
            for row in r.performance_rows(db, ctx, group_by).await? {
                let base = vec![
                    row.label.clone(),
                    row.won.to_string(),
                    row.lost.to_string(),
                    opt(row.win_rate),
                    opt(row.average_cycle_days),
                ];
                if money && !row.amounts.is_empty() {
                    for a in &row.amounts {
                        let mut cols = base.clone();
                        cols.extend([
                            a.currency.clone(),
                            a.won.0.clone(),
                            a.average_deal_size.0.clone(),
                        ]);
                        out.push_str(&line(&cols));
                    }
                } else {
                    let mut cols = base;
                    if money {
                        cols.extend([String::new(), String::new(), String::new()]);
                    }
                    out.push_str(&line(&cols));
                }
            }
        }
        "funnel" => {
            out.push_str("stage,entered,won,lost,advanced,conversion\n");
            for row in r.funnel_rows(state, ctx).await? {
                out.push_str(&line(&[
                    row.stage_name,
                    row.entered.to_string(),
                    row.won.to_string(),
                    row.lost.to_string(),
                    row.advanced.map(|a| a.to_string()).unwrap_or_default(),
                    opt(row.conversion),
                ]));
            }
        }
        "slippage" => {
            out.push_str("group,opportunities,slipped,pushes,average_slip_days\n");
            for row in r.slippage_rows(state, ctx, group_by).await? {
                out.push_str(&line(&[
                    row.label,
                    row.opportunities.to_string(),
                    row.slipped.to_string(),
                    row.pushes.to_string(),
                    opt(row.average_slip_days),
                ]));
            }
        }
        _ => return Err(AppError::NotFound("no such report".into())),
    }
    Ok(out)
}

/// Rows per page of the streamed export.
const PAGE: u64 = 1_000;

/// The opportunities in a report's scope as a CSV stream: the header, then one page of rows at a
/// time (keyset on id), each page read under the caller's row scope.
pub async fn opportunities_stream(
    state: AppState,
    ctx: RequestCtx,
    filter: ReportFilter,
) -> AppResult<impl Stream<Item = Result<String, std::io::Error>>> {
    policy::authorize(
        &ctx,
        crate::domain::opportunities::policy::OpportunityObject::OBJECT,
        Action::Export,
    )?;
    let report = SalesReport::new(&state.db, &ctx, filter).await?;
    let f: OpportunityFilter = report.opportunity_filter();
    let money = ctx.actor()?.grants.can_read(AMOUNT_FIELD);
    let header = if money {
        "code,name,owner_id,stage_id,status,close_date,probability,currency,amount\n"
    } else {
        "code,name,owner_id,stage_id,status,close_date,probability\n"
    };
    let empty = report.covers_nobody();
    let first = stream::once(async move { Ok::<_, std::io::Error>(header.to_string()) });
    let pages = stream::unfold(
        (Some(Uuid::nil()), state, ctx, f),
        move |(after, state, ctx, f)| async move {
            let after = after?;
            if empty {
                return None;
            }
            let page = async {
                use opportunities::Column as C;
                let rows = service::visible(&ctx)?
                    .filter(f.condition(&ctx)?)
                    .filter(C::Id.gt(after))
                    .order_by_asc(C::Id)
                    .limit(PAGE)
                    .all(&state.db)
                    .await?;
                AppResult::Ok(rows)
            }
            .await;
            match page {
                Err(e) => Some((
                    Err(std::io::Error::other(e.message())),
                    (None, state, ctx, f),
                )),
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let next = (rows.len() as u64 == PAGE).then(|| rows[rows.len() - 1].id);
                    let mut text = String::new();
                    for o in rows {
                        let mut cols = vec![
                            o.code,
                            o.name,
                            o.owner_id.to_string(),
                            o.stage_id.to_string(),
                            o.status,
                            o.close_date.map(|d| d.to_string()).unwrap_or_default(),
                            o.probability.to_string(),
                        ];
                        if money {
                            let currency = o.currency.unwrap_or_default();
                            let amount = o
                                .amount_minor
                                .map(|a| decimal(a.into(), &currency).0)
                                .unwrap_or_default();
                            cols.push(currency);
                            cols.push(amount);
                        }
                        text.push_str(&line(&cols));
                    }
                    Some((Ok(text), (next, state, ctx, f)))
                }
            }
        },
    );
    // Fused: a compressing body polls again after the end, which a bare `unfold` refuses.
    Ok(futures_util::StreamExt::fuse(
        futures_util::StreamExt::chain(first, pages),
    ))
}
