//! One version of a quota: a user's or a team's target for a period in one currency. A change adds
//! a version; the highest version is the quota.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quotas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `USER` or `TEAM`.
    pub subject_kind: String,
    pub subject_id: Uuid,
    /// `MONTH`, `QUARTER` or `YEAR`.
    pub period_kind: String,
    pub period_start: Date,
    pub currency: String,
    pub amount_minor: i64,
    pub version: i32,
    pub note: Option<String>,
    pub set_by: Option<Uuid>,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
