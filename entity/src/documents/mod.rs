//! Sales documents: tax categories, products and their prices, price lists, quotes with their
//! revisions and lines.
pub mod enquiries;
pub mod enquiry_lines;
pub mod price_list_items;
pub mod price_lists;
pub mod product_prices;
pub mod products;
pub mod quote_lines;
pub mod quote_revisions;
pub mod quotes;
pub mod tax_categories;
