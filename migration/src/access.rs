//! Seeding roles, object grants and field grants from a migration. New migrations declare their
//! grants as data and hand them to [`grant`] and [`grant_fields`]; released migrations keep the
//! copies they were released with.
//!
//! Every name is checked before anything is written, so a misspelt action, scope or role fails the
//! migration instead of seeding a grant that nothing reads.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

/// The builtin roles; their ids are fixed so that every database agrees on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    SalesManager,
    SalesRep,
    Marketing,
    SupportAgent,
    Partner,
    Customer,
    ReadOnly,
    /// Collections staff: invoices, payments and balances (added with sales documents).
    Billing,
}

impl Role {
    /// Every builtin role, in the order of their ids.
    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::SalesManager,
        Role::SalesRep,
        Role::Marketing,
        Role::SupportAgent,
        Role::Partner,
        Role::Customer,
        Role::ReadOnly,
        Role::Billing,
    ];

    /// The role's key in `roles.key`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::SalesManager => "sales_manager",
            Role::SalesRep => "sales_rep",
            Role::Marketing => "marketing",
            Role::SupportAgent => "support_agent",
            Role::Partner => "partner",
            Role::Customer => "customer",
            Role::ReadOnly => "read_only",
            Role::Billing => "billing",
        }
    }

    /// The role's fixed id.
    pub fn id(self) -> Uuid {
        let n = Role::ALL.iter().position(|r| *r == self).unwrap_or(0) as u128 + 1;
        Uuid::from_u128(0x7a11_0000_0000_4000_8000_0000_0000_0000 | n)
    }
}

/// The actions a grant may name (as `policy::Action` in the server reads them).
pub const ACTIONS: [&str; 7] = [
    "read",
    "create",
    "update",
    "archive",
    "approve_deletion",
    "export",
    "erase",
];

/// The row scopes a grant may name.
pub const SCOPES: [&str; 3] = ["own", "team", "all"];

/// `(role, object, action, scope)`.
pub type ObjectGrant = (Role, &'static str, &'static str, &'static str);

/// `(role, object, field, read, write)`; a field absent for a role is denied.
pub type FieldGrant = (Role, &'static str, &'static str, bool, bool);

/// Checks a list of object grants: known actions and scopes, non-empty objects, no repeats.
pub fn check_grants(grants: &[ObjectGrant]) -> Result<(), DbErr> {
    let mut seen = std::collections::HashSet::new();
    for (role, object, action, scope) in grants {
        if object.is_empty() || !object.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(DbErr::Custom(format!(
                "grant object {object:?} is not a lower_snake name"
            )));
        }
        if !ACTIONS.contains(action) {
            return Err(DbErr::Custom(format!(
                "grant {object}.{action}: unknown action"
            )));
        }
        if !SCOPES.contains(scope) {
            return Err(DbErr::Custom(format!(
                "grant {object}.{action}: unknown scope {scope}"
            )));
        }
        if !seen.insert((role.key(), *object, *action)) {
            return Err(DbErr::Custom(format!(
                "grant {object}.{action} is given twice to {}",
                role.key()
            )));
        }
    }
    Ok(())
}

/// Checks a list of field grants: camelCase field names, no repeats, write only with read.
pub fn check_field_grants(grants: &[FieldGrant]) -> Result<(), DbErr> {
    let mut seen = std::collections::HashSet::new();
    for (role, object, field, read, write) in grants {
        if field.is_empty() || !field.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(DbErr::Custom(format!(
                "field grant {object}.{field}: not a camelCase name"
            )));
        }
        if *write && !*read {
            return Err(DbErr::Custom(format!(
                "field grant {object}.{field} for {}: write without read",
                role.key()
            )));
        }
        if !seen.insert((role.key(), *object, *field)) {
            return Err(DbErr::Custom(format!(
                "field grant {object}.{field} is given twice to {}",
                role.key()
            )));
        }
    }
    Ok(())
}

/// Inserts object grants for builtin roles.
pub async fn grant(m: &SchemaManager<'_>, grants: &[ObjectGrant]) -> Result<(), DbErr> {
    check_grants(grants)?;
    if grants.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(Alias::new("role_grants")).columns([
        Alias::new("role_id"),
        Alias::new("object"),
        Alias::new("action"),
        Alias::new("scope"),
    ]);
    for (role, object, action, scope) in grants {
        insert
            .values([
                role.id().into(),
                (*object).into(),
                (*action).into(),
                (*scope).into(),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    m.exec_stmt(insert).await
}

/// Inserts field grants for builtin roles.
pub async fn grant_fields(m: &SchemaManager<'_>, grants: &[FieldGrant]) -> Result<(), DbErr> {
    check_field_grants(grants)?;
    if grants.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(Alias::new("role_field_grants")).columns([
        Alias::new("role_id"),
        Alias::new("object"),
        Alias::new("field"),
        Alias::new("can_read"),
        Alias::new("can_write"),
    ]);
    for (role, object, field, read, write) in grants {
        insert
            .values([
                role.id().into(),
                (*object).into(),
                (*field).into(),
                (*read).into(),
                (*write).into(),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    m.exec_stmt(insert).await
}

/// Adds a builtin role (for migrations that introduce one, e.g. billing staff).
pub async fn add_role(m: &SchemaManager<'_>, id: Uuid, key: &str, name: &str) -> Result<(), DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("roles"))
        .columns([
            Alias::new("id"),
            Alias::new("key"),
            Alias::new("name"),
            Alias::new("builtin"),
            Alias::new("created_at"),
        ])
        .values([
            id.into(),
            key.into(),
            name.into(),
            true.into(),
            chrono::Utc::now().into(),
        ])
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    m.exec_stmt(insert).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_ids_match_the_seeded_builtin_roles() {
        assert_eq!(
            Role::Admin.id().to_string(),
            "7a110000-0000-4000-8000-000000000001"
        );
        assert_eq!(
            Role::ReadOnly.id().to_string(),
            "7a110000-0000-4000-8000-000000000008"
        );
    }

    #[test]
    fn misspelt_names_and_repeats_are_refused() {
        assert!(check_grants(&[(Role::Admin, "lead", "read", "all")]).is_ok());
        assert!(check_grants(&[(Role::Admin, "lead", "reed", "all")]).is_err());
        assert!(check_grants(&[(Role::Admin, "lead", "read", "everyone")]).is_err());
        assert!(check_grants(&[(Role::Admin, "Lead", "read", "all")]).is_err());
        assert!(check_grants(&[
            (Role::Admin, "lead", "read", "all"),
            (Role::Admin, "lead", "read", "own")
        ])
        .is_err());
        assert!(check_field_grants(&[(Role::Admin, "lead", "email", true, true)]).is_ok());
        assert!(check_field_grants(&[(Role::Admin, "lead", "e-mail", true, false)]).is_err());
        assert!(check_field_grants(&[(Role::Admin, "lead", "email", false, true)]).is_err());
    }
}
