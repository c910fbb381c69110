//! Activity services: scoped reads (lists, calendar, tasks, reminders) and versioned writes, each in
//! one transaction with its change-log row; completing an activity can set the linked opportunity's
//! next step in the same transaction.

use chrono::{DateTime, Utc};
use entity::activities::{activities, activity_attendees, activity_links};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::kinds::{ActivityKind, ActivityStatus, AttendeeType, LinkType};
use super::policy::{ActivityObject, PRIVATE_NOTE};
use super::recurrence;
use super::rules::{self, Times};
use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::domain::opportunities::service as opps;
use crate::domain::parties::kinds::PartyKind;
use crate::domain::parties::service as parties_svc;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::write::{Versioned, Write};
use crate::policy::{self, Action, Scope};
use crate::state::AppState;

pub const OBJECT: &str = ActivityObject::OBJECT;
/// Most links or attendees one activity holds.
const MAX_REFS: usize = 50;
/// Most activities one calendar request returns.
pub const MAX_CALENDAR: u64 = 500;

/// A change set. `None` leaves a field; `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct ActivityChanges {
    pub kind: Option<ActivityKind>,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<Option<DateTime<Utc>>>,
    pub ends_at: Option<Option<DateTime<Utc>>>,
    pub due_at: Option<Option<DateTime<Utc>>>,
    pub remind_at: Option<Option<DateTime<Utc>>>,
    pub status: Option<ActivityStatus>,
    pub outcome: Option<String>,
    pub owner_id: Option<Uuid>,
    pub private_note: Option<String>,
    /// Where a meeting takes place; an empty string clears.
    pub location: Option<String>,
    /// An online-meeting link (`https://…`); an empty string clears.
    pub meeting_url: Option<String>,
    /// An RFC 5545 rule for a repeating call, meeting or task; an empty string stops the
    /// repeating.
    pub recurrence: Option<String>,
    /// The IANA time zone the rule repeats in; an empty string: UTC.
    pub time_zone: Option<String>,
    pub links: Option<Vec<(LinkType, Uuid)>>,
    pub attendees: Option<Vec<(AttendeeType, Uuid)>>,
}

/// Activities the caller may read.
pub fn visible(ctx: &RequestCtx) -> AppResult<Select<activities::Entity>> {
    Ok(aggregate::visible::<ActivityObject>(ctx, Action::Read)?
        .filter(activities::Column::ArchivedAt.is_null()))
}

/// One activity the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<activities::Model>> {
    Ok(visible(ctx)?
        .filter(activities::Column::Id.eq(id))
        .one(db)
        .await?)
}

crate::versioned!(activities, OBJECT, stamps updated_by, kept [CreatedAt, CreatedBy], |m| {
    vec![
        ("kind", json!(m.kind)),
        ("subject", json!(m.subject)),
        ("description", json!(m.description)),
        ("startsAt", json!(m.starts_at)),
        ("endsAt", json!(m.ends_at)),
        ("dueAt", json!(m.due_at)),
        ("remindAt", json!(m.remind_at)),
        ("status", json!(m.status)),
        ("outcome", json!(m.outcome)),
        ("ownerId", json!(m.owner_id)),
        ("location", json!(m.location)),
        ("meetingUrl", json!(m.meeting_url)),
        ("recurrence", json!(m.recurrence)),
        ("timeZone", json!(m.time_zone)),
        // Logged as changed, never with its text: the log is read more widely than the note.
        (
            "privateNote",
            json!(m.private_note.as_ref().map(|_| "(private)")),
        ),
        ("archived", json!(m.archived_at.is_some())),
    ]
});

fn diff(before: Option<&activities::Model>, after: &activities::Model) -> Value {
    changelog::diff_snapshots(before.map(Versioned::snapshot), after.snapshot())
}

