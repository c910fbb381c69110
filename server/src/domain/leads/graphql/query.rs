//! Lead, list, form, rule and mapping queries.

use super::*;

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
        #[graphql(
            desc = "Sorts by a lead custom field you may read (leads without a value first when ascending), instead of `orderBy`."
        )]
        custom_order: Option<crate::domain::custom_fields::sort::CustomFieldOrder>,
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
        let sources = f.sources.unwrap_or_default();
        if sources.len() > crate::kit::filters::MAX_IN_VALUES {
            return Err(AppError::bad_input(
                "filter.sources",
                format!(
                    "must list at most {} values",
                    crate::kit::filters::MAX_IN_VALUES
                ),
            ));
        }
        let filter = LeadFilter {
            statuses: f.statuses.unwrap_or_default(),
            sources,
            owner_ids: ids(f.owner_ids, "filter.ownerIds", user_id)?,
            list_id: list,
            search: f.search,
            include_archived: f.include_archived.unwrap_or(false),
            custom: f.custom.unwrap_or_default(),
        };
        let sort = match (custom_order, order_by) {
            (Some(_), Some(_)) => {
                return Err(AppError::bad_input(
                    "customOrder",
                    "is instead of orderBy: give one of them",
                ))
            }
            (Some(o), None) => {
                let object = crate::domain::custom_fields::rules::CustomObject::Lead;
                let (sort, desc) = o.resolve(ctx, object).await?;
                LeadSort::Custom { sort, desc }
            }
            (None, order) => match order.unwrap_or_default() {
                LeadOrder::CreatedDesc => LeadSort::CreatedDesc,
                LeadOrder::NameAsc => LeadSort::NameAsc,
            },
        };
        let (rows, more) = service::list(&state.db, req, &filter, sort, &page).await?;
        let keys = sort.keys(&state.db, &rows).await?;
        prime_leads(ctx, &rows).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { service::count(&db, &req, &f).await })
        });
        let mut conn = Connection::with_additional_fields(page.after.is_some(), more, total);
        conn.edges.extend(
            rows.into_iter()
                .map(|r| Edge::new(sort.cursor(&r, &keys), Lead(r))),
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
        let (state, req) = crate::kit::resolve::request(ctx)?;
        req.actor()?;
        let custom = convert::custom_fields(&state.db).await?;
        Ok(LeadMappingFields {
            source: specs(fields::source_fields(&custom)),
            account: specs(fields::target_fields(MappingTarget::Account, &custom)),
            contact: specs(fields::target_fields(MappingTarget::Contact, &custom)),
            opportunity: specs(fields::target_fields(MappingTarget::Opportunity, &custom)),
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
pub(super) async fn prime_leads(ctx: &Context<'_>, rows: &[LeadRow]) -> AppResult<()> {
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
