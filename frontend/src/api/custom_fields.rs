//! Custom fields: the definitions an administrator keeps, and the values of a record.

use super::json::{self, FromJson};
use super::{request, ApiError};
use serde_json::{json, Value};

/// The value of one custom field on a record, as the record's reader may see it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomValue {
    pub key: String,
    pub label: String,
    /// `TEXT`, `NUMBER`, `PICK`, …
    pub ty: String,
    /// The value as the API gives it (`null` when unset).
    pub value: Value,
    /// One line of text for people.
    pub display: String,
    pub show_in_list: bool,
    pub can_write: bool,
    /// The choices of a pick-list.
    pub options: Vec<String>,
}

impl FromJson for CustomValue {
    fn from_json(v: &Value) -> Self {
        Self {
            key: json::text(v, "key"),
            label: json::text(v, "label"),
            ty: json::text(v, "type"),
            value: v["value"].clone(),
            display: json::text(v, "display"),
            show_in_list: json::flag(v, "showInList"),
            can_write: json::flag(v, "canWrite"),
            options: json::texts(v, "options"),
        }
    }
}

/// The values of a record's `customFields`, as kept on the record.
pub fn values_of(custom: &Value) -> Vec<CustomValue> {
    json::items(custom)
        .iter()
        .map(CustomValue::from_json)
        .collect()
}

/// A custom field of a list's object shown as a column (`showInList`), which the caller may
/// read and so sort by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListColumn {
    /// The field's key.
    pub key: String,
    /// Its label, the column's header.
    pub label: String,
    /// Numbers, decimals and money: right-aligned.
    pub numeric: bool,
}

impl FromJson for ListColumn {
    fn from_json(v: &Value) -> Self {
        Self {
            key: json::text(v, "key"),
            label: json::text(v, "label"),
            numeric: matches!(v["type"].as_str(), Some("NUMBER" | "DECIMAL" | "MONEY")),
        }
    }
}

/// Selection of a record's custom values, as the record pages' panel reads them.
pub(crate) const VALUE_FIELDS: &str = "key label type value display showInList canWrite options";

/// The document of [`list_columns`].
pub(crate) const LIST_COLUMNS_QUERY: &str =
    "query ListColumns($o: CustomObject) { customFields(object: $o) { key label type showInList } }";

/// The custom fields of `object` (`ACCOUNT`, `PARTY`, …) the caller may read that are shown in
/// lists, in their order.
pub async fn list_columns(object: &str) -> Result<Vec<ListColumn>, ApiError> {
    let data = request(LIST_COLUMNS_QUERY, json!({ "o": object })).await?;
    Ok(json::items(&data["customFields"])
        .iter()
        .filter(|d| json::flag(d, "showInList"))
        .map(ListColumn::from_json)
        .collect())
}

/// A record's `customFields { key display }`, as (key, shown value) pairs.
pub fn shown_values(custom: &Value) -> Vec<(String, String)> {
    json::items(custom)
        .iter()
        .map(|f| (json::text(f, "key"), json::text(f, "display")))
        .collect()
}

/// One role's access to a field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Access {
    pub role_key: String,
    pub role_name: String,
    pub read: bool,
    pub write: bool,
}

impl FromJson for Access {
    fn from_json(v: &Value) -> Self {
        Self {
            role_key: json::text(v, "roleKey"),
            role_name: json::text(v, "roleName"),
            read: json::flag(v, "read"),
            write: json::flag(v, "write"),
        }
    }
}

/// A field as the administration shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Definition {
    pub id: String,
    pub object: String,
    pub key: String,
    pub label: String,
    pub ty: String,
    pub required: bool,
    pub unique: bool,
    pub show_in_list: bool,
    pub options: Vec<String>,
    pub archived: bool,
    pub version: i64,
    pub access: Vec<Access>,
}

impl FromJson for Definition {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            object: json::text(v, "object"),
            key: json::text(v, "key"),
            label: json::text(v, "label"),
            ty: json::text(v, "type"),
            required: json::flag(v, "required"),
            unique: json::flag(v, "unique"),
            show_in_list: json::flag(v, "showInList"),
            options: json::texts(v, "options"),
            archived: json::flag(v, "archived"),
            version: json::int(v, "version"),
            access: json::list(v, "access"),
        }
    }
}

const DEFINITION_FIELDS: &str = "id object key label type required unique showInList options \
     archived version access { roleKey roleName read write }";

/// The objects fields extend: `(API value, label)`.
pub const OBJECTS: &[(&str, &str)] = &[
    ("OPPORTUNITY", "Opportunities"),
    ("ACCOUNT", "Accounts"),
    ("PARTY", "People and organisations"),
    ("LEAD", "Leads"),
    ("ACTIVITY", "Activities"),
];

/// The types of fields: `(API value, label)`.
pub const TYPES: &[(&str, &str)] = &[
    ("TEXT", "Text"),
    ("LONG_TEXT", "Long text"),
    ("NUMBER", "Whole number"),
    ("DECIMAL", "Decimal number"),
    ("MONEY", "Money"),
    ("DATE", "Date"),
    ("DATE_TIME", "Date and time"),
    ("BOOLEAN", "Yes / no"),
    ("PICK", "Pick-list"),
    ("MULTI_PICK", "Multi-pick list"),
    ("URL", "Web address"),
    ("EMAIL", "E-mail address"),
    ("PHONE", "Phone number"),
    ("PARTY", "Party"),
    ("USER", "User"),
];

