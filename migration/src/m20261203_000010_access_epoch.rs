//! The access epoch: one counter that every change to roles, grants, field grants, teams or team
//! members advances, by triggers in the database itself. A server caches each user's grants and team
//! reach under the epoch it loaded them at and reads the epoch in the same statement as the session,
//! so a changed grant reaches every server process on its next request without extra statements.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccessEpoch {
    Table,
    Id,
    Epoch,
}

/// The tables whose rows make up a user's grants and team reach.
const WATCHED: [&str; 5] = [
    "roles",
    "role_grants",
    "role_field_grants",
    "teams",
    "team_members",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AccessEpoch::Table)
                .col(
                    ColumnDef::new(AccessEpoch::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AccessEpoch::Epoch).big_integer().not_null())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AccessEpoch::Table)
                .columns([AccessEpoch::Id, AccessEpoch::Epoch])
                .values_panic([1.into(), 1_i64.into()])
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION bump_access_epoch() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN UPDATE access_epoch SET epoch = epoch + 1 WHERE id = 1; RETURN NULL; END $$",
                )
                .await?;
                for table in WATCHED {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER trg_{table}_access_epoch AFTER INSERT OR UPDATE OR DELETE \
                         ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch()"
                    ))
                    .await?;
                }
            }
            _ => {
                for table in WATCHED {
                    for event in ["INSERT", "UPDATE", "DELETE"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER trg_{table}_access_epoch_{e} AFTER {event} ON {table} \
                             BEGIN UPDATE access_epoch SET epoch = epoch + 1 WHERE id = 1; END",
                            e = event.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }
}
