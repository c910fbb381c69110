//! Custom field definitions (administered), their access as field grants, and record values.

use std::collections::{BTreeMap, HashMap};

use entity::access::{role_field_grants, role_grants, roles};
use entity::custom_fields::{custom_field_values as values, custom_fields};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::rules::{self, CustomFieldType, CustomObject, Stored};
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult, FieldError};
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::write::Write;
use crate::policy;
use crate::policy::Action;
use crate::state::AppState;

/// The `custom_field` object of grants (administering definitions).
pub const OBJECT: &str = "custom_field";

crate::versioned!(custom_fields, OBJECT, kept [Object, Key, FieldType, CreatedAt], |m| vec![
    ("label", json!(m.label)),
    ("required", json!(m.required)),
    ("unique", json!(m.is_unique)),
    ("showInList", json!(m.show_in_list)),
    ("defaultValue", json!(m.default_value)),
    ("options", json!(m.options)),
    ("position", json!(m.position)),
    ("archived", json!(m.archived_at.is_some())),
]);

/// A definition's type, read back.
pub fn field_type(m: &custom_fields::Model) -> CustomFieldType {
    CustomFieldType::parse(&m.field_type).unwrap_or(CustomFieldType::Text)
}

/// A definition's options, read back.
pub fn options_of(m: &custom_fields::Model) -> Vec<String> {
    m.options
        .as_deref()
        .and_then(|o| serde_json::from_str(o).ok())
        .unwrap_or_default()
}

/// Who may read and write a field: one row per role.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessRow {
    pub role_key: String,
    pub read: bool,
    pub write: bool,
}

/// A field to define.
pub struct NewField {
    pub object: CustomObject,
    pub key: Option<String>,
    pub label: String,
    pub field_type: CustomFieldType,
    pub required: bool,
    pub unique: bool,
    pub show_in_list: bool,
    pub default_value: Option<Value>,
    pub options: Vec<String>,
    /// `None`: every role that reads the object reads the field, and those that update it write.
    pub access: Option<Vec<AccessRow>>,
}

/// What to change on a field; `None` keeps it. Key, object and type never change.
#[derive(Default)]
pub struct FieldChange {
    pub label: Option<String>,
    pub required: Option<bool>,
    pub unique: Option<bool>,
    pub show_in_list: Option<bool>,
    /// `Some(Value::Null)` removes the default.
    pub default_value: Option<Value>,
    pub options: Option<Vec<String>>,
    pub position: Option<i32>,
    pub access: Option<Vec<AccessRow>>,
}

/// Every definition, of one object or all, by object and position; archived ones when asked.
pub async fn definitions(
    db: &impl ConnectionTrait,
    object: Option<CustomObject>,
    include_archived: bool,
) -> AppResult<Vec<custom_fields::Model>> {
    let mut q = custom_fields::Entity::find();
    if let Some(o) = object {
        q = q.filter(custom_fields::Column::Object.eq(o.as_str()));
    }
    if !include_archived {
        q = q.filter(custom_fields::Column::ArchivedAt.is_null());
    }
    Ok(q.order_by_asc(custom_fields::Column::Object)
        .order_by_asc(custom_fields::Column::Position)
        .order_by_asc(custom_fields::Column::Label)
        .all(db)
        .await?)
}

/// Whether the caller may read a field.
pub fn can_read(ctx: &RequestCtx, m: &custom_fields::Model) -> bool {
    ctx.actor().is_ok_and(|a| {
        a.grants
            .can_read_field(&m.object, &rules::grant_name(&m.key))
    })
}

/// Whether the caller may write a field.
pub fn can_write(ctx: &RequestCtx, m: &custom_fields::Model) -> bool {
    ctx.actor().is_ok_and(|a| {
        a.grants
            .can_write_field(&m.object, &rules::grant_name(&m.key))
    })
}

/// The roles' access to a field, every role listed (no grant: neither read nor write).
pub async fn access_of(
    db: &impl ConnectionTrait,
    m: &custom_fields::Model,
) -> AppResult<Vec<(roles::Model, bool, bool)>> {
    let grants: HashMap<Uuid, (bool, bool)> = role_field_grants::Entity::find()
        .filter(role_field_grants::Column::Object.eq(m.object.clone()))
        .filter(role_field_grants::Column::Field.eq(rules::grant_name(&m.key)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.role_id, (g.can_read, g.can_write)))
        .collect();
    let mut all = roles::Entity::find().all(db).await?;
    all.sort_by_key(|r| (!r.builtin, r.name.clone()));
    Ok(all
        .into_iter()
        .map(|r| {
            let (read, write) = grants.get(&r.id).copied().unwrap_or_default();
            (r, read, write)
        })
        .collect())
}

