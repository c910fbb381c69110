//! Queries and mutations of the customer master: thin resolvers over the services.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::parties::parties;
use sea_orm::{ColumnTrait, Condition, PaginatorTrait, QueryFilter, Select};
use uuid::Uuid;

use super::graphql::{can_read_contacts, Party, PartyRelationship, SearchHit};
use super::kinds::{
    ContactMechanismKind, ContactPurpose, CustomerType, PartyKind, PartyRole, PaymentPreference,
    RelationshipKind, TaxIdKind,
};
use super::loaders::{ExternalIdsLoader, MechanismsLoader, PartyRolesLoader, TaxIdsLoader};
use super::mechanisms::{AddressInput, MechanismInput};
use super::policy::TAX_FIELD;
use super::service::{self, PartyChanges};
use super::sort::{SortField, SortKey};
use super::{identifiers, mechanisms, relationships, search};
use crate::domain::accounts::filter::SortDirection;
use crate::domain::custom_fields::rules::CustomObject;
use crate::domain::users::loaders::UserLoader;
use crate::error::{AppError, AppResult};
use crate::kit::filters::{check_len, icontains, StringFilter};
use crate::kit::ids::optional_user_id;
use crate::kit::ids::{expect_global_id, parse_global_id};
use crate::kit::paging::Page;
use crate::kit::paging::{prime, TotalCount};
use sea_orm::sea_query::Expr;

mod inputs;
mod mutation;
mod query;

pub use inputs::*;
pub use mutation::*;
pub use query::*;

/// Filters on parties; all given conditions must hold.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PartyFilter {
    /// Words that must each appear in the name, code or area (case-insensitive).
    pub search: Option<String>,
    pub kind: Option<PartyKind>,
    pub role: Option<PartyRole>,
    /// Holders of the role with this `PARTY_ROLE` key (`vendor`, …).
    pub role_key: Option<String>,
    pub customer_type: Option<CustomerType>,
    pub area: Option<StringFilter>,
    pub owner_id: Option<ID>,
    /// `false` (default): active only; `true`: archived only.
    pub archived: Option<bool>,
    /// Conditions on party custom fields you may read.
    pub custom: Option<Vec<crate::domain::custom_fields::filter::CustomFieldFilter>>,
}

pub(super) fn col(c: parties::Column) -> Expr {
    Expr::col((parties::Entity, c))
}

impl PartyFilter {
    fn apply(
        f: Option<&PartyFilter>,
        ctx: &crate::auth::RequestCtx,
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
            q = q.filter(parties::Column::Id.in_subquery(role_holders(r.as_str())));
        }
        if let Some(k) = &f.role_key {
            check_len("filter.roleKey", k)?;
            let stored = super::service::stored_role(k.trim());
            q = q.filter(parties::Column::Id.in_subquery(role_holders(&stored)));
        }
        if let Some(t) = f.customer_type {
            q = q.filter(parties::Column::CustomerType.eq(t.as_str()));
        }
        if let Some(custom) = &f.custom {
            q = q.filter(crate::domain::custom_fields::filter::conditions(
                custom,
                ctx,
                CustomObject::Party,
                col(parties::Column::Id),
                "filter.custom",
            )?);
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

/// The ids of the parties holding the stored role `r`.
pub(super) fn role_holders(r: &str) -> sea_orm::sea_query::SelectStatement {
    use entity::parties::party_roles;
    use sea_orm::sea_query::{ExprTrait, Query};
    Query::select()
        .column(party_roles::Column::PartyId)
        .from(party_roles::Entity)
        .and_where(Expr::col(party_roles::Column::Role).eq(r))
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
    /// The party custom field named by `customKey`.
    Custom,
}

/// How to sort parties; ties are broken by id. Parties without a value of a custom field sort
/// before those with one.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PartyOrder {
    pub field: PartyOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
    /// The key of the party custom field to sort by (with `field: CUSTOM`); you must be able to
    /// read it.
    pub custom_key: Option<String>,
}

impl PartyOrder {
    fn sort(
        &self,
        defs: &[entity::custom_fields::custom_fields::Model],
        ctx: &crate::auth::RequestCtx,
    ) -> AppResult<SortKey> {
        let custom = (
            self.field == PartyOrderField::Custom,
            self.custom_key.as_deref(),
        );
        let field =
            match super::sort::custom_field(defs, ctx, CustomObject::Party, custom, "orderBy")? {
                Some(custom) => custom,
                None => match self.field {
                    PartyOrderField::Code => SortField::Code,
                    PartyOrderField::Name => SortField::Name,
                    PartyOrderField::Area => SortField::Area,
                    PartyOrderField::CreatedAt => SortField::CreatedAt,
                    PartyOrderField::UpdatedAt | PartyOrderField::Custom => SortField::UpdatedAt,
                },
            };
        Ok(SortKey {
            field,
            desc: self.direction == SortDirection::Desc,
        })
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
