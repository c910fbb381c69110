//! A quote: its number, customer, owner and status; its content lives in revisions, the highest
//! being `revision`. A sent revision never changes.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quotes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub customer_id: Uuid,
    pub opportunity_id: Option<Uuid>,
    pub owner_id: Uuid,
    /// `DRAFT`, `SENT`, `ACCEPTED` or `REJECTED` (a sent quote past its validity reads `EXPIRED`).
    pub status: String,
    pub revision: i32,
    pub title: String,
    /// The current revision's currency, validity and totals, kept here for lists and filters.
    pub currency: String,
    pub valid_until: Date,
    pub net_minor: i64,
    pub total_minor: i64,
    pub sent_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
