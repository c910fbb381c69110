//! Roles in the API: `roles`, `role`, `permissionCatalogue`, `rolePreview`, and the mutations
//! `createRole`, `updateRole`, `deleteRole`.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::access::roles;

use super::{FieldRow, GrantRow, NewRole, RoleChange};
use crate::error::{AppError, AppResult};
use crate::kit::ids::{expect_global_id, parse_global_id, to_global_id};
use crate::policy::{self, Action};

/// A role: a named bundle of object grants (each with a row scope) and field grants.
#[derive(Clone)]
pub struct Role(pub roles::Model);

fn may_read_roles(ctx: &Context<'_>) -> AppResult<()> {
    policy::authorize(
        crate::kit::resolve::caller(ctx)?,
        super::OBJECT,
        Action::Read,
    )
    .map(|_| ())
}

#[Object]
impl Role {
    /// Opaque global id.
    async fn id(&self) -> ID {
        to_global_id("Role", self.0.id)
    }
    /// Stable key, e.g. `sales_rep`.
    async fn key(&self) -> &str {
        &self.0.key
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Builtin roles are fixed; custom ones are copies an administrator changes.
    async fn builtin(&self) -> bool {
        self.0.builtin
    }
    /// Version for `updateRole` (for those who may read roles).
    async fn version(&self, ctx: &Context<'_>) -> AppResult<i32> {
        may_read_roles(ctx)?;
        Ok(self.0.version)
    }
    /// How many users hold the role (for those who may read roles).
    async fn user_count(&self, ctx: &Context<'_>) -> AppResult<u64> {
        may_read_roles(ctx)?;
        super::holders(&crate::kit::resolve::state(ctx)?.db, self.0.id).await
    }
    /// Object grants: each object × action with its row scope (for those who may read roles).
    async fn grants(&self, ctx: &Context<'_>) -> AppResult<Vec<RoleGrant>> {
        may_read_roles(ctx)?;
        let db = &crate::kit::resolve::state(ctx)?.db;
        Ok(super::grants_of(db, self.0.id)
            .await?
            .into_iter()
            .map(RoleGrant::from)
            .collect())
    }
    /// Field grants of sensitive fields (for those who may read roles).
    async fn field_grants(&self, ctx: &Context<'_>) -> AppResult<Vec<RoleFieldGrant>> {
        may_read_roles(ctx)?;
        let db = &crate::kit::resolve::state(ctx)?.db;
        Ok(super::field_grants_of(db, self.0.id)
            .await?
            .into_iter()
            .map(RoleFieldGrant::from)
            .collect())
    }
}

/// One object grant of a role.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "RoleGrantInput")]
pub struct RoleGrant {
    /// The object, as in `permissionCatalogue` (`account`, …).
    pub object: String,
    /// `read`, `create`, `update`, `archive`, `approve_deletion`, `export` or `erase`.
    pub action: String,
    /// Which rows: `own`, `team` or `all`.
    pub scope: String,
}

impl From<GrantRow> for RoleGrant {
    fn from(g: GrantRow) -> Self {
        Self {
            object: g.object,
            action: g.action,
            scope: g.scope,
        }
    }
}

/// One field grant of a role: whether a sensitive field may be read and written.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "RoleFieldGrantInput")]
pub struct RoleFieldGrant {
    pub object: String,
    /// The field, camelCase as in the API (`annualRevenue`).
    pub field: String,
    pub read: bool,
    pub write: bool,
}

impl From<FieldRow> for RoleFieldGrant {
    fn from(f: FieldRow) -> Self {
        Self {
            object: f.object,
            field: f.field,
            read: f.read,
            write: f.write,
        }
    }
}

/// One object of the permission catalogue: the actions and sensitive fields a role may be
/// granted on it.
#[derive(SimpleObject)]
pub struct CatalogueObject {
    pub object: String,
    pub actions: Vec<String>,
    pub fields: Vec<String>,
}

/// One action of a preview, with the scope the role grants (null: not granted).
#[derive(SimpleObject)]
pub struct PreviewAction {
    pub action: String,
    pub scope: Option<String>,
}

/// What a role may do with one record.
#[derive(SimpleObject)]
pub struct RolePreview {
    /// The record's object (`account`, …).
    pub object: String,
    /// Whether that role (as the user asked for) reads the record at all.
    pub visible: bool,
    pub actions: Vec<PreviewAction>,
    pub fields: Vec<RoleFieldGrant>,
}

/// Roles and what they may be granted.
#[derive(Default)]
pub struct RoleQuery;

#[Object]
impl RoleQuery {
    /// Every role: builtin ones first, then custom ones by name (the `role` read grant).
    async fn roles(&self, ctx: &Context<'_>) -> AppResult<Vec<Role>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(super::list(&state.db, req)
            .await?
            .into_iter()
            .map(Role)
            .collect())
    }

