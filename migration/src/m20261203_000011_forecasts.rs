//! Forecasts: a parent team (the hierarchy forecasts roll up along), a forecast category per stage
//! and an owner's override per opportunity, the fiscal-year setting, versioned quotas, and forecast
//! submissions and adjustments kept as snapshots; grants on `forecast` and `quota`.
use sea_orm_migration::prelude::*;

use crate::access::{grant, Role};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    ParentId,
}

#[derive(DeriveIden)]
enum PipelineStages {
    Table,
    ForecastCategory,
    Probability,
    Outcome,
}

#[derive(DeriveIden)]
enum Opportunities {
    Table,
    ForecastCategory,
    OwnerId,
    CloseDate,
    Status,
    Currency,
    StageId,
    Probability,
    AmountMinor,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum ForecastSettings {
    Table,
    Id,
    FiscalYearStartMonth,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Quotas {
    Table,
    Id,
    SubjectKind,
    SubjectId,
    PeriodKind,
    PeriodStart,
    Currency,
    AmountMinor,
    Version,
    Note,
    SetBy,
    SetAt,
}

#[derive(DeriveIden)]
enum ForecastSubmissions {
    Table,
    Id,
    Kind,
    SubjectKind,
    SubjectId,
    PeriodKind,
    PeriodStart,
    Currency,
    CommitMinor,
    BestCaseMinor,
    ClosedWonMinor,
    SnapshotCommitMinor,
    SnapshotBestCaseMinor,
    SnapshotPipelineMinor,
    SnapshotWeightedMinor,
    QuotaMinor,
    Note,
    SubmittedBy,
    SubmittedAt,
}

/// `(role, object, action, scope)`: who reads, submits and adjusts forecasts, who sets quotas, and
/// the roles that read every forecast reading the teams they are about.
const GRANTS: &[crate::access::ObjectGrant] = &[
    (Role::Admin, "forecast", "read", "all"),
    (Role::Admin, "forecast", "create", "all"),
    (Role::Admin, "forecast", "update", "all"),
    (Role::Admin, "quota", "read", "all"),
    (Role::Admin, "quota", "create", "all"),
    (Role::Admin, "quota", "update", "all"),
    (Role::SalesManager, "forecast", "read", "all"),
    (Role::SalesManager, "forecast", "create", "own"),
    (Role::SalesManager, "forecast", "update", "team"),
    (Role::SalesManager, "quota", "read", "all"),
    (Role::SalesManager, "quota", "create", "team"),
    (Role::SalesManager, "quota", "update", "team"),
    (Role::SalesRep, "forecast", "read", "team"),
    (Role::SalesRep, "forecast", "create", "own"),
    (Role::SalesRep, "quota", "read", "own"),
    (Role::Marketing, "forecast", "read", "all"),
    (Role::Marketing, "team", "read", "all"),
    (Role::ReadOnly, "forecast", "read", "all"),
    (Role::ReadOnly, "quota", "read", "all"),
    (Role::ReadOnly, "team", "read", "all"),
];

fn period_cols(t: &mut TableCreateStatement, kind: impl IntoIden, start: impl IntoIden) {
    t.col(ColumnDef::new(kind).string_len(8).not_null())
        .col(ColumnDef::new(start).date().not_null());
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Teams::Table)
                .add_column(ColumnDef::new(Teams::ParentId).uuid().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_teams_parent")
                .table(Teams::Table)
                .col(Teams::ParentId)
                .col(Teams::Id)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(PipelineStages::Table)
                .add_column(
                    ColumnDef::new(PipelineStages::ForecastCategory)
                        .string_len(16)
                        .not_null()
                        .default("PIPELINE"),
                )
                .to_owned(),
        )
        .await?;
        // The default category of a stage: by outcome, else by probability.
        m.exec_stmt(
            Query::update()
                .table(PipelineStages::Table)
                .value(
                    PipelineStages::ForecastCategory,
                    Expr::case(Expr::col(PipelineStages::Outcome).eq("WON"), "CLOSED")
                        .case(Expr::col(PipelineStages::Outcome).eq("LOST"), "OMITTED")
                        .case(Expr::col(PipelineStages::Probability).gte(80), "COMMIT")
                        .case(Expr::col(PipelineStages::Probability).gte(40), "BEST_CASE")
                        .finally("PIPELINE"),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Opportunities::Table)
                .add_column(
                    ColumnDef::new(Opportunities::ForecastCategory)
                        .string_len(16)
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // Covers the forecast's aggregate per owner and close date without touching the table.
        m.create_index(
            Index::create()
                .name("idx_opportunities_forecast")
                .table(Opportunities::Table)
                .col(Opportunities::OwnerId)
                .col(Opportunities::CloseDate)
                .col(Opportunities::Status)
                .col(Opportunities::Currency)
                .col(Opportunities::StageId)
                .col(Opportunities::Probability)
                .col(Opportunities::AmountMinor)
                .col(Opportunities::ForecastCategory)
                .col(Opportunities::ArchivedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ForecastSettings::Table)
                .col(
                    ColumnDef::new(ForecastSettings::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ForecastSettings::FiscalYearStartMonth)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ForecastSettings::UpdatedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(ForecastSettings::Table)
                .columns([ForecastSettings::Id, ForecastSettings::FiscalYearStartMonth])
                .values_panic([1.into(), 1.into()])
                .to_owned(),
        )
        .await?;

        let mut quotas = Table::create();
        quotas
            .table(Quotas::Table)
            .col(ColumnDef::new(Quotas::Id).uuid().not_null().primary_key())
            .col(ColumnDef::new(Quotas::SubjectKind).string_len(8).not_null())
            .col(ColumnDef::new(Quotas::SubjectId).uuid().not_null());
        period_cols(&mut quotas, Quotas::PeriodKind, Quotas::PeriodStart);
        quotas
            .col(ColumnDef::new(Quotas::Currency).string_len(3).not_null())
            .col(ColumnDef::new(Quotas::AmountMinor).big_integer().not_null())
            .col(ColumnDef::new(Quotas::Version).integer().not_null())
            .col(ColumnDef::new(Quotas::Note).string_len(1000).null())
            .col(ColumnDef::new(Quotas::SetBy).uuid().null())
            .col(
                ColumnDef::new(Quotas::SetAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            );
        m.create_table(quotas.to_owned()).await?;
        m.create_index(
            Index::create()
                .name("idx_quotas_version")
                .table(Quotas::Table)
                .col(Quotas::SubjectKind)
                .col(Quotas::SubjectId)
                .col(Quotas::PeriodKind)
                .col(Quotas::PeriodStart)
                .col(Quotas::Currency)
                .col(Quotas::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        let mut subs = Table::create();
        subs.table(ForecastSubmissions::Table)
            .col(
                ColumnDef::new(ForecastSubmissions::Id)
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(ForecastSubmissions::Kind)
                    .string_len(12)
                    .not_null(),
            )
            .col(
                ColumnDef::new(ForecastSubmissions::SubjectKind)
                    .string_len(8)
                    .not_null(),
            )
            .col(
                ColumnDef::new(ForecastSubmissions::SubjectId)
                    .uuid()
                    .not_null(),
            );
        period_cols(
            &mut subs,
            ForecastSubmissions::PeriodKind,
            ForecastSubmissions::PeriodStart,
        );
        subs.col(
            ColumnDef::new(ForecastSubmissions::Currency)
                .string_len(3)
                .not_null(),
        );
        for c in [
            ForecastSubmissions::CommitMinor,
            ForecastSubmissions::BestCaseMinor,
            ForecastSubmissions::ClosedWonMinor,
            ForecastSubmissions::SnapshotCommitMinor,
            ForecastSubmissions::SnapshotBestCaseMinor,
            ForecastSubmissions::SnapshotPipelineMinor,
            ForecastSubmissions::SnapshotWeightedMinor,
        ] {
            subs.col(ColumnDef::new(c).big_integer().not_null());
        }
        subs.col(
            ColumnDef::new(ForecastSubmissions::QuotaMinor)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(ForecastSubmissions::Note)
                .string_len(2000)
                .null(),
        )
        .col(
            ColumnDef::new(ForecastSubmissions::SubmittedBy)
                .uuid()
                .not_null(),
        )
        .col(
            ColumnDef::new(ForecastSubmissions::SubmittedAt)
                .timestamp_with_time_zone()
                .not_null(),
        );
        m.create_table(subs.to_owned()).await?;
        m.create_index(
            Index::create()
                .name("idx_forecast_submissions_subject")
                .table(ForecastSubmissions::Table)
                .col(ForecastSubmissions::SubjectKind)
                .col(ForecastSubmissions::SubjectId)
                .col(ForecastSubmissions::PeriodKind)
                .col(ForecastSubmissions::PeriodStart)
                .col(ForecastSubmissions::SubmittedAt)
                .to_owned(),
        )
        .await?;
        grant(m, GRANTS).await
    }
}
