//! Roles and their grants. The builtin roles are fixed by the migrations (and listed in
//! `docs/PERMISSIONS.md`); administrators make custom roles by copying one and then edit its object
//! × action × scope grants and its field grants as one matrix.
//!
//! Invariants: a builtin role never changes at run time (so an administrator role with every grant
//! always exists); a custom role grants only what some builtin role grants somewhere (the
//! [`Catalogue`]); every change is one transaction, logged with what was granted before and after,
//! and advances the access epoch (triggers on the grant tables), so it holds from the next request
//! of every session; a role held by a user is never removed.

pub mod graphql;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use entity::access::{role_field_grants, role_grants, roles, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::{RequestCtx, TokenState};
use crate::db;
use crate::domain::users::service::UserObject;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::kit::write::Write;
use crate::policy::{self, Action, Grants, Scope};
use crate::state::AppState;

/// The change-log and grant name of roles.
pub const OBJECT: &str = "role";

/// Longest role name.
const NAME_MAX: usize = 100;
/// Longest role key.
const KEY_MAX: usize = 40;

impl crate::kit::write::Versioned for roles::Model {
    type Entity = roles::Entity;
    const OBJECT: &'static str = OBJECT;
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> i32 {
        self.version
    }
    fn stamp(&mut self, version: i32, _at: chrono::DateTime<chrono::Utc>, _by: Option<Uuid>) {
        self.version = version;
    }
    fn id_column() -> roles::Column {
        roles::Column::Id
    }
    fn version_column() -> roles::Column {
        roles::Column::Version
    }
    fn kept_columns() -> Vec<roles::Column> {
        vec![
            roles::Column::Key,
            roles::Column::Builtin,
            roles::Column::CreatedAt,
        ]
    }
    fn snapshot(&self) -> Vec<(&'static str, Value)> {
        vec![("name", json!(self.name))]
    }
}

/// What a role may be granted: every object × action and every sensitive field that some builtin
/// role is granted. Custom roles recombine these; nothing outside them is read by any check.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// Object → its actions, in [`Action::ALL`] order.
    pub actions: BTreeMap<String, Vec<Action>>,
    /// Object → its sensitive fields, sorted.
    pub fields: BTreeMap<String, Vec<String>>,
}

impl Catalogue {
    /// Reads the catalogue off the builtin roles' grants.
    pub async fn load(db: &impl ConnectionTrait) -> AppResult<Self> {
        let builtin: Vec<Uuid> = roles::Entity::find()
            .filter(roles::Column::Builtin.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let mut actions: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for g in role_grants::Entity::find()
            .filter(role_grants::Column::RoleId.is_in(builtin.clone()))
            .all(db)
            .await?
        {
            if let Some(i) =
                Action::parse(&g.action).and_then(|a| Action::ALL.iter().position(|x| *x == a))
            {
                actions.entry(g.object).or_default().insert(i);
            }
        }
        let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in role_field_grants::Entity::find()
            .filter(role_field_grants::Column::RoleId.is_in(builtin))
            .all(db)
            .await?
        {
            fields.entry(f.object).or_default().insert(f.field);
        }
        Ok(Self {
            actions: actions
                .into_iter()
                .map(|(o, set)| (o, set.into_iter().map(|i| Action::ALL[i]).collect()))
                .collect(),
            fields: fields
                .into_iter()
                .map(|(o, set)| (o, set.into_iter().collect()))
                .collect(),
        })
    }

    /// Every object, sorted.
    pub fn objects(&self) -> BTreeSet<&str> {
        self.actions
            .keys()
            .chain(self.fields.keys())
            .map(String::as_str)
            .collect()
    }

    fn has_action(&self, object: &str, action: Action) -> bool {
        self.actions
            .get(object)
            .is_some_and(|a| a.contains(&action))
    }

    fn has_field(&self, object: &str, field: &str) -> bool {
        self.fields
            .get(object)
            .is_some_and(|f| f.iter().any(|x| x == field))
    }
}

/// One object grant as the API gives and takes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GrantRow {
    pub object: String,
    pub action: String,
    pub scope: String,
}

/// One field grant as the API gives and takes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldRow {
    pub object: String,
    pub field: String,
    pub read: bool,
    pub write: bool,
}

impl GrantRow {
    /// How the change log shows it: `account update: team`.
    fn line(&self) -> String {
        format!("{} {}: {}", self.object, self.action, self.scope)
    }
}

