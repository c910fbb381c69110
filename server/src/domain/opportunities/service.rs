//! Opportunity services: every read applies the row scope; every write is validate → authorize →
//! one transaction (row, history rows, change-log row), then the change is published.

use chrono::NaiveDate;
use entity::opportunities::{opportunities, opportunity_contacts, opportunity_history};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, Condition,
    ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::kinds::{ContactRole, HistoryField, LeadSource, OpportunityStatus, StageOutcome};
use super::pipelines::Catalog;
use super::policy::{OpportunityObject, AMOUNT_FIELD};
use super::rules;
use crate::auth::{Actor, RequestCtx};
use crate::changelog;
use crate::db;
use crate::domain::money;
use crate::domain::parties::kinds::{PartyKind, PartyRole};
use crate::domain::parties::service as parties_svc;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::events::ChangeEvent;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::policy::{self, Action, Scope};
use crate::state::AppState;

pub const OBJECT: &str = OpportunityObject::OBJECT_NAME;
/// Most contacts one opportunity lists.
const MAX_CONTACTS: usize = 50;

/// Money as given by a client (as for accounts).
pub use crate::domain::accounts::service::MoneyInput;

/// A change set for create or update. `None` leaves a field as it is; for optional text and dates
/// an empty string clears; `Some(None)` clears amount and lead source.
#[derive(Debug, Clone, Default)]
pub struct OpportunityChanges {
    pub name: Option<String>,
    pub account_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub probability: Option<i32>,
    pub amount: Option<Option<MoneyInput>>,
    pub close_date: Option<String>,
    pub next_step: Option<String>,
    pub next_step_date: Option<String>,
    pub lead_source: Option<Option<LeadSource>>,
    pub lost_reason: Option<String>,
    pub contacts: Option<Vec<(Uuid, ContactRole)>>,
    pub note: Option<String>,
    /// The lead it came from (set by lead conversion only).
    pub lead_id: Option<Uuid>,
    /// The campaign it is attributed to (set by lead conversion only, for now).
    pub campaign_id: Option<Uuid>,
}

/// Validated values: `Some(x)` replaces the field with `x`.
#[derive(Debug, Default)]
struct Clean {
    name: Option<String>,
    probability: Option<i32>,
    amount: Option<Option<(i64, String)>>,
    close_date: Option<Option<NaiveDate>>,
    next_step: Option<Option<String>>,
    next_step_date: Option<Option<NaiveDate>>,
    lead_source: Option<Option<LeadSource>>,
    lost_reason: Option<Option<String>>,
    contacts: Option<Vec<(Uuid, ContactRole)>>,
    note: Option<String>,
}

fn validate(c: &OpportunityChanges, creating: bool) -> AppResult<Clean> {
    let mut val = Validator::default();
    let mut out = Clean::default();
    match (&c.name, creating) {
        (Some(n), _) => out.name = val.check(v::required_text("name", n, 200)),
        (None, true) => val.push("name", "is required"),
        (None, false) => {}
    }
    if let Some(p) = c.probability {
        if (0..=100).contains(&p) {
            out.probability = Some(p);
        } else {
            val.push("probability", "must be between 0 and 100");
        }
    }
    out.amount = match &c.amount {
        None => None,
        Some(None) => Some(None),
        Some(Some(m)) => {
            let amount = val.check(money::parse_amount("amount.amount", &m.amount));
            let currency = val.check(v::currency("amount.currency", &m.currency));
            amount.zip(currency).map(Some)
        }
    };
    out.close_date = c
        .close_date
        .as_deref()
        .and_then(|s| val.check(v::date("closeDate", s)));
    out.next_step = c
        .next_step
        .as_deref()
        .and_then(|s| val.check(v::optional_text("nextStep", s, 200)));
    out.next_step_date = c
        .next_step_date
        .as_deref()
        .and_then(|s| val.check(v::date("nextStepDate", s)));
    out.lead_source = c.lead_source;
    out.lost_reason = c
        .lost_reason
        .as_deref()
        .and_then(|s| val.check(v::optional_text("lostReason", s, 500)));
    out.note = c
        .note
        .as_deref()
        .and_then(|s| val.check(v::optional_text("note", s, 500)))
        .flatten();
    if let Some(list) = &c.contacts {
        if list.len() > MAX_CONTACTS {
            val.push(
                "contacts",
                format!("may list at most {MAX_CONTACTS} contacts"),
            );
        }
        for (i, (id, _)) in list.iter().enumerate() {
            if list[..i].iter().any(|(other, _)| other == id) {
                val.push(&format!("contacts.{i}.contactId"), "is listed twice");
            }
        }
        out.contacts = Some(list.clone());
    }
    val.finish()?;
    Ok(out)
}

