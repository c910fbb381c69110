//! Quotes: reads under the caller's row scope (lists with search by number, customer or product;
//! one quote; its revisions and their lines) and, in `write.rs`, the status flow draft → sent →
//! accepted / rejected, with revisions. A sent revision never changes; a sent quote past its
//! validity reads as `EXPIRED` (decided by the date, no job needed).

use std::collections::HashMap;

use async_graphql::Enum;
use chrono::NaiveDate;
use entity::documents::{quote_lines, quote_revisions, quotes};
use entity::parties::parties;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::amounts;
use super::policy::QuoteObject;
use crate::auth::RequestCtx;
use crate::error::AppResult;
use crate::kit::aggregate;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::policy::Action;

pub mod lines;
mod write;

pub use lines::LineIn;
pub use write::*;

stored_enum!(
    /// Where a quote stands.
    QuoteStatus {
        /// Being written; lines and terms may change.
        Draft => "DRAFT",
        /// Sent to the customer; the revision is frozen.
        Sent => "SENT",
        Accepted => "ACCEPTED",
        Rejected => "REJECTED",
        /// Sent, and its validity has passed.
        Expired => "EXPIRED",
    }
);

crate::versioned!(quotes, <QuoteObject as crate::kit::aggregate::Aggregate>::OBJECT, stamps updated_by, kept [CreatedAt, CreatedBy, Number], |m| vec![
    ("title", json!(m.title)),
    ("customerId", json!(m.customer_id)),
    ("opportunityId", json!(m.opportunity_id)),
    ("ownerId", json!(m.owner_id)),
    ("status", json!(m.status)),
    ("revision", json!(m.revision)),
    ("currency", json!(m.currency)),
    ("validUntil", json!(m.valid_until)),
    ("net", json!(amounts::format_amount(m.net_minor, &m.currency))),
    ("total", json!(amounts::format_amount(m.total_minor, &m.currency))),
    ("decisionNote", json!(m.decision_note)),
]);

/// The status a quote reads as on `today`: a sent quote past its validity is expired.
pub fn status_on(m: &quotes::Model, today: NaiveDate) -> QuoteStatus {
    match QuoteStatus::parse(&m.status).unwrap_or(QuoteStatus::Draft) {
        QuoteStatus::Sent if m.valid_until < today => QuoteStatus::Expired,
        s => s,
    }
}

/// Today, as quotes' validity counts it (UTC).
pub fn today() -> NaiveDate {
    crate::db::now().date_naive()
}

/// Filter of the quote list.
#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Matches the number, the customer's name or code, or a line's product code or name.
    pub search: Option<String>,
    pub statuses: Vec<QuoteStatus>,
    pub customer_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
}

const ORDERING: &str = "CREATED_DESC";

fn like(s: &str) -> String {
    format!("%{}%", s.to_lowercase().replace(['%', '_'], ""))
}

/// Quotes having a revision with a line matching `line`.
fn with_line(line: Condition) -> Condition {
    let revisions = Query::select()
        .column(quote_revisions::Column::QuoteId)
        .from(quote_revisions::Entity)
        .and_where(
            Expr::col((quote_revisions::Entity, quote_revisions::Column::Id)).in_subquery(
                Query::select()
                    .column(quote_lines::Column::RevisionId)
                    .from(quote_lines::Entity)
                    .cond_where(line)
                    .to_owned(),
            ),
        )
        .to_owned();
    Condition::all().add(quotes::Column::Id.in_subquery(revisions))
}

