//! GraphQL of forecasts, quotas, calls, the statistical forecast and the sales reports: thin
//! resolvers over the services. Money is guarded by the `opportunity.amount` field grant: a caller
//! without it gets counts, and `null` with `FORBIDDEN` where money would be.

use std::collections::HashMap;

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use entity::access::users;
use entity::forecasts::{forecast_submissions as subs, quotas as quota_rows};
use sea_orm::{ActiveModelTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::figures::{Amounts, Tally};
use super::hierarchy::Tree;
use super::periods::{Period, PeriodKind};
use super::policy::Subject;
use super::reports::{self, ReportGrouping};
use super::service::{self, Node};
use super::statistical::{self, ModelBasis};
use super::stats::{MIN_CLOSED, MIN_WON};
use super::submissions::{self, Call, SubmissionKind};
use super::{quotas, reports::Scope as ReportScope};
use crate::domain::money;
use crate::domain::opportunities::board;
use crate::domain::opportunities::graphql::Opportunity;
use crate::domain::opportunities::pipelines::Catalog;
use crate::domain::opportunities::policy::{OpportunityObject, AMOUNT_FIELD};
use crate::domain::opportunities::service::OpportunityFilter;
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::domain::users::service::UserObject;
use crate::domain::users::teams::Team;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::ids::{expect_global_id, to_global_id};
use crate::kit::paging::Loaded;
use crate::kit::scalars::Decimal;
use crate::kit::write::Write;
use crate::policy::{self, Action, FieldGuard};

/// Minor units (any size) of `currency` as a decimal string with the currency's decimals.
pub fn decimal(minor: i128, currency: &str) -> Decimal {
    Decimal(money::format_wide(minor, currency))
}

/// A fiscal period, as the API names it.
#[derive(InputObject, Clone, Copy)]
pub struct PeriodInput {
    pub kind: PeriodKind,
    /// The fiscal year.
    pub year: i32,
    /// 1–12 for a month, 1–4 for a quarter; left out for a year.
    pub number: Option<i32>,
}

async fn period_of(ctx: &Context<'_>, p: PeriodInput, field: &str) -> AppResult<Period> {
    let state = crate::kit::resolve::state(ctx)?;
    let fy = service::fiscal_start(&state.db).await?;
    Period::of(field, p.kind, p.year, p.number, fy).map_err(|e| AppError::BadInput(vec![e]))
}

/// Whose forecast: exactly one of a user and a team.
#[derive(InputObject, Clone)]
pub struct ForecastSubjectInput {
    pub owner_id: Option<ID>,
    pub team_id: Option<ID>,
}

fn subject_of(s: &ForecastSubjectInput, field: &str) -> AppResult<Subject> {
    match (&s.owner_id, &s.team_id) {
        (Some(u), None) => Ok(Subject::User(expect_global_id(
            u,
            "User",
            &format!("{field}.ownerId"),
        )?)),
        (None, Some(t)) => Ok(Subject::Team(expect_global_id(
            t,
            "Team",
            &format!("{field}.teamId"),
        )?)),
        _ => Err(AppError::bad_input(
            field,
            "must name exactly one of ownerId and teamId",
        )),
    }
}

/// A period of the fiscal calendar.
pub struct PeriodObject(pub Period);

#[Object(name = "Period")]
impl PeriodObject {
    async fn kind(&self) -> PeriodKind {
        self.0.kind
    }
    /// The fiscal year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The month or quarter within the fiscal year (none for a year).
    async fn number(&self) -> Option<i32> {
        (self.0.kind != PeriodKind::Year).then_some(self.0.number)
    }
    /// "FY2026 Q3".
    async fn label(&self) -> String {
        self.0.label()
    }
    /// The first day (ISO date).
    async fn start(&self) -> String {
        self.0.start.to_string()
    }
    /// The last day (ISO date).
    async fn end(&self) -> String {
        self.0.end().to_string()
    }
}

/// Forecast settings.
#[derive(SimpleObject)]
pub struct ForecastSettings {
    /// The month the fiscal year starts in (1 = January).
    pub fiscal_year_start_month: i32,
}

stored_enum!(
    /// What a forecast is about.
    SubjectKind { User => "USER", Team => "TEAM" }
);

stored_enum!(
    /// How far ahead.
    ForecastHorizon { ShortTerm => "SHORT_TERM", LongTerm => "LONG_TERM" }
);

stored_enum!(
    /// Whether the statistical forecast could be made.
    StatisticalStatus { Ok => "OK", InsufficientHistory => "INSUFFICIENT_HISTORY" }
);

/// A forecast's subject.
#[derive(SimpleObject)]
pub struct ForecastSubject {
    pub kind: SubjectKind,
    /// A `User` or `Team` id.
    pub id: ID,
    pub name: String,
}

fn subject_out(s: Subject, name: String) -> ForecastSubject {
    match s {
        Subject::User(u) => ForecastSubject {
            kind: SubjectKind::User,
            id: to_global_id("User", u),
            name,
        },
        Subject::Team(t) => ForecastSubject {
            kind: SubjectKind::Team,
            id: to_global_id("Team", t),
            name,
        },
    }
}

/// Opportunities per category (no money).
#[derive(SimpleObject)]
pub struct ForecastCounts {
    pub closed_won: u64,
    pub commit: u64,
    pub best_case: u64,
    pub pipeline: u64,
    pub omitted: u64,
}

/// The money of a forecast in one currency.
#[derive(SimpleObject)]
pub struct ForecastFigures {
    pub currency: String,
    pub closed_won: Decimal,
    pub commit: Decimal,
    pub best_case: Decimal,
    pub pipeline: Decimal,
    /// Open (not omitted) amount × probability.
    pub weighted_pipeline: Decimal,
    /// The subject's current quota for the period in this currency.
    pub quota: Option<Decimal>,
    /// Closed won ÷ quota × 100, to one decimal.
    pub attainment: Option<f64>,
}

fn figures_row(currency: &str, a: &Amounts, quota: Option<i64>) -> ForecastFigures {
    ForecastFigures {
        currency: currency.to_string(),
        closed_won: decimal(a.closed_won, currency),
        commit: decimal(a.commit, currency),
        best_case: decimal(a.best_case, currency),
        pipeline: decimal(a.pipeline, currency),
        weighted_pipeline: decimal(a.weighted(), currency),
        quota: quota.map(|q| decimal(q.into(), currency)),
        attainment: quota
            .filter(|q| *q > 0)
            .map(|q| (a.closed_won as f64 * 1000.0 / q as f64).round() / 10.0),
    }
}

fn figures_of(t: &Tally, quotas: &HashMap<String, i64>) -> Vec<ForecastFigures> {
    let mut currencies: Vec<&String> = t.money.keys().chain(quotas.keys()).collect();
    currencies.sort();
    currencies.dedup();
    currencies
        .into_iter()
        .map(|c| {
            figures_row(
                c,
                &t.money.get(c).copied().unwrap_or_default(),
                quotas.get(c).copied(),
            )
        })
        .collect()
}

/// A subject's forecast for a period.
pub struct Forecast(pub Node);

#[Object]
impl Forecast {
    async fn period(&self) -> PeriodObject {
        PeriodObject(self.0.period)
    }
    async fn subject(&self) -> ForecastSubject {
        subject_out(self.0.subject, self.0.name.clone())
    }
    async fn counts(&self) -> ForecastCounts {
        let c = self.0.tally.counts;
        ForecastCounts {
            closed_won: c.closed_won,
            commit: c.commit,
            best_case: c.best_case,
            pipeline: c.pipeline,
            omitted: c.omitted,
        }
    }
    /// The figures per currency, never converted.
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    async fn figures(&self) -> Vec<ForecastFigures> {
        figures_of(&self.0.tally, &self.0.quotas)
    }
    /// A team's sub-teams, then its direct members (one level; ask again to drill down).
    async fn children(&self) -> Vec<Forecast> {
        self.0.children.iter().cloned().map(Forecast).collect()
    }
    /// The subject's own latest call for the period.
    async fn latest_submission(&self) -> Option<ForecastSubmission> {
        self.0
            .latest_submission
            .clone()
            .map(|m| ForecastSubmission { m, actual: None })
    }
    /// A manager's latest adjustment for the period.
    async fn latest_adjustment(&self) -> Option<ForecastSubmission> {
        self.0
            .latest_adjustment
            .clone()
            .map(|m| ForecastSubmission { m, actual: None })
    }
}

/// A call on a forecast: an owner's submission or a manager's adjustment, with the figures then.
pub struct ForecastSubmission {
    m: subs::Model,
    /// What has been won in the period since, in the call's currency.
    actual: Option<i128>,
}

#[Object]
impl ForecastSubmission {
    async fn id(&self) -> ID {
        to_global_id("ForecastSubmission", self.m.id)
    }
    async fn kind(&self) -> SubmissionKind {
        SubmissionKind::parse(&self.m.kind).unwrap_or(SubmissionKind::Submission)
    }
    async fn submitted_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        Ok(ctx
            .data::<Loaded<UserLoader>>()?
            .load_one(self.m.submitted_by)
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("loading: {e}")))?
            .map(User))
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.m.submitted_at
    }
    async fn note(&self) -> Option<&str> {
        self.m.note.as_deref()
    }
    async fn currency(&self) -> &str {
        &self.m.currency
    }
    /// The called commit.
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    async fn commit(&self) -> Decimal {
        decimal(self.m.commit_minor.into(), &self.m.currency)
    }
    /// The called best case.
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    async fn best_case(&self) -> Decimal {
        decimal(self.m.best_case_minor.into(), &self.m.currency)
    }
    /// The figures when the call was made.
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    async fn snapshot(&self) -> ForecastFigures {
        let m = &self.m;
        let a = Amounts {
            closed_won: m.closed_won_minor.into(),
            commit: m.snapshot_commit_minor.into(),
            best_case: m.snapshot_best_case_minor.into(),
            pipeline: m.snapshot_pipeline_minor.into(),
            weighted100: i128::from(m.snapshot_weighted_minor) * 100,
        };
        figures_row(&m.currency, &a, m.quota_minor)
    }
    /// What has been won in the period since (from the opportunities you may read).
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    async fn actual_closed_won(&self) -> Option<Decimal> {
        self.actual.map(|a| decimal(a, &self.m.currency))
    }
}

