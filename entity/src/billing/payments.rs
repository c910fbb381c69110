//! A payment received from a customer; allocated to invoices in part or whole, the rest stays
//! unallocated (the customer's credit).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub customer_id: Uuid,
    pub owner_id: Uuid,
    pub currency: String,
    pub amount_minor: i64,
    pub allocated_minor: i64,
    pub received_on: Date,
    /// `BANK_TRANSFER`, `CARD`, `CASH`, `CHEQUE` or `OTHER`.
    pub method: String,
    pub reference: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
