//! Administration in the app: users and teams; and every user's own account (password and
//! sessions).

pub mod account;
pub mod routes;
pub mod teams;
pub mod users;
