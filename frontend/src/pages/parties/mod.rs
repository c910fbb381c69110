//! Parties — the customer master: the contacts and customers lists, the
//! person and organisation forms, the 360° profile, and
//! the deletion requests awaiting a decision.

pub mod deletion_requests;
mod draft;
mod fields;
pub mod form;
pub mod list;
pub mod profile;
pub mod routes;