/// Opportunities the caller may read, archived ones included.
pub fn visible(ctx: &RequestCtx) -> AppResult<Select<opportunities::Entity>> {
    let scope = policy::row_scope::<OpportunityObject>(ctx, Action::Read)?;
    Ok(opportunities::Entity::find().filter(scope))
}

/// One opportunity, if the caller may read it.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<opportunities::Model>> {
    Ok(visible(ctx)?
        .filter(opportunities::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// Criteria narrowing opportunities (board, columns, lists). Amount bounds need the amount grant:
/// filtering by a value one may not read would reveal it.
#[derive(Debug, Clone, Default)]
pub struct OpportunityFilter {
    pub pipeline_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub owner_ids: Vec<Uuid>,
    pub team_id: Option<Uuid>,
    pub close_date_from: Option<NaiveDate>,
    pub close_date_to: Option<NaiveDate>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub status: Option<OpportunityStatus>,
    pub search: Option<String>,
    pub include_archived: bool,
}

impl OpportunityFilter {
    /// The SQL condition of the filter, checking the amount grant when amounts are filtered.
    pub fn condition(&self, ctx: &RequestCtx) -> AppResult<Condition> {
        use opportunities::Column as C;
        let mut c = Condition::all();
        if !self.include_archived {
            c = c.add(C::ArchivedAt.is_null());
        }
        if let Some(p) = self.pipeline_id {
            c = c.add(C::PipelineId.eq(p));
        }
        if let Some(a) = self.account_id {
            c = c.add(C::AccountId.eq(a));
        }
        if !self.owner_ids.is_empty() {
            c = c.add(C::OwnerId.is_in(self.owner_ids.iter().copied()));
        }
        if let Some(team) = self.team_id {
            use entity::access::team_members as tm;
            let members = sea_orm::sea_query::Query::select()
                .column(tm::Column::UserId)
                .from(tm::Entity)
                .and_where(Expr::col(tm::Column::TeamId).eq(team))
                .to_owned();
            c = c.add(C::OwnerId.in_subquery(members));
        }
        if let Some(d) = self.close_date_from {
            c = c.add(C::CloseDate.gte(d));
        }
        if let Some(d) = self.close_date_to {
            c = c.add(C::CloseDate.lte(d));
        }
        if self.amount_min.is_some() || self.amount_max.is_some() {
            if !ctx.actor()?.grants.can_read(AMOUNT_FIELD) {
                return Err(AppError::Forbidden(
                    "your role may not read opportunity amounts, so it may not filter by them"
                        .into(),
                ));
            }
            if let Some(m) = self.amount_min {
                c = c.add(C::AmountMinor.gte(m));
            }
            if let Some(m) = self.amount_max {
                c = c.add(C::AmountMinor.lte(m));
            }
        }
        if let Some(s) = self.status {
            c = c.add(C::Status.eq(s.as_str()));
        }
        if let Some(term) = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let escaped = term
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            c = c.add(
                Expr::expr(Func::lower(Expr::col((opportunities::Entity, C::Name))))
                    .like(sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')),
            );
        }
        Ok(c)
    }
}

/// A keyset page of visible opportunities matching `filter`, most recently changed first.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OpportunityFilter,
    page: &Page,
) -> AppResult<(Vec<opportunities::Model>, bool)> {
    use opportunities::Column as C;
    let mut q = visible(ctx)?.filter(filter.condition(ctx)?);
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, "UPDATED_DESC")?;
        let SortValue::Time(t) = c.k else {
            return Err(AppError::bad_input("after", "is not a cursor of this list"));
        };
        q = q.filter(
            Condition::any()
                .add(C::UpdatedAt.lt(t))
                .add(Condition::all().add(C::UpdatedAt.eq(t)).add(C::Id.lt(c.id))),
        );
    }
    let mut rows = q
        .order_by_desc(C::UpdatedAt)
        .order_by_desc(C::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more))
}

/// The cursor of a row in [`list`] order.
pub fn list_cursor(m: &opportunities::Model) -> String {
    Cursor {
        o: "UPDATED_DESC".into(),
        k: SortValue::Time(m.updated_at),
        id: m.id,
    }
    .encode()
}

/// How many visible opportunities match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OpportunityFilter,
) -> AppResult<u64> {
    Ok(visible(ctx)?
        .filter(filter.condition(ctx)?)
        .count(db)
        .await?)
}

