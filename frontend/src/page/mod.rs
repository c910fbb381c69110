//! The page layer: what every domain's pages are made of, described by the
//! domain and rendered here once.
//!
//! - [`list`]: the list page (title, "New", search, filters, sortable
//!   headers, table, pager, empty and error states), from a
//!   [`list::ListSpec`].
//! - [`form`]: the record form (breadcrumb, header, notices, version
//!   conflict with "Reload", labelled fields with their validation messages,
//!   save with its busy state), from a [`form::FormSpec`].
//! - [`record`]: loading a record by its address, with its "not found",
//!   error and loading states.
//! - [`lazy`]: parts of a page whose code is fetched when they are first shown.
//! - [`columns`]: custom fields as list columns.

mod bulk;
pub mod columns;
mod field;
pub mod form;
pub mod lazy;
pub mod list;
mod merge;
mod query;
pub mod record;
mod views;
