//! Administration of users in the product: create, invite (a single-use link by mail), edit,
//! deactivate and reactivate, password resets by mail; and every user's own password and sessions.
//!
//! Rules: only callers with the `user` grants administer (create, update, archive = deactivate);
//! nobody deactivates themselves; the last active administrator can be neither deactivated nor
//! given another role; a deactivated user's sessions and pending links die in the same transaction.
//! A link's token is shown only in the mail: the database keeps its SHA-256, an expiry and when it
//! was used.

use chrono::Duration;
use entity::access::{roles, sessions, user_tokens, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::service::{self, UserObject};
use crate::auth::sessions::{hash_token, new_token, SESSION_ENDED};
use crate::auth::{password, RequestCtx};
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::events::ChangeEvent;
use crate::kit::aggregate;
use crate::kit::write::Write;
use crate::mail::{self, Mail};
use crate::policy::{self, Action};
use crate::state::AppState;

crate::versioned!(users, "user", kept [PasswordHash, FailedLogins, LockedUntil, LastLoginAt, OrganizationId, CreatedAt], |m| vec![
    ("email", json!(m.email)),
    ("displayName", json!(m.display_name)),
    ("roleId", json!(m.role_id)),
    ("active", json!(m.active)),
]);

/// How long an invitation link works.
pub const INVITE_HOURS: i64 = 72;
/// How long a password-reset link works.
pub const RESET_HOURS: i64 = 24;

/// What a single-use link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Invite => "invite",
            Purpose::Reset => "reset",
        }
    }
}

/// A new user's details.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role_key: &'a str,
}

/// Changes to a user; `None` keeps a value.
#[derive(Default)]
pub struct UserPatch {
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub role_key: Option<String>,
}

async fn role_by_key(db: &impl ConnectionTrait, key: &str) -> AppResult<Option<roles::Model>> {
    Ok(roles::Entity::find()
        .filter(roles::Column::Key.eq(key.trim()))
        .one(db)
        .await?)
}

/// Checks a new user's details; the role is looked up (an unknown key names `roleKey`).
async fn check_new(
    db: &impl ConnectionTrait,
    new: &NewUser<'_>,
    password: Option<&str>,
) -> AppResult<(String, String, roles::Model)> {
    let mut val = Validator::default();
    let email = val.check(v::lowered_email("email", new.email)).flatten();
    if email.is_none() && new.email.trim().is_empty() {
        val.push("email", "is required");
    }
    let name = val.check(v::required_text("displayName", new.display_name, 200));
    let role = role_by_key(db, new.role_key).await?;
    if role.is_none() {
        val.push("roleKey", "is not a role");
    }
    if let Some(p) = password {
        val.check(service::password_rule("password", p));
    }
    val.finish()?;
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(AppError::bad_input("email", "is required"));
    };
    if email_taken(db, &email, None).await? {
        return Err(AppError::bad_input("email", "is already in use"));
    }
    Ok((email, name, role))
}

