//! A line of a quote revision, with its figures as rounded when it was priced.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quote_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub revision_id: Uuid,
    pub position: i32,
    pub product_id: Option<Uuid>,
    pub code: Option<String>,
    pub name: String,
    pub specification: Option<String>,
    pub unit: String,
    /// Thousandths of a unit.
    pub quantity_milli: i64,
    pub unit_price_minor: i64,
    pub discount_bp: i32,
    pub tax_category: String,
    pub tax_rate_bp: i32,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// The product's cost of the whole line when it was priced (same currency), for the margin.
    pub cost_minor: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
