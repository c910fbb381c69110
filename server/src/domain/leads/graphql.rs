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
use super::fields::{self, FieldSpec, MappingLine};
use super::kinds::{
    AssignmentKind, LeadFormField, LeadSource, LeadStatus, MappingTarget, SubmissionOutcome,
};
use super::loaders::{
    ContactListLoader, FormNameLoader, LeadLoader, ListsOfLoader, MemberCountLoader, RuleLoader,
    SubmissionCountLoader,
};
use super::service::{self, LeadFilter, LeadInput, LeadRow, LeadSort};
use super::{assignment, forms, import, lists};
use crate::auth::RequestCtx;
use crate::domain::accounts::graphql::{Account, MoneyInput};
use crate::domain::accounts::service::MoneyInput as ServiceMoney;
use crate::domain::opportunities::graphql::Opportunity;
use crate::domain::parties::graphql::{Party, Person};
use crate::domain::parties::kinds::ContactMechanismKind;
use crate::domain::parties::loaders::{MechanismsLoader, PartyLoader};
use crate::domain::parties::mechanisms;
use crate::domain::parties::operations::party_id;
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::domain::users::teams::Team;
use crate::error::{AppError, AppResult};
use crate::kit::ids::{expect_global_id, optional_user_id, to_global_id};
use crate::kit::paging::Page;
use crate::kit::paging::{prime, Loaded, TotalCount};
use crate::policy::FieldGuard;
use crate::state::AppState;

fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("loading {what}: {e}"))
}

async fn user(ctx: &Context<'_>, id: Option<Uuid>) -> AppResult<Option<User>> {
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
    expect_global_id(id, "Lead", field)
}

fn list_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "ContactList", field)
}

fn rule_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "AssignmentRule", field)
}

fn form_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "WebForm", field)
}

/// A prospect: a person and/or organisation name with contact details, a source and a status.
#[derive(Clone)]
pub struct Lead(pub LeadRow);

impl Lead {
    async fn primary(
        &self,
        ctx: &Context<'_>,
        kind: ContactMechanismKind,
    ) -> AppResult<Option<String>> {
        let rows = ctx
            .data::<Loaded<MechanismsLoader>>()?
            .load_one(self.0.party.id)
            .await
            .map_err(|e| internal("contact mechanisms", e))?
            .unwrap_or_default();
        Ok(mechanisms::pick_primary(&rows, kind).map(|m| m.value.clone()))
    }

    async fn party(
        &self,
        ctx: &Context<'_>,
        id: Option<Uuid>,
    ) -> AppResult<Option<entity::parties::parties::Model>> {
        let Some(id) = id else { return Ok(None) };
        ctx.data::<Loaded<PartyLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| internal("parties", e))
    }
}

