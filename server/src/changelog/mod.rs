//! The change log: every committed mutation appends one row in its own transaction.
//!
//! Later domains build the record timeline, the audit trail, subscriptions, webhooks and mobile sync
//! on these rows. `changes` holds `{ field: { before, after } }` for the fields that changed.

use entity::change_log;
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ConnectionTrait};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::db;
use crate::error::AppResult;

/// Appends one entry; call it inside the mutation's transaction. Returns the entry's id (the cursor).
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<Uuid>,
    object_type: &str,
    object_id: Uuid,
    action: &str,
    changes: Value,
) -> AppResult<i64> {
    let row = change_log::ActiveModel {
        id: NotSet,
        occurred_at: Set(db::now()),
        actor_id: Set(actor),
        object_type: Set(object_type.to_string()),
        object_id: Set(object_id),
        action: Set(action.to_string()),
        changes: Set(changes),
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Builds `{ field: { before, after } }` from `(field, before, after)` triples, keeping only the
/// fields whose value changed.
pub fn diff(fields: Vec<(&str, Value, Value)>) -> Value {
    let mut out = Map::new();
    for (name, before, after) in fields {
        if before != after {
            let mut pair = Map::new();
            pair.insert("before".into(), before);
            pair.insert("after".into(), after);
            out.insert(name.to_string(), Value::Object(pair));
        }
    }
    Value::Object(out)
}

/// The change-log diff between two snapshots of a record, `(field, value)` in the same order (no
/// `before` for a new record).
pub fn diff_snapshots(before: Option<Vec<(&str, Value)>>, after: Vec<(&str, Value)>) -> Value {
    let mut before = before.map(Vec::into_iter);
    diff(
        after
            .into_iter()
            .map(|(name, a)| {
                let b = before
                    .as_mut()
                    .and_then(Iterator::next)
                    .map_or(Value::Null, |(_, v)| v);
                (name, b, a)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn diff_keeps_only_changed_fields() {
        let d = super::diff(vec![
            ("name", json!("A"), json!("B")),
            ("area", json!(null), json!(null)),
        ]);
        assert_eq!(d, json!({"name": {"before": "A", "after": "B"}}));
    }
}
