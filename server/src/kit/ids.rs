//! Relay global ids: `base64url("<Type>:<uuid>")`, opaque to clients, and their typed decoding.

use async_graphql::ID;
use base64::Engine;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Encodes a global id.
pub fn to_global_id(type_name: &str, id: Uuid) -> ID {
    ID(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// Decodes a global id into its type name and uuid; `None` when it is not one of ours.
pub fn parse_global_id(id: &str) -> Option<(String, Uuid)> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id.trim_end_matches('='))
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (ty, uuid) = text.split_once(':')?;
    Some((ty.to_string(), Uuid::parse_str(uuid).ok()?))
}

/// Decodes a global id that must name a `type_name`, or fails with `BAD_USER_INPUT` on `field`.
pub fn expect_global_id(id: &ID, type_name: &str, field: &str) -> AppResult<Uuid> {
    match parse_global_id(id) {
        Some((ty, uuid)) if ty == type_name => Ok(uuid),
        _ => Err(AppError::bad_input(
            field,
            format!("is not a valid {type_name} id"),
        )),
    }
}

/// Decodes an optional `ownerId`-style user id (`BAD_USER_INPUT` on `field` when it is not one).
pub fn optional_user_id(id: Option<ID>, field: &str) -> AppResult<Option<Uuid>> {
    id.map(|i| expect_global_id(&i, "User", field)).transpose()
}

/// A GraphQL object type addressed by global id.
pub trait GlobalType {
    /// The type name inside its global ids (`Account`, `Lead`, …).
    const TYPE_NAME: &'static str;

    /// The global id of a record of this type.
    fn global_id(id: Uuid) -> ID {
        to_global_id(Self::TYPE_NAME, id)
    }

    /// Decodes an id that must name this type (`BAD_USER_INPUT` on `field` otherwise).
    fn decode(id: &ID, field: &str) -> AppResult<Uuid> {
        expect_global_id(id, Self::TYPE_NAME, field)
    }

    /// Decodes an optional id of this type.
    fn decode_opt(id: Option<&ID>, field: &str) -> AppResult<Option<Uuid>> {
        id.map(|i| Self::decode(i, field)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_round_trip_and_reject_garbage() {
        let u = Uuid::new_v4();
        let id = to_global_id("Account", u);
        assert_eq!(parse_global_id(&id), Some(("Account".to_string(), u)));
        assert_eq!(parse_global_id("not base64!"), None);
        assert_eq!(
            parse_global_id(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Account:nope")
            ),
            None
        );
    }
}
