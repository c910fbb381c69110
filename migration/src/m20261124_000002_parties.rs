//! Parties (people and organisations) and their roles.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
    Kind,
    Code,
    GroupName,
    ForeName,
    MiddleInitial,
    Surname,
    SortName,
    Area,
    Industry,
    Website,
    Email,
    Phone,
    AnnualRevenueMinor,
    AnnualRevenueCurrency,
    OwnerId,
    Status,
    ArchivedAt,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum PartyRoles {
    Table,
    PartyId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Parties::Table)
                .col(ColumnDef::new(Parties::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Parties::Kind).string_len(16).not_null())
                .col(
                    ColumnDef::new(Parties::Code)
                        .string_len(32)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Parties::GroupName).string_len(200).null())
                .col(ColumnDef::new(Parties::ForeName).string_len(100).null())
                .col(ColumnDef::new(Parties::MiddleInitial).string_len(4).null())
                .col(ColumnDef::new(Parties::Surname).string_len(100).null())
                .col(ColumnDef::new(Parties::SortName).string_len(200).not_null())
                .col(ColumnDef::new(Parties::Area).string_len(100).null())
                .col(ColumnDef::new(Parties::Industry).string_len(100).null())
                .col(ColumnDef::new(Parties::Website).string_len(300).null())
                .col(ColumnDef::new(Parties::Email).string_len(320).null())
                .col(ColumnDef::new(Parties::Phone).string_len(40).null())
                .col(
                    ColumnDef::new(Parties::AnnualRevenueMinor)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(Parties::AnnualRevenueCurrency)
                        .string_len(3)
                        .null(),
                )
                .col(ColumnDef::new(Parties::OwnerId).uuid().null())
                .col(ColumnDef::new(Parties::Status).string_len(32).not_null())
                .col(
                    ColumnDef::new(Parties::ArchivedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Parties::Version).integer().not_null())
                .col(
                    ColumnDef::new(Parties::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Parties::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(Parties::CreatedBy).uuid().null())
                .col(ColumnDef::new(Parties::UpdatedBy).uuid().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Parties::Table, Parties::OwnerId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_parties_owner", vec![Parties::OwnerId, Parties::Id]),
            (
                "idx_parties_sort_name",
                vec![Parties::SortName, Parties::Id],
            ),
            ("idx_parties_area", vec![Parties::Area, Parties::Id]),
            ("idx_parties_updated", vec![Parties::UpdatedAt, Parties::Id]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Parties::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(PartyRoles::Table)
                .col(ColumnDef::new(PartyRoles::PartyId).uuid().not_null())
                .col(ColumnDef::new(PartyRoles::Role).string_len(16).not_null())
                .col(
                    ColumnDef::new(PartyRoles::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(PartyRoles::PartyId)
                        .col(PartyRoles::Role),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PartyRoles::Table, PartyRoles::PartyId)
                        .to(Parties::Table, Parties::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_party_roles_role")
                .table(PartyRoles::Table)
                .col(PartyRoles::Role)
                .col(PartyRoles::PartyId)
                .to_owned(),
        )
        .await
    }
}
