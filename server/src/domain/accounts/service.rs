//! Account services: every read applies the row scope; every write is validate → authorize → one
//! transaction (row, change-log row, audit stamps), then the change is published.

use entity::parties::{parties, party_roles};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::policy::AccountObject;
use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::domain::money;
use crate::domain::parties::kinds::ContactMechanismKind as Kind;
use crate::domain::parties::mechanisms;
use crate::domain::parties::policy::CONTACT_FIELD;
use crate::domain::parties::service as parties_svc;
use crate::domain::parties::sort::SortKey;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::events::ChangeEvent;
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::paging::Page;
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

pub use super::policy::{KIND, ROLE};
const OBJECT: &str = AccountObject::OBJECT;

/// Money as given by a client.
#[derive(Debug, Clone)]
pub struct MoneyInput {
    pub amount: String,
    pub currency: String,
}

/// A change set for create or update. For text fields `None` means "unchanged" (or unset on create)
/// and an empty string clears the field; for `annual_revenue`, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub code: Option<String>,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub annual_revenue: Option<Option<MoneyInput>>,
    pub owner_id: Option<Uuid>,
}

/// Validated values: `Some(x)` replaces the field with `x`.
#[derive(Debug, Default)]
struct Clean {
    name: Option<String>,
    code: Option<Option<String>>,
    area: Option<Option<String>>,
    industry: Option<Option<String>>,
    website: Option<Option<String>>,
    email: Option<Option<String>>,
    phone: Option<Option<String>>,
    annual_revenue: Option<Option<(i64, String)>>,
    owner_id: Option<Uuid>,
}

fn validate(c: &AccountChanges, creating: bool) -> AppResult<Clean> {
    let mut val = Validator::default();
    let mut out = Clean::default();
    match (&c.name, creating) {
        (Some(n), _) => out.name = val.check(v::required_text("name", n, 200)),
        (None, true) => val.push("name", "is required"),
        (None, false) => {}
    }
    out.code = val.given(c.code.as_deref(), |s| v::code("code", s));
    out.area = val.given(c.area.as_deref(), |s| v::optional_text("area", s, 100));
    out.industry = val.given(c.industry.as_deref(), |s| {
        v::optional_text("industry", s, 100)
    });
    out.website = val.given(c.website.as_deref(), |s| v::website("website", s));
    out.email = val.given(c.email.as_deref(), |s| v::email("email", s));
    out.phone = val.given(c.phone.as_deref(), |s| v::phone("phone", s));
    out.annual_revenue = match &c.annual_revenue {
        None => None,
        Some(None) => Some(None),
        Some(Some(m)) => {
            money::checked(&mut val, "annualRevenue", &m.amount, &m.currency).map(Some)
        }
    };
    out.owner_id = c.owner_id;
    val.finish()?;
    Ok(out)
}

/// One page of the accounts the caller may read, matching `filter`, in `sort` order. Returns the
/// rows and whether more follow.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: Condition,
    sort: SortKey,
    page: &Page,
) -> AppResult<(Vec<parties::Model>, bool)> {
    let q = aggregate::visible::<AccountObject>(ctx, Action::Read)?.filter(filter);
    parties_svc::page(db, q, sort, page).await
}

/// How many accounts the caller may read match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: Condition,
) -> AppResult<u64> {
    Ok(aggregate::visible::<AccountObject>(ctx, Action::Read)?
        .filter(filter)
        .count(db)
        .await?)
}

