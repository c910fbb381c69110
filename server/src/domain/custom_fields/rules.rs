//! The rules of custom fields without a database: the objects they extend, their types, the keys,
//! and how a value given through the API becomes its stored form and back.

use async_graphql::Enum;
use serde_json::{json, Value};

use crate::domain::documents::amounts;
use crate::domain::validation as v;
use crate::error::FieldError;

/// Longest text value.
pub const MAX_TEXT: usize = 255;
/// Longest long-text value.
pub const MAX_LONG_TEXT: usize = 2000;
/// Most choices of a pick-list.
pub const MAX_OPTIONS: usize = 100;
/// Most custom fields per object (archived ones included).
pub const MAX_FIELDS: u64 = 100;

/// What a custom field extends.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum CustomObject {
    /// Every party (people and organisations).
    Party,
    Account,
    Lead,
    Opportunity,
    Activity,
}

impl CustomObject {
    pub const ALL: [CustomObject; 5] = [
        CustomObject::Party,
        CustomObject::Account,
        CustomObject::Lead,
        CustomObject::Opportunity,
        CustomObject::Activity,
    ];

    /// The object's name in grants and in `custom_fields.object`.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomObject::Party => "party",
            CustomObject::Account => "account",
            CustomObject::Lead => "lead",
            CustomObject::Opportunity => "opportunity",
            CustomObject::Activity => "activity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// The object of a record's global id type name.
    pub fn of_type_name(ty: &str) -> Option<Self> {
        match ty {
            "Person" | "Organization" => Some(CustomObject::Party),
            "Account" => Some(CustomObject::Account),
            "Lead" => Some(CustomObject::Lead),
            "Opportunity" => Some(CustomObject::Opportunity),
            "Activity" => Some(CustomObject::Activity),
            _ => None,
        }
    }
}

/// The type of a custom field's values.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum CustomFieldType {
    Text,
    LongText,
    /// A whole number.
    Number,
    /// An exact decimal (up to 6 places).
    Decimal,
    /// An amount with its currency: `{"amount": "1250.00", "currency": "EUR"}`.
    Money,
    Date,
    DateTime,
    Boolean,
    /// One choice of the field's options.
    Pick,
    /// Any choices of the field's options.
    MultiPick,
    Url,
    Email,
    Phone,
    /// A party's global id.
    Party,
    /// A user's global id.
    User,
}

impl CustomFieldType {
    pub const ALL: [CustomFieldType; 15] = [
        CustomFieldType::Text,
        CustomFieldType::LongText,
        CustomFieldType::Number,
        CustomFieldType::Decimal,
        CustomFieldType::Money,
        CustomFieldType::Date,
        CustomFieldType::DateTime,
        CustomFieldType::Boolean,
        CustomFieldType::Pick,
        CustomFieldType::MultiPick,
        CustomFieldType::Url,
        CustomFieldType::Email,
        CustomFieldType::Phone,
        CustomFieldType::Party,
        CustomFieldType::User,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomFieldType::Text => "text",
            CustomFieldType::LongText => "long_text",
            CustomFieldType::Number => "number",
            CustomFieldType::Decimal => "decimal",
            CustomFieldType::Money => "money",
            CustomFieldType::Date => "date",
            CustomFieldType::DateTime => "date_time",
            CustomFieldType::Boolean => "boolean",
            CustomFieldType::Pick => "pick",
            CustomFieldType::MultiPick => "multi_pick",
            CustomFieldType::Url => "url",
            CustomFieldType::Email => "email",
            CustomFieldType::Phone => "phone",
            CustomFieldType::Party => "party",
            CustomFieldType::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether the type has a list of options.
    pub fn has_options(self) -> bool {
        matches!(self, CustomFieldType::Pick | CustomFieldType::MultiPick)
    }

    /// Whether values may be required to be unique (one value a record, compared as stored).
    pub fn may_be_unique(self) -> bool {
        matches!(
            self,
            CustomFieldType::Text
                | CustomFieldType::Number
                | CustomFieldType::Decimal
                | CustomFieldType::Date
                | CustomFieldType::Url
                | CustomFieldType::Email
                | CustomFieldType::Phone
        )
    }

    /// Whether values are numbers (ranges and order by the numeric value).
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            CustomFieldType::Number | CustomFieldType::Decimal | CustomFieldType::Money
        )
    }
}

