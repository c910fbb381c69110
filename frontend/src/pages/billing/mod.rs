//! Billing pages: orders (sales and dealers') with deliveries, invoices with payments and credit
//! notes, and the ageing of what customers owe.

mod ageing;
mod contract_form;
mod contracts;
mod invoice;
mod invoices;
mod order;
mod orders;
mod payment;
mod payments;
mod revenue;
pub mod routes;
mod statement;

use crate::components::session::use_session;
use leptos::prelude::*;

/// Whether the signed-in user holds `object`.`action`.
fn may(object: &str, action: &str) -> bool {
    use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can(object, action)))
}

/// Whether the signed-in user may write the guarded `object`.`field`.
fn may_field(object: &str, field: &str) -> bool {
    use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can_write_field(object, field)))
}
