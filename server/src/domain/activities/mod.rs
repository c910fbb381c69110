//! Activities (SPEC ): calls, meetings, tasks, logged e-mails and notes linked to parties
//! and opportunities, the calendar (with repeating calls and meetings), tasks and reminders.

pub mod graphql;
pub mod kinds;
pub mod policy;
pub mod recurrence;
pub mod reminders;
pub mod rules;
pub mod service;
pub mod system;