async fn email_taken(
    db: &impl ConnectionTrait,
    email: &str,
    except: Option<Uuid>,
) -> AppResult<bool> {
    let mut q = aggregate::unscoped::<UserObject>("e-mail addresses are unique across all users")
        .filter(users::Column::Email.eq(email));
    if let Some(id) = except {
        q = q.filter(users::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

fn new_model(
    email: String,
    display_name: String,
    role: &roles::Model,
    hash: String,
    active: bool,
) -> users::Model {
    let now = db::now();
    users::Model {
        id: Uuid::new_v4(),
        email,
        display_name,
        password_hash: hash,
        role_id: role.id,
        active,
        failed_logins: 0,
        locked_until: None,
        last_login_at: None,
        organization_id: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// Creates an active user with a password an administrator chose.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    new: NewUser<'_>,
    password: &str,
) -> AppResult<users::Model> {
    policy::authorize(ctx, "user", Action::Create)?;
    let (email, name, role) = check_new(&state.db, &new, Some(password)).await?;
    let hash = password::hash_blocking(password.to_owned())
        .await
        .map_err(AppError::internal)?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let user = w.insert(new_model(email, name, &role, hash, true)).await?;
    w.commit().await?;
    Ok(user)
}

/// Invites a colleague: the user exists at once, inactive and without a password, and a link to
/// set one is mailed to them (valid [`INVITE_HOURS`], once).
pub async fn invite(
    state: &AppState,
    ctx: &RequestCtx,
    new: NewUser<'_>,
) -> AppResult<users::Model> {
    let actor = policy::authorize(ctx, "user", Action::Create)?.0;
    let (email, name, role) = check_new(&state.db, &new, None).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    // An empty hash never verifies: nobody signs in before the link is used.
    let user = w
        .insert(new_model(email, name, &role, String::new(), false))
        .await?;
    let token = issue(w.txn(), user.id, Purpose::Invite, Some(actor.user_id)).await?;
    let link = welcome_link(state, &token);
    mail::enqueue(
        w.txn(),
        &Mail {
            to: user.email.clone(),
            subject: format!("{} invites you to the CRM", actor.display_name),
            text: format!(
                "Hello {},\n\n{} has invited you to the CRM as {}.\n\nChoose your password here:\n{link}\n\nThe link works once and expires in {INVITE_HOURS} hours.\n",
                user.display_name, actor.display_name, role.name
            ),
        },
    )
    .await?;
    w.log("user", user.id, "invite", json!({})).await?;
    w.commit().await?;
    Ok(user)
}

/// A new single-use link for a user; earlier unused links of the same purpose stop working.
async fn issue(
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: Purpose,
    by: Option<Uuid>,
) -> AppResult<String> {
    let now = db::now();
    retire_links(txn, user_id, Some(purpose)).await?;
    let token = new_token();
    let hours = match purpose {
        Purpose::Invite => INVITE_HOURS,
        Purpose::Reset => RESET_HOURS,
    };
    user_tokens::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(hash_token(&token)),
        expires_at: Set(now + Duration::hours(hours)),
        used_at: Set(None),
        created_by: Set(by),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(token)
}

/// Marks a user's unused links (of one purpose, or all) used.
async fn retire_links(
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: Option<Purpose>,
) -> AppResult<()> {
    let mut q = user_tokens::Entity::update_many()
        .col_expr(user_tokens::Column::UsedAt, Expr::value(Some(db::now())))
        .filter(user_tokens::Column::UserId.eq(user_id))
        .filter(user_tokens::Column::UsedAt.is_null());
    if let Some(p) = purpose {
        q = q.filter(user_tokens::Column::Purpose.eq(p.as_str()));
    }
    q.exec(txn).await?;
    Ok(())
}

/// The user the caller may `action`, or `NOT_FOUND`.
async fn target(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
) -> AppResult<users::Model> {
    aggregate::visible::<UserObject>(ctx, action)?
        .filter(users::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such user".into()))
}

/// Refuses a change that would leave no active administrator besides `user`.
async fn keep_an_admin(
    db: &impl ConnectionTrait,
    user: &users::Model,
    field: &str,
) -> AppResult<()> {
    let Some(admin) = role_by_key(db, "admin").await? else {
        return Ok(());
    };
    if user.role_id != admin.id || !user.active {
        return Ok(());
    }
    let others =
        aggregate::unscoped::<UserObject>("the last administrator is counted over all users")
            .filter(users::Column::RoleId.eq(admin.id))
            .filter(users::Column::Active.eq(true))
            .filter(users::Column::Id.ne(user.id))
            .count(db)
            .await?;
    if others == 0 {
        return Err(AppError::bad_input(
            field,
            "is the last active administrator: make someone else an administrator first",
        ));
    }
    Ok(())
}

/// Changes a user's e-mail, name or role (optimistic: `version` must be the stored one).
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    patch: UserPatch,
    version: i32,
) -> AppResult<users::Model> {
    let current = target(&state.db, ctx, id, Action::Update).await?;
    let mut next = current.clone();
    let mut val = Validator::default();
    if let Some(e) = &patch.email {
        match val.check(v::lowered_email("email", e)) {
            Some(Some(e)) => next.email = e,
            Some(None) => val.push("email", "is required"),
            None => {}
        }
    }
    if let Some(n) = &patch.display_name {
        if let Some(n) = val.check(v::required_text("displayName", n, 200)) {
            next.display_name = n;
        }
    }
    if let Some(k) = &patch.role_key {
        match role_by_key(&state.db, k).await? {
            Some(r) => next.role_id = r.id,
            None => val.push("roleKey", "is not a role"),
        }
    }
    val.finish()?;
    if next.email != current.email && email_taken(&state.db, &next.email, Some(id)).await? {
        return Err(AppError::bad_input("email", "is already in use"));
    }
    if next.role_id != current.role_id {
        keep_an_admin(&state.db, &current, "roleKey").await?;
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let saved = w.save(&current, next, version, "update").await?;
    w.commit().await?;
    Ok(saved)
}

/// Deactivates (`active = false`) or reactivates a user. A deactivated user's sessions and
/// unused links end in the same transaction; their records keep them as owner.
pub async fn set_active(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    active: bool,
) -> AppResult<users::Model> {
    let actor = policy::authorize(ctx, "user", Action::Archive)?.0;
    let current = target(&state.db, ctx, id, Action::Archive).await?;
    if current.active == active {
        return Ok(current);
    }
    if !active {
        if id == actor.user_id {
            return Err(AppError::bad_input(
                "id",
                "is you: another administrator must deactivate your account",
            ));
        }
        keep_an_admin(&state.db, &current, "id").await?;
    }
    let next = users::Model {
        active,
        failed_logins: 0,
        locked_until: None,
        ..current.clone()
    };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let version = current.version;
    let saved = w
        .save(
            &current,
            next,
            version,
            if active { "reactivate" } else { "deactivate" },
        )
        .await?;
    if !active {
        sessions::Entity::delete_many()
            .filter(sessions::Column::UserId.eq(id))
            .exec(w.txn())
            .await?;
        retire_links(w.txn(), id, None).await?;
        // Open subscriptions of the user (on every server) close when they hear this.
        w.adopt(ChangeEvent::new(0, SESSION_ENDED, id, "ended"));
    }
    w.commit().await?;
    Ok(saved)
}

/// Mails an active user a link to choose a new password (valid [`RESET_HOURS`], once).
pub async fn send_reset(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<users::Model> {
    let actor = policy::authorize(ctx, "user", Action::Update)?.0;
    let user = target(&state.db, ctx, id, Action::Update).await?;
    if !user.active {
        return Err(AppError::bad_input(
            "id",
            "is deactivated or has not accepted the invitation yet",
        ));
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let token = issue(w.txn(), user.id, Purpose::Reset, Some(actor.user_id)).await?;
    let link = welcome_link(state, &token);
    mail::enqueue(
        w.txn(),
        &Mail {
            to: user.email.clone(),
            subject: "Choose a new password for the CRM".to_owned(),
            text: format!(
                "Hello {},\n\n{} asked for your CRM password to be reset.\n\nChoose a new one here:\n{link}\n\nThe link works once and expires in {RESET_HOURS} hours. Until then your current password still works.\n",
                user.display_name, actor.display_name
            ),
        },
    )
    .await?;
    w.log("user", user.id, "password_reset_sent", json!({}))
        .await?;
    w.commit().await?;
    Ok(user)
}

/// The page of a mailed link: `/welcome` sets the password of an invitation or a reset.
fn welcome_link(state: &AppState, token: &str) -> String {
    format!("{}/welcome?token={token}", state.config.public_url)
}

const BAD_LINK: &str = "is not a valid link, or it was used or has expired: ask for a new one";

/// Sets a password through a mailed link: an invitation activates the user, a reset ends every
/// session they had. The link is used up whatever the outcome of later steps.
pub async fn redeem(state: &AppState, token: &str, password: &str) -> AppResult<users::Model> {
    let mut val = Validator::default();
    if token.trim().is_empty() {
        val.push("token", "is required");
    }
    val.check(service::password_rule("password", password));
    val.finish()?;
    let now = db::now();
    let link = user_tokens::Entity::find()
        .filter(user_tokens::Column::TokenHash.eq(hash_token(token.trim())))
        .one(&state.db)
        .await?
        .filter(|l| l.used_at.is_none() && l.expires_at > now)
        .ok_or_else(|| AppError::bad_input("token", BAD_LINK))?;
    let user = aggregate::unscoped::<UserObject>("a link names its user")
        .filter(users::Column::Id.eq(link.user_id))
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::bad_input("token", BAD_LINK))?;
    let invite = link.purpose == Purpose::Invite.as_str();
    if !invite && !user.active {
        return Err(AppError::bad_input("token", BAD_LINK));
    }
    let hash = password::hash_blocking(password.to_owned())
        .await
        .map_err(AppError::internal)?;
    let mut w = Write::begin(state, None).await?;
    // Used once: only one of two racing requests marks it.
    let used = user_tokens::Entity::update_many()
        .col_expr(user_tokens::Column::UsedAt, Expr::value(Some(now)))
        .filter(user_tokens::Column::Id.eq(link.id))
        .filter(user_tokens::Column::UsedAt.is_null())
        .exec(w.txn())
        .await?;
    if used.rows_affected != 1 {
        return Err(AppError::bad_input("token", BAD_LINK));
    }
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(hash))
        .col_expr(users::Column::Active, Expr::value(true))
        .col_expr(users::Column::FailedLogins, Expr::value(0))
        .col_expr(
            users::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .col_expr(users::Column::Version, Expr::value(user.version + 1))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(user.id))
        .exec(w.txn())
        .await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(user.id))
        .exec(w.txn())
        .await?;
    let action = if invite {
        "invitation_accepted"
    } else {
        "password_reset"
    };
    crate::changelog::record(
        w.txn(),
        Some(user.id),
        "user",
        user.id,
        action,
        json!({"active": {"before": user.active, "after": true}}),
    )
    .await?;
    w.adopt(ChangeEvent::new(0, SESSION_ENDED, user.id, "ended"));
    w.commit().await?;
    Ok(users::Model {
        active: true,
        failed_logins: 0,
        locked_until: None,
        version: user.version + 1,
        updated_at: now,
        ..user
    })
}

/// The caller changes their own password, proving the current one; their other sessions end.
pub async fn change_password(
    state: &AppState,
    ctx: &RequestCtx,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let actor = ctx.actor()?;
    let mut val = Validator::default();
    if current.is_empty() {
        val.push("currentPassword", "is required");
    }
    val.check(service::password_rule("newPassword", new));
    val.finish()?;
    let user = aggregate::unscoped::<UserObject>("the caller's own row")
        .filter(users::Column::Id.eq(actor.user_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated("sign-in required"))?;
    if !password::verify_blocking(user.password_hash.clone(), current.to_owned()).await {
        return Err(AppError::bad_input(
            "currentPassword",
            "is not your current password",
        ));
    }
    let hash = password::hash_blocking(new.to_owned())
        .await
        .map_err(AppError::internal)?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(hash))
        .col_expr(users::Column::Version, Expr::value(user.version + 1))
        .col_expr(users::Column::UpdatedAt, Expr::value(db::now()))
        .filter(users::Column::Id.eq(user.id))
        .exec(w.txn())
        .await?;
    let mut others = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user.id));
    if let Some(mine) = &ctx.token_hash {
        others = others.filter(sessions::Column::TokenHash.ne(mine.as_str()));
    }
    others.exec(w.txn()).await?;
    retire_links(w.txn(), user.id, Some(Purpose::Reset)).await?;
    w.log("user", user.id, "password_changed", json!({}))
        .await?;
    w.adopt(ChangeEvent::new(0, SESSION_ENDED, user.id, "ended"));
    w.commit().await
}

/// The caller's live sessions, newest first.
pub async fn my_sessions(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
) -> AppResult<Vec<sessions::Model>> {
    let actor = ctx.actor()?;
    Ok(sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(actor.user_id))
        .filter(sessions::Column::ExpiresAt.gt(db::now()))
        .order_by_desc(sessions::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Ends one of the caller's own sessions (`NOT_FOUND` for anyone else's).
pub async fn revoke_session(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    let actor = ctx.actor()?;
    let res = sessions::Entity::delete_many()
        .filter(sessions::Column::Id.eq(id))
        .filter(sessions::Column::UserId.eq(actor.user_id))
        .exec(&state.db)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound("no such session of yours".into()));
    }
    state
        .events
        .publish(ChangeEvent::new(0, SESSION_ENDED, actor.user_id, "ended"));
    Ok(())
}

/// Which of `ids` have an invitation that is neither used nor expired.
pub async fn pending_invitations(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<Vec<Uuid>> {
    Ok(user_tokens::Entity::find()
        .filter(user_tokens::Column::UserId.is_in(ids))
        .filter(user_tokens::Column::Purpose.eq(Purpose::Invite.as_str()))
        .filter(user_tokens::Column::UsedAt.is_null())
        .filter(user_tokens::Column::ExpiresAt.gt(db::now()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.user_id)
        .collect())
}