/// One version of a quota.
pub struct Quota {
    m: quota_rows::Model,
    period: Period,
    name: String,
}

#[Object]
impl Quota {
    async fn period(&self) -> PeriodObject {
        PeriodObject(self.period)
    }
    async fn subject(&self) -> ForecastSubject {
        let s = if self.m.subject_kind == "TEAM" {
            Subject::Team(self.m.subject_id)
        } else {
            Subject::User(self.m.subject_id)
        };
        subject_out(s, self.name.clone())
    }
    async fn currency(&self) -> &str {
        &self.m.currency
    }
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    async fn amount(&self) -> Decimal {
        decimal(self.m.amount_minor.into(), &self.m.currency)
    }
    /// 1 for the first quota of the period, one more for each change.
    async fn version(&self) -> i32 {
        self.m.version
    }
    async fn note(&self) -> Option<&str> {
        self.m.note.as_deref()
    }
    async fn set_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        let Some(id) = self.m.set_by else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<UserLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("loading: {e}")))?
            .map(User))
    }
    async fn set_at(&self) -> DateTime<Utc> {
        self.m.set_at
    }
}

/// What the model learnt of one stage.
#[derive(SimpleObject)]
pub struct StageWinRate {
    pub stage_id: ID,
    pub stage_name: String,
    /// Closed opportunities that were in the stage.
    pub samples: u64,
    pub won: u64,
    /// The share of them that was won.
    pub win_rate: f64,
    pub mean_days_in_stage: f64,
}

