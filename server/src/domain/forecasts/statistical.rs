//! The statistical forecast and its backtest over the database: the pipeline's visible history is
//! loaded once, with what it says now, and kept (in `AppState::memo`) until a history row or an
//! opportunity changes; each request then fits the model on it (or on a replay as of past period
//! starts) and runs the seeded Monte Carlo.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{NaiveTime, Utc};
use uuid::Uuid;

use super::hierarchy::Tree;
use super::history::{self, Loaded, Story};
use super::periods::{Period, PeriodKind};
use super::policy::{self as fpolicy, Subject, FORECAST};
use super::service::fiscal_start;
use super::stats::{self, Fit, Insufficient, Quantiles};
use crate::auth::RequestCtx;
use crate::domain::opportunities::pipelines::Catalog;
use crate::domain::opportunities::policy::OpportunityObject;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::Aggregate;
use crate::policy::{self, Action, Scope};
use crate::state::AppState;

/// Trials at most per request.
pub const MAX_TRIALS: i32 = 100_000;

stored_enum!(
    /// Whose closed history the model was fitted on.
    ModelBasis { Subject => "SUBJECT", Pipeline => "PIPELINE" }
);
use async_graphql::Enum;

/// A forecast per currency: quantiles of the revenue landing in the period, what is already won in
/// it included.
#[derive(Debug, Clone)]
pub struct CurrencyForecast {
    pub currency: String,
    pub closed_won: i64,
    pub open_count: usize,
    pub quantiles: Quantiles,
}

/// The answer: a fitted model and its forecast, or the history there is.
pub struct Statistical {
    pub pipeline: Uuid,
    pub basis: ModelBasis,
    pub fit: Result<Fit, Insufficient>,
    pub currencies: Vec<CurrencyForecast>,
}

/// One replayed period of the backtest.
pub struct BacktestPeriod {
    pub period: Period,
    /// `None` when too little had closed by the period's start.
    pub quantiles: Option<Quantiles>,
    pub actual: i64,
}

/// The caller's row scope as a key part: whose opportunities their reads reach.
fn scope_key(ctx: &RequestCtx) -> AppResult<String> {
    let (actor, scope) = policy::authorize(ctx, OpportunityObject::OBJECT, Action::Read)?;
    Ok(match scope {
        Scope::All => "all".into(),
        Scope::Own => format!("own:{}", actor.user_id),
        Scope::Team => {
            let mut ids: Vec<String> = actor.team_user_ids.iter().map(Uuid::to_string).collect();
            ids.sort();
            format!("team:{}", ids.join(","))
        }
    })
}

/// The pipeline's stories the caller may read and what they say now, from the memo when nothing
/// changed since (the funnel and slippage reports read them too).
pub async fn stories(state: &AppState, ctx: &RequestCtx, pipeline: Uuid) -> AppResult<Arc<Loaded>> {
    let key = format!("forecast-history:{pipeline}:{}", scope_key(ctx)?);
    let token = history::token(&state.db).await?;
    if let Some(s) = state.memo.get::<Loaded>(&key, &token) {
        return Ok(s);
    }
    let stories = history::load(&state.db, ctx, pipeline, None).await?;
    let catalog = Catalog::load(&state.db).await?;
    let open = open_stages(&catalog, pipeline);
    let loaded = off_thread(move || {
        let now = history::as_of(&stories, &open, Utc::now());
        Loaded { stories, now }
    })
    .await?;
    let s = Arc::new(loaded);
    state.memo.put(key, token, s.clone());
    Ok(s)
}

fn open_stages(catalog: &Catalog, pipeline: Uuid) -> Vec<Uuid> {
    catalog
        .stages_of(pipeline, true)
        .filter(|s| s.outcome == "OPEN")
        .map(|s| s.id)
        .collect()
}

/// The pipeline (given, or the default one) if it exists.
pub fn pipeline_of(catalog: &Catalog, pipeline: Option<Uuid>) -> AppResult<Uuid> {
    match pipeline {
        Some(p) => catalog
            .pipeline(p)
            .map(|p| p.id)
            .ok_or_else(|| AppError::NotFound("no such pipeline".into())),
        None => catalog
            .default_pipeline()
            .map(|p| p.id)
            .ok_or_else(|| AppError::NotFound("no pipeline".into())),
    }
}

/// The subject's pipeline, its stories, open stages and users, after the read check.
async fn prepare(
    state: &AppState,
    ctx: &RequestCtx,
    subject: Subject,
    pipeline: Option<Uuid>,
) -> AppResult<(Uuid, Arc<Loaded>, Vec<Uuid>, HashSet<Uuid>)> {
    let tree = Tree::load(&state.db).await?;
    fpolicy::check(ctx, FORECAST, Action::Read, subject, &tree)?;
    let catalog = Catalog::load(&state.db).await?;
    let pipeline = pipeline_of(&catalog, pipeline)?;
    let open = open_stages(&catalog, pipeline);
    let stories = stories(state, ctx, pipeline).await?;
    Ok((
        pipeline,
        stories,
        open,
        subject.users(&tree).into_iter().collect(),
    ))
}