#[Object]
impl Lead {
    /// Global id (type `Lead`; the lead's party).
    pub async fn id(&self) -> ID {
        to_global_id("Lead", self.0.party.id)
    }
    /// Unique human code, e.g. `L-000012`.
    async fn code(&self) -> &str {
        &self.0.party.code
    }
    /// "Fore Surname", else the organisation name.
    async fn display_name(&self) -> String {
        service::display_name(&self.0.values(None, None))
    }
    async fn organization_name(&self) -> Option<&str> {
        self.0.lead.organization_name.as_deref()
    }
    async fn fore_name(&self) -> Option<&str> {
        self.0.party.fore_name.as_deref()
    }
    async fn surname(&self) -> Option<&str> {
        self.0.party.surname.as_deref()
    }
    async fn job_title(&self) -> Option<&str> {
        self.0.lead.job_title.as_deref()
    }
    /// The primary e-mail. Contact data: `null` with a `FORBIDDEN` error without the field grant
    /// `party.contactMechanisms`.
    #[graphql(guard = "FieldGuard::of(crate::domain::parties::policy::CONTACT_FIELD)")]
    async fn email(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        self.primary(ctx, ContactMechanismKind::Email).await
    }
    /// The primary phone. Contact data, guarded like `email`.
    #[graphql(guard = "FieldGuard::of(crate::domain::parties::policy::CONTACT_FIELD)")]
    async fn phone(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        self.primary(ctx, ContactMechanismKind::Phone).await
    }
    async fn website(&self) -> Option<&str> {
        self.0.party.website.as_deref()
    }
    async fn industry(&self) -> Option<&str> {
        self.0.party.industry.as_deref()
    }
    /// Sales area or territory (used by area assignment).
    async fn area(&self) -> Option<&str> {
        self.0.party.area.as_deref()
    }
    async fn description(&self) -> Option<&str> {
        self.0.lead.description.as_deref()
    }
    async fn source(&self) -> LeadSource {
        LeadSource::parse(&self.0.lead.source).unwrap_or(LeadSource::Other)
    }
    async fn status(&self) -> LeadStatus {
        self.0.status()
    }
    /// Why the lead was disqualified.
    async fn status_reason(&self) -> Option<&str> {
        self.0.lead.status_reason.as_deref()
    }
    /// The user responsible for the lead.
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.party.owner_id).await
    }
    /// The campaign that brought the lead (campaigns arrive with marketing).
    async fn campaign_id(&self) -> Option<ID> {
        self.0.lead.campaign_id.map(|c| to_global_id("Campaign", c))
    }
    /// The web form the lead came from.
    async fn web_form_name(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        let Some(id) = self.0.lead.web_form_id else {
            return Ok(None);
        };
        ctx.data::<Loaded<FormNameLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| internal("web forms", e))
    }
    /// The contact lists you may see that hold this lead.
    async fn contact_lists(&self, ctx: &Context<'_>) -> AppResult<Vec<ContactList>> {
        Ok(ctx
            .data::<Loaded<ListsOfLoader>>()?
            .load_one(self.0.party.id)
            .await
            .map_err(|e| internal("contact lists", e))?
            .unwrap_or_default()
            .into_iter()
            .map(ContactList)
            .collect())
    }
    async fn converted_at(&self) -> Option<DateTime<Utc>> {
        self.0.lead.converted_at
    }
    /// The account the lead became (`null` when not converted or not visible to you).
    async fn converted_account(&self, ctx: &Context<'_>) -> AppResult<Option<Account>> {
        Ok(self
            .party(ctx, self.0.lead.converted_account_id)
            .await?
            .map(Account))
    }
    /// The contact the lead became (`null` when not converted or not visible to you).
    async fn converted_contact(&self, ctx: &Context<'_>) -> AppResult<Option<Person>> {
        Ok(self
            .party(ctx, self.0.lead.converted_contact_id)
            .await?
            .map(Person))
    }
    /// The opportunity the lead became (`null` when none or not visible to you).
    async fn converted_opportunity(&self, ctx: &Context<'_>) -> AppResult<Option<Opportunity>> {
        let Some(id) = self.0.lead.converted_opportunity_id else {
            return Ok(None);
        };
        let (state, req) = crate::kit::resolve::request(ctx)?;
        match crate::domain::opportunities::service::get(&state.db, req, id).await {
            Ok(m) => Ok(m.map(Opportunity)),
            Err(AppError::Forbidden(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
    async fn archived(&self) -> bool {
        self.0.party.archived_at.is_some()
    }
    /// Optimistic-concurrency version; send it back with updates.
    async fn version(&self) -> i32 {
        self.0.lead.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.lead.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.lead.updated_at
    }
}

/// A static list of parties (leads, contacts, organisations).
#[derive(Clone)]
pub struct ContactList(pub contact_lists::Model);

#[Object]
impl ContactList {
    /// Global id (type `ContactList`).
    pub async fn id(&self) -> ID {
        to_global_id("ContactList", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// `STATIC` (rule-based segments come with marketing).
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, Some(self.0.owner_id)).await
    }
    /// Members you may see.
    async fn member_count(&self, ctx: &Context<'_>) -> AppResult<i64> {
        Ok(ctx
            .data::<Loaded<MemberCountLoader>>()?
            .load_one(self.0.id)
            .await
            .map_err(|e| internal("member counts", e))?
            .unwrap_or(0))
    }
    /// Members you may see, most recently added first.
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, ContactListMember, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let (rows, more) = lists::members(&state.db, req, self.0.id, &page).await?;
        let node = ctx.look_ahead().field("edges").field("node");
        let ids: Vec<Uuid> = rows.iter().map(|m| m.party_id).collect();
        prime::<PartyLoader>(ctx, node.field("party").exists(), ids.clone()).await?;
        prime::<LeadLoader>(ctx, node.field("lead").exists(), ids).await?;
        let (db, req2, list) = (state.db.clone(), req.clone(), self.0.id);
        let total = TotalCount::lazy(move || {
            let (db, req) = (db.clone(), req2.clone());
            Box::pin(async move {
                Ok(lists::member_counts(&db, &req, &[list])
                    .await?
                    .get(&list)
                    .copied()
                    .unwrap_or(0) as u64)
            })
        });
        let mut conn = Connection::with_additional_fields(page.after.is_some(), more, total);
        conn.edges.extend(
            rows.into_iter()
                .map(|m| Edge::new(lists::member_cursor(&m), ContactListMember(m))),
        );
        Ok(conn)
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A party on a list.
pub struct ContactListMember(contact_list_members::Model);

#[Object]
impl ContactListMember {
    /// The member (a person or an organisation, leads included).
    async fn party(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        Ok(ctx
            .data::<Loaded<PartyLoader>>()?
            .load_one(self.0.party_id)
            .await
            .map_err(|e| internal("parties", e))?
            .map(Party::from_model))
    }
    /// The lead, when the member is one you may see.
    async fn lead(&self, ctx: &Context<'_>) -> AppResult<Option<Lead>> {
        Ok(ctx
            .data::<Loaded<LeadLoader>>()?
            .load_one(self.0.party_id)
            .await
            .map_err(|e| internal("leads", e))?
            .map(Lead))
    }
    async fn added_at(&self) -> DateTime<Utc> {
        self.0.added_at
    }
    /// Consent to marketing: `UNKNOWN` until consent management arrives.
    async fn consent_status(&self) -> &str {
        "UNKNOWN"
    }
}

/// One field of a web form.
#[derive(SimpleObject)]
pub struct WebFormField {
    pub field: LeadFormField,
    /// The HTML input name (the lead field's API name).
    pub name: String,
    pub label: String,
    pub required: bool,
}

/// A web-to-lead form.
#[derive(Clone)]
pub struct WebForm(pub web_forms::Model);

#[Object]
impl WebForm {
    /// Global id (type `WebForm`).
    pub async fn id(&self) -> ID {
        to_global_id("WebForm", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The public key in the form's URL.
    async fn key(&self) -> &str {
        &self.0.form_key
    }
    async fn fields(&self) -> Vec<WebFormField> {
        forms::fields_of(&self.0)
            .into_iter()
            .filter_map(|f| {
                let kind = f.kind()?;
                Some(WebFormField {
                    field: kind,
                    name: kind.name().to_string(),
                    label: f.label,
                    required: f.required,
                })
            })
            .collect()
    }
    /// The list its leads join (when you may see it).
    async fn target_list(&self, ctx: &Context<'_>) -> AppResult<Option<ContactList>> {
        let Some(id) = self.0.target_list_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<ContactListLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| internal("contact lists", e))?
            .map(ContactList))
    }
    /// The lead source its leads get.
    async fn source(&self) -> LeadSource {
        LeadSource::parse(&self.0.source).unwrap_or(LeadSource::WebForm)
    }
    /// The fixed owner of its leads (else the assignment rule decides, else the form's creator).
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn assignment_rule(&self, ctx: &Context<'_>) -> AppResult<Option<AssignmentRule>> {
        let Some(id) = self.0.assignment_rule_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<RuleLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| internal("assignment rules", e))?
            .map(AssignmentRule))
    }
    /// Where visitors go after a post (else a thank-you page).
    async fn redirect_url(&self) -> Option<&str> {
        self.0.redirect_url.as_deref()
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    /// The form's public page and post target, from the site root.
    async fn public_url(&self) -> String {
        forms::public_path(&self.0.form_key)
    }
    /// The HTML to paste into a website.
    async fn snippet(&self, ctx: &Context<'_>) -> AppResult<String> {
        let base = ctx
            .data_opt::<crate::kit::web::PublicBase>()
            .map(|b| b.0.clone())
            .unwrap_or_default();
        Ok(forms::snippet(&base, &self.0))
    }
    async fn submission_count(&self, ctx: &Context<'_>) -> AppResult<i64> {
        Ok(ctx
            .data::<Loaded<SubmissionCountLoader>>()?
            .load_one(self.0.id)
            .await
            .map_err(|e| internal("submissions", e))?
            .unwrap_or(0))
    }
    /// Posts to the form, newest first.
    async fn submissions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, WebFormSubmission, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let (rows, more) = forms::submissions(&state.db, req, self.0.id, &page).await?;
        let node = ctx.look_ahead().field("edges").field("node");
        prime::<LeadLoader>(
            ctx,
            node.field("lead").exists(),
            rows.iter().filter_map(|s| s.lead_id),
        )
        .await?;
        let (db, form) = (state.db.clone(), self.0.id);
        let total = TotalCount::lazy(move || {
            let db = db.clone();
            Box::pin(async move {
                Ok(forms::submission_counts(&db, &[form])
                    .await?
                    .get(&form)
                    .copied()
                    .unwrap_or(0) as u64)
            })
        });
        let mut conn = Connection::with_additional_fields(page.after.is_some(), more, total);
        conn.edges.extend(
            rows.into_iter()
                .map(|s| Edge::new(forms::submission_cursor(&s), WebFormSubmission(s))),
        );
        Ok(conn)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One post to a web form.
pub struct WebFormSubmission(web_form_submissions::Model);

#[Object]
impl WebFormSubmission {
    async fn id(&self) -> ID {
        to_global_id("WebFormSubmission", self.0.id)
    }
    async fn received_at(&self) -> DateTime<Utc> {
        self.0.received_at
    }
    async fn outcome(&self) -> SubmissionOutcome {
        SubmissionOutcome::parse(&self.0.outcome).unwrap_or(SubmissionOutcome::Created)
    }
    /// The lead it made or joined, when you may see it.
    async fn lead(&self, ctx: &Context<'_>) -> AppResult<Option<Lead>> {
        let Some(id) = self.0.lead_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<LeadLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| internal("leads", e))?
            .map(Lead))
    }
}

/// An area and who takes its leads.
pub struct AreaAssignment(assignment::AreaOwner);

#[Object]
impl AreaAssignment {
    async fn area(&self) -> &str {
        &self.0.area
    }
    async fn user(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, Some(self.0.user_id)).await
    }
}

/// How new leads find an owner.
#[derive(Clone)]
pub struct AssignmentRule(pub assignment_rules::Model);

#[Object]
impl AssignmentRule {
    /// Global id (type `AssignmentRule`).
    pub async fn id(&self) -> ID {
        to_global_id("AssignmentRule", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> AssignmentKind {
        AssignmentKind::parse(&self.0.kind).unwrap_or(AssignmentKind::RoundRobin)
    }
    /// Round robin: the team whose members take turns.
    async fn team(&self, ctx: &Context<'_>) -> AppResult<Option<Team>> {
        let Some(id) = self.0.team_id else {
            return Ok(None);
        };
        Team::load(&ctx.data::<AppState>()?.db, id).await
    }
    /// By area: which area goes to whom.
    async fn areas(&self) -> Vec<AreaAssignment> {
        assignment::areas(&self.0)
            .into_iter()
            .map(AreaAssignment)
            .collect()
    }
    /// Who takes leads no area matches (or when the team is empty).
    async fn fallback_owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.fallback_owner_id).await
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One line of the conversion mapping.
#[derive(SimpleObject)]
pub struct LeadFieldMapping {
    pub target: MappingTarget,
    pub target_field: String,
    pub source_field: String,
}

fn mapping_out(lines: Vec<MappingLine>) -> Vec<LeadFieldMapping> {
    lines
        .into_iter()
        .map(|l| LeadFieldMapping {
            target: l.target,
            target_field: l.target_field,
            source_field: l.source_field,
        })
        .collect()
}

/// A field a mapping can read or fill.
#[derive(SimpleObject)]
pub struct MappingField {
    pub name: String,
    /// `TEXT`, `EMAIL`, `PHONE` or `WEB`.
    pub kind: String,
    pub max_length: Option<i32>,
    pub required: bool,
}

fn specs(list: &[FieldSpec]) -> Vec<MappingField> {
    list.iter()
        .map(|f| MappingField {
            name: f.name.to_string(),
            kind: f.kind.as_str().to_string(),
            max_length: f.max.map(|m| m as i32),
            required: f.required,
        })
        .collect()
}

/// The fields of a lead and of each conversion target.
#[derive(SimpleObject)]
pub struct LeadMappingFields {
    pub source: Vec<MappingField>,
    pub account: Vec<MappingField>,
    pub contact: Vec<MappingField>,
    pub opportunity: Vec<MappingField>,
}

/// A value a conversion would write.
#[derive(SimpleObject)]
pub struct MappedValue {
    pub field: String,
    pub source_field: String,
    pub value: Option<String>,
}

/// An existing party like the one a conversion would create.
#[derive(SimpleObject)]
pub struct ConversionMatch {
    /// An `Account` id for accounts, a `Person` id for contacts.
    pub id: ID,
    pub code: String,
    pub display_name: String,
    /// "same e-mail" or "same name".
    pub reason: String,
}

/// What a conversion would do for one target.
#[derive(SimpleObject)]
pub struct ConversionPlan {
    pub values: Vec<MappedValue>,
    pub matches: Vec<ConversionMatch>,
}

fn plan_out(p: convert::Plan, type_name: &str, show_contacts: bool) -> ConversionPlan {
    ConversionPlan {
        values: p
            .values
            .into_iter()
            .map(|(field, source_field, value)| {
                let hidden = !show_contacts && matches!(source_field.as_str(), "email" | "phone");
                MappedValue {
                    field,
                    source_field,
                    value: if hidden { None } else { value },
                }
            })
            .collect(),
        matches: p
            .matches
            .into_iter()
            .map(|m| ConversionMatch {
                id: to_global_id(type_name, m.party.id),
                code: m.party.code.clone(),
                display_name: crate::domain::parties::service::display_name(&m.party),
                reason: m.reason.to_string(),
            })
            .collect(),
    }
}

/// What converting a lead would create, and the existing parties it could link instead.
#[derive(SimpleObject)]
pub struct LeadConversionPreview {
    /// Whether the lead can be converted now (qualified, not converted, not archived).
    pub convertible: bool,
    /// Why not, when not.
    pub reason: Option<String>,
    pub account: ConversionPlan,
    pub contact: ConversionPlan,
    pub opportunity: ConversionPlan,
}

/// Lead statuses offered by the list filter.
#[derive(InputObject, Default)]
#[graphql(name = "LeadFilter")]
pub struct LeadFilterInput {
    pub statuses: Option<Vec<LeadStatus>>,
    pub sources: Option<Vec<LeadSource>>,
    pub owner_ids: Option<Vec<ID>>,
    /// Members of this contact list.
    pub list_id: Option<ID>,
    /// Name, organisation or code contains (case-insensitive).
    pub search: Option<String>,
    /// Include archived leads (default: no).
    pub include_archived: Option<bool>,
}

/// The orderings of the leads list.
#[derive(Enum, Copy, Clone, PartialEq, Eq, Default)]
pub enum LeadOrder {
    /// Newest first.
    #[default]
    CreatedDesc,
    /// By name.
    NameAsc,
}

/// A new lead. It needs a surname, an organisation name or an e-mail.
#[derive(InputObject, Default)]
pub struct CreateLeadInput {
    pub organization_name: Option<String>,
    pub fore_name: Option<String>,
    pub surname: Option<String>,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub area: Option<String>,
    pub description: Option<String>,
    #[graphql(default_with = "Some(LeadSource::Other)")]
    pub source: Option<LeadSource>,
    /// The owner; else the assignment rule's pick; else you.
    pub owner_id: Option<ID>,
    pub assignment_rule_id: Option<ID>,
    /// Contact lists to add the lead to.
    pub list_ids: Option<Vec<ID>>,
}

/// Changes to a lead. Omitted fields stay; an empty string clears a text field.
#[derive(InputObject)]
pub struct UpdateLeadInput {
    pub id: ID,
    /// The version you read; a newer stored version gives `CONFLICT`.
    pub version: i32,
    pub organization_name: Option<String>,
    pub fore_name: Option<String>,
    pub surname: Option<String>,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub area: Option<String>,
    pub description: Option<String>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<ID>,
    /// NEW, CONTACTED, QUALIFIED or DISQUALIFIED (CONVERTED only through `convertLead`).
    pub status: Option<LeadStatus>,
    /// Required with DISQUALIFIED.
    pub status_reason: Option<String>,
}

/// The lead fields given in a create or update input, as `(field, text)`.
macro_rules! lead_values {
    ($input:ident) => {
        [
            (LeadFormField::OrganizationName, $input.organization_name),
            (LeadFormField::ForeName, $input.fore_name),
            (LeadFormField::Surname, $input.surname),
            (LeadFormField::JobTitle, $input.job_title),
            (LeadFormField::Email, $input.email),
            (LeadFormField::Phone, $input.phone),
            (LeadFormField::Website, $input.website),
            (LeadFormField::Industry, $input.industry),
            (LeadFormField::Area, $input.area),
            (LeadFormField::Description, $input.description),
        ]
        .into_iter()
        .filter_map(|(f, v)| v.map(|v| (f, v)))
        .collect::<Vec<(LeadFormField, String)>>()
    };
}

/// Archives or restores a lead.
#[derive(InputObject)]
pub struct SetLeadArchivedInput {
    pub id: ID,
    pub version: i32,
    pub archived: bool,
}

/// The lead after a mutation.
#[derive(SimpleObject)]
pub struct LeadPayload {
    pub lead: Lead,
}

/// The opportunity a conversion creates.
#[derive(InputObject, Default)]
pub struct ConvertOpportunityInput {
    /// Else the mapped value.
    pub name: Option<String>,
    pub pipeline_id: Option<ID>,
    pub stage_id: Option<ID>,
    pub amount: Option<MoneyInput>,
    /// `YYYY-MM-DD`.
    pub close_date: Option<String>,
}

/// Converts a qualified lead.
#[derive(InputObject)]
pub struct ConvertLeadInput {
    pub lead_id: ID,
    pub version: i32,
    /// Link this existing account instead of creating one.
    pub account_id: Option<ID>,
    /// Link this existing person instead of creating one.
    pub contact_id: Option<ID>,
    #[graphql(default = false)]
    pub create_opportunity: bool,
    pub opportunity: Option<ConvertOpportunityInput>,
}

/// What a conversion made or linked.
#[derive(SimpleObject)]
pub struct ConvertLeadPayload {
    pub lead: Lead,
    pub account: Account,
    pub contact: Person,
    pub opportunity: Option<Opportunity>,
}

/// Leads from CSV: a header row naming lead fields, then one lead per row.
#[derive(InputObject)]
pub struct ImportLeadsInput {
    pub csv: String,
    #[graphql(default_with = "LeadSource::Other")]
    pub source: LeadSource,
    pub assignment_rule_id: Option<ID>,
    pub list_id: Option<ID>,
}

/// What an import did.
#[derive(SimpleObject)]
pub struct ImportLeadsPayload {
    pub created: i32,
    /// Rows skipped because an open lead (or an earlier row) has the e-mail.
    pub duplicates: i32,
    pub leads: Vec<Lead>,
}

/// One mapping line as given.
#[derive(InputObject)]
pub struct LeadFieldMappingInput {
    pub target: MappingTarget,
    pub target_field: String,
    pub source_field: String,
}

/// The whole new mapping.
#[derive(InputObject)]
pub struct SetLeadConversionMappingInput {
    pub entries: Vec<LeadFieldMappingInput>,
}

/// A new static list.
#[derive(InputObject)]
pub struct CreateContactListInput {
    pub name: String,
    pub description: Option<String>,
    pub owner_id: Option<ID>,
}

/// Changes to a list.
#[derive(InputObject)]
pub struct UpdateContactListInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub description: Option<String>,
}

/// Archives or restores a list.
#[derive(InputObject)]
pub struct SetContactListArchivedInput {
    pub id: ID,
    pub version: i32,
    pub archived: bool,
}

/// Parties to add to or remove from a list (`Lead`, `Person`, `Organization` or `Account` ids).
#[derive(InputObject)]
pub struct ContactListMembersInput {
    pub list_id: ID,
    pub party_ids: Vec<ID>,
}

/// The list after a mutation.
#[derive(SimpleObject)]
pub struct ContactListPayload {
    pub contact_list: ContactList,
}

/// A field of a form as given.
#[derive(InputObject)]
pub struct WebFormFieldInput {
    pub field: LeadFormField,
    /// Else a default label.
    pub label: Option<String>,
    #[graphql(default = false)]
    pub required: bool,
}

/// A new web form.
#[derive(InputObject)]
pub struct CreateWebFormInput {
    pub name: String,
    pub fields: Vec<WebFormFieldInput>,
    pub target_list_id: Option<ID>,
    #[graphql(default_with = "LeadSource::WebForm")]
    pub source: LeadSource,
    pub owner_id: Option<ID>,
    pub assignment_rule_id: Option<ID>,
    pub redirect_url: Option<String>,
    #[graphql(default = true)]
    pub active: bool,
}

/// Changes to a web form; `null` clears a reference.
#[derive(InputObject)]
pub struct UpdateWebFormInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub fields: Option<Vec<WebFormFieldInput>>,
    pub target_list_id: MaybeUndefined<ID>,
    pub source: Option<LeadSource>,
    pub owner_id: MaybeUndefined<ID>,
    pub assignment_rule_id: MaybeUndefined<ID>,
    pub redirect_url: Option<String>,
    pub active: Option<bool>,
}

/// The form after a mutation.
#[derive(SimpleObject)]
pub struct WebFormPayload {
    pub web_form: WebForm,
}

/// An area and its user.
#[derive(InputObject)]
pub struct AreaAssignmentInput {
    pub area: String,
    pub user_id: ID,
}

/// A new assignment rule.
#[derive(InputObject)]
pub struct CreateAssignmentRuleInput {
    pub name: String,
    pub kind: AssignmentKind,
    pub team_id: Option<ID>,
    pub areas: Option<Vec<AreaAssignmentInput>>,
    pub fallback_owner_id: Option<ID>,
}

/// Changes to an assignment rule.
#[derive(InputObject)]
pub struct UpdateAssignmentRuleInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub team_id: Option<ID>,
    pub areas: Option<Vec<AreaAssignmentInput>>,
    pub fallback_owner_id: Option<ID>,
    pub active: Option<bool>,
}

