//! Queries and mutations of the customer master: thin resolvers over the services.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::parties::parties;
use sea_orm::{ColumnTrait, Condition, QueryFilter, Select};
use uuid::Uuid;

use super::graphql::{can_read_contacts, Party, PartyRelationship, SearchHit};
use super::kinds::{
    ContactMechanismKind, ContactPurpose, CustomerType, PartyKind, PartyRole, PaymentPreference,
    RelationshipKind,
};
use super::loaders::{MechanismsLoader, PartyRolesLoader};
use super::mechanisms::{AddressInput, MechanismInput};
use super::service::{self, PartyChanges};
use super::sort::{SortField, SortKey};
use super::{mechanisms, relationships, search};
use crate::auth::RequestCtx;
use crate::domain::accounts::filter::SortDirection;
use crate::domain::users::loaders::UserLoader;
use crate::error::{AppError, AppResult};
use crate::kit::filters::{check_len, icontains, StringFilter};
use crate::kit::ids::optional_user_id;
use crate::kit::ids::{expect_global_id, parse_global_id};
use crate::kit::paging::Page;
use crate::kit::paging::{prime, TotalCount};
use sea_orm::sea_query::Expr;

/// Filters on parties; all given conditions must hold.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PartyFilter {
    /// Words that must each appear in the name, code or area (case-insensitive).
    pub search: Option<String>,
    pub kind: Option<PartyKind>,
    pub role: Option<PartyRole>,
    pub customer_type: Option<CustomerType>,
    pub area: Option<StringFilter>,
    pub owner_id: Option<ID>,
    /// `false` (default): active only; `true`: archived only.
    pub archived: Option<bool>,
}

fn col(c: parties::Column) -> Expr {
    Expr::col((parties::Entity, c))
}

impl PartyFilter {
    fn apply(
        f: Option<&PartyFilter>,
        mut q: Select<parties::Entity>,
    ) -> AppResult<Select<parties::Entity>> {
        let f = f.cloned().unwrap_or_default();
        if let Some(s) = &f.search {
            check_len("filter.search", s)?;
            for word in s.split_whitespace().take(8) {
                q = q.filter(
                    Condition::any()
                        .add(icontains(col(parties::Column::SortName), word))
                        .add(icontains(col(parties::Column::Code), word))
                        .add(icontains(col(parties::Column::Area), word)),
                );
            }
        }
        if let Some(k) = f.kind {
            q = q.filter(parties::Column::Kind.eq(k.as_str()));
        }
        if let Some(r) = f.role {
            q = q.filter(parties::Column::Id.in_subquery(role_holders(r)));
        }
        if let Some(t) = f.customer_type {
            q = q.filter(parties::Column::CustomerType.eq(t.as_str()));
        }
        if let Some(a) = &f.area {
            q = q.filter(a.condition(col(parties::Column::Area), "filter.area")?);
        }
        if let Some(id) = &f.owner_id {
            q = q.filter(parties::Column::OwnerId.eq(expect_global_id(
                id,
                "User",
                "filter.ownerId",
            )?));
        }
        q = match f.archived {
            Some(true) => q.filter(parties::Column::ArchivedAt.is_not_null()),
            _ => q.filter(parties::Column::ArchivedAt.is_null()),
        };
        Ok(q)
    }
}

fn role_holders(r: PartyRole) -> sea_orm::sea_query::SelectStatement {
    use entity::parties::party_roles;
    use sea_orm::sea_query::{ExprTrait, Query};
    Query::select()
        .column(party_roles::Column::PartyId)
        .from(party_roles::Entity)
        .and_where(Expr::col(party_roles::Column::Role).eq(r.as_str()))
        .to_owned()
}

/// Fields parties can be sorted by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum PartyOrderField {
    Code,
    #[default]
    Name,
    Area,
    CreatedAt,
    UpdatedAt,
}

/// How to sort parties; ties are broken by id.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct PartyOrder {
    pub field: PartyOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

impl PartyOrder {
    fn sort(&self) -> SortKey {
        SortKey {
            field: match self.field {
                PartyOrderField::Code => SortField::Code,
                PartyOrderField::Name => SortField::Name,
                PartyOrderField::Area => SortField::Area,
                PartyOrderField::CreatedAt => SortField::CreatedAt,
                PartyOrderField::UpdatedAt => SortField::UpdatedAt,
            },
            desc: self.direction == SortDirection::Desc,
        }
    }
}

/// Decodes a party id: `Person`, `Organization`, `Account` and `Lead` global ids all name a party.
pub fn party_id(id: &ID, field: &str) -> AppResult<Uuid> {
    match parse_global_id(id) {
        Some((ty, uuid))
            if matches!(ty.as_str(), "Person" | "Organization" | "Account" | "Lead") =>
        {
            Ok(uuid)
        }
        _ => Err(AppError::bad_input(field, "is not a valid party id")),
    }
}

