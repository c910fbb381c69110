//! Field grants of a role for sensitive fields: a sensitive field is unreadable and unwritable
//! unless a row here says otherwise.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_field_grants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub role_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub object: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub field: String,
    pub can_read: bool,
    pub can_write: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
