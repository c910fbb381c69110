//! Activities: calls, meetings, tasks, logged e-mails and notes, their links and attendees.

#[allow(clippy::module_inception)]
pub mod activities;
pub mod activity_attendees;
pub mod activity_links;
