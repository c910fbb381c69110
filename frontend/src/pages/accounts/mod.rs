//! Accounts: the list, and the create / edit form.

mod draft;
mod fields;
pub mod form;
pub mod list;
