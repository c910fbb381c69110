//! Activities: logging them on a record, the record timeline, the week
//! calendar, my tasks, and the admin audit trail.

pub mod audit;
pub mod calendar;
mod complete;
pub mod log;
pub mod panel;
pub mod routes;
pub mod tasks;
pub mod timeline;
pub mod week;
