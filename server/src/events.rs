//! Live change events: published after a mutation commits, delivered to subscriptions.
//!
//! Each event names the changed object and carries its change-log cursor; subscribers re-read the
//! object under their own row scope and field grants, so an event never leaks data by itself.
//!
//! Within one process events go through a broadcast channel. On PostgreSQL every process also
//! sends its events with `NOTIFY crm_changes` and listens on that channel, so a change committed
//! through one server reaches subscribers of every other server on the same database. After the
//! listening connection drops, the missed changes are read back from the change log.

use entity::change_log;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

use crate::error::AppResult;

/// The PostgreSQL channel of change events.
const CHANNEL: &str = "crm_changes";

/// One committed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    /// The change-log id of the change.
    pub cursor: i64,
    pub object_type: String,
    pub object_id: Uuid,
    pub action: String,
}

impl ChangeEvent {
    /// An event for a change-log row.
    pub fn new(cursor: i64, object_type: &str, object_id: Uuid, action: &str) -> Self {
        Self {
            cursor,
            object_type: object_type.to_string(),
            object_id,
            action: action.to_string(),
        }
    }
}

/// An event as sent to other processes: tagged with the sending hub, which ignores its own echo.
#[derive(Debug, Serialize, Deserialize)]
struct Wire {
    origin: Uuid,
    #[serde(flatten)]
    event: ChangeEvent,
}

/// The process-wide event hub.
#[derive(Debug, Clone)]
pub struct EventHub {
    tx: broadcast::Sender<ChangeEvent>,
    /// Events to forward to other processes (PostgreSQL only).
    remote: Option<mpsc::UnboundedSender<ChangeEvent>>,
    origin: Uuid,
}

impl Default for EventHub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(4096);
        Self {
            tx,
            remote: None,
            origin: Uuid::new_v4(),
        }
    }
}

impl EventHub {
    /// The hub for a database: in-process only on SQLite; on PostgreSQL also fanned out to, and
    /// received from, the other server processes on the same database. Must run inside a Tokio
    /// runtime.
    pub fn for_database(db: &DatabaseConnection) -> Self {
        let mut hub = Self::default();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            let (tx, rx) = mpsc::unbounded_channel();
            hub.remote = Some(tx);
            tokio::spawn(notify_loop(db.clone(), hub.origin, rx));
            tokio::spawn(listen_loop(db.clone(), hub.origin, hub.tx.clone()));
        }
        hub
    }

    /// Publishes a committed change; nobody listening is fine.
    pub fn publish(&self, event: ChangeEvent) {
        if let Some(remote) = &self.remote {
            let _ = remote.send(event.clone());
        }
        let _ = self.tx.send(event);
    }

    /// Publishes an event to this process's subscribers only (for events every process raises on
    /// its own, such as reminders coming due).
    pub fn publish_local(&self, event: ChangeEvent) {
        let _ = self.tx.send(event);
    }

    /// A new receiver of every later event.
    pub fn subscribe(&self) -> broadcast::Receiver<ChangeEvent> {
        self.tx.subscribe()
    }
}

/// Sends this process's events to the others, in order. It uses the pool directly: these
/// statements belong to no request, so they stay out of the statement counter.
async fn notify_loop(
    db: DatabaseConnection,
    origin: Uuid,
    mut rx: mpsc::UnboundedReceiver<ChangeEvent>,
) {
    let pool = db.get_postgres_connection_pool().clone();
    while let Some(event) = rx.recv().await {
        let Ok(payload) = serde_json::to_string(&Wire { origin, event }) else {
            continue;
        };
        let sent = sea_orm::sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&pool)
            .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "could not forward a change event to other servers");
        }
    }
}

/// Receives the other processes' events and re-broadcasts them here; after a lost connection,
/// replays the change log from the last cursor seen.
async fn listen_loop(db: DatabaseConnection, origin: Uuid, tx: broadcast::Sender<ChangeEvent>) {
    use sea_orm::sqlx::postgres::PgListener;
    let pool = db.get_postgres_connection_pool().clone();
    let mut last_seen: Option<i64> = None;
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "change listener cannot connect; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "change listener cannot LISTEN; retrying");
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            continue;
        }
        if let Some(from) = last_seen {
            if let Ok(missed) = since_any(&db, from, 10_000).await {
                for ev in missed {
                    last_seen = Some(ev.cursor);
                    let _ = tx.send(ev);
                }
            }
        }
        // `Ok(None)` or an error: the connection dropped; reconnect and catch up from the log.
        while let Ok(Some(n)) = listener.try_recv().await {
            let Ok(wire) = serde_json::from_str::<Wire>(n.payload()) else {
                continue;
            };
            last_seen = Some(last_seen.map_or(wire.event.cursor, |l| l.max(wire.event.cursor)));
            if wire.origin != origin {
                let _ = tx.send(wire.event);
            }
        }
    }
}

fn to_event(r: change_log::Model) -> ChangeEvent {
    ChangeEvent {
        cursor: r.id,
        object_type: r.object_type,
        object_id: r.object_id,
        action: r.action,
    }
}

/// The changes of one object type after `cursor`, oldest first (for subscribers that reconnect).
pub async fn since(
    db: &impl ConnectionTrait,
    object_type: &str,
    cursor: i64,
    limit: u64,
) -> AppResult<Vec<ChangeEvent>> {
    let rows = change_log::Entity::find()
        .filter(change_log::Column::ObjectType.eq(object_type))
        .filter(change_log::Column::Id.gt(cursor))
        .order_by_asc(change_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(to_event).collect())
}

async fn since_any(
    db: &impl ConnectionTrait,
    cursor: i64,
    limit: u64,
) -> AppResult<Vec<ChangeEvent>> {
    let rows = change_log::Entity::find()
        .filter(change_log::Column::Id.gt(cursor))
        .order_by_asc(change_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(to_event).collect())
}
