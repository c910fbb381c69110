//! Opportunities and the pipeline (SPEC O-1 … O-5): pipelines with ordered stages, opportunities
//! moving through them with their history, the board with scoped totals, and live changes.

pub mod board;
pub mod graphql;
pub mod kinds;
pub mod loaders;
pub mod pipelines;
pub mod policy;
pub mod rules;
pub mod service;
