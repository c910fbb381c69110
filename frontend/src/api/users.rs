//! Users the signed-in user may pick, e.g. as an account owner.

use super::auth::User;
use super::json::{self, FromJson};
use super::{request, ApiError};
use serde_json::{json, Value};

/// How many users the owner picker loads.
const PICKER_SIZE: u32 = 100;

/// The document of [`assignable`].
pub(crate) const ASSIGNABLE_QUERY: &str =
    "query Users($first: Int) { users(first: $first) { edges { node { id email displayName } } } }";

/// Users that may be chosen as owners (the first [`PICKER_SIZE`]).
pub async fn assignable() -> Result<Vec<User>, ApiError> {
    let data = request(ASSIGNABLE_QUERY, json!({ "first": PICKER_SIZE })).await?;
    Ok(json::items(&data["users"]["edges"])
        .iter()
        .map(|edge: &Value| User::from_json(&edge["node"]))
        .collect())
}
