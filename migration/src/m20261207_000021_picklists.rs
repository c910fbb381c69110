//! Pick-lists: administrator-kept vocabularies (the first is the opportunity type), and the
//! record details a real import needed: an opportunity's description and type, a meeting's
//! location and online link, a party's preferred currency, an addressee line on postal addresses,
//! the parts of phone numbers and a comment on relationships.
use sea_orm_migration::prelude::*;

use crate::access::{grant, ObjectGrant, Role};
use crate::columns::{at, id, index, int, long_text, picklist_values, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PicklistValues {
    Table,
    Id,
    List,
    Key,
    Label,
    Position,
    ArchivedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Opportunities {
    Table,
    Description,
    OpportunityType,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Location,
    MeetingUrl,
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    PreferredCurrency,
}

#[derive(DeriveIden)]
enum ContactMechanisms {
    Table,
    Attention,
    PhoneCountryCode,
    PhoneAreaCode,
    PhoneNumber,
    PhoneExtension,
}

#[derive(DeriveIden)]
enum PartyRelationships {
    Table,
    Comment,
}

const GRANTS: &[ObjectGrant] = &[
    (Role::Admin, "picklist", "create", "all"),
    (Role::Admin, "picklist", "update", "all"),
    (Role::Admin, "picklist", "archive", "all"),
];

/// The opportunity types a new installation starts with (key, label).
const OPPORTUNITY_TYPES: &[(&str, &str)] = &[
    ("new_business", "New business"),
    ("upgrade", "Upgrade"),
    ("renewal", "Renewal"),
    ("add_on", "Add-on"),
    ("services", "Services"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PicklistValues::Table)
                .col(id(PicklistValues::Id))
                .col(text(PicklistValues::List, 40, false))
                .col(text(PicklistValues::Key, 40, false))
                .col(text(PicklistValues::Label, 60, false))
                .col(int(PicklistValues::Position))
                .col(at(PicklistValues::ArchivedAt, true))
                .col(
                    ColumnDef::new(PicklistValues::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(at(PicklistValues::CreatedAt, false))
                .col(at(PicklistValues::UpdatedAt, false))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_picklist_values_list_key",
            PicklistValues::Table,
            vec![
                PicklistValues::List.into_iden(),
                PicklistValues::Key.into_iden(),
            ],
            true,
        )
        .await?;
        picklist_values(m, "opportunity_type", 1, OPPORTUNITY_TYPES).await?;

        // SQLite alters one column a statement.
        let columns: Vec<(DynIden, ColumnDef)> = vec![
            (
                Opportunities::Table.into_iden(),
                long_text(Opportunities::Description),
            ),
            (
                Opportunities::Table.into_iden(),
                text(Opportunities::OpportunityType, 40, true),
            ),
            (
                Activities::Table.into_iden(),
                text(Activities::Location, 200, true),
            ),
            (
                Activities::Table.into_iden(),
                text(Activities::MeetingUrl, 300, true),
            ),
            (
                Parties::Table.into_iden(),
                text(Parties::PreferredCurrency, 3, true),
            ),
            (
                ContactMechanisms::Table.into_iden(),
                text(ContactMechanisms::Attention, 100, true),
            ),
            (
                ContactMechanisms::Table.into_iden(),
                text(ContactMechanisms::PhoneCountryCode, 3, true),
            ),
            (
                ContactMechanisms::Table.into_iden(),
                text(ContactMechanisms::PhoneAreaCode, 10, true),
            ),
            (
                ContactMechanisms::Table.into_iden(),
                text(ContactMechanisms::PhoneNumber, 30, true),
            ),
            (
                ContactMechanisms::Table.into_iden(),
                text(ContactMechanisms::PhoneExtension, 6, true),
            ),
            (
                PartyRelationships::Table.into_iden(),
                long_text(PartyRelationships::Comment),
            ),
        ];
        for (table, mut column) in columns {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        grant(m, GRANTS).await
    }
}
