//! Billing: sales orders and dealer purchase orders with per-line delivery, invoices and credit
//! notes, payments allocated to invoices, the customer's balance and the ageing of what is owed,
//! and overdue reminders (dunning) run as durable jobs.
//!
//! Invariants:
//! - money is exact (`documents::amounts`): every document's totals are the sums of its rounded
//!   lines; an invoice for part of an order line is priced anew for that quantity;
//! - an order line is never invoiced beyond its quantity (drafts reserve what they bill);
//! - an invoice gets its number when it is issued, in the issuing transaction, from the counter of
//!   its series and year: numbers are unique and without gaps (a failed issue rolls the counter
//!   back with everything else); an issued invoice never changes — corrections are credit notes;
//! - what is open on an invoice is its total less what payments and credit notes settled, never
//!   below zero; a payment is never allocated beyond its amount nor an invoice beyond its open
//!   amount; what a payment leaves unallocated is the customer's credit;
//! - issuing an invoice enqueues its first overdue reminder in the same transaction; each reminder
//!   raises the dunning level, gives the owner a task and enqueues the next;
//! - every read is under the caller's row scope on the document's owner.

pub mod contracts;
pub mod dunning;
pub mod graphql;
pub mod invoices;
pub mod ledger;
pub mod orders;
pub mod payments;
pub mod policy;
pub mod revenue;
pub mod revenue_csv;
pub mod statement;
