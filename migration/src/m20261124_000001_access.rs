//! Users, roles, grants, teams and sessions.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
    Key,
    Name,
    Builtin,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    RoleId,
    Object,
    Action,
    Scope,
}

#[derive(DeriveIden)]
enum RoleFieldGrants {
    Table,
    RoleId,
    Object,
    Field,
    CanRead,
    CanWrite,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    RoleId,
    Active,
    FailedLogins,
    LockedUntil,
    LastLoginAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    Name,
    ManagerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    TeamId,
    UserId,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Roles::Table)
                .col(ColumnDef::new(Roles::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(Roles::Key)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Roles::Name).string_len(200).not_null())
                .col(ColumnDef::new(Roles::Builtin).boolean().not_null())
                .col(
                    ColumnDef::new(Roles::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoleGrants::Table)
                .col(ColumnDef::new(RoleGrants::RoleId).uuid().not_null())
                .col(ColumnDef::new(RoleGrants::Object).string_len(64).not_null())
                .col(ColumnDef::new(RoleGrants::Action).string_len(64).not_null())
                .col(ColumnDef::new(RoleGrants::Scope).string_len(16).not_null())
                .primary_key(
                    Index::create()
                        .col(RoleGrants::RoleId)
                        .col(RoleGrants::Object)
                        .col(RoleGrants::Action),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleGrants::Table, RoleGrants::RoleId)
                        .to(Roles::Table, Roles::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoleFieldGrants::Table)
                .col(ColumnDef::new(RoleFieldGrants::RoleId).uuid().not_null())
                .col(
                    ColumnDef::new(RoleFieldGrants::Object)
                        .string_len(64)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RoleFieldGrants::Field)
                        .string_len(64)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RoleFieldGrants::CanRead)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RoleFieldGrants::CanWrite)
                        .boolean()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(RoleFieldGrants::RoleId)
                        .col(RoleFieldGrants::Object)
                        .col(RoleFieldGrants::Field),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleFieldGrants::Table, RoleFieldGrants::RoleId)
                        .to(Roles::Table, Roles::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(Users::Email)
                        .string_len(320)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Users::DisplayName)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Users::PasswordHash)
                        .string_len(200)
                        .not_null(),
                )
                .col(ColumnDef::new(Users::RoleId).uuid().not_null())
                .col(ColumnDef::new(Users::Active).boolean().not_null())
                .col(ColumnDef::new(Users::FailedLogins).integer().not_null())
                .col(
                    ColumnDef::new(Users::LockedUntil)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(Users::LastLoginAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Users::Version).integer().not_null())
                .col(
                    ColumnDef::new(Users::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Users::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::RoleId)
                        .to(Roles::Table, Roles::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Teams::Table)
                .col(ColumnDef::new(Teams::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(Teams::Name)
                        .string_len(200)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Teams::ManagerId).uuid().null())
                .col(
                    ColumnDef::new(Teams::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Teams::Table, Teams::ManagerId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TeamMembers::Table)
                .col(ColumnDef::new(TeamMembers::TeamId).uuid().not_null())
                .col(ColumnDef::new(TeamMembers::UserId).uuid().not_null())
                .primary_key(
                    Index::create()
                        .col(TeamMembers::TeamId)
                        .col(TeamMembers::UserId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TeamMembers::Table, TeamMembers::TeamId)
                        .to(Teams::Table, Teams::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TeamMembers::Table, TeamMembers::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_team_members_user")
                .table(TeamMembers::Table)
                .col(TeamMembers::UserId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(ColumnDef::new(Sessions::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(Sessions::TokenHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Sessions::UserId).uuid().not_null())
                .col(
                    ColumnDef::new(Sessions::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Sessions::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await
    }
}
