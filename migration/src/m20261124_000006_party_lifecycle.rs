//! Deletion requests, merges and erasure of parties.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Parties {
    Table,
    DeletionRequestedAt,
    DeletionRequestedBy,
    DeletionReason,
    MergedInto,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let cols = [
            ColumnDef::new(Parties::DeletionRequestedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Parties::DeletionRequestedBy)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(Parties::DeletionReason)
                .string_len(500)
                .null()
                .to_owned(),
            ColumnDef::new(Parties::MergedInto).uuid().null().to_owned(),
        ];
        for mut c in cols {
            m.alter_table(
                Table::alter()
                    .table(Parties::Table)
                    .add_column(&mut c)
                    .to_owned(),
            )
            .await?;
        }
        // Erasing personal data is an admin action of its own.
        let admin = Uuid::from_u128(0x7a11_0000_0000_4000_8000_0000_0000_0001);
        let insert = Query::insert()
            .into_table(Alias::new("role_grants"))
            .columns([
                Alias::new("role_id"),
                Alias::new("object"),
                Alias::new("action"),
                Alias::new("scope"),
            ])
            .values_panic([admin.into(), "party".into(), "erase".into(), "all".into()])
            .to_owned();
        m.exec_stmt(insert).await
    }
}
