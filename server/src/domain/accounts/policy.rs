//! Who sees which accounts: row scope on the owner, and the sensitive fields.

use entity::parties::parties;

use crate::policy::{Field, ScopedObject};

/// The `account` object of grants.
pub struct AccountObject;

impl AccountObject {
    /// The object's name in grants.
    pub const OBJECT_NAME: &'static str = "account";
}

impl ScopedObject for AccountObject {
    const OBJECT: &'static str = Self::OBJECT_NAME;
    type Column = parties::Column;
    fn owner_column() -> parties::Column {
        parties::Column::OwnerId
    }
}

/// The guarded annual revenue.
pub const ANNUAL_REVENUE: Field = Field::new(AccountObject::OBJECT_NAME, "annualRevenue");

/// Fields readable or writable only under a field grant.
pub const SENSITIVE_FIELDS: &[Field] = &[ANNUAL_REVENUE];
