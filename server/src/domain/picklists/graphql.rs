//! Pick-lists in the API: read by anyone signed in, kept by holders of the `picklist` grants, and
//! the chosen value of a record resolved through one per-request read of every list.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject, ID};
use entity::picklists::picklist_values as values;
use sea_orm::DatabaseConnection;

use super::service::{self, PicklistKey};
use crate::error::AppResult;
use crate::kit::cell::RequestCell;
use crate::kit::ids::GlobalType;

/// Every pick-list value, read once per request (see [`RequestCell`]).
pub type PicklistCell = RequestCell<Vec<values::Model>>;

impl RequestCell<Vec<values::Model>> {
    /// Every value of every list, one statement on first use.
    pub async fn get(&self, db: &DatabaseConnection) -> AppResult<Arc<Vec<values::Model>>> {
        self.get_or_load(|| service::all(db)).await
    }
}

/// The value of `list` a record holds, as the API shows it (archived values too).
pub async fn choice(
    ctx: &Context<'_>,
    list: PicklistKey,
    key: Option<&str>,
) -> AppResult<Option<PicklistValue>> {
    let Some(key) = key else {
        return Ok(None);
    };
    let (state, _) = crate::kit::resolve::request(ctx)?;
    let all = ctx.data::<PicklistCell>()?.get(&state.db).await?;
    Ok(all
        .iter()
        .find(|v| v.list == list.as_str() && v.key == key)
        .cloned()
        .map(PicklistValue))
}

/// The id of a pick-list value.
pub struct PicklistValueId;

impl GlobalType for PicklistValueId {
    const TYPE_NAME: &'static str = "PicklistValue";
}

/// One value of a pick-list.
pub struct PicklistValue(pub values::Model);

impl PicklistValue {
    /// A key a record holds that its list lacks (never written so, but read safely): shown as
    /// its key.
    pub fn unlisted(list: PicklistKey, key: &str) -> Self {
        let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        PicklistValue(values::Model {
            id: uuid::Uuid::nil(),
            list: list.as_str().to_string(),
            key: key.to_string(),
            label: key.to_string(),
            position: 0,
            archived_at: None,
            version: 0,
            created_at: epoch,
            updated_at: epoch,
        })
    }
}

#[Object]
impl PicklistValue {
    async fn id(&self) -> ID {
        PicklistValueId::global_id(self.0.id)
    }
    /// Stored on records; never changes.
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// 1 = first in forms.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// Archived values stay on the records holding them but are offered no more.
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A pick-list with its values in order.
#[derive(SimpleObject)]
pub struct Picklist {
    pub key: PicklistKey,
    pub values: Vec<PicklistValue>,
}

/// Pick-list queries.
#[derive(Default)]
pub struct PicklistQuery;

#[Object]
impl PicklistQuery {
    /// Every pick-list with its values in order; archived values only when asked.
    async fn picklists(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_archived: bool,
    ) -> AppResult<Vec<Picklist>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        req.actor()?;
        let all = ctx.data::<PicklistCell>()?.get(&state.db).await?;
        Ok(PicklistKey::ALL
            .into_iter()
            .map(|key| Picklist {
                key,
                values: all
                    .iter()
                    .filter(|v| v.list == key.as_str())
                    .filter(|v| include_archived || v.archived_at.is_none())
                    .cloned()
                    .map(PicklistValue)
                    .collect(),
            })
            .collect())
    }
}

/// Pick-list mutations (the `picklist` grants).
#[derive(Default)]
pub struct PicklistMutation;

#[Object]
impl PicklistMutation {
    /// Adds a value at the end of a list; its key comes from the label unless given.
    async fn add_picklist_value(
        &self,
        ctx: &Context<'_>,
        list: PicklistKey,
        label: String,
        key: Option<String>,
    ) -> AppResult<PicklistValue> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let saved = service::add(state, req, list, key.as_deref(), &label).await?;
        Ok(PicklistValue(saved))
    }

    /// Renames a value or moves it (`position` 1 = first); `CONFLICT` when `version` is stale.
    async fn update_picklist_value(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        label: Option<String>,
        position: Option<i32>,
    ) -> AppResult<PicklistValue> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = PicklistValueId::decode(&id, "id")?;
        let saved = service::update(state, req, id, version, label.as_deref(), position).await?;
        Ok(PicklistValue(saved))
    }

    /// Archives a value: records keep it, forms offer it no more.
    async fn archive_picklist_value(&self, ctx: &Context<'_>, id: ID) -> AppResult<PicklistValue> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = PicklistValueId::decode(&id, "id")?;
        Ok(PicklistValue(
            service::set_archived(state, req, id, true).await?,
        ))
    }

    /// Offers an archived value again.
    async fn restore_picklist_value(&self, ctx: &Context<'_>, id: ID) -> AppResult<PicklistValue> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = PicklistValueId::decode(&id, "id")?;
        Ok(PicklistValue(
            service::set_archived(state, req, id, false).await?,
        ))
    }
}
