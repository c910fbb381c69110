//! An opportunity: a possible sale to an account, moving through the stages of a pipeline.
//!
//! `position` is a fractional order key within its stage column (compared as bytes); money is in
//! minor units beside its currency.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub account_id: Uuid,
    pub owner_id: Uuid,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub position: String,
    pub probability: i32,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub close_date: Option<Date>,
    pub next_step: Option<String>,
    pub next_step_date: Option<Date>,
    pub lead_id: Option<Uuid>,
    pub lead_source: Option<String>,
    pub campaign_id: Option<Uuid>,
    /// `OPEN`, `WON` or `LOST`.
    pub status: String,
    pub lost_reason: Option<String>,
    /// The owner's forecast category, overriding the stage's while the opportunity is open.
    pub forecast_category: Option<String>,
    /// What the deal is about, several lines.
    pub description: Option<String>,
    /// A key of the `opportunity_type` pick-list (`new_business`, `renewal`, …).
    pub opportunity_type: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
