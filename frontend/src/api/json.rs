//! Reading GraphQL answers. A response is parsed once into a
//! [`serde_json::Value`] and the records are read from it field by field:
//! derived deserializers, one per record type, cost several times more code in
//! the WebAssembly bundle than these few readers.
//!
//! Reading is lenient: a missing or `null` field takes its default (empty
//! text, `false`, `0`, `None`, an empty list), so a record with a field the
//! server refused, or a smaller selection, still reads.

use serde_json::Value;

/// A record that can be read from its JSON object.
pub trait FromJson: Sized {
    /// Reads the record from `value` (an object; anything else reads as empty).
    fn from_json(value: &Value) -> Self;
}

impl<T: FromJson> FromJson for Option<T> {
    /// `None` for `null` (or nothing).
    fn from_json(value: &Value) -> Self {
        (!value.is_null()).then(|| T::from_json(value))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    /// Empty unless a list.
    fn from_json(value: &Value) -> Self {
        items(value).iter().map(T::from_json).collect()
    }
}

/// Text field `key`; empty when missing or not text.
pub fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}

/// Optional text field `key`.
pub fn opt_text(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().map(str::to_owned)
}

/// Integer field `key`; `0` when missing.
pub fn int(value: &Value, key: &str) -> i64 {
    value[key].as_i64().unwrap_or_default()
}

/// Boolean field `key`; `false` when missing.
pub fn flag(value: &Value, key: &str) -> bool {
    value[key].as_bool().unwrap_or_default()
}

/// Object field `key`; `None` when missing or `null`.
pub fn object<T: FromJson>(value: &Value, key: &str) -> Option<T> {
    Option::from_json(&value[key])
}

/// List field `key` of records; empty when missing.
pub fn list<T: FromJson>(value: &Value, key: &str) -> Vec<T> {
    Vec::from_json(&value[key])
}

/// The elements of `value` when it is a list.
pub fn items(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// Enum field `key`, read with `parse`; `None` when missing or unknown.
pub fn enumerated<E>(value: &Value, key: &str, parse: fn(&str) -> Option<E>) -> Option<E> {
    value[key].as_str().and_then(parse)
}

/// List field `key` of enum values, read with `parse`; unknown values are skipped.
pub fn enumerated_list<E>(value: &Value, key: &str, parse: fn(&str) -> Option<E>) -> Vec<E> {
    items(&value[key])
        .iter()
        .filter_map(|v| v.as_str().and_then(parse))
        .collect()
}

/// List field `key` of texts.
pub fn texts(value: &Value, key: &str) -> Vec<String> {
    items(&value[key])
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Pair(String, i64);

    impl FromJson for Pair {
        fn from_json(value: &Value) -> Self {
            Pair(text(value, "a"), int(value, "b"))
        }
    }

    #[test]
    fn missing_and_null_fields_take_defaults() {
        let v = json!({ "a": "x", "n": null, "list": [{ "a": "y", "b": 2 }, 3], "tags": ["P", 1] });
        assert_eq!(text(&v, "a"), "x");
        assert_eq!(text(&v, "missing"), "");
        assert_eq!(opt_text(&v, "n"), None);
        assert_eq!(int(&v, "a"), 0);
        assert!(!flag(&v, "a"));
        assert!(object::<Pair>(&v, "n").is_none());
        let pairs: Vec<Pair> = list(&v, "list");
        assert_eq!((pairs[0].0.as_str(), pairs[0].1), ("y", 2));
        assert_eq!(pairs[1].0, "");
        assert_eq!(texts(&v, "tags"), ["P"]);
        assert_eq!(
            enumerated_list(&v, "tags", |s| (s == "P").then_some(1)),
            [1]
        );
        assert_eq!(enumerated(&v, "a", |s| (s == "P").then_some(1)), None);
    }
}