/// The field grant of a custom field: `custom.<key>` of its object.
pub fn grant_name(key: &str) -> String {
    format!("custom.{key}")
}

/// A field's key: camelCase, a lower-case letter first, 2 to 40 letters and digits.
pub fn key(field: &str, k: &str) -> Result<String, FieldError> {
    let ok = (2..=40).contains(&k.len())
        && k.starts_with(|c: char| c.is_ascii_lowercase())
        && k.chars().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(k.to_string())
    } else {
        Err(FieldError::new(
            field,
            "must be 2 to 40 letters and digits starting with a lower-case letter, such as region or renewalDate",
        ))
    }
}

/// The key a label suggests (`"Renewal date"` → `renewalDate`), when the key is not given.
pub fn key_of_label(label: &str) -> String {
    let mut out = String::new();
    for (i, word) in label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let w = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&w);
        } else {
            let mut cs = w.chars();
            if let Some(f) = cs.next() {
                out.push(f.to_ascii_uppercase());
                out.extend(cs);
            }
        }
    }
    let trimmed: String = out
        .trim_start_matches(|c: char| !c.is_ascii_lowercase())
        .chars()
        .take(40)
        .collect();
    if trimmed.len() < 2 {
        format!("field{out}").chars().take(40).collect()
    } else {
        trimmed
    }
}

/// A pick-list's options: 1 to 100 distinct, non-empty texts of at most 60 characters.
pub fn options(field: &str, given: &[String]) -> Result<Vec<String>, FieldError> {
    if given.is_empty() || given.len() > MAX_OPTIONS {
        return Err(FieldError::new(
            field,
            format!("must list 1 to {MAX_OPTIONS} choices"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, o) in given.iter().enumerate() {
        let path = format!("{field}.{i}");
        let o = v::required_text(&path, o, 60)?;
        if out.iter().any(|x| x.eq_ignore_ascii_case(&o)) {
            return Err(FieldError::new(path, "repeats another choice"));
        }
        out.push(o);
    }
    Ok(out)
}

/// A value in its stored form.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub text: String,
    pub num: Option<f64>,
}

impl Stored {
    fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            num: None,
        }
    }
}

fn want(field: &str, what: &str) -> FieldError {
    FieldError::new(field, format!("must be {what}"))
}

fn string_of<'a>(field: &str, value: &'a Value, what: &str) -> Result<&'a str, FieldError> {
    value.as_str().ok_or_else(|| want(field, what))
}

/// An exact decimal of up to 15 digits before the point and `places` after it.
fn decimal(field: &str, s: &str, places: usize) -> Result<Stored, FieldError> {
    let t = s.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let ok = !int.is_empty()
        && int.len() <= 15
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.len() <= places
        && frac.chars().all(|c| c.is_ascii_digit())
        && !(body.contains('.') && frac.is_empty());
    if !ok {
        return Err(want(
            field,
            &format!("a number with at most 15 digits before the point and {places} after it"),
        ));
    }
    let num: f64 = t.parse().map_err(|_| want(field, "a number"))?;
    Ok(Stored {
        text: t.to_string(),
        num: Some(num),
    })
}

