//! The sales reports: pipeline by stage, win rate, deal size and sales-cycle length per owner,
//! team, month or quarter (grouped statements), and the stage funnel and close-date slippage (from
//! the pipeline's history as the statistical forecast keeps it), all over the opportunities the
//! caller may read (R-5, Z-4); amounts are summed exactly per currency and left to the API's field
//! guard.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use entity::opportunities::opportunities;
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseBackend, FromQueryResult, QueryFilter, QueryTrait};
use uuid::Uuid;

use super::hierarchy::Tree;
use super::history::{Loaded, Story};
use super::periods::{Period, PeriodKind};
use crate::auth::RequestCtx;
use crate::domain::opportunities::service::{self, OpportunityFilter};
use crate::error::AppResult;

stored_enum!(
    /// How a report's rows are grouped.
    ReportGrouping { Owner => "OWNER", Team => "TEAM", Month => "MONTH", Quarter => "QUARTER" }
);
use async_graphql::Enum;

/// What a report covers: a pipeline, an owner or team, a close-date range.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub pipeline: Option<Uuid>,
    pub owners: Option<Vec<Uuid>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Scope {
    fn filter(&self) -> OpportunityFilter {
        OpportunityFilter {
            pipeline_id: self.pipeline,
            owner_ids: self.owners.clone().unwrap_or_default(),
            close_date_from: self.from,
            close_date_to: self.to,
            ..Default::default()
        }
    }

    /// The visible opportunities in scope, as a statement to build on.
    fn statement(&self, ctx: &RequestCtx) -> AppResult<SelectStatement> {
        let mut q = service::visible(ctx)?.filter(self.filter().condition(ctx)?);
        if matches!(&self.owners, Some(o) if o.is_empty()) {
            // A team without members covers nothing.
            q = q.filter(Expr::val(1).eq(0));
        }
        let mut s = q.into_query();
        s.clear_selects();
        Ok(s)
    }
}

/// Split of amounts for exact sums.
const SPLIT: i64 = 1_000_000;

fn sum_exact(e: SimpleExpr, part: bool) -> SimpleExpr {
    let v = if part { e.div(SPLIT) } else { e.modulo(SPLIT) };
    Expr::expr(Func::sum(v)).cast_as(Alias::new("BIGINT"))
}

fn joined(hi: Option<i64>, lo: Option<i64>) -> i128 {
    i128::from(hi.unwrap_or(0)) * i128::from(SPLIT) + i128::from(lo.unwrap_or(0))
}

/// `YYYY-MM` of the close date, per engine.
fn close_month(backend: DatabaseBackend) -> SimpleExpr {
    match backend {
        DatabaseBackend::Postgres => {
            Expr::cust("to_char(\"opportunities\".\"close_date\", 'YYYY-MM')")
        }
        _ => Expr::cust("strftime('%Y-%m', \"opportunities\".\"close_date\")"),
    }
}

/// Days from creation to closing, per engine.
fn cycle_days(backend: DatabaseBackend) -> SimpleExpr {
    match backend {
        DatabaseBackend::Postgres => Expr::cust(
            "SUM(EXTRACT(EPOCH FROM (\"opportunities\".\"closed_at\" - \"opportunities\".\"created_at\")) / 86400.0)::float8",
        ),
        _ => Expr::cust(
            "SUM(julianday(\"opportunities\".\"closed_at\") - julianday(\"opportunities\".\"created_at\"))",
        ),
    }
}

/// Won and lost opportunities of one group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Performance {
    pub key: String,
    pub label: String,
    pub won: u64,
    pub lost: u64,
    /// Days from creation to closing, summed over won and lost.
    cycle_days: f64,
    /// Won amount by currency, minor units, and the number of won deals with an amount.
    pub won_amounts: BTreeMap<String, (i128, u64)>,
}

impl Performance {
    /// Won / (won + lost), when anything closed.
    pub fn win_rate(&self) -> Option<f64> {
        let n = self.won + self.lost;
        (n > 0).then(|| self.won as f64 / n as f64)
    }

    /// Mean days from creation to closing.
    pub fn average_cycle_days(&self) -> Option<f64> {
        let n = self.won + self.lost;
        (n > 0).then(|| self.cycle_days / n as f64)
    }
}

#[derive(Debug, FromQueryResult)]
struct PerfRow {
    owner_id: Uuid,
    status: String,
    currency: Option<String>,
    month: Option<String>,
    n: i64,
    hi: Option<i64>,
    lo: Option<i64>,
    days: Option<f64>,
}

/// The key and label of a row's group.
fn group_of(
    grouping: ReportGrouping,
    owner: Uuid,
    month: Option<&str>,
    names: &HashMap<Uuid, String>,
    tree: &Tree,
    fy: u32,
) -> (String, String) {
    match grouping {
        ReportGrouping::Owner => (
            owner.to_string(),
            names.get(&owner).cloned().unwrap_or_default(),
        ),
        ReportGrouping::Team => tree
            .teams
            .iter()
            .find(|t| tree.members(t.id).contains(&owner))
            .map_or(("none".into(), "No team".into()), |t| {
                (t.id.to_string(), t.name.clone())
            }),
        ReportGrouping::Month => {
            let m = month.unwrap_or("none").to_string();
            (m.clone(), m)
        }
        ReportGrouping::Quarter => {
            let day =
                month.and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok());
            match day {
                Some(d) => {
                    let p = Period::containing(PeriodKind::Quarter, d, fy);
                    (p.start.to_string(), p.label())
                }
                None => ("none".into(), "No close date".into()),
            }
        }
    }
}

