//! GraphQL types of the customer master: the `Party` interface, `Person`, `Organization`,
//! contact mechanisms, relationships and timeline entries.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Interface, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::change_log;
use entity::parties::{
    contact_mechanisms as cm, parties, party_external_ids, party_relationships as rel,
    party_tax_ids,
};

use super::kinds::{
    ContactMechanismKind, ContactPurpose, CustomerType, PartyKind, PartyRole, PartyStatus,
    PaymentPreference, RelationshipKind, TaxIdKind,
};
use super::loaders::{
    ExternalIdsLoader, MechanismsLoader, PartyLoader, PartyRolesLoader, TaxIdsLoader,
};
use super::policy::{CONTACT_FIELD, TAX_FIELD};
use super::{mechanisms, relationships, service, timeline};
use crate::auth::RequestCtx;
use crate::domain::picklists::graphql::PicklistValue;
use crate::domain::picklists::{self, PicklistKey};
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::error::{AppError, AppResult};
use crate::kit::ids::to_global_id;
use crate::kit::paging::Page;
use crate::kit::paging::{prime, Loaded, TotalCount};

mod b2c;
mod details;

pub use b2c::*;
pub use details::*;

pub(super) fn load_err(e: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("loading: {e}"))
}

/// A party as the API shows it: a person or an organisation.
// The derive's field list repeats `ty = …` and `arg(…)` by design.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface)]
#[graphql(
    field(name = "id", ty = "ID"),
    field(name = "code", ty = "String"),
    field(name = "kind", ty = "PartyKind"),
    field(name = "display_name", ty = "String"),
    field(name = "area", ty = "Option<String>"),
    field(name = "owner", ty = "Option<User>"),
    field(name = "roles", ty = "Vec<PartyRole>"),
    field(name = "party_roles", ty = "Vec<PicklistValue>"),
    field(name = "customer_type", ty = "Option<CustomerType>"),
    field(name = "payment_preference", ty = "Option<PaymentPreference>"),
    field(name = "preferred_currency", ty = "Option<String>"),
    field(name = "archived", ty = "bool"),
    field(name = "status", ty = "PartyStatus"),
    field(name = "deletion_reason", ty = "Option<String>"),
    field(name = "version", ty = "i32"),
    field(name = "created_at", ty = "DateTime<Utc>"),
    field(name = "updated_at", ty = "DateTime<Utc>"),
    field(name = "contact_mechanisms", ty = "Option<Vec<ContactMechanism>>"),
    field(name = "email", ty = "Option<String>"),
    field(name = "phone", ty = "Option<String>"),
    field(name = "tax_ids", ty = "Option<Vec<TaxId>>"),
    field(name = "external_ids", ty = "Vec<ExternalId>"),
    field(name = "b2c", method = "b2c", ty = "Option<B2cProfile>"),
    field(
        name = "relationships",
        ty = "Connection<String, PartyRelationship, TotalCount>",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>")
    ),
    field(
        name = "timeline",
        ty = "Connection<String, TimelineEntry, TotalCount>",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>")
    )
)]
pub enum Party {
    Person(Person),
    Organization(Organization),
}

impl Party {
    /// The API view of a row.
    pub fn from_model(m: parties::Model) -> Self {
        if m.kind == PartyKind::Person.as_str() {
            Party::Person(Person(m))
        } else {
            Party::Organization(Organization(m))
        }
    }
}

/// A person.
#[derive(Clone)]
pub struct Person(pub parties::Model);

/// An organisation.
#[derive(Clone)]
pub struct Organization(pub parties::Model);

/// Resolvers shared by `Person` and `Organization`.
mod common {
    use super::*;

    pub fn global_id(m: &parties::Model) -> ID {
        let ty = if m.kind == PartyKind::Person.as_str() {
            "Person"
        } else {
            "Organization"
        };
        to_global_id(ty, m.id)
    }

    pub async fn owner(ctx: &Context<'_>, m: &parties::Model) -> AppResult<Option<User>> {
        let Some(owner) = m.owner_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loaded<UserLoader>>()?;
        Ok(loader.load_one(owner).await.map_err(load_err)?.map(User))
    }

