//! Users the signed-in user may pick, e.g. as an account owner.

use super::auth::User;
use super::{request, ApiError};
use serde::Deserialize;
use serde_json::json;

/// How many users the owner picker loads.
const PICKER_SIZE: u32 = 100;

#[derive(Deserialize)]
struct Edge {
    node: User,
}

#[derive(Deserialize)]
struct Connection {
    edges: Vec<Edge>,
}

#[derive(Deserialize)]
struct UsersData {
    users: Connection,
}

/// Users that may be chosen as owners (the first [`PICKER_SIZE`]).
pub async fn assignable() -> Result<Vec<User>, ApiError> {
    let query = "query Users($first: Int) { users(first: $first) { edges { node { id email displayName } } } }";
    let data = request::<UsersData>(query, json!({ "first": PICKER_SIZE })).await?;
    Ok(data.users.edges.into_iter().map(|e| e.node).collect())
}
