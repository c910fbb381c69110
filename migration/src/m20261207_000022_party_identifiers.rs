//! A party's identifiers: tax ids (typed, with their country) and ids in other systems (system and
//! value, unique per system). Tax ids are a sensitive field of parties (`party.taxIds`).
use sea_orm_migration::prelude::*;

use crate::access::{grant_fields, FieldGrant, Role};
use crate::columns::{at, id, index, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PartyTaxIds {
    Table,
    Id,
    PartyId,
    Kind,
    Country,
    Value,
    ValueKey,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum PartyExternalIds {
    Table,
    Id,
    PartyId,
    System,
    Value,
    CreatedAt,
    CreatedBy,
}

/// Who reads and writes tax ids: the sales roles keep them, billing reads them for invoices.
const TAX_ID_GRANTS: &[FieldGrant] = &[
    (Role::Admin, "party", "taxIds", true, true),
    (Role::SalesManager, "party", "taxIds", true, true),
    (Role::SalesRep, "party", "taxIds", true, true),
    (Role::Billing, "party", "taxIds", true, false),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let party_fk = |from: DynIden, col: DynIden| {
            ForeignKey::create()
                .from(from, col)
                .to(Alias::new("parties"), Alias::new("id"))
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned()
        };
        m.create_table(
            Table::create()
                .table(PartyTaxIds::Table)
                .col(id(PartyTaxIds::Id))
                .col(uuid(PartyTaxIds::PartyId, false))
                .col(text(PartyTaxIds::Kind, 10, false))
                .col(text(PartyTaxIds::Country, 2, false))
                .col(text(PartyTaxIds::Value, 40, false))
                .col(text(PartyTaxIds::ValueKey, 40, false))
                .col(at(PartyTaxIds::CreatedAt, false))
                .col(uuid(PartyTaxIds::CreatedBy, true))
                .foreign_key(&mut party_fk(
                    PartyTaxIds::Table.into_iden(),
                    PartyTaxIds::PartyId.into_iden(),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_party_tax_ids_party_kind_country_key",
            PartyTaxIds::Table,
            vec![
                PartyTaxIds::PartyId.into_iden(),
                PartyTaxIds::Kind.into_iden(),
                PartyTaxIds::Country.into_iden(),
                PartyTaxIds::ValueKey.into_iden(),
            ],
            true,
        )
        .await?;
        // Finding the parties that hold a number (duplicates, lookups).
        index(
            m,
            "ix_party_tax_ids_key",
            PartyTaxIds::Table,
            vec![PartyTaxIds::ValueKey.into_iden()],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PartyExternalIds::Table)
                .col(id(PartyExternalIds::Id))
                .col(uuid(PartyExternalIds::PartyId, false))
                .col(text(PartyExternalIds::System, 40, false))
                .col(text(PartyExternalIds::Value, 100, false))
                .col(at(PartyExternalIds::CreatedAt, false))
                .col(uuid(PartyExternalIds::CreatedBy, true))
                .foreign_key(&mut party_fk(
                    PartyExternalIds::Table.into_iden(),
                    PartyExternalIds::PartyId.into_iden(),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_party_external_ids_system_value",
            PartyExternalIds::Table,
            vec![
                PartyExternalIds::System.into_iden(),
                PartyExternalIds::Value.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            m,
            "ix_party_external_ids_party",
            PartyExternalIds::Table,
            vec![PartyExternalIds::PartyId.into_iden()],
            false,
        )
        .await?;
        grant_fields(m, TAX_ID_GRANTS).await
    }
}
