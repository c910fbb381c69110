//! Activities (calls, meetings, tasks, logged e-mails, notes), the record
//! timeline that merges them with changes, and the admin audit trail.

use super::auth::User;
use super::json::{self, FromJson};
use super::paging::Connection;
use super::parties::TimelineEntry;
use super::schema_enum::schema_enum;
use super::{fetch, request, ApiError};
use serde_json::{json, Value};

schema_enum! {
    /// `ActivityKind`.
    ActivityKind {
        Call = "CALL", "Call";
        Meeting = "MEETING", "Meeting";
        Task = "TASK", "Task";
        Email = "EMAIL", "E-mail";
        Note = "NOTE", "Note";
    }
}

impl ActivityKind {
    /// A one-glyph icon for lists.
    pub fn icon(self) -> &'static str {
        match self {
            ActivityKind::Call => "☎",
            ActivityKind::Meeting => "◷",
            ActivityKind::Task => "☐",
            ActivityKind::Email => "✉",
            ActivityKind::Note => "✎",
        }
    }

    /// Has a start and an end rather than a due time.
    pub fn timed(self) -> bool {
        matches!(self, ActivityKind::Call | ActivityKind::Meeting)
    }
}

/// Selection of an activity.
pub const ACTIVITY_FIELDS: &str =
    "id kind subject description startsAt endsAt dueAt status overdue location meetingUrl \
     outcome owner { id email displayName } links { type recordId } version recurrence occurrenceAt \
     customFields { key label type value display showInList canWrite options }";

/// `Activity`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Activity {
    /// Global id.
    pub id: String,
    /// What it is.
    pub kind: ActivityKind,
    /// One line.
    pub subject: String,
    /// Longer text.
    pub description: Option<String>,
    /// Start (calls, meetings), RFC 3339.
    pub starts_at: Option<String>,
    /// End (calls, meetings).
    pub ends_at: Option<String>,
    /// Due time (tasks).
    pub due_at: Option<String>,
    /// Still to do.
    pub planned: bool,
    /// Called off.
    pub cancelled: bool,
    /// A planned task past its due time.
    pub overdue: bool,
    /// How it went.
    pub outcome: Option<String>,
    /// Where a meeting takes place.
    pub location: Option<String>,
    /// The online-meeting link.
    pub meeting_url: Option<String>,
    /// Whose it is.
    pub owner: Option<User>,
    /// Ids of the opportunities it is linked to.
    pub opportunities: Vec<String>,
    /// Optimistic-lock version.
    pub version: i64,
    /// The rule of a repeating call or meeting (on the series and its occurrences).
    pub recurrence: Option<String>,
    /// The start in its series this occurrence stands for.
    pub occurrence_at: Option<String>,
    /// Its custom fields the caller may read, as the API gave them (`customFields`).
    pub custom: Value,
}

impl FromJson for Activity {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            kind: json::enumerated(v, "kind", ActivityKind::parse).unwrap_or_default(),
            subject: json::text(v, "subject"),
            description: json::opt_text(v, "description"),
            starts_at: json::opt_text(v, "startsAt"),
            ends_at: json::opt_text(v, "endsAt"),
            due_at: json::opt_text(v, "dueAt"),
            planned: v["status"] == "PLANNED",
            cancelled: v["status"] == "CANCELLED",
            overdue: json::flag(v, "overdue"),
            outcome: json::opt_text(v, "outcome"),
            location: json::opt_text(v, "location"),
            meeting_url: json::opt_text(v, "meetingUrl"),
            owner: json::object(v, "owner"),
            opportunities: json::items(&v["links"])
                .iter()
                .filter(|l| l["type"] == "OPPORTUNITY")
                .map(|l| json::text(l, "recordId"))
                .collect(),
            version: json::int(v, "version"),
            recurrence: json::opt_text(v, "recurrence"),
            occurrence_at: json::opt_text(v, "occurrenceAt"),
            custom: v["customFields"].clone(),
        }
    }
}

impl Activity {
    /// One start of a repeating series, not changed on its own (`editOccurrence` takes it).
    pub fn is_occurrence(&self) -> bool {
        self.recurrence.is_some() && self.occurrence_at.is_some()
    }

    /// The time it is placed at: its start, else its due time.
    pub fn when(&self) -> Option<&str> {
        self.starts_at.as_deref().or(self.due_at.as_deref())
    }
}

