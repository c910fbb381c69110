//! A customer's enquiry: what they asked for and on which terms, until it is quoted.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enquiries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub enquiry_date: Date,
    /// `PHONE`, `FAX`, `TENDER`, `LETTER`, `EMAIL` or `WEB`.
    pub channel: String,
    pub customer_id: Uuid,
    /// The customer's address as given with the enquiry (several lines).
    pub address: Option<String>,
    pub owner_id: Uuid,
    /// `OPEN`, `QUOTED` or `CLOSED`.
    pub status: String,
    pub currency: String,
    pub delivery_period: Option<String>,
    pub payment_terms: Option<String>,
    /// Days within which the customer wants the quotation.
    pub quotation_lead_days: Option<i32>,
    pub delivery_point: Option<String>,
    pub remarks: Option<String>,
    /// The quote made from it.
    pub quote_id: Option<Uuid>,
    pub net_minor: i64,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