/// The empirical close-date slippage of won opportunities, in days (positive: later than expected).
#[derive(SimpleObject)]
pub struct SlippageSummary {
    pub samples: u64,
    pub p10_days: Option<i64>,
    pub p50_days: Option<i64>,
    pub p90_days: Option<i64>,
}

/// The statistical forecast of one currency.
#[derive(SimpleObject)]
pub struct StatisticalFigures {
    pub currency: String,
    /// Open opportunities simulated.
    pub open_count: u64,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub closed_won: Decimal,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub p10: Decimal,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub p50: Decimal,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub p90: Decimal,
}

/// P10 / P50 / P90 revenue of a period from the stage history, or the history there is.
#[derive(SimpleObject)]
pub struct StatisticalForecast {
    pub status: StatisticalStatus,
    pub period: PeriodObject,
    pub pipeline_id: ID,
    /// Whose closed history the model was fitted on.
    pub basis: ModelBasis,
    /// Closed (won or lost) opportunities in the history used.
    pub closed_count: u64,
    pub won_count: u64,
    /// The least closed history the model is fitted on.
    pub minimum_closed: u64,
    pub minimum_won: u64,
    pub stages: Vec<StageWinRate>,
    pub slippage: Option<SlippageSummary>,
    /// Per currency; empty when the status is `INSUFFICIENT_HISTORY`.
    pub currencies: Vec<StatisticalFigures>,
}

/// One replayed period.
#[derive(SimpleObject)]
pub struct BacktestPeriod {
    pub period: PeriodObject,
    pub status: StatisticalStatus,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub p10: Option<Decimal>,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub p50: Option<Decimal>,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub p90: Option<Decimal>,
    /// Won in the period from the opportunities open at its start.
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub actual: Decimal,
    /// Whether the actual fell inside P10–P90.
    pub inside: Option<bool>,
}

/// How well the model did on past periods.
#[derive(SimpleObject)]
pub struct ForecastBacktest {
    pub currency: String,
    pub pipeline_id: ID,
    pub periods: Vec<BacktestPeriod>,
    /// Periods with a model.
    pub evaluated: u64,
    /// The share of evaluated periods whose actual fell inside P10–P90 (0.8 is well calibrated).
    pub calibration: Option<f64>,
}

/// What a report covers.
#[derive(InputObject, Default)]
pub struct ReportFilter {
    pub pipeline_id: Option<ID>,
    pub owner_id: Option<ID>,
    pub team_id: Option<ID>,
    /// Close dates from (ISO date, inclusive).
    pub from: Option<String>,
    /// Close dates to (ISO date, inclusive).
    pub to: Option<String>,
}

fn date_arg(v: &Option<String>, field: &str) -> AppResult<Option<NaiveDate>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::bad_input(field, "must be a date such as 2026-07-01")),
    }
}

/// The sales reports over one scope.
pub struct SalesReport {
    scope: ReportScope,
    pipeline: Uuid,
    tree: Tree,
    fy: u32,
}

