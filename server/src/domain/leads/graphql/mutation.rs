//! Lead, list, form, rule and mapping mutations.

use super::*;

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
        let r = import::import(state, req, &input.csv, input.source.as_deref(), rule, list).await?;
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
            source: input.source,
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
