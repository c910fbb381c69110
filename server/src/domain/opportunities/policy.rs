//! Who sees which opportunities: row scope on the owner, and the guarded amount.

use entity::opportunities::opportunities;

use crate::kit::aggregate::Aggregate;
use crate::policy::Field;

/// The `opportunity` object of grants.
pub struct OpportunityObject;

impl Aggregate for OpportunityObject {
    type Entity = opportunities::Entity;
    type Owner = opportunities::Column;
    const OBJECT: &'static str = "opportunity";
    const SENSITIVE: &'static [Field] = &[AMOUNT_FIELD];
    fn owner_column() -> opportunities::Column {
        opportunities::Column::OwnerId
    }
}

/// The `pipeline` object of grants (pipelines and their stages; no row scope).
pub const PIPELINE: &str = "pipeline";

/// The guarded amount field (also guards weighted amounts, column sums and amount filters).
pub const AMOUNT_FIELD: Field = Field::new(OpportunityObject::OBJECT, "amount");
