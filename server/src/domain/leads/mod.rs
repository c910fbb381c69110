//! Leads: capture (forms, imports, by hand), contact lists, assignment, qualification and
//! conversion into accounts, contacts and opportunities through an admin-edited mapping.

pub mod assignment;
pub mod convert;
pub mod fields;
pub mod forms;
pub mod graphql;
pub mod import;
pub mod kinds;
pub mod lists;
pub mod loaders;
pub mod policy;
pub mod service;
