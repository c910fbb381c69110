//! Accounts: the list, and the create / edit form.

pub mod routes;
mod draft;
pub mod form;
pub mod list;
