//! The customer master: parties (people and organisations) and the roles they hold.

pub mod parties;
pub mod party_roles;