/// The rule after a mutation.
#[derive(SimpleObject)]
pub struct AssignmentRulePayload {
    pub assignment_rule: AssignmentRule,
}

fn ids(
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

fn user_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "User", field)
}

fn member_id(id: &ID, field: &str) -> AppResult<Uuid> {
    lead_id(id, field).or_else(|_| party_id(id, field))
}

fn areas_input(list: Option<Vec<AreaAssignmentInput>>) -> AppResult<Option<Vec<(String, Uuid)>>> {
    list.map(|l| {
        l.into_iter()
            .enumerate()
            .map(|(i, a)| Ok((a.area, user_id(&a.user_id, &format!("areas.{i}.userId"))?)))
            .collect()
    })
    .transpose()
}

fn maybe_id(
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

fn form_fields(list: Vec<WebFormFieldInput>) -> Vec<(LeadFormField, Option<String>, bool)> {
    list.into_iter()
        .map(|f| (f.field, f.label, f.required))
        .collect()
}

/// Lead, list, form, rule and mapping queries.
#[derive(Default)]
pub struct LeadQuery;

#[Object]
impl LeadQuery {
    /// Leads you may see.
    async fn leads(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        filter: Option<LeadFilterInput>,
        order_by: Option<LeadOrder>,
    ) -> AppResult<Connection<String, Lead, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let f = filter.unwrap_or_default();
        let list = f
            .list_id
            .as_ref()
            .map(|id| list_id(id, "filter.listId"))
            .transpose()?;
        if let Some(l) = list {
            if lists::get(&state.db, req, l).await?.is_none() {
                return Err(AppError::bad_input(
                    "filter.listId",
                    "is not a contact list you can see",
                ));
            }
        }
        let filter = LeadFilter {
            statuses: f.statuses.unwrap_or_default(),
            sources: f.sources.unwrap_or_default(),
            owner_ids: ids(f.owner_ids, "filter.ownerIds", user_id)?,
            list_id: list,
            search: f.search,
            include_archived: f.include_archived.unwrap_or(false),
        };
        let sort = match order_by.unwrap_or_default() {
            LeadOrder::CreatedDesc => LeadSort::CreatedDesc,
            LeadOrder::NameAsc => LeadSort::NameAsc,
        };
        let (rows, more) = service::list(&state.db, req, &filter, sort, &page).await?;
        prime_leads(ctx, &rows).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { service::count(&db, &req, &f).await })
        });
        let mut conn = Connection::with_additional_fields(page.after.is_some(), more, total);
        conn.edges.extend(
            rows.into_iter()
                .map(|r| Edge::new(sort.cursor(&r), Lead(r))),
        );
        Ok(conn)
    }

    /// One lead; `null` when it does not exist or is not visible to you.
    async fn lead(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Lead>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = lead_id(&id, "id")?;
        Ok(service::get(&state.db, req, uuid).await?.map(Lead))
    }

    /// What converting a lead would create, and existing parties it could link instead.
    async fn lead_conversion_preview(
        &self,
        ctx: &Context<'_>,
        lead_id: ID,
    ) -> AppResult<LeadConversionPreview> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = self::lead_id(&lead_id, "leadId")?;
        let p = convert::preview(&state.db, req, id).await?;
        let show = req
            .actor()?
            .grants
            .can_read(crate::domain::parties::policy::CONTACT_FIELD);
        Ok(LeadConversionPreview {
            convertible: p.convertible.is_none(),
            reason: p.convertible.map(str::to_string),
            account: plan_out(p.account, "Account", show),
            contact: plan_out(p.contact, "Person", show),
            opportunity: plan_out(p.opportunity, "Opportunity", show),
        })
    }

    /// The conversion mapping: which lead field fills which account, contact and opportunity field.
    async fn lead_conversion_mapping(&self, ctx: &Context<'_>) -> AppResult<Vec<LeadFieldMapping>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(mapping_out(convert::read_mapping(&state.db, req).await?))
    }

    /// The fields a mapping can read (source) and fill (per target).
    async fn lead_mapping_fields(&self, ctx: &Context<'_>) -> AppResult<LeadMappingFields> {
        ctx.data::<RequestCtx>()?.actor()?;
        Ok(LeadMappingFields {
            source: specs(fields::SOURCE),
            account: specs(fields::ACCOUNT),
            contact: specs(fields::CONTACT),
            opportunity: specs(fields::OPPORTUNITY),
        })
    }

    /// Contact lists you may see, by name.
    async fn contact_lists(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
        #[graphql(default = false)] include_archived: bool,
    ) -> AppResult<Connection<String, ContactList, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let (rows, more) =
            lists::page(&state.db, req, search.as_deref(), include_archived, &page).await?;
        let node = ctx.look_ahead().field("edges").field("node");
        prime::<UserLoader>(
            ctx,
            node.field("owner").exists(),
            rows.iter().map(|l| l.owner_id),
        )
        .await?;
        prime::<MemberCountLoader>(
            ctx,
            node.field("memberCount").exists(),
            rows.iter().map(|l| l.id),
        )
        .await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, s) = (db.clone(), req2.clone(), search.clone());
            Box::pin(async move { lists::count(&db, &req, s.as_deref(), include_archived).await })
        });
        let mut conn = Connection::with_additional_fields(page.after.is_some(), more, total);
        conn.edges.extend(
            rows.into_iter()
                .map(|l| Edge::new(lists::cursor(&l), ContactList(l))),
        );
        Ok(conn)
    }

    /// One contact list; `null` when it does not exist or is not visible to you.
    async fn contact_list(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<ContactList>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = list_id(&id, "id")?;
        Ok(lists::get(&state.db, req, uuid).await?.map(ContactList))
    }

    /// Every web-to-lead form, newest first.
    async fn web_forms(&self, ctx: &Context<'_>) -> AppResult<Vec<WebForm>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let rows = forms::all(&state.db, req).await?;
        let node = ctx.look_ahead();
        prime::<SubmissionCountLoader>(
            ctx,
            node.field("submissionCount").exists(),
            rows.iter().map(|f| f.id),
        )
        .await?;
        prime::<UserLoader>(
            ctx,
            node.field("owner").exists(),
            rows.iter().filter_map(|f| f.owner_id),
        )
        .await?;
        prime::<ContactListLoader>(
            ctx,
            node.field("targetList").exists(),
            rows.iter().filter_map(|f| f.target_list_id),
        )
        .await?;
        prime::<RuleLoader>(
            ctx,
            node.field("assignmentRule").exists(),
            rows.iter().filter_map(|f| f.assignment_rule_id),
        )
        .await?;
        Ok(rows.into_iter().map(WebForm).collect())
    }

    /// One web form.
    async fn web_form(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<WebForm>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = form_id(&id, "id")?;
        Ok(forms::get(&state.db, req, uuid).await?.map(WebForm))
    }

    /// Every assignment rule, by name.
    async fn assignment_rules(&self, ctx: &Context<'_>) -> AppResult<Vec<AssignmentRule>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(assignment::all(&state.db, req)
            .await?
            .into_iter()
            .map(AssignmentRule)
            .collect())
    }
}