    /// The roles a party holds, as stored.
    async fn stored_roles(ctx: &Context<'_>, m: &parties::Model) -> AppResult<Vec<String>> {
        let loader = ctx.data::<Loaded<PartyRolesLoader>>()?;
        Ok(loader
            .load_one(m.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default())
    }

    pub async fn roles(ctx: &Context<'_>, m: &parties::Model) -> AppResult<Vec<PartyRole>> {
        Ok(service::known_roles(&stored_roles(ctx, m).await?))
    }

    pub async fn party_roles(
        ctx: &Context<'_>,
        m: &parties::Model,
    ) -> AppResult<Vec<PicklistValue>> {
        let mut out = Vec::new();
        for stored in stored_roles(ctx, m).await? {
            let key = service::role_key(&stored);
            out.push(
                picklists::graphql::choice(ctx, PicklistKey::PartyRole, Some(&key))
                    .await?
                    .unwrap_or_else(|| PicklistValue::unlisted(PicklistKey::PartyRole, &key)),
            );
        }
        // In the pick-list's order.
        out.sort_by_key(|v| (v.0.position, v.0.key.clone()));
        Ok(out)
    }

    /// Whether the caller may read contact data; a refusal is recorded as a `FORBIDDEN` error on
    /// the current field's path (which then resolves to `null`).
    pub fn contacts_allowed(ctx: &Context<'_>) -> AppResult<bool> {
        field_allowed(ctx, CONTACT_FIELD)
    }

    /// Whether the caller may read a sensitive `field` of parties; a refusal is recorded as a
    /// `FORBIDDEN` error on the current field's path (which then resolves to `null`).
    pub fn field_allowed(ctx: &Context<'_>, field: crate::policy::Field) -> AppResult<bool> {
        match crate::policy::require_field_read(crate::kit::resolve::caller(ctx)?, field) {
            Ok(()) => Ok(true),
            Err(e) => {
                let err: async_graphql::Error = e.into();
                ctx.add_error(ctx.set_error_path(err.into_server_error(ctx.item.pos)));
                Ok(false)
            }
        }
    }

    /// The party's contact details, or `None` (with a `FORBIDDEN` error on the current field's
    /// path) for a caller without the contact-data grant. Checked here rather than by a
    /// `#[graphql(guard)]`: a field selected on the `Party` interface reaches its resolver without
    /// the object's guard; the rest of the record still resolves.
    async fn guarded_mechanisms(
        ctx: &Context<'_>,
        m: &parties::Model,
    ) -> AppResult<Option<Vec<cm::Model>>> {
        if !contacts_allowed(ctx)? {
            return Ok(None);
        }
        let loader = ctx.data::<Loaded<MechanismsLoader>>()?;
        Ok(Some(
            loader
                .load_one(m.id)
                .await
                .map_err(load_err)?
                .unwrap_or_default(),
        ))
    }

    /// The primary contact detail of `kind`, under the contact-data guard.
    pub async fn primary(
        ctx: &Context<'_>,
        m: &parties::Model,
        kind: ContactMechanismKind,
    ) -> AppResult<Option<String>> {
        Ok(guarded_mechanisms(ctx, m).await?.and_then(|rows| {
            crate::domain::parties::mechanisms::pick_primary(&rows, kind).map(|c| c.value.clone())
        }))
    }

    /// The party's tax ids, or `None` (with a `FORBIDDEN` error) without the `party.taxIds` grant.
    pub async fn tax_ids(ctx: &Context<'_>, m: &parties::Model) -> AppResult<Option<Vec<TaxId>>> {
        if !field_allowed(ctx, TAX_FIELD)? {
            return Ok(None);
        }
        let loader = ctx.data::<Loaded<TaxIdsLoader>>()?;
        Ok(Some(
            loader
                .load_one(m.id)
                .await
                .map_err(load_err)?
                .unwrap_or_default()
                .into_iter()
                .map(TaxId)
                .collect(),
        ))
    }

    pub async fn external_ids(ctx: &Context<'_>, m: &parties::Model) -> AppResult<Vec<ExternalId>> {
        let loader = ctx.data::<Loaded<ExternalIdsLoader>>()?;
        Ok(loader
            .load_one(m.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(ExternalId)
            .collect())
    }

    pub async fn contact_mechanisms(
        ctx: &Context<'_>,
        m: &parties::Model,
    ) -> AppResult<Option<Vec<ContactMechanism>>> {
        Ok(guarded_mechanisms(ctx, m)
            .await?
            .map(|rows| rows.into_iter().map(ContactMechanism).collect()))
    }

    pub async fn relationships(
        ctx: &Context<'_>,
        m: &parties::Model,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, PartyRelationship, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let (rows, more, total) = relationships::of_party(&state.db, req, m.id, &page).await?;
        let other = ctx.look_ahead().field("edges").field("node").field("other");
        let others: Vec<uuid::Uuid> = rows
            .iter()
            .map(|r| {
                if r.from_party_id == m.id {
                    r.to_party_id
                } else {
                    r.from_party_id
                }
            })
            .collect();
        prime::<PartyLoader>(ctx, other.exists(), others.iter().copied()).await?;
        let roles = other.field("roles").exists() || other.field("partyRoles").exists();
        prime::<PartyRolesLoader>(ctx, roles, others.iter().copied()).await?;
        let mut conn = Connection::with_additional_fields(
            page.after.is_some(),
            more,
            TotalCount::known(total),
        );
        conn.edges.extend(rows.into_iter().map(|r| {
            Edge::new(
                relationships::cursor(&r),
                PartyRelationship {
                    row: r,
                    viewer: m.id,
                },
            )
        }));
        Ok(conn)
    }

    pub async fn timeline(
        ctx: &Context<'_>,
        m: &parties::Model,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, TimelineEntry, TotalCount>> {
        let state = crate::kit::resolve::state(ctx)?;
        let page = Page::new(first, after)?;
        let (rows, more, total) = timeline::page(&state.db, m.id, &page).await?;
        let actor = ctx.look_ahead().field("edges").field("node").field("actor");
        prime::<UserLoader>(ctx, actor.exists(), rows.iter().filter_map(|e| e.actor_id)).await?;
        let mut conn = Connection::with_additional_fields(
            page.after.is_some(),
            more,
            TotalCount::known(total),
        );
        conn.edges.extend(
            rows.into_iter()
                .map(|e| Edge::new(timeline::cursor(&e), TimelineEntry(e))),
        );
        Ok(conn)
    }
}

macro_rules! party_object {
    ($ty:ident, $doc:literal, { $($extra:tt)* }) => {
        #[doc = $doc]
        #[Object]
        impl $ty {
            /// Global id.
            pub async fn id(&self) -> ID {
                common::global_id(&self.0)
            }
            /// Custom fields of parties you may read (`value` is `null` where unset).
            async fn custom_fields(
                &self,
                ctx: &Context<'_>,
            ) -> AppResult<Vec<crate::domain::custom_fields::graphql::CustomFieldValue>> {
                crate::domain::custom_fields::graphql::values_on(
                    ctx,
                    crate::domain::custom_fields::rules::CustomObject::Party,
                    self.0.id,
                )
                .await
            }
            /// Unique human code.
            pub async fn code(&self) -> String {
                self.0.code.clone()
            }
            pub async fn kind(&self) -> PartyKind {
                PartyKind::parse(&self.0.kind).unwrap_or(PartyKind::Organization)
            }
            /// Name as shown in lists.
            pub async fn display_name(&self) -> String {
                service::display_name(&self.0)
            }
            /// Sales area or territory.
            pub async fn area(&self) -> Option<String> {
                self.0.area.clone()
            }
            /// The responsible user.
            pub async fn owner(&self, ctx: &Context<'_>) -> Result<Option<User>, AppError> {
                common::owner(ctx, &self.0).await
            }
            /// The roles the code acts upon (account, contact, customer, …) held, several at
            /// once; `partyRoles` has every role, those administrators added too.
            pub async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<PartyRole>, AppError> {
                common::roles(ctx, &self.0).await
            }
            /// Every role held (values of the `PARTY_ROLE` pick-list, in its order).
            pub async fn party_roles(
                &self,
                ctx: &Context<'_>,
            ) -> Result<Vec<PicklistValue>, AppError> {
                common::party_roles(ctx, &self.0).await
            }
            /// B2B or B2C, for customers.
            pub async fn customer_type(&self) -> Option<CustomerType> {
                self.0.customer_type.as_deref().and_then(CustomerType::parse)
            }
            /// How a consumer prefers to pay.
            pub async fn payment_preference(&self) -> Option<PaymentPreference> {
                self.0.payment_preference.as_deref().and_then(PaymentPreference::parse)
            }
            /// The ISO 4217 currency the party prefers to be quoted and invoiced in.
            pub async fn preferred_currency(&self) -> Option<String> {
                self.0.preferred_currency.clone()
            }
            pub async fn archived(&self) -> bool {
                self.0.archived_at.is_some()
            }
            /// Lifecycle state.
            pub async fn status(&self) -> PartyStatus {
                PartyStatus::parse(&self.0.status).unwrap_or(PartyStatus::Active)
            }
            /// Why deletion was requested, while a request is pending.
            pub async fn deletion_reason(&self) -> Option<String> {
                self.0.deletion_reason.clone()
            }
            /// Optimistic-concurrency version; send it back with updates.
            pub async fn version(&self) -> i32 {
                self.0.version
            }
            pub async fn created_at(&self) -> DateTime<Utc> {
                self.0.created_at
            }
            pub async fn updated_at(&self) -> DateTime<Utc> {
                self.0.updated_at
            }
            /// E-mails, phones, addresses and web addresses. Personal data: `null` with a `FORBIDDEN`
            /// error for roles without the field grant.
            pub async fn contact_mechanisms(&self, ctx: &Context<'_>) -> Result<Option<Vec<ContactMechanism>>, AppError> {
                common::contact_mechanisms(ctx, &self.0).await
            }
            /// The primary e-mail (lists show it). Contact data, guarded like `contactMechanisms`.
            pub async fn email(&self, ctx: &Context<'_>) -> Result<Option<String>, AppError> {
                common::primary(ctx, &self.0, ContactMechanismKind::Email).await
            }
            /// The primary phone. Contact data, guarded like `contactMechanisms`.
            pub async fn phone(&self, ctx: &Context<'_>) -> Result<Option<String>, AppError> {
                common::primary(ctx, &self.0, ContactMechanismKind::Phone).await
            }
            /// Tax ids (VAT, EIN, …). `null` with a `FORBIDDEN` error for roles without the
            /// `party.taxIds` field grant.
            pub async fn tax_ids(&self, ctx: &Context<'_>) -> Result<Option<Vec<TaxId>>, AppError> {
                common::tax_ids(ctx, &self.0).await
            }
            /// The party's ids in other systems, by system.
            pub async fn external_ids(&self, ctx: &Context<'_>) -> Result<Vec<ExternalId>, AppError> {
                common::external_ids(ctx, &self.0).await
            }
            /// The consumer profile, for B2C customers (else `null`).
            #[graphql(name = "b2c")]
            pub async fn b2c(&self) -> Option<B2cProfile> {
                (self.0.customer_type.as_deref() == Some(CustomerType::B2c.as_str()))
                    .then(|| B2cProfile(self.0.clone()))
            }
            /// Links to parties you may see, newest first.
            pub async fn relationships(
                &self,
                ctx: &Context<'_>,
                first: Option<i32>,
                after: Option<String>,
            ) -> Result<Connection<String, PartyRelationship, TotalCount>, AppError> {
                common::relationships(ctx, &self.0, first, after).await
            }
            /// Everything that happened to the party, newest first.
            pub async fn timeline(
                &self,
                ctx: &Context<'_>,
                first: Option<i32>,
                after: Option<String>,
            ) -> Result<Connection<String, TimelineEntry, TotalCount>, AppError> {
                common::timeline(ctx, &self.0, first, after).await
            }
            $($extra)*
        }
    };
}

party_object!(Person, "A person.", {
    pub async fn fore_name(&self) -> String {
        self.0.fore_name.clone().unwrap_or_default()
    }
    pub async fn middle_initial(&self) -> Option<String> {
        self.0.middle_initial.clone()
    }
    pub async fn surname(&self) -> String {
        self.0.surname.clone().unwrap_or_default()
    }
});

party_object!(Organization, "An organisation.", {
    /// The organisation's name.
    pub async fn name(&self) -> String {
        self.0.group_name.clone().unwrap_or_default()
    }
    pub async fn industry(&self) -> Option<String> {
        self.0.industry.clone()
    }
    pub async fn website(&self) -> Option<String> {
        self.0.website.clone()
    }
});