impl SalesReport {
    /// Resolves a filter (and checks the caller may read opportunities at all).
    pub async fn new(
        db: &impl sea_orm::ConnectionTrait,
        req: &crate::auth::RequestCtx,
        f: ReportFilter,
    ) -> AppResult<Self> {
        policy::authorize(req, OpportunityObject::OBJECT, Action::Read)?;
        let tree = Tree::load(db).await?;
        let catalog = Catalog::load(db).await?;
        let pipeline = match &f.pipeline_id {
            Some(p) => {
                let id = expect_global_id(p, "Pipeline", "filter.pipelineId")?;
                catalog
                    .pipeline(id)
                    .ok_or_else(|| AppError::NotFound("no such pipeline".into()))?
                    .id
            }
            None => {
                catalog
                    .default_pipeline()
                    .ok_or_else(|| AppError::NotFound("no pipeline".into()))?
                    .id
            }
        };
        let owners = match (&f.owner_id, &f.team_id) {
            (Some(_), Some(_)) => {
                return Err(AppError::bad_input(
                    "filter",
                    "may name an ownerId or a teamId, not both",
                ))
            }
            (Some(u), None) => Some(vec![expect_global_id(u, "User", "filter.ownerId")?]),
            (None, Some(t)) => {
                let id = expect_global_id(t, "Team", "filter.teamId")?;
                if tree.team(id).is_none() {
                    return Err(AppError::NotFound("no such team".into()));
                }
                Some(tree.users_under(id))
            }
            (None, None) => None,
        };
        let from = date_arg(&f.from, "filter.from")?;
        let to = date_arg(&f.to, "filter.to")?;
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(AppError::bad_input("filter.to", "is before filter.from"));
            }
        }
        Ok(Self {
            scope: ReportScope {
                pipeline: Some(pipeline),
                owners,
                from,
                to,
            },
            pipeline,
            fy: service::fiscal_start(db).await?,
            tree,
        })
    }

    /// The opportunities the report covers, as a list filter.
    pub fn opportunity_filter(&self) -> OpportunityFilter {
        OpportunityFilter {
            pipeline_id: Some(self.pipeline),
            owner_ids: self.scope.owners.clone().unwrap_or_default(),
            close_date_from: self.scope.from,
            close_date_to: self.scope.to,
            ..Default::default()
        }
    }

    /// Whether the scope names a team without members (and so covers nothing).
    pub fn covers_nobody(&self) -> bool {
        matches!(&self.scope.owners, Some(o) if o.is_empty())
    }

    async fn names(db: &impl sea_orm::ConnectionTrait) -> AppResult<HashMap<Uuid, String>> {
        Ok(
            aggregate::unscoped::<UserObject>("owners' names in a report the caller may read")
                .all(db)
                .await?
                .into_iter()
                .map(|u: users::Model| (u.id, u.display_name))
                .collect(),
        )
    }

    /// Pipeline by stage: stage order, with count and money.
    pub async fn stage_rows(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        req: &crate::auth::RequestCtx,
    ) -> AppResult<Vec<StageReportRow>> {
        let catalog = Catalog::load(db).await?;
        let filter = self.opportunity_filter();
        let totals = if self.covers_nobody() {
            HashMap::new()
        } else {
            board::totals(db, req, &filter).await?
        };
        Ok(catalog
            .stages_of(self.pipeline, false)
            .map(|s| {
                let t = totals.get(&s.id).cloned().unwrap_or_default();
                StageReportRow {
                    stage_id: to_global_id("PipelineStage", s.id),
                    stage_name: s.name.clone(),
                    count: t.count,
                    amounts: t
                        .amounts
                        .iter()
                        .map(|(c, sum, w)| StageAmount {
                            currency: c.clone(),
                            sum: decimal(*sum, c),
                            weighted: decimal(*w, c),
                        })
                        .collect(),
                }
            })
            .collect())
    }

    pub async fn performance_rows(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        req: &crate::auth::RequestCtx,
        group_by: ReportGrouping,
    ) -> AppResult<Vec<PerformanceRow>> {
        let names = Self::names(db).await?;
        let rows =
            reports::performance(db, req, &self.scope, group_by, &names, &self.tree, self.fy)
                .await?;
        Ok(rows
            .into_iter()
            .map(|p| PerformanceRow {
                win_rate: p.win_rate(),
                average_cycle_days: p.average_cycle_days().map(|d| (d * 10.0).round() / 10.0),
                amounts: p
                    .won_amounts
                    .iter()
                    .map(|(c, (sum, n))| PerformanceAmount {
                        currency: c.clone(),
                        won: decimal(*sum, c),
                        average_deal_size: decimal(
                            if *n > 0 {
                                (sum + i128::from(*n) / 2) / i128::from(*n)
                            } else {
                                0
                            },
                            c,
                        ),
                    })
                    .collect(),
                key: p.key,
                label: p.label,
                won: p.won,
                lost: p.lost,
            })
            .collect())
    }

    pub async fn funnel_rows(
        &self,
        state: &crate::state::AppState,
        req: &crate::auth::RequestCtx,
    ) -> AppResult<Vec<FunnelRow>> {
        let catalog = Catalog::load(&state.db).await?;
        let loaded = statistical::stories(state, req, self.pipeline).await?;
        let counts = reports::funnel(&loaded, &self.scope);
        let stages: Vec<_> = catalog
            .stages_of(self.pipeline, false)
            .filter(|s| s.outcome != "LOST")
            .collect();
        let entered = |i: usize| {
            stages
                .get(i)
                .and_then(|s| counts.get(&s.id))
                .map_or(0, |c| c.entered)
        };
        Ok(stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let c = counts.get(&s.id).cloned().unwrap_or_default();
                let next = (s.outcome == "OPEN").then(|| entered(i + 1));
                FunnelRow {
                    stage_id: to_global_id("PipelineStage", s.id),
                    stage_name: s.name.clone(),
                    entered: c.entered,
                    won: c.won,
                    lost: c.lost,
                    advanced: next,
                    conversion: next
                        .filter(|_| c.entered > 0)
                        .map(|n| n as f64 / c.entered as f64),
                }
            })
            .collect())
    }

    pub async fn slippage_rows(
        &self,
        state: &crate::state::AppState,
        req: &crate::auth::RequestCtx,
        group_by: ReportGrouping,
    ) -> AppResult<Vec<SlippageRow>> {
        let names = Self::names(&state.db).await?;
        let loaded = statistical::stories(state, req, self.pipeline).await?;
        Ok(
            reports::slippage(&loaded, &self.scope, group_by, &names, &self.tree, self.fy)
                .into_iter()
                .map(|s| SlippageRow {
                    average_slip_days: s.average_slip_days().map(|d| (d * 10.0).round() / 10.0),
                    key: s.key,
                    label: s.label,
                    opportunities: s.opportunities,
                    slipped: s.slipped,
                    pushes: s.pushes,
                })
                .collect(),
        )
    }
}

