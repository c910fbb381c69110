//! Custom fields in the API: definitions (read by whoever may read the field, administered by
//! holders of the `custom_field` grants), values on records, and their per-request loading.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, InputObject, Json, Object, SimpleObject, ID};
use entity::custom_fields::{custom_field_values as values, custom_fields};
use sea_orm::DatabaseConnection;
use serde_json::Value;
use uuid::Uuid;

use super::rules::{self, CustomFieldType, CustomObject};
use super::service::{self, AccessRow, FieldChange, NewField};
use crate::error::{AppError, AppResult};
use crate::kit::cell::RequestCell;
use crate::kit::ids::{parse_global_id, GlobalType};
use crate::kit::paging::Loaded;
use crate::policy;
use crate::policy::Action;

/// The live definitions of every object, read once per request (see [`RequestCell`]).
pub type DefinitionsCell = RequestCell<Vec<custom_fields::Model>>;

impl RequestCell<Vec<custom_fields::Model>> {
    /// The live (unarchived) definitions, one statement on first use.
    pub async fn get(&self, db: &DatabaseConnection) -> AppResult<Arc<Vec<custom_fields::Model>>> {
        self.get_or_load(|| service::definitions(db, None, false))
            .await
    }
}

/// Custom field values by record id, one statement per batch.
pub struct CustomValueLoader {
    pub db: DatabaseConnection,
}

impl Loader<Uuid> for CustomValueLoader {
    type Value = Arc<Vec<values::Model>>;
    type Error = Arc<String>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let mut found = service::values_of(&self.db, keys)
            .await
            .map_err(|e| Arc::new(e.message()))?;
        Ok(keys
            .iter()
            .map(|k| (*k, Arc::new(found.remove(k).unwrap_or_default())))
            .collect())
    }
}

/// The id of a definition.
pub struct CustomFieldId;

impl GlobalType for CustomFieldId {
    const TYPE_NAME: &'static str = "CustomField";
}

/// A role's access to a custom field.
#[derive(SimpleObject)]
pub struct CustomFieldAccess {
    pub role_key: String,
    pub role_name: String,
    pub builtin: bool,
    pub read: bool,
    pub write: bool,
}

/// An administrator's field of an object.
pub struct CustomFieldDefinition(pub custom_fields::Model);

#[Object]
impl CustomFieldDefinition {
    async fn id(&self) -> ID {
        CustomFieldId::global_id(self.0.id)
    }
    async fn object(&self) -> CustomObject {
        CustomObject::parse(&self.0.object).unwrap_or(CustomObject::Party)
    }
    /// Unique per object; filters and values name the field by it.
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    #[graphql(name = "type")]
    async fn field_type(&self) -> CustomFieldType {
        service::field_type(&self.0)
    }
    async fn required(&self) -> bool {
        self.0.required
    }
    async fn unique(&self) -> bool {
        self.0.is_unique
    }
    /// Shown as a list column and on board cards.
    async fn show_in_list(&self) -> bool {
        self.0.show_in_list
    }
    /// The value new records take when none is given.
    async fn default_value(&self) -> Option<Json<Value>> {
        self.0
            .default_value
            .as_deref()
            .map(|d| Json(rules::to_json(service::field_type(&self.0), d)))
    }
    /// The choices of a pick-list.
    async fn options(&self) -> Vec<String> {
        service::options_of(&self.0)
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Whether you may read its values.
    async fn can_read(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let (_, req) = crate::kit::resolve::request(ctx)?;
        Ok(service::can_read(req, &self.0))
    }
    /// Whether you may change its values.
    async fn can_write(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let (_, req) = crate::kit::resolve::request(ctx)?;
        Ok(service::can_write(req, &self.0))
    }
    /// Every role's access (administrators only).
    async fn access(&self, ctx: &Context<'_>) -> AppResult<Vec<CustomFieldAccess>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        policy::authorize(req, service::OBJECT, Action::Update)?;
        Ok(service::access_of(&state.db, &self.0)
            .await?
            .into_iter()
            .map(|(r, read, write)| CustomFieldAccess {
                role_key: r.key,
                role_name: r.name,
                builtin: r.builtin,
                read,
                write,
            })
            .collect())
    }
}

/// The value of a custom field on a record.
#[derive(SimpleObject)]
pub struct CustomFieldValue {
    pub key: String,
    pub label: String,
    #[graphql(name = "type")]
    pub field_type: CustomFieldType,
    /// The value: numbers as numbers, decimals as exact strings, money as `{amount, currency}`,
    /// booleans, lists of choices, the rest as strings; `null` when the record has none.
    pub value: Option<Json<Value>>,
    /// The value as one line of text for people; empty when there is none.
    pub display: String,
    pub show_in_list: bool,
    /// Whether you may change it.
    pub can_write: bool,
    /// The choices of a pick-list or multi-pick.
    pub options: Vec<String>,
}

/// The values of `object`'s live fields the caller may read, on one record, in the fields'
/// order (a field without a value is listed with `null`). One batch per page of records.
pub async fn values_on(
    ctx: &Context<'_>,
    object: CustomObject,
    record: Uuid,
) -> AppResult<Vec<CustomFieldValue>> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let defs = ctx.data::<DefinitionsCell>()?.get(&state.db).await?;
    let mine: Vec<&custom_fields::Model> = defs
        .iter()
        .filter(|d| d.object == object.as_str() && service::can_read(req, d))
        .collect();
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let loader = ctx.data::<Loaded<CustomValueLoader>>()?;
    let held = loader
        .load_one(record)
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("custom values: {e}")))?
        .unwrap_or_default();
    Ok(mine
        .into_iter()
        .map(|d| value_view(req, d, &held))
        .collect())
}

