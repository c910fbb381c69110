//! Tasks the system gives users (overdue reminders, renewal notices), written inside the
//! transaction of the job that raises them, linked to the customer and logged like any other.

use chrono::{DateTime, Utc};
use entity::activities::{activities, activity_links};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::kinds::{ActivityKind, ActivityStatus, LinkType};
use crate::error::AppResult;
use crate::kit::write::Write;

/// A task for `owner` about `party`.
pub struct SystemTask {
    pub owner: Uuid,
    pub party: Uuid,
    pub subject: String,
    pub description: String,
    pub due_at: DateTime<Utc>,
    pub remind_at: Option<DateTime<Utc>>,
}

/// Writes the task, its link to the party and its change-log row in `w`'s transaction.
pub async fn create_task(w: &mut Write<'_>, t: SystemTask, now: DateTime<Utc>) -> AppResult<Uuid> {
    let task = activities::Model {
        id: Uuid::new_v4(),
        kind: ActivityKind::Task.as_str().into(),
        subject: t.subject.chars().take(200).collect(),
        description: Some(t.description),
        starts_at: None,
        ends_at: None,
        due_at: Some(t.due_at),
        status: ActivityStatus::Planned.as_str().into(),
        outcome: None,
        owner_id: t.owner,
        private_note: None,
        remind_at: t.remind_at,
        location: None,
        meeting_url: None,
        recurrence: None,
        time_zone: None,
        recurrence_until: None,
        series_id: None,
        occurrence_at: None,
        completed_at: None,
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: None,
        updated_by: None,
    };
    activities::ActiveModel::from(task.clone())
        .insert(w.txn())
        .await?;
    activity_links::ActiveModel {
        activity_id: Set(task.id),
        object_type: Set(LinkType::Party.as_str().into()),
        object_id: Set(t.party),
    }
    .insert(w.txn())
    .await?;
    w.log(
        "activity",
        task.id,
        "create",
        json!({
            "kind": {"before": null, "after": task.kind},
            "subject": {"before": null, "after": task.subject},
            "ownerId": {"before": null, "after": task.owner_id},
            "links": {"before": null, "after": [{"type": "PARTY", "id": t.party}]},
        }),
    )
    .await?;
    Ok(task.id)
}