/// Money of a stage in one currency.
#[derive(SimpleObject)]
pub struct StageAmount {
    pub currency: String,
    pub sum: Decimal,
    pub weighted: Decimal,
}

/// One stage of the pipeline-by-stage report.
#[derive(SimpleObject)]
pub struct StageReportRow {
    pub stage_id: ID,
    pub stage_name: String,
    pub count: u64,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub amounts: Vec<StageAmount>,
}

/// Won money of a group in one currency.
#[derive(SimpleObject)]
pub struct PerformanceAmount {
    pub currency: String,
    pub won: Decimal,
    pub average_deal_size: Decimal,
}

/// Win rate, deal size and sales cycle of one group.
#[derive(SimpleObject)]
pub struct PerformanceRow {
    pub key: String,
    pub label: String,
    pub won: u64,
    pub lost: u64,
    /// Won ÷ (won + lost).
    pub win_rate: Option<f64>,
    /// Mean days from creation to closing.
    pub average_cycle_days: Option<f64>,
    #[graphql(guard = "FieldGuard::of(AMOUNT_FIELD)")]
    pub amounts: Vec<PerformanceAmount>,
}

/// One stage of the funnel.
#[derive(SimpleObject)]
pub struct FunnelRow {
    pub stage_id: ID,
    pub stage_name: String,
    /// Opportunities that were ever in the stage.
    pub entered: u64,
    /// Of them, won and lost.
    pub won: u64,
    pub lost: u64,
    /// Opportunities that were ever in the next stage (none for the won stage).
    pub advanced: Option<u64>,
    /// advanced ÷ entered.
    pub conversion: Option<f64>,
}

/// Close-date slippage of one group.
#[derive(SimpleObject)]
pub struct SlippageRow {
    pub key: String,
    pub label: String,
    pub opportunities: u64,
    /// Opportunities whose close date was ever pushed out.
    pub slipped: u64,
    /// Times a close date was pushed out.
    pub pushes: u64,
    /// Mean days pushed out per slipped opportunity.
    pub average_slip_days: Option<f64>,
}

#[Object]
impl SalesReport {
    /// Count and money per stage of the pipeline.
    async fn pipeline_by_stage(&self, ctx: &Context<'_>) -> AppResult<Vec<StageReportRow>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        self.stage_rows(&state.db, req).await
    }
    /// Win rate, average deal size and sales-cycle length of closed opportunities.
    async fn performance(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "ReportGrouping::Owner")] group_by: ReportGrouping,
    ) -> AppResult<Vec<PerformanceRow>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        self.performance_rows(&state.db, req, group_by).await
    }
    /// How many opportunities each stage saw, and how many went on.
    async fn funnel(&self, ctx: &Context<'_>) -> AppResult<Vec<FunnelRow>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        self.funnel_rows(state, req).await
    }
    /// Close dates pushed out.
    async fn slippage(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "ReportGrouping::Owner")] group_by: ReportGrouping,
    ) -> AppResult<Vec<SlippageRow>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        self.slippage_rows(state, req, group_by).await
    }
}

/// Forecast and report queries.
#[derive(Default)]
pub struct ForecastQuery;

#[Object]
impl ForecastQuery {
    /// The fiscal calendar's settings.
    async fn forecast_settings(&self, ctx: &Context<'_>) -> AppResult<ForecastSettings> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        req.actor()?;
        Ok(ForecastSettings {
            fiscal_year_start_month: service::fiscal_start(&state.db).await? as i32,
        })
    }

