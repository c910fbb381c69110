//! Custom fields: administrator-defined, typed fields of parties, accounts, leads, opportunities
//! and activities.
//!
//! Invariants:
//! - a field is `(object, key)`, unique; its key, object and type never change, so stored values
//!   always match their field; removing a field archives it and keeps its values;
//! - each field is guarded like a sensitive field: the field grant `custom.<key>` of its object
//!   (in `role_field_grants`, so the role matrix and the access cache treat it like any other);
//!   administrators always read and write it; values, filters and change-log lines of a field are
//!   shown only to whoever may read it;
//! - values are written only on records the caller may update, each by the field's write grant,
//!   all of one request in one transaction, logged on the record.

pub mod filter;
pub mod graphql;
pub mod rules;
pub mod service;
pub mod sort;
