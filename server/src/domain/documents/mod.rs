//! Sales documents: the product catalogue and price lists, and quotes with revisions, their print
//! view and PDF.
//!
//! Invariants:
//! - money is exact: minor units of the document's currency (ISO 4217 decimals), quantities in
//!   thousandths, percentages in basis points; each line is rounded once, half away from zero, and
//!   a document's totals are the sums of its rounded lines (`amounts`);
//! - a quote's content lives in revisions; only the draft revision changes; sending freezes it, and
//!   a later change is a new revision, every revision staying readable;
//! - a sent quote past its validity reads as expired and can no longer be accepted;
//! - accepting a quote may win its opportunity with the quote's net amount, in the same
//!   transaction;
//! - quotes are read under the caller's row scope on their owner; products and price lists are a
//!   catalogue (`all` or nothing); a product's cost, a quote's amounts and margin, and discounts
//!   above the limit are guarded by field grants.

pub mod amounts;
pub mod enquiries;
pub mod graphql;
pub mod policy;
pub mod prices;
pub mod print;
pub mod products;
pub mod quote_print;
pub mod quotes;
