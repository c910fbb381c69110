//! Forecast calls: an owner's submission or a manager's adjustment, each kept with a snapshot of the
//! figures at that moment, so "what did we call for Q3 on 1 July, and what happened" is one query.

use entity::forecasts::forecast_submissions as subs;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::figures;
use super::hierarchy::Tree;
use super::periods::Period;
use super::policy::{self as fpolicy, Subject, FORECAST};
use super::quotas;
use crate::auth::RequestCtx;
use crate::domain::money;
use crate::domain::validation::{self, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::write::Write;
use crate::policy::Action;
use crate::state::AppState;

stored_enum!(
    /// Whose call: the owner's own, or a manager's adjustment of it.
    SubmissionKind { Submission => "SUBMISSION", Adjustment => "ADJUSTMENT" }
);

use async_graphql::Enum;

/// What a call says.
pub struct Call<'a> {
    pub currency: &'a str,
    pub commit: &'a str,
    pub best_case: &'a str,
    pub note: Option<&'a str>,
}

/// Records a submission or an adjustment with a snapshot of the figures.
pub async fn record(
    state: &AppState,
    ctx: &RequestCtx,
    kind: SubmissionKind,
    subject: Subject,
    period: Period,
    call: Call<'_>,
) -> AppResult<subs::Model> {
    let mut v = Validator::default();
    let currency = v.check(validation::currency("input.currency", call.currency));
    let cur = currency.as_deref();
    let commit = v.check(money::parse_given("input.commit", call.commit, cur));
    let best_case = v.check(money::parse_given("input.bestCase", call.best_case, cur));
    let note = v
        .given(call.note, |n| validation::long_text("input.note", n, 2000))
        .flatten();
    if kind == SubmissionKind::Adjustment && note.is_none() {
        v.push("input.note", "is required for an adjustment");
    }
    v.finish()?;
    let (Some(currency), Some(commit), Some(best_case)) = (currency, commit, best_case) else {
        return Err(AppError::bad_input("input", "is incomplete"));
    };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let tree = Tree::load(w.txn()).await?;
    let actor = ctx.actor()?;
    match kind {
        SubmissionKind::Submission => {
            fpolicy::check(ctx, FORECAST, Action::Create, subject, &tree)?
        }
        SubmissionKind::Adjustment => {
            fpolicy::check(ctx, FORECAST, Action::Update, subject, &tree)?;
            if subject == Subject::User(actor.user_id) {
                return Err(AppError::bad_input(
                    "input.subject.ownerId",
                    "is yourself: submit your own forecast instead of adjusting it",
                ));
            }
        }
    }
    let stages = figures::stage_categories(w.txn()).await?;
    let owners = subject.users(&tree);
    let per_owner = figures::by_owner(w.txn(), ctx, &stages, &owners, &[period]).await?;
    let tally = figures::sum_of(&per_owner, 0, &owners);
    let a = tally.money.get(&currency).copied().unwrap_or_default();
    let quota = quotas::current(w.txn(), &[subject], &[period])
        .await?
        .get(&(subject, period))
        .and_then(|q| q.get(&currency).copied());
    let clamp = |x: i128| i64::try_from(x).unwrap_or(i64::MAX);
    let row = subs::Model {
        id: Uuid::new_v4(),
        kind: kind.as_str().to_string(),
        subject_kind: subject.kind().to_string(),
        subject_id: subject.id(),
        period_kind: period.kind.as_str().to_string(),
        period_start: period.start,
        currency: currency.clone(),
        commit_minor: commit,
        best_case_minor: best_case,
        closed_won_minor: clamp(a.closed_won),
        snapshot_commit_minor: clamp(a.commit),
        snapshot_best_case_minor: clamp(a.best_case),
        snapshot_pipeline_minor: clamp(a.pipeline),
        snapshot_weighted_minor: clamp(a.weighted()),
        quota_minor: quota,
        note,
        submitted_by: actor.user_id,
        submitted_at: crate::db::now(),
    };
    let saved = row.into_active_model().insert(w.txn()).await?;
    let cur = Some(currency);
    w.log(
        FORECAST,
        saved.id,
        match kind {
            SubmissionKind::Submission => "submit",
            SubmissionKind::Adjustment => "adjust",
        },
        json!({
            "subject": {"before": null, "after": format!("{}:{}", subject.kind(), subject.id())},
            "period": {"before": null, "after": period.label()},
            "commit": {"before": null, "after": money::to_json(Some(commit), &cur)},
            "bestCase": {"before": null, "after": money::to_json(Some(best_case), &cur)},
            "note": {"before": null, "after": saved.note},
        }),
    )
    .await?;
    w.commit().await?;
    Ok(saved)
}

fn subjects_cond(subjects: &[Subject]) -> Condition {
    subjects.iter().fold(Condition::any(), |c, s| {
        c.add(
            Condition::all()
                .add(subs::Column::SubjectKind.eq(s.kind()))
                .add(subs::Column::SubjectId.eq(s.id())),
        )
    })
}

/// The calls on `subjects` for `periods` made at or before `as_of` (all when `None`), newest first:
/// one statement.
pub async fn list(
    db: &impl ConnectionTrait,
    subjects: &[Subject],
    periods: &[Period],
    as_of: Option<chrono::DateTime<chrono::Utc>>,
) -> AppResult<Vec<subs::Model>> {
    if subjects.is_empty() || periods.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = subs::Entity::find()
        .filter(subjects_cond(subjects))
        .filter(subs::Column::PeriodKind.eq(periods[0].kind.as_str()))
        .filter(subs::Column::PeriodStart.is_in(periods.iter().map(|p| p.start)));
    if let Some(t) = as_of {
        q = q.filter(subs::Column::SubmittedAt.lte(t));
    }
    Ok(q.order_by_desc(subs::Column::SubmittedAt)
        .order_by_desc(subs::Column::Id)
        .all(db)
        .await?)
}

/// The subject a stored call is about.
pub fn subject_of(m: &subs::Model) -> Subject {
    if m.subject_kind == "TEAM" {
        Subject::Team(m.subject_id)
    } else {
        Subject::User(m.subject_id)
    }
}
