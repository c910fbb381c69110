//! Relay connections: sort direction, page info, and a generic page of rows.

use super::json::{self, FromJson};
use serde::Serialize;
use serde_json::Value;

/// Sort direction (`SortDirection`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Direction {
    /// Ascending.
    #[serde(rename = "ASC")]
    Asc,
    /// Descending.
    #[serde(rename = "DESC")]
    Desc,
}

impl Direction {
    /// The other direction.
    pub fn flipped(self) -> Self {
        match self {
            Direction::Asc => Direction::Desc,
            Direction::Desc => Direction::Asc,
        }
    }
}

/// `PageInfo`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageInfo {
    /// There is a page after this one.
    pub has_next_page: bool,
    /// Cursor of the last row, to pass as `after` for the next page.
    pub end_cursor: Option<String>,
}

impl FromJson for PageInfo {
    fn from_json(v: &Value) -> Self {
        Self {
            has_next_page: json::flag(v, "hasNextPage"),
            end_cursor: json::opt_text(v, "endCursor"),
        }
    }
}

impl PageInfo {
    /// The cursor to continue from, when there is more to load.
    pub fn next_cursor(&self) -> Option<&str> {
        self.end_cursor.as_deref().filter(|_| self.has_next_page)
    }
}

/// A connection: one page of rows (read from `edges { node }`) and the total
/// over all pages.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection<T> {
    /// The rows of this page.
    pub nodes: Vec<T>,
    /// Where the next page starts.
    pub page_info: PageInfo,
    /// Number of rows over all pages.
    pub total_count: i64,
}

impl<T> Default for Connection<T> {
    fn default() -> Self {
        Self {
            nodes: Vec::new(),
            page_info: PageInfo::default(),
            total_count: 0,
        }
    }
}

impl<T: FromJson> FromJson for Connection<T> {
    fn from_json(v: &Value) -> Self {
        Self {
            nodes: json::items(&v["edges"])
                .iter()
                .map(|edge| T::from_json(&edge["node"]))
                .collect(),
            page_info: PageInfo::from_json(&v["pageInfo"]),
            total_count: json::int(v, "totalCount"),
        }
    }
}
