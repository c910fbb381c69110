//! Sign-in, sign-out and token resolution.
//!
//! A token is 32 random bytes shown once to the client; the database keeps only its SHA-256, with an
//! expiry, so sessions survive restarts and work across replicas. Repeated failed sign-ins lock the
//! account for a growing time (30 s after the fifth failure, doubling, at most 15 minutes).

use std::sync::{Arc, OnceLock};

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use entity::access::{role_field_grants, role_grants, roles, sessions, team_members, teams, users};
use rand::RngCore;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::cache::{Access, AccessCache};
use super::grants::{Action, Grants, Scope};
use super::throttle::{AfterFailure, SignInThrottle, MAX_BACKOFF};
use super::{password, Actor};
use crate::changelog;
use crate::db;
use crate::error::{AppError, AppResult};

/// A successful sign-in.
#[derive(Debug)]
pub struct LoginOutcome {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub actor: Actor,
    /// When the account was locked against credential stuffing since the last sign-in: the user
    /// is told.
    pub locked_since_last_sign_in: Option<DateTime<Utc>>,
}

/// SHA-256 of a token, hex-encoded: what the sessions table stores.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "crm_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// A hash to verify against when the e-mail is unknown, so timing does not reveal which e-mails exist.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| password::hash("not a real password").unwrap_or_default())
}

const BAD_CREDENTIALS: &str = "invalid e-mail or password";

/// Where a sign-in comes from and the process's counts of failed ones (see [`super::throttle`]).
pub struct SignInFrom<'a> {
    pub address: std::net::IpAddr,
    pub throttle: &'a SignInThrottle,
}

