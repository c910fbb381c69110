//! Users as the API shows them, the caller's own view (`me`), sign-in and sign-out, and the
//! administration of users and teams.
//!
//! Invariants: e-mails are stored lower-cased and unique; users are never deleted, only deactivated;
//! row scope on users follows the `user.read` grant (own = oneself, team = one's teams).

pub mod admin;
pub mod graphql;
pub mod loaders;
pub mod service;
pub mod team_admin;
pub mod teams;
