//! Who sees which sales documents: quotes under row scope on their owner; products and price lists
//! are a catalogue without owners (`all` or nothing); the guarded cost, margin, amounts and large
//! discounts.

use entity::documents::{enquiries, quotes};

use crate::kit::aggregate::Aggregate;
use crate::policy::Field;

/// The `quote` object of grants.
pub struct QuoteObject;

impl Aggregate for QuoteObject {
    type Entity = quotes::Entity;
    type Owner = quotes::Column;
    const OBJECT: &'static str = "quote";
    const SENSITIVE: &'static [Field] = &[QUOTE_AMOUNT, QUOTE_MARGIN, LARGE_DISCOUNT];
    fn owner_column() -> quotes::Column {
        quotes::Column::OwnerId
    }
}

/// The `product` object of grants.
pub const PRODUCT: &str = "product";
/// The `price_list` object of grants.
pub const PRICE_LIST: &str = "price_list";

/// A product's cost (and every figure derived from it).
pub const PRODUCT_COST: Field = Field::new(PRODUCT, "cost");
/// A quote's prices, discounts, taxes and totals.
pub const QUOTE_AMOUNT: Field = Field::new(QuoteObject::OBJECT, "amount");
/// A quote's margin (net less cost), per line and in total.
pub const QUOTE_MARGIN: Field = Field::new(QuoteObject::OBJECT, "margin");
/// Writing a discount above [`DISCOUNT_LIMIT_BP`] on a line or a quote.
pub const LARGE_DISCOUNT: Field = Field::new(QuoteObject::OBJECT, "largeDiscount");

/// The largest discount (basis points) a quote may carry without [`LARGE_DISCOUNT`].
pub const DISCOUNT_LIMIT_BP: i32 = 1500;

/// Sensitive fields of the catalogue.
pub const CATALOGUE_SENSITIVE: &[Field] = &[PRODUCT_COST];

/// The `enquiry` object of grants.
pub struct EnquiryObject;

impl Aggregate for EnquiryObject {
    type Entity = enquiries::Entity;
    type Owner = enquiries::Column;
    const OBJECT: &'static str = "enquiry";
    fn owner_column() -> enquiries::Column {
        enquiries::Column::OwnerId
    }
}
