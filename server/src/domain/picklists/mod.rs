//! Pick-lists: vocabularies administrators keep (the opportunity type, …), offered in forms and
//! checked on every write that names one of their values.
//!
//! Invariants:
//! - a value is `(list, key)`, unique; its key never changes, so records keep pointing at it;
//! - removing a value archives it: records that hold it keep it (and show its label), forms no
//!   longer offer it and new writes may not choose it;
//! - anyone signed in reads the lists; the `picklist` grants (administrators) change them, each
//!   change logged.

pub mod graphql;
pub mod service;

pub use service::{PicklistKey, OBJECT};
