//! Leads: a party with the LEAD role (names, area, owner, contact mechanisms, archiving) plus the
//! lead fields in `leads`. Reads apply the `lead` row scope on the party's owner; writes are
//! versioned on the lead and logged in their transaction.

use entity::leads::{contact_list_members as clm, leads};
use entity::parties::{contact_mechanisms as cm, parties, party_roles};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, SelectTwo, Set,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::fields::LeadValues;
use super::kinds::{LeadFormField, LeadStatus};
use super::policy::LeadObject;
use super::{assignment, lists};
use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::domain::custom_fields::sort::CustomSort;
use crate::domain::parties::kinds::{ContactMechanismKind as Kind, PartyKind, PartyRole};
use crate::domain::parties::mechanisms;
use crate::domain::parties::policy::CONTACT_FIELD;
use crate::domain::parties::service as parties_svc;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::ChangeEvent;
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::filters::icontains;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::policy::{self, Action};
use crate::state::AppState;

mod read;
mod write;

pub use read::*;
pub use write::*;

/// The object name of leads in grants and in the change log.
pub const OBJECT: &str = LeadObject::OBJECT;

/// A lead: its lead fields and its party.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadRow {
    pub lead: leads::Model,
    pub party: parties::Model,
}

impl LeadRow {
    /// The lead's status.
    pub fn status(&self) -> LeadStatus {
        LeadStatus::parse(&self.lead.status).unwrap_or(LeadStatus::New)
    }

    /// The lead's values, e-mail and phone given (they live in contact mechanisms).
    pub fn values(&self, email: Option<String>, phone: Option<String>) -> LeadValues {
        LeadValues {
            organization_name: self.lead.organization_name.clone(),
            fore_name: self.party.fore_name.clone(),
            surname: self.party.surname.clone(),
            job_title: self.lead.job_title.clone(),
            email,
            phone,
            website: self.party.website.clone(),
            industry: self.party.industry.clone(),
            area: self.party.area.clone(),
            description: self.lead.description.clone(),
        }
    }
}

