//! The pipeline board: per stage the count, sum and weighted sum, and the first cards of every
//! column, all under the caller's row scope. A fixed number of statements whatever the card count:
//! one aggregate and one query for the first page of every column.

use std::collections::HashMap;

use entity::opportunities::opportunities;
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, Query, SelectStatement, UnionType,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

use super::service::{self, OpportunityFilter};
use crate::auth::RequestCtx;
use crate::error::{AppError, AppResult};
use crate::kit::paging::{Cursor, SortValue};

/// The ordering name in board cursors.
const BOARD_ORDER: &str = "BOARD";

/// Count and money of one stage, per currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageTotals {
    pub count: u64,
    /// `(currency, sum in minor units, weighted sum in minor units)`, sorted by currency.
    pub amounts: Vec<(String, i128, i128)>,
}

#[derive(Debug, FromQueryResult)]
struct AggRow {
    stage_id: Uuid,
    currency: Option<String>,
    probability: i32,
    n: i64,
    hi: Option<i64>,
    lo: Option<i64>,
}

/// Split of amounts for exact sums: `amount = hi * SPLIT + lo`, each summed without overflow.
const SPLIT: i64 = 1_000_000;

/// The totals of every stage of a pipeline over the visible, filtered opportunities. Sums are
/// exact: amounts are summed in two parts and weighted per probability in 128-bit arithmetic.
pub async fn totals(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OpportunityFilter,
) -> AppResult<HashMap<Uuid, StageTotals>> {
    use opportunities::Column as C;
    let cond = filter.condition(ctx)?;
    let amount = Expr::col((opportunities::Entity, C::AmountMinor));
    let sum_of = |e: Expr| Expr::expr(Func::sum(e)).cast_as(Alias::new("BIGINT"));
    let rows = service::visible(ctx)?
        .filter(cond)
        .select_only()
        .column(C::StageId)
        .column(C::Currency)
        .column(C::Probability)
        .column_as(Expr::col(Asterisk).count(), "n")
        .column_as(sum_of(amount.clone().div(SPLIT)), "hi")
        .column_as(sum_of(amount.modulo(SPLIT)), "lo")
        .group_by(C::StageId)
        .group_by(C::Currency)
        .group_by(C::Probability)
        .into_model::<AggRow>()
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, StageTotals> = HashMap::new();
    let mut money: HashMap<(Uuid, String), (i128, i128)> = HashMap::new();
    for r in rows {
        let t = out.entry(r.stage_id).or_default();
        t.count += u64::try_from(r.n).unwrap_or(0);
        if let Some(cur) = r.currency {
            let sum =
                i128::from(r.hi.unwrap_or(0)) * i128::from(SPLIT) + i128::from(r.lo.unwrap_or(0));
            let e = money.entry((r.stage_id, cur)).or_default();
            e.0 += sum;
            // Weighted per probability bucket, rounded once per stage below.
            e.1 += sum * i128::from(r.probability.clamp(0, 100));
        }
    }
    for ((stage, cur), (sum, weighted100)) in money {
        let t = out.entry(stage).or_default();
        t.amounts
            .push((cur, sum, (weighted100 + 50).div_euclid(100)));
    }
    for t in out.values_mut() {
        t.amounts.sort();
    }
    Ok(out)
}

fn column_query(
    ctx: &RequestCtx,
    cond: Condition,
    stage: Uuid,
    limit: u64,
) -> AppResult<SelectStatement> {
    use opportunities::Column as C;
    Ok(service::visible(ctx)?
        .filter(cond)
        .filter(C::StageId.eq(stage))
        .order_by_asc(C::Position)
        .order_by_asc(C::Id)
        .limit(limit)
        .into_query())
}

/// The first `first` cards (plus one, to tell whether more follow) of every listed stage, in one
/// statement: a UNION ALL of one index range scan per column.
pub async fn first_cards(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OpportunityFilter,
    stages: &[Uuid],
    first: u64,
) -> AppResult<HashMap<Uuid, (Vec<opportunities::Model>, bool)>> {
    let cond = filter.condition(ctx)?;
    let mut out: HashMap<Uuid, (Vec<opportunities::Model>, bool)> = HashMap::new();
    let Some((head, rest)) = stages.split_first() else {
        return Ok(out);
    };
    let wrap = |q: SelectStatement, i: usize| -> SelectStatement {
        Query::select()
            .column(Asterisk)
            .from_subquery(q, Alias::new(format!("c{i}")))
            .to_owned()
    };
    let mut stmt = wrap(column_query(ctx, cond.clone(), *head, first + 1)?, 0);
    for (i, s) in rest.iter().enumerate() {
        stmt.union(
            UnionType::All,
            wrap(column_query(ctx, cond.clone(), *s, first + 1)?, i + 1),
        );
    }
    let built = db.get_database_backend().build(&stmt);
    let rows = opportunities::Model::find_by_statement(built)
        .all(db)
        .await?;
    for r in rows {
        out.entry(r.stage_id).or_default().0.push(r);
    }
    for (cards, more) in out.values_mut() {
        cards.sort_by(|a, b| (&a.position, a.id).cmp(&(&b.position, b.id)));
        *more = cards.len() as u64 > first;
        cards.truncate(first as usize);
    }
    Ok(out)
}

/// The cursor of a card in board order.
pub fn card_cursor(m: &opportunities::Model) -> String {
    Cursor {
        o: BOARD_ORDER.into(),
        k: SortValue::Text(m.position.clone()),
        id: m.id,
    }
    .encode()
}

/// More cards of one column, after a card cursor.
pub async fn column_page(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OpportunityFilter,
    stage: Uuid,
    first: u64,
    after: Option<&str>,
) -> AppResult<(Vec<opportunities::Model>, bool)> {
    use opportunities::Column as C;
    let mut q = service::visible(ctx)?
        .filter(filter.condition(ctx)?)
        .filter(C::StageId.eq(stage));
    if let Some(after) = after {
        let c = Cursor::decode(after, BOARD_ORDER)?;
        let SortValue::Text(pos) = c.k else {
            return Err(AppError::bad_input(
                "after",
                "is not a cursor of this column",
            ));
        };
        q = q.filter(
            Condition::any().add(C::Position.gt(pos.clone())).add(
                Condition::all()
                    .add(C::Position.eq(pos))
                    .add(C::Id.gt(c.id)),
            ),
        );
    }
    let mut rows = q
        .order_by_asc(C::Position)
        .order_by_asc(C::Id)
        .limit(first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > first;
    rows.truncate(first as usize);
    Ok((rows, more))
}
