//! A repeating activity keeps the time zone its rule repeats in (an IANA name such as
//! `Europe/Berlin`), so a weekly 9:00 meeting stays at 9:00 there across daylight saving; none
//! repeats in UTC.
use sea_orm_migration::prelude::*;

use crate::columns::text;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activities {
    Table,
    TimeZone,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Activities::Table)
                .add_column(text(Activities::TimeZone, 64, true))
                .to_owned(),
        )
        .await
    }
}
