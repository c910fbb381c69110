//! GraphQL of users: `User`, `me`, `users`, `login`, `logout`.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::access::users;

use super::service;
use crate::auth::{sessions, Actor};
use crate::domain::sensitive_fields;
use crate::error::AppResult;
use crate::kit::aggregate;
use crate::kit::ids::to_global_id;
use crate::kit::paging::TotalCount;
use crate::kit::paging::{Cursor, Page, SortValue};
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
}

/// A role as the API shows it.
#[derive(SimpleObject, Clone)]
pub struct Role {
    /// Stable key, e.g. `sales_rep`.
    pub key: String,
    /// Display name.
    pub name: String,
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
    async fn role(&self) -> Role {
        Role {
            key: self.actor.role_key.clone(),
            name: self.actor.role_name.clone(),
        }
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

    /// Active users you may see, by name (for owner pickers).
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, User, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let (rows, more, total) = service::list(&state.db, req, &page).await?;
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
}
