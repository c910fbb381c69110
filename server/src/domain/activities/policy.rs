//! Who sees which activities: row scope on the owner, and the guarded private note.

use entity::activities::activities;

use crate::kit::aggregate::Aggregate;
use crate::policy::Field;

/// The `activity` object of grants.
pub struct ActivityObject;

impl Aggregate for ActivityObject {
    type Entity = activities::Entity;
    type Owner = activities::Column;
    const OBJECT: &'static str = "activity";
    const SENSITIVE: &'static [Field] = &[PRIVATE_NOTE];
    fn owner_column() -> activities::Column {
        activities::Column::OwnerId
    }
}

/// The guarded private note.
pub const PRIVATE_NOTE: Field = Field::new(ActivityObject::OBJECT, "privateNote");