/// Win rate, deal size and cycle length of closed opportunities, per group, in key order.
pub async fn performance(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    scope: &Scope,
    grouping: ReportGrouping,
    names: &HashMap<Uuid, String>,
    tree: &Tree,
    fy: u32,
) -> AppResult<Vec<Performance>> {
    use opportunities::Column as C;
    let backend = db.get_database_backend();
    let mut s = scope.statement(ctx)?;
    let amount = Expr::col((opportunities::Entity, C::AmountMinor));
    s.and_where(Expr::col((opportunities::Entity, C::Status)).is_in(["WON", "LOST"]))
        .column((opportunities::Entity, C::OwnerId))
        .column((opportunities::Entity, C::Status))
        .column((opportunities::Entity, C::Currency))
        .expr_as(close_month(backend), Alias::new("month"))
        .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
        .expr_as(sum_exact(amount.clone(), true), Alias::new("hi"))
        .expr_as(sum_exact(amount, false), Alias::new("lo"))
        .expr_as(cycle_days(backend), Alias::new("days"))
        .group_by_col((opportunities::Entity, C::OwnerId))
        .group_by_col((opportunities::Entity, C::Status))
        .group_by_col((opportunities::Entity, C::Currency))
        .add_group_by([close_month(backend)]);
    let rows = PerfRow::find_by_statement(backend.build(&s))
        .all(db)
        .await?;
    let mut out: BTreeMap<String, Performance> = BTreeMap::new();
    for r in rows {
        let (key, label) = group_of(grouping, r.owner_id, r.month.as_deref(), names, tree, fy);
        let p = out.entry(key.clone()).or_insert_with(|| Performance {
            key,
            label,
            ..Default::default()
        });
        let n = u64::try_from(r.n).unwrap_or(0);
        p.cycle_days += r.days.unwrap_or(0.0);
        if r.status == "WON" {
            p.won += n;
            if let Some(cur) = r.currency {
                let e = p.won_amounts.entry(cur).or_default();
                e.0 += joined(r.hi, r.lo);
                e.1 += n;
            }
        } else {
            p.lost += n;
        }
    }
    Ok(out.into_values().collect())
}

/// One stage of the funnel: how many opportunities were ever in it, and how they ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FunnelStage {
    pub stage: Uuid,
    pub entered: u64,
    pub won: u64,
    pub lost: u64,
}

/// Close-date slippage of one group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slippage {
    pub key: String,
    pub label: String,
    /// Opportunities in the group.
    pub opportunities: u64,
    /// Of them, those whose close date was ever pushed out.
    pub slipped: u64,
    /// Times a close date was pushed out.
    pub pushes: u64,
    /// Days pushed out in all.
    pub days: i64,
}

impl Slippage {
    /// Mean days pushed out per slipped opportunity.
    pub fn average_slip_days(&self) -> Option<f64> {
        (self.slipped > 0).then(|| self.days as f64 / self.slipped as f64)
    }
}

impl Scope {
    /// Whether a story lies in the scope (its pipeline was chosen when it was loaded).
    fn holds(&self, s: &Story) -> bool {
        let close = s.close_now();
        self.owners.as_ref().is_none_or(|o| o.contains(&s.owner))
            && self.from.is_none_or(|f| close.is_some_and(|c| c >= f))
            && self.to.is_none_or(|t| close.is_some_and(|c| c <= t))
    }
}

/// The opportunities in scope that were ever in each stage, by how they ended, from the pipeline's
/// kept history.
pub fn funnel(loaded: &Loaded, scope: &Scope) -> HashMap<Uuid, FunnelStage> {
    let mut out: HashMap<Uuid, FunnelStage> = HashMap::new();
    for s in loaded.stories.iter().filter(|s| scope.holds(s)) {
        for stage in s.stages_entered() {
            let f = out.entry(stage).or_insert_with(|| FunnelStage {
                stage,
                ..Default::default()
            });
            f.entered += 1;
            match s.status() {
                "WON" => f.won += 1,
                "LOST" => f.lost += 1,
                _ => {}
            }
        }
    }
    out
}

/// Close-date slippage per group, from the pipeline's kept history.
pub fn slippage(
    loaded: &Loaded,
    scope: &Scope,
    grouping: ReportGrouping,
    names: &HashMap<Uuid, String>,
    tree: &Tree,
    fy: u32,
) -> Vec<Slippage> {
    let mut out: BTreeMap<String, Slippage> = BTreeMap::new();
    for s in loaded.stories.iter().filter(|s| scope.holds(s)) {
        let month = s
            .close_now()
            .map(|d| format!("{:04}-{:02}", d.year(), d.month()));
        let (key, label) = group_of(grouping, s.owner, month.as_deref(), names, tree, fy);
        let e = out.entry(key.clone()).or_insert_with(|| Slippage {
            key,
            label,
            ..Default::default()
        });
        e.opportunities += 1;
        let pushes = s.close_pushes();
        if !pushes.is_empty() {
            e.slipped += 1;
            e.pushes += pushes.len() as u64;
            e.days += pushes.iter().sum::<i64>();
        }
    }
    out.into_values().collect()
}
