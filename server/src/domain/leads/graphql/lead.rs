//! The `Lead` object and the inputs and payloads of lead records and their import.

use super::*;

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
    /// Custom fields you may read, in their order (`value` is `null` where unset).
    async fn custom_fields(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<crate::domain::custom_fields::graphql::CustomFieldValue>> {
        crate::domain::custom_fields::graphql::values_on(
            ctx,
            crate::domain::custom_fields::rules::CustomObject::Lead,
            self.0.party.id,
        )
        .await
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
    /// Where it came from: a value of the `LEAD_SOURCE` pick-list (possibly archived since).
    async fn source(&self, ctx: &Context<'_>) -> AppResult<Option<PicklistValue>> {
        picklists::graphql::choice(ctx, PicklistKey::LeadSource, Some(&self.0.lead.source)).await
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

/// Lead statuses offered by the list filter.
#[derive(InputObject, Default)]
#[graphql(name = "LeadFilter")]
pub struct LeadFilterInput {
    pub statuses: Option<Vec<LeadStatus>>,
    /// Keys of the `LEAD_SOURCE` pick-list.
    pub sources: Option<Vec<String>>,
    pub owner_ids: Option<Vec<ID>>,
    /// Members of this contact list.
    pub list_id: Option<ID>,
    /// Name, organisation or code contains (case-insensitive).
    pub search: Option<String>,
    /// Include archived leads (default: no).
    pub include_archived: Option<bool>,
    /// Conditions on lead custom fields you may read.
    pub custom: Option<Vec<crate::domain::custom_fields::filter::CustomFieldFilter>>,
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
    /// The key of a value of the `LEAD_SOURCE` pick-list (default `other`).
    pub source: Option<String>,
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
    /// The key of a value of the `LEAD_SOURCE` pick-list.
    pub source: Option<String>,
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

/// Leads from CSV: a header row naming lead fields, then one lead per row.
#[derive(InputObject)]
pub struct ImportLeadsInput {
    pub csv: String,
    /// The key of a value of the `LEAD_SOURCE` pick-list the leads get (default `other`).
    pub source: Option<String>,
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