/// One item of a record's timeline.
#[derive(Clone, Debug, PartialEq)]
pub enum TimelineItem {
    /// A change of the record.
    Change(TimelineEntry),
    /// An activity linked to it.
    Activity(Activity),
}

impl FromJson for TimelineItem {
    fn from_json(v: &Value) -> Self {
        if v["__typename"] == "Activity" {
            TimelineItem::Activity(Activity::from_json(v))
        } else {
            TimelineItem::Change(TimelineEntry::from_json(v))
        }
    }
}

/// Which entries a timeline shows (`kinds`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimelineFilter {
    /// Everything.
    #[default]
    All,
    /// Only changes.
    Changes,
    /// Only activities.
    Activities,
}

impl TimelineFilter {
    /// The `kinds` argument.
    pub fn kinds(self) -> Value {
        match self {
            TimelineFilter::All => Value::Null,
            TimelineFilter::Changes => json!(["CHANGE"]),
            TimelineFilter::Activities => json!(["ACTIVITY"]),
        }
    }
}

/// Timeline rows per page.
pub const TIMELINE_PAGE: i64 = 20;

/// The document of [`timeline`].
pub(crate) fn timeline_query() -> String {
    format!(
        "query RecordTimeline($id: ID!, $first: Int, $after: String, $kinds: [TimelineKind!]) {{ \
         recordTimeline(recordId: $id, first: $first, after: $after, kinds: $kinds) {{ totalCount \
         pageInfo {{ hasNextPage endCursor }} edges {{ node {{ __typename \
         ... on TimelineEntry {{ id at action actor {{ id email displayName }} changes {{ field before after }} }} \
         ... on Activity {{ {ACTIVITY_FIELDS} }} }} }} }} }}"
    )
}

/// One page of the timeline of record `id` (a party or an opportunity).
pub async fn timeline(
    id: &str,
    filter: TimelineFilter,
    after: Option<&str>,
) -> Result<Connection<TimelineItem>, ApiError> {
    let vars = json!({ "id": id, "first": TIMELINE_PAGE, "after": after, "kinds": filter.kinds() });
    fetch(&timeline_query(), vars, "recordTimeline").await
}

/// What the "log an activity" form holds, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActivityDraft {
    /// What to log.
    pub kind: ActivityKind,
    /// Subject.
    pub subject: String,
    /// Description.
    pub description: String,
    /// `datetime-local` value of the start (or the due time of a task).
    pub starts_at: String,
    /// `datetime-local` value of the end.
    pub ends_at: String,
    /// `datetime-local` value of the reminder.
    pub remind_at: String,
    /// Outcome.
    pub outcome: String,
    /// Where (calls and meetings).
    pub location: String,
    /// Online-meeting link (calls and meetings).
    pub meeting_url: String,
    /// Private note; `None` when the user may not write it.
    pub private_note: Option<String>,
    /// Records it is linked to.
    pub links: Vec<String>,
    /// How a call, meeting or task repeats (`FREQ=WEEKLY;COUNT=10`); empty when it does not.
    pub recurrence: String,
    /// The IANA time zone whose time of day the repeats keep (the browser's); empty: UTC.
    pub time_zone: String,
}

/// A `datetime-local` value (`2024-05-02T10:00`) as an RFC 3339 time in UTC,
/// the zone the app shows times in; `null` when empty.
pub fn time_input(local: &str) -> Value {
    match local.trim() {
        "" => Value::Null,
        t if t.len() == 16 => json!(format!("{t}:00Z")),
        t => json!(t),
    }
}

/// Empty text as `null`.
fn opt(text: &str) -> Value {
    match text.trim() {
        "" => Value::Null,
        t => json!(t),
    }
}

impl ActivityDraft {
    /// The `CreateActivityInput`.
    pub fn to_input(&self) -> Value {
        let task = self.kind == ActivityKind::Task;
        let mut input = json!({
            "kind": self.kind.as_str(),
            "subject": self.subject.trim(),
            "description": opt(&self.description),
            "outcome": opt(&self.outcome),
            "links": self.links,
        });
        let at = time_input(&self.starts_at);
        if task {
            input["dueAt"] = at;
        } else if self.kind.timed() {
            input["startsAt"] = at;
            input["endsAt"] = time_input(&self.ends_at);
            input["location"] = opt(&self.location);
            input["meetingUrl"] = opt(&self.meeting_url);
        }
        if (task || self.kind.timed()) && !self.recurrence.is_empty() {
            input["recurrence"] = json!(self.recurrence);
            if !self.time_zone.is_empty() {
                input["timeZone"] = json!(self.time_zone);
            }
        }
        if task || self.kind == ActivityKind::Meeting {
            input["remindAt"] = time_input(&self.remind_at);
        }
        if let Some(note) = &self.private_note {
            input["privateNote"] = opt(note);
        }
        input
    }
}

