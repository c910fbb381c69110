//! A sales team with an optional manager.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teams")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub name: String,
    pub manager_id: Option<Uuid>,
    /// The team above this one (forecasts and team reach roll up along it).
    pub parent_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// When the team was archived: it no longer counts for anyone's reach.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
