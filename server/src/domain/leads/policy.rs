//! Who sees which leads and lists: row scope on the owner; forms, rules and the mapping are
//! administration without row scope.

use entity::leads::{contact_lists, leads};
use entity::parties::parties;
use sea_orm::{EntityTrait, QuerySelect, RelationTrait, Select};

use crate::kit::aggregate::Aggregate;

/// The `lead` object of grants. A lead's owner is its party's owner.
pub struct LeadObject;

impl Aggregate for LeadObject {
    type Entity = leads::Entity;
    type Owner = parties::Column;
    const OBJECT: &'static str = "lead";
    fn owner_column() -> parties::Column {
        parties::Column::OwnerId
    }
    fn rows() -> Select<leads::Entity> {
        leads::Entity::find().join(sea_orm::JoinType::InnerJoin, leads::Relation::Party.def())
    }
}

/// The `contact_list` object of grants.
pub struct ContactListObject;

impl Aggregate for ContactListObject {
    type Entity = contact_lists::Entity;
    type Owner = contact_lists::Column;
    const OBJECT: &'static str = "contact_list";
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
