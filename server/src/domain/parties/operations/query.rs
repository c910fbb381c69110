//! Party queries: one party, lists of people, organisations, contacts and customers, the profile and search.

use super::*;

pub(super) async fn one_party(ctx: &Context<'_>, id: &ID) -> AppResult<Option<Party>> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let uuid = party_id(id, "id")?;
    let found = service::get(&state.db, req, uuid).await?;
    if let Some(m) = &found {
        prime_parties(ctx, ctx.look_ahead(), std::slice::from_ref(m)).await?;
    }
    Ok(found.map(Party::from_model))
}

/// Loads the relations the query selects on `node` for all `rows` up front, one statement each,
/// so that sibling fields resolving concurrently never split a batch.
pub(super) async fn prime_parties(
    ctx: &Context<'_>,
    node: async_graphql::Lookahead<'_>,
    rows: &[parties::Model],
) -> AppResult<()> {
    prime::<UserLoader>(
        ctx,
        node.field("owner").exists(),
        rows.iter().filter_map(|m| m.owner_id),
    )
    .await?;
    let roles = node.field("roles").exists() || node.field("partyRoles").exists();
    prime::<PartyRolesLoader>(ctx, roles, rows.iter().map(|m| m.id)).await?;
    let contacts = node.field("contactMechanisms").exists()
        && can_read_contacts(crate::kit::resolve::caller(ctx)?);
    prime::<MechanismsLoader>(ctx, contacts, rows.iter().map(|m| m.id)).await?;
    let tax_ids = node.field("taxIds").exists()
        && crate::kit::resolve::caller(ctx)?
            .actor()
            .is_ok_and(|a| a.grants.can_read(TAX_FIELD));
    prime::<TaxIdsLoader>(ctx, tax_ids, rows.iter().map(|m| m.id)).await?;
    prime::<ExternalIdsLoader>(
        ctx,
        node.field("externalIds").exists(),
        rows.iter().map(|m| m.id),
    )
    .await
}

pub(super) async fn list(
    ctx: &Context<'_>,
    kind: Option<PartyKind>,
    role: Option<PartyRole>,
    first: Option<i32>,
    after: Option<String>,
    filter: Option<PartyFilter>,
    order_by: Option<PartyOrder>,
) -> AppResult<Connection<String, Party, TotalCount>> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let page = Page::new(first, after)?;
    let order_by = order_by.unwrap_or_default();
    let defs = match order_by.field {
        PartyOrderField::Custom => ctx
            .data::<crate::domain::custom_fields::graphql::DefinitionsCell>()?
            .get(&state.db)
            .await?
            .to_vec(),
        _ => Vec::new(),
    };
    let sort = order_by.sort(&defs, req)?;
    let q = PartyFilter::apply(filter.as_ref(), req, service::base(req, kind, role)?)?;
    let (rows, more) = service::page(&state.db, q.clone(), sort, &page).await?;
    let keys = sort.keys(&state.db, &rows).await?;
    let node = ctx.look_ahead().field("edges").field("node");
    let custom = node.field("customFields").exists();
    prime_parties(ctx, node, &rows).await?;
    prime::<crate::domain::custom_fields::graphql::CustomValueLoader>(
        ctx,
        custom,
        rows.iter().map(|m| m.id),
    )
    .await?;
    let db = state.db.clone();
    let total = TotalCount::lazy(move || {
        let (db, q) = (db.clone(), q.clone());
        Box::pin(async move { Ok(q.count(&db).await?) })
    });
    Ok(crate::domain::parties::sort::connection(
        rows,
        page.after.is_some(),
        more,
        (sort, &keys),
        total,
        Party::from_model,
    ))
}

/// Customer-master queries.
#[derive(Default)]
pub struct PartyQuery;

#[Object]
impl PartyQuery {
    /// People and organisations you may see.
    async fn parties(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<PartyFilter>,
        order_by: Option<PartyOrder>,
    ) -> AppResult<Connection<String, Party, TotalCount>> {
        list(ctx, None, None, first, after, filter, order_by).await
    }

    /// People with the CONTACT role.
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<PartyFilter>,
        order_by: Option<PartyOrder>,
    ) -> AppResult<Connection<String, Party, TotalCount>> {
        let (kind, role) = (Some(PartyKind::Person), Some(PartyRole::Contact));
        list(ctx, kind, role, first, after, filter, order_by).await
    }

    /// Parties with the CUSTOMER role.
    async fn customers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<PartyFilter>,
        order_by: Option<PartyOrder>,
    ) -> AppResult<Connection<String, Party, TotalCount>> {
        list(
            ctx,
            None,
            Some(PartyRole::Customer),
            first,
            after,
            filter,
            order_by,
        )
        .await
    }

    /// One party (a `Person`, `Organization` or `Account` id); `null` when not visible.
    async fn party(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Party>> {
        one_party(ctx, &id).await
    }

    /// The 360° profile: the party, for selecting roles, contact details, relationships and
    /// timeline in one request.
    /// The party holding `value` as its id in another `system`, if you may see it.
    async fn party_by_external_id(
        &self,
        ctx: &Context<'_>,
        system: String,
        value: String,
    ) -> AppResult<Option<Party>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let found = identifiers::find_by_external_id(&state.db, req, &system, &value).await?;
        if let Some(m) = &found {
            prime_parties(ctx, ctx.look_ahead(), std::slice::from_ref(m)).await?;
        }
        Ok(found.map(Party::from_model))
    }

    async fn party_profile(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Party>> {
        one_party(ctx, &id).await
    }

    /// Parties whose name, code or area match `text` (prefixes of every word), best first.
    async fn search(
        &self,
        ctx: &Context<'_>,
        text: String,
        #[graphql(default = 10)] first: i32,
    ) -> AppResult<Vec<SearchHit>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let first =
            u64::try_from(first).map_err(|_| AppError::bad_input("first", "must be positive"))?;
        let hits = search::search(&state.db, req, &text, first).await?;
        Ok(hits
            .into_iter()
            .map(|(m, rank)| SearchHit {
                party: Party::from_model(m),
                rank,
            })
            .collect())
    }
}
