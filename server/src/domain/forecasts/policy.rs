//! Who may ask for, submit, adjust and set quotas of whose forecast.
//!
//! `forecast` and `quota` grants have the usual scopes, applied to the subject: `own` reaches the
//! caller alone; `team` the caller, the members of the teams the caller belongs to or manages, and
//! those teams and every team below them; `all` everyone. Forecast figures are then computed from
//! the opportunities the caller may read, so no figure counts a row its caller cannot list.

use uuid::Uuid;

use super::hierarchy::Tree;
use crate::auth::RequestCtx;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Action, Scope};

/// The `forecast` object of grants (figures, submissions, adjustments).
pub const FORECAST: &str = "forecast";
/// The `quota` object of grants.
pub const QUOTA: &str = "quota";

/// Whose forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    User(Uuid),
    Team(Uuid),
}

impl Subject {
    /// `USER` or `TEAM`, as stored.
    pub fn kind(self) -> &'static str {
        match self {
            Subject::User(_) => "USER",
            Subject::Team(_) => "TEAM",
        }
    }

    pub fn id(self) -> Uuid {
        match self {
            Subject::User(u) | Subject::Team(u) => u,
        }
    }

    /// The users whose opportunities the subject's figures cover.
    pub fn users(self, tree: &Tree) -> Vec<Uuid> {
        match self {
            Subject::User(u) => vec![u],
            Subject::Team(t) => tree.users_under(t),
        }
    }
}

/// Whether a scope reaches a subject for the caller.
fn reaches(ctx: &RequestCtx, scope: Scope, subject: Subject, tree: &Tree) -> AppResult<bool> {
    let actor = ctx.actor()?;
    Ok(match (scope, subject) {
        (Scope::All, _) => true,
        (Scope::Own, Subject::User(u)) => u == actor.user_id,
        (Scope::Own, Subject::Team(_)) => false,
        (Scope::Team, Subject::User(u)) => {
            u == actor.user_id
                || tree
                    .reach_of(actor.user_id)
                    .iter()
                    .any(|t| tree.users_under(*t).contains(&u))
        }
        (Scope::Team, Subject::Team(t)) => tree.reach_of(actor.user_id).contains(&t),
    })
}

/// Checks that the caller may `action` on `object` (`forecast` or `quota`) for `subject`.
pub fn check(
    ctx: &RequestCtx,
    object: &str,
    action: Action,
    subject: Subject,
    tree: &Tree,
) -> AppResult<()> {
    let (_, scope) = policy::authorize(ctx, object, action)?;
    if let Subject::Team(t) = subject {
        if tree.team(t).is_none() {
            return Err(AppError::NotFound("no such team".into()));
        }
    }
    if reaches(ctx, scope, subject, tree)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "your role may not {} this {object}",
            action.as_str()
        )))
    }
}
