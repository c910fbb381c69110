//! Keyset pagination shared by every list: page sizes, opaque cursors on `(sort key, id)`.

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Page size when the client gives none.
pub const DEFAULT_PAGE_SIZE: u64 = 25;
/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// The sort key of the last row seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SortValue {
    Time(DateTime<Utc>),
    Text(String),
}

/// A position in a sorted list: the sort key and id of a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// Which ordering the cursor belongs to; a cursor from another ordering is refused.
    pub o: String,
    pub k: SortValue,
    pub id: Uuid,
}

impl Cursor {
    /// The opaque string sent to clients.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    /// Parses a client's `after`, checking that it belongs to `ordering`.
    pub fn decode(s: &str, ordering: &str) -> AppResult<Self> {
        let bad = || AppError::bad_input("after", "is not a cursor of this list and ordering");
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| bad())?;
        let c: Cursor = serde_json::from_slice(&raw).map_err(|_| bad())?;
        if c.o != ordering {
            return Err(bad());
        }
        Ok(c)
    }
}

/// Validated paging arguments.
#[derive(Debug, Clone)]
pub struct Page {
    pub first: u64,
    pub after: Option<String>,
}

impl Page {
    /// Checks `first` against the page-size limits.
    pub fn new(first: Option<i32>, after: Option<String>) -> AppResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if n >= 1 && (n as u64) <= MAX_PAGE_SIZE => n as u64,
            Some(_) => {
                return Err(AppError::bad_input(
                    "first",
                    format!("must be between 1 and {MAX_PAGE_SIZE}"),
                ))
            }
        };
        Ok(Self { first, after })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_is_bound_to_its_ordering() -> AppResult<()> {
        let c = Cursor {
            o: "NAME_ASC".into(),
            k: SortValue::Text("acme".into()),
            id: Uuid::new_v4(),
        };
        assert_eq!(Cursor::decode(&c.encode(), "NAME_ASC")?, c);
        assert!(Cursor::decode(&c.encode(), "CODE_ASC").is_err());
        assert!(Cursor::decode("garbage", "NAME_ASC").is_err());
        let t = Cursor {
            o: "X".into(),
            k: SortValue::Time(crate::db::now()),
            id: Uuid::new_v4(),
        };
        assert_eq!(Cursor::decode(&t.encode(), "X")?, t);
        Ok(())
    }

    #[test]
    fn page_size_limits() {
        assert_eq!(
            Page::new(None, None).map(|p| p.first).ok(),
            Some(DEFAULT_PAGE_SIZE)
        );
        assert!(Page::new(Some(0), None).is_err());
        assert!(Page::new(Some(101), None).is_err());
        assert_eq!(Page::new(Some(100), None).map(|p| p.first).ok(), Some(100));
    }
}