    /// One role; `null` when there is no such role.
    async fn role(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Role>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&id, "Role", "id")?;
        Ok(super::get(&state.db, req, id).await?.map(Role))
    }

    /// What a role may be granted: each object with its actions and sensitive fields.
    async fn permission_catalogue(&self, ctx: &Context<'_>) -> AppResult<Vec<CatalogueObject>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        policy::authorize(req, super::OBJECT, Action::Read)?;
        let catalogue = super::Catalogue::load(&state.db).await?;
        Ok(catalogue
            .objects()
            .into_iter()
            .map(|o| CatalogueObject {
                object: o.to_string(),
                actions: catalogue
                    .actions
                    .get(o)
                    .map(|a| a.iter().map(|a| a.as_str().to_string()).collect())
                    .unwrap_or_default(),
                fields: catalogue.fields.get(o).cloned().unwrap_or_default(),
            })
            .collect())
    }

    /// What `roleId` may do with the record `recordId`: whether it reads it (through the same read
    /// path as every request, as `asUserId` with that role, or as a user of the role who owns
    /// nothing and is in no team), the scope of each action, and its sensitive fields.
    async fn role_preview(
        &self,
        ctx: &Context<'_>,
        role_id: ID,
        record_id: ID,
        as_user_id: Option<ID>,
    ) -> AppResult<RolePreview> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let role = expect_global_id(&role_id, "Role", "roleId")?;
        let (ty, record) = parse_global_id(&record_id)
            .ok_or_else(|| AppError::bad_input("recordId", "is not an id"))?;
        let as_user = crate::kit::ids::optional_user_id(as_user_id, "asUserId")?;
        let p = super::preview(state, req, role, (&ty, record), as_user).await?;
        Ok(RolePreview {
            object: p.object,
            visible: p.visible,
            actions: p
                .actions
                .into_iter()
                .map(|(a, s)| PreviewAction {
                    action: a.as_str().to_string(),
                    scope: s.map(|s| scope_name(s).to_string()),
                })
                .collect(),
            fields: p.fields.into_iter().map(RoleFieldGrant::from).collect(),
        })
    }
}

fn scope_name(s: policy::Scope) -> &'static str {
    match s {
        policy::Scope::Own => "own",
        policy::Scope::Team => "team",
        policy::Scope::All => "all",
    }
}

/// A new custom role, a copy of `copyFromId` (a builtin role or another custom one).
#[derive(InputObject)]
pub struct CreateRoleInput {
    pub name: String,
    /// Stable key (lower-case letters, digits, underscores); made of the name when left out.
    pub key: Option<String>,
    pub copy_from_id: ID,
}

/// Changes to a custom role. `grants` and `fieldGrants`, when given, replace the role's (a field
/// neither read nor written may be left out).
#[derive(InputObject)]
pub struct UpdateRoleInput {
    pub id: ID,
    /// The version read; a stale one is refused with `CONFLICT`.
    pub version: i32,
    pub name: Option<String>,
    pub grants: Option<Vec<RoleGrant>>,
    pub field_grants: Option<Vec<RoleFieldGrant>>,
}

/// Names a role.
#[derive(InputObject)]
pub struct RoleIdInput {
    pub id: ID,
}

/// The role a mutation changed.
#[derive(SimpleObject)]
pub struct RolePayload {
    pub role: Role,
}

/// The id of a removed role.
#[derive(SimpleObject)]
pub struct DeleteRolePayload {
    pub id: ID,
}

async fn payload(ctx: &Context<'_>, id: uuid::Uuid) -> AppResult<RolePayload> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let role = super::get(&state.db, req, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such role".into()))?;
    Ok(RolePayload { role: Role(role) })
}

/// Role administration.
#[derive(Default)]
pub struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Creates a custom role with the grants of another (the `role` create grant).
    async fn create_role(
        &self,
        ctx: &Context<'_>,
        input: CreateRoleInput,
    ) -> AppResult<RolePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let copy_from = expect_global_id(&input.copy_from_id, "Role", "copyFromId")?;
        let id = super::create(
            state,
            req,
            NewRole {
                name: input.name,
                key: input.key,
                copy_from,
            },
        )
        .await?;
        payload(ctx, id).await
    }

    /// Renames a custom role or replaces its grants; every session holding it sees the change on
    /// its next request (the `role` update grant).
    async fn update_role(
        &self,
        ctx: &Context<'_>,
        input: UpdateRoleInput,
    ) -> AppResult<RolePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "Role", "id")?;
        let change = RoleChange {
            name: input.name,
            grants: input.grants.map(|list| {
                list.into_iter()
                    .map(|g| GrantRow {
                        object: g.object,
                        action: g.action,
                        scope: g.scope,
                    })
                    .collect()
            }),
            fields: input.field_grants.map(|list| {
                list.into_iter()
                    .map(|f| FieldRow {
                        object: f.object,
                        field: f.field,
                        read: f.read,
                        write: f.write,
                    })
                    .collect()
            }),
        };
        super::update(state, req, id, input.version, change).await?;
        payload(ctx, id).await
    }

    /// Removes a custom role nobody holds (the `role` archive grant).
    async fn delete_role(
        &self,
        ctx: &Context<'_>,
        input: RoleIdInput,
    ) -> AppResult<DeleteRolePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "Role", "id")?;
        super::delete(state, req, id).await?;
        Ok(DeleteRolePayload { id: input.id })
    }
}