/// The document of [`create`].
pub(crate) fn create_mutation() -> String {
    format!(
        "mutation CreateActivity($input: CreateActivityInput!) {{ \
         createActivity(input: $input) {{ activity {{ {ACTIVITY_FIELDS} }} }} }}"
    )
}

/// Creates an activity from a `CreateActivityInput`.
pub async fn create(input: Value) -> Result<Activity, ApiError> {
    let data = request(&create_mutation(), json!({ "input": input })).await?;
    Ok(Activity::from_json(&data["createActivity"]["activity"]))
}

/// The `CompleteActivityInput` for `activity` done with `outcome`, and the
/// next step of its opportunity when one is given.
pub fn complete_input(activity: &Activity, outcome: &str, next_step: &str, date: &str) -> Value {
    let mut input =
        json!({ "id": activity.id, "version": activity.version, "outcome": opt(outcome) });
    if let (Some(opportunity), false) =
        (activity.opportunities.first(), next_step.trim().is_empty())
    {
        input["nextStep"] = json!({
            "opportunityId": opportunity,
            "nextStep": next_step.trim(),
            "nextStepDate": opt(date),
        });
    }
    input
}

/// The document of [`complete`].
pub(crate) const COMPLETE_MUTATION: &str =
    "mutation CompleteActivity($input: CompleteActivityInput!) { \
     completeActivity(input: $input) { activity { id } } }";

/// Marks an activity done.
pub async fn complete(input: Value) -> Result<(), ApiError> {
    request(COMPLETE_MUTATION, json!({ "input": input }))
        .await
        .map(drop)
}

/// The document of [`skip_occurrence`].
pub(crate) const SKIP_OCCURRENCE_MUTATION: &str =
    "mutation SkipOccurrence($s: ID!, $at: DateTime!) { \
     editOccurrence(input: { seriesId: $s, occurrenceAt: $at, status: CANCELLED }) { activity { id } } }";

/// Calls off one occurrence of a repeating call or meeting; the rest of the series stays.
pub async fn skip_occurrence(occurrence: &Activity) -> Result<(), ApiError> {
    let vars = json!({ "s": occurrence.id, "at": occurrence.occurrence_at });
    request(SKIP_OCCURRENCE_MUTATION, vars).await.map(drop)
}

/// `FREQ=…;COUNT=…` for "repeats `freq`, `times` times in all"; empty for no repeating.
pub fn recurrence_rule(freq: &str, times: &str) -> String {
    if freq.is_empty() {
        return String::new();
    }
    match times.trim().parse::<u32>() {
        Ok(n) if n > 0 => format!("FREQ={freq};COUNT={n}"),
        _ => format!("FREQ={freq}"),
    }
}

/// The document of [`calendar`].
pub(crate) fn calendar_query() -> String {
    format!(
        "query Calendar($from: DateTime!, $to: DateTime!, $owners: [ID!]) {{ \
         calendar(from: $from, to: $to, ownerIds: $owners) {{ {ACTIVITY_FIELDS} }} }}"
    )
}

/// Activities starting or due in `[from, to)`: the user's, or `owner`'s.
pub async fn calendar(
    from: &str,
    to: &str,
    owner: Option<&str>,
) -> Result<Vec<Activity>, ApiError> {
    let vars = json!({ "from": from, "to": to, "owners": owner.map(|o| [o]) });
    fetch(&calendar_query(), vars, "calendar").await
}

/// The document of [`my_tasks`].
pub(crate) fn my_tasks_query() -> String {
    format!("query MyTasks($o: Boolean!) {{ myTasks(overdueOnly: $o) {{ {ACTIVITY_FIELDS} }} }}")
}

/// The user's planned tasks by due time (only overdue ones with `overdue_only`).
pub async fn my_tasks(overdue_only: bool) -> Result<Vec<Activity>, ApiError> {
    fetch(&my_tasks_query(), json!({ "o": overdue_only }), "myTasks").await
}

