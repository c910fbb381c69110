//! The view a list opens with for a role: an administrator names a list's address query per role
//! (one per role and list); a list opened without a query of its own starts from it.
use sea_orm_migration::prelude::*;

use crate::columns::{at, id, index, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RoleDefaultViews {
    Table,
    Id,
    RoleId,
    List,
    Query,
    UpdatedBy,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RoleDefaultViews::Table)
                .col(id(RoleDefaultViews::Id))
                .col(uuid(RoleDefaultViews::RoleId, false))
                .col(text(RoleDefaultViews::List, 40, false))
                .col(text(RoleDefaultViews::Query, 1000, false))
                .col(uuid(RoleDefaultViews::UpdatedBy, true))
                .col(at(RoleDefaultViews::UpdatedAt, false))
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleDefaultViews::Table, RoleDefaultViews::RoleId)
                        .to(Alias::new("roles"), Alias::new("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_role_default_views_role_list",
            RoleDefaultViews::Table,
            vec![
                RoleDefaultViews::RoleId.into_iden(),
                RoleDefaultViews::List.into_iden(),
            ],
            true,
        )
        .await
    }
}