impl FieldRow {
    /// How the change log shows it: `account.annualRevenue: read`.
    fn line(&self) -> String {
        let what = match (self.read, self.write) {
            (true, true) => "read, write",
            (true, false) => "read",
            _ => "none",
        };
        format!("{}.{}: {what}", self.object, self.field)
    }
}

/// A role's object grants, sorted by object and action order.
pub async fn grants_of(db: &impl ConnectionTrait, role: Uuid) -> AppResult<Vec<GrantRow>> {
    let mut rows: Vec<GrantRow> = role_grants::Entity::find()
        .filter(role_grants::Column::RoleId.eq(role))
        .all(db)
        .await?
        .into_iter()
        .map(|g| GrantRow {
            object: g.object,
            action: g.action,
            scope: g.scope,
        })
        .collect();
    let order = |a: &str| {
        Action::parse(a)
            .and_then(|a| Action::ALL.iter().position(|x| *x == a))
            .unwrap_or(usize::MAX)
    };
    rows.sort_by(|a, b| {
        a.object
            .cmp(&b.object)
            .then(order(&a.action).cmp(&order(&b.action)))
    });
    Ok(rows)
}

/// A role's field grants, sorted.
pub async fn field_grants_of(db: &impl ConnectionTrait, role: Uuid) -> AppResult<Vec<FieldRow>> {
    let mut rows: Vec<FieldRow> = role_field_grants::Entity::find()
        .filter(role_field_grants::Column::RoleId.eq(role))
        .all(db)
        .await?
        .into_iter()
        .map(|f| FieldRow {
            object: f.object,
            field: f.field,
            read: f.can_read,
            write: f.can_write,
        })
        .collect();
    rows.sort();
    Ok(rows)
}

/// Every role: builtin ones first, then custom ones by name.
pub async fn list(db: &impl ConnectionTrait, ctx: &RequestCtx) -> AppResult<Vec<roles::Model>> {
    policy::authorize(ctx, OBJECT, Action::Read)?;
    let mut all = roles::Entity::find()
        .order_by_asc(roles::Column::Name)
        .all(db)
        .await?;
    all.sort_by_key(|r| !r.builtin);
    Ok(all)
}

/// One role, for those who may read roles.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<roles::Model>> {
    policy::authorize(ctx, OBJECT, Action::Read)?;
    Ok(roles::Entity::find_by_id(id).one(db).await?)
}

/// How many users (active or not) hold a role.
pub async fn holders(db: &impl ConnectionTrait, role: Uuid) -> AppResult<u64> {
    Ok(
        aggregate::unscoped::<UserObject>("an administrator sees how many hold a role, not who")
            .filter(users::Column::RoleId.eq(role))
            .count(db)
            .await?,
    )
}

/// A key made of a name: lower-case letters, digits and underscores.
fn key_of(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_');
    key.chars().take(KEY_MAX).collect::<String>()
}

/// Checks a given key: a lower-case letter first, then letters, digits and underscores.
fn check_key(key: &str) -> Result<String, crate::error::FieldError> {
    let ok = key.len() <= KEY_MAX
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(key.to_string())
    } else {
        Err(crate::error::FieldError::new(
            "key",
            format!(
                "must start with a lower-case letter and hold only lower-case letters, digits and \
                 underscores (at most {KEY_MAX})"
            ),
        ))
    }
}

