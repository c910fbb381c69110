//! Who sees which orders, invoices and payments: row scope on the document's owner (the owner of
//! the order, or of the customer when a payment is recorded).

use entity::billing::{contracts, invoices, orders, payments};

use sea_orm::{ColumnTrait, Condition};

use crate::auth::Actor;
use crate::kit::aggregate::Aggregate;

/// The `order` object of grants.
pub struct OrderObject;

impl Aggregate for OrderObject {
    type Entity = orders::Entity;
    type Owner = orders::Column;
    const OBJECT: &'static str = "order";
    fn owner_column() -> orders::Column {
        orders::Column::OwnerId
    }
    /// A dealer's user reaches every purchase order of their organisation.
    fn own_also(actor: &Actor) -> Option<Condition> {
        actor
            .organization_id
            .map(|org| Condition::all().add(orders::Column::DealerId.eq(org)))
    }
}

/// The `invoice` object of grants (invoices and credit notes).
pub struct InvoiceObject;

impl Aggregate for InvoiceObject {
    type Entity = invoices::Entity;
    type Owner = invoices::Column;
    const OBJECT: &'static str = "invoice";
    fn owner_column() -> invoices::Column {
        invoices::Column::OwnerId
    }
}

/// The `payment` object of grants.
pub struct PaymentObject;

impl Aggregate for PaymentObject {
    type Entity = payments::Entity;
    type Owner = payments::Column;
    const OBJECT: &'static str = "payment";
    fn owner_column() -> payments::Column {
        payments::Column::OwnerId
    }
}

/// The `contract` object of grants.
pub struct ContractObject;

impl Aggregate for ContractObject {
    type Entity = contracts::Entity;
    type Owner = contracts::Column;
    const OBJECT: &'static str = "contract";
    const SENSITIVE: &'static [crate::policy::Field] = &[super::contracts::CONTRACT_REVIEW];
    fn owner_column() -> contracts::Column {
        contracts::Column::OwnerId
    }
}
