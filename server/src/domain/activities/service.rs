//! Activity services: scoped reads (lists, calendar, tasks, reminders) and versioned writes, each in
//! one transaction with its change-log row; completing an activity can set the linked opportunity's
//! next step in the same transaction.

use chrono::{DateTime, Utc};
use entity::activities::{activities, activity_attendees, activity_links};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::kinds::{ActivityKind, ActivityStatus, AttendeeType, LinkType};
use super::policy::{ActivityObject, PRIVATE_NOTE};
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
        completed_at: None,
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    apply(&mut m, &changes, true)?;
    // Notes and logged e-mails record what happened, and so does a call or meeting that has
    // already begun when it is logged: done when written, unless said otherwise.
    let happened = match ActivityKind::parse(&m.kind) {
        Some(ActivityKind::Note | ActivityKind::Email) => true,
        Some(ActivityKind::Call | ActivityKind::Meeting) => m.starts_at.is_some_and(|s| s <= now),
        _ => false,
    };
    if changes.status.is_none() && happened {
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
    w.commit().await?;
    Ok(m)
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

/// Visible activities of `owners` (the caller when empty) that start, end or fall due in
/// `[from, to)`, in time order, at most [`MAX_CALENDAR`].
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
        .filter(C::OwnerId.is_in(owners))
        .filter(
            Condition::any()
                .add(in_range(C::StartsAt))
                .add(in_range(C::DueAt)),
        )
        .limit(MAX_CALENDAR)
        .all(db)
        .await?;
    rows.sort_by_key(|m| (m.starts_at.or(m.due_at), m.id));
    Ok(rows)
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
    Ok(visible(ctx)?
        .filter(C::OwnerId.eq(me))
        .filter(C::Status.eq(ActivityStatus::Planned.as_str()))
        .filter(C::RemindAt.lte(now))
        .order_by_asc(C::RemindAt)
        .limit(MAX_CALENDAR)
        .all(db)
        .await?)
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
