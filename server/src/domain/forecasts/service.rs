//! A forecast: the figures of a subject for one or more periods, with its quota, its latest call and
//! adjustment, and one level of children (a team's sub-teams, then its direct members). A fixed
//! number of statements whatever the team's size: teams, members, stage categories, the figures,
//! quotas, calls and the names of the users among the subjects.

use std::collections::HashMap;

use entity::access::users;
use entity::forecasts::{forecast_settings, forecast_submissions as subs};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::figures::{self, Tally};
use super::hierarchy::Tree;
use super::periods::{Period, PeriodKind};
use super::policy::{self as fpolicy, Subject, FORECAST};
use super::quotas;
use super::submissions::{self, SubmissionKind};
use crate::auth::RequestCtx;
use crate::domain::users::service::UserObject;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

/// One subject's forecast for one period.
#[derive(Debug, Clone)]
pub struct Node {
    pub period: Period,
    pub subject: Subject,
    pub name: String,
    pub tally: Tally,
    /// The current quota by currency.
    pub quotas: HashMap<String, i64>,
    pub latest_submission: Option<subs::Model>,
    pub latest_adjustment: Option<subs::Model>,
    pub children: Vec<Node>,
}

/// The month the fiscal year starts in (1 = January).
pub async fn fiscal_start(db: &impl ConnectionTrait) -> AppResult<u32> {
    Ok(forecast_settings::Entity::find_by_id(1)
        .one(db)
        .await?
        .map_or(1, |s| s.fiscal_year_start_month.clamp(1, 12) as u32))
}

/// Sets the month the fiscal year starts in (`forecast` update at `all`: administrators).
pub async fn set_fiscal_start(state: &AppState, ctx: &RequestCtx, month: i32) -> AppResult<u32> {
    let (_, scope) = policy::authorize(ctx, FORECAST, Action::Update)?;
    if scope != crate::policy::Scope::All {
        return Err(AppError::Forbidden(
            "only administrators set the fiscal year".into(),
        ));
    }
    if !(1..=12).contains(&month) {
        return Err(AppError::bad_input(
            "input.month",
            "must be between 1 and 12",
        ));
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let before = fiscal_start(w.txn()).await?;
    forecast_settings::ActiveModel {
        id: Set(1),
        fiscal_year_start_month: Set(month),
        updated_at: Set(Some(crate::db::now())),
    }
    .update(w.txn())
    .await?;
    w.log(
        FORECAST,
        Uuid::nil(),
        "set_fiscal_year_start",
        json!({"fiscalYearStartMonth": {"before": before, "after": month}}),
    )
    .await?;
    w.commit().await?;
    Ok(month as u32)
}

/// The horizon periods: this quarter and the next (short term), or the four quarters after this
/// one (long term).
pub fn horizon(long: bool, today: chrono::NaiveDate, fy: u32) -> Vec<Period> {
    let this = Period::containing(PeriodKind::Quarter, today, fy);
    if long {
        (1..=4).map(|i| this.shifted(i, fy)).collect()
    } else {
        vec![this, this.shifted(1, fy)]
    }
}

/// The forecasts of `subject` for `periods` (all of one kind), after checking the caller may read
/// them.
pub async fn forecast(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    subject: Subject,
    periods: &[Period],
) -> AppResult<Vec<Node>> {
    let tree = Tree::load(db).await?;
    fpolicy::check(ctx, FORECAST, Action::Read, subject, &tree)?;
    let children: Vec<Subject> = match subject {
        Subject::User(_) => Vec::new(),
        Subject::Team(t) => tree
            .children(t)
            .into_iter()
            .map(|c| Subject::Team(c.id))
            .chain(tree.members(t).iter().map(|u| Subject::User(*u)))
            .collect(),
    };
    let owners = subject.users(&tree);
    let stages = figures::stage_categories(db).await?;
    let per_owner = figures::by_owner(db, ctx, &stages, &owners, periods).await?;
    let all: Vec<Subject> = std::iter::once(subject)
        .chain(children.iter().copied())
        .collect();
    let quotas = quotas::current(db, &all, periods).await?;
    let calls = submissions::list(db, &all, periods, None).await?;
    let user_ids: Vec<Uuid> = all
        .iter()
        .filter_map(|s| match s {
            Subject::User(u) => Some(*u),
            Subject::Team(_) => None,
        })
        .collect();
    let names: HashMap<Uuid, String> =
        aggregate::unscoped::<UserObject>("the names of forecast subjects the caller may read")
            .filter(users::Column::Id.is_in(user_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
    let name = |s: Subject| match s {
        Subject::User(u) => names.get(&u).cloned().unwrap_or_default(),
        Subject::Team(t) => tree.team(t).map(|t| t.name.clone()).unwrap_or_default(),
    };
    let latest = |s: Subject, p: &Period, kind: SubmissionKind| {
        calls
            .iter()
            .find(|c| {
                submissions::subject_of(c) == s
                    && c.period_start == p.start
                    && c.kind == kind.as_str()
            })
            .cloned()
    };
    let node = |s: Subject, i: usize, p: &Period, children: Vec<Node>| Node {
        period: *p,
        subject: s,
        name: name(s),
        tally: figures::sum_of(&per_owner, i, &s.users(&tree)),
        quotas: quotas.get(&(s, *p)).cloned().unwrap_or_default(),
        latest_submission: latest(s, p, SubmissionKind::Submission),
        latest_adjustment: latest(s, p, SubmissionKind::Adjustment),
        children,
    };
    Ok(periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let kids = children
                .iter()
                .map(|c| node(*c, i, p, Vec::new()))
                .collect();
            node(subject, i, p, kids)
        })
        .collect())
}

/// The calls on a subject in a period made at or before `as_of`, newest first, with what has been
/// won in the period since (by currency, from the opportunities the caller may read).
pub async fn calls(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    subject: Subject,
    period: Period,
    as_of: Option<chrono::DateTime<chrono::Utc>>,
) -> AppResult<(Vec<subs::Model>, Tally)> {
    let tree = Tree::load(db).await?;
    fpolicy::check(ctx, FORECAST, Action::Read, subject, &tree)?;
    let list = submissions::list(db, &[subject], &[period], as_of).await?;
    let owners = subject.users(&tree);
    let stages = figures::stage_categories(db).await?;
    let per_owner = figures::by_owner(db, ctx, &stages, &owners, &[period]).await?;
    Ok((list, figures::sum_of(&per_owner, 0, &owners)))
}

/// Open opportunities the caller may read whose stage has not changed for `days` days, stalest
/// first: the "stuck deals" of a manager's dashboard.
pub async fn stuck(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    days: i64,
    first: u64,
) -> AppResult<Vec<entity::opportunities::opportunities::Model>> {
    use entity::opportunities::{opportunities as o, opportunity_history as h};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{QueryOrder, QuerySelect};
    let cutoff = crate::db::now() - chrono::Duration::days(days);
    let moved = Query::select()
        .column(h::Column::OpportunityId)
        .from(h::Entity)
        .and_where(Expr::col(h::Column::Field).eq("STAGE"))
        .and_where(Expr::col(h::Column::OccurredAt).gt(cutoff))
        .to_owned();
    Ok(crate::domain::opportunities::service::visible(ctx)?
        .filter(o::Column::Status.eq("OPEN"))
        .filter(o::Column::ArchivedAt.is_null())
        .filter(o::Column::Id.not_in_subquery(moved))
        .order_by_asc(o::Column::UpdatedAt)
        .order_by_asc(o::Column::Id)
        .limit(first)
        .all(db)
        .await?)
}
