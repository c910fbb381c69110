//! GraphQL of users: `User`, `me`, `users`, `login`, `logout`.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::access::users;

use super::loaders::{InvitationLoader, RoleLoader};
use super::{admin, service};
use crate::auth::{sessions, Actor};
use crate::domain::roles::graphql::Role;
use crate::domain::sensitive_fields;
use crate::error::AppResult;
use crate::kit::aggregate;
use crate::kit::ids::to_global_id;
use crate::kit::paging::Loaded;
use crate::kit::paging::TotalCount;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::policy::Action;
use crate::state::AppState;

/// A person who signs in to the CRM.
#[derive(Clone)]
pub struct User(pub users::Model);

#[Object]
impl User {
    /// Global id.
    pub async fn id(&self) -> ID {
        to_global_id("User", self.0.id)
    }
    /// Sign-in e-mail.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Name shown to colleagues.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// The partner (dealer) organisation the user works for, if any.
    async fn organization_id(&self) -> Option<ID> {
        self.0
            .organization_id
            .map(|o| to_global_id("Organization", o))
    }
    /// Whether the user may sign in (false: deactivated, or invited and not joined yet).
    async fn active(&self) -> bool {
        self.0.active
    }
    /// The user's role.
    async fn role(&self, ctx: &Context<'_>) -> AppResult<Role> {
        let role = ctx
            .data::<Loaded<RoleLoader>>()?
            .load_one(self.0.role_id)
            .await
            .map_err(|e| crate::error::AppError::internal(anyhow::anyhow!("roles: {e}")))?
            .ok_or_else(|| {
                crate::error::AppError::internal(anyhow::anyhow!("user without a role"))
            })?;
        Ok(Role(role))
    }
    /// Version for `updateUser`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The last sign-in (for those who administer users).
    async fn last_login_at(&self, ctx: &Context<'_>) -> AppResult<Option<DateTime<Utc>>> {
        crate::policy::authorize(crate::kit::resolve::caller(ctx)?, "user", Action::Update)?;
        Ok(self.0.last_login_at)
    }
    /// An invitation is waiting to be accepted (for those who administer users).
    async fn invitation_pending(&self, ctx: &Context<'_>) -> AppResult<bool> {
        crate::policy::authorize(crate::kit::resolve::caller(ctx)?, "user", Action::Update)?;
        if self.0.active {
            return Ok(false);
        }
        Ok(ctx
            .data::<Loaded<InvitationLoader>>()?
            .load_one(self.0.id)
            .await
            .map_err(|e| crate::error::AppError::internal(anyhow::anyhow!("invitations: {e}")))?
            .unwrap_or(false))
    }
}

/// One of the caller's own sessions.
#[derive(SimpleObject)]
pub struct UserSession {
    pub id: ID,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The session this request came with.
    pub current: bool,
}

/// The actions the caller's role grants on one object.
#[derive(SimpleObject, Clone)]
pub struct Permission {
    pub object: String,
    /// Among `read`, `create`, `update`, `archive`, `approve_deletion`, `export`.
    pub actions: Vec<String>,
}

/// Whether the caller may read and write one sensitive field.
#[derive(SimpleObject, Clone)]
pub struct FieldPermission {
    pub object: String,
    pub field: String,
    pub read: bool,
    pub write: bool,
}

/// The signed-in caller with the grants the SPA uses to hide what they may not see or do.
pub struct Me {
    actor: Actor,
    user: users::Model,
}

#[Object]
impl Me {
    /// The caller.
    async fn user(&self) -> User {
        User(self.user.clone())
    }
    /// The caller's role.
    async fn role(&self, ctx: &Context<'_>) -> AppResult<Role> {
        ctx.data::<Loaded<RoleLoader>>()?
            .load_one(self.actor.role_id)
            .await
            .map_err(|e| crate::error::AppError::internal(anyhow::anyhow!("roles: {e}")))?
            .map(Role)
            .ok_or_else(|| {
                crate::error::AppError::internal(anyhow::anyhow!("caller without a role"))
            })
    }
    /// Object grants.
    async fn permissions(&self) -> Vec<Permission> {
        self.actor
            .grants
            .objects()
            .into_iter()
            .map(|(object, actions)| Permission {
                object,
                actions: actions.iter().map(|a| a.as_str().to_string()).collect(),
            })
            .collect()
    }
    /// Grants on every sensitive field.
    async fn field_permissions(&self) -> Vec<FieldPermission> {
        sensitive_fields()
            .into_iter()
            .map(|f| FieldPermission {
                object: f.object.to_string(),
                field: f.name.to_string(),
                read: self.actor.grants.can_read(f),
                write: self.actor.grants.can_write(f),
            })
            .collect()
    }
}

/// Credentials.
#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

/// A new session.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Bearer token for `Authorization: Bearer …`; shown only now.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub me: Me,
    /// Something the user should know on signing in: their account was locked since their last
    /// sign-in because sign-ins failed from many addresses.
    pub notice: Option<String>,
}

