//! The customer master: parties (people and organisations) and the roles they hold.

// The table and its domain share the name `parties`.
pub mod contact_mechanisms;
#[allow(clippy::module_inception)]
pub mod parties;
pub mod party_external_ids;
pub mod party_relationships;
pub mod party_roles;
pub mod party_tax_ids;
