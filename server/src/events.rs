//! Live change events: published after a mutation commits, delivered to subscriptions.
//!
//! Each event names the changed object and carries its change-log cursor; subscribers re-read the
//! object under their own row scope and field grants, so an event never leaks data by itself.
//! In-process broadcast here; fan-out across replicas (PostgreSQL LISTEN/NOTIFY) plugs in behind
//! [`EventHub::publish`].

use tokio::sync::broadcast;
use uuid::Uuid;

/// One committed change.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The process-wide event hub.
#[derive(Debug, Clone)]
pub struct EventHub {
    tx: broadcast::Sender<ChangeEvent>,
}

impl Default for EventHub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(1024);
        Self { tx }
    }
}

impl EventHub {
    /// Publishes a committed change; nobody listening is fine.
    pub fn publish(&self, event: ChangeEvent) {
        let _ = self.tx.send(event);
    }

    /// A new receiver of every later event.
    pub fn subscribe(&self) -> broadcast::Receiver<ChangeEvent> {
        self.tx.subscribe()
    }
}
