//! Saved views of the lists, and the lists' bulk changes.

use super::json::{self};
use super::{request, ApiError};
use serde_json::{json, Value};

/// A saved view of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedView {
    pub id: String,
    pub name: String,
    /// The list's address query, without `?`.
    pub query: String,
    pub shared: bool,
    /// The caller's own (theirs to remove).
    pub mine: bool,
    /// Who saved it.
    pub owner: String,
}

impl SavedView {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            query: json::text(v, "query"),
            shared: json::flag(v, "shared"),
            mine: json::flag(v, "mine"),
            owner: json::text(&v["owner"], "displayName"),
        }
    }
}

const VIEW_FIELDS: &str = "id name query shared mine owner { displayName }";

/// The document of [`list`].
pub(crate) fn list_query() -> String {
    format!(
        "query SavedViews($list: String!) {{ savedViews(list: $list) {{ {VIEW_FIELDS} }} \
         defaultView(list: $list) }}"
    )
}

/// The document of [`save`].
pub(crate) fn save_mutation() -> String {
    format!("mutation SaveView($input: SaveViewInput!) {{ saveView(input: $input) {{ view {{ {VIEW_FIELDS} }} }} }}")
}

/// The document of [`remove`].
pub(crate) const REMOVE_MUTATION: &str =
    "mutation RemoveView($input: SavedViewRefInput!) { removeView(input: $input) { id } }";

/// The views of `list` the caller may use (theirs first, then the team's), and the address query
/// their role opens the list with, if an administrator set one.
pub async fn list(list: &str) -> Result<(Vec<SavedView>, Option<String>), ApiError> {
    let data = request(&list_query(), json!({ "list": list })).await?;
    let views = json::items(&data["savedViews"])
        .iter()
        .map(SavedView::from_json)
        .collect();
    Ok((views, json::opt_text(&data, "defaultView")))
}

/// The document of [`set_role_default`].
pub(crate) const SET_ROLE_DEFAULT_MUTATION: &str =
    "mutation SetRoleDefaultView($input: SetRoleDefaultViewInput!) { \
     setRoleDefaultView(input: $input) { query } }";

/// Makes `query` the view `list` opens with for `role` (empty: clears it); answers what is set.
pub async fn set_role_default(
    role: &str,
    list: &str,
    query: &str,
) -> Result<Option<String>, ApiError> {
    let input = json!({ "roleId": role, "list": list, "query": query });
    let data = request(SET_ROLE_DEFAULT_MUTATION, json!({ "input": input })).await?;
    Ok(json::opt_text(&data["setRoleDefaultView"], "query"))
}

/// Saves the caller's view `name` of `list` (replacing theirs of that name).
pub async fn save(
    list: &str,
    name: &str,
    query: &str,
    shared: bool,
) -> Result<SavedView, ApiError> {
    let input = json!({ "list": list, "name": name, "query": query, "shared": shared });
    let data = request(&save_mutation(), json!({ "input": input })).await?;
    Ok(SavedView::from_json(&data["saveView"]["view"]))
}

/// Removes one of the caller's views.
pub async fn remove(id: &str) -> Result<(), ApiError> {
    request(REMOVE_MUTATION, json!({ "input": { "id": id } })).await?;
    Ok(())
}
