//! Who sees which accounts: row scope on the owner, and the sensitive fields.

use entity::parties::{parties, party_roles};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};

use crate::kit::aggregate::Aggregate;
use crate::policy::Field;

/// The `account` object of grants: organisations holding the `ACCOUNT` role.
pub struct AccountObject;

impl Aggregate for AccountObject {
    type Entity = parties::Entity;
    type Owner = parties::Column;
    const OBJECT: &'static str = "account";
    const SENSITIVE: &'static [Field] = &[ANNUAL_REVENUE];
    fn owner_column() -> parties::Column {
        parties::Column::OwnerId
    }
    fn rows() -> Select<parties::Entity> {
        let holders = Query::select()
            .column(party_roles::Column::PartyId)
            .from(party_roles::Entity)
            .and_where(Expr::col(party_roles::Column::Role).eq(ROLE))
            .to_owned();
        parties::Entity::find()
            .filter(parties::Column::Kind.eq(KIND))
            .filter(parties::Column::Id.in_subquery(holders))
    }
}

/// The party role that makes an organisation an account.
pub const ROLE: &str = "ACCOUNT";
/// The party kind of accounts.
pub const KIND: &str = "ORGANIZATION";

/// The guarded annual revenue.
pub const ANNUAL_REVENUE: Field = Field::new(AccountObject::OBJECT, "annualRevenue");
