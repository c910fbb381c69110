//! Forecast figures: one grouped statement over the visible opportunities of a set of owners, per
//! period bucket, owner, currency and category; rolled up in memory per subject. Sums are exact
//! (amounts summed in two parts, weights in 128-bit arithmetic) and never converted between
//! currencies.

use std::collections::{BTreeMap, HashMap};

use entity::opportunities::{opportunities, pipeline_stages};
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::periods::Period;
use crate::auth::RequestCtx;
use crate::domain::opportunities::kinds::ForecastCategory;
use crate::domain::opportunities::service;
use crate::error::AppResult;

/// Opportunities per category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub closed_won: u64,
    pub commit: u64,
    pub best_case: u64,
    pub pipeline: u64,
    pub omitted: u64,
}

/// Money per category in one currency, in minor units; `weighted100` is Σ amount × probability
/// (percent), rounded once when read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amounts {
    pub closed_won: i128,
    pub commit: i128,
    pub best_case: i128,
    pub pipeline: i128,
    pub weighted100: i128,
}

impl Amounts {
    /// The weighted pipeline in minor units, rounded half up.
    pub fn weighted(&self) -> i128 {
        (self.weighted100 + 50).div_euclid(100)
    }
}

/// The figures of one subject and period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub counts: Counts,
    /// By currency.
    pub money: BTreeMap<String, Amounts>,
}

impl Tally {
    /// Adds another tally (of other opportunities) to this one.
    pub fn add(&mut self, o: &Tally) {
        let c = &mut self.counts;
        c.closed_won += o.counts.closed_won;
        c.commit += o.counts.commit;
        c.best_case += o.counts.best_case;
        c.pipeline += o.counts.pipeline;
        c.omitted += o.counts.omitted;
        for (cur, a) in &o.money {
            let m = self.money.entry(cur.clone()).or_default();
            m.closed_won += a.closed_won;
            m.commit += a.commit;
            m.best_case += a.best_case;
            m.pipeline += a.pipeline;
            m.weighted100 += a.weighted100;
        }
    }
}

#[derive(Debug, FromQueryResult)]
struct Row {
    bucket: i32,
    owner_id: Uuid,
    currency: Option<String>,
    status: String,
    forecast_category: Option<String>,
    stage_id: Uuid,
    probability: i32,
    n: i64,
    hi: Option<i64>,
    lo: Option<i64>,
}

/// Split of amounts for exact sums: `amount = hi * SPLIT + lo`.
const SPLIT: i64 = 1_000_000;

/// The category an opportunity counts in.
pub fn category(status: &str, own: Option<&str>, stage: Option<&str>) -> ForecastCategory {
    match status {
        "WON" => ForecastCategory::Closed,
        "LOST" => ForecastCategory::Omitted,
        _ => own
            .or(stage)
            .and_then(ForecastCategory::parse)
            .filter(|c| !matches!(c, ForecastCategory::Closed))
            .unwrap_or(ForecastCategory::Pipeline),
    }
}

