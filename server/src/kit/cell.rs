//! A value read once per request and shared by its resolvers (the stage catalog, custom field
//! definitions, pick-lists): on an HTTP request it is read at most once; on a WebSocket
//! connection, whose data lives as long as the connection, it is re-read when older than its
//! maximum age, so live events see renamed or retired entries.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::error::AppResult;

/// The cell: empty until first read.
pub struct RequestCell<T> {
    max_age: Option<Duration>,
    slot: Mutex<Option<(Instant, Arc<T>)>>,
}

impl<T> Default for RequestCell<T> {
    fn default() -> Self {
        Self {
            max_age: None,
            slot: Mutex::new(None),
        }
    }
}

impl<T> RequestCell<T> {
    /// A cell that re-reads once its value is older than `max_age`.
    pub fn refreshed_every(max_age: Duration) -> Self {
        Self {
            max_age: Some(max_age),
            slot: Mutex::new(None),
        }
    }

    /// The value, read by `load` on first use or when stale.
    pub async fn get_or_load<F, Fut>(&self, load: F) -> AppResult<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some((at, value)) = slot.as_ref() {
            if self.max_age.is_none_or(|m| at.elapsed() < m) {
                return Ok(value.clone());
            }
        }
        let value = Arc::new(load().await?);
        *slot = Some((Instant::now(), value.clone()));
        Ok(value)
    }
}
