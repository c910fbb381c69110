//! Domains, one folder each: `graphql.rs` (thin resolvers), `service.rs` (validate → authorize →
//! one transaction), `policy.rs` (row rule and sensitive fields), pure rule files.

pub mod accounts;
pub mod money;
pub mod parties;
pub mod users;
pub mod validation;

/// Sensitive fields of every object, as `(object, field)`: unreadable and unwritable unless a role's
/// field grant allows it. `me.fieldPermissions` reports the caller's grants for exactly these.
pub fn sensitive_fields() -> Vec<(&'static str, &'static str)> {
    let accounts = accounts::policy::SENSITIVE_FIELDS
        .iter()
        .map(|f| (accounts::policy::AccountObject::OBJECT_NAME, *f));
    let parties = parties::policy::SENSITIVE_FIELDS
        .iter()
        .map(|f| (parties::policy::PartyObject::OBJECT_NAME, *f));
    accounts.chain(parties).collect()
}
