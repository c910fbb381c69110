//! A party: a person or an organisation. Accounts are organisations holding the ACCOUNT role.
//!
//! Money is stored in minor units (`annual_revenue_minor`, the currency's minor units: ISO 4217) beside its currency code.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `ORGANIZATION` or `PERSON`.
    pub kind: String,
    #[sea_orm(unique)]
    pub code: String,
    pub group_name: Option<String>,
    pub fore_name: Option<String>,
    pub middle_initial: Option<String>,
    pub surname: Option<String>,
    /// Lower-cased display name, used for sorting and search.
    pub sort_name: String,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub annual_revenue_minor: Option<i64>,
    pub annual_revenue_currency: Option<String>,
    pub owner_id: Option<Uuid>,
    /// `B2B` or `B2C` for parties with the CUSTOMER role.
    pub customer_type: Option<String>,
    /// `CARD`, `CASH_ON_DELIVERY`, `INSTALMENTS` or `INVOICE` (B2C customers).
    pub payment_preference: Option<String>,
    /// The ISO 4217 currency the party prefers to be quoted and invoiced in.
    pub preferred_currency: Option<String>,
    /// `ACTIVE`, `DELETION_REQUESTED`, `ARCHIVED`, `MERGED` or `ERASED`.
    pub status: String,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub deletion_requested_at: Option<DateTimeUtc>,
    pub deletion_requested_by: Option<Uuid>,
    pub deletion_reason: Option<String>,
    /// The party this one was merged into.
    pub merged_into: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