/// The amount as history shows it: "1250.00 EUR".
pub fn money_text(minor: Option<i64>, currency: &Option<String>) -> Option<String> {
    match (minor, currency) {
        (Some(m), Some(c)) => Some(format!("{} {c}", money::format_amount(m))),
        _ => None,
    }
}

/// The fields as the change log records them (API names).
fn snapshot(m: &opportunities::Model) -> Vec<(&'static str, Value)> {
    vec![
        ("name", json!(m.name)),
        ("accountId", json!(m.account_id)),
        ("ownerId", json!(m.owner_id)),
        ("pipelineId", json!(m.pipeline_id)),
        ("stageId", json!(m.stage_id)),
        ("position", json!(m.position)),
        ("probability", json!(m.probability)),
        ("amount", money::to_json(m.amount_minor, &m.currency)),
        ("closeDate", json!(m.close_date)),
        ("nextStep", json!(m.next_step)),
        ("nextStepDate", json!(m.next_step_date)),
        ("leadSource", json!(m.lead_source)),
        ("status", json!(m.status)),
        ("lostReason", json!(m.lost_reason)),
        ("archived", json!(m.archived_at.is_some())),
    ]
}

fn diff(before: Option<&opportunities::Model>, after: &opportunities::Model) -> Value {
    changelog::diff_snapshots(before.map(snapshot), snapshot(after))
}

/// The history rows a change makes: stage, amount, probability and close date, from → to.
fn history_rows(
    before: Option<&opportunities::Model>,
    after: &opportunities::Model,
) -> Vec<(HistoryField, Option<String>, Option<String>)> {
    let pick = |m: &opportunities::Model| {
        [
            (HistoryField::Stage, Some(m.stage_id.to_string())),
            (
                HistoryField::Amount,
                money_text(m.amount_minor, &m.currency),
            ),
            (HistoryField::Probability, Some(m.probability.to_string())),
            (HistoryField::CloseDate, m.close_date.map(|d| d.to_string())),
        ]
    };
    let a = pick(after);
    let b = before.map(pick);
    a.into_iter()
        .enumerate()
        .filter_map(|(i, (field, to))| {
            let from = b.as_ref().and_then(|b| b[i].1.clone());
            (from != to).then_some((field, from, to))
        })
        .collect()
}