/// Loads what a page of leads selects, in one batch per relation.
async fn prime_leads(ctx: &Context<'_>, rows: &[LeadRow]) -> AppResult<()> {
    let node = ctx.look_ahead().field("edges").field("node");
    prime::<UserLoader>(
        ctx,
        node.field("owner").exists(),
        rows.iter().filter_map(|r| r.party.owner_id),
    )
    .await?;
    let contact = node.field("email").exists() || node.field("phone").exists();
    prime::<MechanismsLoader>(ctx, contact, rows.iter().map(|r| r.party.id)).await?;
    prime::<ListsOfLoader>(
        ctx,
        node.field("contactLists").exists(),
        rows.iter().map(|r| r.party.id),
    )
    .await?;
    prime::<FormNameLoader>(
        ctx,
        node.field("webFormName").exists(),
        rows.iter().filter_map(|r| r.lead.web_form_id),
    )
    .await?;
    let converted =
        node.field("convertedAccount").exists() || node.field("convertedContact").exists();
    prime::<PartyLoader>(
        ctx,
        converted,
        rows.iter().flat_map(|r| {
            [r.lead.converted_account_id, r.lead.converted_contact_id]
                .into_iter()
                .flatten()
        }),
    )
    .await?;
    Ok(())
}

/// Lead, list, form, rule and mapping mutations.
#[derive(Default)]
pub struct LeadMutation;

