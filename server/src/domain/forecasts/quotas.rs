//! Quotas: a user's or team's target for a period in one currency. Every change adds a version; the
//! highest version is the quota, and the older ones stay readable.

use std::collections::HashMap;

use entity::forecasts::quotas;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::hierarchy::Tree;
use super::periods::Period;
use super::policy::{self as fpolicy, Subject, QUOTA};
use crate::auth::RequestCtx;
use crate::domain::money;
use crate::domain::validation::{self, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::write::Write;
use crate::policy::Action;
use crate::state::AppState;

fn subject_cond(subjects: &[Subject]) -> Condition {
    subjects.iter().fold(Condition::any(), |c, s| {
        c.add(
            Condition::all()
                .add(quotas::Column::SubjectKind.eq(s.kind()))
                .add(quotas::Column::SubjectId.eq(s.id())),
        )
    })
}

/// The current quotas (`amount` by currency) of `subjects` in `periods`: one statement.
pub async fn current(
    db: &impl ConnectionTrait,
    subjects: &[Subject],
    periods: &[Period],
) -> AppResult<HashMap<(Subject, Period), HashMap<String, i64>>> {
    let mut out: HashMap<(Subject, Period), HashMap<String, (i32, i64)>> = HashMap::new();
    if subjects.is_empty() || periods.is_empty() {
        return Ok(HashMap::new());
    }
    let kind = periods[0].kind;
    let rows = quotas::Entity::find()
        .filter(subject_cond(subjects))
        .filter(quotas::Column::PeriodKind.eq(kind.as_str()))
        .filter(quotas::Column::PeriodStart.is_in(periods.iter().map(|p| p.start)))
        .all(db)
        .await?;
    for r in rows {
        let subject = if r.subject_kind == "TEAM" {
            Subject::Team(r.subject_id)
        } else {
            Subject::User(r.subject_id)
        };
        let Some(p) = periods.iter().find(|p| p.start == r.period_start) else {
            continue;
        };
        let e = out
            .entry((subject, *p))
            .or_default()
            .entry(r.currency)
            .or_insert((0, 0));
        if r.version > e.0 {
            *e = (r.version, r.amount_minor);
        }
    }
    Ok(out
        .into_iter()
        .map(|(k, v)| (k, v.into_iter().map(|(c, (_, a))| (c, a)).collect()))
        .collect())
}

/// Every version of a subject's quotas in a period, newest first.
pub async fn history(
    db: &impl ConnectionTrait,
    subject: Subject,
    period: Period,
) -> AppResult<Vec<quotas::Model>> {
    Ok(quotas::Entity::find()
        .filter(subject_cond(&[subject]))
        .filter(quotas::Column::PeriodKind.eq(period.kind.as_str()))
        .filter(quotas::Column::PeriodStart.eq(period.start))
        .order_by_desc(quotas::Column::SetAt)
        .order_by_desc(quotas::Column::Version)
        .all(db)
        .await?)
}

/// Sets a quota (a new version).
pub async fn set(
    state: &AppState,
    ctx: &RequestCtx,
    subject: Subject,
    period: Period,
    currency: &str,
    amount: &str,
    note: Option<&str>,
) -> AppResult<quotas::Model> {
    let mut v = Validator::default();
    let currency = v.check(validation::currency("input.currency", currency));
    let amount = v.check(money::parse_given(
        "input.amount",
        amount,
        currency.as_deref(),
    ));
    let note = v
        .given(note, |n| validation::long_text("input.note", n, 1000))
        .flatten();
    v.finish()?;
    let (Some(currency), Some(amount)) = (currency, amount) else {
        return Err(AppError::bad_input("input", "is incomplete"));
    };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let tree = Tree::load(w.txn()).await?;
    let action = if history(w.txn(), subject, period).await?.is_empty() {
        Action::Create
    } else {
        Action::Update
    };
    fpolicy::check(ctx, QUOTA, action, subject, &tree)?;
    let actor = ctx.actor()?;
    let previous = history(w.txn(), subject, period)
        .await?
        .into_iter()
        .filter(|q| q.currency == currency)
        .max_by_key(|q| q.version);
    let row = quotas::Model {
        id: Uuid::new_v4(),
        subject_kind: subject.kind().to_string(),
        subject_id: subject.id(),
        period_kind: period.kind.as_str().to_string(),
        period_start: period.start,
        currency: currency.clone(),
        amount_minor: amount,
        version: previous.as_ref().map_or(1, |p| p.version + 1),
        note,
        set_by: Some(actor.user_id),
        set_at: crate::db::now(),
    };
    let saved = row.clone().into_active_model().insert(w.txn()).await?;
    w.log(
        QUOTA,
        saved.id,
        "set",
        json!({
            "subject": {"before": null, "after": format!("{}:{}", subject.kind(), subject.id())},
            "period": {"before": null, "after": period.label()},
            "amount": {
                "before": previous.map(|p| money::to_json(Some(p.amount_minor), &Some(p.currency))),
                "after": money::to_json(Some(amount), &Some(currency)),
            },
        }),
    )
    .await?;
    w.commit().await?;
    Ok(saved)
}