/// The label of a type.
pub fn type_label(ty: &str) -> &'static str {
    TYPES
        .iter()
        .find(|(t, _)| *t == ty)
        .map_or("Text", |(_, l)| l)
}

/// The document of [`definitions`].
pub(crate) fn definitions_query() -> String {
    format!(
        "query CustomFields($o: CustomObject) {{ customFields(object: $o, includeArchived: true) {{ {DEFINITION_FIELDS} }} }}"
    )
}

/// Every field of an object, archived ones too.
pub async fn definitions(object: &str) -> Result<Vec<Definition>, ApiError> {
    let data = request(&definitions_query(), json!({ "o": object })).await?;
    Ok(json::list(&data, "customFields"))
}

pub(crate) fn create_query() -> String {
    format!(
        "mutation CreateCustomField($i: CreateCustomFieldInput!) {{ createCustomField(input: $i) {{ {DEFINITION_FIELDS} }} }}"
    )
}

pub(crate) fn update_query() -> String {
    format!(
        "mutation UpdateCustomField($id: ID!, $v: Int!, $i: UpdateCustomFieldInput!) {{ updateCustomField(id: $id, version: $v, input: $i) {{ {DEFINITION_FIELDS} }} }}"
    )
}

pub(crate) fn archive_query(archive: bool) -> String {
    let field = if archive {
        "archiveCustomField"
    } else {
        "restoreCustomField"
    };
    format!(
        "mutation ArchiveCustomField($id: ID!) {{ {field}(id: $id) {{ {DEFINITION_FIELDS} }} }}"
    )
}

/// Defines a field.
pub async fn create(input: Value) -> Result<Definition, ApiError> {
    let data = request(&create_query(), json!({ "i": input })).await?;
    Ok(Definition::from_json(&data["createCustomField"]))
}

/// Changes a field.
pub async fn update(id: &str, version: i64, input: Value) -> Result<Definition, ApiError> {
    let data = request(
        &update_query(),
        json!({ "id": id, "v": version, "i": input }),
    )
    .await?;
    Ok(Definition::from_json(&data["updateCustomField"]))
}

/// Archives a field, or brings it back.
pub async fn set_archived(id: &str, archive: bool) -> Result<Definition, ApiError> {
    let data = request(&archive_query(archive), json!({ "id": id })).await?;
    let field = if archive {
        "archiveCustomField"
    } else {
        "restoreCustomField"
    };
    Ok(Definition::from_json(&data[field]))
}

pub(crate) fn set_values_query() -> String {
    "mutation SetCustomFieldValues($r: ID!, $v: [CustomFieldValueInput!]!) { setCustomFieldValues(recordId: $r, values: $v) { key label type value display showInList canWrite options } }".to_owned()
}

/// Sets values of a record: `(key, value)`, `null` clearing one. Answers with every value.
pub async fn set_values(
    record: &str,
    values: Vec<(String, Value)>,
) -> Result<Vec<CustomValue>, ApiError> {
    let v: Vec<Value> = values
        .into_iter()
        .map(|(key, value)| json!({ "key": key, "value": value }))
        .collect();
    let data = request(&set_values_query(), json!({ "r": record, "v": v })).await?;
    Ok(json::list(&data, "setCustomFieldValues"))
}

/// What a text input holds for a value (money as `1250.00 EUR`, lists by commas).
pub fn input_text(ty: &str, value: &Value) -> String {
    match (ty, value) {
        (_, Value::Null) => String::new(),
        ("MONEY", v) => format!("{} {}", json::text(v, "amount"), json::text(v, "currency")),
        ("MULTI_PICK", Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (_, Value::String(s)) => s.clone(),
        (_, v) => v.to_string(),
    }
}

/// The value a text input stands for, in the API's form (`None` when empty: clear it).
pub fn value_of_input(ty: &str, text: &str) -> Value {
    let t = text.trim();
    if t.is_empty() {
        return Value::Null;
    }
    match ty {
        "NUMBER" => t.parse::<i64>().map_or_else(|_| json!(t), |n| json!(n)),
        "BOOLEAN" => json!(t == "true"),
        "MONEY" => match t.rsplit_once(' ') {
            Some((amount, currency)) => {
                json!({ "amount": amount.trim(), "currency": currency.trim() })
            }
            None => json!({ "amount": t, "currency": "" }),
        },
        "MULTI_PICK" => json!(t
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()),
        _ => json!(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_round_trip_through_the_api_form() {
        let money = json!({"amount": "1250.00", "currency": "EUR"});
        assert_eq!(input_text("MONEY", &money), "1250.00 EUR");
        assert_eq!(value_of_input("MONEY", "1250.00 EUR"), money);
        assert_eq!(value_of_input("NUMBER", "42"), json!(42));
        assert_eq!(value_of_input("MULTI_PICK", "a, b"), json!(["a", "b"]));
        assert_eq!(input_text("MULTI_PICK", &json!(["a", "b"])), "a, b");
        assert_eq!(value_of_input("TEXT", "  "), Value::Null);
        assert_eq!(value_of_input("BOOLEAN", "true"), json!(true));
    }
}
