//! Reminders coming due: one ticker per server process looks for planned activities whose reminder
//! time passed since its last look and announces them in process; each `reminderDue` subscriber
//! keeps those of its own activities.

use std::time::Duration;

use entity::activities::activities;
use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::kinds::ActivityStatus;
use super::policy::ActivityObject;
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
            let due: Result<Vec<Uuid>, _> = crate::db::in_background(
                aggregate::unscoped::<ActivityObject>("the reminder ticker serves every user")
                    .select_only()
                    .column(activities::Column::Id)
                    .filter(activities::Column::Status.eq(ActivityStatus::Planned.as_str()))
                    .filter(activities::Column::ArchivedAt.is_null())
                    .filter(activities::Column::RemindAt.gt(last))
                    .filter(activities::Column::RemindAt.lte(now))
                    .into_tuple()
                    .all(&state.db),
            )
            .await;
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
