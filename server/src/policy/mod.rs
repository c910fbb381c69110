//! One place decides who may do what.
//!
//! A role grants `object × action`, each with a row scope (own / team / all), and may read or write
//! sensitive fields only where a field grant says so. Everything not granted is denied. Services call
//! [`authorize`] before they act and read aggregates through `kit::aggregate` (which adds
//! [`scope_condition`]); resolvers of sensitive fields
//! carry a [`FieldGuard`].

mod guard;
pub mod matrix;

use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use crate::auth::{Actor, RequestCtx};
use crate::error::{AppError, AppResult};

pub use crate::auth::grants::{Action, Field, Grants, Scope};
pub use guard::FieldGuard;

/// Checks that the caller may perform `action` on `object` at all, and returns the caller with the
/// row scope of the grant.
pub fn authorize<'a>(
    ctx: &'a RequestCtx,
    object: &str,
    action: Action,
) -> AppResult<(&'a Actor, Scope)> {
    let actor = ctx.actor()?;
    match actor.grants.scope(object, action) {
        Some(scope) => Ok((actor, scope)),
        None => Err(AppError::Forbidden(format!(
            "your role may not {} {object} records",
            action.as_str().replace('_', " ")
        ))),
    }
}

/// The condition for one scope on an owner column.
pub fn scope_condition<C: ColumnTrait>(actor: &Actor, scope: Scope, owner: C) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Team => Condition::all().add(owner.is_in(actor.team_user_ids.iter().copied())),
        Scope::Own => Condition::all().add(owner.eq(actor.user_id)),
    }
}

/// Whether a record owned by `owner` lies within `scope` for the caller (for writes that set an owner).
pub fn owner_in_scope(actor: &Actor, scope: Scope, owner: Option<Uuid>) -> bool {
    match (scope, owner) {
        (Scope::All, _) => true,
        (Scope::Team, Some(o)) => actor.team_user_ids.contains(&o),
        (Scope::Own, Some(o)) => o == actor.user_id,
        (_, None) => false,
    }
}

/// Checks that `action` on `object` reaches a record owned by `owner` (the caller could read it
/// already); returns the grant's scope. `noun` names the record in the message ("account", …).
pub fn check_reach(
    ctx: &RequestCtx,
    object: &str,
    action: Action,
    owner: Option<Uuid>,
    noun: &str,
) -> AppResult<Scope> {
    let (actor, scope) = authorize(ctx, object, action)?;
    if owner_in_scope(actor, scope, owner) {
        Ok(scope)
    } else {
        Err(AppError::Forbidden(format!(
            "your role may not {} this {noun}",
            action.as_str()
        )))
    }
}

/// Rejects a read of a sensitive field the caller may not read (for resolvers reached without
/// their [`FieldGuard`], such as fields selected on an interface).
pub fn require_field_read(ctx: &RequestCtx, field: Field) -> AppResult<()> {
    if ctx.actor()?.grants.can_read(field) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "your role may not read {}.{}",
            field.object, field.name
        )))
    }
}

/// Rejects a write to a sensitive field the caller may not write.
pub fn check_field_write(actor: &Actor, field: Field) -> AppResult<()> {
    if actor.grants.can_write(field) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "your role may not change {}.{}",
            field.object, field.name
        )))
    }
}
