//! One activity. Calls and meetings have a start (and end); tasks a due time; all have a status.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `CALL`, `MEETING`, `TASK`, `EMAIL` or `NOTE`.
    pub kind: String,
    pub subject: String,
    pub description: Option<String>,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub due_at: Option<DateTimeUtc>,
    /// `PLANNED`, `DONE` or `CANCELLED`.
    pub status: String,
    pub outcome: Option<String>,
    pub owner_id: Uuid,
    pub private_note: Option<String>,
    pub remind_at: Option<DateTimeUtc>,
    /// Where a meeting takes place.
    pub location: Option<String>,
    /// The online-meeting link of a meeting or call.
    pub meeting_url: Option<String>,
    /// An RFC 5545 rule (`FREQ=WEEKLY;COUNT=10`) when the activity repeats. A call or meeting is
    /// then the series, its occurrences starting at the rule's times from `starts_at`; a task is
    /// one at a time, followed by the next (due at the rule's next time) when it is done.
    pub recurrence: Option<String>,
    /// The IANA time zone the rule repeats in (`Europe/Berlin`): a series keeps its local time of
    /// day there across daylight saving. `None`: UTC.
    pub time_zone: Option<String>,
    /// The last start of a series whose rule ends (`None`: it runs on).
    pub recurrence_until: Option<DateTimeUtc>,
    /// The series an occurrence changed on its own belongs to.
    pub series_id: Option<Uuid>,
    /// The start of the series' occurrence this activity replaces.
    pub occurrence_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
