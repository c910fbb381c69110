//! Opportunities and the pipeline: pipelines with ordered stages, opportunities with their contacts
//! and field history, grants on `opportunity` and `pipeline`, and a default sales pipeline.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pipelines {
    Table,
    Id,
    Name,
    Position,
    IsDefault,
    ArchivedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PipelineStages {
    Table,
    Id,
    PipelineId,
    Name,
    Position,
    Probability,
    Outcome,
    RetiredAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Opportunities {
    Table,
    Id,
    Code,
    Name,
    AccountId,
    OwnerId,
    PipelineId,
    StageId,
    Position,
    Probability,
    AmountMinor,
    Currency,
    CloseDate,
    NextStep,
    NextStepDate,
    LeadId,
    LeadSource,
    CampaignId,
    Status,
    LostReason,
    ClosedAt,
    ArchivedAt,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum OpportunityContacts {
    Table,
    OpportunityId,
    PartyId,
    Role,
}

#[derive(DeriveIden)]
enum OpportunityHistory {
    Table,
    Id,
    OpportunityId,
    OccurredAt,
    ActorId,
    Field,
    FromValue,
    ToValue,
    Note,
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
}

fn role(n: u128) -> Uuid {
    Uuid::from_u128(0x7a11_0000_0000_4000_8000_0000_0000_0000 | n)
}

/// `(role number, object, action, scope)`.
const GRANTS: &[(u128, &str, &str, &str)] = &[
    (0x01, "opportunity", "read", "all"),
    (0x01, "opportunity", "create", "all"),
    (0x01, "opportunity", "update", "all"),
    (0x01, "opportunity", "archive", "all"),
    (0x01, "opportunity", "export", "all"),
    (0x01, "pipeline", "read", "all"),
    (0x01, "pipeline", "create", "all"),
    (0x01, "pipeline", "update", "all"),
    (0x02, "opportunity", "read", "all"),
    (0x02, "opportunity", "create", "all"),
    (0x02, "opportunity", "update", "all"),
    (0x02, "opportunity", "archive", "all"),
    (0x02, "opportunity", "export", "all"),
    (0x02, "pipeline", "read", "all"),
    (0x03, "opportunity", "read", "team"),
    (0x03, "opportunity", "create", "team"),
    (0x03, "opportunity", "update", "team"),
    (0x03, "opportunity", "archive", "own"),
    (0x03, "opportunity", "export", "team"),
    (0x03, "pipeline", "read", "all"),
    (0x04, "opportunity", "read", "all"),
    (0x04, "pipeline", "read", "all"),
    (0x05, "opportunity", "read", "all"),
    (0x05, "pipeline", "read", "all"),
    (0x08, "opportunity", "read", "all"),
    (0x08, "pipeline", "read", "all"),
];

/// Roles that read (and, but for read-only, write) opportunity amounts.
const AMOUNT_GRANTS: &[(u128, bool)] = &[(0x01, true), (0x02, true), (0x03, true), (0x08, false)];

/// The stages of the default pipeline: `(name, probability, outcome)`.
const DEFAULT_STAGES: &[(&str, i32, &str)] = &[
    ("Prospecting", 10, "OPEN"),
    ("Qualification", 20, "OPEN"),
    ("Needs analysis", 40, "OPEN"),
    ("Proposal", 60, "OPEN"),
    ("Negotiation", 80, "OPEN"),
    ("Closed won", 100, "WON"),
    ("Closed lost", 0, "LOST"),
];

fn id_col<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().primary_key().to_owned()
}

fn ts<T: IntoIden>(c: T, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(c);
    d.timestamp_with_time_zone();
    if null {
        d.null();
    } else {
        d.not_null();
    }
    d
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let pg = m.get_database_backend() == DatabaseBackend::Postgres;
        m.create_table(
            Table::create()
                .table(Pipelines::Table)
                .col(id_col(Pipelines::Id))
                .col(
                    ColumnDef::new(Pipelines::Name)
                        .string_len(100)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Pipelines::Position).integer().not_null())
                .col(ColumnDef::new(Pipelines::IsDefault).boolean().not_null())
                .col(ts(Pipelines::ArchivedAt, true))
                .col(ts(Pipelines::CreatedAt, false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PipelineStages::Table)
                .col(id_col(PipelineStages::Id))
                .col(ColumnDef::new(PipelineStages::PipelineId).uuid().not_null())
                .col(
                    ColumnDef::new(PipelineStages::Name)
                        .string_len(100)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PipelineStages::Position)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PipelineStages::Probability)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PipelineStages::Outcome)
                        .string_len(8)
                        .not_null(),
                )
                .col(ts(PipelineStages::RetiredAt, true))
                .col(ts(PipelineStages::CreatedAt, false))
                .foreign_key(
                    ForeignKey::create()
                        .from(PipelineStages::Table, PipelineStages::PipelineId)
                        .to(Pipelines::Table, Pipelines::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_pipeline_stages_name")
                .table(PipelineStages::Table)
                .col(PipelineStages::PipelineId)
                .col(PipelineStages::Name)
                .unique()
                .to_owned(),
        )
        .await?;

        // The order key within a column compares as plain bytes on both engines.
        let mut position = ColumnDef::new(Opportunities::Position);
        position.string_len(64).not_null();
        if pg {
            position.extra("COLLATE \"C\"");
        }
        m.create_table(
            Table::create()
                .table(Opportunities::Table)
                .col(id_col(Opportunities::Id))
                .col(
                    ColumnDef::new(Opportunities::Code)
                        .string_len(32)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Opportunities::Name)
                        .string_len(200)
                        .not_null(),
                )
                .col(ColumnDef::new(Opportunities::AccountId).uuid().not_null())
                .col(ColumnDef::new(Opportunities::OwnerId).uuid().not_null())
                .col(ColumnDef::new(Opportunities::PipelineId).uuid().not_null())
                .col(ColumnDef::new(Opportunities::StageId).uuid().not_null())
                .col(position)
                .col(
                    ColumnDef::new(Opportunities::Probability)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Opportunities::AmountMinor)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(Opportunities::Currency).string_len(3).null())
                .col(ColumnDef::new(Opportunities::CloseDate).date().null())
                .col(
                    ColumnDef::new(Opportunities::NextStep)
                        .string_len(200)
                        .null(),
                )
                .col(ColumnDef::new(Opportunities::NextStepDate).date().null())
                .col(ColumnDef::new(Opportunities::LeadId).uuid().null())
                .col(
                    ColumnDef::new(Opportunities::LeadSource)
                        .string_len(32)
                        .null(),
                )
                .col(ColumnDef::new(Opportunities::CampaignId).uuid().null())
                .col(
                    ColumnDef::new(Opportunities::Status)
                        .string_len(8)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Opportunities::LostReason)
                        .string_len(500)
                        .null(),
                )
                .col(ts(Opportunities::ClosedAt, true))
                .col(ts(Opportunities::ArchivedAt, true))
                .col(ColumnDef::new(Opportunities::Version).integer().not_null())
                .col(ts(Opportunities::CreatedAt, false))
                .col(ts(Opportunities::UpdatedAt, false))
                .col(ColumnDef::new(Opportunities::CreatedBy).uuid().null())
                .col(ColumnDef::new(Opportunities::UpdatedBy).uuid().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Opportunities::Table, Opportunities::AccountId)
                        .to(Parties::Table, Parties::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Opportunities::Table, Opportunities::StageId)
                        .to(PipelineStages::Table, PipelineStages::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Opportunities::Table, Opportunities::PipelineId)
                        .to(Pipelines::Table, Pipelines::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_opportunities_board",
                vec![
                    Opportunities::PipelineId,
                    Opportunities::StageId,
                    Opportunities::Position,
                    Opportunities::Id,
                ],
            ),
            // Covers the board's totals (count and sums per stage, currency and probability, under
            // owner scope and the usual filters) without touching the table.
            (
                "idx_opportunities_totals",
                vec![
                    Opportunities::PipelineId,
                    Opportunities::StageId,
                    Opportunities::Currency,
                    Opportunities::Probability,
                    Opportunities::OwnerId,
                    Opportunities::AmountMinor,
                    Opportunities::ArchivedAt,
                    Opportunities::CloseDate,
                ],
            ),
            (
                "idx_opportunities_owner",
                vec![Opportunities::OwnerId, Opportunities::PipelineId],
            ),
            ("idx_opportunities_account", vec![Opportunities::AccountId]),
            (
                "idx_opportunities_updated",
                vec![Opportunities::UpdatedAt, Opportunities::Id],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Opportunities::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(OpportunityContacts::Table)
                .col(
                    ColumnDef::new(OpportunityContacts::OpportunityId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(OpportunityContacts::PartyId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(OpportunityContacts::Role)
                        .string_len(32)
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(OpportunityContacts::OpportunityId)
                        .col(OpportunityContacts::PartyId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            OpportunityContacts::Table,
                            OpportunityContacts::OpportunityId,
                        )
                        .to(Opportunities::Table, Opportunities::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OpportunityContacts::Table, OpportunityContacts::PartyId)
                        .to(Parties::Table, Parties::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_opportunity_contacts_party")
                .table(OpportunityContacts::Table)
                .col(OpportunityContacts::PartyId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OpportunityHistory::Table)
                .col(
                    ColumnDef::new(OpportunityHistory::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(OpportunityHistory::OpportunityId)
                        .uuid()
                        .not_null(),
                )
                .col(ts(OpportunityHistory::OccurredAt, false))
                .col(ColumnDef::new(OpportunityHistory::ActorId).uuid().null())
                .col(
                    ColumnDef::new(OpportunityHistory::Field)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(OpportunityHistory::FromValue)
                        .string_len(100)
                        .null(),
                )
                .col(
                    ColumnDef::new(OpportunityHistory::ToValue)
                        .string_len(100)
                        .null(),
                )
                .col(
                    ColumnDef::new(OpportunityHistory::Note)
                        .string_len(500)
                        .null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OpportunityHistory::Table, OpportunityHistory::OpportunityId)
                        .to(Opportunities::Table, Opportunities::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_opportunity_history_opportunity")
                .table(OpportunityHistory::Table)
                .col(OpportunityHistory::OpportunityId)
                .col(OpportunityHistory::Id)
                .to_owned(),
        )
        .await?;

        let mut grants = Query::insert();
        grants.into_table(Alias::new("role_grants")).columns([
            Alias::new("role_id"),
            Alias::new("object"),
            Alias::new("action"),
            Alias::new("scope"),
        ]);
        for (r, object, action, scope) in GRANTS {
            grants.values_panic([
                role(*r).into(),
                (*object).into(),
                (*action).into(),
                (*scope).into(),
            ]);
        }
        m.exec_stmt(grants).await?;
        let mut fields = Query::insert();
        fields.into_table(Alias::new("role_field_grants")).columns([
            Alias::new("role_id"),
            Alias::new("object"),
            Alias::new("field"),
            Alias::new("can_read"),
            Alias::new("can_write"),
        ]);
        for (r, write) in AMOUNT_GRANTS {
            fields.values_panic([
                role(*r).into(),
                "opportunity".into(),
                "amount".into(),
                true.into(),
                (*write).into(),
            ]);
        }
        m.exec_stmt(fields).await?;

        // A default pipeline, so a new installation can record opportunities at once.
        let now = chrono::Utc::now();
        let pipeline = Uuid::new_v4();
        m.exec_stmt(
            Query::insert()
                .into_table(Pipelines::Table)
                .columns([
                    Pipelines::Id,
                    Pipelines::Name,
                    Pipelines::Position,
                    Pipelines::IsDefault,
                    Pipelines::CreatedAt,
                ])
                .values_panic([
                    pipeline.into(),
                    "Sales".into(),
                    1.into(),
                    true.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        let mut stages = Query::insert();
        stages.into_table(PipelineStages::Table).columns([
            PipelineStages::Id,
            PipelineStages::PipelineId,
            PipelineStages::Name,
            PipelineStages::Position,
            PipelineStages::Probability,
            PipelineStages::Outcome,
            PipelineStages::CreatedAt,
        ]);
        for (i, (name, probability, outcome)) in DEFAULT_STAGES.iter().enumerate() {
            stages.values_panic([
                Uuid::new_v4().into(),
                pipeline.into(),
                (*name).into(),
                (i as i32 + 1).into(),
                (*probability).into(),
                (*outcome).into(),
                now.into(),
            ]);
        }
        m.exec_stmt(stages).await
    }
}
