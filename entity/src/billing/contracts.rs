//! A contract with a customer: terms, period, value, renewal, and its four-eyes review.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub customer_id: Uuid,
    pub owner_id: Uuid,
    pub title: String,
    pub terms: Option<String>,
    pub start_date: Date,
    pub end_date: Date,
    pub currency: String,
    pub value_minor: i64,
    /// `NONE`, `AUTOMATIC` (renews unless notice is given) or `NOTICE` (renews only on notice).
    pub renewal: String,
    /// Days before the end by which notice is due.
    pub notice_days: i32,
    /// `DRAFT`, `IN_REVIEW`, `APPROVED` or `REJECTED`.
    pub status: String,
    /// Who sent it for review (the author of what is reviewed).
    pub submitted_by: Option<Uuid>,
    pub submitted_at: Option<DateTimeUtc>,
    pub reviewer_id: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub review_notes: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