async fn one_party(ctx: &Context<'_>, id: &ID) -> AppResult<Option<Party>> {
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
async fn prime_parties(
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
    prime::<PartyRolesLoader>(ctx, node.field("roles").exists(), rows.iter().map(|m| m.id)).await?;
    let contacts =
        node.field("contactMechanisms").exists() && can_read_contacts(ctx.data::<RequestCtx>()?);
    prime::<MechanismsLoader>(ctx, contacts, rows.iter().map(|m| m.id)).await
}

async fn list(
    ctx: &Context<'_>,
    base: Select<parties::Entity>,
    first: Option<i32>,
    after: Option<String>,
    filter: Option<PartyFilter>,
    order_by: Option<PartyOrder>,
) -> AppResult<Connection<String, Party, TotalCount>> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let page = Page::new(first, after)?;
    let sort = order_by.unwrap_or_default().sort();
    let q = PartyFilter::apply(filter.as_ref(), base)?;
    let (rows, more) = service::list(&state.db, req, q.clone(), sort, &page).await?;
    prime_parties(ctx, ctx.look_ahead().field("edges").field("node"), &rows).await?;
    let (db, req2) = (state.db.clone(), req.clone());
    let total = TotalCount::lazy(move || {
        let (db, req, q) = (db.clone(), req2.clone(), q.clone());
        Box::pin(async move { service::count(&db, &req, q).await })
    });
    Ok(crate::domain::parties::sort::connection(
        rows,
        page.after.is_some(),
        more,
        sort,
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
        list(
            ctx,
            service::base(None, None),
            first,
            after,
            filter,
            order_by,
        )
        .await
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
        let base = service::base(Some(PartyKind::Person), Some(PartyRole::Contact));
        list(ctx, base, first, after, filter, order_by).await
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
            service::base(None, Some(PartyRole::Customer)),
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

/// A postal address as input.
#[derive(InputObject, Clone, Default)]
pub struct PostalAddressInput {
    pub street: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

/// A contact mechanism as input: `value` for e-mail, phone and web; `address` for postal addresses.
#[derive(InputObject, Clone)]
pub struct ContactMechanismInput {
    pub kind: ContactMechanismKind,
    pub value: Option<String>,
    pub address: Option<PostalAddressInput>,
    #[graphql(default_with = "vec![ContactPurpose::Primary]")]
    pub purposes: Vec<ContactPurpose>,
    /// `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_to: Option<String>,
}

impl From<ContactMechanismInput> for MechanismInput {
    fn from(i: ContactMechanismInput) -> Self {
        MechanismInput {
            kind: i.kind,
            value: i.value,
            address: i.address.map(|a| AddressInput {
                street: a.street,
                city: a.city,
                postal_code: a.postal_code,
                region: a.region,
                country: a.country,
            }),
            purposes: i.purposes,
            valid_from: i.valid_from,
            valid_to: i.valid_to,
        }
    }
}

/// A new person.
#[derive(InputObject)]
pub struct CreatePersonInput {
    pub fore_name: String,
    pub middle_initial: Option<String>,
    pub surname: String,
    pub code: Option<String>,
    pub area: Option<String>,
    pub owner_id: Option<ID>,
    #[graphql(default_with = "vec![PartyRole::Contact]")]
    pub roles: Vec<PartyRole>,
    pub customer_type: Option<CustomerType>,
    pub payment_preference: Option<PaymentPreference>,
    pub contact_mechanisms: Option<Vec<ContactMechanismInput>>,
}

/// Changes to a person; omitted fields stay, `roles` replaces the roles when given.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    pub id: ID,
    pub version: i32,
    pub fore_name: Option<String>,
    pub middle_initial: Option<String>,
    pub surname: Option<String>,
    pub code: Option<String>,
    pub area: Option<String>,
    pub owner_id: Option<ID>,
    pub roles: Option<Vec<PartyRole>>,
    pub customer_type: Option<CustomerType>,
    pub payment_preference: Option<PaymentPreference>,
}

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub name: String,
    pub code: Option<String>,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub owner_id: Option<ID>,
    #[graphql(default_with = "vec![PartyRole::Account]")]
    pub roles: Vec<PartyRole>,
    pub customer_type: Option<CustomerType>,
    pub contact_mechanisms: Option<Vec<ContactMechanismInput>>,
}

/// Changes to an organisation.
#[derive(InputObject)]
pub struct UpdateOrganizationInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub code: Option<String>,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub owner_id: Option<ID>,
    pub roles: Option<Vec<PartyRole>>,
    pub customer_type: Option<CustomerType>,
}

/// Adds a contact mechanism to a party.
#[derive(InputObject)]
pub struct AddContactMechanismInput {
    pub party_id: ID,
    pub mechanism: ContactMechanismInput,
}

/// Removes a contact mechanism.
#[derive(InputObject)]
pub struct RemoveContactMechanismInput {
    pub id: ID,
}

/// Links two parties ("from" is, e.g., the person CONTACT_OF the "to" organisation).
#[derive(InputObject)]
pub struct AddRelationshipInput {
    pub from_id: ID,
    pub to_id: ID,
    pub kind: RelationshipKind,
    pub role_label: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_from: Option<String>,
}

/// Ends a relationship (default: today).
#[derive(InputObject)]
pub struct EndRelationshipInput {
    pub id: ID,
    pub valid_to: Option<String>,
}

/// A party after a mutation.
#[derive(SimpleObject)]
pub struct PartyPayload {
    pub party: Party,
}

/// The party whose contact details changed.
#[derive(SimpleObject)]
pub struct ContactMechanismPayload {
    pub party: Party,
}

/// A relationship after a mutation.
#[derive(SimpleObject)]
pub struct RelationshipPayload {
    pub relationship: PartyRelationship,
}

async fn reload(ctx: &Context<'_>, id: Uuid) -> AppResult<Party> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    service::get(&state.db, req, id)
        .await?
        .map(Party::from_model)
        .ok_or_else(|| AppError::NotFound("no such party".into()))
}

/// Customer-master mutations.
#[derive(Default)]
pub struct PartyMutation;

#[Object]
impl PartyMutation {
    /// Creates a person (CONTACT by default), with contact mechanisms.
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        input: CreatePersonInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = PartyChanges {
            kind: Some(PartyKind::Person),
            fore_name: Some(input.fore_name),
            middle_initial: input.middle_initial,
            surname: Some(input.surname),
            code: input.code,
            area: input.area,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            roles: Some(input.roles),
            customer_type: input.customer_type,
            payment_preference: input.payment_preference,
            mechanisms: input
                .contact_mechanisms
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            ..Default::default()
        };
        let m = service::create(state, req, changes).await?;
        Ok(PartyPayload {
            party: Party::from_model(m),
        })
    }

    /// Updates a person at the version you read.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        input: UpdatePersonInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "Person", "id")?;
        let changes = PartyChanges {
            fore_name: input.fore_name,
            middle_initial: input.middle_initial,
            surname: input.surname,
            code: input.code,
            area: input.area,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            roles: input.roles,
            customer_type: input.customer_type,
            payment_preference: input.payment_preference,
            ..Default::default()
        };
        let m = service::update(state, req, id, input.version, PartyKind::Person, changes).await?;
        Ok(PartyPayload {
            party: Party::from_model(m),
        })
    }

    /// Creates an organisation (ACCOUNT by default), with contact mechanisms.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = PartyChanges {
            kind: Some(PartyKind::Organization),
            name: Some(input.name),
            code: input.code,
            area: input.area,
            industry: input.industry,
            website: input.website,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            roles: Some(input.roles),
            customer_type: input.customer_type,
            mechanisms: input
                .contact_mechanisms
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            ..Default::default()
        };
        let m = service::create(state, req, changes).await?;
        Ok(PartyPayload {
            party: Party::from_model(m),
        })
    }

    /// Updates an organisation at the version you read (an `Organization` or `Account` id).
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrganizationInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        let changes = PartyChanges {
            name: input.name,
            code: input.code,
            area: input.area,
            industry: input.industry,
            website: input.website,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            roles: input.roles,
            customer_type: input.customer_type,
            ..Default::default()
        };
        let m = service::update(
            state,
            req,
            id,
            input.version,
            PartyKind::Organization,
            changes,
        )
        .await?;
        Ok(PartyPayload {
            party: Party::from_model(m),
        })
    }

    /// Adds an e-mail, phone, address or web address to a party.
    async fn add_contact_mechanism(
        &self,
        ctx: &Context<'_>,
        input: AddContactMechanismInput,
    ) -> AppResult<ContactMechanismPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.party_id, "partyId")?;
        let party = mechanisms::add(state, req, id, input.mechanism.into()).await?;
        Ok(ContactMechanismPayload {
            party: reload(ctx, party).await?,
        })
    }

    /// Removes a contact mechanism.
    async fn remove_contact_mechanism(
        &self,
        ctx: &Context<'_>,
        input: RemoveContactMechanismInput,
    ) -> AppResult<ContactMechanismPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "ContactMechanism", "id")?;
        let party = mechanisms::remove(state, req, id).await?;
        Ok(ContactMechanismPayload {
            party: reload(ctx, party).await?,
        })
    }

    /// Links two parties.
    async fn add_relationship(
        &self,
        ctx: &Context<'_>,
        input: AddRelationshipInput,
    ) -> AppResult<RelationshipPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let from = party_id(&input.from_id, "fromId")?;
        let to = party_id(&input.to_id, "toId")?;
        let row = relationships::add(
            state,
            req,
            relationships::NewRelationship {
                from,
                to,
                kind: input.kind,
                role_label: input.role_label,
                valid_from: input.valid_from,
            },
        )
        .await?;
        Ok(RelationshipPayload {
            relationship: PartyRelationship { row, viewer: from },
        })
    }

    /// Ends a relationship.
    async fn end_relationship(
        &self,
        ctx: &Context<'_>,
        input: EndRelationshipInput,
    ) -> AppResult<RelationshipPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "PartyRelationship", "id")?;
        let row = relationships::end(state, req, id, input.valid_to).await?;
        let viewer = row.from_party_id;
        Ok(RelationshipPayload {
            relationship: PartyRelationship { row, viewer },
        })
    }
}
