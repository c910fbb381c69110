//! Who sees which activities: row scope on the owner, and the guarded private note.

use entity::activities::activities;

use crate::policy::{Field, ScopedObject};

/// The `activity` object of grants.
pub struct ActivityObject;

impl ActivityObject {
    /// The object's name in grants.
    pub const OBJECT_NAME: &'static str = "activity";
}

impl ScopedObject for ActivityObject {
    const OBJECT: &'static str = Self::OBJECT_NAME;
    type Column = activities::Column;
    fn owner_column() -> activities::Column {
        activities::Column::OwnerId
    }
}

/// The guarded private note.
pub const PRIVATE_NOTE: Field = Field::new(ActivityObject::OBJECT_NAME, "privateNote");

/// Fields readable or writable only under a field grant.
pub const SENSITIVE_FIELDS: &[Field] = &[PRIVATE_NOTE];
