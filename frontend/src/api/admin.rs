//! Administration of users and teams, and one's own password and sessions.

use super::auth::{Role, User};
use super::input_mutation::{self, input_mutations};
use super::json::{self, FromJson};
use super::{request, ApiError};
use serde_json::{json, Value};

/// A user as the administration shows them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AdminUser {
    /// Opaque global id.
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// May sign in.
    pub active: bool,
    /// Invited and not joined yet.
    pub invitation_pending: bool,
    pub role: Role,
    /// RFC 3339, when they last signed in.
    pub last_login_at: Option<String>,
    /// For `updateUser`.
    pub version: i64,
}

impl FromJson for AdminUser {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            email: json::text(v, "email"),
            display_name: json::text(v, "displayName"),
            active: json::flag(v, "active"),
            invitation_pending: json::flag(v, "invitationPending"),
            role: Role::from_json(&v["role"]),
            last_login_at: json::opt_text(v, "lastLoginAt"),
            version: json::int(v, "version"),
        }
    }
}

impl AdminUser {
    /// "Active", "Invited" or "Deactivated", with the badge's `data-status`.
    pub fn status(&self) -> (&'static str, &'static str) {
        if self.active {
            ("active", "Active")
        } else if self.invitation_pending {
            ("invited", "Invited")
        } else {
            ("deactivated", "Deactivated")
        }
    }
}

const USER_FIELDS: &str =
    "id email displayName active invitationPending lastLoginAt version role { key name }";

/// How many users the administration lists.
const USERS_SHOWN: u32 = 100;

/// The document of [`users`].
pub(crate) fn users_query() -> String {
    format!(
        "query AdminUsers($first: Int) {{ users(first: $first, includeInactive: true) {{ edges {{ node {{ {USER_FIELDS} }} }} }} }}"
    )
}

/// Every user, the deactivated and invited ones too, by name.
pub async fn users() -> Result<Vec<AdminUser>, ApiError> {
    let data = request(&users_query(), json!({ "first": USERS_SHOWN })).await?;
    Ok(json::items(&data["users"]["edges"])
        .iter()
        .map(|e| AdminUser::from_json(&e["node"]))
        .collect())
}

/// The document of [`roles`].
pub(crate) const ROLES_QUERY: &str = "query Roles { roles { key name } }";

/// The roles a user may be given.
pub async fn roles() -> Result<Vec<Role>, ApiError> {
    let data = request(ROLES_QUERY, json!({})).await?;
    Ok(json::list(&data, "roles"))
}

input_mutations! {
    /// The user administration's mutations; each answers with the user.
    pub(crate) UserWrite {
        Invite = "inviteUser", "InviteUserInput";
        Update = "updateUser", "UpdateUserInput";
        Deactivate = "deactivateUser", "UserIdInput";
        Reactivate = "reactivateUser", "UserIdInput";
        SendReset = "sendPasswordReset", "UserIdInput";
    }
}

impl UserWrite {
    /// The document, reading the user back.
    pub(crate) fn document(self) -> String {
        let selection = format!("user {{ {USER_FIELDS} }}");
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs a user mutation and reads the user.
pub async fn write_user(mutation: UserWrite, input: Value) -> Result<AdminUser, ApiError> {
    let mut data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(AdminUser::from_json(&data[mutation.field()].take()["user"]))
}

/// A team as the administration shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AdminTeam {
    pub id: String,
    pub name: String,
    pub archived: bool,
    pub manager: Option<User>,
    /// The parent's id and name.
    pub parent: Option<(String, String)>,
    pub members: Vec<User>,
}

impl FromJson for AdminTeam {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            archived: json::flag(v, "archived"),
            manager: json::object(v, "manager"),
            parent: Some(&v["parent"])
                .filter(|p| p.is_object())
                .map(|p| (json::text(p, "id"), json::text(p, "name"))),
            members: json::list(v, "members"),
        }
    }
}

const TEAM_FIELDS: &str = "id name archived manager { id email displayName } parent { id name } \
     members { id email displayName }";

/// The document of [`teams`].
pub(crate) fn teams_query() -> String {
    format!("query AdminTeams {{ teams(includeArchived: true) {{ {TEAM_FIELDS} }} }}")
}

