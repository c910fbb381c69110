//! Per-request loaders of the pipeline: the stage catalog once per request, contacts batched.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::opportunities::opportunity_contacts;
use sea_orm::DatabaseConnection;
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::pipelines::Catalog;
use super::service;
use crate::error::AppResult;

/// The pipelines and stages, loaded at most once per request.
#[derive(Default)]
pub struct CatalogCell(OnceCell<Catalog>);

impl CatalogCell {
    /// The catalog, loading it on first use (two statements).
    pub async fn get(&self, db: &DatabaseConnection) -> AppResult<&Catalog> {
        self.0.get_or_try_init(|| Catalog::load(db)).await
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