/// The value of field `d` among a record's `held` values, as `req` sees it.
fn value_view(
    req: &crate::auth::RequestCtx,
    d: &custom_fields::Model,
    held: &[values::Model],
) -> CustomFieldValue {
    let ty = service::field_type(d);
    let v = held.iter().find(|v| v.field_id == d.id);
    CustomFieldValue {
        key: d.key.clone(),
        label: d.label.clone(),
        field_type: ty,
        value: v.map(|v| Json(rules::to_json(ty, &v.text_value))),
        display: v
            .map(|v| rules::display(ty, &v.text_value))
            .unwrap_or_default(),
        show_in_list: d.show_in_list,
        can_write: service::can_write(req, d),
        options: service::options_of(d),
    }
}

/// A role's access, as given.
#[derive(InputObject)]
pub struct CustomFieldAccessInput {
    pub role_key: String,
    pub read: bool,
    #[graphql(default)]
    pub write: bool,
}

fn access_rows(a: Option<Vec<CustomFieldAccessInput>>) -> Option<Vec<AccessRow>> {
    a.map(|rows| {
        rows.into_iter()
            .map(|r| AccessRow {
                role_key: r.role_key,
                read: r.read,
                write: r.write,
            })
            .collect()
    })
}

/// A field to define.
#[derive(InputObject)]
pub struct CreateCustomFieldInput {
    pub object: CustomObject,
    /// camelCase; made from the label when not given.
    pub key: Option<String>,
    pub label: String,
    #[graphql(name = "type")]
    pub field_type: CustomFieldType,
    #[graphql(default)]
    pub required: bool,
    #[graphql(default)]
    pub unique: bool,
    #[graphql(default)]
    pub show_in_list: bool,
    pub default_value: Option<Json<Value>>,
    /// The choices of a pick-list or multi-pick.
    #[graphql(default)]
    pub options: Vec<String>,
    /// Who reads and writes it; when not given, every role that reads the object reads it and
    /// those that update the object write it. Administrators always read and write.
    pub access: Option<Vec<CustomFieldAccessInput>>,
}

/// What to change on a field; what is not given stays.
#[derive(InputObject)]
pub struct UpdateCustomFieldInput {
    pub label: Option<String>,
    pub required: Option<bool>,
    pub unique: Option<bool>,
    pub show_in_list: Option<bool>,
    /// `null` removes the default.
    pub default_value: Option<Json<Value>>,
    #[graphql(default)]
    pub clear_default: bool,
    pub options: Option<Vec<String>>,
    pub position: Option<i32>,
    /// Replaces every role's access.
    pub access: Option<Vec<CustomFieldAccessInput>>,
}

/// One value to set; `null` clears it.
#[derive(InputObject)]
pub struct CustomFieldValueInput {
    pub key: String,
    pub value: Option<Json<Value>>,
}

