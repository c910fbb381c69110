//! Custom roles: a version on roles (the matrix screen saves with an optimistic version) and the
//! grants to create and remove roles, for administrators.

use sea_orm_migration::prelude::*;

use crate::access::{grant, ObjectGrant, Role};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Roles {
    Table,
    Version,
}

const GRANTS: &[ObjectGrant] = &[
    (Role::Admin, "role", "create", "all"),
    (Role::Admin, "role", "archive", "all"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Roles::Table)
                .add_column(
                    ColumnDef::new(Roles::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;
        grant(m, GRANTS).await
    }
}
