//! One change of an opportunity's stage, amount, probability or close date: who, when, from, to.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunity_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub opportunity_id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    /// `STAGE`, `AMOUNT`, `PROBABILITY` or `CLOSE_DATE`.
    pub field: String,
    /// For `STAGE` the stage ids; for `AMOUNT` "123.45 EUR"; for `CLOSE_DATE` ISO dates.
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
