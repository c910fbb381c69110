//! Administration in the app: users, teams, roles and permissions; and every user's own account
//! (password and sessions).

pub mod account;
pub mod custom_fields;
pub mod picklists;
pub mod roles;
pub mod routes;
pub mod teams;
pub mod users;
