//! Contracts: a customer's terms, period, value and renewal, written as drafts, sent for review
//! and approved or rejected (with the reviewer's notes) by someone else than who sent them — four
//! eyes. Every transition is in the change log. Approving a contract that renews automatically or
//! by notice enqueues, in the same transaction, a reminder task for its owner
//! [`REMINDER_LEAD_DAYS`] before the notice date.

use async_graphql::Enum;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use entity::billing::contracts;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;

use super::policy::ContractObject;
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::activities::system::{create_task, SystemTask};
use crate::domain::documents::amounts;
use crate::domain::parties::service as parties;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::jobs::{self, JobKind};
use crate::kit::aggregate;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::{conflict, Write};
use crate::policy::{self, Action, Field};
use crate::state::AppState;

const OBJECT: &str = <ContractObject as aggregate::Aggregate>::OBJECT;
/// Reviewing contracts (approve or reject what someone else sent).
pub const CONTRACT_REVIEW: Field = Field::new(OBJECT, "review");
/// Days before the notice date the owner's reminder task is due.
pub const REMINDER_LEAD_DAYS: u64 = 14;

stored_enum!(
    /// How a contract renews at its end.
    Renewal {
        /// It ends.
        None => "NONE",
        /// It renews unless notice is given by the notice date.
        Automatic => "AUTOMATIC",
        /// It renews only when notice to renew is given by the notice date.
        Notice => "NOTICE",
    }
);

stored_enum!(
    /// Where a contract stands in its review.
    ContractStatus {
        Draft => "DRAFT",
        InReview => "IN_REVIEW",
        Approved => "APPROVED",
        /// Sent back with the reviewer's notes; the author changes it and sends it again.
        Rejected => "REJECTED",
    }
);

crate::versioned!(contracts, OBJECT, stamps updated_by, kept [CreatedAt, CreatedBy, Number], |m| vec![
    ("title", json!(m.title)),
    ("customerId", json!(m.customer_id)),
    ("ownerId", json!(m.owner_id)),
    ("terms", json!(m.terms)),
    ("startDate", json!(m.start_date)),
    ("endDate", json!(m.end_date)),
    ("value", json!(amounts::format_amount(m.value_minor, &m.currency))),
    ("currency", json!(m.currency)),
    ("renewal", json!(m.renewal)),
    ("noticeDays", json!(m.notice_days)),
    ("status", json!(m.status)),
    ("reviewerId", json!(m.reviewer_id)),
    ("reviewNotes", json!(m.review_notes)),
]);

/// The last day notice can be given.
pub fn notice_date(m: &contracts::Model) -> NaiveDate {
    m.end_date
        .checked_sub_days(Days::new(u64::try_from(m.notice_days).unwrap_or(0)))
        .unwrap_or(m.end_date)
}

/// Filter of the contract list.
#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    pub statuses: Vec<ContractStatus>,
    pub customer_id: Option<Uuid>,
    /// Contracts in review that the caller may review (sent by someone else).
    pub to_review: bool,
}

const ORDERING: &str = "CREATED_DESC";

fn condition(f: &ContractFilter, ctx: &RequestCtx) -> Condition {
    let mut c = Condition::all();
    if !f.statuses.is_empty() {
        c = c.add(contracts::Column::Status.is_in(f.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(id) = f.customer_id {
        c = c.add(contracts::Column::CustomerId.eq(id));
    }
    if f.to_review {
        c = c.add(contracts::Column::Status.eq(ContractStatus::InReview.as_str()));
        if let Ok(actor) = ctx.actor() {
            c = c.add(contracts::Column::SubmittedBy.ne(actor.user_id));
        }
    }
    c
}

/// One page of the contracts the caller may read, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &ContractFilter,
    page: &Page,
) -> AppResult<(Vec<contracts::Model>, bool)> {
    if filter.to_review {
        policy::check_field_write(ctx.actor()?, CONTRACT_REVIEW)?;
    }
    let q = aggregate::visible::<ContractObject>(ctx, Action::Read)?.filter(condition(filter, ctx));
    db::newest_first(
        db,
        q,
        contracts::Column::CreatedAt,
        contracts::Column::Id,
        ORDERING,
        page,
    )
    .await
}

/// The cursor of a contract in the list.
pub fn cursor(m: &contracts::Model) -> Cursor {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Time(m.created_at),
        id: m.id,
    }
}

/// How many contracts the caller may read match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &ContractFilter,
) -> AppResult<u64> {
    Ok(aggregate::visible::<ContractObject>(ctx, Action::Read)?
        .filter(condition(filter, ctx))
        .count(db)
        .await?)
}

