//! The floor every domain builds on: aggregates and their scoped reads, typed global ids, keyset paging and connections, filters and
//! scalars, the resolver context, versioned writes with their change log and publication, and the
//! site address. It depends on `auth`, `policy`, `db`, `changelog` and `events` only; the domains
//! depend on it, and `graphql` (the schema roots and `node`) sits above them all.

pub mod aggregate;
pub mod cell;
pub mod csv;
pub mod filters;
pub mod ids;
pub mod paging;
pub mod resolve;
pub mod scalars;
pub mod web;
pub mod write;
