//! Dealers' users: a user may belong to a partner organisation (a party). A partner user's own
//! orders are then the purchase orders of their organisation, whoever of its users placed them.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    OrganizationId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::OrganizationId).uuid().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_users_organization")
                .table(Users::Table)
                .col(Users::OrganizationId)
                .to_owned(),
        )
        .await
    }
}
