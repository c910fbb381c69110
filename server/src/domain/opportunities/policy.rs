//! Who sees which opportunities: row scope on the owner, and the guarded amount.

use entity::opportunities::opportunities;

use crate::policy::{Field, ScopedObject};

/// The `opportunity` object of grants.
pub struct OpportunityObject;

impl OpportunityObject {
    /// The object's name in grants.
    pub const OBJECT_NAME: &'static str = "opportunity";
}

impl ScopedObject for OpportunityObject {
    const OBJECT: &'static str = Self::OBJECT_NAME;
    type Column = opportunities::Column;
    fn owner_column() -> opportunities::Column {
        opportunities::Column::OwnerId
    }
}

/// The `pipeline` object of grants (pipelines and their stages; no row scope).
pub const PIPELINE: &str = "pipeline";

/// The guarded amount field (also guards weighted amounts, column sums and amount filters).
pub const AMOUNT_FIELD: Field = Field::new(OpportunityObject::OBJECT_NAME, "amount");

/// Fields readable or writable only under a field grant.
pub const SENSITIVE_FIELDS: &[Field] = &[AMOUNT_FIELD];
