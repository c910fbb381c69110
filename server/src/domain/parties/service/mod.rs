//! Party services: scoped reads, and creating and updating people and organisations.

use std::collections::HashMap;

use entity::parties::{parties, party_roles};
use entity::sequences;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, SqlErr,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::kinds::{CustomerType, PartyKind, PartyRole, PaymentPreference};
use super::mechanisms::{self, MechanismInput};
use super::policy::{PartyObject, CONTACT_FIELD};
use super::sort::SortKey;
use crate::auth::{Actor, RequestCtx};
use crate::changelog;
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::events::ChangeEvent;
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::paging::{Cursor, Page};
use crate::policy::{self, Action, Scope};
use crate::state::AppState;

mod write;

pub use write::*;

pub(super) const OBJECT: &str = PartyObject::OBJECT;

/// Parties the caller may read, optionally of one kind and holding one role.
pub fn base(
    ctx: &RequestCtx,
    kind: Option<PartyKind>,
    role: Option<PartyRole>,
) -> AppResult<Select<parties::Entity>> {
    let mut q = aggregate::visible::<PartyObject>(ctx, Action::Read)?;
    if let Some(k) = kind {
        q = q.filter(parties::Column::Kind.eq(k.as_str()));
    }
    if let Some(r) = role {
        let holders = Query::select()
            .column(party_roles::Column::PartyId)
            .from(party_roles::Entity)
            .and_where(Expr::col(party_roles::Column::Role).eq(r.as_str()))
            .to_owned();
        q = q.filter(parties::Column::Id.in_subquery(holders));
    }
    Ok(q)
}

/// One keyset page of `q` in `sort` order: the rows and whether more follow.
pub async fn page(
    db: &impl ConnectionTrait,
    mut q: Select<parties::Entity>,
    sort: SortKey,
    page: &Page,
) -> AppResult<(Vec<parties::Model>, bool)> {
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, &sort.key())?;
        q = q.filter(sort.after(&c.k, c.id));
    }
    let mut rows = q
        .order_by(sort.expr(), sort.order())
        .order_by(parties::Column::Id, sort.order())
        .limit(page.first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more))
}

/// One party the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<parties::Model>> {
    Ok(aggregate::visible::<PartyObject>(ctx, Action::Read)?
        .filter(parties::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// The roles of each party as stored (a `party_role` pick-list key upper-cased: `ACCOUNT`,
/// `VENDOR`), sorted: the roles the code acts upon first, in their order, then the others.
pub async fn roles_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<String>>> {
    let rows = party_roles::Entity::find()
        .filter(party_roles::Column::PartyId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for r in rows {
        out.entry(r.party_id).or_default().push(r.role);
    }
    for roles in out.values_mut() {
        sort_roles(roles);
    }
    Ok(out)
}

/// Sorts stored roles: the roles the code acts upon first, in their order, then the others by
/// name; without repeats.
pub fn sort_roles(roles: &mut Vec<String>) {
    roles.sort_by_key(|r| {
        let known = PartyRole::ALL.iter().position(|x| x.as_str() == r);
        (known.unwrap_or(PartyRole::ALL.len()), r.clone())
    });
    roles.dedup();
}

/// The roles of `stored` the code acts upon (account, contact, customer, …).
pub fn known_roles(stored: &[String]) -> Vec<PartyRole> {
    stored.iter().filter_map(|r| PartyRole::parse(r)).collect()
}

/// The stored name of a `party_role` key (`vendor` → `VENDOR`), and back.
pub fn stored_role(key: &str) -> String {
    key.to_ascii_uppercase()
}

/// Checks `keys` against the `party_role` pick-list (each a live value, or one of `held`, the
/// stored roles the party has: an archived role stays where it is), recording errors on
/// `roleKeys.{i}`; answers the stored names of the good ones.
pub(super) async fn checked_role_keys(
    db: &impl ConnectionTrait,
    val: &mut Validator,
    keys: &[String],
    held: &[String],
) -> AppResult<Vec<String>> {
    let mut out = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let key = key.trim();
        let field = format!("roleKeys.{i}");
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            val.push(
                &field,
                "is not a value of its pick-list (keys are lower-case)",
            );
            continue;
        }
        let stored = stored_role(key);
        let kept = held.contains(&stored).then_some(key);
        let checked = crate::domain::picklists::service::check_choice(
            db,
            crate::domain::picklists::PicklistKey::PartyRole,
            &field,
            key,
            kept,
        )
        .await;
        if val.absorb(checked)?.is_some() {
            out.push(stored);
        }
    }
    Ok(out)
}

/// The `party_role` key of a stored role (`VENDOR` → `vendor`).
pub fn role_key(stored: &str) -> String {
    stored.to_ascii_lowercase()
}

/// The next number of a named sequence (1, 2, …), advanced inside the caller's transaction.
pub async fn next_number(db: &impl ConnectionTrait, sequence: &str) -> AppResult<i64> {
    let res = sequences::Entity::update_many()
        .col_expr(
            sequences::Column::NextValue,
            Expr::col(sequences::Column::NextValue).add(1),
        )
        .filter(sequences::Column::Name.eq(sequence))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        sequences::ActiveModel {
            name: Set(sequence.to_string()),
            next_value: Set(2),
        }
        .insert(db)
        .await?;
    }
    Ok(sequences::Entity::find_by_id(sequence.to_string())
        .one(db)
        .await?
        .map(|s| s.next_value - 1)
        .unwrap_or(1))
}