/// One contract the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<contracts::Model>> {
    Ok(aggregate::visible::<ContractObject>(ctx, Action::Read)?
        .filter(contracts::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// A contract's fields for create or update; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ContractChanges {
    /// Create only.
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub title: Option<String>,
    pub terms: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub currency: Option<String>,
    pub value: Option<String>,
    pub renewal: Option<Renewal>,
    pub notice_days: Option<i32>,
}

/// Validates `c` onto `m` (every error at once, each naming its field).
fn apply(m: &mut contracts::Model, c: &ContractChanges) -> AppResult<()> {
    let mut val = Validator::default();
    if let Some(t) = val.given(c.title.as_deref(), |s| v::required_text("title", s, 200)) {
        m.title = t;
    }
    if let Some(t) = val.given(c.terms.as_deref(), |s| v::long_text("terms", s, 20_000)) {
        m.terms = t;
    }
    for (field, given, slot) in [
        ("startDate", &c.start_date, &mut m.start_date),
        ("endDate", &c.end_date, &mut m.end_date),
    ] {
        match val.given(given.as_deref(), |s| v::date(field, s)) {
            Some(Some(d)) => *slot = d,
            Some(None) => val.push(field, "is required"),
            None => {}
        }
    }
    if let Some(cur) = val.given(c.currency.as_deref(), |s| v::currency("currency", s)) {
        m.currency = cur;
    }
    if let Some(value) = &c.value {
        match amounts::parse_amount("value", value, &m.currency) {
            Ok(x) if x >= 0 => m.value_minor = x,
            Ok(_) => val.push("value", "must not be negative"),
            Err(e) => val.push(&e.field, e.message),
        }
    }
    if let Some(r) = c.renewal {
        m.renewal = r.as_str().into();
    }
    if let Some(d) = c.notice_days {
        if (0..=730).contains(&d) {
            m.notice_days = d;
        } else {
            val.push("noticeDays", "must be between 0 and 730");
        }
    }
    if m.end_date <= m.start_date {
        val.push("endDate", "must be after the start date");
    }
    if m.renewal != Renewal::None.as_str() && notice_date(m) < m.start_date {
        val.push("noticeDays", "the notice date falls before the start");
    }
    val.finish()
}

/// Creates a draft contract.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: ContractChanges,
) -> AppResult<contracts::Model> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let now = db::now();
    let today = now.date_naive();
    let mut m = contracts::Model {
        id: Uuid::new_v4(),
        number: String::new(),
        customer_id: Uuid::nil(),
        owner_id: changes.owner_id.unwrap_or(actor.user_id),
        title: String::new(),
        terms: None,
        start_date: today,
        end_date: today.checked_add_days(Days::new(365)).unwrap_or(today),
        currency: "EUR".into(),
        value_minor: 0,
        renewal: Renewal::None.as_str().into(),
        notice_days: 0,
        status: ContractStatus::Draft.as_str().into(),
        submitted_by: None,
        submitted_at: None,
        reviewer_id: None,
        reviewed_at: None,
        review_notes: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    let mut c = changes.clone();
    if c.title.is_none() {
        c.title = Some(String::new());
    }
    apply(&mut m, &c)?;
    let customer = match changes.customer_id {
        Some(id) => parties::get(&state.db, ctx, id).await?,
        None => None,
    }
    .ok_or_else(|| AppError::bad_input("customerId", "is not a customer you can see"))?;
    m.customer_id = customer.id;
    if !policy::owner_in_scope(actor, scope, Some(m.owner_id)) {
        return Err(AppError::Forbidden(
            "your role may not create contracts for that owner".into(),
        ));
    }
    parties::check_owner(&state.db, actor, scope, m.owner_id, OBJECT).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let n = parties::next_number(w.txn(), "contract").await?;
    m.number = format!("CT-{n:06}");
    let m = w.insert(m).await?;
    w.commit().await?;
    Ok(m)
}

async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<contracts::Model> {
    let m = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such contract".into()))?;
    policy::check_reach(ctx, OBJECT, Action::Update, Some(m.owner_id), "contract")?;
    Ok(m)
}

fn refuse(m: &contracts::Model, what: &str) -> AppError {
    AppError::bad_input(
        "id",
        format!(
            "contract {} is {} and cannot be {what}",
            m.number,
            m.status.to_ascii_lowercase().replace('_', " ")
        ),
    )
}

/// Changes a draft or a rejected contract.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: ContractChanges,
) -> AppResult<contracts::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    if changes.customer_id.is_some() {
        return Err(AppError::bad_input(
            "customerId",
            "a contract's customer is set when it is created",
        ));
    }
    let mut next = current.clone();
    apply(&mut next, &changes)?;
    if !matches!(
        ContractStatus::parse(&current.status),
        Some(ContractStatus::Draft | ContractStatus::Rejected)
    ) {
        return Err(refuse(&current, "changed"));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    if let Some(owner) = changes.owner_id.filter(|o| *o != current.owner_id) {
        let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Update)?;
        parties::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.save(&current, next, version, "update").await?;
    w.commit().await?;
    Ok(m)
}

