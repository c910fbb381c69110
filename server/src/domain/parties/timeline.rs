//! A party's timeline from the change log, newest first, with fields the caller may not read
//! masked out.

use entity::change_log;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use super::policy::CONTACT_FIELD;
use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::kit::paging::{Cursor, Page, SortValue};

const ORDERING: &str = "TIMELINE_DESC";
/// Change-log object types that describe a party.
const TYPES: [&str; 2] = ["party", "account"];

/// One page of a party's change-log entries, newest first, and the total.
pub async fn page(
    db: &impl ConnectionTrait,
    party: Uuid,
    page: &Page,
) -> AppResult<(Vec<change_log::Model>, bool, u64)> {
    let base = change_log::Entity::find()
        .filter(change_log::Column::ObjectId.eq(party))
        .filter(change_log::Column::ObjectType.is_in(TYPES));
    let total = base.clone().count(db).await?;
    let mut q = base;
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, ORDERING)?;
        let id: i64 = match c.k {
            SortValue::Text(s) => s
                .parse()
                .map_err(|_| AppError::bad_input("after", "is not a cursor of this list"))?,
            SortValue::Time(_) | SortValue::Number(_) => {
                return Err(AppError::bad_input("after", "is not a cursor of this list"))
            }
        };
        q = q.filter(change_log::Column::Id.lt(id));
    }
    let mut rows = q
        .order_by_desc(change_log::Column::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more, total))
}

/// The cursor of an entry.
pub fn cursor(e: &change_log::Model) -> String {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Text(e.id.to_string()),
        id: Uuid::nil(),
    }
    .encode()
}

/// Whether the caller may see a logged field of an entry.
fn field_visible(actor: &Actor, entry: &change_log::Model, field: &str) -> bool {
    let contact = matches!(field, "email" | "phone" | "postal_address" | "web")
        || entry.action.starts_with("contact_mechanism");
    if contact {
        return actor.grants.can_read(CONTACT_FIELD);
    }
    if field == "taxId" {
        return actor.grants.can_read(super::policy::TAX_FIELD);
    }
    if field == "annualRevenue" {
        return actor
            .grants
            .can_read(crate::domain::accounts::policy::ANNUAL_REVENUE);
    }
    if field == "amount" && entry.object_type == "opportunity" {
        return actor
            .grants
            .can_read(crate::domain::opportunities::policy::AMOUNT_FIELD);
    }
    if field.starts_with("custom.") {
        // A custom field's grant is `custom.<key>` of the object the entry is logged on.
        return actor.grants.can_read_field(&entry.object_type, field);
    }
    if field == "privateNote" {
        return actor
            .grants
            .can_read(crate::domain::activities::policy::PRIVATE_NOTE);
    }
    true
}

/// The changed fields of an entry the caller may see, as `(field, before, after)` text.
pub fn visible_changes(
    actor: &Actor,
    entry: &change_log::Model,
) -> Vec<(String, Option<String>, Option<String>)> {
    let Value::Object(map) = &entry.changes else {
        return Vec::new();
    };
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    map.iter()
        .filter(|(field, _)| field_visible(actor, entry, field))
        .map(|(field, pair)| {
            (
                field.clone(),
                text(pair.get("before")),
                text(pair.get("after")),
            )
        })
        .collect()
}
