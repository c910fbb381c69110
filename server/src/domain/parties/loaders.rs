//! Per-request loaders of the customer master: one batched query per relation and page.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::parties::{contact_mechanisms as cm, parties, party_external_ids, party_tax_ids};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{identifiers, mechanisms, service};
use crate::auth::RequestCtx;
use crate::error::AppError;

type LoadError = Arc<String>;

fn err(e: AppError) -> LoadError {
    Arc::new(e.message())
}

/// Roles by party id, as stored (`ACCOUNT`, `VENDOR`).
pub struct PartyRolesLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for PartyRolesLoader {
    type Value = Vec<String>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, LoadError> {
        service::roles_of(&self.db, keys).await.map_err(err)
    }
}

/// Contact mechanisms by party id (callers check the field grant first).
pub struct MechanismsLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for MechanismsLoader {
    type Value = Vec<cm::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<cm::Model>>, LoadError> {
        mechanisms::of_parties(&self.db, keys).await.map_err(err)
    }
}

/// Tax ids by party id (callers check the field grant first).
pub struct TaxIdsLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for TaxIdsLoader {
    type Value = Vec<party_tax_ids::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<party_tax_ids::Model>>, LoadError> {
        identifiers::tax_ids_of(&self.db, keys).await.map_err(err)
    }
}

/// External ids by party id.
pub struct ExternalIdsLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for ExternalIdsLoader {
    type Value = Vec<party_external_ids::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<party_external_ids::Model>>, LoadError> {
        identifiers::external_ids_of(&self.db, keys)
            .await
            .map_err(err)
    }
}

/// Parties by id, under the caller's row scope (invisible ones are absent).
pub struct PartyLoader {
    pub db: DatabaseConnection,
    pub ctx: RequestCtx,
}

impl Loader<Uuid> for PartyLoader {
    type Value = parties::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, parties::Model>, LoadError> {
        let visible = match service::visible(&self.ctx, keys) {
            Ok(c) => c,
            Err(AppError::Forbidden(_)) | Err(AppError::Unauthenticated(_)) => {
                return Ok(HashMap::new())
            }
            Err(e) => return Err(err(e)),
        };
        let rows = visible
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(e.to_string()))?;
        Ok(rows.into_iter().map(|p| (p.id, p)).collect())
    }
}
