//! The change log: one row per committed mutation, written in the mutation's transaction.
//!
//! `changes` is a JSON object `{ "field": { "before": …, "after": … } }` of the changed fields.
//! The auto-increment id is the log's cursor for timelines, subscriptions and sync.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    pub object_type: String,
    pub object_id: Uuid,
    pub action: String,
    pub changes: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
