//! Per-request loaders of leads, lists and forms: one batched query per relation and page.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::leads::contact_lists;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service::{self, LeadRow};
use super::{forms, lists};
use crate::auth::RequestCtx;
use crate::error::{AppError, AppResult};

type LoadError = Arc<String>;

/// Runs a scoped load; a caller without the read grant simply finds nothing.
fn lenient<T: Default>(r: AppResult<T>) -> Result<T, LoadError> {
    match r {
        Ok(v) => Ok(v),
        Err(AppError::Forbidden(_)) | Err(AppError::Unauthenticated(_)) => Ok(T::default()),
        Err(e) => Err(Arc::new(e.message())),
    }
}

/// Leads by party id, under the caller's lead row scope (invisible ones are absent).
pub struct LeadLoader {
    pub db: DatabaseConnection,
    pub ctx: RequestCtx,
}

impl Loader<Uuid> for LeadLoader {
    type Value = LeadRow;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, LeadRow>, LoadError> {
        let rows = lenient(service::get_many(&self.db, &self.ctx, keys).await)?;
        Ok(rows.into_iter().map(|r| (r.party.id, r)).collect())
    }
}

/// The visible contact lists holding each party.
pub struct ListsOfLoader {
    pub db: DatabaseConnection,
    pub ctx: RequestCtx,
}

impl Loader<Uuid> for ListsOfLoader {
    type Value = Vec<contact_lists::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<contact_lists::Model>>, LoadError> {
        lenient(lists::lists_of(&self.db, &self.ctx, keys).await)
    }
}

/// How many members of each list the caller may read.
pub struct MemberCountLoader {
    pub db: DatabaseConnection,
    pub ctx: RequestCtx,
}

impl Loader<Uuid> for MemberCountLoader {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, i64>, LoadError> {
        lenient(lists::member_counts(&self.db, &self.ctx, keys).await)
    }
}

/// Web form names by id (a lead shows the form it came from).
pub struct FormNameLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for FormNameLoader {
    type Value = String;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, String>, LoadError> {
        forms::names(&self.db, keys)
            .await
            .map_err(|e| Arc::new(e.message()))
    }
}

/// Submissions per web form.
pub struct SubmissionCountLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for SubmissionCountLoader {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, i64>, LoadError> {
        forms::submission_counts(&self.db, keys)
            .await
            .map_err(|e| Arc::new(e.message()))
    }
}

/// Contact lists by id, under the caller's list row scope (invisible ones are absent).
pub struct ContactListLoader {
    pub db: DatabaseConnection,
    pub ctx: RequestCtx,
}

impl Loader<Uuid> for ContactListLoader {
    type Value = contact_lists::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, contact_lists::Model>, LoadError> {
        use sea_orm::{ColumnTrait, QueryFilter};
        let rows = lenient(
            match lists::scoped(&self.ctx, crate::policy::Action::Read) {
                Ok(q) => q
                    .filter(contact_lists::Column::Id.is_in(keys.iter().copied()))
                    .all(&self.db)
                    .await
                    .map_err(AppError::from),
                Err(e) => Err(e),
            },
        )?;
        Ok(rows.into_iter().map(|l| (l.id, l)).collect())
    }
}

/// Assignment rules by id (readers of forms see the rule a form applies).
pub struct RuleLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for RuleLoader {
    type Value = entity::leads::assignment_rules::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[Uuid],
    ) -> Result<HashMap<Uuid, entity::leads::assignment_rules::Model>, LoadError> {
        use entity::leads::assignment_rules as rules;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let rows = rules::Entity::find()
            .filter(rules::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(e.to_string()))?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}
