//! The typed field guard for sensitive fields.

use async_graphql::{Context, Guard};

use super::Field;
use crate::auth::RequestCtx;
use crate::error::AppError;

/// Guards a sensitive field: callers whose role lacks a read grant for it get `null` for that field
/// and a `FORBIDDEN` error on its path; the rest of the record still resolves.
pub struct FieldGuard {
    field: Field,
}

impl FieldGuard {
    /// A guard on a domain's declared sensitive field.
    pub fn of(field: Field) -> Self {
        Self { field }
    }
}

impl Guard for FieldGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let req = ctx.data::<RequestCtx>()?;
        let actor = req.actor()?;
        if actor.grants.can_read(self.field) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "your role may not read {}.{}",
                self.field.object, self.field.name
            ))
            .into())
        }
    }
}
