//! A durable job: background work written in the same transaction as the change that calls for
//! it, run by the server's worker when due, retried with back-off until done.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    /// JSON.
    pub payload: String,
    pub run_at: DateTimeUtc,
    pub attempts: i32,
    /// A worker holds it until then.
    pub locked_until: Option<DateTimeUtc>,
    pub done_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