/// Turns value inputs into what the service checks.
pub fn value_input(values: Vec<CustomFieldValueInput>) -> service::ValueInput {
    values
        .into_iter()
        .map(|v| (v.key, v.value.map(|j| j.0).unwrap_or(Value::Null)))
        .collect()
}

/// Custom field queries.
#[derive(Default)]
pub struct CustomFieldQuery;

#[Object]
impl CustomFieldQuery {
    /// The fields of an object (of every object when none is named) whose values you may read;
    /// administrators see every field, archived ones when asked.
    async fn custom_fields(
        &self,
        ctx: &Context<'_>,
        object: Option<CustomObject>,
        #[graphql(default)] include_archived: bool,
    ) -> AppResult<Vec<CustomFieldDefinition>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let admin = policy::authorize(req, service::OBJECT, Action::Read).is_ok();
        req.actor()?;
        let defs = service::definitions(&state.db, object, include_archived && admin).await?;
        Ok(defs
            .into_iter()
            .filter(|d| admin || service::can_read(req, d))
            .map(CustomFieldDefinition)
            .collect())
    }
}

/// Custom field mutations.
#[derive(Default)]
pub struct CustomFieldMutation;

#[Object]
impl CustomFieldMutation {
    /// Defines a custom field.
    async fn create_custom_field(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomFieldInput,
    ) -> AppResult<CustomFieldDefinition> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let saved = service::create(
            state,
            req,
            NewField {
                object: input.object,
                key: input.key,
                label: input.label,
                field_type: input.field_type,
                required: input.required,
                unique: input.unique,
                show_in_list: input.show_in_list,
                default_value: input.default_value.map(|j| j.0),
                options: input.options,
                access: access_rows(input.access),
            },
        )
        .await?;
        Ok(CustomFieldDefinition(saved))
    }

    /// Changes a custom field; `CONFLICT` when `version` is stale. Its key, object and type
    /// never change.
    async fn update_custom_field(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: UpdateCustomFieldInput,
    ) -> AppResult<CustomFieldDefinition> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = CustomFieldId::decode(&id, "id")?;
        let default_value = if input.clear_default {
            Some(Value::Null)
        } else {
            input.default_value.map(|j| j.0)
        };
        let saved = service::update(
            state,
            req,
            id,
            version,
            FieldChange {
                label: input.label,
                required: input.required,
                unique: input.unique,
                show_in_list: input.show_in_list,
                default_value,
                options: input.options,
                position: input.position,
                access: access_rows(input.access),
            },
        )
        .await?;
        Ok(CustomFieldDefinition(saved))
    }

    /// Archives a custom field: it leaves records, lists and filters; its values are kept.
    async fn archive_custom_field(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> AppResult<CustomFieldDefinition> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = CustomFieldId::decode(&id, "id")?;
        Ok(CustomFieldDefinition(
            service::set_archived(state, req, id, true).await?,
        ))
    }

    /// Brings an archived custom field back with the values it had.
    async fn restore_custom_field(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> AppResult<CustomFieldDefinition> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = CustomFieldId::decode(&id, "id")?;
        Ok(CustomFieldDefinition(
            service::set_archived(state, req, id, false).await?,
        ))
    }

    /// Sets custom field values of a record you may update (an opportunity, account, person,
    /// organisation, lead or activity), all or none. Returns the record's values.
    async fn set_custom_field_values(
        &self,
        ctx: &Context<'_>,
        record_id: ID,
        values: Vec<CustomFieldValueInput>,
    ) -> AppResult<Vec<CustomFieldValue>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let (object, id) = parse_global_id(&record_id)
            .and_then(|(ty, id)| CustomObject::of_type_name(&ty).map(|o| (o, id)))
            .ok_or_else(|| {
                AppError::bad_input("recordId", "is not the id of a record with custom fields")
            })?;
        service::set_values(state, req, object, id, value_input(values)).await?;
        let defs = service::definitions(&state.db, Some(object), false).await?;
        let held = service::values_of(&state.db, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        Ok(defs
            .iter()
            .filter(|d| service::can_read(req, d))
            .map(|d| value_view(req, d, &held))
            .collect())
    }
}
