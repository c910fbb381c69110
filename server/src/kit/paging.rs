//! Keyset pagination shared by every list: page sizes, opaque cursors on `(sort key, id)`, the lazy
//! `totalCount`, one connection builder, and the per-request loaders lists prime.

use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::{
    CacheFactory, CacheStorage, DataLoader, HashMapCache, Loader, NoCache,
};
use async_graphql::{Object, OutputType};
use base64::Engine;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
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
    /// A number (custom number, decimal and money fields).
    Number(f64),
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

/// A connection over one keyset page: each edge's cursor is `cursor(row)`, each node `node(row)`.
pub fn connection<R, T: OutputType>(
    rows: Vec<R>,
    has_previous: bool,
    has_next: bool,
    total: TotalCount,
    cursor: impl Fn(&R) -> Cursor,
    node: impl Fn(R) -> T,
) -> Connection<String, T, TotalCount> {
    let mut conn = Connection::with_additional_fields(has_previous, has_next, total);
    conn.edges.extend(rows.into_iter().map(|row| {
        let c = cursor(&row).encode();
        Edge::new(c, node(row))
    }));
    conn
}

type CountFn = Arc<dyn Fn() -> BoxFuture<'static, AppResult<u64>> + Send + Sync>;

/// The `totalCount` of a connection: known already, or counted only when the client asks for it.
pub struct TotalCount(CountInner);

enum CountInner {
    Known(u64),
    Lazy(CountFn),
}

impl TotalCount {
    /// A count computed already.
    pub fn known(n: u64) -> Self {
        Self(CountInner::Known(n))
    }

    /// A count computed on demand by `f` (which applies the same filter and row scope as the list).
    pub fn lazy(
        f: impl Fn() -> BoxFuture<'static, AppResult<u64>> + Send + Sync + 'static,
    ) -> Self {
        Self(CountInner::Lazy(Arc::new(f)))
    }
}

#[Object]
impl TotalCount {
    /// How many items match, over all pages.
    async fn total_count(&self) -> AppResult<i64> {
        let n = match &self.0 {
            CountInner::Known(n) => *n,
            CountInner::Lazy(f) => f().await?,
        };
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// The cache of a per-request loader: kept for one HTTP request, so a list primes it once; off for a
/// WebSocket connection, whose events must each be read fresh (current rows, current visibility).
#[derive(Clone, Copy)]
pub struct RequestCache {
    pub keep: bool,
}

impl CacheFactory for RequestCache {
    fn create<K, V>(&self) -> Box<dyn CacheStorage<Key = K, Value = V>>
    where
        K: Send + Sync + Clone + Eq + std::hash::Hash + 'static,
        V: Send + Sync + Clone + 'static,
    {
        if self.keep {
            HashMapCache::default().create()
        } else {
            NoCache.create()
        }
    }
}

/// The per-request loader of type `T` (cached).
pub type Loaded<T> = DataLoader<T, RequestCache>;

/// Loads the keys a page will need in one batch, when the query selects the relation, so that the
/// statement count of a list never depends on its size or on timing.
pub async fn prime<T: Loader<Uuid>>(
    ctx: &async_graphql::Context<'_>,
    selected: bool,
    keys: impl IntoIterator<Item = Uuid>,
) -> AppResult<()>
where
    T::Error: std::fmt::Display,
{
    if !selected {
        return Ok(());
    }
    let loader = ctx.data::<Loaded<T>>()?;
    loader
        .load_many(keys)
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("loading: {e}")))?;
    Ok(())
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