async fn write_history(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    before: Option<&opportunities::Model>,
    after: &opportunities::Model,
    note: Option<&str>,
) -> AppResult<()> {
    let now = db::now();
    for (field, from, to) in history_rows(before, after) {
        opportunity_history::ActiveModel {
            id: NotSet,
            opportunity_id: Set(after.id),
            occurred_at: Set(now),
            actor_id: Set(Some(actor.user_id)),
            field: Set(field.as_str().to_string()),
            from_value: Set(from),
            to_value: Set(to),
            note: Set(note.map(str::to_string)),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Checks the account: an organisation or person holding the ACCOUNT or CUSTOMER role, visible to
/// the caller.
async fn check_account(db: &impl ConnectionTrait, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    let bad = || AppError::bad_input("accountId", "is not an account or customer you can see");
    let party = parties_svc::get(db, ctx, id).await?.ok_or_else(bad)?;
    if party.merged_into.is_some() {
        return Err(bad());
    }
    let roles = parties_svc::roles_of(db, &[id]).await?;
    let ok = roles
        .get(&id)
        .is_some_and(|r| r.contains(&PartyRole::Account) || r.contains(&PartyRole::Customer));
    if ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// Checks the contacts: people visible to the caller.
async fn check_contacts(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    contacts: &[(Uuid, ContactRole)],
) -> AppResult<()> {
    let mut val = Validator::default();
    for (i, (id, _)) in contacts.iter().enumerate() {
        let ok = parties_svc::get(db, ctx, *id)
            .await?
            .is_some_and(|p| p.kind == PartyKind::Person.as_str());
        if !ok {
            val.push(
                &format!("contacts.{i}.contactId"),
                "is not a person you can see",
            );
        }
    }
    val.finish()
}

async fn write_contacts(
    txn: &impl ConnectionTrait,
    id: Uuid,
    contacts: &[(Uuid, ContactRole)],
) -> AppResult<()> {
    opportunity_contacts::Entity::delete_many()
        .filter(opportunity_contacts::Column::OpportunityId.eq(id))
        .exec(txn)
        .await?;
    for (party, role) in contacts {
        opportunity_contacts::ActiveModel {
            opportunity_id: Set(id),
            party_id: Set(*party),
            role: Set(role.as_str().to_string()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The contacts of each opportunity, in the order they were given.
pub async fn contacts_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<Vec<opportunity_contacts::Model>> {
    Ok(opportunity_contacts::Entity::find()
        .filter(opportunity_contacts::Column::OpportunityId.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The last position in a stage column (`None` when it is empty).
async fn last_position(
    db: &impl ConnectionTrait,
    pipeline: Uuid,
    stage: Uuid,
    except: Option<Uuid>,
) -> AppResult<Option<String>> {
    let mut q = opportunities::Entity::find()
        .filter(opportunities::Column::PipelineId.eq(pipeline))
        .filter(opportunities::Column::StageId.eq(stage));
    if let Some(id) = except {
        q = q.filter(opportunities::Column::Id.ne(id));
    }
    Ok(q.order_by_desc(opportunities::Column::Position)
        .order_by_desc(opportunities::Column::Id)
        .one(db)
        .await?
        .map(|m| m.position))
}

/// Resolves pipeline and stage for a new opportunity: the given ones, or the default pipeline's
/// first open stage.
fn place(
    catalog: &Catalog,
    pipeline: Option<Uuid>,
    stage: Option<Uuid>,
) -> AppResult<(Uuid, entity::opportunities::pipeline_stages::Model)> {
    let pipeline = match (pipeline, stage.and_then(|s| catalog.stage(s))) {
        (Some(p), _) => {
            catalog
                .pipeline(p)
                .ok_or_else(|| AppError::bad_input("pipelineId", "is not a pipeline"))?
                .id
        }
        (None, Some(s)) => s.pipeline_id,
        (None, None) => {
            catalog
                .default_pipeline()
                .ok_or_else(|| AppError::bad_input("pipelineId", "no pipeline exists yet"))?
                .id
        }
    };
    let stage = match stage {
        Some(s) => catalog
            .stage(s)
            .filter(|st| st.pipeline_id == pipeline && st.retired_at.is_none())
            .ok_or_else(|| {
                AppError::bad_input("stageId", "is not an active stage of the pipeline")
            })?
            .clone(),
        None => catalog
            .stages_of(pipeline, false)
            .next()
            .ok_or_else(|| AppError::bad_input("stageId", "the pipeline has no active stage"))?
            .clone(),
    };
    Ok((pipeline, stage))
}

fn outcome(stage: &entity::opportunities::pipeline_stages::Model) -> StageOutcome {
    StageOutcome::parse(&stage.outcome).unwrap_or(StageOutcome::Open)
}

fn apply(m: &mut opportunities::Model, c: &Clean) {
    if let Some(n) = &c.name {
        m.name = n.clone();
    }
    if let Some(a) = &c.amount {
        m.amount_minor = a.as_ref().map(|(x, _)| *x);
        m.currency = a.as_ref().map(|(_, c)| c.clone());
    }
    if let Some(d) = c.close_date {
        m.close_date = d;
    }
    if let Some(s) = &c.next_step {
        m.next_step = s.clone();
    }
    if let Some(d) = c.next_step_date {
        m.next_step_date = d;
    }
    if let Some(l) = c.lead_source {
        m.lead_source = l.map(|l| l.as_str().to_string());
    }
}

/// Creates an opportunity in its own transaction and publishes the change.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: OpportunityChanges,
) -> AppResult<opportunities::Model> {
    let txn = db::begin_write(&state.db).await?;
    let (m, event) = create_in(&txn, ctx, changes).await?;
    txn.commit().await?;
    state.events.publish(event);
    Ok(m)
}

/// Creates an opportunity inside the caller's transaction. Returns it with its change event.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    changes: OpportunityChanges,
) -> AppResult<(opportunities::Model, ChangeEvent)> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let clean = validate(&changes, true)?;
    if matches!(clean.amount, Some(Some(_))) {
        policy::check_field_write(actor, AMOUNT_FIELD)?;
    }
    let account = changes
        .account_id
        .ok_or_else(|| AppError::bad_input("accountId", "is required"))?;
    let catalog = Catalog::load(txn).await?;
    let (pipeline, stage) = place(&catalog, changes.pipeline_id, changes.stage_id)?;
    let entry = rules::enter_stage(
        outcome(&stage),
        stage.probability,
        clean.lost_reason.clone().flatten(),
    );
    let probability = match (clean.probability, rules::fixed_probability(outcome(&stage))) {
        (Some(p), Some(fixed)) if p != fixed => {
            return Err(AppError::bad_input(
                "probability",
                format!("must be {fixed} in a closed stage"),
            ))
        }
        (Some(p), _) => p,
        (None, _) => entry.probability,
    };
    let owner = changes.owner_id.unwrap_or(actor.user_id);
    parties_svc::check_owner(txn, actor, scope, owner, OBJECT).await?;
    check_account(txn, ctx, account).await?;
    if let Some(list) = &clean.contacts {
        check_contacts(txn, ctx, list).await?;
    }
    let n = parties_svc::next_number(txn, OBJECT).await?;
    let after = last_position(txn, pipeline, stage.id, None).await?;
    let now = db::now();
    let mut m = opportunities::Model {
        id: Uuid::new_v4(),
        code: format!("O-{n:06}"),
        name: String::new(),
        account_id: account,
        owner_id: owner,
        pipeline_id: pipeline,
        stage_id: stage.id,
        position: rules::key_between(after.as_deref(), None),
        probability,
        amount_minor: None,
        currency: None,
        close_date: None,
        next_step: None,
        next_step_date: None,
        lead_id: changes.lead_id,
        lead_source: None,
        campaign_id: changes.campaign_id,
        status: entry.status.as_str().to_string(),
        lost_reason: entry.lost_reason,
        closed_at: entry.closed.then_some(now),
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    apply(&mut m, &clean);
    opportunities::ActiveModel::from(m.clone())
        .insert(txn)
        .await?;
    if let Some(list) = &clean.contacts {
        write_contacts(txn, m.id, list).await?;
    }
    write_history(txn, actor, None, &m, clean.note.as_deref()).await?;
    let cursor = changelog::record(
        txn,
        Some(actor.user_id),
        OBJECT,
        m.id,
        "create",
        diff(None, &m),
    )
    .await?;
    Ok((m.clone(), ChangeEvent::new(cursor, OBJECT, m.id, "create")))
}

/// Loads an opportunity the caller may read and checks that `action` reaches it.
async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
) -> AppResult<(opportunities::Model, Scope)> {
    let current = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such opportunity".into()))?;
    let scope = policy::check_reach(ctx, OBJECT, action, Some(current.owner_id), "opportunity")?;
    Ok((current, scope))
}

/// `CONFLICT` carrying the stored version.
pub fn conflict(current_version: i32) -> AppError {
    parties_svc::conflict(current_version)
}

/// Writes `next` over `current` if the stored version is still `expected` (else `CONFLICT`), with
/// its history rows and change-log row, inside `txn`.
#[allow(clippy::too_many_arguments)]
async fn save(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    current: &opportunities::Model,
    mut next: opportunities::Model,
    expected: i32,
    action: &str,
    note: Option<&str>,
    extra: Value,
) -> AppResult<(opportunities::Model, ChangeEvent)> {
    next.version = expected + 1;
    next.updated_at = db::now();
    next.updated_by = Some(actor.user_id);
    let mut am = opportunities::ActiveModel::from(next.clone()).reset_all();
    am.id = NotSet;
    am.code = NotSet;
    am.created_at = NotSet;
    am.created_by = NotSet;
    let res = opportunities::Entity::update_many()
        .set(am)
        .filter(opportunities::Column::Id.eq(current.id))
        .filter(opportunities::Column::Version.eq(expected))
        .exec(txn)
        .await?;
    if res.rows_affected == 0 {
        let now = opportunities::Entity::find_by_id(current.id)
            .one(txn)
            .await?
            .map(|m| m.version)
            .unwrap_or(current.version);
        return Err(conflict(now));
    }
    write_history(txn, actor, Some(current), &next, note).await?;
    let mut changes = diff(Some(current), &next);
    if let (Value::Object(map), Value::Object(extra)) = (&mut changes, extra) {
        map.extend(extra);
    }
    if let Some(n) = note {
        if let Value::Object(map) = &mut changes {
            map.insert("note".into(), json!({"before": null, "after": n}));
        }
    }
    let cursor = changelog::record(
        txn,
        Some(actor.user_id),
        OBJECT,
        current.id,
        action,
        changes,
    )
    .await?;
    Ok((next, ChangeEvent::new(cursor, OBJECT, current.id, action)))
}

/// Updates an opportunity if `version` is current. An update that changes nothing writes nothing.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: OpportunityChanges,
) -> AppResult<opportunities::Model> {
    let (current, scope) = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let clean = validate(&changes, false)?;
    if clean.amount.is_some() {
        policy::check_field_write(actor, AMOUNT_FIELD)?;
    }
    if let Some(owner) = changes.owner_id.filter(|o| *o != current.owner_id) {
        parties_svc::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
    }
    if let Some(account) = changes.account_id.filter(|a| *a != current.account_id) {
        check_account(&state.db, ctx, account).await?;
    }
    if let Some(list) = &clean.contacts {
        check_contacts(&state.db, ctx, list).await?;
    }
    let status = OpportunityStatus::parse(&current.status).unwrap_or(OpportunityStatus::Open);
    if let Some(p) = clean.probability {
        let fixed = match status {
            OpportunityStatus::Open => None,
            OpportunityStatus::Won => Some(100),
            OpportunityStatus::Lost => Some(0),
        };
        if fixed.is_some_and(|f| f != p) {
            return Err(AppError::bad_input(
                "probability",
                "is fixed while the opportunity is closed; move it to an open stage first",
            ));
        }
    }
    if clean.lost_reason.as_ref().is_some_and(Option::is_some) && status != OpportunityStatus::Lost
    {
        return Err(AppError::bad_input(
            "lostReason",
            "can only be given for a lost opportunity",
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    apply(&mut next, &clean);
    if let Some(p) = clean.probability {
        next.probability = p;
    }
    if let Some(o) = changes.owner_id {
        next.owner_id = o;
    }
    if let Some(a) = changes.account_id {
        next.account_id = a;
    }
    if let Some(r) = &clean.lost_reason {
        next.lost_reason = r.clone();
    }
    let contacts_changed = match &clean.contacts {
        Some(list) => {
            let mut now: Vec<(Uuid, String)> = contacts_of(&state.db, &[id])
                .await?
                .into_iter()
                .map(|c| (c.party_id, c.role))
                .collect();
            let mut want: Vec<(Uuid, String)> = list
                .iter()
                .map(|(p, r)| (*p, r.as_str().to_string()))
                .collect();
            now.sort();
            want.sort();
            (now != want).then_some((now, want))
        }
        None => None,
    };
    if diff(Some(&current), &next) == json!({}) && contacts_changed.is_none() {
        return Ok(current);
    }
    let txn = db::begin_write(&state.db).await?;
    let mut extra = json!({});
    if let (Some(list), Some((before, after))) = (&clean.contacts, &contacts_changed) {
        write_contacts(&txn, id, list).await?;
        let show = |v: &Vec<(Uuid, String)>| -> Value {
            v.iter()
                .map(|(p, r)| json!({"contactId": p, "role": r}))
                .collect()
        };
        extra = json!({"contacts": {"before": show(before), "after": show(after)}});
    }
    let (m, event) = save(
        &txn,
        actor,
        &current,
        next,
        version,
        "update",
        clean.note.as_deref(),
        extra,
    )
    .await?;
    txn.commit().await?;
    state.events.publish(event);
    Ok(m)
}

/// A move on the board: into `stage_id`, between the cards `after_id` and `before_id` of that column.
#[derive(Debug, Clone)]
pub struct Move {
    pub stage_id: Uuid,
    pub after_id: Option<Uuid>,
    pub before_id: Option<Uuid>,
    pub lost_reason: Option<String>,
    pub note: Option<String>,
}

/// The positions around the drop point: the named neighbours if they are in the target column,
/// else the nearest cards next to the one that is.
async fn neighbours(
    db: &impl ConnectionTrait,
    pipeline: Uuid,
    stage: Uuid,
    me: Uuid,
    after: Option<Uuid>,
    before: Option<Uuid>,
) -> AppResult<(Option<String>, Option<String>)> {
    use opportunities::Column as C;
    let column = || {
        opportunities::Entity::find()
            .filter(C::PipelineId.eq(pipeline))
            .filter(C::StageId.eq(stage))
            .filter(C::Id.ne(me))
    };
    let ids: Vec<Uuid> = after.into_iter().chain(before).collect();
    let found = if ids.is_empty() {
        Vec::new()
    } else {
        column().filter(C::Id.is_in(ids)).all(db).await?
    };
    let a = after.and_then(|id| found.iter().find(|m| m.id == id));
    let b = before.and_then(|id| found.iter().find(|m| m.id == id));
    let after_key = |m: &opportunities::Model| {
        Condition::any()
            .add(C::Position.gt(m.position.clone()))
            .add(
                Condition::all()
                    .add(C::Position.eq(m.position.clone()))
                    .add(C::Id.gt(m.id)),
            )
    };
    let before_key = |m: &opportunities::Model| {
        Condition::any()
            .add(C::Position.lt(m.position.clone()))
            .add(
                Condition::all()
                    .add(C::Position.eq(m.position.clone()))
                    .add(C::Id.lt(m.id)),
            )
    };
    Ok(match (a, b) {
        (Some(a), Some(b)) => (Some(a.position.clone()), Some(b.position.clone())),
        (Some(a), None) => {
            let next = column()
                .filter(after_key(a))
                .order_by_asc(C::Position)
                .order_by_asc(C::Id)
                .one(db)
                .await?;
            (Some(a.position.clone()), next.map(|m| m.position))
        }
        (None, Some(b)) => {
            let prev = column()
                .filter(before_key(b))
                .order_by_desc(C::Position)
                .order_by_desc(C::Id)
                .one(db)
                .await?;
            (prev.map(|m| m.position), Some(b.position.clone()))
        }
        (None, None) if after.is_none() && before.is_some() => {
            // The card it should precede has left the column: keep the drop at the top.
            let first = column()
                .order_by_asc(C::Position)
                .order_by_asc(C::Id)
                .one(db)
                .await?;
            (None, first.map(|m| m.position))
        }
        (None, None) => (last_position(db, pipeline, stage, Some(me)).await?, None),
    })
}

/// Moves an opportunity to a stage and a place in its column if `version` is current. Entering a
/// won or lost stage closes it; entering an open stage reopens it with the stage's probability.
pub async fn move_to(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    mv: Move,
) -> AppResult<opportunities::Model> {
    let (current, _) = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let mut val = Validator::default();
    let lost_reason = mv
        .lost_reason
        .as_deref()
        .and_then(|s| val.check(v::optional_text("lostReason", s, 500)))
        .flatten();
    let note = mv
        .note
        .as_deref()
        .and_then(|s| val.check(v::optional_text("note", s, 500)))
        .flatten();
    val.finish()?;
    let catalog = Catalog::load(&state.db).await?;
    let stage = catalog
        .stage(mv.stage_id)
        .filter(|s| s.pipeline_id == current.pipeline_id)
        .ok_or_else(|| AppError::bad_input("stageId", "is not a stage of this pipeline"))?;
    if stage.retired_at.is_some() && stage.id != current.stage_id {
        return Err(AppError::bad_input(
            "stageId",
            "is a retired stage; it takes no new opportunities",
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let txn = db::begin_write(&state.db).await?;
    let (a, b) = neighbours(
        &txn,
        current.pipeline_id,
        stage.id,
        id,
        mv.after_id,
        mv.before_id,
    )
    .await?;
    let mut next = current.clone();
    next.position = rules::key_between(a.as_deref(), b.as_deref());
    if next.position.len() > rules::MAX_KEY_LEN {
        next.position = respace(&txn, current.pipeline_id, stage.id, id, a.as_deref()).await?;
    }
    if stage.id != current.stage_id {
        let entry = rules::enter_stage(
            outcome(stage),
            stage.probability,
            lost_reason.or(current.lost_reason.clone()),
        );
        let was_open = current.status == OpportunityStatus::Open.as_str();
        next.stage_id = stage.id;
        next.status = entry.status.as_str().to_string();
        next.probability = entry.probability;
        next.lost_reason = entry.lost_reason;
        next.closed_at = match (entry.closed, was_open) {
            (true, true) => Some(db::now()),
            (true, false) if current.status != next.status => Some(db::now()),
            (true, false) => current.closed_at,
            (false, _) => None,
        };
    } else if let Some(r) = lost_reason {
        if current.status == OpportunityStatus::Lost.as_str() {
            next.lost_reason = Some(r);
        }
    }
    let (m, event) = save(
        &txn,
        actor,
        &current,
        next,
        version,
        "move",
        note.as_deref(),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    state.events.publish(event);
    Ok(m)
}

/// Re-spaces a column whose gap has been split too often; returns the moved card's key (right after
/// `after`, or at the top).
async fn respace(
    txn: &impl ConnectionTrait,
    pipeline: Uuid,
    stage: Uuid,
    me: Uuid,
    after: Option<&str>,
) -> AppResult<String> {
    use opportunities::Column as C;
    let rows: Vec<(Uuid, String)> = opportunities::Entity::find()
        .select_only()
        .column(C::Id)
        .column(C::Position)
        .filter(C::PipelineId.eq(pipeline))
        .filter(C::StageId.eq(stage))
        .filter(C::Id.ne(me))
        .order_by_asc(C::Position)
        .order_by_asc(C::Id)
        .into_tuple()
        .all(txn)
        .await?;
    let split = after.map_or(0, |a| rows.iter().filter(|(_, p)| p.as_str() <= a).count());
    let keys = rules::spaced(rows.len() + 1);
    let mut mine = keys[split].clone();
    for (i, (id, _)) in rows.iter().enumerate() {
        let k = if i < split { &keys[i] } else { &keys[i + 1] };
        opportunities::Entity::update_many()
            .col_expr(C::Position, Expr::value(k.clone()))
            .filter(C::Id.eq(*id))
            .exec(txn)
            .await?;
    }
    if mine.is_empty() {
        mine = rules::key_between(None, None);
    }
    Ok(mine)
}

/// Archives (hides from the board) or restores an opportunity if `version` is current.
pub async fn set_archived(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    archived: bool,
) -> AppResult<opportunities::Model> {
    let (current, _) = load_for(&state.db, ctx, id, Action::Archive).await?;
    let actor = ctx.actor()?;
    if version != current.version {
        return Err(conflict(current.version));
    }
    if current.archived_at.is_some() == archived {
        return Ok(current);
    }
    let mut next = current.clone();
    next.archived_at = archived.then(db::now);
    let action = if archived { "archive" } else { "restore" };
    let txn = db::begin_write(&state.db).await?;
    let (m, event) = save(
        &txn,
        actor,
        &current,
        next,
        version,
        action,
        None,
        json!({}),
    )
    .await?;
    txn.commit().await?;
    state.events.publish(event);
    Ok(m)
}

/// One page of an opportunity's history, newest first (the caller checked it may read it).
pub async fn history(
    db: &impl ConnectionTrait,
    opportunity: Uuid,
    first: u64,
    after: Option<i64>,
) -> AppResult<(Vec<opportunity_history::Model>, bool)> {
    use opportunity_history::Column as C;
    let mut q = opportunity_history::Entity::find().filter(C::OpportunityId.eq(opportunity));
    if let Some(a) = after {
        q = q.filter(C::Id.lt(a));
    }
    let mut rows = q.order_by_desc(C::Id).limit(first + 1).all(db).await?;
    let more = rows.len() as u64 > first;
    rows.truncate(first as usize);
    Ok((rows, more))
}

/// What a subscriber should learn of a change: `(true, Some(row))` when the opportunity is visible to
/// them (and on the pipeline they watch), `(false, None)` when it was before this change but is not
/// now, and `None` when the change is none of their business.
pub async fn change_for_subscriber(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    event: &ChangeEvent,
    pipeline: Option<Uuid>,
) -> AppResult<Option<(bool, Option<opportunities::Model>)>> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Read)?;
    let Some(row) = opportunities::Entity::find_by_id(event.object_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let shown = |owner: Uuid, pipe: Uuid, archived: bool| {
        policy::owner_in_scope(actor, scope, Some(owner))
            && pipeline.is_none_or(|p| p == pipe)
            && !archived
    };
    if shown(row.owner_id, row.pipeline_id, row.archived_at.is_some()) {
        return Ok(Some((true, Some(row))));
    }
    let entry = entity::change_log::Entity::find_by_id(event.cursor)
        .one(db)
        .await?;
    let before = |field: &str| -> Option<Value> {
        entry
            .as_ref()
            .and_then(|e| e.changes.get(field))
            .and_then(|c| c.get("before"))
            .cloned()
    };
    let uuid_before = |field: &str, now: Uuid| {
        before(field)
            .and_then(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
            .unwrap_or(now)
    };
    let owner = uuid_before("ownerId", row.owner_id);
    let pipe = uuid_before("pipelineId", row.pipeline_id);
    let archived = before("archived")
        .and_then(|v| v.as_bool())
        .unwrap_or(row.archived_at.is_some());
    let created = entry.as_ref().is_some_and(|e| e.action == "create");
    if !created && shown(owner, pipe, archived) {
        Ok(Some((false, None)))
    } else {
        Ok(None)
    }
}

/// Sets an opportunity's next step and its date inside the caller's transaction (completing an
/// activity does this), if the caller may update it. Returns the change to publish after commit.
pub async fn set_next_step_in(
    txn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    next_step: Option<String>,
    next_step_date: Option<NaiveDate>,
) -> AppResult<(opportunities::Model, ChangeEvent)> {
    let (current, _) = load_for(txn, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let mut next = current.clone();
    next.next_step = next_step;
    next.next_step_date = next_step_date;
    let version = current.version;
    save(
        txn,
        actor,
        &current,
        next,
        version,
        "update",
        None,
        json!({}),
    )
    .await
}
