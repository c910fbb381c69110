//! The change log and the named sequences for human codes.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Id,
    OccurredAt,
    ActorId,
    ObjectType,
    ObjectId,
    Action,
    Changes,
}

#[derive(DeriveIden)]
enum Sequences {
    Table,
    Name,
    NextValue,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ChangeLog::Table)
                .col(
                    ColumnDef::new(ChangeLog::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ChangeLog::OccurredAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(ChangeLog::ActorId).uuid().null())
                .col(
                    ColumnDef::new(ChangeLog::ObjectType)
                        .string_len(64)
                        .not_null(),
                )
                .col(ColumnDef::new(ChangeLog::ObjectId).uuid().not_null())
                .col(ColumnDef::new(ChangeLog::Action).string_len(32).not_null())
                .col(ColumnDef::new(ChangeLog::Changes).json().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_change_log_object")
                .table(ChangeLog::Table)
                .col(ChangeLog::ObjectType)
                .col(ChangeLog::ObjectId)
                .col(ChangeLog::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_change_log_actor")
                .table(ChangeLog::Table)
                .col(ChangeLog::ActorId)
                .col(ChangeLog::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sequences::Table)
                .col(
                    ColumnDef::new(Sequences::Name)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Sequences::NextValue)
                        .big_integer()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }
}