fn condition(f: &QuoteFilter, today: NaiveDate) -> Condition {
    let mut c = Condition::all();
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = like(s);
        let customers = Query::select()
            .column(parties::Column::Id)
            .from(parties::Entity)
            .cond_where(
                Condition::any()
                    .add(Expr::col(parties::Column::SortName).like(pattern.clone()))
                    .add(
                        Expr::expr(Func::lower(Expr::col(parties::Column::Code)))
                            .like(pattern.clone()),
                    ),
            )
            .to_owned();
        c = c.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(quotes::Column::Number)))
                        .like(pattern.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(quotes::Column::Title))).like(pattern.clone()),
                )
                .add(quotes::Column::CustomerId.in_subquery(customers))
                .add(with_line(
                    Condition::any()
                        .add(
                            Expr::expr(Func::lower(Expr::col(quote_lines::Column::Code)))
                                .like(pattern.clone()),
                        )
                        .add(
                            Expr::expr(Func::lower(Expr::col(quote_lines::Column::Name)))
                                .like(pattern),
                        ),
                )),
        );
    }
    if !f.statuses.is_empty() {
        let mut any = Condition::any();
        for s in &f.statuses {
            any = any.add(match s {
                QuoteStatus::Sent => Condition::all()
                    .add(quotes::Column::Status.eq("SENT"))
                    .add(quotes::Column::ValidUntil.gte(today)),
                QuoteStatus::Expired => Condition::all()
                    .add(quotes::Column::Status.eq("SENT"))
                    .add(quotes::Column::ValidUntil.lt(today)),
                other => Condition::all().add(quotes::Column::Status.eq(other.as_str())),
            });
        }
        c = c.add(any);
    }
    if let Some(id) = f.customer_id {
        c = c.add(quotes::Column::CustomerId.eq(id));
    }
    if let Some(id) = f.opportunity_id {
        c = c.add(quotes::Column::OpportunityId.eq(id));
    }
    if let Some(id) = f.product_id {
        c = c.add(with_line(
            Condition::all().add(quote_lines::Column::ProductId.eq(id)),
        ));
    }
    c
}

/// One page of the quotes the caller may read, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &QuoteFilter,
    page: &Page,
) -> AppResult<(Vec<quotes::Model>, bool)> {
    let q =
        aggregate::visible::<QuoteObject>(ctx, Action::Read)?.filter(condition(filter, today()));
    crate::db::newest_first(
        db,
        q,
        quotes::Column::CreatedAt,
        quotes::Column::Id,
        ORDERING,
        page,
    )
    .await
}

/// The cursor of a quote in the list.
pub fn cursor(m: &quotes::Model) -> Cursor {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Time(m.created_at),
        id: m.id,
    }
}

/// How many quotes the caller may read match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &QuoteFilter,
) -> AppResult<u64> {
    Ok(aggregate::visible::<QuoteObject>(ctx, Action::Read)?
        .filter(condition(filter, today()))
        .count(db)
        .await?)
}

/// One quote the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<quotes::Model>> {
    Ok(aggregate::visible::<QuoteObject>(ctx, Action::Read)?
        .filter(quotes::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// Quotes the caller may read, by id (for loaders).
pub async fn by_ids(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    ids: &[Uuid],
) -> AppResult<Vec<quotes::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(aggregate::visible::<QuoteObject>(ctx, Action::Read)?
        .filter(quotes::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The revisions of quotes (already read under scope), oldest first, by quote.
pub async fn revisions_of(
    db: &impl ConnectionTrait,
    quote_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<quote_revisions::Model>>> {
    let mut out: HashMap<Uuid, Vec<quote_revisions::Model>> = HashMap::new();
    if quote_ids.is_empty() {
        return Ok(out);
    }
    for r in quote_revisions::Entity::find()
        .filter(quote_revisions::Column::QuoteId.is_in(quote_ids.iter().copied()))
        .order_by_asc(quote_revisions::Column::Revision)
        .all(db)
        .await?
    {
        out.entry(r.quote_id).or_default().push(r);
    }
    Ok(out)
}

/// The current revision of a quote.
pub async fn current_revision(
    db: &impl ConnectionTrait,
    quote: &quotes::Model,
) -> AppResult<Option<quote_revisions::Model>> {
    Ok(quote_revisions::Entity::find()
        .filter(quote_revisions::Column::QuoteId.eq(quote.id))
        .filter(quote_revisions::Column::Revision.eq(quote.revision))
        .one(db)
        .await?)
}

/// The lines of revisions, in order, by revision.
pub async fn lines_of(
    db: &impl ConnectionTrait,
    revision_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<quote_lines::Model>>> {
    let mut out: HashMap<Uuid, Vec<quote_lines::Model>> = HashMap::new();
    if revision_ids.is_empty() {
        return Ok(out);
    }
    for l in quote_lines::Entity::find()
        .filter(quote_lines::Column::RevisionId.is_in(revision_ids.iter().copied()))
        .order_by_asc(quote_lines::Column::RevisionId)
        .order_by_asc(quote_lines::Column::Position)
        .all(db)
        .await?
    {
        out.entry(l.revision_id).or_default().push(l);
    }
    Ok(out)
}
