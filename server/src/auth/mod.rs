//! Who is calling: sessions (opaque bearer tokens stored hashed), password hashing, and the
//! per-request context every service receives.

pub mod cache;
pub mod grants;
pub mod password;
pub mod sessions;
pub mod throttle;

use std::sync::Arc;

use uuid::Uuid;

use crate::error::{AppError, AppResult};
use grants::Grants;

/// The signed-in user of a request, with the grants of their role and the users their team scope
/// reaches (themselves, fellow members of their teams, and members of the teams they manage). The
/// grants and the team reach are shared with the access cache ([`cache::AccessCache`]).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role_id: Uuid,
    /// The partner (dealer) organisation the user works for: their orders are its orders.
    pub organization_id: Option<Uuid>,
    pub role_key: String,
    pub role_name: String,
    pub grants: Arc<Grants>,
    pub team_user_ids: Arc<Vec<Uuid>>,
}

/// What the request presented as credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// No `Authorization` header.
    Absent,
    /// A token that matched a live session.
    Valid,
    /// A token that is unknown, revoked or expired.
    Invalid,
}

/// The explicit context of one request, passed to every service call.
#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub actor: Option<std::sync::Arc<Actor>>,
    pub token_state: TokenState,
    /// SHA-256 of the presented token, so `logout` can end exactly this session.
    pub token_hash: Option<String>,
}

impl RequestCtx {
    /// A context with no caller.
    pub fn anonymous() -> Self {
        Self {
            actor: None,
            token_state: TokenState::Absent,
            token_hash: None,
        }
    }

    /// The signed-in caller, or `UNAUTHENTICATED`.
    pub fn actor(&self) -> AppResult<&Actor> {
        match (&self.actor, self.token_state) {
            (Some(a), _) => Ok(a),
            (None, TokenState::Invalid) => Err(AppError::Unauthenticated(
                "the session token is invalid or has expired; sign in again",
            )),
            (None, _) => Err(AppError::Unauthenticated("sign-in required")),
        }
    }
}
