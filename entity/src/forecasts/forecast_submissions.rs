//! A forecast call (an owner's submission or a manager's adjustment) with a snapshot of the figures
//! at that moment, in one currency.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forecast_submissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `SUBMISSION` or `ADJUSTMENT`.
    pub kind: String,
    /// `USER` or `TEAM`.
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub period_kind: String,
    pub period_start: Date,
    pub currency: String,
    /// The call.
    pub commit_minor: i64,
    pub best_case_minor: i64,
    /// The figures when the call was made.
    pub closed_won_minor: i64,
    pub snapshot_commit_minor: i64,
    pub snapshot_best_case_minor: i64,
    pub snapshot_pipeline_minor: i64,
    pub snapshot_weighted_minor: i64,
    pub quota_minor: Option<i64>,
    pub note: Option<String>,
    pub submitted_by: Uuid,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