/// The stored form of `value` for a field of type `ty` with `options`; `None` for `null` or
/// empty text (no value). Errors name `field`.
pub fn to_stored(
    field: &str,
    ty: CustomFieldType,
    options: &[String],
    value: &Value,
) -> Result<Option<Stored>, FieldError> {
    if value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty()) {
        return Ok(None);
    }
    use CustomFieldType as T;
    let stored = match ty {
        T::Text => {
            v::optional_text(field, string_of(field, value, "a text")?, MAX_TEXT)?.map(Stored::text)
        }
        T::LongText => v::long_text(field, string_of(field, value, "a text")?, MAX_LONG_TEXT)?
            .map(Stored::text),
        T::Number => {
            let n = match value {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            }
            .filter(|n| n.abs() < 1_000_000_000_000_000)
            .ok_or_else(|| want(field, "a whole number"))?;
            Some(Stored {
                text: n.to_string(),
                num: Some(n as f64),
            })
        }
        T::Decimal => {
            let s = match value {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return Err(want(field, "a number")),
            };
            Some(decimal(field, &s, 6)?)
        }
        T::Money => {
            let (amount, currency) = match value {
                Value::Object(o) => (
                    o.get("amount").map(|a| match a {
                        Value::Number(n) => n.to_string(),
                        Value::String(s) => s.clone(),
                        _ => String::new(),
                    }),
                    o.get("currency").and_then(Value::as_str),
                ),
                _ => (None, None),
            };
            let (Some(amount), Some(currency)) = (amount, currency) else {
                return Err(want(
                    field,
                    "an amount with its currency, such as {\"amount\": \"1250.00\", \"currency\": \"EUR\"}",
                ));
            };
            let currency = v::currency(&format!("{field}.currency"), currency)?;
            let negative = amount.trim().starts_with('-');
            let minor = amounts::parse_amount(
                &format!("{field}.amount"),
                amount.trim().trim_start_matches('-'),
                &currency,
            )?;
            let minor = if negative { -minor } else { minor };
            let text = amounts::format_amount(minor, &currency);
            let num: f64 = text.parse().unwrap_or_default();
            Some(Stored {
                text: format!("{text} {currency}"),
                num: Some(num),
            })
        }
        T::Date => v::date(field, string_of(field, value, "a date such as 2026-12-31")?)?
            .map(|d| Stored::text(d.format("%Y-%m-%d").to_string())),
        T::DateTime => {
            let s = string_of(field, value, "a date and time such as 2026-12-31T09:30:00Z")?;
            let at = chrono::DateTime::parse_from_rfc3339(s.trim())
                .map_err(|_| want(field, "a date and time such as 2026-12-31T09:30:00Z"))?;
            Some(Stored::text(
                at.with_timezone(&chrono::Utc)
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string(),
            ))
        }
        T::Boolean => Some(Stored::text(
            value
                .as_bool()
                .ok_or_else(|| want(field, "true or false"))?
                .to_string(),
        )),
        T::Pick => {
            let s = string_of(field, value, "one of the field's choices")?.trim();
            let o = options
                .iter()
                .find(|o| o.as_str() == s)
                .ok_or_else(|| want(field, &format!("one of: {}", options.join(", "))))?;
            Some(Stored::text(o.clone()))
        }
        T::MultiPick => {
            let given = value
                .as_array()
                .ok_or_else(|| want(field, "a list of the field's choices"))?;
            let mut picked = vec![false; options.len()];
            for (i, g) in given.iter().enumerate() {
                let s = g.as_str().unwrap_or_default().trim();
                let at = options.iter().position(|o| o == s).ok_or_else(|| {
                    FieldError::new(
                        format!("{field}.{i}"),
                        format!("must be one of: {}", options.join(", ")),
                    )
                })?;
                picked[at] = true;
            }
            let chosen: Vec<&String> = options
                .iter()
                .zip(picked)
                .filter(|(_, p)| *p)
                .map(|(o, _)| o)
                .collect();
            (!chosen.is_empty()).then(|| Stored::text(json!(chosen).to_string()))
        }
        T::Url => v::website(field, string_of(field, value, "a web address")?)?.map(Stored::text),
        T::Email => v::lowered_email(field, string_of(field, value, "an e-mail address")?)?
            .map(Stored::text),
        T::Phone => v::phone(field, string_of(field, value, "a phone number")?)?.map(Stored::text),
        T::Party | T::User => {
            let s = string_of(field, value, "an id")?.trim();
            let ok = crate::kit::ids::parse_global_id(s).is_some_and(|(t, _)| match ty {
                T::User => t == "User",
                _ => matches!(t.as_str(), "Person" | "Organization" | "Account"),
            });
            if !ok {
                return Err(want(
                    field,
                    if ty == T::User {
                        "a user's id"
                    } else {
                        "a party's id"
                    },
                ));
            }
            Some(Stored::text(s))
        }
    };
    Ok(stored)
}

/// The API's form of a stored value: numbers as numbers, decimals as exact strings, money as
/// `{amount, currency}`, booleans as booleans, multi-picks as lists, the rest as strings.
pub fn to_json(ty: CustomFieldType, text: &str) -> Value {
    use CustomFieldType as T;
    match ty {
        T::Number => text.parse::<i64>().map_or(json!(text), |n| json!(n)),
        T::Boolean => json!(text == "true"),
        T::MultiPick => serde_json::from_str(text).unwrap_or_else(|_| json!([])),
        T::Money => match text.split_once(' ') {
            Some((amount, currency)) => json!({"amount": amount, "currency": currency}),
            None => json!({"amount": text, "currency": ""}),
        },
        _ => json!(text),
    }
}

