//! Pick-list values: reading, administering, and checking a chosen key.

use async_graphql::Enum;
use entity::picklists::picklist_values as values;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult, FieldError};
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

/// The `picklist` object of grants (administering the values).
pub const OBJECT: &str = "picklist";
/// Most values one list holds, archived ones included.
pub const MAX_VALUES: u64 = 200;

crate::versioned!(values, OBJECT, kept [List, Key, CreatedAt], |m| vec![
    ("list", json!(m.list)),
    ("key", json!(m.key)),
    ("label", json!(m.label)),
    ("position", json!(m.position)),
    ("archived", json!(m.archived_at.is_some())),
]);

/// The pick-lists administrators keep.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum PicklistKey {
    /// The kind of deal an opportunity is (new business, upgrade, renewal, …).
    OpportunityType,
    /// Where a lead or a deal came from (web form, referral, trade show, …).
    LeadSource,
    /// How two parties are related (contact of, employee of, supplier of, …), read from → to.
    RelationshipType,
    /// A role a party holds (account, contact, supplier, vendor, …); several at once.
    PartyRole,
}

impl PicklistKey {
    pub const ALL: [PicklistKey; 4] = [
        PicklistKey::OpportunityType,
        PicklistKey::LeadSource,
        PicklistKey::RelationshipType,
        PicklistKey::PartyRole,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PicklistKey::OpportunityType => "opportunity_type",
            PicklistKey::LeadSource => "lead_source",
            PicklistKey::RelationshipType => "relationship_type",
            PicklistKey::PartyRole => "party_role",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Every value of every list (archived ones too), in list and position order: one statement.
pub async fn all(db: &impl ConnectionTrait) -> AppResult<Vec<values::Model>> {
    Ok(values::Entity::find()
        .order_by_asc(values::Column::List)
        .order_by_asc(values::Column::Position)
        .order_by_asc(values::Column::Label)
        .all(db)
        .await?)
}

/// A value key: lower-case letters, digits and `_`, starting with a letter, 2 to 40 long.
pub fn key(field: &str, k: &str) -> Result<String, FieldError> {
    let ok = (2..=40).contains(&k.len())
        && k.starts_with(|c: char| c.is_ascii_lowercase())
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(k.to_string())
    } else {
        Err(FieldError::new(
            field,
            "must be 2 to 40 lower-case letters, digits or '_', starting with a letter",
        ))
    }
}

/// The key a label suggests: `Add-on services` → `add_on_services`.
pub fn key_of_label(label: &str) -> String {
    let words: Vec<String> = label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let joined = words.join("_");
    let trimmed = joined.trim_start_matches(|c: char| !c.is_ascii_lowercase());
    let mut out: String = trimmed.chars().take(40).collect();
    while out.ends_with('_') {
        out.pop();
    }
    if out.len() < 2 {
        format!("value_{out}").chars().take(40).collect()
    } else {
        out
    }
}

/// Checks a key chosen on a record: an unarchived value of `list`, or the value the record holds
/// already (`current`; an archived value stays where it is).
pub async fn check_choice(
    db: &impl ConnectionTrait,
    list: PicklistKey,
    field: &str,
    chosen: &str,
    current: Option<&str>,
) -> AppResult<()> {
    if current == Some(chosen) {
        return Ok(());
    }
    let live = values::Entity::find()
        .filter(values::Column::List.eq(list.as_str()))
        .filter(values::Column::Key.eq(chosen))
        .filter(values::Column::ArchivedAt.is_null())
        .count(db)
        .await?
        > 0;
    if live {
        Ok(())
    } else {
        Err(AppError::bad_input(
            field,
            "is not a value of its pick-list (Settings → Pick-lists)",
        ))
    }
}

/// The label of the value `key` of `list` (archived ones too), if it has one.
pub async fn label_of(
    db: &impl ConnectionTrait,
    list: PicklistKey,
    key: &str,
) -> AppResult<Option<String>> {
    Ok(values::Entity::find()
        .filter(values::Column::List.eq(list.as_str()))
        .filter(values::Column::Key.eq(key))
        .one(db)
        .await?
        .map(|v| v.label))
}

/// The values of `list` in order, but `except`.
async fn of_list(
    db: &impl ConnectionTrait,
    list: &str,
    except: Option<Uuid>,
) -> AppResult<Vec<values::Model>> {
    let mut q = values::Entity::find().filter(values::Column::List.eq(list));
    if let Some(id) = except {
        q = q.filter(values::Column::Id.ne(id));
    }
    Ok(q.order_by_asc(values::Column::Position)
        .order_by_asc(values::Column::Label)
        .all(db)
        .await?)
}

/// Whether a live value of `values` is labelled `label`.
fn label_taken(values: &[values::Model], label: &str) -> bool {
    values
        .iter()
        .any(|v| v.archived_at.is_none() && v.label == label)
}

async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<values::Model> {
    values::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such pick-list value".into()))
}

/// Adds a value at the end of its list (the `picklist` create grant).
pub async fn add(
    state: &AppState,
    ctx: &RequestCtx,
    list: PicklistKey,
    key_given: Option<&str>,
    label: &str,
) -> AppResult<values::Model> {
    policy::authorize(ctx, OBJECT, Action::Create)?;
    let db = &state.db;
    let mut val = Validator::default();
    let label = val.check(v::required_text("label", label, 60));
    let key = match key_given {
        Some(k) => val.check(key("key", k.trim())),
        None => label.as_deref().map(key_of_label),
    };
    // The list's values, read once for every check below.
    let in_list = of_list(db, list.as_str(), None).await?;
    let mut label_refused = false;
    if let Some(k) = &key {
        if in_list.iter().any(|v| &v.key == k) {
            label_refused = key_given.is_none();
            val.push(
                if label_refused { "label" } else { "key" },
                "names a value the list has already (an archived value keeps its key)",
            );
        }
    }
    if let Some(l) = label.as_ref().filter(|_| !label_refused) {
        if label_taken(&in_list, l) {
            val.push("label", "is the label of another value of this list");
        }
    }
    let count = in_list.len() as u64;
    if count >= MAX_VALUES {
        val.push("list", format!("holds {MAX_VALUES} values already"));
    }
    val.finish()?;
    let (Some(label), Some(key)) = (label, key) else {
        return Err(AppError::bad_input("label", "is required"));
    };
    let now = db::now();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let saved = w
        .insert(values::Model {
            id: Uuid::new_v4(),
            list: list.as_str().to_string(),
            key,
            label,
            position: count as i32 + 1,
            archived_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        })
        .await?;
    w.commit().await?;
    Ok(saved)
}

/// Renames a value or moves it to `position` (1 = first; the others shift), while `version` is
/// current (the `picklist` update grant).
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    label: Option<&str>,
    position: Option<i32>,
) -> AppResult<values::Model> {
    policy::authorize(ctx, OBJECT, Action::Update)?;
    let db = &state.db;
    let current = find(db, id).await?;
    let mut val = Validator::default();
    let mut next = current.clone();
    let siblings = of_list(db, &current.list, Some(id)).await?;
    if let Some(l) = label.and_then(|l| val.check(v::required_text("label", l, 60))) {
        if label_taken(&siblings, &l) {
            val.push("label", "is the label of another value of this list");
        }
        next.label = l;
    }
    if let Some(p) = position {
        if p < 1 || p as usize > siblings.len() + 1 {
            val.push(
                "position",
                format!("must be 1 to {} (the list's length)", siblings.len() + 1),
            );
        }
        next.position = p;
    }
    val.finish()?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let saved = w.save(&current, next, version, "update").await?;
    if position.is_some() {
        // The others keep their order around the moved value, numbered 1, 2, …
        let mut n = 0;
        for s in siblings {
            n += 1;
            if n == saved.position {
                n += 1;
            }
            if s.position != n {
                let mut moved = s.clone();
                moved.position = n;
                w.save(&s, moved, s.version, "update").await?;
            }
        }
    }
    w.commit().await?;
    Ok(saved)
}

/// Archives a value (records keep it; forms no longer offer it) or brings it back (the
/// `picklist` archive grant).
pub async fn set_archived(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    archived: bool,
) -> AppResult<values::Model> {
    policy::authorize(ctx, OBJECT, Action::Archive)?;
    let current = find(&state.db, id).await?;
    crate::kit::write::set_archived(state, ctx, current, archived, |m| &mut m.archived_at).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_labels() {
        assert_eq!(key_of_label("New business"), "new_business");
        assert_eq!(key_of_label("Add-on services!"), "add_on_services");
        assert_eq!(key_of_label("2nd renewal"), "nd_renewal");
        assert_eq!(key_of_label("X"), "value_x");
        assert!(key("key", "new_business").is_ok());
        assert_eq!(key("key", "New").unwrap_err().field, "key");
        assert!(key("key", "_x").is_err());
        assert!(key("key", "a").is_err());
    }
}
