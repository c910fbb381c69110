//! A stage of a pipeline, with its default probability and outcome (`OPEN`, `WON`, `LOST`).
//! Stages in use are retired, never deleted.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pipeline_stages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub pipeline_id: Uuid,
    pub name: String,
    pub position: i32,
    pub probability: i32,
    pub outcome: String,
    /// The forecast category of open opportunities in the stage (`PIPELINE`, `BEST_CASE`, `COMMIT`).
    pub forecast_category: String,
    pub retired_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
