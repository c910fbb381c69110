//! The builtin roles and their default grants, as data. Admins may change grants later; this
//! migration only seeds them once.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
    Key,
    Name,
    Builtin,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    RoleId,
    Object,
    Action,
    Scope,
}

#[derive(DeriveIden)]
enum RoleFieldGrants {
    Table,
    RoleId,
    Object,
    Field,
    CanRead,
    CanWrite,
}

/// `(key, name, fixed id)`; the ids are stable so that every database agrees on them.
const ROLES: [(&str, &str, u128); 8] = [
    ("admin", "Administrator", 0x01),
    ("sales_manager", "Sales manager", 0x02),
    ("sales_rep", "Sales representative", 0x03),
    ("marketing", "Marketing", 0x04),
    ("support_agent", "Support agent", 0x05),
    ("partner", "Partner", 0x06),
    ("customer", "Customer", 0x07),
    ("read_only", "Read-only", 0x08),
];

/// `(role, object, action, scope)`.
const GRANTS: &[(&str, &str, &str, &str)] = &[
    ("admin", "account", "read", "all"),
    ("admin", "account", "create", "all"),
    ("admin", "account", "update", "all"),
    ("admin", "account", "archive", "all"),
    ("admin", "account", "approve_deletion", "all"),
    ("admin", "account", "export", "all"),
    ("admin", "user", "read", "all"),
    ("admin", "user", "create", "all"),
    ("admin", "user", "update", "all"),
    ("admin", "team", "read", "all"),
    ("admin", "team", "create", "all"),
    ("admin", "team", "update", "all"),
    ("admin", "role", "read", "all"),
    ("admin", "role", "update", "all"),
    ("admin", "audit", "read", "all"),
    ("sales_manager", "account", "read", "all"),
    ("sales_manager", "account", "create", "all"),
    ("sales_manager", "account", "update", "all"),
    ("sales_manager", "account", "archive", "all"),
    ("sales_manager", "account", "approve_deletion", "all"),
    ("sales_manager", "account", "export", "all"),
    ("sales_manager", "user", "read", "all"),
    ("sales_manager", "team", "read", "all"),
    ("sales_rep", "account", "read", "team"),
    ("sales_rep", "account", "create", "team"),
    ("sales_rep", "account", "update", "team"),
    ("sales_rep", "account", "archive", "own"),
    ("sales_rep", "account", "export", "team"),
    ("sales_rep", "user", "read", "all"),
    ("sales_rep", "team", "read", "team"),
    ("marketing", "account", "read", "all"),
    ("marketing", "account", "export", "all"),
    ("marketing", "user", "read", "all"),
    ("support_agent", "account", "read", "all"),
    ("support_agent", "user", "read", "all"),
    ("read_only", "account", "read", "all"),
    ("read_only", "user", "read", "all"),
];

/// `(role, object, field, read, write)` for sensitive fields; absent means denied.
const FIELD_GRANTS: &[(&str, &str, &str, bool, bool)] = &[
    ("admin", "account", "annualRevenue", true, true),
    ("sales_manager", "account", "annualRevenue", true, true),
];

fn role_id(key: &str) -> Result<Uuid, DbErr> {
    ROLES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, n)| Uuid::from_u128(0x7a11_0000_0000_4000_8000_0000_0000_0000 | n))
        .ok_or_else(|| DbErr::Custom(format!("unknown builtin role {key}")))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let now = chrono::Utc::now();
        let mut roles = Query::insert();
        roles.into_table(Roles::Table).columns([
            Roles::Id,
            Roles::Key,
            Roles::Name,
            Roles::Builtin,
            Roles::CreatedAt,
        ]);
        for (key, name, _) in ROLES {
            roles.values_panic([
                role_id(key)?.into(),
                key.into(),
                name.into(),
                true.into(),
                now.into(),
            ]);
        }
        m.exec_stmt(roles).await?;

        let mut grants = Query::insert();
        grants.into_table(RoleGrants::Table).columns([
            RoleGrants::RoleId,
            RoleGrants::Object,
            RoleGrants::Action,
            RoleGrants::Scope,
        ]);
        for (role, object, action, scope) in GRANTS {
            grants.values_panic([
                role_id(role)?.into(),
                (*object).into(),
                (*action).into(),
                (*scope).into(),
            ]);
        }
        m.exec_stmt(grants).await?;

        let mut fields = Query::insert();
        fields.into_table(RoleFieldGrants::Table).columns([
            RoleFieldGrants::RoleId,
            RoleFieldGrants::Object,
            RoleFieldGrants::Field,
            RoleFieldGrants::CanRead,
            RoleFieldGrants::CanWrite,
        ]);
        for (role, object, field, read, write) in FIELD_GRANTS {
            fields.values_panic([
                role_id(role)?.into(),
                (*object).into(),
                (*field).into(),
                (*read).into(),
                (*write).into(),
            ]);
        }
        m.exec_stmt(fields).await
    }
}
