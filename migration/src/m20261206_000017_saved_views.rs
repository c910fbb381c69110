//! Saved views: a list's search, filters, order and columns under a name, kept per user and
//! optionally shared with the user's team.
use sea_orm_migration::prelude::*;

use crate::columns::{at, flag, id, index, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SavedViews {
    Table,
    Id,
    UserId,
    List,
    Name,
    Query,
    Shared,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SavedViews::Table)
                .col(id(SavedViews::Id))
                .col(uuid(SavedViews::UserId, false))
                .col(text(SavedViews::List, 40, false))
                .col(text(SavedViews::Name, 60, false))
                .col(text(SavedViews::Query, 1000, false))
                .col(flag(SavedViews::Shared))
                .col(at(SavedViews::CreatedAt, false))
                .col(at(SavedViews::UpdatedAt, false))
                .foreign_key(
                    ForeignKey::create()
                        .from(SavedViews::Table, SavedViews::UserId)
                        .to(Alias::new("users"), Alias::new("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_saved_views_user_list_name",
            SavedViews::Table,
            vec![
                SavedViews::UserId.into_iden(),
                SavedViews::List.into_iden(),
                SavedViews::Name.into_iden(),
            ],
            true,
        )
        .await
    }
}
