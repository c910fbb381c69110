//! Who is signed in and what they may do: `me`, `login` and `logout`.

use super::json::{self, FromJson};
use super::{fetch, request, session, ApiError};
use serde_json::{json, Value};

/// Selection shared by `me` and `login`.
const ME_FIELDS: &str = "user { id email displayName } role { key name } \
     permissions { object actions } fieldPermissions { object field read write }";

/// A user as shown in the app (account owner, signed-in user).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct User {
    /// Opaque global id.
    pub id: String,
    /// Sign-in e-mail.
    pub email: String,
    /// Name shown in lists and in the header.
    pub display_name: String,
}

impl FromJson for User {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            email: json::text(v, "email"),
            display_name: json::text(v, "displayName"),
        }
    }
}

/// The signed-in user's role.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Role {
    /// Stable key, e.g. `sales_rep`.
    pub key: String,
    /// Name shown to people, e.g. "Sales rep".
    pub name: String,
}

impl FromJson for Role {
    fn from_json(v: &Value) -> Self {
        Self {
            key: json::text(v, "key"),
            name: json::text(v, "name"),
        }
    }
}

/// The actions allowed on one kind of object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Permission {
    /// Object kind, e.g. `account`.
    pub object: String,
    /// Allowed actions, e.g. `read`, `create`, `update`, `archive`.
    pub actions: Vec<String>,
}

impl FromJson for Permission {
    fn from_json(v: &Value) -> Self {
        Self {
            object: json::text(v, "object"),
            actions: json::texts(v, "actions"),
        }
    }
}

/// Access to one sensitive field of an object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldPermission {
    /// Object kind, e.g. `account`.
    pub object: String,
    /// Field name as in the schema, e.g. `annualRevenue`.
    pub field: String,
    /// The field may be read.
    pub read: bool,
    /// The field may be written.
    pub write: bool,
}

impl FromJson for FieldPermission {
    fn from_json(v: &Value) -> Self {
        Self {
            object: json::text(v, "object"),
            field: json::text(v, "field"),
            read: json::flag(v, "read"),
            write: json::flag(v, "write"),
        }
    }
}

/// The signed-in user, their role and their grants.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Me {
    /// The user.
    pub user: User,
    /// Their role.
    pub role: Role,
    /// Object-level grants.
    pub permissions: Vec<Permission>,
    /// Grants on sensitive fields; a field not listed is not restricted.
    pub field_permissions: Vec<FieldPermission>,
}

impl FromJson for Me {
    fn from_json(v: &Value) -> Self {
        Self {
            user: User::from_json(&v["user"]),
            role: Role::from_json(&v["role"]),
            permissions: json::list(v, "permissions"),
            field_permissions: json::list(v, "fieldPermissions"),
        }
    }
}

impl Me {
    /// May the user do `action` on objects of kind `object`?
    pub fn can(&self, object: &str, action: &str) -> bool {
        self.permissions
            .iter()
            .any(|p| p.object == object && p.actions.iter().any(|a| a == action))
    }

    fn field(&self, object: &str, field: &str) -> Option<&FieldPermission> {
        self.field_permissions
            .iter()
            .find(|p| p.object == object && p.field == field)
    }

    /// May the user read `object.field`? Fields without an entry are not restricted.
    pub fn can_read_field(&self, object: &str, field: &str) -> bool {
        self.field(object, field).is_none_or(|p| p.read)
    }

    /// May the user write `object.field`? Fields without an entry are not restricted.
    pub fn can_write_field(&self, object: &str, field: &str) -> bool {
        self.field(object, field).is_none_or(|p| p.write)
    }
}

/// The document of [`me`].
pub(crate) fn me_query() -> String {
    format!("query Me {{ me {{ {ME_FIELDS} }} }}")
}

/// Loads the signed-in user.
pub async fn me() -> Result<Me, ApiError> {
    fetch(&me_query(), json!({}), "me").await
}

/// The document of [`login`].
pub(crate) fn login_mutation() -> String {
    format!(
        "mutation Login($input: LoginInput!) {{ login(input: $input) {{ token notice me {{ {ME_FIELDS} }} }} }}"
    )
}

/// The document of [`logout`].
pub(crate) const LOGOUT_MUTATION: &str = "mutation Logout { logout }";

/// A successful sign-in: who, and what the server wants them to know (if anything).
pub struct SignedIn {
    pub me: Me,
    pub notice: Option<String>,
}

/// Signs in, stores the token and returns the signed-in user.
pub async fn login(email: &str, password: &str) -> Result<SignedIn, ApiError> {
    // A stale token must not be sent along with fresh credentials.
    session::clear_token();
    let variables = json!({ "input": { "email": email, "password": password } });
    let data = request(&login_mutation(), variables).await?;
    let payload = &data["login"];
    session::set_token(&json::text(payload, "token"));
    Ok(SignedIn {
        me: Me::from_json(&payload["me"]),
        notice: payload["notice"].as_str().map(str::to_owned),
    })
}

/// The document of [`set_password_with_link`].
pub(crate) fn set_password_with_link_mutation() -> String {
    format!(
        "mutation SetPasswordWithLink($input: SetPasswordWithLinkInput!) {{ setPasswordWithLink(input: $input) {{ token me {{ {ME_FIELDS} }} }} }}"
    )
}

/// Chooses a password through a mailed link (an invitation or a reset), stores the new
/// session's token and returns the signed-in user.
pub async fn set_password_with_link(token: &str, password: &str) -> Result<Me, ApiError> {
    session::clear_token();
    let variables = json!({ "input": { "token": token, "password": password } });
    let data = request(&set_password_with_link_mutation(), variables).await?;
    let payload = &data["setPasswordWithLink"];
    session::set_token(&json::text(payload, "token"));
    Ok(Me::from_json(&payload["me"]))
}

/// Ends the session on the server (best effort) and forgets the token.
pub async fn logout() {
    if session::token().is_some() {
        // Signing out locally must work even when the server is unreachable.
        let _ = request(LOGOUT_MUTATION, json!({})).await;
    }
    session::clear_token();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Me {
        Me {
            permissions: vec![Permission {
                object: "account".into(),
                actions: vec!["read".into(), "create".into()],
            }],
            field_permissions: vec![FieldPermission {
                object: "account".into(),
                field: "annualRevenue".into(),
                read: true,
                write: false,
            }],
            ..Me::default()
        }
    }

    #[test]
    fn object_permissions() {
        let me = me();
        assert!(me.can("account", "create"));
        assert!(!me.can("account", "archive"));
        assert!(!me.can("contact", "read"));
    }

    #[test]
    fn field_permissions_default_to_allowed() {
        let me = me();
        assert!(me.can_read_field("account", "annualRevenue"));
        assert!(!me.can_write_field("account", "annualRevenue"));
        assert!(me.can_write_field("account", "name"));
    }
}
