//! Roles and permissions: the roles, one role's grant matrix, the catalogue of what may be
//! granted, a role's preview on a record, and the mutations that copy, change and remove roles.

use super::input_mutation::{self, input_mutations};
use super::json::{self, FromJson};
use super::{request, ApiError};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A role as the roles list shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoleSummary {
    /// Opaque global id.
    pub id: String,
    pub key: String,
    pub name: String,
    /// Fixed by the product; only copies change.
    pub builtin: bool,
    /// For `updateRole`.
    pub version: i64,
    pub user_count: i64,
}

impl FromJson for RoleSummary {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            key: json::text(v, "key"),
            name: json::text(v, "name"),
            builtin: json::flag(v, "builtin"),
            version: json::int(v, "version"),
            user_count: json::int(v, "userCount"),
        }
    }
}

/// One object grant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grant {
    pub object: String,
    pub action: String,
    /// `own`, `team` or `all`.
    pub scope: String,
}

impl FromJson for Grant {
    fn from_json(v: &Value) -> Self {
        Self {
            object: json::text(v, "object"),
            action: json::text(v, "action"),
            scope: json::text(v, "scope"),
        }
    }
}

/// One field grant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldGrant {
    pub object: String,
    pub field: String,
    pub read: bool,
    pub write: bool,
}

impl FromJson for FieldGrant {
    fn from_json(v: &Value) -> Self {
        Self {
            object: json::text(v, "object"),
            field: json::text(v, "field"),
            read: json::flag(v, "read"),
            write: json::flag(v, "write"),
        }
    }
}

/// A role with its matrix.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoleDetail {
    pub role: RoleSummary,
    pub grants: Vec<Grant>,
    pub field_grants: Vec<FieldGrant>,
}

impl FromJson for RoleDetail {
    fn from_json(v: &Value) -> Self {
        Self {
            role: RoleSummary::from_json(v),
            grants: json::list(v, "grants"),
            field_grants: json::list(v, "fieldGrants"),
        }
    }
}

/// One object of the catalogue: what a role may be granted on it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CatalogueObject {
    pub object: String,
    pub actions: Vec<String>,
    pub fields: Vec<String>,
}

impl FromJson for CatalogueObject {
    fn from_json(v: &Value) -> Self {
        Self {
            object: json::text(v, "object"),
            actions: json::texts(v, "actions"),
            fields: json::texts(v, "fields"),
        }
    }
}

/// What a role may do with one record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preview {
    pub object: String,
    pub visible: bool,
    /// Each action with the scope granted (`None`: not granted).
    pub actions: Vec<(String, Option<String>)>,
    pub fields: Vec<FieldGrant>,
}

impl FromJson for Preview {
    fn from_json(v: &Value) -> Self {
        Self {
            object: json::text(v, "object"),
            visible: json::flag(v, "visible"),
            actions: json::items(&v["actions"])
                .iter()
                .map(|a| (json::text(a, "action"), json::opt_text(a, "scope")))
                .collect(),
            fields: json::list(v, "fields"),
        }
    }
}

const SUMMARY_FIELDS: &str = "id key name builtin version userCount";

/// The document of [`roles`].
pub(crate) fn roles_query() -> String {
    format!("query AdminRoles {{ roles {{ {SUMMARY_FIELDS} }} }}")
}

/// Every role, builtin ones first.
pub async fn roles() -> Result<Vec<RoleSummary>, ApiError> {
    let data = request(&roles_query(), json!({})).await?;
    Ok(json::list(&data, "roles"))
}

fn detail_selection() -> String {
    format!(
        "{SUMMARY_FIELDS} grants {{ object action scope }} fieldGrants {{ object field read write }}"
    )
}

/// The document of [`role`].
pub(crate) fn role_query() -> String {
    format!(
        "query AdminRole($id: ID!) {{ role(id: $id) {{ {} }} }}",
        detail_selection()
    )
}

/// One role with its matrix (`None`: gone).
pub async fn role(id: &str) -> Result<Option<RoleDetail>, ApiError> {
    let data = request(&role_query(), json!({ "id": id })).await?;
    Ok(json::object(&data, "role"))
}

/// The document of [`catalogue`].
pub(crate) const CATALOGUE_QUERY: &str =
    "query PermissionCatalogue { permissionCatalogue { object actions fields } }";

/// What a role may be granted, object by object.
pub async fn catalogue() -> Result<Vec<CatalogueObject>, ApiError> {
    let data = request(CATALOGUE_QUERY, json!({})).await?;
    Ok(json::list(&data, "permissionCatalogue"))
}

/// The document of [`preview`].
pub(crate) const PREVIEW_QUERY: &str = "query RolePreview($role: ID!, $record: ID!, $as: ID) { \
     rolePreview(roleId: $role, recordId: $record, asUserId: $as) { object visible \
     actions { action scope } fields { object field read write } } }";

/// What `role` may do with `record`, as the user `as_user` (or as a user of the role who owns
/// nothing and is in no team).
pub async fn preview(role: &str, record: &str, as_user: Option<&str>) -> Result<Preview, ApiError> {
    let data = request(
        PREVIEW_QUERY,
        json!({ "role": role, "record": record, "as": as_user }),
    )
    .await?;
    Ok(Preview::from_json(&data["rolePreview"]))
}

