//! Who sees which parties: row scope on the owner, and the sensitive fields.

use entity::parties::parties;

use crate::policy::{Field, ScopedObject};

/// The `party` object of grants.
pub struct PartyObject;

impl PartyObject {
    /// The object's name in grants.
    pub const OBJECT_NAME: &'static str = "party";
}

impl ScopedObject for PartyObject {
    const OBJECT: &'static str = Self::OBJECT_NAME;
    type Column = parties::Column;
    fn owner_column() -> parties::Column {
        parties::Column::OwnerId
    }
}

/// Contact details: e-mails, phones, addresses, web addresses.
pub const CONTACT_FIELD: Field = Field::new(PartyObject::OBJECT_NAME, "contactMechanisms");

/// Fields readable or writable only under a field grant.
pub const SENSITIVE_FIELDS: &[Field] = &[CONTACT_FIELD];