/// Applies validated text changes and checks everything but references.
fn apply(m: &mut activities::Model, c: &ActivityChanges, creating: bool) -> AppResult<()> {
    let mut val = Validator::default();
    if let Some(k) = c.kind {
        m.kind = k.as_str().to_string();
    }
    match (&c.subject, creating) {
        (Some(s), _) => {
            if let Some(s) = val.check(v::required_text("subject", s, 200)) {
                m.subject = s;
            }
        }
        (None, true) => val.push("subject", "is required"),
        (None, false) => {}
    }
    if let Some(d) = &c.description {
        if let Some(d) = val.check(v::long_text("description", d, 4000)) {
            m.description = d;
        }
    }
    if let Some(o) = &c.outcome {
        if let Some(o) = val.check(v::long_text("outcome", o, 500)) {
            m.outcome = o;
        }
    }
    if let Some(n) = &c.private_note {
        if let Some(n) = val.check(v::long_text("privateNote", n, 2000)) {
            m.private_note = n;
        }
    }
    if let Some(l) = val.given(c.location.as_deref(), |s| {
        v::optional_text("location", s, 200)
    }) {
        m.location = l;
    }
    if let Some(u) = val.given(c.meeting_url.as_deref(), |s| v::website("meetingUrl", s)) {
        m.meeting_url = u;
    }
    if let Some(t) = c.starts_at {
        m.starts_at = t;
    }
    if let Some(t) = c.ends_at {
        m.ends_at = t;
    }
    if let Some(t) = c.due_at {
        m.due_at = t;
    }
    if let Some(t) = c.remind_at {
        m.remind_at = t;
    }
    if let Some(s) = c.status {
        m.status = s.as_str().to_string();
    }
    let kind = ActivityKind::parse(&m.kind).unwrap_or(ActivityKind::Note);
    if let Some(r) = &c.recurrence {
        m.recurrence = Some(r.trim().to_string()).filter(|r| !r.is_empty());
    }
    if let Some(z) = val.given(c.time_zone.as_deref(), |z| match z.trim() {
        "" => Ok(None),
        z => recurrence::check_zone("timeZone", z).map(Some),
    }) {
        m.time_zone = z;
    }
    check_recurrence(&mut val, m, kind, c);
    let times = Times {
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        due_at: m.due_at,
        remind_at: m.remind_at,
    };
    for e in rules::check_times(kind, &times) {
        val.push(&e.field, e.message);
    }
    for (name, n) in [
        ("links", c.links.as_ref().map_or(0, Vec::len)),
        ("attendees", c.attendees.as_ref().map_or(0, Vec::len)),
    ] {
        if n > MAX_REFS {
            val.push(name, format!("may name at most {MAX_REFS}"));
        }
    }
    val.finish()
}

/// Whether `m` is a series: a repeating call or meeting, expanded into its occurrences (a
/// repeating task is one task at a time, its next made when it is done).
pub fn is_series(m: &activities::Model) -> bool {
    m.recurrence.is_some() && m.kind != ActivityKind::Task.as_str()
}

/// Rows that are series ([`is_series`]), or (`false`) those that stand for themselves.
pub(super) fn series_rows(series: bool) -> Condition {
    use activities::Column as C;
    let task = ActivityKind::Task.as_str();
    if series {
        Condition::all()
            .add(C::Recurrence.is_not_null())
            .add(C::Kind.ne(task))
    } else {
        Condition::any()
            .add(C::Recurrence.is_null())
            .add(C::Kind.eq(task))
    }
}

/// The zone `m`'s rule repeats in.
pub fn zone_of(m: &activities::Model) -> rrule::Tz {
    recurrence::zone(m.time_zone.as_deref())
}

/// Checks a repeating activity's rule against its (possibly changed) start — a task's due time —
/// and keeps its last start; an occurrence changed on its own does not repeat, and a series of
/// calls or meetings is done one occurrence at a time.
fn check_recurrence(
    val: &mut Validator,
    m: &mut activities::Model,
    kind: ActivityKind,
    c: &ActivityChanges,
) {
    let Some(rule) = m.recurrence.clone() else {
        m.recurrence_until = None;
        return;
    };
    if m.series_id.is_some() {
        val.push(
            "recurrence",
            "an occurrence changed on its own does not repeat; change the series",
        );
        return;
    }
    let task = kind == ActivityKind::Task;
    if !task && !matches!(kind, ActivityKind::Call | ActivityKind::Meeting) {
        val.push("recurrence", "only calls, meetings and tasks repeat");
        return;
    }
    let start = if task {
        let Some(due) = m.due_at else {
            val.push("dueAt", "is required for a repeating task");
            return;
        };
        due
    } else {
        let Some(start) = m.starts_at else {
            // `check_times` names the missing start.
            return;
        };
        start
    };
    if let Some(checked) = val.check(recurrence::check("recurrence", &rule, start, zone_of(m))) {
        m.recurrence = Some(checked.rule);
        m.recurrence_until = checked.until;
    }
    if !task && c.status == Some(ActivityStatus::Done) {
        val.push(
            "status",
            "a repeating activity is done one occurrence at a time (editOccurrence)",
        );
    }
}