/// The field grants a field's access comes to: `(role, read, write)`, the administrator always
/// reading and writing. Errors name `access.{i}.…`.
async fn resolve_access(
    db: &impl ConnectionTrait,
    val: &mut Validator,
    object: CustomObject,
    access: Option<&[AccessRow]>,
) -> AppResult<Vec<(Uuid, bool, bool)>> {
    let all = roles::Entity::find().all(db).await?;
    let mut out: BTreeMap<Uuid, (bool, bool)> = BTreeMap::new();
    match access {
        None => {
            for g in role_grants::Entity::find()
                .filter(role_grants::Column::Object.eq(object.as_str()))
                .filter(role_grants::Column::Action.is_in(["read", "update"]))
                .all(db)
                .await?
            {
                let e = out.entry(g.role_id).or_default();
                e.0 = true;
                e.1 |= g.action == "update";
            }
        }
        Some(rows) => {
            for (i, row) in rows.iter().enumerate() {
                let Some(role) = all.iter().find(|r| r.key == row.role_key) else {
                    val.push(&format!("access.{i}.roleKey"), "is not a role");
                    continue;
                };
                if row.write && !row.read {
                    val.push(
                        &format!("access.{i}.write"),
                        "needs read: a field written must be readable",
                    );
                    continue;
                }
                if out.contains_key(&role.id) {
                    val.push(&format!("access.{i}.roleKey"), "repeats a role");
                    continue;
                }
                if row.read {
                    out.insert(role.id, (row.read, row.write));
                }
            }
        }
    }
    if let Some(admin) = all.iter().find(|r| r.builtin && r.key == "admin") {
        out.insert(admin.id, (true, true));
    }
    Ok(out.into_iter().map(|(r, (rd, w))| (r, rd, w)).collect())
}

