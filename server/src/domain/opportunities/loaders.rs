//! Per-request loaders of the pipeline: the stage catalog once per request, contacts batched.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::opportunities::opportunity_contacts;
use entity::parties::parties;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::pipelines::Catalog;
use super::service;
use crate::auth::RequestCtx;
use crate::domain::parties::service as parties_svc;
use crate::error::{AppError, AppResult};
use crate::kit::cell::RequestCell;

/// The pipelines and stages, read once per request (see [`RequestCell`]).
pub type CatalogCell = RequestCell<Catalog>;

impl RequestCell<Catalog> {
    /// The catalog, loading it on first use or when stale (two statements).
    pub async fn get(&self, db: &DatabaseConnection) -> AppResult<Arc<Catalog>> {
        self.get_or_load(|| Catalog::load(db)).await
    }
}

/// Accounts of opportunities by party id, under the caller's party row scope. Every key gets an
/// answer (`None` when not visible), so absent accounts are cached too and a page of cards costs
/// one statement whatever its accounts.
pub struct AccountLoader {
    pub db: DatabaseConnection,
    pub ctx: RequestCtx,
}

impl Loader<Uuid> for AccountLoader {
    type Value = Option<parties::Model>;
    type Error = Arc<String>;

    async fn load(
        &self,
        keys: &[Uuid],
    ) -> Result<HashMap<Uuid, Option<parties::Model>>, Self::Error> {
        let mut out: HashMap<Uuid, Option<parties::Model>> =
            keys.iter().map(|k| (*k, None)).collect();
        let cond = match parties_svc::visible(&self.ctx, keys) {
            Ok(c) => c,
            Err(AppError::Forbidden(_)) | Err(AppError::Unauthenticated(_)) => return Ok(out),
            Err(e) => return Err(Arc::new(e.message())),
        };
        let rows = cond
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(e.to_string()))?;
        for r in rows {
            out.insert(r.id, Some(r));
        }
        Ok(out)
    }
}

/// Contacts by opportunity id (the opportunity was read under row scope already).
pub struct OpportunityContactsLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for OpportunityContactsLoader {
    type Value = Vec<opportunity_contacts::Model>;
    type Error = Arc<String>;

    async fn load(
        &self,
        keys: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<opportunity_contacts::Model>>, Self::Error> {
        let rows = service::contacts_of(&self.db, keys)
            .await
            .map_err(|e| Arc::new(e.message()))?;
        let mut out: HashMap<Uuid, Vec<opportunity_contacts::Model>> = HashMap::new();
        for r in rows {
            out.entry(r.opportunity_id).or_default().push(r);
        }
        Ok(out)
    }
}
