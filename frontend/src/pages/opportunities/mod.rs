//! Opportunities: the pipeline board, and the create / edit form with the
//! opportunity's history.

pub mod board;
mod draft;
pub mod form;
mod history;
pub mod routes;