/// Checks the credentials and opens a session. Known and unknown e-mails take the same path: the
/// same throttle, one password verification, one audit entry, the same answers.
pub async fn login(
    db: &DatabaseConnection,
    cache: &AccessCache,
    ttl_hours: i64,
    from: SignInFrom<'_>,
    email: &str,
    pass: &str,
) -> AppResult<LoginOutcome> {
    let email = email.trim().to_lowercase();
    let mut missing = Vec::new();
    if email.is_empty() {
        missing.push(crate::error::FieldError::new("email", "is required"));
    }
    if pass.is_empty() {
        missing.push(crate::error::FieldError::new("password", "is required"));
    }
    if !missing.is_empty() {
        return Err(AppError::BadInput(missing));
    }
    let now = db::now();
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    if let Err(wait) = from.throttle.check(from.address, &email) {
        refused(db, user.as_ref(), &email, "login_throttled", json!({})).await?;
        return Err(AppError::RateLimited {
            retry_after_secs: wait as i64,
        });
    }
    // One verification whatever the case, against a stand-in hash when there is no account.
    let stored = user
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    let ok = password::verify_blocking(stored, pass.to_string()).await;
    let locked = user
        .as_ref()
        .and_then(|u| u.locked_until)
        .filter(|until| *until > now);
    let user = match user {
        Some(user) if ok && user.active && locked.is_none() => user,
        user => {
            if let Some(until) = locked {
                // Locked against credential stuffing (by this server or another): the same answer
                // whether the password was right or not.
                refused(db, user.as_ref(), &email, "login_throttled", json!({})).await?;
                return Err(AppError::RateLimited {
                    retry_after_secs: (until - now).num_seconds().max(1),
                });
            }
            let lock = from.throttle.failed(from.address, &email) == AfterFailure::LockAccount;
            let failures = user
                .as_ref()
                .map_or(1, |u| u.failed_logins.saturating_add(1));
            let lock_until =
                lock.then(|| now + Duration::from_std(MAX_BACKOFF).unwrap_or_default());
            let txn = db::begin_write(db).await?;
            if let Some(user) = &user {
                let mut am: users::ActiveModel = user.clone().into();
                am.failed_logins = Set(failures);
                if lock_until.is_some() {
                    am.locked_until = Set(lock_until);
                }
                am.update(&txn).await?;
            }
            let changes = json!({"failedLogins": {"before": failures - 1, "after": failures},
                                 "locked": {"before": null, "after": lock}});
            refused(&txn, user.as_ref(), &email, "login_failed", changes).await?;
            txn.commit().await?;
            if lock {
                // The owner sees it in the audit log; administrators see it there too.
                tracing::warn!(
                    "sign-ins for one account failed from many addresses: locked for {} minutes",
                    MAX_BACKOFF.as_secs() / 60
                );
            }
            tracing::info!(locked = lock, "sign-in refused");
            return Err(AppError::Unauthenticated(BAD_CREDENTIALS));
        }
    };
    from.throttle.succeeded(from.address, &email);

    let expires_at = now + Duration::hours(ttl_hours);
    let locked_since_last_sign_in = user
        .locked_until
        .map(|until| until - Duration::from_std(MAX_BACKOFF).unwrap_or_default());
    let txn = db::begin_write(db).await?;
    let user_id = user.id;
    let mut am: users::ActiveModel = user.into();
    am.failed_logins = Set(0);
    am.locked_until = Set(None);
    am.last_login_at = Set(Some(now));
    let user = am.update(&txn).await?;
    let token = open_session(&txn, user_id, ttl_hours).await?;
    changelog::record(
        &txn,
        Some(user_id),
        "user",
        user_id,
        "login",
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    // The session's first request finds the user's access cached at the epoch read before loading.
    let epoch = access_epoch(db).await?;
    let access = Arc::new(load_access(db, user.id, user.role_id).await?);
    cache.put(user.id, user.role_id, epoch, access.clone());
    let actor = actor(
        user.id,
        user.email,
        user.display_name,
        user.role_id,
        user.organization_id,
        &access,
    );
    tracing::info!(user.id = %actor.user_id, "signed in");
    Ok(LoginOutcome {
        token,
        expires_at,
        actor,
        locked_since_last_sign_in,
    })
}

/// Writes a refused sign-in to the audit log: under the user when the e-mail has an account,
/// else under no user with the e-mail given, so both cases cost the same.
async fn refused(
    db: &impl ConnectionTrait,
    user: Option<&users::Model>,
    email: &str,
    action: &str,
    changes: serde_json::Value,
) -> AppResult<()> {
    let (id, changes) = match user {
        Some(user) => (user.id, changes),
        None => (
            Uuid::nil(),
            json!({"email": {"before": null, "after": email}}),
        ),
    };
    changelog::record(db, None, "user", id, action, changes).await?;
    Ok(())
}

/// Opens a session for a user and returns its token (shown once; only its hash is stored).
pub async fn open_session(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    ttl_hours: i64,
) -> AppResult<String> {
    let token = new_token();
    let now = db::now();
    sessions::ActiveModel {
        id: Set(Uuid::new_v4()),
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(ttl_hours)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The object type of the events that say a session ended (a logout, and later a user's
/// deactivation): open subscriptions of the session are closed when they hear it.
pub const SESSION_ENDED: &str = "session";

/// When the session of `token_hash` expires (`None`: there is no such session).
pub async fn expires_at(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> AppResult<Option<DateTime<Utc>>> {
    Ok(sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .map(|s| s.expires_at))
}

/// Ends the session of the given token hash. Returns whether a session was ended.
pub async fn logout(db: &impl ConnectionTrait, token_hash: &str) -> AppResult<bool> {
    let res = sessions::Entity::delete_many()
        .filter(sessions::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// The session, its user and the access epoch, read in one statement.
#[derive(Debug, FromQueryResult)]
struct SessionRow {
    user_id: Uuid,
    email: String,
    display_name: String,
    role_id: Uuid,
    organization_id: Option<Uuid>,
    active: bool,
    epoch: i64,
}

/// The caller behind a bearer token, if the token names a live session of an active user.
///
/// One statement reads the session, the user and the access epoch; the user's grants and team reach
/// come from `cache` when they were loaded at the current epoch for the user's current role, and are
/// loaded (and cached) otherwise.
pub async fn resolve(
    db: &DatabaseConnection,
    cache: &AccessCache,
    token: &str,
) -> AppResult<Option<Actor>> {
    // In this scope only: its `min`/`max` would shadow `Ord`'s elsewhere in the file.
    use sea_orm::sea_query::ExprTrait;
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    let epoch_table = Alias::new("access_epoch");
    let query = Query::select()
        .expr_as(
            Expr::col((users::Entity, users::Column::Id)),
            Alias::new("user_id"),
        )
        .columns([
            (users::Entity, users::Column::Email),
            (users::Entity, users::Column::DisplayName),
            (users::Entity, users::Column::RoleId),
            (users::Entity, users::Column::OrganizationId),
            (users::Entity, users::Column::Active),
        ])
        .column((epoch_table.clone(), Alias::new("epoch")))
        .from(sessions::Entity)
        .inner_join(
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((sessions::Entity, sessions::Column::UserId)),
        )
        .inner_join(
            epoch_table.clone(),
            Expr::col((epoch_table, Alias::new("id"))).eq(1),
        )
        .and_where(Expr::col((sessions::Entity, sessions::Column::TokenHash)).eq(hash_token(token)))
        .and_where(Expr::col((sessions::Entity, sessions::Column::ExpiresAt)).gt(db::now()))
        .to_owned();
    let Some(row) = SessionRow::find_by_statement(db.get_database_backend().build(&query))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !row.active {
        return Ok(None);
    }
    let access = match cache.get(row.user_id, row.role_id, row.epoch) {
        Some(access) => access,
        None => {
            let access = Arc::new(load_access(db, row.user_id, row.role_id).await?);
            cache.put(row.user_id, row.role_id, row.epoch, access.clone());
            access
        }
    };
    Ok(Some(actor(
        row.user_id,
        row.email,
        row.display_name,
        row.role_id,
        row.organization_id,
        &access,
    )))
}

/// The current access epoch.
async fn access_epoch(db: &DatabaseConnection) -> AppResult<i64> {
    #[derive(FromQueryResult)]
    struct Row {
        epoch: i64,
    }
    let query = Query::select()
        .column(Alias::new("epoch"))
        .from(Alias::new("access_epoch"))
        .to_owned();
    Ok(
        Row::find_by_statement(db.get_database_backend().build(&query))
            .one(db)
            .await?
            .map_or(0, |r| r.epoch),
    )
}

fn actor(
    user_id: Uuid,
    email: String,
    display_name: String,
    role_id: Uuid,
    organization_id: Option<Uuid>,
    access: &Access,
) -> Actor {
    Actor {
        user_id,
        email,
        display_name,
        role_id,
        organization_id,
        role_key: access.role_key.clone(),
        role_name: access.role_name.clone(),
        grants: access.grants.clone(),
        team_user_ids: access.team_user_ids.clone(),
    }
}

/// The request context of the user with `email`, for work done on a user's behalf without a
/// request (seeding, benchmarks).
pub async fn context_of(db: &impl ConnectionTrait, email: &str) -> AppResult<super::RequestCtx> {
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no user {email}")))?;
    let actor = load_actor(db, user).await?;
    Ok(super::RequestCtx {
        actor: Some(Arc::new(actor)),
        token_state: super::TokenState::Valid,
        token_hash: None,
    })
}

/// Loads the grants and team reach of a user.
pub async fn load_actor(db: &impl ConnectionTrait, user: users::Model) -> AppResult<Actor> {
    let role = user.role_id;
    load_actor_as(db, user, role).await
}

/// The actor `user` would be with the role `role_id` (a role's preview): that role's grants and
/// the user's own team reach.
pub async fn load_actor_as(
    db: &impl ConnectionTrait,
    user: users::Model,
    role_id: Uuid,
) -> AppResult<Actor> {
    let access = load_access(db, user.id, role_id).await?;
    Ok(actor(
        user.id,
        user.email,
        user.display_name,
        role_id,
        user.organization_id,
        &access,
    ))
}

/// Loads a role's grants and field grants and the users a user's team scope reaches.
async fn load_access(db: &impl ConnectionTrait, user_id: Uuid, role_id: Uuid) -> AppResult<Access> {
    let role = roles::Entity::find_by_id(role_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("user has an unknown role")))?;
    let mut grants = Grants::default();
    for g in role_grants::Entity::find()
        .filter(role_grants::Column::RoleId.eq(role.id))
        .all(db)
        .await?
    {
        if let (Some(action), Some(scope)) = (Action::parse(&g.action), Scope::parse(&g.scope)) {
            grants.grant(&g.object, action, scope);
        }
    }
    for f in role_field_grants::Entity::find()
        .filter(role_field_grants::Column::RoleId.eq(role.id))
        .all(db)
        .await?
    {
        grants.grant_field(&f.object, &f.field, f.can_read, f.can_write);
    }
    // Archived teams count for nobody's reach.
    let all_teams = teams::Entity::find()
        .filter(teams::Column::ArchivedAt.is_null())
        .all(db)
        .await?;
    let live: Vec<Uuid> = all_teams.iter().map(|t| t.id).collect();
    let my_teams = Query::select()
        .column(team_members::Column::TeamId)
        .from(team_members::Entity)
        .and_where(team_members::Column::UserId.eq(user_id))
        .and_where(team_members::Column::TeamId.is_in(live))
        .to_owned();
    // The teams the user manages, and every team below them.
    let mut managed: Vec<Uuid> = all_teams
        .iter()
        .filter(|t| t.manager_id == Some(user_id))
        .map(|t| t.id)
        .collect();
    let mut i = 0;
    while i < managed.len() {
        let here = managed[i];
        for t in &all_teams {
            if t.parent_id == Some(here) && !managed.contains(&t.id) {
                managed.push(t.id);
            }
        }
        i += 1;
    }
    let mut team_user_ids: Vec<Uuid> = team_members::Entity::find()
        .select_only()
        .column(team_members::Column::UserId)
        .distinct()
        .filter(
            Condition::any()
                .add(team_members::Column::TeamId.in_subquery(my_teams))
                .add(team_members::Column::TeamId.is_in(managed)),
        )
        .into_tuple()
        .all(db)
        .await?;
    if !team_user_ids.contains(&user_id) {
        team_user_ids.push(user_id);
    }
    Ok(Access {
        role_key: role.key,
        role_name: role.name,
        grants: Arc::new(grants),
        team_user_ids: Arc::new(team_user_ids),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hash_is_stable_hex() {
        let h = hash_token("abc");
        assert_eq!(h.len(), 64);
        assert_eq!(h, hash_token("abc"));
        assert_ne!(h, hash_token("abd"));
    }
}
