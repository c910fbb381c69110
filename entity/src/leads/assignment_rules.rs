//! How new leads find an owner: round robin within a team, or by area (JSON `[{area, userId}]`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignment_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// `ROUND_ROBIN` or `BY_AREA`.
    pub kind: String,
    pub team_id: Option<Uuid>,
    pub areas: String,
    pub fallback_owner_id: Option<Uuid>,
    /// How many leads round robin has handed out (the next turn).
    pub turn: i64,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