/// The stages' categories (stages are few).
pub async fn stage_categories(db: &impl ConnectionTrait) -> AppResult<HashMap<Uuid, String>> {
    Ok(pipeline_stages::Entity::find()
        .select_only()
        .column(pipeline_stages::Column::Id)
        .column(pipeline_stages::Column::ForecastCategory)
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The figures per `(period index, owner)` of the opportunities the caller may read, owned by
/// `owners`, whose close date falls in one of `periods`: one statement.
pub async fn by_owner(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    stages: &HashMap<Uuid, String>,
    owners: &[Uuid],
    periods: &[Period],
) -> AppResult<HashMap<(usize, Uuid), Tally>> {
    use opportunities::Column as C;
    let mut out: HashMap<(usize, Uuid), Tally> = HashMap::new();
    let (Some(first), Some(last)) = (
        periods.iter().map(|p| p.start).min(),
        periods.iter().map(Period::end_exclusive).max(),
    ) else {
        return Ok(out);
    };
    if owners.is_empty() {
        return Ok(out);
    }
    let close = || Expr::col((opportunities::Entity, C::CloseDate));
    let mut bucket: Option<sea_orm::sea_query::CaseStatement> = None;
    for (i, p) in periods.iter().enumerate() {
        let cond = close().gte(p.start).and(close().lt(p.end_exclusive()));
        bucket = Some(match bucket {
            None => Expr::case(cond, i as i32),
            Some(b) => b.case(cond, i as i32),
        });
    }
    let bucket: SimpleExpr = bucket
        .map(|b| b.finally(-1).into())
        .unwrap_or_else(|| Expr::val(-1));
    let amount = Expr::col((opportunities::Entity, C::AmountMinor));
    let sum_of = |e: SimpleExpr| Expr::expr(Func::sum(e)).cast_as(Alias::new("BIGINT"));
    let rows = service::visible(ctx)?
        .filter(C::ArchivedAt.is_null())
        .filter(C::OwnerId.is_in(owners.iter().copied()))
        .filter(C::CloseDate.gte(first))
        .filter(C::CloseDate.lt(last))
        .select_only()
        .column_as(bucket, "bucket")
        .column(C::OwnerId)
        .column(C::Currency)
        .column(C::Status)
        .column(C::ForecastCategory)
        .column(C::StageId)
        .column(C::Probability)
        .column_as(Expr::col(Asterisk).count(), "n")
        .column_as(sum_of(amount.clone().div(SPLIT)), "hi")
        .column_as(sum_of(amount.modulo(SPLIT)), "lo")
        // By the output column: PostgreSQL would not match a repeated expression whose date
        // parameters are bound anew.
        .group_by(Expr::col(Alias::new("bucket")))
        .group_by(C::OwnerId)
        .group_by(C::Currency)
        .group_by(C::Status)
        .group_by(C::ForecastCategory)
        .group_by(C::StageId)
        .group_by(C::Probability)
        .into_model::<Row>()
        .all(db)
        .await?;
    for r in rows {
        let Ok(i) = usize::try_from(r.bucket) else {
            continue;
        };
        let cat = category(
            &r.status,
            r.forecast_category.as_deref(),
            stages.get(&r.stage_id).map(String::as_str),
        );
        let n = u64::try_from(r.n).unwrap_or(0);
        let t = out.entry((i, r.owner_id)).or_default();
        match cat {
            ForecastCategory::Closed => t.counts.closed_won += n,
            ForecastCategory::Commit => t.counts.commit += n,
            ForecastCategory::BestCase => t.counts.best_case += n,
            ForecastCategory::Pipeline => t.counts.pipeline += n,
            ForecastCategory::Omitted => t.counts.omitted += n,
        }
        let Some(cur) = r.currency else { continue };
        let sum = i128::from(r.hi.unwrap_or(0)) * i128::from(SPLIT) + i128::from(r.lo.unwrap_or(0));
        let m = t.money.entry(cur).or_default();
        match cat {
            ForecastCategory::Closed => m.closed_won += sum,
            ForecastCategory::Commit => m.commit += sum,
            ForecastCategory::BestCase => m.best_case += sum,
            ForecastCategory::Pipeline => m.pipeline += sum,
            ForecastCategory::Omitted => {}
        }
        if !matches!(cat, ForecastCategory::Closed | ForecastCategory::Omitted) {
            m.weighted100 += sum * i128::from(r.probability.clamp(0, 100));
        }
    }
    Ok(out)
}

/// The tally of a set of owners in one period, from [`by_owner`]'s result.
pub fn sum_of(per_owner: &HashMap<(usize, Uuid), Tally>, period: usize, owners: &[Uuid]) -> Tally {
    let mut t = Tally::default();
    for o in owners {
        if let Some(x) = per_owner.get(&(period, *o)) {
            t.add(x);
        }
    }
    t
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_status_then_override_then_stage() {
        assert_eq!(
            category("WON", Some("PIPELINE"), Some("COMMIT")),
            ForecastCategory::Closed
        );
        assert_eq!(
            category("LOST", Some("COMMIT"), None),
            ForecastCategory::Omitted
        );
        assert_eq!(
            category("OPEN", Some("COMMIT"), Some("PIPELINE")),
            ForecastCategory::Commit
        );
        assert_eq!(
            category("OPEN", None, Some("BEST_CASE")),
            ForecastCategory::BestCase
        );
        assert_eq!(category("OPEN", None, None), ForecastCategory::Pipeline);
        // An open opportunity in a stage whose category says closed is not closed won.
        assert_eq!(
            category("OPEN", None, Some("CLOSED")),
            ForecastCategory::Pipeline
        );
    }

    #[test]
    fn weighted_rounds_once_half_up() {
        let a = Amounts {
            weighted100: 12_350,
            ..Default::default()
        };
        assert_eq!(a.weighted(), 124);
    }
}
