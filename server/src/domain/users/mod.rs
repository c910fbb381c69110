//! Users as the API shows them, the caller's own view (`me`), sign-in and sign-out.
//!
//! Invariants: e-mails are stored lower-cased and unique; users are never deleted, only deactivated;
//! row scope on users follows the `user.read` grant (own = oneself, team = one's teams).

pub mod graphql;
pub mod loaders;
pub mod service;
pub mod teams;