async fn load_me(state: &AppState, actor: &Actor) -> AppResult<Me> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let user = aggregate::unscoped::<service::UserObject>("the caller's own row")
        .filter(users::Column::Id.eq(actor.user_id))
        .one(&state.db)
        .await?
        .ok_or(crate::error::AppError::Unauthenticated("sign-in required"))?;
    Ok(Me {
        actor: actor.clone(),
        user,
    })
}

/// Queries about users.
#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in caller.
    async fn me(&self, ctx: &Context<'_>) -> AppResult<Me> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        load_me(state, req.actor()?).await
    }

    /// Users you may see, by name: the active ones (owner pickers), or with `includeInactive`
    /// the deactivated and invited ones too (the administration of users).
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default)] include_inactive: bool,
    ) -> AppResult<Connection<String, User, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let (rows, more, total) = service::list(&state.db, req, &page, include_inactive).await?;
        let mut conn = Connection::with_additional_fields(
            page.after.is_some(),
            more,
            TotalCount::known(total),
        );
        conn.edges.extend(rows.into_iter().map(|u| {
            let cursor = Cursor {
                o: "DISPLAY_NAME_ASC".into(),
                k: SortValue::Text(u.display_name.clone()),
                id: u.id,
            };
            Edge::new(cursor.encode(), User(u))
        }));
        Ok(conn)
    }

    /// Your own live sessions, newest first.
    async fn my_sessions(&self, ctx: &Context<'_>) -> AppResult<Vec<UserSession>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let mine = req.token_hash.as_deref();
        Ok(admin::my_sessions(&state.db, req)
            .await?
            .into_iter()
            .map(|s| UserSession {
                id: to_global_id("Session", s.id),
                created_at: s.created_at,
                expires_at: s.expires_at,
                current: Some(s.token_hash.as_str()) == mine,
            })
            .collect())
    }
}

/// Sign-in and sign-out.
#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs in with e-mail and password and returns a bearer token. Repeated failures from one
    /// address make it wait a growing time (`RATE_LIMITED`, with `retryAfterSeconds`); failures
    /// from many addresses lock the account for a while.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> AppResult<LoginPayload> {
        let state = crate::kit::resolve::state(ctx)?;
        let from = sessions::SignInFrom {
            address: ctx
                .data_opt::<crate::kit::web::ClientAddress>()
                .map_or(crate::kit::web::ClientAddress::UNKNOWN, |a| a.0),
            throttle: &state.sign_in,
        };
        let out = sessions::login(
            &state.db,
            &state.access,
            state.config.session_ttl_hours,
            from,
            &input.email,
            &input.password,
        )
        .await?;
        let me = load_me(state, &out.actor).await?;
        let notice = out.locked_since_last_sign_in.map(|at| {
            format!(
                "On {} UTC, sign-ins to your account failed from many addresses and it was locked \
                 for {} minutes. If that was not you, change your password.",
                at.format("%-d %b %Y at %H:%M"),
                crate::auth::throttle::MAX_BACKOFF.as_secs() / 60
            )
        });
        Ok(LoginPayload {
            token: out.token,
            expires_at: out.expires_at,
            me,
            notice,
        })
    }

    /// Ends the current session; its token stops working at once.
    async fn logout(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let me = req.actor()?;
        let Some(hash) = &req.token_hash else {
            return Ok(false);
        };
        let ended = sessions::logout(&state.db, hash).await?;
        if ended {
            // Its open subscriptions (on every server) close when they hear this.
            state.events.publish(crate::events::ChangeEvent::new(
                0,
                sessions::SESSION_ENDED,
                me.user_id,
                "ended",
            ));
        }
        Ok(ended)
    }

    /// Chooses a password through a mailed link (an invitation or a password reset) and signs in.
    /// The link works once; a reset ends every other session of the user.
    async fn set_password_with_link(
        &self,
        ctx: &Context<'_>,
        input: SetPasswordWithLinkInput,
    ) -> AppResult<LoginPayload> {
        let state = crate::kit::resolve::state(ctx)?;
        let user = admin::redeem(state, &input.token, &input.password).await?;
        let token =
            sessions::open_session(&state.db, user.id, state.config.session_ttl_hours).await?;
        let expires_at = sessions::expires_at(&state.db, &sessions::hash_token(&token))
            .await?
            .unwrap_or_else(crate::db::now);
        let actor = sessions::load_actor(&state.db, user).await?;
        let me = load_me(state, &actor).await?;
        Ok(LoginPayload {
            token,
            expires_at,
            me,
            notice: None,
        })
    }

    /// Changes your own password (the current one is required); your other sessions end.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> AppResult<bool> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        admin::change_password(state, req, &input.current_password, &input.new_password).await?;
        Ok(true)
    }

    /// Ends one of your own sessions (signs out that device).
    async fn revoke_session(
        &self,
        ctx: &Context<'_>,
        input: RevokeSessionInput,
    ) -> AppResult<bool> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = crate::kit::ids::expect_global_id(&input.id, "Session", "id")?;
        admin::revoke_session(state, req, id).await?;
        Ok(true)
    }
}