/// A stored value as one line of text for people (`Yes`/`No`, choices joined by commas).
pub fn display(ty: CustomFieldType, text: &str) -> String {
    use CustomFieldType as T;
    match ty {
        T::Boolean => if text == "true" { "Yes" } else { "No" }.to_string(),
        T::MultiPick => serde_json::from_str::<Vec<String>>(text)
            .map(|v| v.join(", "))
            .unwrap_or_default(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn stored(ty: CustomFieldType, v: Value) -> Result<Option<Stored>, FieldError> {
        to_stored("value", ty, &["Gold".into(), "Silver".into()], &v)
    }

    #[test]
    fn values_take_their_stored_form_and_come_back() {
        use CustomFieldType as T;
        let s = stored(T::Number, json!(42)).unwrap().unwrap();
        assert_eq!((s.text.as_str(), s.num), ("42", Some(42.0)));
        assert_eq!(to_json(T::Number, &s.text), json!(42));
        let s = stored(T::Decimal, json!("12.5")).unwrap().unwrap();
        assert_eq!((s.text.as_str(), s.num), ("12.5", Some(12.5)));
        let s = stored(T::Money, json!({"amount": "1250.5", "currency": "eur"}))
            .unwrap()
            .unwrap();
        assert_eq!(s.text, "1250.50 EUR");
        assert_eq!(
            to_json(T::Money, &s.text),
            json!({"amount": "1250.50", "currency": "EUR"})
        );
        let s = stored(T::Money, json!({"amount": "1250", "currency": "JPY"}))
            .unwrap()
            .unwrap();
        assert_eq!(s.text, "1250 JPY");
        let s = stored(T::MultiPick, json!(["Silver", "Gold", "Gold"]))
            .unwrap()
            .unwrap();
        assert_eq!(s.text, r#"["Gold","Silver"]"#);
        assert_eq!(display(T::MultiPick, &s.text), "Gold, Silver");
        let s = stored(T::DateTime, json!("2026-12-31T10:30:00+01:00"))
            .unwrap()
            .unwrap();
        assert_eq!(s.text, "2026-12-31T09:30:00Z");
        assert_eq!(stored(T::Text, json!("  ")).unwrap(), None);
        assert_eq!(stored(T::Boolean, Value::Null).unwrap(), None);
        let s = stored(T::LongText, json!("two\nlines")).unwrap().unwrap();
        assert_eq!(s.text, "two\nlines");
    }

    #[test]
    fn bad_values_are_refused_naming_the_field() {
        use CustomFieldType as T;
        for (ty, v) in [
            (T::Number, json!("twelve")),
            (T::Number, json!(1.5)),
            (T::Decimal, json!("1.1234567")),
            (T::Date, json!("31/12/2026")),
            (T::Boolean, json!("yes")),
            (T::Pick, json!("Bronze")),
            (T::Email, json!("nobody")),
            (T::Text, json!("a\nb")),
            (T::User, json!("not-an-id")),
            (T::Money, json!("12 EUR")),
        ] {
            let e = stored(ty, v.clone()).unwrap_err();
            assert!(e.field.starts_with("value"), "{ty:?} {v}: {e:?}");
        }
        let e = stored(T::MultiPick, json!(["Gold", "Tin"])).unwrap_err();
        assert_eq!(e.field, "value.1");
    }

    #[test]
    fn keys_are_camel_case_and_labels_suggest_them() {
        assert!(key("key", "renewalDate").is_ok());
        for bad in ["Region", "r", "renewal_date", "1st", "région"] {
            assert!(key("key", bad).is_err(), "{bad}");
        }
        assert_eq!(key_of_label("Renewal date"), "renewalDate");
        assert_eq!(key_of_label("NPS score (2026)"), "npsScore2026");
        assert_eq!(key_of_label("1"), "field1");
        assert!(options("options", &["A".into(), "a".into()]).is_err());
        assert!(options("options", &[]).is_err());
    }
}
