//! Relationship types become a pick-list administrators extend (`relationship_type`): the closed
//! kinds of before become its first values, with the supplier, agent and member links a real
//! import holds, and the stored names (`CONTACT_OF`) become the values' keys (`contact_of`).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::columns::picklist_values;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The relationship types a new installation starts with (key, label, read from → to). The first
/// four are the kinds stored until now, lower-cased; their ends stay checked (a person is the
/// contact or employee of an organisation, parents and subsidiaries are organisations).
const RELATIONSHIP_TYPES: &[(&str, &str)] = &[
    ("contact_of", "Contact of"),
    ("employee_of", "Employee of"),
    ("partner_of", "Partner of"),
    ("parent_organization", "Parent organisation of"),
    ("supplier_of", "Supplier of"),
    ("agent_of", "Agent of"),
    ("member_of", "Member of"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        picklist_values(m, "relationship_type", 1, RELATIONSHIP_TYPES).await?;
        let db = m.get_connection();
        // A key is up to 40 long; SQLite does not enforce a text column's length.
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE party_relationships ALTER COLUMN kind TYPE VARCHAR(40)",
            )
            .await?;
        }
        // The stored names are ASCII upper-case words with '_': LOWER means the same on both
        // engines.
        db.execute_unprepared("UPDATE party_relationships SET kind = LOWER(kind)")
            .await?;
        Ok(())
    }
}
