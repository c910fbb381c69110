//! The CRM server: GraphQL API (async-graphql on axum), policy, domain services and the host of the
//! single-page app. `main.rs` is the CLI; tests build the same app through [`build_app`].

pub mod auth;
pub mod backup;
pub mod bench;
pub mod changelog;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod kit;
pub mod mail;
pub mod policy;
pub mod seed;
pub mod state;

pub use graphql::{build_schema, schema_builder, CrmSchema};
pub use http::build_app;
pub use state::AppState;

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn schema_sdl() -> String {
    schema_builder().finish().sdl()
}