/// The document of [`my_reminders`].
pub(crate) const MY_REMINDERS_QUERY: &str =
    "query MyReminders { myReminders { id kind subject startsAt dueAt } }";

/// The user's activities whose reminder is due.
pub async fn my_reminders() -> Result<Vec<Activity>, ApiError> {
    fetch(MY_REMINDERS_QUERY, Value::Null, "myReminders").await
}

/// `AuditEntry`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditEntry {
    /// When.
    pub at: String,
    /// Who.
    pub actor: Option<User>,
    /// `party`, `opportunity`…
    pub object_type: String,
    /// The record's uuid.
    pub object_id: String,
    /// `create`, `login`…
    pub action: String,
    /// `field: before → after` of each change.
    pub changes: Vec<String>,
}

impl FromJson for AuditEntry {
    fn from_json(v: &Value) -> Self {
        Self {
            at: json::text(v, "at"),
            actor: json::object(v, "actor"),
            object_type: json::text(v, "objectType"),
            object_id: json::text(v, "objectId"),
            action: json::text(v, "action"),
            changes: json::items(&v["changes"])
                .iter()
                .map(|c| {
                    let side = |k| c[k].as_str().unwrap_or(crate::format::EMPTY).to_owned();
                    format!(
                        "{}: {} → {}",
                        json::text(c, "field"),
                        side("before"),
                        side("after")
                    )
                })
                .collect(),
        }
    }
}

/// The audit filter as typed: user id, object type, from and to dates.
pub fn audit_filter(actor: &str, object_type: &str, from: &str, to: &str) -> Value {
    let day = |d: &str| match d.trim() {
        "" => Value::Null,
        d => json!(format!("{d}T00:00:00Z")),
    };
    json!({ "actorId": opt(actor), "objectType": opt(object_type), "from": day(from), "to": day(to) })
}

/// The document of [`audit_log`].
pub(crate) const AUDIT_LOG_QUERY: &str = "query AuditLog($f: AuditFilter, $after: String) { \
     auditLog(filter: $f, first: 50, after: $after) { \
     pageInfo { hasNextPage endCursor } edges { node { at objectType objectId action \
     actor { id email displayName } changes { field before after } } } } }";

/// One page of the audit trail.
pub async fn audit_log(
    filter: Value,
    after: Option<&str>,
) -> Result<Connection<AuditEntry>, ApiError> {
    let variables = json!({ "f": filter, "after": after });
    fetch(AUDIT_LOG_QUERY, variables, "auditLog").await
}

/// The document of [`export_audit_log`].
pub(crate) const EXPORT_AUDIT_LOG_QUERY: &str =
    "query ExportAuditLog($f: AuditFilter) { exportAuditLog(filter: $f) }";

