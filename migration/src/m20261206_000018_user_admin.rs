//! Administration of users and teams in the product: single-use links (an invitation, a password
//! reset) kept as hashes with an expiry, archived teams, and the grants to deactivate users and
//! archive teams.
use sea_orm_migration::prelude::*;

use crate::access::{grant, ObjectGrant, Role};
use crate::columns::{at, id, index, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    ArchivedAt,
}

const GRANTS: &[ObjectGrant] = &[
    (Role::Admin, "user", "archive", "all"),
    (Role::Admin, "team", "archive", "all"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(UserTokens::Table)
                .col(id(UserTokens::Id))
                .col(uuid(UserTokens::UserId, false))
                .col(text(UserTokens::Purpose, 10, false))
                .col(text(UserTokens::TokenHash, 64, false))
                .col(at(UserTokens::ExpiresAt, false))
                .col(at(UserTokens::UsedAt, true))
                .col(uuid(UserTokens::CreatedBy, true))
                .col(at(UserTokens::CreatedAt, false))
                .foreign_key(
                    ForeignKey::create()
                        .from(UserTokens::Table, UserTokens::UserId)
                        .to(Alias::new("users"), Alias::new("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_user_tokens_hash",
            UserTokens::Table,
            vec![UserTokens::TokenHash.into_iden()],
            true,
        )
        .await?;
        index(
            m,
            "idx_user_tokens_user",
            UserTokens::Table,
            vec![UserTokens::UserId.into_iden()],
            false,
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Teams::Table)
                .add_column(at(Teams::ArchivedAt, true))
                .to_owned(),
        )
        .await?;
        grant(m, GRANTS).await
    }
}
