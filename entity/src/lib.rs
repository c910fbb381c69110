//! sea-orm entities: one module per table, grouped by domain.
//!
//! This crate knows nothing of GraphQL, HTTP or policy: the server decides which columns are exposed,
//! under which guard.

pub mod access;
pub mod activities;
pub mod billing;
pub mod change_log;
pub mod custom_fields;
pub mod documents;
pub mod forecasts;
pub mod jobs;
pub mod leads;
pub mod opportunities;
pub mod parties;
pub mod picklists;
pub mod role_default_views;
pub mod saved_views;
pub mod sequences;
