//! An invoice or a credit note. A draft has no number; issuing gives it the next number of its
//! series and year in the issuing transaction, and from then on nothing of it changes but what
//! payments and credit notes settle (`paid_minor`, `credited_minor`, `open_minor`, dunning).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `INVOICE` or `CREDIT_NOTE`.
    pub kind: String,
    /// `INV` or `CN`: numbers run per series and year.
    pub series: String,
    pub year: Option<i32>,
    pub sequence: Option<i32>,
    /// `INV-2026-000042` once issued.
    pub number: Option<String>,
    /// `DRAFT` or `ISSUED`.
    pub status: String,
    pub customer_id: Uuid,
    pub order_id: Option<Uuid>,
    /// The invoice a credit note corrects.
    pub credited_invoice_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub currency: String,
    pub discount_bp: i32,
    pub issue_date: Option<Date>,
    pub due_date: Option<Date>,
    /// Days from issue to due.
    pub payment_days: i32,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub paid_minor: i64,
    pub credited_minor: i64,
    /// What the customer still owes on it: total less paid and credited (0 on a credit note).
    pub open_minor: i64,
    /// How many overdue reminders were raised.
    pub dunning_level: i32,
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
