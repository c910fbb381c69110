//! Party roles become a pick-list administrators extend (`party_role`): the roles the code acts
//! upon (account, contact, customer, …) are its first values, with the vendor, agent and
//! employee roles a real import holds. A party's role is stored as its key upper-cased
//! (`ACCOUNT`, `VENDOR`), as the installed roles always were.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::columns::picklist_values;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The party roles a new installation starts with (key, label).
const PARTY_ROLES: &[(&str, &str)] = &[
    ("account", "Account"),
    ("contact", "Contact"),
    ("customer", "Customer"),
    ("lead", "Lead"),
    ("partner", "Partner"),
    ("competitor", "Competitor"),
    ("supplier", "Supplier"),
    ("vendor", "Vendor"),
    ("agent", "Agent"),
    ("employee", "Employee"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        picklist_values(m, "party_role", 1, PARTY_ROLES).await?;
        let db = m.get_connection();
        // A key is up to 40 long; SQLite does not enforce a text column's length.
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("ALTER TABLE party_roles ALTER COLUMN role TYPE VARCHAR(40)")
                .await?;
        }
        Ok(())
    }
}
