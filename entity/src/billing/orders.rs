//! A sales order (from an accepted quote or entered directly) or a dealer's purchase order for its
//! end customer; its lines carry what was delivered and invoiced.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    /// `SALES` or `DEALER`.
    pub kind: String,
    /// The customer the goods are for (a dealer's end customer on a dealer order).
    pub customer_id: Uuid,
    /// The ordering dealer (an organisation) of a dealer order.
    pub dealer_id: Option<Uuid>,
    /// The dealer's own order reference.
    pub dealer_reference: Option<String>,
    pub quote_id: Option<Uuid>,
    pub owner_id: Uuid,
    /// `RECEIVED`, `CONFIRMED`, `SHIPPED`, `DELIVERED` or `CANCELLED`.
    pub status: String,
    pub currency: String,
    pub order_date: Date,
    /// The header discount its lines were priced under (basis points).
    pub discount_bp: i32,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