    /// The period of `kind` holding `date` (ISO; today when left out).
    async fn forecast_period(
        &self,
        ctx: &Context<'_>,
        kind: PeriodKind,
        date: Option<String>,
    ) -> AppResult<PeriodObject> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        req.actor()?;
        let day = date_arg(&date, "date")?.unwrap_or_else(|| Utc::now().date_naive());
        let fy = service::fiscal_start(&state.db).await?;
        Ok(PeriodObject(Period::containing(kind, day, fy)))
    }

    /// A user's or team's forecast for a period, rolled up through the team hierarchy.
    async fn forecast(
        &self,
        ctx: &Context<'_>,
        subject: ForecastSubjectInput,
        period: PeriodInput,
    ) -> AppResult<Forecast> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let subject = subject_of(&subject, "subject")?;
        let period = period_of(ctx, period, "period").await?;
        let mut nodes = service::forecast(&state.db, req, subject, &[period]).await?;
        nodes
            .pop()
            .map(Forecast)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("a forecast without its period")))
    }

    /// Forecasts for this quarter and the next (`SHORT_TERM`) or the next four quarters
    /// (`LONG_TERM`).
    async fn forecast_horizon(
        &self,
        ctx: &Context<'_>,
        subject: ForecastSubjectInput,
        horizon: ForecastHorizon,
    ) -> AppResult<Vec<Forecast>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let subject = subject_of(&subject, "subject")?;
        let fy = service::fiscal_start(&state.db).await?;
        let periods = service::horizon(
            horizon == ForecastHorizon::LongTerm,
            Utc::now().date_naive(),
            fy,
        );
        Ok(service::forecast(&state.db, req, subject, &periods)
            .await?
            .into_iter()
            .map(Forecast)
            .collect())
    }

    /// Every version of a subject's quotas for a period, newest first.
    async fn quota_history(
        &self,
        ctx: &Context<'_>,
        subject: ForecastSubjectInput,
        period: PeriodInput,
    ) -> AppResult<Vec<Quota>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let subject = subject_of(&subject, "subject")?;
        let period = period_of(ctx, period, "period").await?;
        let tree = Tree::load(&state.db).await?;
        super::policy::check(req, super::policy::QUOTA, Action::Read, subject, &tree)?;
        let name = subject_name(&state.db, subject, &tree).await?;
        Ok(quotas::history(&state.db, subject, period)
            .await?
            .into_iter()
            .map(|m| Quota {
                m,
                period,
                name: name.clone(),
            })
            .collect())
    }

    /// The calls on a subject's forecast for a period, newest first; with `asOf`, those made by
    /// then ("what did we call on 1 July"), each with what has been won since.
    async fn forecast_submissions(
        &self,
        ctx: &Context<'_>,
        subject: ForecastSubjectInput,
        period: PeriodInput,
        as_of: Option<DateTime<Utc>>,
    ) -> AppResult<Vec<ForecastSubmission>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let subject = subject_of(&subject, "subject")?;
        let period = period_of(ctx, period, "period").await?;
        let (list, now) = service::calls(&state.db, req, subject, period, as_of).await?;
        Ok(list
            .into_iter()
            .map(|m| {
                let actual = Some(now.money.get(&m.currency).map_or(0, |a| a.closed_won));
                ForecastSubmission { m, actual }
            })
            .collect())
    }

    /// P10 / P50 / P90 revenue for a period from the pipeline's stage history (a seeded Monte Carlo),
    /// or `INSUFFICIENT_HISTORY` with the counts there are.
    #[allow(clippy::too_many_arguments)]
    async fn statistical_forecast(
        &self,
        ctx: &Context<'_>,
        subject: ForecastSubjectInput,
        period: PeriodInput,
        pipeline_id: Option<ID>,
        #[graphql(default = 10000)] trials: i32,
        #[graphql(default = 1)] seed: i64,
    ) -> AppResult<StatisticalForecast> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let subject = subject_of(&subject, "subject")?;
        let period = period_of(ctx, period, "period").await?;
        let pipeline = pipeline_id
            .map(|p| expect_global_id(&p, "Pipeline", "pipelineId"))
            .transpose()?;
        let r = statistical::forecast(state, req, subject, period, pipeline, trials, seed).await?;
        let catalog = Catalog::load(&state.db).await?;
        let (status, closed, won, stages, slippage) = match &r.fit {
            Ok(f) => {
                let mut stages: Vec<StageWinRate> = catalog
                    .stages_of(r.pipeline, true)
                    .filter_map(|s| {
                        f.stages.get(&s.id).map(|x| StageWinRate {
                            stage_id: to_global_id("PipelineStage", s.id),
                            stage_name: s.name.clone(),
                            samples: x.samples as u64,
                            won: x.won as u64,
                            win_rate: x.win_rate,
                            mean_days_in_stage: (x.mean_days * 10.0).round() / 10.0,
                        })
                    })
                    .collect();
                stages.shrink_to_fit();
                (
                    StatisticalStatus::Ok,
                    f.closed,
                    f.won,
                    stages,
                    Some(SlippageSummary {
                        samples: f.slippage.len() as u64,
                        p10_days: f.slip_quantile(0.1),
                        p50_days: f.slip_quantile(0.5),
                        p90_days: f.slip_quantile(0.9),
                    }),
                )
            }
            Err(i) => (
                StatisticalStatus::InsufficientHistory,
                i.closed,
                i.won,
                Vec::new(),
                None,
            ),
        };
        Ok(StatisticalForecast {
            status,
            period: PeriodObject(period),
            pipeline_id: to_global_id("Pipeline", r.pipeline),
            basis: r.basis,
            closed_count: closed as u64,
            won_count: won as u64,
            minimum_closed: MIN_CLOSED as u64,
            minimum_won: MIN_WON as u64,
            stages,
            slippage,
            currencies: r
                .currencies
                .into_iter()
                .map(|c| StatisticalFigures {
                    open_count: c.open_count as u64,
                    closed_won: decimal(c.closed_won.into(), &c.currency),
                    p10: decimal(c.quantiles.p10.into(), &c.currency),
                    p50: decimal(c.quantiles.p50.into(), &c.currency),
                    p90: decimal(c.quantiles.p90.into(), &c.currency),
                    currency: c.currency,
                })
                .collect(),
        })
    }

    /// The statistical forecast replayed as of the start of each of the last `periods` periods,
    /// against what was actually won.
    async fn forecast_backtest(
        &self,
        ctx: &Context<'_>,
        subject: ForecastSubjectInput,
        pipeline_id: Option<ID>,
        currency: String,
        #[graphql(default_with = "PeriodKind::Quarter")] kind: PeriodKind,
        #[graphql(default = 8)] periods: i32,
    ) -> AppResult<ForecastBacktest> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let subject = subject_of(&subject, "subject")?;
        let pipeline = pipeline_id
            .map(|p| expect_global_id(&p, "Pipeline", "pipelineId"))
            .transpose()?;
        let (pipeline, list) =
            statistical::backtest(state, req, subject, pipeline, &currency, kind, periods).await?;
        let evaluated = list.iter().filter(|p| p.quantiles.is_some()).count();
        let inside = list
            .iter()
            .filter(|p| {
                p.quantiles
                    .is_some_and(|q| q.p10 <= p.actual && p.actual <= q.p90)
            })
            .count();
        let currency = currency.trim().to_ascii_uppercase();
        Ok(ForecastBacktest {
            currency: currency.clone(),
            pipeline_id: to_global_id("Pipeline", pipeline),
            evaluated: evaluated as u64,
            calibration: (evaluated > 0).then(|| inside as f64 / evaluated as f64),
            periods: list
                .into_iter()
                .map(|p| BacktestPeriod {
                    period: PeriodObject(p.period),
                    status: if p.quantiles.is_some() {
                        StatisticalStatus::Ok
                    } else {
                        StatisticalStatus::InsufficientHistory
                    },
                    p10: p.quantiles.map(|q| decimal(q.p10.into(), &currency)),
                    p50: p.quantiles.map(|q| decimal(q.p50.into(), &currency)),
                    p90: p.quantiles.map(|q| decimal(q.p90.into(), &currency)),
                    actual: decimal(p.actual.into(), &currency),
                    inside: p.quantiles.map(|q| q.p10 <= p.actual && p.actual <= q.p90),
                })
                .collect(),
        })
    }

    /// Open opportunities you may read whose stage has not changed for `days` days (1–365),
    /// stalest first.
    async fn stuck_opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] days: i32,
        #[graphql(default = 10)] first: i32,
    ) -> AppResult<Vec<Opportunity>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        if !(1..=365).contains(&days) {
            return Err(AppError::bad_input("days", "must be between 1 and 365"));
        }
        if !(1..=100).contains(&first) {
            return Err(AppError::bad_input("first", "must be between 1 and 100"));
        }
        Ok(
            service::stuck(&state.db, req, i64::from(days), first as u64)
                .await?
                .into_iter()
                .map(Opportunity)
                .collect(),
        )
    }

    /// The sales reports over the opportunities you may read.
    async fn sales_report(
        &self,
        ctx: &Context<'_>,
        filter: Option<ReportFilter>,
    ) -> AppResult<SalesReport> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        SalesReport::new(&state.db, req, filter.unwrap_or_default()).await
    }
}

