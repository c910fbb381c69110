//! E-mail addresses and codes keep the case they were entered with and compare without it:
//! contact e-mails get a comparison key (`match_key`, the lower-cased address, indexed with the
//! kind), and party and product codes become unique regardless of case.
use sea_orm_migration::prelude::*;

use crate::columns::text;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContactMechanisms {
    Table,
    MatchKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ContactMechanisms::Table)
                .add_column(text(ContactMechanisms::MatchKey, 254, true))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        for sql in [
            // E-mails were stored lower-cased until now: they are their own keys.
            "UPDATE contact_mechanisms SET match_key = value WHERE kind = 'EMAIL'",
            "CREATE INDEX idx_contact_mechanisms_match_key ON contact_mechanisms (kind, match_key)",
            // Codes are ASCII (letters, digits, '-', '_', '.'), so LOWER means the same on both
            // engines; every stored code is upper-case, so none collide.
            "CREATE UNIQUE INDEX uq_parties_code_lower ON parties (LOWER(code))",
            "CREATE UNIQUE INDEX uq_products_code_lower ON products (LOWER(code))",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
