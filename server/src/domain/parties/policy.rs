//! Who sees which parties: row scope on the owner, and the sensitive fields.

use entity::parties::parties;

use crate::kit::aggregate::Aggregate;
use crate::policy::Field;

/// The `party` object of grants.
pub struct PartyObject;

impl Aggregate for PartyObject {
    type Entity = parties::Entity;
    type Owner = parties::Column;
    const OBJECT: &'static str = "party";
    const SENSITIVE: &'static [Field] = &[CONTACT_FIELD, TAX_FIELD];
    fn owner_column() -> parties::Column {
        parties::Column::OwnerId
    }
}

/// Contact details: e-mails, phones, addresses, web addresses.
pub const CONTACT_FIELD: Field = Field::new(PartyObject::OBJECT, "contactMechanisms");

/// Tax ids (VAT, EIN, …): kept by the sales roles, read by billing.
pub const TAX_FIELD: Field = Field::new(PartyObject::OBJECT, "taxIds");
