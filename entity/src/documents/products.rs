//! A product or service that quotes and orders sell. Its cost is guarded by a field grant.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// Code and name in lower case, for search.
    pub search_name: String,
    pub description: Option<String>,
    /// Unit of measure (`each`, `hour`, `kg`, …).
    pub unit: String,
    pub tax_category: String,
    pub active: bool,
    /// Cost per unit in minor units of `cost_currency`.
    pub cost_minor: Option<i64>,
    pub cost_currency: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