/// Checks that every linked record and attendee exists and is visible to the caller.
async fn check_refs(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    c: &ActivityChanges,
) -> AppResult<()> {
    let mut val = Validator::default();
    for (i, (ty, id)) in c.links.iter().flatten().enumerate() {
        let ok = match ty {
            LinkType::Party => parties_svc::get(db, ctx, *id).await?.is_some(),
            LinkType::Opportunity => opps::get(db, ctx, *id).await?.is_some(),
        };
        if !ok {
            val.push(&format!("links.{i}"), "is not a record you can see");
        }
    }
    for (i, (ty, id)) in c.attendees.iter().flatten().enumerate() {
        let ok = match ty {
            AttendeeType::User => crate::domain::users::service::get(db, ctx, *id)
                .await?
                .is_some_and(|u| u.active),
            AttendeeType::Contact => parties_svc::get(db, ctx, *id)
                .await?
                .is_some_and(|p| p.kind == PartyKind::Person.as_str()),
        };
        if !ok {
            val.push(
                &format!("attendees.{i}"),
                "is not an active user or a person you can see",
            );
        }
    }
    val.finish()
}

async fn write_refs(txn: &impl ConnectionTrait, id: Uuid, c: &ActivityChanges) -> AppResult<()> {
    if let Some(links) = &c.links {
        activity_links::Entity::delete_many()
            .filter(activity_links::Column::ActivityId.eq(id))
            .exec(txn)
            .await?;
        let mut seen = std::collections::HashSet::new();
        for (ty, obj) in links.iter().filter(|l| seen.insert(**l)) {
            activity_links::ActiveModel {
                activity_id: Set(id),
                object_type: Set(ty.as_str().to_string()),
                object_id: Set(*obj),
            }
            .insert(txn)
            .await?;
        }
    }
    if let Some(att) = &c.attendees {
        activity_attendees::Entity::delete_many()
            .filter(activity_attendees::Column::ActivityId.eq(id))
            .exec(txn)
            .await?;
        let mut seen = std::collections::HashSet::new();
        for (ty, who) in att.iter().filter(|a| seen.insert(**a)) {
            activity_attendees::ActiveModel {
                activity_id: Set(id),
                attendee_type: Set(ty.as_str().to_string()),
                attendee_id: Set(*who),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

fn refs_json(c: &ActivityChanges) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(l) = &c.links {
        let v: Vec<Value> = l
            .iter()
            .map(|(t, id)| json!({"type": t.as_str(), "id": id}))
            .collect();
        out.insert("links".into(), json!({"before": null, "after": v}));
    }
    if let Some(a) = &c.attendees {
        let v: Vec<Value> = a
            .iter()
            .map(|(t, id)| json!({"type": t.as_str(), "id": id}))
            .collect();
        out.insert("attendees".into(), json!({"before": null, "after": v}));
    }
    Value::Object(out)
}

/// Creates an activity (owned by the caller unless another owner in scope is named).
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: ActivityChanges,
) -> AppResult<activities::Model> {
    create_in_series(state, ctx, changes, None, None).await
}

/// [`create`], for an occurrence of a series changed on its own when `series` names it (its
/// private note comes along unread by the caller).
async fn create_in_series(
    state: &AppState,
    ctx: &RequestCtx,
    changes: ActivityChanges,
    series: Option<(Uuid, DateTime<Utc>)>,
    series_note: Option<String>,
) -> AppResult<activities::Model> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    if changes.private_note.is_some() {
        policy::check_field_write(actor, PRIVATE_NOTE)?;
    }
    let now = db::now();
    let mut m = activities::Model {
        id: Uuid::new_v4(),
        kind: changes
            .kind
            .unwrap_or(ActivityKind::Note)
            .as_str()
            .to_string(),
        subject: String::new(),
        description: None,
        starts_at: None,
        ends_at: None,
        due_at: None,
        status: ActivityStatus::Planned.as_str().to_string(),
        outcome: None,
        owner_id: changes.owner_id.unwrap_or(actor.user_id),
        private_note: None,
        remind_at: None,
        location: None,
        meeting_url: None,
        recurrence: None,
        time_zone: None,
        recurrence_until: None,
        series_id: series.map(|(s, _)| s),
        occurrence_at: series.map(|(_, at)| at),
        completed_at: None,
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    if changes.private_note.is_none() {
        m.private_note = series_note;
    }
    apply(&mut m, &changes, true)?;
    // Notes and logged e-mails record what happened, and so does a call or meeting that has
    // already begun when it is logged: done when written, unless said otherwise.
    let happened = match ActivityKind::parse(&m.kind) {
        Some(ActivityKind::Note | ActivityKind::Email) => true,
        Some(ActivityKind::Call | ActivityKind::Meeting) => m.starts_at.is_some_and(|s| s <= now),
        _ => false,
    };
    if changes.status.is_none() && happened && m.recurrence.is_none() {
        m.status = ActivityStatus::Done.as_str().to_string();
    }
    let status = ActivityStatus::parse(&m.status).unwrap_or(ActivityStatus::Planned);
    m.completed_at = rules::completed_at(None, status, now);
    parties_svc::check_owner(&state.db, actor, scope, m.owner_id, OBJECT).await?;
    check_refs(&state.db, ctx, &changes).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    activities::ActiveModel::from(m.clone())
        .insert(w.txn())
        .await?;
    write_refs(w.txn(), m.id, &changes).await?;
    let mut log = diff(None, &m);
    if let (Value::Object(a), Value::Object(b)) = (&mut log, refs_json(&changes)) {
        a.extend(b);
    }
    w.log(OBJECT, m.id, "create", log).await?;
    w.commit().await?;
    Ok(m)
}

async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
) -> AppResult<(activities::Model, Scope)> {
    let current = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such activity".into()))?;
    let scope = policy::check_reach(ctx, OBJECT, action, Some(current.owner_id), "activity")?;
    Ok((current, scope))
}

/// What to set on the linked opportunity when an activity is completed.
#[derive(Debug, Clone)]
pub struct NextStep {
    /// The opportunity; when absent, the activity's only linked opportunity.
    pub opportunity_id: Option<Uuid>,
    pub next_step: String,
    pub next_step_date: Option<String>,
}

/// Updates an activity at `version`; with `next`, also sets the linked opportunity's next step in
/// the same transaction.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: ActivityChanges,
    next: Option<NextStep>,
) -> AppResult<activities::Model> {
    let (current, scope) = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    if changes.private_note.is_some() {
        policy::check_field_write(actor, PRIVATE_NOTE)?;
    }
    let mut m = current.clone();
    if let Some(o) = changes.owner_id {
        m.owner_id = o;
    }
    apply(&mut m, &changes, false)?;
    let now = db::now();
    let status = ActivityStatus::parse(&m.status).unwrap_or(ActivityStatus::Planned);
    m.completed_at = rules::completed_at(current.completed_at, status, now);
    if m.owner_id != current.owner_id {
        parties_svc::check_owner(&state.db, actor, scope, m.owner_id, OBJECT).await?;
    }
    check_refs(&state.db, ctx, &changes).await?;
    // The next step: validated, and aimed at an opportunity the activity is linked to.
    let next_step = match &next {
        None => None,
        Some(n) => {
            let mut val = Validator::default();
            let step = val.check(v::required_text("nextStep", &n.next_step, 200));
            let date = n
                .next_step_date
                .as_deref()
                .and_then(|d| val.check(v::date("nextStepDate", d)))
                .flatten();
            val.finish()?;
            let linked: Vec<Uuid> = match &changes.links {
                Some(l) => l
                    .iter()
                    .filter(|(t, _)| *t == LinkType::Opportunity)
                    .map(|(_, id)| *id)
                    .collect(),
                None => links_of(&state.db, &[id])
                    .await?
                    .into_iter()
                    .filter(|l| l.object_type == LinkType::Opportunity.as_str())
                    .map(|l| l.object_id)
                    .collect(),
            };
            let target = match n.opportunity_id {
                Some(o) if linked.contains(&o) => o,
                Some(_) => {
                    return Err(AppError::bad_input(
                        "nextStep.opportunityId",
                        "is not an opportunity this activity is linked to",
                    ))
                }
                None if linked.len() == 1 => linked[0],
                None => {
                    return Err(AppError::bad_input(
                        "nextStep.opportunityId",
                        "is required: the activity is linked to no single opportunity",
                    ))
                }
            };
            Some((target, step, date))
        }
    };
    if version != current.version {
        return Err(parties_svc::conflict(current.version));
    }
    let following = following_task(&current, &mut m, actor.user_id, now);
    let following_refs = match &following {
        None => None,
        Some(_) => Some(ActivityChanges {
            links: Some(match &changes.links {
                Some(l) => l.clone(),
                None => links_of(&state.db, &[id])
                    .await?
                    .iter()
                    .filter_map(|l| LinkType::parse(&l.object_type).map(|t| (t, l.object_id)))
                    .collect(),
            }),
            attendees: Some(match &changes.attendees {
                Some(a) => a.clone(),
                None => attendees_of(&state.db, &[id])
                    .await?
                    .iter()
                    .filter_map(|a| {
                        AttendeeType::parse(&a.attendee_type).map(|t| (t, a.attendee_id))
                    })
                    .collect(),
            }),
            ..Default::default()
        }),
    };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (m, mut log) = w.save_quietly(&current, m, version).await?;
    write_refs(w.txn(), id, &changes).await?;
    if let Some((opp, step, date)) = next_step {
        opps::set_next_step_in(&mut w, ctx, opp, step, date).await?;
    }
    if let (Value::Object(a), Value::Object(b)) = (&mut log, refs_json(&changes)) {
        a.extend(b);
    }
    w.log(OBJECT, id, "update", log).await?;
    if let (Some(next), Some(refs)) = (following, following_refs) {
        activities::ActiveModel::from(next.clone())
            .insert(w.txn())
            .await?;
        write_refs(w.txn(), next.id, &refs).await?;
        let mut log = diff(None, &next);
        if let (Value::Object(a), Value::Object(b)) = (&mut log, refs_json(&refs)) {
            a.extend(b);
        }
        w.log(OBJECT, next.id, "create", log).await?;
    }
    w.commit().await?;
    Ok(m)
}