/// The audit trail as CSV text.
pub async fn export_audit_log(filter: Value) -> Result<String, ApiError> {
    let data = request(EXPORT_AUDIT_LOG_QUERY, json!({ "f": filter })).await?;
    Ok(json::text(&data, "exportAuditLog"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_items_read_by_type() {
        let page: Connection<TimelineItem> = Connection::from_json(&json!({
            "totalCount": 2,
            "pageInfo": { "hasNextPage": true, "endCursor": "c2" },
            "edges": [
                { "node": { "__typename": "Activity", "id": "A1", "kind": "CALL", "subject": "Intro",
                    "startsAt": "2024-05-02T10:00:00Z", "status": "PLANNED", "overdue": false,
                    "owner": { "displayName": "Rita" }, "version": 3,
                    "links": [{ "type": "PARTY", "recordId": "P1" }, { "type": "OPPORTUNITY", "recordId": "O1" }] } },
                { "node": { "__typename": "TimelineEntry", "id": "E1", "at": "2024-05-01T09:00:00Z",
                    "action": "update", "changes": [{ "field": "name", "before": "A", "after": "B" }] } }
            ]
        }));
        assert_eq!(page.page_info.next_cursor(), Some("c2"));
        let TimelineItem::Activity(a) = &page.nodes[0] else {
            panic!("not an activity")
        };
        assert_eq!(
            (a.kind, a.subject.as_str(), a.planned, a.version),
            (ActivityKind::Call, "Intro", true, 3)
        );
        assert_eq!(a.opportunities, ["O1"]);
        assert_eq!(a.when(), Some("2024-05-02T10:00:00Z"));
        let TimelineItem::Change(c) = &page.nodes[1] else {
            panic!("not a change")
        };
        assert_eq!(c.changes[0].after.as_deref(), Some("B"));
    }

    #[test]
    fn audit_entries_spell_out_changes() {
        let e = AuditEntry::from_json(
            &json!({ "at": "2024-05-01T09:00:00Z", "objectType": "party",
            "action": "update", "actor": { "email": "a@x" },
            "changes": [{ "field": "name", "before": null, "after": "B" }] }),
        );
        assert_eq!(e.changes, [format!("name: {} → B", crate::format::EMPTY)]);
        assert_eq!(e.actor.map(|a| a.email).as_deref(), Some("a@x"));
        let f = audit_filter("", "party", "2024-05-01", "");
        assert_eq!(
            f,
            json!({ "actorId": null, "objectType": "party", "from": "2024-05-01T00:00:00Z", "to": null })
        );
    }

    #[test]
    fn drafts_become_inputs_by_kind() {
        let call = ActivityDraft {
            kind: ActivityKind::Call,
            subject: " Intro ".into(),
            starts_at: "2024-05-02T10:00".into(),
            ends_at: "2024-05-02T10:30".into(),
            remind_at: "2024-05-02T09:00".into(),
            links: vec!["P1".into()],
            location: " Room 4 ".into(),
            ..ActivityDraft::default()
        };
        let input = call.to_input();
        assert_eq!(input["subject"], "Intro");
        assert_eq!(input["location"], "Room 4");
        assert_eq!(input["meetingUrl"], Value::Null);
        assert_eq!(input["startsAt"], "2024-05-02T10:00:00Z");
        assert_eq!(input["endsAt"], "2024-05-02T10:30:00Z");
        assert!(input.get("remindAt").is_none() && input.get("privateNote").is_none());
        assert_eq!(input["links"], json!(["P1"]));
        assert_eq!(input["description"], Value::Null);
        assert!(input.get("recurrence").is_none());
        let weekly = ActivityDraft {
            recurrence: recurrence_rule("WEEKLY", " 6 "),
            ..call.clone()
        };
        assert_eq!(weekly.to_input()["recurrence"], "FREQ=WEEKLY;COUNT=6");
        assert!(weekly.to_input().get("timeZone").is_none(), "UTC");
        let zoned = ActivityDraft {
            time_zone: "Europe/Berlin".into(),
            ..weekly.clone()
        };
        assert_eq!(zoned.to_input()["timeZone"], "Europe/Berlin");
        let once = ActivityDraft {
            time_zone: "Europe/Berlin".into(),
            ..call.clone()
        };
        assert!(
            once.to_input().get("timeZone").is_none(),
            "only a rule has a zone"
        );
        assert_eq!(recurrence_rule("DAILY", ""), "FREQ=DAILY");
        assert_eq!(recurrence_rule("", "6"), "");
        let task = ActivityDraft {
            kind: ActivityKind::Task,
            starts_at: "2024-05-02T10:00".into(),
            private_note: Some("secret".into()),
            recurrence: "FREQ=DAILY".into(),
            ..call
        };
        let input = task.to_input();
        assert_eq!(input["recurrence"], "FREQ=DAILY", "tasks repeat too");
        assert_eq!(input["dueAt"], "2024-05-02T10:00:00Z");
        assert_eq!(input["remindAt"], "2024-05-02T09:00:00Z");
        assert!(input.get("startsAt").is_none() && input.get("location").is_none());
        assert_eq!(input["privateNote"], "secret");
    }

    #[test]
    fn completing_sets_the_next_step_only_for_opportunities() {
        let mut a = Activity {
            id: "A1".into(),
            version: 2,
            ..Activity::default()
        };
        let plain = complete_input(&a, "Went well", "Send offer", "2024-06-01");
        assert_eq!(
            plain,
            json!({ "id": "A1", "version": 2, "outcome": "Went well" })
        );
        a.opportunities = vec!["O1".into()];
        let with_step = complete_input(&a, "", "Send offer", "2024-06-01");
        assert_eq!(
            with_step["nextStep"],
            json!({ "opportunityId": "O1", "nextStep": "Send offer", "nextStepDate": "2024-06-01" })
        );
        assert_eq!(with_step["outcome"], Value::Null);
    }
}
