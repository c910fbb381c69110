//! GraphQL of leads, contact lists, web forms, assignment rules and the conversion mapping: thin
//! resolvers over the services.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::leads::{
    assignment_rules, contact_list_members, contact_lists, web_form_submissions, web_forms,
};
use uuid::Uuid;

use super::convert::{self, ConvertInput, OpportunityPart};
use super::fields::{self, MappingLine};
use super::kinds::{AssignmentKind, LeadFormField, LeadStatus, MappingTarget, SubmissionOutcome};
use super::loaders::{
    ContactListLoader, FormNameLoader, LeadLoader, ListsOfLoader, MemberCountLoader, RuleLoader,
    SubmissionCountLoader,
};
use super::service::{self, LeadFilter, LeadInput, LeadRow, LeadSort};
use super::{assignment, forms, import, lists};
use crate::domain::accounts::graphql::{Account, MoneyInput};
use crate::domain::accounts::service::MoneyInput as ServiceMoney;
use crate::domain::custom_fields::rules::CustomFieldType;
use crate::domain::opportunities::graphql::Opportunity;
use crate::domain::parties::graphql::{Party, Person};
use crate::domain::parties::kinds::ContactMechanismKind;
use crate::domain::parties::loaders::{MechanismsLoader, PartyLoader};
use crate::domain::parties::mechanisms;
use crate::domain::parties::operations::party_id;
use crate::domain::picklists::graphql::PicklistValue;
use crate::domain::picklists::{self, PicklistKey};
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::domain::users::teams::Team;
use crate::error::{AppError, AppResult};
use crate::kit::ids::{expect_global_id, optional_user_id, to_global_id, GlobalType};
use crate::kit::paging::Page;
use crate::kit::paging::{prime, Loaded, TotalCount};
use crate::policy::FieldGuard;

#[macro_use]
mod lead;
mod conversion;
mod form;
mod list;
mod mutation;
mod query;
mod rule;

pub use conversion::*;
pub use form::*;
pub use lead::*;
pub use list::*;
pub use mutation::*;
pub use query::*;
pub use rule::*;

pub(super) fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("loading {what}: {e}"))
}

pub(super) async fn user(ctx: &Context<'_>, id: Option<Uuid>) -> AppResult<Option<User>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx
        .data::<Loaded<UserLoader>>()?
        .load_one(id)
        .await
        .map_err(|e| internal("users", e))?
        .map(User))
}

/// Decodes a lead id (a `Lead` global id).
pub fn lead_id(id: &ID, field: &str) -> AppResult<Uuid> {
    Lead::decode(id, field)
}

pub(super) fn list_id(id: &ID, field: &str) -> AppResult<Uuid> {
    ContactList::decode(id, field)
}

pub(super) fn rule_id(id: &ID, field: &str) -> AppResult<Uuid> {
    AssignmentRule::decode(id, field)
}

pub(super) fn form_id(id: &ID, field: &str) -> AppResult<Uuid> {
    WebForm::decode(id, field)
}

impl GlobalType for Lead {
    const TYPE_NAME: &'static str = "Lead";
}

impl GlobalType for ContactList {
    const TYPE_NAME: &'static str = "ContactList";
}

impl GlobalType for AssignmentRule {
    const TYPE_NAME: &'static str = "AssignmentRule";
}

impl GlobalType for WebForm {
    const TYPE_NAME: &'static str = "WebForm";
}

pub(super) fn ids(
    list: Option<Vec<ID>>,
    field: &str,
    f: fn(&ID, &str) -> AppResult<Uuid>,
) -> AppResult<Vec<Uuid>> {
    list.unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, id)| f(id, &format!("{field}.{i}")))
        .collect()
}

pub(super) fn user_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "User", field)
}

pub(super) fn member_id(id: &ID, field: &str) -> AppResult<Uuid> {
    lead_id(id, field).or_else(|_| party_id(id, field))
}

pub(super) fn areas_input(
    list: Option<Vec<AreaAssignmentInput>>,
) -> AppResult<Option<Vec<(String, Uuid)>>> {
    list.map(|l| {
        l.into_iter()
            .enumerate()
            .map(|(i, a)| Ok((a.area, user_id(&a.user_id, &format!("areas.{i}.userId"))?)))
            .collect()
    })
    .transpose()
}

pub(super) fn maybe_id(
    v: MaybeUndefined<ID>,
    field: &str,
    f: fn(&ID, &str) -> AppResult<Uuid>,
) -> AppResult<Option<Option<Uuid>>> {
    Ok(match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(id) => Some(Some(f(&id, field)?)),
    })
}

pub(super) fn form_fields(
    list: Vec<WebFormFieldInput>,
) -> Vec<(LeadFormField, Option<String>, bool)> {
    list.into_iter()
        .map(|f| (f.field, f.label, f.required))
        .collect()
}
