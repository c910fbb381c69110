//! One line of an enquiry: a product (or free text) with the customer's own specification.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enquiry_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub enquiry_id: Uuid,
    pub position: i32,
    pub product_id: Option<Uuid>,
    pub code: Option<String>,
    pub name: String,
    pub specification: Option<String>,
    pub unit: String,
    pub quantity_milli: i64,
    pub unit_price_minor: i64,
    pub discount_bp: i32,
    pub tax_category: String,
    pub net_minor: i64,
    pub total_minor: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