/// "Fore Surname", else the organisation name.
pub fn display_name(v: &LeadValues) -> String {
    if v.surname.is_some() {
        [v.fore_name.as_deref(), v.surname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        v.organization_name.clone().unwrap_or_default()
    }
}

/// Checks a lead source chosen on a write: a live value of the `lead_source` pick-list, or the one
/// the record holds already (`current`, kept when archived since). Answers the key.
pub async fn check_source(
    db: &impl ConnectionTrait,
    field: &str,
    chosen: &str,
    current: Option<&str>,
) -> AppResult<String> {
    let key = crate::domain::picklists::service::key(field, chosen.trim())
        .map_err(|e| AppError::BadInput(vec![e]))?;
    crate::domain::picklists::service::check_choice(
        db,
        crate::domain::picklists::PicklistKey::LeadSource,
        field,
        &key,
        current,
    )
    .await?;
    Ok(key)
}

pub(super) fn rows(v: Vec<(leads::Model, Option<parties::Model>)>) -> Vec<LeadRow> {
    v.into_iter()
        .filter_map(|(lead, party)| party.map(|party| LeadRow { lead, party }))
        .collect()
}

/// Lead fields as given: `None` unchanged (unset on create); an empty string clears.
#[derive(Debug, Clone, Default)]
pub struct LeadInput {
    pub values: Vec<(LeadFormField, String)>,
    /// A key of the `lead_source` pick-list.
    pub source: Option<String>,
    pub owner_id: Option<Uuid>,
    pub status: Option<LeadStatus>,
    pub status_reason: Option<String>,
}

impl LeadInput {
    /// Sets one field's text.
    pub fn with(mut self, f: LeadFormField, v: Option<String>) -> Self {
        if let Some(v) = v {
            self.values.push((f, v));
        }
        self
    }
}

/// Checks one field's text, as its kind requires.
pub fn check_field(prefix: &str, f: LeadFormField, s: &str) -> Result<Option<String>, FieldError> {
    let name = format!("{prefix}{}", f.name());
    match f {
        LeadFormField::Email => v::email(&name, s),
        LeadFormField::Phone => v::phone(&name, s),
        LeadFormField::Website => v::website(&name, s),
        LeadFormField::OrganizationName => v::optional_text(&name, s, 200),
        LeadFormField::Description => v::long_text(&name, s, 2000),
        _ => v::optional_text(&name, s, 100),
    }
}

/// Applies given fields over `current`, recording errors under `prefix`; a lead needs a surname or
/// an organisation name.
pub fn merge_values(
    val: &mut Validator,
    prefix: &str,
    current: &LeadValues,
    given: &[(LeadFormField, String)],
) -> LeadValues {
    let mut out = current.clone();
    let mut name_refused = false;
    for (f, s) in given {
        match check_field(prefix, *f, s) {
            Ok(clean) => out.set(*f, clean),
            Err(e) => {
                name_refused |=
                    matches!(f, LeadFormField::Surname | LeadFormField::OrganizationName);
                val.check::<()>(Err(e));
            }
        }
    }
    if !name_refused && out.surname.is_none() && out.organization_name.is_none() {
        val.push(
            &format!("{prefix}surname"),
            "a lead needs a surname or an organisation name",
        );
    }
    out
}

/// Checks a status change: CONVERTED only by conversion, nothing after it, a reason to disqualify.
pub fn check_transition(
    from: LeadStatus,
    to: LeadStatus,
    reason: Option<&str>,
) -> Result<(), FieldError> {
    if from == LeadStatus::Converted && to != LeadStatus::Converted {
        return Err(FieldError::new(
            "status",
            "a converted lead keeps its status",
        ));
    }
    if to == LeadStatus::Converted && from != LeadStatus::Converted {
        return Err(FieldError::new(
            "status",
            "a lead becomes CONVERTED only by converting it (convertLead)",
        ));
    }
    if to == LeadStatus::Disqualified && reason.map(str::trim).unwrap_or_default().is_empty() {
        return Err(FieldError::new(
            "statusReason",
            "is required to disqualify a lead",
        ));
    }
    Ok(())
}

/// Copies a lead's values onto its party: a person when it has a surname, else an organisation.
pub(super) fn apply_party(p: &mut parties::Model, v: &LeadValues) {
    let person = v.surname.is_some();
    p.kind = if person {
        PartyKind::Person
    } else {
        PartyKind::Organization
    }
    .as_str()
    .to_string();
    p.fore_name = v.fore_name.clone();
    p.surname = v.surname.clone();
    p.group_name = if person {
        None
    } else {
        v.organization_name.clone()
    };
    p.area = v.area.clone();
    p.industry = v.industry.clone();
    p.website = v.website.clone();
    p.sort_name = display_name(v).to_lowercase();
}

pub(super) fn apply_lead(l: &mut leads::Model, v: &LeadValues) {
    l.organization_name = v.organization_name.clone();
    l.job_title = v.job_title.clone();
    l.description = v.description.clone();
}

/// The lead as the change log records it (API names).
pub(super) fn snapshot(r: &LeadRow, v: &LeadValues) -> Vec<(&'static str, Value)> {
    vec![
        ("organizationName", json!(v.organization_name)),
        ("foreName", json!(v.fore_name)),
        ("surname", json!(v.surname)),
        ("jobTitle", json!(v.job_title)),
        ("email", json!(v.email)),
        ("phone", json!(v.phone)),
        ("website", json!(v.website)),
        ("industry", json!(v.industry)),
        ("area", json!(v.area)),
        ("description", json!(v.description)),
        ("source", json!(r.lead.source)),
        ("status", json!(r.lead.status)),
        ("statusReason", json!(r.lead.status_reason)),
        ("ownerId", json!(r.party.owner_id)),
        ("convertedAccountId", json!(r.lead.converted_account_id)),
        ("convertedContactId", json!(r.lead.converted_contact_id)),
        (
            "convertedOpportunityId",
            json!(r.lead.converted_opportunity_id),
        ),
        ("archived", json!(r.party.archived_at.is_some())),
    ]
}

/// A lead row is written with optimistic versions; its change-log entry (with its party's fields,
/// e-mail and phone) is [`diff`]'s.
impl crate::kit::write::Versioned for leads::Model {
    type Entity = leads::Entity;
    const OBJECT: &'static str = OBJECT;
    fn id(&self) -> Uuid {
        self.party_id
    }
    fn version(&self) -> i32 {
        self.version
    }
    fn stamp(&mut self, version: i32, at: chrono::DateTime<chrono::Utc>, _by: Option<Uuid>) {
        self.version = version;
        self.updated_at = at;
    }
    fn id_column() -> leads::Column {
        leads::Column::PartyId
    }
    fn version_column() -> leads::Column {
        leads::Column::Version
    }
    fn kept_columns() -> Vec<leads::Column> {
        vec![
            leads::Column::CreatedAt,
            leads::Column::CampaignId,
            leads::Column::WebFormId,
        ]
    }
}

/// `{field: {before, after}}` between two states of a lead.
pub fn diff(before: Option<(&LeadRow, &LeadValues)>, after: (&LeadRow, &LeadValues)) -> Value {
    changelog::diff_snapshots(
        before.map(|(r, v)| snapshot(r, v)),
        snapshot(after.0, after.1),
    )
}
