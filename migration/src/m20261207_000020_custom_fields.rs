//! Custom fields: admin-defined, typed fields of parties, accounts, leads, opportunities and
//! activities, with one value row per (field, record). Each field's access lives in
//! `role_field_grants` as the field `custom.<key>` of its object, so the same guard rules hold.
use sea_orm_migration::prelude::*;

use crate::access::{grant, ObjectGrant, Role};
use crate::columns::{at, flag, id, index, int, long_text, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CustomFields {
    Table,
    Id,
    Object,
    Key,
    Label,
    FieldType,
    Required,
    IsUnique,
    ShowInList,
    DefaultValue,
    Options,
    Position,
    ArchivedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CustomFieldValues {
    Table,
    FieldId,
    RecordId,
    TextValue,
    NumValue,
    UpdatedAt,
}

const GRANTS: &[ObjectGrant] = &[
    (Role::Admin, "custom_field", "read", "all"),
    (Role::Admin, "custom_field", "create", "all"),
    (Role::Admin, "custom_field", "update", "all"),
    (Role::Admin, "custom_field", "archive", "all"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CustomFields::Table)
                .col(id(CustomFields::Id))
                .col(text(CustomFields::Object, 20, false))
                .col(text(CustomFields::Key, 40, false))
                .col(text(CustomFields::Label, 60, false))
                .col(text(CustomFields::FieldType, 20, false))
                .col(flag(CustomFields::Required))
                .col(flag(CustomFields::IsUnique))
                .col(flag(CustomFields::ShowInList))
                .col(text(CustomFields::DefaultValue, 2000, true))
                .col(long_text(CustomFields::Options))
                .col(int(CustomFields::Position))
                .col(at(CustomFields::ArchivedAt, true))
                .col(
                    ColumnDef::new(CustomFields::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(at(CustomFields::CreatedAt, false))
                .col(at(CustomFields::UpdatedAt, false))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_custom_fields_object_key",
            CustomFields::Table,
            vec![
                CustomFields::Object.into_iden(),
                CustomFields::Key.into_iden(),
            ],
            true,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CustomFieldValues::Table)
                .col(uuid(CustomFieldValues::FieldId, false))
                .col(uuid(CustomFieldValues::RecordId, false))
                .col(text(CustomFieldValues::TextValue, 2000, false))
                .col(ColumnDef::new(CustomFieldValues::NumValue).double().null())
                .col(at(CustomFieldValues::UpdatedAt, false))
                .primary_key(
                    Index::create()
                        .col(CustomFieldValues::FieldId)
                        .col(CustomFieldValues::RecordId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CustomFieldValues::Table, CustomFieldValues::FieldId)
                        .to(CustomFields::Table, CustomFields::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // Reading a page's values goes by record; filters and uniqueness go by field and value.
        index(
            m,
            "idx_custom_field_values_record",
            CustomFieldValues::Table,
            vec![CustomFieldValues::RecordId.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "idx_custom_field_values_text",
            CustomFieldValues::Table,
            vec![
                CustomFieldValues::FieldId.into_iden(),
                CustomFieldValues::TextValue.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            m,
            "idx_custom_field_values_num",
            CustomFieldValues::Table,
            vec![
                CustomFieldValues::FieldId.into_iden(),
                CustomFieldValues::NumValue.into_iden(),
            ],
            false,
        )
        .await?;
        grant(m, GRANTS).await
    }
}