/// Fits on the subject's own closed history when it is enough, else on the pipeline's.
fn fit_for(
    view: &history::AsOf,
    owners: &HashSet<Uuid>,
) -> (ModelBasis, Result<Fit, Insufficient>) {
    let mine = view
        .closed
        .iter()
        .filter(|(o, _)| owners.contains(o))
        .map(|(_, s)| s);
    match stats::fit(mine) {
        Ok(f) => (ModelBasis::Subject, Ok(f)),
        Err(_) => (
            ModelBasis::Pipeline,
            stats::fit(view.closed.iter().map(|(_, s)| s)),
        ),
    }
}

/// The subject's open deals of a view in one currency.
fn deals_of(view: &history::AsOf, owners: &HashSet<Uuid>, currency: &str) -> Vec<stats::OpenDeal> {
    view.open
        .get(currency)
        .map(|v| {
            v.iter()
                .filter(|(o, _)| owners.contains(o))
                .map(|(_, d)| d.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs CPU-heavy work off the request threads.
async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("simulation stopped: {e}")))
}

/// P10 / P50 / P90 of the subject's revenue in the period, or `INSUFFICIENT_HISTORY`.
pub async fn forecast(
    state: &AppState,
    ctx: &RequestCtx,
    subject: Subject,
    period: Period,
    pipeline: Option<Uuid>,
    trials: i32,
    seed: i64,
) -> AppResult<Statistical> {
    if !(1..=MAX_TRIALS).contains(&trials) {
        return Err(AppError::bad_input(
            "trials",
            format!("must be between 1 and {MAX_TRIALS}"),
        ));
    }
    let (pipeline, loaded, _, owners) = prepare(state, ctx, subject, pipeline).await?;
    off_thread(move || {
        let view = &loaded.now;
        let (basis, fit) = fit_for(view, &owners);
        let mut currencies = Vec::new();
        if let Ok(f) = &fit {
            let mut won: BTreeMap<String, i64> = BTreeMap::new();
            for s in loaded.stories.iter().filter(|s| owners.contains(&s.owner)) {
                if let (Some(day), Some((a, c))) = (s.won_on(), s.amount_now()) {
                    if period.holds(day) {
                        *won.entry(c.clone()).or_default() += a;
                    }
                }
            }
            let mut names: Vec<String> = view.open.keys().chain(won.keys()).cloned().collect();
            names.sort();
            names.dedup();
            for cur in names {
                let deals = deals_of(view, &owners, &cur);
                let q = stats::simulate(
                    f,
                    &deals,
                    period.start,
                    period.end_exclusive(),
                    trials as usize,
                    seed as u64,
                );
                let base = won.get(&cur).copied().unwrap_or(0);
                currencies.push(CurrencyForecast {
                    currency: cur,
                    closed_won: base,
                    open_count: deals.len(),
                    quantiles: Quantiles {
                        p10: q.p10 + base,
                        p50: q.p50 + base,
                        p90: q.p90 + base,
                    },
                });
            }
        }
        Statistical {
            pipeline,
            basis,
            fit,
            currencies,
        }
    })
    .await
}

/// Trials per replayed period.
const BACKTEST_TRIALS: usize = 2_000;

/// Replays the model as of the start of each of the last `periods` periods of `kind` and compares
/// its P10–P90 with what was actually won, in the period, from the opportunities open at its start.
#[allow(clippy::too_many_arguments)]
pub async fn backtest(
    state: &AppState,
    ctx: &RequestCtx,
    subject: Subject,
    pipeline: Option<Uuid>,
    currency: &str,
    kind: PeriodKind,
    periods: i32,
) -> AppResult<(Uuid, Vec<BacktestPeriod>)> {
    if !(1..=24).contains(&periods) {
        return Err(AppError::bad_input("periods", "must be between 1 and 24"));
    }
    let currency = crate::domain::validation::currency("currency", currency)
        .map_err(|e| AppError::BadInput(vec![e]))?;
    let (pipeline, loaded, open, owners) = prepare(state, ctx, subject, pipeline).await?;
    let fy = fiscal_start(&state.db).await?;
    let this = Period::containing(kind, Utc::now().date_naive(), fy);
    let out = off_thread(move || {
        let mine: Vec<&Story> = loaded
            .stories
            .iter()
            .filter(|s| owners.contains(&s.owner))
            .collect();
        let mut out = Vec::new();
        for k in (1..=periods).rev() {
            let p = this.shifted(-k, fy);
            let t = p.start.and_time(NaiveTime::MIN).and_utc();
            let view = history::as_of(&loaded.stories, &open, t);
            let (_, fit) = fit_for(&view, &owners);
            let actual: i64 = mine
                .iter()
                .filter(|s| s.open_at(t))
                .filter_map(|s| {
                    let day = s.won_on()?;
                    let (a, c) = s.amount_now()?;
                    (p.holds(day) && *c == currency).then_some(*a)
                })
                .sum();
            let quantiles = fit.ok().map(|f| {
                stats::simulate(
                    &f,
                    &deals_of(&view, &owners, &currency),
                    p.start,
                    p.end_exclusive(),
                    BACKTEST_TRIALS,
                    k as u64,
                )
            });
            out.push(BacktestPeriod {
                period: p,
                quantiles,
                actual,
            });
        }
        out
    })
    .await?;
    Ok((pipeline, out))
}
