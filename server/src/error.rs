//! The one error type of the API, mapped once to GraphQL `extensions.code`.
//!
//! `AppError` deliberately does not implement `Display`: that keeps async-graphql's blanket
//! `From<T: Display>` away, so every resolver error goes through [`From<AppError>`] below and
//! carries its code. Internal causes are logged once here and never sent to the client.

use async_graphql::ErrorExtensions;

/// One invalid input field: its path in the input (camelCase, e.g. `name` or `annualRevenue.amount`)
/// and a message that reads on its own next to the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Every failure a request can meet.
#[derive(Debug, Clone)]
pub enum AppError {
    /// No valid session: missing, expired or revoked token.
    Unauthenticated(&'static str),
    /// Authenticated, but the role does not grant this.
    Forbidden(String),
    /// Absent, or not visible to the caller (the two are indistinguishable on purpose).
    NotFound(String),
    /// Validation failed; nothing was written.
    BadInput(Vec<FieldError>),
    /// The record changed since the caller read it.
    Conflict {
        message: String,
        current_version: i32,
    },
    /// Too many attempts.
    RateLimited { retry_after_secs: i64 },
    /// Anything else: logged, reported to the client as `INTERNAL` without details.
    Internal(std::sync::Arc<anyhow::Error>),
}

impl AppError {
    /// One invalid field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput(vec![FieldError::new(field, message)])
    }

    /// Wraps any unexpected cause.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(std::sync::Arc::new(cause.into()))
    }

    /// The stable code sent in `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput(_) => "BAD_USER_INPUT",
            Self::Conflict { .. } => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }

    /// The client-facing message.
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(m) => (*m).to_string(),
            Self::Forbidden(m) | Self::NotFound(m) => m.clone(),
            Self::BadInput(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect();
                format!("invalid input: {}", parts.join("; "))
            }
            Self::Conflict { message, .. } => message.clone(),
            Self::RateLimited { retry_after_secs } => {
                format!("too many attempts; try again in {retry_after_secs} s")
            }
            Self::Internal(_) => "internal error".to_string(),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::internal(e)
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(e: sea_orm::TransactionError<AppError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

impl From<async_graphql::Error> for AppError {
    fn from(e: async_graphql::Error) -> Self {
        Self::internal(anyhow::anyhow!("graphql: {}", e.message))
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(e: AppError) -> Self {
        if let AppError::Internal(cause) = &e {
            tracing::error!(
                error = format!("{cause:#}"),
                "request failed with an internal error"
            );
        }
        let code = e.code();
        async_graphql::Error::new(e.message()).extend_with(|_, ext| {
            ext.set("code", code);
            match &e {
                AppError::BadInput(fields) => {
                    let list: Vec<async_graphql::Value> = fields
                        .iter()
                        .map(|f| {
                            let mut obj = async_graphql::indexmap::IndexMap::new();
                            obj.insert(
                                async_graphql::Name::new("field"),
                                async_graphql::Value::from(f.field.clone()),
                            );
                            obj.insert(
                                async_graphql::Name::new("message"),
                                async_graphql::Value::from(f.message.clone()),
                            );
                            async_graphql::Value::Object(obj)
                        })
                        .collect();
                    ext.set("fields", async_graphql::Value::List(list));
                }
                AppError::Conflict {
                    current_version, ..
                } => ext.set("currentVersion", *current_version),
                AppError::RateLimited { retry_after_secs } => {
                    ext.set("retryAfterSeconds", *retry_after_secs)
                }
                _ => {}
            }
        })
    }
}

/// Result of services and resolvers.
pub type AppResult<T> = Result<T, AppError>;