/// One account, if it exists and the caller may read it (archived or not).
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<parties::Model>> {
    Ok(aggregate::visible::<AccountObject>(ctx, Action::Read)?
        .filter(parties::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// The account's fields as the change log records them (API names).
fn snapshot(m: &parties::Model) -> Vec<(&'static str, Value)> {
    vec![
        ("code", json!(m.code)),
        ("name", json!(m.group_name)),
        ("area", json!(m.area)),
        ("industry", json!(m.industry)),
        ("website", json!(m.website)),
        (
            "annualRevenue",
            money::to_json(m.annual_revenue_minor, &m.annual_revenue_currency),
        ),
        ("ownerId", json!(m.owner_id)),
        ("archived", json!(m.archived_at.is_some())),
    ]
}

fn add_change(changes: &mut Value, field: &str, before: Value, after: Value) {
    if let Value::Object(map) = changes {
        map.insert(field.to_string(), json!({"before": before, "after": after}));
    }
}

fn diff(before: Option<&parties::Model>, after: &parties::Model) -> Value {
    changelog::diff_snapshots(before.map(snapshot), snapshot(after))
}

fn apply(m: &mut parties::Model, c: Clean) {
    if let Some(name) = c.name {
        m.sort_name = name.to_lowercase();
        m.group_name = Some(name);
    }
    if let Some(Some(code)) = c.code {
        m.code = code;
    }
    if let Some(x) = c.area {
        m.area = x;
    }
    if let Some(x) = c.industry {
        m.industry = x;
    }
    if let Some(x) = c.website {
        m.website = x;
    }
    if let Some(r) = c.annual_revenue {
        m.annual_revenue_minor = r.as_ref().map(|(a, _)| *a);
        m.annual_revenue_currency = r.map(|(_, c)| c);
    }
    if let Some(o) = c.owner_id {
        m.owner_id = Some(o);
    }
}

/// Creates an account inside the caller's transaction. Returns it with its change-log cursor.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    changes: AccountChanges,
) -> AppResult<(parties::Model, ChangeEvent)> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let clean = validate(&changes, true)?;
    if matches!(clean.annual_revenue, Some(Some(_))) {
        policy::check_field_write(actor, super::policy::ANNUAL_REVENUE)?;
    }
    if clean.email.is_some() || clean.phone.is_some() {
        policy::check_field_write(actor, CONTACT_FIELD)?;
    }
    let owner = clean.owner_id.unwrap_or(actor.user_id);
    parties_svc::check_owner(txn, actor, scope, owner, OBJECT).await?;
    let code = match clean.code.clone().flatten() {
        Some(code) => {
            if parties_svc::code_taken(txn, &code, None).await? {
                return Err(AppError::bad_input("code", "is already in use"));
            }
            code
        }
        None => parties_svc::next_code(txn, OBJECT, "A").await?,
    };
    let now = db::now();
    let mut m = parties::Model {
        id: Uuid::new_v4(),
        kind: KIND.to_string(),
        code,
        group_name: None,
        fore_name: None,
        middle_initial: None,
        surname: None,
        sort_name: String::new(),
        area: None,
        industry: None,
        website: None,
        annual_revenue_minor: None,
        annual_revenue_currency: None,
        owner_id: Some(owner),
        customer_type: None,
        payment_preference: None,
        preferred_currency: None,
        status: "ACTIVE".to_string(),
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
        deletion_requested_at: None,
        deletion_requested_by: None,
        deletion_reason: None,
        merged_into: None,
    };
    let (email, phone) = (clean.email.clone().flatten(), clean.phone.clone().flatten());
    apply(
        &mut m,
        Clean {
            code: None,
            owner_id: None,
            ..clean
        },
    );
    parties::ActiveModel::from(m.clone())
        .insert(txn)
        .await
        .map_err(parties_svc::map_unique)?;
    party_roles::ActiveModel {
        party_id: Set(m.id),
        role: Set(ROLE.to_string()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    let mut changes = diff(None, &m);
    for (kind, field, value) in [(Kind::Email, "email", email), (Kind::Phone, "phone", phone)] {
        if value.is_some() {
            mechanisms::set_primary(txn, actor, m.id, kind, value.clone()).await?;
            add_change(&mut changes, field, Value::Null, json!(value));
        }
    }
    let cursor =
        changelog::record(txn, Some(actor.user_id), OBJECT, m.id, "create", changes).await?;
    Ok((m.clone(), ChangeEvent::new(cursor, OBJECT, m.id, "create")))
}

/// Creates an account in its own transaction and publishes the change.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: AccountChanges,
) -> AppResult<parties::Model> {
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (m, event) = create_in(w.txn(), ctx, changes).await?;
    w.adopt(event);
    w.commit().await?;
    Ok(m)
}

/// Loads an account the caller may read and checks that `action` reaches it.
async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
) -> AppResult<(parties::Model, policy::Scope)> {
    let current = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such account".into()))?;
    let scope = policy::check_reach(ctx, OBJECT, action, current.owner_id, "account")?;
    Ok((current, scope))
}

/// Writes `next` over `current` if the stored version is still `expected`, with its change-log row.
async fn write_versioned(
    w: &mut Write<'_>,
    current: &parties::Model,
    next: parties::Model,
    expected: i32,
    action: &str,
    extra_changes: Value,
) -> AppResult<parties::Model> {
    let mut changes = diff(Some(current), &next);
    if let (Value::Object(map), Value::Object(extra)) = (&mut changes, extra_changes) {
        map.extend(extra);
    }
    parties_svc::save(w, OBJECT, current, next, expected, action, changes).await
}

/// Updates an account if `version` is current. An update that changes nothing writes nothing.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: AccountChanges,
) -> AppResult<parties::Model> {
    let (current, scope) = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let clean = validate(&changes, false)?;
    if clean.annual_revenue.is_some() {
        policy::check_field_write(actor, super::policy::ANNUAL_REVENUE)?;
    }
    if clean.email.is_some() || clean.phone.is_some() {
        policy::check_field_write(actor, CONTACT_FIELD)?;
    }
    if let Some(owner) = clean.owner_id {
        if Some(owner) != current.owner_id {
            parties_svc::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
        }
    }
    if version != current.version {
        return Err(parties_svc::conflict(current.version));
    }
    let mut next = current.clone();
    let contacts = [
        (Kind::Email, "email", clean.email.clone()),
        (Kind::Phone, "phone", clean.phone.clone()),
    ];
    // An empty code keeps the existing one (`apply` ignores it): every account has a code.
    apply(&mut next, clean);
    let mut contact_changes = Vec::new();
    for (kind, field, value) in contacts {
        if let Some(value) = value {
            let before = mechanisms::primary(&state.db, id, kind)
                .await?
                .map(|m| m.value);
            if before != value {
                contact_changes.push((kind, field, before, value));
            }
        }
    }
    if diff(Some(&current), &next) == json!({}) && contact_changes.is_empty() {
        return Ok(current);
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    if next.code != current.code && parties_svc::code_taken(w.txn(), &next.code, Some(id)).await? {
        return Err(AppError::bad_input("code", "is already in use"));
    }
    let mut extra = json!({});
    for (kind, field, before, after) in contact_changes {
        mechanisms::set_primary(w.txn(), actor, id, kind, after.clone()).await?;
        add_change(&mut extra, field, json!(before), json!(after));
    }
    let m = write_versioned(&mut w, &current, next, version, "update", extra).await?;
    w.commit().await?;
    Ok(m)
}

/// Most accounts one bulk change may name.
pub const MAX_BULK: usize = 200;

/// What a bulk change does to each account it names.
#[derive(Debug, Clone, Copy)]
pub enum BulkChange {
    /// Gives the account to this user.
    Reassign(Uuid),
    /// Archives the account.
    Archive,
}

/// Applies `change` to the accounts `ids` in one transaction: each must be an account the caller may
/// update (reassign) or archive, and a new owner one they may assign to; when one is not, nothing
/// changes and the error names it (`ids.3`). An account that already has the owner, or is already
/// archived, is left as it is. Each changed account gets its own version and change-log row. Returns
/// the accounts after the change, in the order given (repeats dropped).
pub async fn bulk(
    state: &AppState,
    ctx: &RequestCtx,
    ids: &[Uuid],
    change: BulkChange,
) -> AppResult<Vec<parties::Model>> {
    let actor = ctx.actor()?;
    if ids.is_empty() {
        return Err(AppError::bad_input("ids", "name at least one account"));
    }
    if ids.len() > MAX_BULK {
        return Err(AppError::bad_input(
            "ids",
            format!("name at most {MAX_BULK} accounts at a time"),
        ));
    }
    let action = match change {
        BulkChange::Reassign(_) => Action::Update,
        BulkChange::Archive => Action::Archive,
    };
    let mut seen = std::collections::HashSet::new();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut out = Vec::with_capacity(ids.len());
    let mut owner_checked = false;
    for (i, &id) in ids.iter().enumerate() {
        if !seen.insert(id) {
            continue;
        }
        let current = get(w.txn(), ctx, id).await?.ok_or_else(|| {
            AppError::bad_input(format!("ids.{i}"), "is not an account you can see")
        })?;
        let scope = policy::check_reach(ctx, OBJECT, action, current.owner_id, "account")?;
        let mut next = current.clone();
        let verb = match change {
            BulkChange::Reassign(owner) => {
                if !owner_checked {
                    parties_svc::check_owner(w.txn(), actor, scope, owner, OBJECT).await?;
                    owner_checked = true;
                }
                next.owner_id = Some(owner);
                "update"
            }
            BulkChange::Archive => {
                next.archived_at = current.archived_at.or_else(|| Some(db::now()));
                next.status = "ARCHIVED".to_string();
                "archive"
            }
        };
        if diff(Some(&current), &next) == json!({}) {
            out.push(current);
            continue;
        }
        let version = current.version;
        out.push(write_versioned(&mut w, &current, next, version, verb, json!({})).await?);
    }
    w.commit().await?;
    Ok(out)
}

/// Archives (hides) or restores an account if `version` is current.
pub async fn set_archived(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    archived: bool,
) -> AppResult<parties::Model> {
    let (current, _) = load_for(&state.db, ctx, id, Action::Archive).await?;
    if version != current.version {
        return Err(parties_svc::conflict(current.version));
    }
    if current.archived_at.is_some() == archived {
        return Err(AppError::bad_input(
            "id",
            if archived {
                "the account is already archived"
            } else {
                "the account is not archived"
            },
        ));
    }
    let mut next = current.clone();
    next.archived_at = archived.then(db::now);
    next.status = if archived { "ARCHIVED" } else { "ACTIVE" }.to_string();
    let action = if archived { "archive" } else { "restore" };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = write_versioned(&mut w, &current, next, version, action, json!({})).await?;
    w.commit().await?;
    Ok(m)
}

/// What a subscriber should learn of a change: `(true, account)` when the account is visible to them,
/// `(false, None)` when it was visible before the change (its previous owner was in their scope) but
/// is not now, and `None` when the change is none of their business.
pub async fn change_for_subscriber(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    event: &ChangeEvent,
) -> AppResult<Option<(bool, Option<parties::Model>)>> {
    if let Some(m) = get(db, ctx, event.object_id).await? {
        return Ok(Some((true, Some(m))));
    }
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Read)?;
    let entry = entity::change_log::Entity::find_by_id(event.cursor)
        .one(db)
        .await?;
    let before_owner = entry
        .as_ref()
        .and_then(|e| e.changes.get("ownerId"))
        .and_then(|c| c.get("before"))
        .and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s).ok());
    match before_owner {
        Some(o) if policy::owner_in_scope(actor, scope, Some(o)) => Ok(Some((false, None))),
        _ => Ok(None),
    }
}
