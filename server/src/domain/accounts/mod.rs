//! Accounts: organisations holding the ACCOUNT role in the customer master.
//!
//! Invariants:
//! - an account is a `parties` row of kind ORGANIZATION with a `party_roles` row ACCOUNT;
//! - `code` is unique; when none is given one is generated (`A-000001`) in the creating transaction;
//! - every write checks `version` (stale → CONFLICT), bumps it, and appends a change-log row in the
//!   same transaction; archiving hides an account from default lists but never deletes it;
//! - `annualRevenue` is a sensitive field: read and written only under a field grant;
//! - reads apply the row scope of the caller's `account.read` grant on `owner_id`.

pub mod export;
pub mod filter;
pub mod graphql;
pub mod policy;
pub mod service;