/// The next free code `<prefix>-000001` of a named sequence, advanced inside the caller's transaction.
pub async fn next_code(
    db: &impl ConnectionTrait,
    sequence: &str,
    prefix: &str,
) -> AppResult<String> {
    loop {
        let n = next_number(db, sequence).await?;
        let code = format!("{prefix}-{n:06}");
        if !code_taken(db, &code, None).await? {
            return Ok(code);
        }
    }
}

/// Whether another party already uses `code`, in any case.
pub async fn code_taken(
    db: &impl ConnectionTrait,
    code: &str,
    except: Option<Uuid>,
) -> AppResult<bool> {
    let mut q = aggregate::unscoped::<PartyObject>("codes are unique across all parties").filter(
        Expr::expr(Func::lower(Expr::col((
            parties::Entity,
            parties::Column::Code,
        ))))
        .eq(code.to_ascii_lowercase()),
    );
    if let Some(id) = except {
        q = q.filter(parties::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

/// Maps a unique-constraint violation (codes are unique regardless of case) on insert or update to a field error on `code`.
pub fn map_unique(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::bad_input("code", "is already in use")
        }
        _ => e.into(),
    }
}

/// Checks that `owner` is an active user within `scope`.
pub async fn check_owner(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: Scope,
    owner: Uuid,
    object: &str,
) -> AppResult<()> {
    if !crate::domain::users::service::is_active(db, owner).await? {
        return Err(AppError::bad_input("ownerId", "is not an active user"));
    }
    if !policy::owner_in_scope(actor, scope, Some(owner)) {
        return Err(AppError::Forbidden(format!(
            "you may not assign {object} records to that user"
        )));
    }
    Ok(())
}

/// Changes to a person or an organisation. Text: `None` unchanged (unset on create), empty clears.
#[derive(Debug, Clone, Default)]
pub struct PartyChanges {
    pub kind: Option<PartyKind>,
    pub fore_name: Option<String>,
    pub middle_initial: Option<String>,
    pub surname: Option<String>,
    pub name: Option<String>,
    pub code: Option<String>,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub owner_id: Option<Uuid>,
    pub roles: Option<Vec<PartyRole>>,
    /// Every role by its `party_role` key, replacing all the party holds (and `roles`) when given.
    pub role_keys: Option<Vec<String>>,
    pub customer_type: Option<CustomerType>,
    pub payment_preference: Option<PaymentPreference>,
    /// An ISO 4217 code; an empty string clears.
    pub preferred_currency: Option<String>,
    pub mechanisms: Vec<MechanismInput>,
}

/// The display name of a party row.
pub fn display_name(m: &parties::Model) -> String {
    if m.kind == PartyKind::Person.as_str() {
        let mut parts = vec![m.fore_name.clone().unwrap_or_default()];
        if let Some(mi) = &m.middle_initial {
            parts.push(format!("{mi}."));
        }
        parts.push(m.surname.clone().unwrap_or_default());
        parts.retain(|p| !p.is_empty());
        parts.join(" ")
    } else {
        m.group_name.clone().unwrap_or_default()
    }
}

/// Applies validated changes to a row (or to a new row), collecting field errors.
pub(super) fn apply(val: &mut Validator, m: &mut parties::Model, c: &PartyChanges, creating: bool) {
    let person = m.kind == PartyKind::Person.as_str();
    let required = |val: &mut Validator,
                    field: &str,
                    v: &Option<String>,
                    max: usize,
                    slot: &mut Option<String>| match v {
        Some(s) => {
            if let Some(t) = val.check(v::required_text(field, s, max)) {
                *slot = Some(t);
            }
        }
        None if creating => val.push(field, "is required"),
        None => {}
    };
    if person {
        required(val, "foreName", &c.fore_name, 100, &mut m.fore_name);
        required(val, "surname", &c.surname, 100, &mut m.surname);
        if let Some(mi) = &c.middle_initial {
            if let Some(t) = val.check(v::optional_text("middleInitial", mi, 3)) {
                m.middle_initial = t.map(|s| s.trim_end_matches('.').to_uppercase());
            }
        }
        if c.name.is_some() || c.industry.is_some() || c.website.is_some() {
            val.push("name", "belongs to organisations, not people");
        }
    } else {
        required(val, "name", &c.name, 200, &mut m.group_name);
        if let Some(s) = &c.industry {
            if let Some(t) = val.check(v::optional_text("industry", s, 100)) {
                m.industry = t;
            }
        }
        if let Some(s) = &c.website {
            if let Some(t) = val.check(v::website("website", s)) {
                m.website = t;
            }
        }
        if c.fore_name.is_some() || c.surname.is_some() || c.middle_initial.is_some() {
            val.push("foreName", "belongs to people, not organisations");
        }
    }
    if let Some(s) = &c.code {
        if let Some(Some(code)) = val.check(v::code("code", s)) {
            m.code = code;
        }
    }
    if let Some(s) = &c.area {
        if let Some(t) = val.check(v::optional_text("area", s, 100)) {
            m.area = t;
        }
    }
    if let Some(ct) = c.customer_type {
        m.customer_type = Some(ct.as_str().to_string());
    }
    if let Some(pp) = c.payment_preference {
        m.payment_preference = Some(pp.as_str().to_string());
    }
    if let Some(cur) = val.given(c.preferred_currency.as_deref(), |s| match s.trim() {
        "" => Ok(None),
        s => v::currency("preferredCurrency", s).map(Some),
    }) {
        m.preferred_currency = cur;
    }
    m.sort_name = display_name(m).to_lowercase();
}

/// Puts the roles a write names in order and checks the known ones against the party (errors on
/// `roleKeys` when the write named roles by key, else on `roles`); answers the known ones.
pub(super) fn settle_roles(
    val: &mut Validator,
    kind: PartyKind,
    roles: &mut Vec<String>,
    customer_type: Option<&str>,
    c: &PartyChanges,
) -> Vec<PartyRole> {
    sort_roles(roles);
    let known = known_roles(roles);
    let field = if c.role_keys.is_some() {
        "roleKeys"
    } else {
        "roles"
    };
    check_roles(val, kind, &known, customer_type, field);
    known
}

fn check_roles(
    val: &mut Validator,
    kind: PartyKind,
    roles: &[PartyRole],
    customer_type: Option<&str>,
    field: &str,
) {
    if roles.contains(&PartyRole::Account) && kind != PartyKind::Organization {
        val.push(field, "only organisations can be accounts");
    }
    if roles.contains(&PartyRole::Contact) && kind != PartyKind::Person {
        val.push(field, "only people can be contacts");
    }
    if roles.contains(&PartyRole::Customer) && customer_type.is_none() {
        val.push("customerType", "is required for customers (B2B or B2C)");
    }
}

crate::versioned!(parties, OBJECT, stamps updated_by, unique "code", kept [CreatedAt, CreatedBy], |m| snapshot(m));

/// The party's fields as the change log records them (API names).
pub fn snapshot(m: &parties::Model) -> Vec<(&'static str, Value)> {
    vec![
        ("code", json!(m.code)),
        ("name", json!(m.group_name)),
        ("foreName", json!(m.fore_name)),
        ("middleInitial", json!(m.middle_initial)),
        ("surname", json!(m.surname)),
        ("area", json!(m.area)),
        ("industry", json!(m.industry)),
        ("website", json!(m.website)),
        ("ownerId", json!(m.owner_id)),
        ("customerType", json!(m.customer_type)),
        ("paymentPreference", json!(m.payment_preference)),
        ("preferredCurrency", json!(m.preferred_currency)),
        ("archived", json!(m.archived_at.is_some())),
    ]
}

/// `{field: {before, after}}` between two versions of a row (`before` `None` for a creation).
pub fn diff(before: Option<&parties::Model>, after: &parties::Model) -> Value {
    changelog::diff_snapshots(before.map(snapshot), snapshot(after))
}

pub(super) fn roles_json(roles: &[String]) -> Value {
    json!(roles)
}

pub(super) async fn write_roles(
    txn: &impl ConnectionTrait,
    party: Uuid,
    roles: &[String],
) -> AppResult<()> {
    party_roles::Entity::delete_many()
        .filter(party_roles::Column::PartyId.eq(party))
        .exec(txn)
        .await?;
    let now = db::now();
    for r in roles {
        party_roles::ActiveModel {
            party_id: Set(party),
            role: Set(r.clone()),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Restricts a query to ids whose rows the caller may read (for relations).
pub fn visible(ctx: &RequestCtx, ids: &[Uuid]) -> AppResult<Select<parties::Entity>> {
    Ok(aggregate::visible::<PartyObject>(ctx, Action::Read)?
        .filter(parties::Column::Id.is_in(ids.iter().copied())))
}
