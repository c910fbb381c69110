//! Billing pages: orders (sales and dealers') with deliveries, invoices with payments and credit
//! notes, and the ageing of what customers owe.

mod ageing;
mod invoice;
mod invoices;
mod order;
mod orders;
pub mod routes;

use crate::components::session::use_session;
use leptos::prelude::*;

/// Whether the signed-in user holds `object`.`action`.
fn may(object: &str, action: &str) -> bool {
    use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can(object, action)))
}