/// Sends a draft or rejected contract for review.
pub async fn submit(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<contracts::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    if !matches!(
        ContractStatus::parse(&current.status),
        Some(ContractStatus::Draft | ContractStatus::Rejected)
    ) {
        return Err(refuse(&current, "sent for review"));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    next.status = ContractStatus::InReview.as_str().into();
    next.submitted_by = Some(ctx.actor()?.user_id);
    next.submitted_at = Some(db::now());
    next.reviewer_id = None;
    next.reviewed_at = None;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.save(&current, next, version, "submit").await?;
    w.commit().await?;
    Ok(m)
}

/// A reviewer's decision.
#[derive(Debug, Clone)]
pub struct Review {
    pub approve: bool,
    pub notes: Option<String>,
}

/// Approves or rejects a contract in review. The reviewer holds `contract.review` and is not who
/// sent it (nor its author); a rejection needs notes. Approval of a renewing contract enqueues its
/// owner's renewal reminder in the same transaction.
pub async fn review(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    decision: Review,
) -> AppResult<contracts::Model> {
    let actor = ctx.actor()?;
    policy::check_field_write(actor, CONTRACT_REVIEW)
        .map_err(|_| AppError::Forbidden("your role may not review contracts".into()))?;
    let current = load_for(&state.db, ctx, id).await?;
    let notes = match decision.notes.as_deref() {
        Some(s) => v::long_text("notes", s, 4000).map_err(|e| AppError::BadInput(vec![e]))?,
        None => None,
    };
    if !decision.approve && notes.is_none() {
        return Err(AppError::bad_input(
            "notes",
            "say why the contract is rejected",
        ));
    }
    if current.status != ContractStatus::InReview.as_str() {
        return Err(refuse(&current, "reviewed"));
    }
    if current.submitted_by == Some(actor.user_id) || current.created_by == Some(actor.user_id) {
        return Err(AppError::Forbidden(
            "four eyes: a contract is reviewed by someone else than who wrote or sent it".into(),
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    next.status = if decision.approve {
        ContractStatus::Approved
    } else {
        ContractStatus::Rejected
    }
    .as_str()
    .into();
    next.reviewer_id = Some(actor.user_id);
    next.reviewed_at = Some(db::now());
    next.review_notes = notes;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let action = if decision.approve {
        "approve"
    } else {
        "reject"
    };
    let m = w.save(&current, next, version, action).await?;
    if decision.approve && m.renewal != Renewal::None.as_str() {
        jobs::enqueue(
            w.txn(),
            JobKind::ContractRenewal,
            json!({"contractId": m.id, "endDate": m.end_date}),
            reminder_at(&m),
        )
        .await?;
    }
    w.commit().await?;
    Ok(m)
}

/// When the owner's renewal reminder is due: [`REMINDER_LEAD_DAYS`] before the notice date.
pub fn reminder_at(m: &contracts::Model) -> DateTime<Utc> {
    let d = notice_date(m);
    d.checked_sub_days(Days::new(REMINDER_LEAD_DAYS))
        .unwrap_or(d)
        .and_time(NaiveTime::MIN)
        .and_utc()
}

/// Runs a renewal reminder job (`{"contractId", "endDate"}`): a task for the owner, when the
/// contract is still approved with the same end.
pub async fn remind(w: &mut Write<'_>, payload: &Value, now: DateTime<Utc>) -> AppResult<()> {
    let id = payload
        .get("contractId")
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("renewal job without contractId")))?;
    let Some(m) = aggregate::unscoped::<ContractObject>("a background job: renewal reminder")
        .filter(contracts::Column::Id.eq(id))
        .one(w.txn())
        .await?
    else {
        return Ok(());
    };
    let same_end = payload.get("endDate").and_then(Value::as_str) == Some(&m.end_date.to_string());
    if m.status != ContractStatus::Approved.as_str() || !same_end {
        return Ok(());
    }
    let what = if m.renewal == Renewal::Automatic.as_str() {
        "it renews automatically unless notice is given"
    } else {
        "it renews only if notice to renew is given"
    };
    create_task(
        w,
        SystemTask {
            owner: m.owner_id,
            party: m.customer_id,
            subject: format!("Contract {}: notice due by {}", m.number, notice_date(&m)),
            description: format!(
                "{} ends on {}; {what}. Decide with the customer before {}.",
                m.title,
                m.end_date,
                notice_date(&m)
            ),
            due_at: notice_date(&m).and_time(NaiveTime::MIN).and_utc(),
            remind_at: Some(now),
        },
        now,
    )
    .await?;
    Ok(())
}
