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

use super::kinds::{ContactRole, ForecastCategory, HistoryField, OpportunityStatus, StageOutcome};
use super::pipelines::Catalog;
use super::policy::{OpportunityObject, AMOUNT_FIELD};
use super::rules;
use crate::auth::{Actor, RequestCtx};
use crate::changelog;
use crate::db;
use crate::domain::money;
use crate::domain::parties::kinds::{PartyKind, PartyRole};
use crate::domain::parties::service as parties_svc;
use crate::domain::picklists;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::events::ChangeEvent;
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::Write;
use crate::policy::{self, Action, Scope};
use crate::state::AppState;

mod moves;
mod read;
mod write;

pub use moves::*;
pub use read::*;
pub use write::*;

pub const OBJECT: &str = OpportunityObject::OBJECT;
/// Most contacts one opportunity lists.
pub(super) const MAX_CONTACTS: usize = 50;

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
    /// A key of the `lead_source` pick-list; `Some(None)` or an empty string clears.
    pub lead_source: Option<Option<String>>,
    /// Several lines; an empty string clears.
    pub description: Option<String>,
    /// A key of the `opportunity_type` pick-list; an empty string clears.
    pub opportunity_type: Option<String>,
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
pub(super) struct Clean {
    name: Option<String>,
    probability: Option<i32>,
    amount: Option<Option<(i64, String)>>,
    close_date: Option<Option<NaiveDate>>,
    next_step: Option<Option<String>>,
    next_step_date: Option<Option<NaiveDate>>,
    pub(super) lead_source: Option<Option<String>>,
    description: Option<Option<String>>,
    pub(super) opportunity_type: Option<Option<String>>,
    lost_reason: Option<Option<String>>,
    contacts: Option<Vec<(Uuid, ContactRole)>>,
    note: Option<String>,
}

pub(super) fn validate(c: &OpportunityChanges, creating: bool) -> AppResult<Clean> {
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
        Some(Some(m)) => money::checked(&mut val, "amount", &m.amount, &m.currency).map(Some),
    };
    out.close_date = val.given(c.close_date.as_deref(), |s| v::date("closeDate", s));
    out.next_step = val.given(c.next_step.as_deref(), |s| {
        v::optional_text("nextStep", s, 200)
    });
    out.next_step_date = val.given(c.next_step_date.as_deref(), |s| v::date("nextStepDate", s));
    out.lead_source = match &c.lead_source {
        None => None,
        Some(None) => Some(None),
        Some(Some(s)) => match s.trim() {
            "" => Some(None),
            k => val
                .check(picklists::service::key("leadSource", k))
                .map(Some),
        },
    };
    out.description = val.given(c.description.as_deref(), |s| {
        v::long_text("description", s, 10_000)
    });
    out.opportunity_type = val.given(c.opportunity_type.as_deref(), |s| match s.trim() {
        "" => Ok(None),
        k => picklists::service::key("opportunityType", k).map(Some),
    });
    out.lost_reason = val.given(c.lost_reason.as_deref(), |s| {
        v::long_text("lostReason", s, 500)
    });
    out.note = c
        .note
        .as_deref()
        .and_then(|s| val.check(v::long_text("note", s, 500)))
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

crate::versioned!(opportunities, OBJECT, stamps updated_by, kept [Code, CreatedAt, CreatedBy], |m| snapshot(m));

/// The fields as the change log records them (API names).
pub(super) fn snapshot(m: &opportunities::Model) -> Vec<(&'static str, Value)> {
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
        ("description", json!(m.description)),
        ("opportunityType", json!(m.opportunity_type)),
        ("status", json!(m.status)),
        ("lostReason", json!(m.lost_reason)),
        ("forecastCategory", json!(m.forecast_category)),
        ("archived", json!(m.archived_at.is_some())),
    ]
}

pub(super) fn diff(before: Option<&opportunities::Model>, after: &opportunities::Model) -> Value {
    changelog::diff_snapshots(before.map(snapshot), snapshot(after))
}

/// The history rows a change makes: stage, amount, probability and close date, from → to.
pub(super) fn history_rows(
    before: Option<&opportunities::Model>,
    after: &opportunities::Model,
) -> Vec<(HistoryField, Option<String>, Option<String>)> {
    let pick = |m: &opportunities::Model| {
        [
            (HistoryField::Stage, Some(m.stage_id.to_string())),
            (
                HistoryField::Amount,
                money::to_text(m.amount_minor, &m.currency),
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

pub(super) async fn write_history(
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

pub(super) fn apply(m: &mut opportunities::Model, c: &Clean) {
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
    if let Some(l) = &c.lead_source {
        m.lead_source = l.clone();
    }
    if let Some(d) = &c.description {
        m.description = d.clone();
    }
    if let Some(t) = &c.opportunity_type {
        m.opportunity_type = t.clone();
    }
}

/// Checks the pick-list choices of a change, the newly chosen opportunity type and lead source,
/// and reports every bad one at once (`kept`: the stored type and source, or a converted lead's
/// source, which stay valid when archived since).
pub(super) async fn check_choices(
    db: &impl ConnectionTrait,
    c: &Clean,
    kept: (Option<&str>, Option<&str>),
) -> AppResult<()> {
    let mut val = crate::domain::validation::Validator::default();
    for (list, field, chosen, kept) in [
        (
            picklists::PicklistKey::OpportunityType,
            "opportunityType",
            &c.opportunity_type,
            kept.0,
        ),
        (
            picklists::PicklistKey::LeadSource,
            "leadSource",
            &c.lead_source,
            kept.1,
        ),
    ] {
        if let Some(Some(k)) = chosen {
            val.absorb(picklists::service::check_choice(db, list, field, k, kept).await)?;
        }
    }
    val.finish()
}

/// Loads an opportunity the caller may read and checks that `action` reaches it.
pub(super) async fn load_for(
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
/// its history rows and change-log row (`extra` and `note` join the fields that changed).
#[allow(clippy::too_many_arguments)]
pub(super) async fn save(
    w: &mut Write<'_>,
    actor: &Actor,
    current: &opportunities::Model,
    next: opportunities::Model,
    expected: i32,
    action: &str,
    note: Option<&str>,
    extra: Value,
) -> AppResult<opportunities::Model> {
    let (next, mut changes) = w.save_quietly(current, next, expected).await?;
    write_history(w.txn(), actor, Some(current), &next, note).await?;
    if let (Value::Object(map), Value::Object(extra)) = (&mut changes, extra) {
        map.extend(extra);
    }
    if let Some(n) = note {
        if let Value::Object(map) = &mut changes {
            map.insert("note".into(), json!({"before": null, "after": n}));
        }
    }
    w.log(OBJECT, current.id, action, changes).await?;
    Ok(next)
}
