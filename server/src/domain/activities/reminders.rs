//! Reminders coming due: one ticker per server process looks for planned activities whose reminder
//! time passed since its last look and announces them in process; each `reminderDue` subscriber
//! keeps those of its own activities. A repeating call or meeting reminds of each occurrence in
//! turn (its reminder moved with the start); the subscriber receives that occurrence.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::activities::activities;
use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::kinds::ActivityStatus;
use super::policy::ActivityObject;
use super::service;
use crate::events::ChangeEvent;
use crate::kit::aggregate;
use crate::state::AppState;

/// The object type of reminder events.
pub const REMINDER: &str = "reminder";
/// How often the ticker looks.
pub const TICK: Duration = Duration::from_secs(2);

/// Starts the ticker of this process (each process announces to its own subscribers only).
pub fn spawn_ticker(state: AppState) {
    tokio::spawn(async move {
        let mut last = crate::db::now();
        let mut interval = tokio::time::interval(TICK);
        loop {
            interval.tick().await;
            let now = crate::db::now();
            let due = crate::db::in_background(due_between(&state, last, now)).await;
            match due {
                Ok(ids) => {
                    for id in ids {
                        state
                            .events
                            .publish_local(ChangeEvent::new(0, REMINDER, id, "due"));
                    }
                    last = now;
                }
                Err(e) => tracing::warn!(error = %e, "reminder ticker could not read"),
            }
        }
    });
}

/// The activities whose reminder time fell in `(last, now]`: single ones by their reminder, a
/// series when one of its occurrences' reminders did (the series' reminder moved with the start).
async fn due_between(
    state: &AppState,
    last: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, sea_orm::DbErr> {
    use activities::Column as C;
    let planned = || {
        aggregate::unscoped::<ActivityObject>("the reminder ticker serves every user")
            .filter(C::Status.eq(ActivityStatus::Planned.as_str()))
            .filter(C::ArchivedAt.is_null())
    };
    let mut ids: Vec<Uuid> = planned()
        .select_only()
        .column(C::Id)
        .filter(service::series_rows(false))
        .filter(C::RemindAt.gt(last))
        .filter(C::RemindAt.lte(now))
        .into_tuple()
        .all(&state.db)
        .await?;
    // Series still running whose first reminder has come: each checked in memory.
    let series = planned()
        .filter(service::series_rows(true))
        .filter(C::RemindAt.lte(now))
        .filter(
            sea_orm::Condition::any()
                .add(C::RecurrenceUntil.is_null())
                .add(C::RecurrenceUntil.gt(last)),
        )
        .all(&state.db)
        .await?;
    ids.extend(
        series
            .iter()
            .filter(|s| service::due_occurrence(s, now).is_some_and(|at| reminder_of(s, at) > last))
            .map(|s| s.id),
    );
    Ok(ids)
}

/// When the occurrence of `series` starting at `at` reminds.
fn reminder_of(series: &activities::Model, at: DateTime<Utc>) -> DateTime<Utc> {
    match (series.starts_at, series.remind_at) {
        (Some(start), Some(remind)) => at - (start - remind),
        _ => at,
    }
}
