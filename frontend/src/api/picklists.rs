//! Pick-lists: the vocabularies an administrator keeps (opportunity types, …), read by forms and
//! kept on Settings → Pick-lists.

use super::json::{self, FromJson};
use super::{request, ApiError};
use serde_json::{json, Value};

/// One value of a list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PicklistValue {
    pub id: String,
    /// Stored on records; never changes.
    pub key: String,
    pub label: String,
    pub position: i64,
    pub archived: bool,
    pub version: i64,
}

impl FromJson for PicklistValue {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            key: json::text(v, "key"),
            label: json::text(v, "label"),
            position: json::int(v, "position"),
            archived: json::flag(v, "archived"),
            version: json::int(v, "version"),
        }
    }
}

/// The lists: `(API value, label, what it is for)`.
pub const LISTS: &[(&str, &str, &str)] = &[
    (
        "OPPORTUNITY_TYPE",
        "Opportunity types",
        "New business, upgrade, renewal, …",
    ),
    (
        "LEAD_SOURCE",
        "Lead sources",
        "Web form, referral, trade show, …",
    ),
    (
        "RELATIONSHIP_TYPE",
        "Relationship types",
        "Contact of, supplier of, …",
    ),
    ("PARTY_ROLE", "Party roles", "Vendor, agent, …"),
];

/// The `{ key label }` of a record's chosen value as `(key, label)`; `None` when unset.
pub fn chosen(v: &Value, field: &str) -> Option<(String, String)> {
    v[field]
        .is_object()
        .then(|| (json::text(&v[field], "key"), json::text(&v[field], "label")))
}

const VALUE_FIELDS: &str = "id key label position archived version";

/// The document of [`values`].
pub(crate) fn values_query() -> String {
    format!(
        "query Picklists($a: Boolean) {{ picklists(includeArchived: $a) {{ key values {{ {VALUE_FIELDS} }} }} }}"
    )
}

/// The values of `list` in order (archived ones when asked).
pub async fn values(list: &str, include_archived: bool) -> Result<Vec<PicklistValue>, ApiError> {
    let data = request(&values_query(), json!({ "a": include_archived })).await?;
    Ok(json::items(&data["picklists"])
        .iter()
        .find(|l| json::text(l, "key") == list)
        .map(|l| json::list(l, "values"))
        .unwrap_or_default())
}

pub(crate) fn add_query() -> String {
    format!(
        "mutation AddPicklistValue($l: PicklistKey!, $label: String!, $k: String) {{ addPicklistValue(list: $l, label: $label, key: $k) {{ {VALUE_FIELDS} }} }}"
    )
}

/// Adds a value at the end of `list`; its key is made of the label unless given.
pub async fn add(list: &str, label: &str, key: Option<&str>) -> Result<PicklistValue, ApiError> {
    let data = request(&add_query(), json!({ "l": list, "label": label, "k": key })).await?;
    Ok(PicklistValue::from_json(&data["addPicklistValue"]))
}

pub(crate) fn update_query() -> String {
    format!(
        "mutation UpdatePicklistValue($id: ID!, $v: Int!, $label: String, $p: Int) {{ updatePicklistValue(id: $id, version: $v, label: $label, position: $p) {{ {VALUE_FIELDS} }} }}"
    )
}

/// Renames a value and/or moves it to `position` (1 = first).
pub async fn update(
    v: &PicklistValue,
    label: Option<&str>,
    position: Option<i64>,
) -> Result<PicklistValue, ApiError> {
    let data = request(
        &update_query(),
        json!({ "id": v.id, "v": v.version, "label": label, "p": position }),
    )
    .await?;
    Ok(PicklistValue::from_json(&data["updatePicklistValue"]))
}

pub(crate) fn archive_query(archive: bool) -> String {
    let field = if archive {
        "archivePicklistValue"
    } else {
        "restorePicklistValue"
    };
    format!("mutation ArchivePicklistValue($id: ID!) {{ {field}(id: $id) {{ {VALUE_FIELDS} }} }}")
}

/// Archives a value (records keep it), or offers it again.
pub async fn set_archived(id: &str, archive: bool) -> Result<PicklistValue, ApiError> {
    let data = request(&archive_query(archive), json!({ "id": id })).await?;
    let field = if archive {
        "archivePicklistValue"
    } else {
        "restorePicklistValue"
    };
    Ok(PicklistValue::from_json(&data[field]))
}

/// `(key, label)` options for a select: the live values, plus `current` when archived since.
pub fn options(values: &[PicklistValue], current: &str) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "—".to_owned())];
    out.extend(
        values
            .iter()
            .filter(|v| !v.archived || v.key == current)
            .map(|v| (v.key.clone(), v.label.clone())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_offer_live_values_and_keep_the_current_archived_one() {
        let v = |key: &str, archived: bool| PicklistValue {
            key: key.into(),
            label: key.to_uppercase(),
            archived,
            ..Default::default()
        };
        let all = [v("a", false), v("b", true), v("c", false)];
        let keys = |o: Vec<(String, String)>| o.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(keys(options(&all, "")), ["", "a", "c"]);
        assert_eq!(keys(options(&all, "b")), ["", "a", "b", "c"]);
    }
}
