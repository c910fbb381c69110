//! Parties — the customer master: the contacts and customers lists, the
//! person and organisation forms, and the 360° profile.

mod draft;
mod fields;
pub mod form;
pub mod list;
pub mod profile;