async fn subject_name(
    db: &impl sea_orm::ConnectionTrait,
    s: Subject,
    tree: &Tree,
) -> AppResult<String> {
    Ok(match s {
        Subject::Team(t) => tree.team(t).map(|t| t.name.clone()).unwrap_or_default(),
        Subject::User(u) => aggregate::unscoped::<UserObject>("a forecast subject's name")
            .filter(<users::Column as sea_orm::ColumnTrait>::eq(
                &users::Column::Id,
                u,
            ))
            .one(db)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default(),
    })
}

/// A quota to set.
#[derive(InputObject)]
pub struct SetQuotaInput {
    pub subject: ForecastSubjectInput,
    pub period: PeriodInput,
    pub currency: String,
    pub amount: Decimal,
    pub note: Option<String>,
}

/// The quota after it was set.
#[derive(SimpleObject)]
pub struct SetQuotaPayload {
    pub quota: Quota,
}

/// A call on a forecast.
#[derive(InputObject)]
pub struct ForecastCallInput {
    pub subject: ForecastSubjectInput,
    pub period: PeriodInput,
    pub currency: String,
    pub commit: Decimal,
    pub best_case: Decimal,
    /// Required for an adjustment.
    pub note: Option<String>,
}

/// The call after it was recorded.
#[derive(SimpleObject)]
pub struct ForecastSubmissionPayload {
    pub submission: ForecastSubmission,
}