/// A password chosen through a mailed link.
#[derive(InputObject)]
pub struct SetPasswordWithLinkInput {
    /// The `token` of the link.
    pub token: String,
    pub password: String,
}

/// A new password for oneself.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

/// Names one of the caller's sessions.
#[derive(InputObject)]
pub struct RevokeSessionInput {
    pub id: ID,
}

/// A new user with a password chosen by the administrator.
#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub display_name: String,
    /// A role's key (`sales_rep`, …; see `roles`).
    pub role_key: String,
    pub password: String,
}

/// A colleague to invite: they get a link by mail to choose their password.
#[derive(InputObject)]
pub struct InviteUserInput {
    pub email: String,
    pub display_name: String,
    pub role_key: String,
}

/// Changes to a user: a field left out is kept.
#[derive(InputObject)]
pub struct UpdateUserInput {
    pub id: ID,
    /// The version read (a stale one is `CONFLICT`).
    pub version: i32,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub role_key: Option<String>,
}

/// Names a user.
#[derive(InputObject)]
pub struct UserIdInput {
    pub id: ID,
}

/// The state, the caller and the user a [`UserIdInput`] names.
fn user_named<'a>(
    ctx: &'a Context<'_>,
    input: &UserIdInput,
) -> AppResult<(&'a AppState, &'a crate::auth::RequestCtx, uuid::Uuid)> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let id = crate::kit::ids::expect_global_id(&input.id, "User", "id")?;
    Ok((state, req, id))
}

/// The user a mutation changed.
#[derive(SimpleObject)]
pub struct UserPayload {
    pub user: User,
}

/// Which organisation a user works for.
#[derive(InputObject)]
pub struct SetUserOrganizationInput {
    pub user_id: ID,
    /// A partner organisation (an `Organization` id); null: none.
    pub organization_id: Option<ID>,
}

/// Administration of users.
#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Makes a user one of a partner (dealer) organisation's users, or of none: a partner user's
    /// own orders are then every purchase order of that organisation. Needs the `user` update grant.
    async fn set_user_organization(
        &self,
        ctx: &Context<'_>,
        input: SetUserOrganizationInput,
    ) -> AppResult<User> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let user = crate::kit::ids::expect_global_id(&input.user_id, "User", "userId")?;
        let org = input
            .organization_id
            .map(|o| crate::domain::parties::operations::party_id(&o, "organizationId"))
            .transpose()?;
        Ok(User(
            service::set_organization(state, req, user, org).await?,
        ))
    }

    /// Creates an active user with a password (the `user` create grant).
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> AppResult<UserPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let new = admin::NewUser {
            email: &input.email,
            display_name: &input.display_name,
            role_key: &input.role_key,
        };
        let user = admin::create(state, req, new, &input.password).await?;
        Ok(UserPayload { user: User(user) })
    }

    /// Invites a colleague by mail: the user exists at once, inactive until they choose a password
    /// through the link (valid 72 hours, once).
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: InviteUserInput,
    ) -> AppResult<UserPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let new = admin::NewUser {
            email: &input.email,
            display_name: &input.display_name,
            role_key: &input.role_key,
        };
        let user = admin::invite(state, req, new).await?;
        Ok(UserPayload { user: User(user) })
    }

    /// Changes a user's e-mail, name or role. The last active administrator keeps the role.
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserInput,
    ) -> AppResult<UserPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = crate::kit::ids::expect_global_id(&input.id, "User", "id")?;
        let patch = admin::UserPatch {
            email: input.email,
            display_name: input.display_name,
            role_key: input.role_key,
        };
        let user = admin::update(state, req, id, patch, input.version).await?;
        Ok(UserPayload { user: User(user) })
    }

    /// Deactivates a user: they cannot sign in, and their sessions end at once. Nobody
    /// deactivates themselves or the last active administrator.
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        input: UserIdInput,
    ) -> AppResult<UserPayload> {
        let (state, req, id) = user_named(ctx, &input)?;
        Ok(UserPayload {
            user: User(admin::set_active(state, req, id, false).await?),
        })
    }

    /// Lets a deactivated user sign in again.
    async fn reactivate_user(
        &self,
        ctx: &Context<'_>,
        input: UserIdInput,
    ) -> AppResult<UserPayload> {
        let (state, req, id) = user_named(ctx, &input)?;
        Ok(UserPayload {
            user: User(admin::set_active(state, req, id, true).await?),
        })
    }

    /// Mails a user a link to choose a new password (valid 24 hours, once).
    async fn send_password_reset(
        &self,
        ctx: &Context<'_>,
        input: UserIdInput,
    ) -> AppResult<UserPayload> {
        let (state, req, id) = user_named(ctx, &input)?;
        Ok(UserPayload {
            user: User(admin::send_reset(state, req, id).await?),
        })
    }
}