/// A repeating task that leaves PLANNED (done or cancelled) hands its rule on: the task that
/// follows it is due at the rule's next time after its due time (its reminder moved alike),
/// planned, with the same details, owner, links and attendees, and the rule with one time less
/// when it counts them. The task left behind repeats no more, so reopening and closing it again
/// makes no second one. `None` when nothing follows.
fn following_task(
    before: &activities::Model,
    after: &mut activities::Model,
    by: Uuid,
    now: DateTime<Utc>,
) -> Option<activities::Model> {
    let planned = ActivityStatus::Planned.as_str();
    if after.kind != ActivityKind::Task.as_str()
        || before.status != planned
        || after.status == planned
    {
        return None;
    }
    let rule = after.recurrence.take()?;
    after.recurrence_until = None;
    let due = after.due_at?;
    let zone = zone_of(after);
    let (at, rest) = recurrence::next_after(&rule, due, zone)?;
    let until = rest
        .as_deref()
        .and_then(|r| recurrence::check("recurrence", r, at, zone).ok())
        .and_then(|c| c.until);
    Some(activities::Model {
        id: Uuid::new_v4(),
        due_at: Some(at),
        remind_at: after.remind_at.map(|r| r + (at - due)),
        status: planned.to_string(),
        outcome: None,
        recurrence: rest,
        recurrence_until: until,
        completed_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(by),
        updated_by: Some(by),
        ..after.clone()
    })
}

