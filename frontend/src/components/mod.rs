//! Building blocks shared by the pages.

pub mod charts;
pub mod custom_values;
pub mod debounce;
pub mod dialog;
pub mod download;
pub mod field;
pub mod lazy;
pub mod load;
pub mod money_field;
pub mod nav;
pub mod owner_field;
pub mod pager;
pub mod palette;
pub mod party_search;
pub mod recent;
pub mod select_field;
pub mod session;
pub mod shell;
pub mod sort_header;
pub mod status;
pub mod table;
pub mod timing;
