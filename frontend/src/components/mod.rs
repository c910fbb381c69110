//! Building blocks shared by the pages.

pub mod debounce;
pub mod field;
pub mod owner_field;
pub mod pager;
pub mod party_search;
pub mod shell;
pub mod sort_header;
pub mod status;