/// The fiscal year's first month.
#[derive(InputObject)]
pub struct SetFiscalYearStartInput {
    pub month: i32,
}

/// A team's place in the hierarchy.
#[derive(InputObject)]
pub struct SetTeamParentInput {
    pub team_id: ID,
    /// `null` makes it a top-level team.
    pub parent_id: Option<ID>,
}

/// The team after the change.
#[derive(SimpleObject)]
pub struct SetTeamParentPayload {
    pub team: Team,
}

async fn record_call(
    ctx: &Context<'_>,
    kind: SubmissionKind,
    input: ForecastCallInput,
) -> AppResult<ForecastSubmissionPayload> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let subject = subject_of(&input.subject, "input.subject")?;
    let period = period_of(ctx, input.period, "input.period").await?;
    let m = submissions::record(
        state,
        req,
        kind,
        subject,
        period,
        Call {
            currency: &input.currency,
            commit: &input.commit.0,
            best_case: &input.best_case.0,
            note: input.note.as_deref(),
        },
    )
    .await?;
    Ok(ForecastSubmissionPayload {
        submission: ForecastSubmission { m, actual: None },
    })
}

/// Forecast mutations.
#[derive(Default)]
pub struct ForecastMutation;

#[Object]
impl ForecastMutation {
    /// Sets the month the fiscal year starts in (administrators).
    async fn set_fiscal_year_start(
        &self,
        ctx: &Context<'_>,
        input: SetFiscalYearStartInput,
    ) -> AppResult<ForecastSettings> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let m = service::set_fiscal_start(state, req, input.month).await?;
        Ok(ForecastSettings {
            fiscal_year_start_month: m as i32,
        })
    }

    /// Sets a user's or team's quota for a period (a new version; the old ones stay readable).
    async fn set_quota(
        &self,
        ctx: &Context<'_>,
        input: SetQuotaInput,
    ) -> AppResult<SetQuotaPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let subject = subject_of(&input.subject, "input.subject")?;
        let period = period_of(ctx, input.period, "input.period").await?;
        let m = quotas::set(
            state,
            req,
            subject,
            period,
            &input.currency,
            &input.amount.0,
            input.note.as_deref(),
        )
        .await?;
        let tree = Tree::load(&state.db).await?;
        Ok(SetQuotaPayload {
            quota: Quota {
                m,
                period,
                name: subject_name(&state.db, subject, &tree).await?,
            },
        })
    }

    /// Submits your own forecast call for a period, with a snapshot of the figures.
    async fn submit_forecast(
        &self,
        ctx: &Context<'_>,
        input: ForecastCallInput,
    ) -> AppResult<ForecastSubmissionPayload> {
        record_call(ctx, SubmissionKind::Submission, input).await
    }

    /// Adjusts a subordinate's or a team's forecast call, with a note.
    async fn adjust_forecast(
        &self,
        ctx: &Context<'_>,
        input: ForecastCallInput,
    ) -> AppResult<ForecastSubmissionPayload> {
        record_call(ctx, SubmissionKind::Adjustment, input).await
    }

    /// Places a team below another (or at the top with `null`); a cycle is refused.
    async fn set_team_parent(
        &self,
        ctx: &Context<'_>,
        input: SetTeamParentInput,
    ) -> AppResult<SetTeamParentPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let team = expect_global_id(&input.team_id, "Team", "input.teamId")?;
        let parent = input
            .parent_id
            .as_ref()
            .map(|p| expect_global_id(p, "Team", "input.parentId"))
            .transpose()?;
        policy::authorize(req, "team", Action::Update)?;
        let mut w = Write::begin(state, Some(req)).await?;
        let tree = Tree::load(w.txn()).await?;
        let current = tree
            .team(team)
            .cloned()
            .ok_or_else(|| AppError::NotFound("no such team".into()))?;
        if let Some(p) = parent {
            if tree.team(p).is_none() {
                return Err(AppError::bad_input("input.parentId", "is not a team"));
            }
            if tree.would_cycle(team, p) {
                return Err(AppError::bad_input(
                    "input.parentId",
                    "is the team itself or below it: the hierarchy would loop",
                ));
            }
        }
        if current.parent_id != parent {
            let mut am = current.clone().into_active_model();
            am.parent_id = Set(parent);
            am.update(w.txn()).await?;
            w.log(
                "team",
                team,
                "set_parent",
                json!({"parentId": {"before": current.parent_id, "after": parent}}),
            )
            .await?;
        }
        w.commit().await?;
        let t = Team::load(&state.db, team)
            .await?
            .ok_or_else(|| AppError::NotFound("no such team".into()))?;
        Ok(SetTeamParentPayload { team: t })
    }
}
