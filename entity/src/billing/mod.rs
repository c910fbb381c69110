//! Orders, invoices and credit notes, payments and their allocations, contracts.
pub mod contracts;
pub mod invoice_lines;
pub mod invoices;
pub mod order_lines;
pub mod orders;
pub mod payment_allocations;
pub mod payments;
