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
        }
    }
}