/// The links of each activity.
pub async fn links_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<Vec<activity_links::Model>> {
    Ok(activity_links::Entity::find()
        .filter(activity_links::Column::ActivityId.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The attendees of each activity.
pub async fn attendees_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<Vec<activity_attendees::Model>> {
    Ok(activity_attendees::Entity::find()
        .filter(activity_attendees::Column::ActivityId.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// Visible activities of `owners` (the caller when empty) that start or fall due in `[from, to)`,
/// in time order, at most [`MAX_CALENDAR`]: single activities, and each repeating call or meeting
/// as its occurrences in the range (see [`occurrence`]), but those changed on their own, which are
/// activities of their own.
pub async fn calendar(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    owners: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<activities::Model>> {
    use activities::Column as C;
    if to <= from {
        return Err(AppError::bad_input("to", "must be after from"));
    }
    if to - from > chrono::Duration::days(62) {
        return Err(AppError::bad_input(
            "to",
            "the range may span at most 62 days",
        ));
    }
    let me = ctx.actor()?.user_id;
    let owners: Vec<Uuid> = if owners.is_empty() {
        vec![me]
    } else {
        owners.to_vec()
    };
    let in_range = |c: C| Condition::all().add(c.gte(from)).add(c.lt(to));
    let mut rows = visible(ctx)?
        .filter(C::OwnerId.is_in(owners.clone()))
        .filter(series_rows(false))
        .filter(
            Condition::any()
                .add(in_range(C::StartsAt))
                .add(in_range(C::DueAt)),
        )
        .limit(MAX_CALENDAR)
        .all(db)
        .await?;
    // The series that reach the range: begun before its end, not ended before its start.
    let series = visible(ctx)?
        .filter(C::OwnerId.is_in(owners))
        .filter(series_rows(true))
        .filter(C::StartsAt.lt(to))
        .filter(
            Condition::any()
                .add(C::RecurrenceUntil.is_null())
                .add(C::RecurrenceUntil.gte(from)),
        )
        .limit(MAX_CALENDAR)
        .all(db)
        .await?;
    if !series.is_empty() {
        // The occurrences changed on their own stand in for theirs, wherever they moved to.
        let changed = changed_starts(
            db,
            aggregate::unscoped::<ActivityObject>(
                "an occurrence changed on its own hides its start",
            )
            .filter(C::SeriesId.is_in(series.iter().map(|s| s.id)))
            .filter(in_range(C::OccurrenceAt)),
        )
        .await?;
        let room = u16::try_from(MAX_CALENDAR).unwrap_or(u16::MAX);
        for s in &series {
            let (Some(rule), Some(start)) = (s.recurrence.as_deref(), s.starts_at) else {
                continue;
            };
            for at in recurrence::starts_between(rule, start, zone_of(s), from, to, room) {
                if !changed.contains(&(s.id, at)) {
                    rows.push(occurrence(s, at));
                }
            }
        }
    }
    rows.sort_by_key(|m| (m.starts_at.or(m.due_at), m.id));
    rows.truncate(MAX_CALENDAR as usize);
    Ok(rows)
}

/// The `(series, start)` of each occurrence changed on its own among the rows of `q`.
async fn changed_starts(
    db: &impl ConnectionTrait,
    q: Select<activities::Entity>,
) -> AppResult<std::collections::HashSet<(Uuid, DateTime<Utc>)>> {
    use activities::Column as C;
    Ok(q.select_only()
        .column(C::SeriesId)
        .column(C::OccurrenceAt)
        .into_tuple::<(Option<Uuid>, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(s, at)| s.zip(at))
        .collect())
}

/// The occurrence of `series` starting at `at`, as the calendar shows it: the series' details
/// with its times moved to `at`, `occurrence_at` set and `series_id` naming the series (its `id`
/// stays the series').
pub fn occurrence(series: &activities::Model, at: DateTime<Utc>) -> activities::Model {
    let mut m = series.clone();
    let shift = series
        .starts_at
        .map_or(chrono::Duration::zero(), |s| at - s);
    m.starts_at = Some(at);
    m.ends_at = series.ends_at.map(|e| e + shift);
    m.remind_at = series.remind_at.map(|r| r + shift);
    m.series_id = Some(series.id);
    m.occurrence_at = Some(at);
    m
}

/// Changes one occurrence of a series on its own: it becomes an activity of its own (owner, links
/// and attendees of the series, the changes on top), named by its series and the start it
/// replaces, in one transaction with its change-log row. Needs the update grant on the series; an
/// occurrence changed once is changed again as the activity it became. Cancelling it (status
/// `CANCELLED`) takes it out of the series.
pub async fn edit_occurrence(
    state: &AppState,
    ctx: &RequestCtx,
    series_id: Uuid,
    at: DateTime<Utc>,
    mut changes: ActivityChanges,
) -> AppResult<activities::Model> {
    use activities::Column as C;
    let (series, _) = load_for(&state.db, ctx, series_id, Action::Update).await?;
    let (Some(rule), Some(start), true) = (
        series.recurrence.as_deref(),
        series.starts_at,
        is_series(&series),
    ) else {
        return Err(AppError::bad_input(
            "seriesId",
            "is not a repeating call or meeting",
        ));
    };
    if !recurrence::is_start(rule, start, zone_of(&series), at) {
        return Err(AppError::bad_input(
            "occurrenceAt",
            "is not a start of the series",
        ));
    }
    let taken =
        aggregate::unscoped::<ActivityObject>("one activity per occurrence, whoever sees it")
            .filter(C::SeriesId.eq(series_id))
            .filter(C::OccurrenceAt.eq(at))
            .count(&state.db)
            .await?
            > 0;
    if taken {
        return Err(AppError::bad_input(
            "occurrenceAt",
            "has been changed on its own already: change the activity it became",
        ));
    }
    if changes.recurrence.is_some() {
        return Err(AppError::bad_input(
            "recurrence",
            "an occurrence changed on its own does not repeat; change the series",
        ));
    }
    let base = occurrence(&series, at);
    let links = links_of(&state.db, &[series_id]).await?;
    let attendees = attendees_of(&state.db, &[series_id]).await?;
    changes.kind = ActivityKind::parse(&base.kind);
    changes.subject = changes.subject.or(Some(base.subject.clone()));
    changes.description = changes.description.or(base.description.clone());
    changes.starts_at = changes.starts_at.or(Some(base.starts_at));
    changes.ends_at = changes.ends_at.or(Some(base.ends_at));
    changes.remind_at = changes.remind_at.or(Some(base.remind_at));
    changes.location = changes.location.or(base.location.clone());
    changes.meeting_url = changes.meeting_url.or(base.meeting_url.clone());
    changes.owner_id = changes.owner_id.or(Some(series.owner_id));
    changes.status = changes.status.or(Some(ActivityStatus::Planned));
    changes.links = changes.links.or(Some(
        links
            .iter()
            .filter_map(|l| LinkType::parse(&l.object_type).map(|t| (t, l.object_id)))
            .collect(),
    ));
    changes.attendees = changes.attendees.or(Some(
        attendees
            .iter()
            .filter_map(|a| AttendeeType::parse(&a.attendee_type).map(|t| (t, a.attendee_id)))
            .collect(),
    ));
    create_in_series(
        state,
        ctx,
        changes,
        Some((series_id, at)),
        series.private_note,
    )
    .await
}

/// The caller's planned tasks, by due time (undated last); only overdue ones when asked.
pub async fn my_tasks(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    overdue_only: bool,
    now: DateTime<Utc>,
) -> AppResult<Vec<activities::Model>> {
    use activities::Column as C;
    let me = ctx.actor()?.user_id;
    let mut q = visible(ctx)?
        .filter(C::OwnerId.eq(me))
        .filter(C::Kind.eq(ActivityKind::Task.as_str()))
        .filter(C::Status.eq(ActivityStatus::Planned.as_str()));
    if overdue_only {
        q = q.filter(C::DueAt.lt(now));
    }
    let mut rows = q.limit(MAX_CALENDAR).all(db).await?;
    rows.sort_by_key(|m| (m.due_at.is_none(), m.due_at, m.id));
    Ok(rows)
}

/// The caller's planned activities whose reminder time has come.
pub async fn my_reminders(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    now: DateTime<Utc>,
) -> AppResult<Vec<activities::Model>> {
    use activities::Column as C;
    let me = ctx.actor()?.user_id;
    let mine = || -> AppResult<_> {
        Ok(visible(ctx)?
            .filter(C::OwnerId.eq(me))
            .filter(C::Status.eq(ActivityStatus::Planned.as_str()))
            .filter(C::RemindAt.lte(now)))
    };
    let mut rows = mine()?
        .filter(series_rows(false))
        .order_by_asc(C::RemindAt)
        .limit(MAX_CALENDAR)
        .all(db)
        .await?;
    // A series reminds of its occurrence whose reminder came last, until the next one's comes.
    let series = mine()?
        .filter(series_rows(true))
        .limit(MAX_CALENDAR)
        .all(db)
        .await?;
    rows.extend(due_occurrences(db, &series, now).await?);
    rows.sort_by_key(|m| (m.remind_at, m.id));
    rows.truncate(MAX_CALENDAR as usize);
    Ok(rows)
}

/// The start of the occurrence of `series` whose reminder came last by `now` (each occurrence's
/// reminder is the series' reminder moved with its start), if one has come.
pub fn due_occurrence(series: &activities::Model, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let (rule, start, remind) = (
        series.recurrence.as_deref().filter(|_| is_series(series))?,
        series.starts_at?,
        series.remind_at?,
    );
    let lead = start - remind;
    // A reminder older than a year and a bit stands no more (a daily series' 400 starts at most).
    let from = std::cmp::max(start, now + lead - chrono::Duration::days(400));
    let to = now + lead + chrono::Duration::seconds(1);
    recurrence::starts_between(
        rule,
        start,
        zone_of(series),
        from,
        to,
        recurrence::MAX_OCCURRENCES,
    )
    .into_iter()
    .rfind(|s| *s - lead <= now)
}

/// The occurrences of `series` whose reminders stand at `now` ([`due_occurrence`]), as the
/// calendar shows them; an occurrence changed on its own reminds as the activity it became.
/// One statement, none without a due occurrence.
pub async fn due_occurrences(
    db: &impl ConnectionTrait,
    series: &[activities::Model],
    now: DateTime<Utc>,
) -> AppResult<Vec<activities::Model>> {
    use activities::Column as C;
    let due: Vec<(&activities::Model, DateTime<Utc>)> = series
        .iter()
        .filter_map(|s| Some((s, due_occurrence(s, now)?)))
        .collect();
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let changed = changed_starts(
        db,
        aggregate::unscoped::<ActivityObject>("an occurrence changed on its own reminds as itself")
            .filter(C::SeriesId.is_in(due.iter().map(|(s, _)| s.id)))
            .filter(C::OccurrenceAt.is_in(due.iter().map(|(_, at)| *at))),
    )
    .await?;
    Ok(due
        .into_iter()
        .filter(|(s, at)| !changed.contains(&(s.id, *at)))
        .map(|(s, at)| occurrence(s, at))
        .collect())
}

/// Visible activities linked to a record, newest first (for profiles until the merged timeline).
pub async fn linked_to(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    ty: LinkType,
    id: Uuid,
    first: u64,
) -> AppResult<Vec<activities::Model>> {
    use activities::Column as C;
    let ids = Query::select()
        .column(activity_links::Column::ActivityId)
        .from(activity_links::Entity)
        .and_where(Expr::col(activity_links::Column::ObjectType).eq(ty.as_str()))
        .and_where(Expr::col(activity_links::Column::ObjectId).eq(id))
        .to_owned();
    Ok(visible(ctx)?
        .filter(C::Id.in_subquery(ids))
        .order_by_desc(C::CreatedAt)
        .order_by_desc(C::Id)
        .limit(first)
        .all(db)
        .await?)
}

/// The members of a team.
pub async fn team_members(db: &impl ConnectionTrait, team: Uuid) -> AppResult<Vec<Uuid>> {
    use entity::access::team_members as tm;
    Ok(tm::Entity::find()
        .filter(tm::Column::TeamId.eq(team))
        .select_only()
        .column(tm::Column::UserId)
        .into_tuple()
        .all(db)
        .await?)
}
