//! Errors as the pages see them: transport failures and GraphQL errors with
//! their stable `extensions.code`.

use super::json::{self, FromJson};
use serde_json::Value;
use std::fmt;

/// Nullable fields that the server may refuse to some users: an error on one of
/// them only blanks that field, the rest of the answer is still good. `other`
/// is the far end of a party relationship, which may be out of the user's scope;
/// `from` and `to` are the values of an opportunity's amount history; `email`
/// and `phone` are a lead's contact data.
const GUARDED_FIELDS: &[&str] = &[
    "annualRevenue",
    "email",
    "phone",
    "contactMechanisms",
    "other",
    "amount",
    "weightedAmount",
    "sum",
    "weightedSum",
    "from",
    "to",
];

/// One entry of the GraphQL `errors` list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GqlError {
    /// Human-readable message, safe to show.
    pub message: String,
    /// Path of the field that failed, e.g. `["accounts", "edges", 0, "node", "annualRevenue"]`.
    pub path: Vec<Value>,
    /// `code`, and for `BAD_USER_INPUT` the invalid `fields`.
    pub extensions: Option<Value>,
}

impl FromJson for GqlError {
    fn from_json(value: &Value) -> Self {
        Self {
            message: json::text(value, "message"),
            path: json::items(&value["path"]).to_vec(),
            extensions: Some(value["extensions"].clone()).filter(|e| !e.is_null()),
        }
    }
}

impl GqlError {
    /// The stable error code (`extensions.code`), e.g. `"CONFLICT"`.
    pub fn code(&self) -> Option<&str> {
        self.extensions.as_ref()?.get("code")?.as_str()
    }

    /// `true` for an error that ends the session.
    pub fn is_unauthenticated(&self) -> bool {
        self.code() == Some("UNAUTHENTICATED")
    }

    /// `true` for an error saying a record asked for by id does not exist:
    /// `NOT_FOUND`, or `BAD_USER_INPUT` on the `id` argument (an id that
    /// names nothing the server knows).
    pub fn is_unknown_id(&self) -> bool {
        match self.code() {
            Some("NOT_FOUND") => true,
            Some("BAD_USER_INPUT") => {
                let fields = self.field_errors();
                !fields.is_empty() && fields.iter().all(|(f, _)| f == "id")
            }
            _ => false,
        }
    }

    /// `true` for an error that only blanks a guarded field (the path ends in it):
    /// the page renders the rest and shows the field as empty.
    pub fn is_non_fatal(&self) -> bool {
        matches!(self.path.last(), Some(Value::String(field)) if GUARDED_FIELDS.contains(&field.as_str()))
    }

    /// The per-field messages of a `BAD_USER_INPUT` error (`extensions.fields`).
    pub fn field_errors(&self) -> FieldErrors {
        let fields = self
            .extensions
            .as_ref()
            .and_then(|ext| ext.get("fields"))
            .and_then(Value::as_array);
        let mut errors = FieldErrors::default();
        for entry in fields.into_iter().flatten() {
            let field = entry.get("field").and_then(Value::as_str);
            let message = entry.get("message").and_then(Value::as_str);
            if let (Some(field), Some(message)) = (field, message) {
                errors.push(field, message);
            }
        }
        errors
    }
}

/// Validation messages keyed by input field name (camelCase, as in the schema).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// Adds a message for `field`.
    pub fn push(&mut self, field: &str, message: &str) {
        self.0.push((field.to_owned(), message.to_owned()));
    }

    /// The messages for exactly `field`, joined into one sentence.
    pub fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    /// All `(field, message)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// `true` when there is no message.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why an API call did not give the page what it asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The request could not be sent or no answer came back.
    Network(String),
    /// The server answered with an HTTP error status and no GraphQL body.
    Http(u16),
    /// The answer was not the expected JSON shape.
    Decode(String),
    /// The session is missing or has expired; the app is on its way to `/login`.
    Unauthenticated,
    /// The server refused the operation; at least one error is present.
    Graphql(Vec<GqlError>),
}

impl ApiError {
    /// The GraphQL errors carrying `code`, if any.
    pub fn with_code(&self, code: &str) -> Option<&GqlError> {
        match self {
            ApiError::Graphql(errors) => errors.iter().find(|e| e.code() == Some(code)),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(_) => {
                f.write_str("Could not reach the server. Check your connection and try again.")
            }
            ApiError::Http(status) => {
                write!(f, "The server answered with an error (HTTP {status}).")
            }
            ApiError::Decode(_) => f.write_str("The server sent an answer this page cannot read."),
            ApiError::Unauthenticated => {
                f.write_str("Your session has ended. Please sign in again.")
            }
            ApiError::Graphql(errors) => {
                let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
                f.write_str(&messages.join(" "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(value: Value) -> Result<GqlError, serde_json::Error> {
        Ok(GqlError::from_json(&value))
    }

    #[test]
    fn guarded_field_errors_are_non_fatal() -> Result<(), serde_json::Error> {
        let guarded = error(json!({
            "message": "forbidden",
            "path": ["accounts", "edges", 3, "node", "annualRevenue"],
            "extensions": { "code": "FORBIDDEN" }
        }))?;
        assert!(guarded.is_non_fatal());
        let whole_list = error(json!({
            "message": "forbidden",
            "path": ["accounts"],
            "extensions": { "code": "FORBIDDEN" }
        }))?;
        assert!(!whole_list.is_non_fatal());
        let no_path = error(json!({ "message": "boom" }))?;
        assert!(!no_path.is_non_fatal());
        assert_eq!(no_path.code(), None);
        Ok(())
    }

    #[test]
    fn reads_bad_user_input_fields() -> Result<(), serde_json::Error> {
        let e = error(json!({
            "message": "invalid input",
            "extensions": {
                "code": "BAD_USER_INPUT",
                "fields": [
                    { "field": "name", "message": "is required" },
                    { "field": "email", "message": "is not an e-mail address" },
                    { "field": "name", "message": "is too short" }
                ]
            }
        }))?;
        assert_eq!(e.code(), Some("BAD_USER_INPUT"));
        let fields = e.field_errors();
        assert_eq!(
            fields.get("name").as_deref(),
            Some("is required; is too short")
        );
        assert_eq!(
            fields.get("email").as_deref(),
            Some("is not an e-mail address")
        );
        assert_eq!(fields.get("phone"), None);
        Ok(())
    }

    #[test]
    fn unknown_ids() -> Result<(), serde_json::Error> {
        let bad_id = error(json!({
            "message": "invalid input: id: is not a valid party id",
            "path": ["party"],
            "extensions": { "code": "BAD_USER_INPUT", "fields": [{ "field": "id", "message": "is not a valid party id" }] }
        }))?;
        assert!(bad_id.is_unknown_id());
        let not_found = error(json!({ "message": "gone", "extensions": { "code": "NOT_FOUND" } }))?;
        assert!(not_found.is_unknown_id());
        let bad_name = error(json!({
            "message": "invalid input",
            "extensions": { "code": "BAD_USER_INPUT", "fields": [{ "field": "name", "message": "is required" }] }
        }))?;
        assert!(!bad_name.is_unknown_id());
        let forbidden = error(json!({ "message": "no", "extensions": { "code": "FORBIDDEN" } }))?;
        assert!(!forbidden.is_unknown_id());
        Ok(())
    }

    #[test]
    fn graphql_error_message_is_shown_as_is() {
        let e = ApiError::Graphql(vec![GqlError {
            message: "Invalid e-mail or password".into(),
            ..GqlError::default()
        }]);
        assert_eq!(e.to_string(), "Invalid e-mail or password");
    }
}