/// Every team, the archived ones too, by name.
pub async fn teams() -> Result<Vec<AdminTeam>, ApiError> {
    let data = request(&teams_query(), json!({})).await?;
    Ok(json::list(&data, "teams"))
}

input_mutations! {
    /// The team administration's mutations; each answers with the team.
    pub(crate) TeamWrite {
        Create = "createTeam", "CreateTeamInput";
        Update = "updateTeam", "UpdateTeamInput";
        Archive = "archiveTeam", "TeamIdInput";
    }
}

impl TeamWrite {
    /// The document, reading the team back.
    pub(crate) fn document(self) -> String {
        let selection = format!("team {{ {TEAM_FIELDS} }}");
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// What the team editor sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TeamDraft {
    pub name: String,
    /// A user id, or empty for none.
    pub manager_id: String,
    /// A team id, or empty for none (at the top).
    pub parent_id: String,
    pub member_ids: Vec<String>,
}

impl TeamDraft {
    /// The draft of a saved team.
    pub fn of(team: &AdminTeam) -> Self {
        Self {
            name: team.name.clone(),
            manager_id: team
                .manager
                .as_ref()
                .map(|m| m.id.clone())
                .unwrap_or_default(),
            parent_id: team
                .parent
                .as_ref()
                .map(|p| p.0.clone())
                .unwrap_or_default(),
            member_ids: team.members.iter().map(|m| m.id.clone()).collect(),
        }
    }

    /// The mutation's input: for an existing team (`id`) the whole draft, with `null` for no
    /// manager or parent.
    pub fn input(&self, id: Option<&str>) -> Value {
        let opt = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
        let mut input = json!({
            "name": self.name,
            "managerId": opt(&self.manager_id),
            "parentId": opt(&self.parent_id),
            "memberIds": self.member_ids,
        });
        if let Some(id) = id {
            input["id"] = json!(id);
        }
        input
    }
}

/// Creates a team (`id` `None`) or saves one.
pub async fn save_team(draft: &TeamDraft, id: Option<&str>) -> Result<AdminTeam, ApiError> {
    let mutation = if id.is_some() {
        TeamWrite::Update
    } else {
        TeamWrite::Create
    };
    write_team(mutation, draft.input(id)).await
}

/// Runs a team mutation and reads the team.
pub async fn write_team(mutation: TeamWrite, input: Value) -> Result<AdminTeam, ApiError> {
    let mut data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(AdminTeam::from_json(&data[mutation.field()].take()["team"]))
}

/// One of the caller's own sessions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnSession {
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
    /// The session of this browser.
    pub current: bool,
}

impl FromJson for OwnSession {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            created_at: json::text(v, "createdAt"),
            expires_at: json::text(v, "expiresAt"),
            current: json::flag(v, "current"),
        }
    }
}

/// The document of [`sessions`].
pub(crate) const SESSIONS_QUERY: &str =
    "query MySessions { mySessions { id createdAt expiresAt current } }";

/// The caller's live sessions, newest first.
pub async fn sessions() -> Result<Vec<OwnSession>, ApiError> {
    let data = request(SESSIONS_QUERY, json!({})).await?;
    Ok(json::list(&data, "mySessions"))
}

/// The document of [`revoke_session`].
pub(crate) const REVOKE_SESSION_MUTATION: &str =
    "mutation RevokeSession($input: RevokeSessionInput!) { revokeSession(input: $input) }";

/// Ends one of the caller's sessions.
pub async fn revoke_session(id: &str) -> Result<(), ApiError> {
    request(REVOKE_SESSION_MUTATION, json!({ "input": { "id": id } })).await?;
    Ok(())
}

/// The document of [`change_password`].
pub(crate) const CHANGE_PASSWORD_MUTATION: &str =
    "mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) }";

/// Changes the caller's password; their other sessions end.
pub async fn change_password(current: &str, new: &str) -> Result<(), ApiError> {
    let input = json!({ "currentPassword": current, "newPassword": new });
    request(CHANGE_PASSWORD_MUTATION, json!({ "input": input })).await?;
    Ok(())
}

/// Users to choose from (team managers and members): the active ones.
pub async fn active_users() -> Result<Vec<AdminUser>, ApiError> {
    Ok(users().await?.into_iter().filter(|u| u.active).collect())
}
