//! The lead conversion mapping names custom fields too (`custom.<key>`, a key up to 40 long), so
//! its field names take 48 characters on PostgreSQL (SQLite does not enforce a text's length).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE lead_conversion_mappings \
                 ALTER COLUMN target_field TYPE VARCHAR(48), \
                 ALTER COLUMN source_field TYPE VARCHAR(48)",
            )
            .await?;
        }
        Ok(())
    }
}
