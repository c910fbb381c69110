//! The per-request user loader: batches `owner` and similar relations into one `IN` query,
//! under the caller's row scope on users.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::access::users;
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter};
use uuid::Uuid;

use super::service::UserObject;
use crate::auth::RequestCtx;
use crate::error::AppError;
use crate::kit::aggregate;
use crate::policy::Action;

/// Loads users by id for one request.
pub struct UserLoader {
    pub db: DatabaseConnection,
    pub ctx: RequestCtx,
}

impl Loader<Uuid> for UserLoader {
    type Value = users::Model;
    type Error = std::sync::Arc<String>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, users::Model>, Self::Error> {
        // Without a user read grant relations resolve to null rather than failing the record.
        let visible = match aggregate::visible::<UserObject>(&self.ctx, Action::Read) {
            Ok(s) => s,
            Err(AppError::Forbidden(_)) | Err(AppError::Unauthenticated(_)) => {
                return Ok(HashMap::new())
            }
            Err(e) => return Err(std::sync::Arc::new(e.message())),
        };
        let rows = visible
            .filter(users::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(|e| std::sync::Arc::new(e.to_string()))?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// Loads roles by id for one request (a page of users names a handful).
pub struct RoleLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for RoleLoader {
    type Value = entity::access::roles::Model;
    type Error = std::sync::Arc<String>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        use entity::access::roles;
        use sea_orm::EntityTrait;
        let rows = roles::Entity::find()
            .filter(roles::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(|e| std::sync::Arc::new(e.to_string()))?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// Which users have an invitation waiting, for one request (present keys only: `true`).
pub struct InvitationLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for InvitationLoader {
    type Value = bool;
    type Error = std::sync::Arc<String>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, bool>, Self::Error> {
        let ids = super::admin::pending_invitations(&self.db, keys.iter().copied())
            .await
            .map_err(|e| std::sync::Arc::new(e.message()))?;
        Ok(ids.into_iter().map(|u| (u, true)).collect())
    }
}
