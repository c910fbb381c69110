//! Accounts: the list, and the create / edit form.

mod draft;
pub mod form;
pub mod list;
pub mod routes;
