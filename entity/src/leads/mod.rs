//! Leads: the lead fields of a party holding the LEAD role, contact lists, web-to-lead forms,
//! assignment rules and the conversion mapping.

pub mod assignment_rules;
pub mod contact_list_members;
pub mod contact_lists;
pub mod conversion_mappings;
#[allow(clippy::module_inception)]
pub mod leads;
pub mod web_form_submissions;
pub mod web_forms;
