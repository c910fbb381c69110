//! Who sees which leads and lists: row scope on the owner; forms, rules and the mapping are
//! administration without row scope.

use entity::leads::contact_lists;
use entity::parties::parties;

use crate::policy::ScopedObject;

/// The `lead` object of grants. A lead's owner is its party's owner.
pub struct LeadObject;

impl LeadObject {
    /// The object's name in grants.
    pub const OBJECT_NAME: &'static str = "lead";
}

impl ScopedObject for LeadObject {
    const OBJECT: &'static str = Self::OBJECT_NAME;
    type Column = parties::Column;
    fn owner_column() -> parties::Column {
        parties::Column::OwnerId
    }
}

/// The `contact_list` object of grants.
pub struct ContactListObject;

impl ContactListObject {
    /// The object's name in grants.
    pub const OBJECT_NAME: &'static str = "contact_list";
}

impl ScopedObject for ContactListObject {
    const OBJECT: &'static str = Self::OBJECT_NAME;
    type Column = contact_lists::Column;
    fn owner_column() -> contact_lists::Column {
        contact_lists::Column::OwnerId
    }
}

/// Web-to-lead forms and their submissions.
pub const WEB_FORM: &str = "web_form";
/// Assignment rules.
pub const ASSIGNMENT_RULE: &str = "assignment_rule";
/// The conversion mapping.
pub const LEAD_MAPPING: &str = "lead_mapping";
