//! The customer master: contact mechanisms (accounts' e-mail and phone move there), relationships,
//! customer fields, full-text search, and grants on the `party` object.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
    CustomerType,
    PaymentPreference,
}

#[derive(DeriveIden)]
enum ContactMechanisms {
    Table,
    Id,
    PartyId,
    Kind,
    Value,
    Street,
    City,
    PostalCode,
    Region,
    Country,
    Purposes,
    ValidFrom,
    ValidTo,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum PartyRelationships {
    Table,
    Id,
    FromPartyId,
    ToPartyId,
    Kind,
    RoleLabel,
    ValidFrom,
    ValidTo,
    CreatedAt,
    CreatedBy,
}

/// Builtin role ids, as in the builtin-roles migration.
fn role(n: u128) -> Uuid {
    Uuid::from_u128(0x7a11_0000_0000_4000_8000_0000_0000_0000 | n)
}

/// `(role number, action, scope)` on the `party` object.
const PARTY_GRANTS: &[(u128, &str, &str)] = &[
    (0x01, "read", "all"),
    (0x01, "create", "all"),
    (0x01, "update", "all"),
    (0x01, "archive", "all"),
    (0x01, "approve_deletion", "all"),
    (0x01, "export", "all"),
    (0x02, "read", "all"),
    (0x02, "create", "all"),
    (0x02, "update", "all"),
    (0x02, "archive", "all"),
    (0x02, "approve_deletion", "all"),
    (0x02, "export", "all"),
    (0x03, "read", "team"),
    (0x03, "create", "team"),
    (0x03, "update", "team"),
    (0x03, "archive", "own"),
    (0x03, "export", "team"),
    (0x04, "read", "all"),
    (0x04, "export", "all"),
    (0x05, "read", "all"),
    (0x05, "create", "all"),
    (0x05, "update", "all"),
    (0x08, "read", "all"),
];

/// Roles granted personal data (contact details): admin, sales manager, sales rep, marketing, support.
const CONTACT_DATA_ROLES: &[u128] = &[0x01, 0x02, 0x03, 0x04, 0x05];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = m.get_database_backend();
        for col in [Parties::CustomerType, Parties::PaymentPreference] {
            m.alter_table(
                Table::alter()
                    .table(Parties::Table)
                    .add_column(ColumnDef::new(col).string_len(32).null())
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(ContactMechanisms::Table)
                .col(
                    ColumnDef::new(ContactMechanisms::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(ContactMechanisms::PartyId).uuid().not_null())
                .col(
                    ColumnDef::new(ContactMechanisms::Kind)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ContactMechanisms::Value)
                        .string_len(400)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ContactMechanisms::Street)
                        .string_len(200)
                        .null(),
                )
                .col(
                    ColumnDef::new(ContactMechanisms::City)
                        .string_len(100)
                        .null(),
                )
                .col(
                    ColumnDef::new(ContactMechanisms::PostalCode)
                        .string_len(20)
                        .null(),
                )
                .col(
                    ColumnDef::new(ContactMechanisms::Region)
                        .string_len(100)
                        .null(),
                )
                .col(
                    ColumnDef::new(ContactMechanisms::Country)
                        .string_len(100)
                        .null(),
                )
                .col(
                    ColumnDef::new(ContactMechanisms::Purposes)
                        .string_len(100)
                        .not_null(),
                )
                .col(ColumnDef::new(ContactMechanisms::ValidFrom).date().null())
                .col(ColumnDef::new(ContactMechanisms::ValidTo).date().null())
                .col(
                    ColumnDef::new(ContactMechanisms::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(ContactMechanisms::CreatedBy).uuid().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ContactMechanisms::Table, ContactMechanisms::PartyId)
                        .to(Parties::Table, Parties::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_contact_mechanisms_party")
                .table(ContactMechanisms::Table)
                .col(ContactMechanisms::PartyId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_contact_mechanisms_value")
                .table(ContactMechanisms::Table)
                .col(ContactMechanisms::Kind)
                .col(ContactMechanisms::Value)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PartyRelationships::Table)
                .col(
                    ColumnDef::new(PartyRelationships::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(PartyRelationships::FromPartyId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PartyRelationships::ToPartyId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PartyRelationships::Kind)
                        .string_len(32)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PartyRelationships::RoleLabel)
                        .string_len(100)
                        .null(),
                )
                .col(ColumnDef::new(PartyRelationships::ValidFrom).date().null())
                .col(ColumnDef::new(PartyRelationships::ValidTo).date().null())
                .col(
                    ColumnDef::new(PartyRelationships::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(PartyRelationships::CreatedBy).uuid().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(PartyRelationships::Table, PartyRelationships::FromPartyId)
                        .to(Parties::Table, Parties::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PartyRelationships::Table, PartyRelationships::ToPartyId)
                        .to(Parties::Table, Parties::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            (
                "idx_party_relationships_from",
                PartyRelationships::FromPartyId,
            ),
            ("idx_party_relationships_to", PartyRelationships::ToPartyId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(PartyRelationships::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        // Accounts' e-mail and phone become PRIMARY contact mechanisms, then the columns go.
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, email, phone, created_at, created_by FROM parties WHERE email IS NOT NULL OR phone IS NOT NULL",
            ))
            .await?;
        for r in rows {
            let party: Uuid = r.try_get("", "id")?;
            let created_at: chrono::DateTime<chrono::Utc> = r.try_get("", "created_at")?;
            let created_by: Option<Uuid> = r.try_get("", "created_by")?;
            for (kind, col) in [("EMAIL", "email"), ("PHONE", "phone")] {
                let value: Option<String> = r.try_get("", col)?;
                if let Some(value) = value {
                    let insert = Query::insert()
                        .into_table(ContactMechanisms::Table)
                        .columns([
                            ContactMechanisms::Id,
                            ContactMechanisms::PartyId,
                            ContactMechanisms::Kind,
                            ContactMechanisms::Value,
                            ContactMechanisms::Purposes,
                            ContactMechanisms::CreatedAt,
                            ContactMechanisms::CreatedBy,
                        ])
                        .values_panic([
                            Uuid::new_v4().into(),
                            party.into(),
                            kind.into(),
                            value.into(),
                            "PRIMARY".into(),
                            created_at.into(),
                            created_by.into(),
                        ])
                        .to_owned();
                    m.exec_stmt(insert).await?;
                }
            }
        }
        for col in ["email", "phone"] {
            db.execute_unprepared(&format!("ALTER TABLE parties DROP COLUMN {col}"))
                .await?;
        }

        // Grants on the `party` object and on contact details.
        let mut grants = Query::insert();
        grants.into_table(Alias::new("role_grants")).columns([
            Alias::new("role_id"),
            Alias::new("object"),
            Alias::new("action"),
            Alias::new("scope"),
        ]);
        for (r, action, scope) in PARTY_GRANTS {
            grants.values_panic([
                role(*r).into(),
                "party".into(),
                (*action).into(),
                (*scope).into(),
            ]);
        }
        m.exec_stmt(grants).await?;
        let mut fields = Query::insert();
        fields.into_table(Alias::new("role_field_grants")).columns([
            Alias::new("role_id"),
            Alias::new("object"),
            Alias::new("field"),
            Alias::new("can_read"),
            Alias::new("can_write"),
        ]);
        for r in CONTACT_DATA_ROLES {
            fields.values_panic([
                role(*r).into(),
                "party".into(),
                "contactMechanisms".into(),
                true.into(),
                true.into(),
            ]);
        }
        m.exec_stmt(fields).await?;

        // Full-text search over name, code and area.
        match backend {
            DatabaseBackend::Sqlite => {
                for sql in [
                    "CREATE VIRTUAL TABLE party_search USING fts5(sort_name, code, area, content='parties', content_rowid='rowid', tokenize=\"unicode61 remove_diacritics 2\", prefix='1 2 3')",
                    "CREATE TRIGGER parties_search_ai AFTER INSERT ON parties BEGIN INSERT INTO party_search(rowid, sort_name, code, area) VALUES (new.rowid, new.sort_name, new.code, new.area); END",
                    "CREATE TRIGGER parties_search_ad AFTER DELETE ON parties BEGIN INSERT INTO party_search(party_search, rowid, sort_name, code, area) VALUES ('delete', old.rowid, old.sort_name, old.code, old.area); END",
                    "CREATE TRIGGER parties_search_au AFTER UPDATE OF sort_name, code, area ON parties BEGIN INSERT INTO party_search(party_search, rowid, sort_name, code, area) VALUES ('delete', old.rowid, old.sort_name, old.code, old.area); INSERT INTO party_search(rowid, sort_name, code, area) VALUES (new.rowid, new.sort_name, new.code, new.area); END",
                    "INSERT INTO party_search(party_search) VALUES ('rebuild')",
                    // Name matches weigh most, then code, then area.
                    "INSERT INTO party_search(party_search, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0)')",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            _ => {
                for sql in [
                    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                    "CREATE INDEX idx_parties_sort_name_trgm ON parties USING gin (sort_name gin_trgm_ops)",
                    "CREATE INDEX idx_parties_code_trgm ON parties USING gin (lower(code) gin_trgm_ops)",
                    "CREATE INDEX idx_parties_area_trgm ON parties USING gin (lower(area) gin_trgm_ops)",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
        }
        Ok(())
    }
}
