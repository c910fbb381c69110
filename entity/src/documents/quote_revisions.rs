//! One revision of a quote: currency, validity, header discount, texts and the totals of its lines
//! (always the sums of the rounded lines).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quote_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub quote_id: Uuid,
    pub revision: i32,
    pub currency: String,
    pub valid_until: Date,
    /// The header discount in basis points (1250 = 12.5 %), applied to every line.
    pub discount_bp: i32,
    pub notes: Option<String>,
    pub terms: Option<String>,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
