//! The customer master: parties (people and organisations), the roles they hold, their contact
//! mechanisms and relationships, search, and the 360° profile.
//!
//! Invariants:
//! - a person has a fore name and a surname; an organisation has a group name; `sort_name` is the
//!   lower-cased display name and feeds sorting and search;
//! - `code` is unique (`P-000001` for people, `O-000001` for organisations when none is given);
//! - roles are rows of `party_roles`; a customer (CUSTOMER role) carries a type, B2B or B2C;
//! - tax ids are the sensitive field `party.taxIds`; external ids (system, value) are unique per
//!   system and read with the party;
//! - contact details are the sensitive field `party.contactMechanisms`: read and written only under a
//!   field grant, and masked in timelines otherwise;
//! - reads apply the row scope of the caller's `party.read` grant on `owner_id`; the other end of a
//!   relationship is shown only when it is visible too;
//! - every write appends change-log rows (object `party`) in its transaction.

pub mod graphql;
pub mod identifiers;
pub mod kinds;
pub mod lifecycle;
pub mod lifecycle_ops;
pub mod loaders;
pub mod mechanisms;
pub mod merge;
pub mod operations;
pub mod policy;
pub mod relationships;
pub mod search;
pub mod service;
pub mod sort;
pub mod timeline;