input_mutations! {
    /// The role administration's mutations; each answers with the role and its matrix.
    pub(crate) RoleWrite {
        Create = "createRole", "CreateRoleInput";
        Update = "updateRole", "UpdateRoleInput";
    }
}

impl RoleWrite {
    /// The document, reading the role back.
    pub(crate) fn document(self) -> String {
        let selection = format!("role {{ {} }}", detail_selection());
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs a role mutation and reads the role.
pub async fn write_role(mutation: RoleWrite, input: Value) -> Result<RoleDetail, ApiError> {
    let mut data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(RoleDetail::from_json(
        &data[mutation.field()].take()["role"],
    ))
}

/// The document of [`delete_role`].
pub(crate) const DELETE_ROLE_MUTATION: &str =
    "mutation DeleteRole($id: ID!) { deleteRole(input: { id: $id }) { id } }";

/// Removes a custom role nobody holds.
pub async fn delete_role(id: &str) -> Result<(), ApiError> {
    request(DELETE_ROLE_MUTATION, json!({ "id": id })).await?;
    Ok(())
}

/// A role's matrix as the screen edits it: the scope per object × action, and read/write per
/// sensitive field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    scopes: BTreeMap<(String, String), String>,
    fields: BTreeMap<(String, String), (bool, bool)>,
}

impl Matrix {
    /// The matrix of a saved role.
    pub fn of(role: &RoleDetail) -> Self {
        Self {
            scopes: role
                .grants
                .iter()
                .map(|g| ((g.object.clone(), g.action.clone()), g.scope.clone()))
                .collect(),
            fields: role
                .field_grants
                .iter()
                .map(|f| ((f.object.clone(), f.field.clone()), (f.read, f.write)))
                .collect(),
        }
    }

    /// The scope of `object` × `action`, empty when not granted.
    pub fn scope(&self, object: &str, action: &str) -> String {
        self.scopes
            .get(&(object.to_owned(), action.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    /// Sets a scope; empty removes the grant.
    pub fn set_scope(&mut self, object: &str, action: &str, scope: &str) {
        let key = (object.to_owned(), action.to_owned());
        if scope.is_empty() {
            self.scopes.remove(&key);
        } else {
            self.scopes.insert(key, scope.to_owned());
        }
    }

    /// Whether a sensitive field may be read and written.
    pub fn field(&self, object: &str, field: &str) -> (bool, bool) {
        self.fields
            .get(&(object.to_owned(), field.to_owned()))
            .copied()
            .unwrap_or_default()
    }

    /// Sets what may be done with a field; writing implies reading, not reading forbids writing.
    pub fn set_field(&mut self, object: &str, field: &str, read: bool, write: bool) {
        let (read, write) = (read || write, write);
        let key = (object.to_owned(), field.to_owned());
        if read {
            self.fields.insert(key, (read, write));
        } else {
            self.fields.remove(&key);
        }
    }

    /// The `grants` and `fieldGrants` of `updateRole`.
    pub fn input(&self) -> (Value, Value) {
        let grants: Vec<Value> = self
            .scopes
            .iter()
            .map(|((object, action), scope)| {
                json!({ "object": object, "action": action, "scope": scope })
            })
            .collect();
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|((object, field), (read, write))| {
                json!({ "object": object, "field": field, "read": read, "write": write })
            })
            .collect();
        (Value::Array(grants), Value::Array(fields))
    }
}

/// How an action reads in the matrix ("Approve deletion").
pub fn action_label(action: &str) -> String {
    let text = action.replace('_', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// How an object reads in the matrix ("Contact list").
pub fn object_label(object: &str) -> String {
    action_label(object)
}

/// How a field reads ("annualRevenue" → "Annual revenue").
pub fn field_label(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    action_label(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail() -> RoleDetail {
        RoleDetail {
            role: RoleSummary::default(),
            grants: vec![Grant {
                object: "account".into(),
                action: "read".into(),
                scope: "team".into(),
            }],
            field_grants: vec![FieldGrant {
                object: "account".into(),
                field: "annualRevenue".into(),
                read: true,
                write: false,
            }],
        }
    }

    #[test]
    fn the_matrix_round_trips_and_keeps_write_within_read() {
        let mut m = Matrix::of(&detail());
        assert_eq!(m.scope("account", "read"), "team");
        assert_eq!(m.scope("account", "update"), "");
        m.set_scope("account", "read", "all");
        m.set_scope("account", "update", "own");
        m.set_scope("account", "update", "");
        m.set_field("opportunity", "amount", false, true);
        assert_eq!(m.field("opportunity", "amount"), (true, true));
        m.set_field("account", "annualRevenue", false, false);
        let (grants, fields) = m.input();
        assert_eq!(
            grants,
            json!([{ "object": "account", "action": "read", "scope": "all" }])
        );
        assert_eq!(
            fields,
            json!([{ "object": "opportunity", "field": "amount", "read": true, "write": true }])
        );
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(action_label("approve_deletion"), "Approve deletion");
        assert_eq!(object_label("contact_list"), "Contact list");
        assert_eq!(field_label("annualRevenue"), "Annual revenue");
        assert_eq!(field_label("largeDiscount"), "Large discount");
    }
}
