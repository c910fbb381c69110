//! The pipeline: pipelines with ordered stages, opportunities, their contacts and field history.

#[allow(clippy::module_inception)]
pub mod opportunities;
pub mod opportunity_contacts;
pub mod opportunity_history;
pub mod pipeline_stages;
pub mod pipelines;