#[Object]
impl LeadMutation {
    /// Creates a lead (status NEW).
    async fn create_lead(
        &self,
        ctx: &Context<'_>,
        input: CreateLeadInput,
    ) -> AppResult<LeadPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let rule = input
            .assignment_rule_id
            .as_ref()
            .map(|id| rule_id(id, "assignmentRuleId"))
            .transpose()?;
        let list_ids = ids(input.list_ids, "listIds", list_id)?;
        let lead = LeadInput {
            values: lead_values!(input),
            source: input.source,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            status: None,
            status_reason: None,
        };
        let row = service::create(state, req, lead, rule, list_ids).await?;
        Ok(LeadPayload { lead: Lead(row) })
    }

    /// Changes a lead: fields, owner, source, status (qualify, disqualify with a reason, reopen).
    async fn update_lead(
        &self,
        ctx: &Context<'_>,
        input: UpdateLeadInput,
    ) -> AppResult<LeadPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = lead_id(&input.id, "id")?;
        let lead = LeadInput {
            values: lead_values!(input),
            source: input.source,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            status: input.status,
            status_reason: input.status_reason,
        };
        let row = service::update(state, req, id, input.version, lead).await?;
        Ok(LeadPayload { lead: Lead(row) })
    }

    /// Archives or restores a lead.
    async fn set_lead_archived(
        &self,
        ctx: &Context<'_>,
        input: SetLeadArchivedInput,
    ) -> AppResult<LeadPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = lead_id(&input.id, "id")?;
        let row = service::set_archived(state, req, id, input.version, input.archived).await?;
        Ok(LeadPayload { lead: Lead(row) })
    }

    /// Converts a qualified lead into an account, a contact and optionally an opportunity, in one
    /// transaction, following the conversion mapping. Existing parties can be linked instead.
    async fn convert_lead(
        &self,
        ctx: &Context<'_>,
        input: ConvertLeadInput,
    ) -> AppResult<ConvertLeadPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let opportunity = if input.create_opportunity {
            let o = input.opportunity.unwrap_or_default();
            Some(OpportunityPart {
                name: o.name,
                pipeline_id: o
                    .pipeline_id
                    .as_ref()
                    .map(|id| expect_global_id(id, "Pipeline", "opportunity.pipelineId"))
                    .transpose()?,
                stage_id: o
                    .stage_id
                    .as_ref()
                    .map(|id| expect_global_id(id, "PipelineStage", "opportunity.stageId"))
                    .transpose()?,
                amount: o.amount.map(|m| ServiceMoney {
                    amount: m.amount.0,
                    currency: m.currency,
                }),
                close_date: o.close_date,
            })
        } else {
            None
        };
        let c = convert::convert(
            state,
            req,
            ConvertInput {
                lead_id: lead_id(&input.lead_id, "leadId")?,
                version: input.version,
                account_id: input
                    .account_id
                    .as_ref()
                    .map(|id| party_id(id, "accountId"))
                    .transpose()?,
                contact_id: input
                    .contact_id
                    .as_ref()
                    .map(|id| party_id(id, "contactId"))
                    .transpose()?,
                opportunity,
            },
        )
        .await?;
        Ok(ConvertLeadPayload {
            lead: Lead(c.lead),
            account: Account(c.account),
            contact: Person(c.contact),
            opportunity: c.opportunity.map(Opportunity),
        })
    }

    /// Imports leads from CSV (all rows or none), applying an assignment rule.
    async fn import_leads(
        &self,
        ctx: &Context<'_>,
        input: ImportLeadsInput,
    ) -> AppResult<ImportLeadsPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let rule = input
            .assignment_rule_id
            .as_ref()
            .map(|id| rule_id(id, "assignmentRuleId"))
            .transpose()?;
        let list = input
            .list_id
            .as_ref()
            .map(|id| list_id(id, "listId"))
            .transpose()?;
        let r = import::import(state, req, &input.csv, input.source, rule, list).await?;
        Ok(ImportLeadsPayload {
            created: r.created.len() as i32,
            duplicates: r.duplicates as i32,
            leads: r.created.into_iter().map(Lead).collect(),
        })
    }

    /// Replaces the conversion mapping (admins). Refused as a whole when any line is invalid.
    async fn set_lead_conversion_mapping(
        &self,
        ctx: &Context<'_>,
        input: SetLeadConversionMappingInput,
    ) -> AppResult<Vec<LeadFieldMapping>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let lines = input
            .entries
            .into_iter()
            .map(|e| MappingLine {
                target: e.target,
                target_field: e.target_field.trim().to_string(),
                source_field: e.source_field.trim().to_string(),
            })
            .collect();
        Ok(mapping_out(convert::set_mapping(state, req, lines).await?))
    }

    /// Creates a static contact list.
    async fn create_contact_list(
        &self,
        ctx: &Context<'_>,
        input: CreateContactListInput,
    ) -> AppResult<ContactListPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let owner = optional_user_id(input.owner_id, "ownerId")?;
        let m = lists::create(state, req, &input.name, input.description.as_deref(), owner).await?;
        Ok(ContactListPayload {
            contact_list: ContactList(m),
        })
    }

    /// Renames a list or changes its description.
    async fn update_contact_list(
        &self,
        ctx: &Context<'_>,
        input: UpdateContactListInput,
    ) -> AppResult<ContactListPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = list_id(&input.id, "id")?;
        let m = lists::update(
            state,
            req,
            id,
            input.version,
            input.name.as_deref(),
            input.description.as_deref(),
        )
        .await?;
        Ok(ContactListPayload {
            contact_list: ContactList(m),
        })
    }

    /// Archives or restores a list.
    async fn set_contact_list_archived(
        &self,
        ctx: &Context<'_>,
        input: SetContactListArchivedInput,
    ) -> AppResult<ContactListPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = list_id(&input.id, "id")?;
        let m = lists::set_archived(state, req, id, input.version, input.archived).await?;
        Ok(ContactListPayload {
            contact_list: ContactList(m),
        })
    }

    /// Adds parties you may see to a list (members already on it stay as they are).
    async fn add_contact_list_members(
        &self,
        ctx: &Context<'_>,
        input: ContactListMembersInput,
    ) -> AppResult<ContactListPayload> {
        self.members(ctx, input, true).await
    }

    /// Removes parties from a list.
    async fn remove_contact_list_members(
        &self,
        ctx: &Context<'_>,
        input: ContactListMembersInput,
    ) -> AppResult<ContactListPayload> {
        self.members(ctx, input, false).await
    }

    /// Creates a web-to-lead form.
    async fn create_web_form(
        &self,
        ctx: &Context<'_>,
        input: CreateWebFormInput,
    ) -> AppResult<WebFormPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let f = forms::FormInput {
            name: Some(input.name),
            fields: Some(form_fields(input.fields)),
            target_list_id: Some(
                input
                    .target_list_id
                    .as_ref()
                    .map(|id| list_id(id, "targetListId"))
                    .transpose()?,
            ),
            source: Some(input.source),
            owner_id: Some(optional_user_id(input.owner_id, "ownerId")?),
            assignment_rule_id: Some(
                input
                    .assignment_rule_id
                    .as_ref()
                    .map(|id| rule_id(id, "assignmentRuleId"))
                    .transpose()?,
            ),
            redirect_url: input.redirect_url,
            active: Some(input.active),
        };
        let m = forms::create(state, req, f, None).await?;
        Ok(WebFormPayload {
            web_form: WebForm(m),
        })
    }

    /// Changes a web form.
    async fn update_web_form(
        &self,
        ctx: &Context<'_>,
        input: UpdateWebFormInput,
    ) -> AppResult<WebFormPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = form_id(&input.id, "id")?;
        let f = forms::FormInput {
            name: input.name,
            fields: input.fields.map(form_fields),
            target_list_id: maybe_id(input.target_list_id, "targetListId", list_id)?,
            source: input.source,
            owner_id: maybe_id(input.owner_id, "ownerId", user_id)?,
            assignment_rule_id: maybe_id(input.assignment_rule_id, "assignmentRuleId", rule_id)?,
            redirect_url: input.redirect_url,
            active: input.active,
        };
        let m = forms::update(state, req, id, input.version, f).await?;
        Ok(WebFormPayload {
            web_form: WebForm(m),
        })
    }

    /// Creates an assignment rule.
    async fn create_assignment_rule(
        &self,
        ctx: &Context<'_>,
        input: CreateAssignmentRuleInput,
    ) -> AppResult<AssignmentRulePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let r = assignment::RuleInput {
            name: Some(input.name),
            kind: Some(input.kind),
            team_id: input
                .team_id
                .as_ref()
                .map(|id| expect_global_id(id, "Team", "teamId"))
                .transpose()?,
            areas: areas_input(input.areas)?,
            fallback_owner_id: optional_user_id(input.fallback_owner_id, "fallbackOwnerId")?,
            active: None,
        };
        let m = assignment::create(state, req, r).await?;
        Ok(AssignmentRulePayload {
            assignment_rule: AssignmentRule(m),
        })
    }

    /// Changes an assignment rule.
    async fn update_assignment_rule(
        &self,
        ctx: &Context<'_>,
        input: UpdateAssignmentRuleInput,
    ) -> AppResult<AssignmentRulePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = rule_id(&input.id, "id")?;
        let r = assignment::RuleInput {
            name: input.name,
            kind: None,
            team_id: input
                .team_id
                .as_ref()
                .map(|id| expect_global_id(id, "Team", "teamId"))
                .transpose()?,
            areas: areas_input(input.areas)?,
            fallback_owner_id: optional_user_id(input.fallback_owner_id, "fallbackOwnerId")?,
            active: input.active,
        };
        let m = assignment::update(state, req, id, input.version, r).await?;
        Ok(AssignmentRulePayload {
            assignment_rule: AssignmentRule(m),
        })
    }
}

impl LeadMutation {
    async fn members(
        &self,
        ctx: &Context<'_>,
        input: ContactListMembersInput,
        add: bool,
    ) -> AppResult<ContactListPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = list_id(&input.list_id, "listId")?;
        let parties = ids(Some(input.party_ids), "partyIds", member_id)?;
        let m = lists::change_members(state, req, id, &parties, add).await?;
        Ok(ContactListPayload {
            contact_list: ContactList(m),
        })
    }
}