async fn name_taken(
    db: &impl ConnectionTrait,
    name: &str,
    except: Option<Uuid>,
) -> AppResult<bool> {
    let mut q = roles::Entity::find().filter(roles::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(roles::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

/// A new custom role, copied from another.
pub struct NewRole {
    pub name: String,
    pub key: Option<String>,
    pub copy_from: Uuid,
}

/// Creates a custom role with the grants of `copy_from`.
pub async fn create(state: &AppState, ctx: &RequestCtx, new: NewRole) -> AppResult<Uuid> {
    policy::authorize(ctx, OBJECT, Action::Create)?;
    let db = &state.db;
    let mut val = Validator::default();
    let name = val.check(v::required_text("name", &new.name, NAME_MAX));
    let key = match new.key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => val.check(check_key(k)),
        None => name
            .as_deref()
            .map(key_of)
            .filter(|k| !k.is_empty())
            .or_else(|| {
                if name.is_some() {
                    val.push(
                        "key",
                        "is required when the name holds no letters or digits",
                    );
                }
                None
            }),
    };
    let source = roles::Entity::find_by_id(new.copy_from).one(db).await?;
    if source.is_none() {
        val.push("copyFromId", "is not a role");
    }
    if let Some(n) = &name {
        if name_taken(db, n, None).await? {
            val.push("name", "is already in use");
        }
    }
    if let Some(k) = &key {
        if roles::Entity::find()
            .filter(roles::Column::Key.eq(k.as_str()))
            .count(db)
            .await?
            > 0
        {
            val.push("key", "is already in use");
        }
    }
    val.finish()?;
    let (Some(name), Some(key), Some(source)) = (name, key, source) else {
        return Err(AppError::internal(anyhow::anyhow!(
            "role checks passed without values"
        )));
    };
    let grants = grants_of(db, source.id).await?;
    let fields = field_grants_of(db, source.id).await?;
    let id = Uuid::new_v4();
    let mut w = Write::begin(state, Some(ctx)).await?;
    roles::ActiveModel {
        id: Set(id),
        key: Set(key.clone()),
        name: Set(name.clone()),
        builtin: Set(false),
        version: Set(1),
        created_at: Set(db::now()),
    }
    .insert(w.txn())
    .await?;
    put_grants(w.txn(), id, &grants, &fields).await?;
    let changes = json!({
        "name": {"before": null, "after": name},
        "key": {"before": null, "after": key},
        "copiedFrom": {"before": null, "after": source.key},
        "grants": {"before": [], "after": grants.iter().map(GrantRow::line).collect::<Vec<_>>()},
        "fieldGrants": {"before": [], "after": fields.iter().map(FieldRow::line).collect::<Vec<_>>()},
    });
    w.log(OBJECT, id, "create", changes).await?;
    w.commit().await?;
    Ok(id)
}

/// Writes a role's grants (after its old ones are gone).
async fn put_grants(
    txn: &impl ConnectionTrait,
    role: Uuid,
    grants: &[GrantRow],
    fields: &[FieldRow],
) -> AppResult<()> {
    if !grants.is_empty() {
        role_grants::Entity::insert_many(grants.iter().map(|g| role_grants::ActiveModel {
            role_id: Set(role),
            object: Set(g.object.clone()),
            action: Set(g.action.clone()),
            scope: Set(g.scope.clone()),
        }))
        .exec(txn)
        .await?;
    }
    if !fields.is_empty() {
        role_field_grants::Entity::insert_many(fields.iter().map(|f| {
            role_field_grants::ActiveModel {
                role_id: Set(role),
                object: Set(f.object.clone()),
                field: Set(f.field.clone()),
                can_read: Set(f.read),
                can_write: Set(f.write),
            }
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

async fn drop_grants(txn: &impl ConnectionTrait, role: Uuid) -> AppResult<()> {
    role_grants::Entity::delete_many()
        .filter(role_grants::Column::RoleId.eq(role))
        .exec(txn)
        .await?;
    role_field_grants::Entity::delete_many()
        .filter(role_field_grants::Column::RoleId.eq(role))
        .exec(txn)
        .await?;
    Ok(())
}

/// Checks a matrix against the catalogue; returns it sorted. Errors name `grants.{i}.…` and
/// `fieldGrants.{i}.…`.
fn check_matrix(
    catalogue: &Catalogue,
    val: &mut Validator,
    grants: Vec<GrantRow>,
    fields: Vec<FieldRow>,
) -> (Vec<GrantRow>, Vec<FieldRow>) {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, g) in grants.into_iter().enumerate() {
        let at = |f: &str| format!("grants.{i}.{f}");
        let Some(action) = Action::parse(&g.action) else {
            val.push(&at("action"), "is not an action");
            continue;
        };
        if !catalogue.actions.contains_key(&g.object) {
            val.push(&at("object"), "is not an object a role is granted");
            continue;
        }
        if !catalogue.has_action(&g.object, action) {
            val.push(
                &at("action"),
                format!("is not an action of {} records", g.object),
            );
            continue;
        }
        if Scope::parse(&g.scope).is_none() {
            val.push(&at("scope"), "must be own, team or all");
            continue;
        }
        if !seen.insert((g.object.clone(), g.action.clone())) {
            val.push(&at("action"), format!("repeats {} {}", g.object, g.action));
            continue;
        }
        out.push(g);
    }
    let mut seen = BTreeSet::new();
    let mut out_fields = Vec::new();
    for (i, f) in fields.into_iter().enumerate() {
        let at = |x: &str| format!("fieldGrants.{i}.{x}");
        if !catalogue.has_field(&f.object, &f.field) {
            val.push(
                &at("field"),
                format!("is not a sensitive field of {} records", f.object),
            );
            continue;
        }
        if f.write && !f.read {
            val.push(&at("write"), "needs read: a field written must be readable");
            continue;
        }
        if !seen.insert((f.object.clone(), f.field.clone())) {
            val.push(&at("field"), format!("repeats {}.{}", f.object, f.field));
            continue;
        }
        // No read and no write is the same as no grant.
        if f.read {
            out_fields.push(f);
        }
    }
    out.sort();
    out_fields.sort();
    (out, out_fields)
}

/// What to change on a custom role; `None` keeps it. The grant lists replace the role's.
pub struct RoleChange {
    pub name: Option<String>,
    pub grants: Option<Vec<GrantRow>>,
    pub fields: Option<Vec<FieldRow>>,
}

/// `{ before: removed, after: added }` of two sets of lines, or nothing when they agree.
fn line_diff(before: Vec<String>, after: Vec<String>) -> Option<Value> {
    let (b, a): (BTreeSet<String>, BTreeSet<String>) =
        (before.into_iter().collect(), after.into_iter().collect());
    let removed: Vec<&String> = b.difference(&a).collect();
    let added: Vec<&String> = a.difference(&b).collect();
    (!removed.is_empty() || !added.is_empty()).then(|| json!({"before": removed, "after": added}))
}

/// Changes a custom role's name and grants (a builtin role is refused on `id`).
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    change: RoleChange,
) -> AppResult<roles::Model> {
    policy::authorize(ctx, OBJECT, Action::Update)?;
    let db = &state.db;
    let current = roles::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such role".into()))?;
    if current.builtin {
        return Err(AppError::bad_input(
            "id",
            "is a builtin role, which never changes: copy it to make a role you can change",
        ));
    }
    let mut val = Validator::default();
    let mut next = current.clone();
    if let Some(n) = &change.name {
        if let Some(n) = val.check(v::required_text("name", n, NAME_MAX)) {
            if name_taken(db, &n, Some(id)).await? {
                val.push("name", "is already in use");
            }
            next.name = n;
        }
    }
    let catalogue = Catalogue::load(db).await?;
    let before_grants = grants_of(db, id).await?;
    let before_fields = field_grants_of(db, id).await?;
    let (grants, fields) = check_matrix(
        &catalogue,
        &mut val,
        change.grants.unwrap_or_else(|| before_grants.clone()),
        change.fields.unwrap_or_else(|| before_fields.clone()),
    );
    val.finish()?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (saved, mut changes) = w.save_quietly(&current, next, version).await?;
    drop_grants(w.txn(), id).await?;
    put_grants(w.txn(), id, &grants, &fields).await?;
    if let Some(map) = changes.as_object_mut() {
        let lines = |g: &[GrantRow]| g.iter().map(GrantRow::line).collect::<Vec<_>>();
        let field_lines = |f: &[FieldRow]| f.iter().map(FieldRow::line).collect::<Vec<_>>();
        if let Some(d) = line_diff(lines(&before_grants), lines(&grants)) {
            map.insert("grants".into(), d);
        }
        if let Some(d) = line_diff(field_lines(&before_fields), field_lines(&fields)) {
            map.insert("fieldGrants".into(), d);
        }
    }
    w.log(OBJECT, id, "update", changes).await?;
    w.commit().await?;
    Ok(saved)
}

/// Removes a custom role nobody holds.
pub async fn delete(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    policy::authorize(ctx, OBJECT, Action::Archive)?;
    let db = &state.db;
    let current = roles::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such role".into()))?;
    if current.builtin {
        return Err(AppError::bad_input(
            "id",
            "is a builtin role, which is never removed",
        ));
    }
    let n = holders(db, id).await?;
    if n > 0 {
        return Err(AppError::bad_input(
            "id",
            format!(
                "is held by {n} user{}: give them another role first",
                if n == 1 { "" } else { "s" }
            ),
        ));
    }
    let grants = grants_of(db, id).await?;
    let fields = field_grants_of(db, id).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    drop_grants(w.txn(), id).await?;
    roles::Entity::delete_by_id(id).exec(w.txn()).await?;
    let changes = json!({
        "name": {"before": current.name, "after": null},
        "key": {"before": current.key, "after": null},
        "grants": {"before": grants.iter().map(GrantRow::line).collect::<Vec<_>>(), "after": []},
        "fieldGrants": {"before": fields.iter().map(FieldRow::line).collect::<Vec<_>>(), "after": []},
    });
    w.log(OBJECT, id, "delete", changes).await?;
    w.commit().await
}

/// What a role may do with one record, as [`preview`] finds it.
pub struct Preview {
    /// The record's object (`account`, …).
    pub object: String,
    /// Whether the record is read through the ordinary read path as that role.
    pub visible: bool,
    /// The object's actions with the scope the role grants (`None`: not granted).
    pub actions: Vec<(Action, Option<Scope>)>,
    /// The object's sensitive fields with what the role may do with them.
    pub fields: Vec<FieldRow>,
}

/// Previews role `role` on the record `(type, id)` for the user `as_user` (or, when `None`, for a
/// user of the role who owns nothing and belongs to no team): the record is read through the same
/// path every request takes, with that user's team reach and the role's grants.
pub async fn preview(
    state: &AppState,
    ctx: &RequestCtx,
    role: Uuid,
    record: (&str, Uuid),
    as_user: Option<Uuid>,
) -> AppResult<Preview> {
    policy::authorize(ctx, OBJECT, Action::Read)?;
    let db = &state.db;
    let (ty, record_id) = record;
    let object = crate::graphql::relay::object_of(ty)
        .ok_or_else(|| AppError::bad_input("recordId", "is not a record a role reaches"))?;
    if roles::Entity::find_by_id(role).one(db).await?.is_none() {
        return Err(AppError::bad_input("roleId", "is not a role"));
    }
    if crate::graphql::relay::load(state, ctx, ty, record_id)
        .await?
        .is_none()
    {
        return Err(AppError::bad_input(
            "recordId",
            "is not a record you can see",
        ));
    }
    let user = match as_user {
        Some(u) => {
            aggregate::unscoped::<UserObject>("the preview reads a record as the user chosen")
                .filter(users::Column::Id.eq(u))
                .one(db)
                .await?
                .ok_or_else(|| AppError::bad_input("asUserId", "is not a user"))?
        }
        None => users::Model {
            id: Uuid::nil(),
            email: String::new(),
            display_name: String::new(),
            password_hash: String::new(),
            role_id: role,
            active: true,
            failed_logins: 0,
            locked_until: None,
            last_login_at: None,
            organization_id: None,
            version: 1,
            created_at: db::now(),
            updated_at: db::now(),
        },
    };
    let actor = crate::auth::sessions::load_actor_as(db, user, role).await?;
    let grants: Arc<Grants> = actor.grants.clone();
    let as_role = RequestCtx {
        actor: Some(Arc::new(actor)),
        token_state: TokenState::Valid,
        token_hash: None,
    };
    let visible = match crate::graphql::relay::load(state, &as_role, ty, record_id).await {
        Ok(found) => found.is_some(),
        Err(AppError::Forbidden(_)) => false,
        Err(e) => return Err(e),
    };
    let catalogue = Catalogue::load(db).await?;
    let actions = catalogue
        .actions
        .get(object)
        .map(|list| {
            list.iter()
                .map(|a| (*a, grants.scope(object, *a)))
                .collect()
        })
        .unwrap_or_default();
    let fields = catalogue
        .fields
        .get(object)
        .map(|list| {
            list.iter()
                .map(|f| FieldRow {
                    object: object.to_string(),
                    field: f.clone(),
                    read: grants.can_read_field(object, f),
                    write: grants.can_write_field(object, f),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Preview {
        object: object.to_string(),
        visible,
        actions,
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_made_of_names() {
        assert_eq!(key_of("Key account managers"), "key_account_managers");
        assert_eq!(key_of("  Sales (EMEA) – North "), "sales_emea_north");
        assert_eq!(key_of("—"), "");
        assert!(check_key("sales_emea").is_ok());
        assert!(check_key("Sales").is_err());
        assert!(check_key("9lives").is_err());
    }

    #[test]
    fn a_grant_change_logs_what_was_taken_and_given() {
        let d = line_diff(
            vec!["account read: team".into(), "account update: team".into()],
            vec!["account read: team".into(), "account update: all".into()],
        )
        .unwrap_or_default();
        assert_eq!(d["before"], json!(["account update: team"]));
        assert_eq!(d["after"], json!(["account update: all"]));
        assert!(line_diff(vec!["a".into()], vec!["a".into()]).is_none());
    }
}
