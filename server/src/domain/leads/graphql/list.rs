//! Contact lists and their members, with their inputs.

use super::*;

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
