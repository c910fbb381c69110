//! The typed field guard for sensitive fields.

use async_graphql::{Context, Guard};

use crate::auth::RequestCtx;
use crate::error::AppError;

/// Guards a sensitive field: callers whose role lacks a read grant for `object.field` get `null`
/// for that field and a `FORBIDDEN` error on its path; the rest of the record still resolves.
pub struct FieldGuard {
    object: &'static str,
    field: &'static str,
}

impl FieldGuard {
    /// A guard on `object.field` (field named as in the API, camelCase).
    pub fn new(object: &'static str, field: &'static str) -> Self {
        Self { object, field }
    }
}

impl Guard for FieldGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let req = ctx.data::<RequestCtx>()?;
        let actor = req.actor()?;
        if actor.grants.can_read_field(self.object, self.field) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "your role may not read {}.{}",
                self.object, self.field
            ))
            .into())
        }
    }
}