async fn put_access(
    txn: &impl ConnectionTrait,
    object: &str,
    key: &str,
    access: &[(Uuid, bool, bool)],
) -> AppResult<()> {
    role_field_grants::Entity::delete_many()
        .filter(role_field_grants::Column::Object.eq(object))
        .filter(role_field_grants::Column::Field.eq(rules::grant_name(key)))
        .exec(txn)
        .await?;
    if !access.is_empty() {
        role_field_grants::Entity::insert_many(access.iter().map(|(role, read, write)| {
            role_field_grants::ActiveModel {
                role_id: Set(*role),
                object: Set(object.to_string()),
                field: Set(rules::grant_name(key)),
                can_read: Set(*read),
                can_write: Set(*write),
            }
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// Checks a default value against the field's type and options; returns its stored form.
fn check_default(
    val: &mut Validator,
    ty: CustomFieldType,
    options: &[String],
    default: Option<&Value>,
) -> Option<String> {
    let d = default?;
    if matches!(ty, CustomFieldType::Party | CustomFieldType::User) && !d.is_null() {
        val.push("defaultValue", "a reference field has no default");
        return None;
    }
    val.check(rules::to_stored("defaultValue", ty, options, d))
        .flatten()
        .map(|s| s.text)
}

/// Defines a field (the `custom_field` create grant).
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    new: NewField,
) -> AppResult<custom_fields::Model> {
    policy::authorize(ctx, OBJECT, Action::Create)?;
    let db = &state.db;
    let mut val = Validator::default();
    let label = val.check(v::required_text("label", &new.label, 60));
    let key = match &new.key {
        Some(k) => val.check(rules::key("key", k.trim())),
        None => label.as_deref().map(rules::key_of_label),
    };
    let options = if new.field_type.has_options() {
        val.check(rules::options("options", &new.options))
            .unwrap_or_default()
    } else {
        if !new.options.is_empty() {
            val.push("options", "only pick-lists have choices");
        }
        Vec::new()
    };
    if new.unique && !new.field_type.may_be_unique() {
        val.push("unique", "values of this type cannot be required unique");
    }
    let default = check_default(
        &mut val,
        new.field_type,
        &options,
        new.default_value.as_ref(),
    );
    let access = resolve_access(db, &mut val, new.object, new.access.as_deref()).await?;
    if let Some(k) = &key {
        let taken = custom_fields::Entity::find()
            .filter(custom_fields::Column::Object.eq(new.object.as_str()))
            .filter(custom_fields::Column::Key.eq(k.clone()))
            .count(db)
            .await?
            > 0;
        if taken {
            val.push(
                "key",
                "is already a field of this object (an archived field keeps its key)",
            );
        }
    }
    let count = custom_fields::Entity::find()
        .filter(custom_fields::Column::Object.eq(new.object.as_str()))
        .count(db)
        .await?;
    if count >= rules::MAX_FIELDS {
        val.push(
            "object",
            format!("already has {} custom fields", rules::MAX_FIELDS),
        );
    }
    val.finish()?;
    let (Some(label), Some(key)) = (label, key) else {
        return Err(AppError::bad_input("label", "is required"));
    };
    let now = db::now();
    let record = custom_fields::Model {
        id: Uuid::new_v4(),
        object: new.object.as_str().to_string(),
        key,
        label,
        field_type: new.field_type.as_str().to_string(),
        required: new.required,
        is_unique: new.unique,
        show_in_list: new.show_in_list,
        default_value: default,
        options: new
            .field_type
            .has_options()
            .then(|| json!(options).to_string()),
        position: count as i32 + 1,
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let saved = w.insert(record).await?;
    put_access(w.txn(), &saved.object, &saved.key, &access).await?;
    w.commit().await?;
    Ok(saved)
}

async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<custom_fields::Model> {
    custom_fields::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such custom field".into()))
}

/// Whether two records hold the same value of a field.
async fn has_duplicates(db: &impl ConnectionTrait, field: Uuid) -> AppResult<bool> {
    let dup = values::Entity::find()
        .select_only()
        .column(values::Column::TextValue)
        .filter(values::Column::FieldId.eq(field))
        .group_by(values::Column::TextValue)
        .having(Expr::expr(Func::count(Expr::col(values::Column::RecordId))).gt(1))
        .into_tuple::<String>()
        .one(db)
        .await?;
    Ok(dup.is_some())
}

/// Changes a field (the `custom_field` update grant), with an optimistic version.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    change: FieldChange,
) -> AppResult<custom_fields::Model> {
    policy::authorize(ctx, OBJECT, Action::Update)?;
    let db = &state.db;
    let current = find(db, id).await?;
    let ty = field_type(&current);
    let object = CustomObject::parse(&current.object)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("custom field of an unknown object")))?;
    let mut val = Validator::default();
    let mut next = current.clone();
    if let Some(l) = &change.label {
        if let Some(l) = val.check(v::required_text("label", l, 60)) {
            next.label = l;
        }
    }
    let mut options = options_of(&current);
    if let Some(o) = &change.options {
        if ty.has_options() {
            if let Some(o) = val.check(rules::options("options", o)) {
                next.options = Some(json!(o).to_string());
                options = o;
            }
        } else {
            val.push("options", "only pick-lists have choices");
        }
    }
    if let Some(d) = &change.default_value {
        next.default_value = check_default(&mut val, ty, &options, Some(d));
    }
    if let Some(r) = change.required {
        next.required = r;
    }
    if let Some(s) = change.show_in_list {
        next.show_in_list = s;
    }
    if let Some(p) = change.position {
        if !(1..=1000).contains(&p) {
            val.push("position", "must be 1 to 1000");
        }
        next.position = p;
    }
    if let Some(u) = change.unique {
        if u && !ty.may_be_unique() {
            val.push("unique", "values of this type cannot be required unique");
        } else if u && !current.is_unique && has_duplicates(db, id).await? {
            val.push(
                "unique",
                "two records already hold the same value; make them differ first",
            );
        }
        next.is_unique = u;
    }
    let access = match &change.access {
        Some(rows) => Some(resolve_access(db, &mut val, object, Some(rows)).await?),
        None => None,
    };
    val.finish()?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (saved, mut changes) = w.save_quietly(&current, next, version).await?;
    if let Some(access) = &access {
        let before = access_lines(w.txn(), &current).await?;
        put_access(w.txn(), &saved.object, &saved.key, access).await?;
        let after = access_lines(w.txn(), &saved).await?;
        if before != after {
            if let Some(map) = changes.as_object_mut() {
                map.insert("access".into(), json!({"before": before, "after": after}));
            }
        }
    }
    w.log(OBJECT, id, "update", changes).await?;
    w.commit().await?;
    Ok(saved)
}

/// `role: read` / `role: read, write` lines of a field's access, for the change log.
async fn access_lines(
    db: &impl ConnectionTrait,
    m: &custom_fields::Model,
) -> AppResult<Vec<String>> {
    Ok(access_of(db, m)
        .await?
        .into_iter()
        .filter(|(_, r, _)| *r)
        .map(|(role, _, w)| format!("{}: {}", role.key, if w { "read, write" } else { "read" }))
        .collect())
}

/// Archives a field (its values stay, hidden) or brings it back (the `custom_field` archive grant).
pub async fn set_archived(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    archived: bool,
) -> AppResult<custom_fields::Model> {
    policy::authorize(ctx, OBJECT, Action::Archive)?;
    let current = find(&state.db, id).await?;
    crate::kit::write::set_archived(state, ctx, current, archived, |m| &mut m.archived_at).await
}

/// The values of records by record id (every object's fields; callers keep their object's).
pub async fn values_of(
    db: &impl ConnectionTrait,
    records: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<values::Model>>> {
    let mut out: HashMap<Uuid, Vec<values::Model>> = HashMap::new();
    if records.is_empty() {
        return Ok(out);
    }
    for v in values::Entity::find()
        .filter(values::Column::RecordId.is_in(records.iter().copied()))
        .all(db)
        .await?
    {
        out.entry(v.record_id).or_default().push(v);
    }
    Ok(out)
}

/// Whether the caller may update the record `id` of `object` (its row scope for `update`).
async fn may_update(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    object: CustomObject,
    id: Uuid,
) -> AppResult<bool> {
    use crate::domain::{accounts, activities, leads, opportunities, parties};
    use entity::{
        activities::activities as act, leads::leads as ld, opportunities::opportunities as opp,
        parties::parties as pt,
    };
    Ok(match object {
        CustomObject::Opportunity => {
            aggregate::visible::<opportunities::policy::OpportunityObject>(ctx, Action::Update)?
                .filter(opp::Column::Id.eq(id))
                .count(db)
                .await?
        }
        CustomObject::Account => {
            aggregate::visible::<accounts::policy::AccountObject>(ctx, Action::Update)?
                .filter(pt::Column::Id.eq(id))
                .count(db)
                .await?
        }
        CustomObject::Party => {
            aggregate::visible::<parties::policy::PartyObject>(ctx, Action::Update)?
                .filter(pt::Column::Id.eq(id))
                .count(db)
                .await?
        }
        CustomObject::Lead => {
            aggregate::visible::<leads::policy::LeadObject>(ctx, Action::Update)?
                .filter(ld::Column::PartyId.eq(id))
                .count(db)
                .await?
        }
        CustomObject::Activity => {
            aggregate::visible::<activities::policy::ActivityObject>(ctx, Action::Update)?
                .filter(act::Column::Id.eq(id))
                .count(db)
                .await?
        }
    } > 0)
}

/// Values to write, by key; `Value::Null` clears one.
pub type ValueInput = Vec<(String, Value)>;

/// Checks values against an object's live fields and the caller's write grants; returns what to
/// store by field (`None`: clear). `creating` applies defaults and requires the required fields.
/// Errors name `{path}.{i}.key` / `{path}.{i}.value`.
pub async fn check_values(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    object: CustomObject,
    record: Option<Uuid>,
    input: &ValueInput,
    creating: bool,
    path: &str,
) -> AppResult<Vec<(custom_fields::Model, Option<Stored>)>> {
    let defs = definitions(db, Some(object), false).await?;
    let mut val = Validator::default();
    let mut out: Vec<(custom_fields::Model, Option<Stored>)> = Vec::new();
    for (i, (key, value)) in input.iter().enumerate() {
        let at = |f: &str| format!("{path}.{i}.{f}");
        let Some(def) = defs.iter().find(|d| &d.key == key) else {
            val.push(
                &at("key"),
                format!("is not a field of {} records", object.as_str()),
            );
            continue;
        };
        if !can_write(ctx, def) {
            val.push(&at("key"), "is a field you may not change");
            continue;
        }
        if out.iter().any(|(d, _)| d.id == def.id) {
            val.push(&at("key"), "repeats a field");
            continue;
        }
        let Some(stored) = val.check(rules::to_stored(
            &at("value"),
            field_type(def),
            &options_of(def),
            value,
        )) else {
            continue;
        };
        if stored.is_none() && def.required {
            val.push(&at("value"), format!("{} is required", def.label));
            continue;
        }
        if let (Some(s), true) = (&stored, def.is_unique) {
            let mut q = values::Entity::find()
                .filter(values::Column::FieldId.eq(def.id))
                .filter(values::Column::TextValue.eq(s.text.clone()));
            if let Some(r) = record {
                q = q.filter(values::Column::RecordId.ne(r));
            }
            if q.count(db).await? > 0 {
                val.push(
                    &at("value"),
                    format!("another record already has this {}", def.label),
                );
                continue;
            }
        }
        out.push((def.clone(), stored));
    }
    if creating {
        for def in &defs {
            if out.iter().any(|(d, _)| d.id == def.id) {
                continue;
            }
            if let Some(d) = &def.default_value {
                let stored = rules::to_stored(
                    "",
                    field_type(def),
                    &options_of(def),
                    &rules::to_json(field_type(def), d),
                )
                .ok()
                .flatten();
                out.push((def.clone(), stored));
            } else if def.required {
                val.push(
                    &format!("{path}.{}", def.key),
                    format!("{} is required", def.label),
                );
            }
        }
    }
    val.finish()?;
    Ok(out)
}

/// Writes checked values of a record in the caller's transaction; returns the change-log diff
/// (`custom.<key>`: before/after as shown).
pub async fn write_values(
    txn: &impl ConnectionTrait,
    record: Uuid,
    checked: &[(custom_fields::Model, Option<Stored>)],
) -> AppResult<serde_json::Map<String, Value>> {
    let ids: Vec<Uuid> = checked.iter().map(|(d, _)| d.id).collect();
    let before: HashMap<Uuid, String> = values::Entity::find()
        .filter(values::Column::RecordId.eq(record))
        .filter(values::Column::FieldId.is_in(ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|v| (v.field_id, v.text_value))
        .collect();
    let mut diff = serde_json::Map::new();
    let now = db::now();
    for (def, stored) in checked {
        let old = before.get(&def.id);
        if old == stored.as_ref().map(|s| &s.text) {
            continue;
        }
        let ty = field_type(def);
        diff.insert(
            rules::grant_name(&def.key),
            json!({
                "before": old.map(|t| rules::display(ty, t)),
                "after": stored.as_ref().map(|s| rules::display(ty, &s.text)),
            }),
        );
        match stored {
            Some(s) => {
                values::Entity::insert(values::ActiveModel {
                    field_id: Set(def.id),
                    record_id: Set(record),
                    text_value: Set(s.text.clone()),
                    num_value: Set(s.num),
                    updated_at: Set(now),
                })
                .on_conflict(
                    OnConflict::columns([values::Column::FieldId, values::Column::RecordId])
                        .update_columns([
                            values::Column::TextValue,
                            values::Column::NumValue,
                            values::Column::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .exec(txn)
                .await?;
            }
            None => {
                values::Entity::delete_many()
                    .filter(values::Column::FieldId.eq(def.id))
                    .filter(values::Column::RecordId.eq(record))
                    .exec(txn)
                    .await?;
            }
        }
    }
    Ok(diff)
}

/// Sets custom field values of one record the caller may update, in one transaction, logged on
/// the record.
pub async fn set_values(
    state: &AppState,
    ctx: &RequestCtx,
    object: CustomObject,
    record: Uuid,
    input: ValueInput,
) -> AppResult<()> {
    if input.is_empty() {
        return Err(AppError::bad_input(
            "values",
            "must name at least one field",
        ));
    }
    if !may_update(&state.db, ctx, object, record).await? {
        return Err(AppError::NotFound(
            "no such record, or you may not change it".into(),
        ));
    }
    let checked = check_values(
        &state.db,
        ctx,
        object,
        Some(record),
        &input,
        false,
        "values",
    )
    .await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let diff = write_values(w.txn(), record, &checked).await?;
    if !diff.is_empty() {
        w.log(log_object(object), record, "update", Value::Object(diff))
            .await?;
    }
    w.commit().await?;
    Ok(())
}

/// The object a record's custom value changes are logged on (an account's as the account's).
pub fn log_object(object: CustomObject) -> &'static str {
    match object {
        CustomObject::Account => crate::domain::accounts::policy::AccountObject::OBJECT,
        o => o.as_str(),
    }
}

/// A field error for an unknown key, for filter paths.
pub fn unknown(path: &str) -> FieldError {
    FieldError::new(path, "is not a custom field you may read")
}
