//! One line of the lead conversion mapping: a target record's field and the lead field it takes.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lead_conversion_mappings")]
pub struct Model {
    /// `ACCOUNT`, `CONTACT` or `OPPORTUNITY`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub target: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_field: String,
    pub source_field: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
