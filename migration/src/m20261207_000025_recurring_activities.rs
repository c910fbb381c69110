//! Recurring activities: a call or meeting may repeat by an RFC 5545 rule (`recurrence`, with
//! `recurrence_until` the last start when the rule ends, so the calendar finds the series that reach
//! its range), and one occurrence changed on its own becomes an activity of its own that names its
//! series and the start it replaces (`series_id`, `occurrence_at`: one per occurrence).
use sea_orm_migration::prelude::*;

use crate::columns::{at, index, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activities {
    Table,
    Recurrence,
    RecurrenceUntil,
    SeriesId,
    OccurrenceAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column a statement.
        for mut column in [
            text(Activities::Recurrence, 300, true),
            at(Activities::RecurrenceUntil, true),
            uuid(Activities::SeriesId, true),
            at(Activities::OccurrenceAt, true),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Activities::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        index(
            m,
            "uq_activities_series_occurrence",
            Activities::Table,
            vec![
                Activities::SeriesId.into_iden(),
                Activities::OccurrenceAt.into_iden(),
            ],
            true,
        )
        .await
    }
}
