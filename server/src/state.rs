//! The state shared by every request.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::cache::AccessCache;
use crate::auth::throttle::SignInThrottle;
use crate::config::AppConfig;
use crate::db::StatementCounter;
use crate::events::EventHub;

/// Database pool, configuration and event hub; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<AppConfig>,
    pub events: EventHub,
    /// SQL statements executed through `db` so far.
    pub statements: Arc<StatementCounter>,
    /// Users' grants and team reach, per access epoch (see `auth::cache`).
    pub access: Arc<AccessCache>,
    /// Failed sign-ins per address, e-mail and process (see `auth::throttle`).
    pub sign_in: Arc<SignInThrottle>,
    /// Values derived from many rows, kept while the rows they came from are unchanged.
    pub memo: Arc<Memo>,
}

/// A small cache of derived values (fitted forecast models, say): each entry is kept under a key
/// with the token of the data it was derived from, and is derived anew when the token differs.
#[derive(Default)]
pub struct Memo {
    entries: std::sync::Mutex<std::collections::HashMap<String, MemoEntry>>,
}

/// A kept value with the token it was derived at.
type MemoEntry = (String, Arc<dyn std::any::Any + Send + Sync>);

/// Entries kept at most; the cache is emptied when it would grow beyond.
const MEMO_ENTRIES: usize = 256;

impl Memo {
    /// The value kept under `key` if it was derived at `token`.
    pub fn get<T: Send + Sync + 'static>(&self, key: &str, token: &str) -> Option<Arc<T>> {
        let entries = self.entries.lock().ok()?;
        let (t, v) = entries.get(key)?;
        if t != token {
            return None;
        }
        v.clone().downcast::<T>().ok()
    }

    /// Keeps `value` under `key`, derived at `token`.
    pub fn put<T: Send + Sync + 'static>(&self, key: String, token: String, value: Arc<T>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MEMO_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (token, value));
        }
    }
}

impl AppState {
    /// Builds the state around an open database.
    pub fn new(
        db: DatabaseConnection,
        statements: Arc<StatementCounter>,
        config: AppConfig,
    ) -> Self {
        let events = EventHub::for_database(&db);
        Self {
            db,
            config: Arc::new(config),
            events,
            statements,
            access: Arc::default(),
            sign_in: Arc::default(),
            memo: Arc::default(),
        }
    }
}
