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
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::cache::{Access, AccessCache};
use super::grants::{Action, Grants, Scope};
use super::{password, Actor};
use crate::changelog;
use crate::db;
use crate::error::{AppError, AppResult};

/// Failed attempts allowed before the account is locked.
const FREE_ATTEMPTS: i32 = 5;
/// The longest lock, in seconds.
const MAX_LOCK_SECS: i64 = 15 * 60;

/// A successful sign-in.
#[derive(Debug)]
pub struct LoginOutcome {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub actor: Actor,
}

/// SHA-256 of a token, hex-encoded: what the sessions table stores.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "crm_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The lock, in seconds, after `failures` consecutive failed attempts (0 while attempts are free).
pub fn lock_seconds(failures: i32) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let exp = (failures - FREE_ATTEMPTS).min(10) as u32;
    (30_i64 << exp).min(MAX_LOCK_SECS)
}

/// A hash to verify against when the e-mail is unknown, so timing does not reveal which e-mails exist.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| password::hash("not a real password").unwrap_or_default())
}

const BAD_CREDENTIALS: &str = "invalid e-mail or password";

/// Checks the credentials and opens a session.
pub async fn login(
    db: &DatabaseConnection,
    cache: &AccessCache,
    ttl_hours: i64,
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
    let Some(user) = users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    else {
        let _ = password::verify_blocking(dummy_hash().to_string(), pass.to_string()).await;
        return Err(AppError::Unauthenticated(BAD_CREDENTIALS));
    };
    if let Some(until) = user.locked_until {
        if until > now {
            return Err(AppError::RateLimited {
                retry_after_secs: (until - now).num_seconds().max(1),
            });
        }
    }
    let ok = password::verify_blocking(user.password_hash.clone(), pass.to_string()).await;
    if !ok || !user.active {
        let failures = user.failed_logins.saturating_add(1);
        let lock = lock_seconds(failures);
        let user_id = user.id;
        let mut am: users::ActiveModel = user.into();
        am.failed_logins = Set(failures);
        am.locked_until = Set((lock > 0).then(|| now + Duration::seconds(lock)));
        let txn = db::begin_write(db).await?;
        am.update(&txn).await?;
        // The audit trail keeps refused sign-ins of known accounts too.
        changelog::record(
            &txn,
            None,
            "user",
            user_id,
            "login_failed",
            serde_json::json!({"failedLogins": {"before": failures - 1, "after": failures},
                               "locked": {"before": null, "after": lock > 0}}),
        )
        .await?;
        txn.commit().await?;
        tracing::info!(failures, locked_secs = lock, "sign-in refused");
        return Err(AppError::Unauthenticated(BAD_CREDENTIALS));
    }

    let expires_at = now + Duration::hours(ttl_hours);
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
        &access,
    );
    tracing::info!(user.id = %actor.user_id, "signed in");
    Ok(LoginOutcome {
        token,
        expires_at,
        actor,
    })
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
    access: &Access,
) -> Actor {
    Actor {
        user_id,
        email,
        display_name,
        role_id,
        role_key: access.role_key.clone(),
        role_name: access.role_name.clone(),
        grants: access.grants.clone(),
        team_user_ids: access.team_user_ids.clone(),
    }
}

/// Loads the grants and team reach of a user.
pub async fn load_actor(db: &impl ConnectionTrait, user: users::Model) -> AppResult<Actor> {
    let access = load_access(db, user.id, user.role_id).await?;
    Ok(actor(
        user.id,
        user.email,
        user.display_name,
        user.role_id,
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
    let my_teams = Query::select()
        .column(team_members::Column::TeamId)
        .from(team_members::Entity)
        .and_where(team_members::Column::UserId.eq(user_id))
        .to_owned();
    let managed = Query::select()
        .column(teams::Column::Id)
        .from(teams::Entity)
        .and_where(teams::Column::ManagerId.eq(user_id))
        .to_owned();
    let mut team_user_ids: Vec<Uuid> = team_members::Entity::find()
        .select_only()
        .column(team_members::Column::UserId)
        .distinct()
        .filter(
            Condition::any()
                .add(team_members::Column::TeamId.in_subquery(my_teams))
                .add(team_members::Column::TeamId.in_subquery(managed)),
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
    fn lock_grows_after_free_attempts_and_is_capped() {
        assert_eq!(lock_seconds(0), 0);
        assert_eq!(lock_seconds(4), 0);
        assert_eq!(lock_seconds(5), 30);
        assert_eq!(lock_seconds(6), 60);
        assert_eq!(lock_seconds(7), 120);
        assert_eq!(lock_seconds(40), MAX_LOCK_SECS);
    }

    #[test]
    fn token_hash_is_stable_hex() {
        let h = hash_token("abc");
        assert_eq!(h.len(), 64);
        assert_eq!(h, hash_token("abc"));
        assert_ne!(h, hash_token("abd"));
    }
}
