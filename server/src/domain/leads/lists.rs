//! Static contact lists: named sets of parties (leads, contacts, organisations). Lists carry the
//! `contact_list` row scope on their owner; members are shown and counted only where the caller
//! may read the party.

use std::collections::HashMap;

use entity::leads::{contact_list_members as clm, contact_lists};
use entity::parties::parties;
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde_json::json;
use uuid::Uuid;

use super::policy::ContactListObject;
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::parties::policy::PartyObject;
use crate::domain::parties::service as parties_svc;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::filters::icontains;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

/// The object name of contact lists in grants and in the change log.
pub const OBJECT: &str = ContactListObject::OBJECT;

/// Lists within the caller's row scope for `action`.
pub fn scoped(ctx: &RequestCtx, action: Action) -> AppResult<Select<contact_lists::Entity>> {
    aggregate::visible::<ContactListObject>(ctx, action)
}

/// One list the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<contact_lists::Model>> {
    Ok(scoped(ctx, Action::Read)?
        .filter(contact_lists::Column::Id.eq(id))
        .one(db)
        .await?)
}

fn filter(search: Option<&str>, include_archived: bool) -> Condition {
    let mut c = Condition::all();
    if !include_archived {
        c = c.add(contact_lists::Column::ArchivedAt.is_null());
    }
    if let Some(t) = search.map(str::trim).filter(|t| !t.is_empty()) {
        c = c.add(icontains(
            Expr::col((contact_lists::Entity, contact_lists::Column::Name)),
            t,
        ));
    }
    c
}

const ORDERING: &str = "LIST_NAME_ASC";

/// The cursor of a list in name order.
pub fn cursor(m: &contact_lists::Model) -> String {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Text(m.name.clone()),
        id: m.id,
    }
    .encode()
}

/// A keyset page of visible lists by name.
pub async fn page(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    search: Option<&str>,
    include_archived: bool,
    page: &Page,
) -> AppResult<(Vec<contact_lists::Model>, bool)> {
    use contact_lists::Column as C;
    let mut q = scoped(ctx, Action::Read)?.filter(filter(search, include_archived));
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, ORDERING)?;
        let SortValue::Text(name) = c.k else {
            return Err(AppError::bad_input("after", "is not a cursor of this list"));
        };
        q = q.filter(
            Condition::any()
                .add(C::Name.gt(name.clone()))
                .add(Condition::all().add(C::Name.eq(name)).add(C::Id.gt(c.id))),
        );
    }
    let mut rows = q
        .order_by_asc(C::Name)
        .order_by_asc(C::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more))
}

/// How many visible lists match.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    search: Option<&str>,
    include_archived: bool,
) -> AppResult<u64> {
    Ok(scoped(ctx, Action::Read)?
        .filter(filter(search, include_archived))
        .count(db)
        .await?)
}

fn clean_name(val: &mut Validator, name: &str) -> Option<String> {
    val.check(v::required_text("name", name, 200))
}

fn clean_description(val: &mut Validator, d: &str) -> Option<Option<String>> {
    val.check(v::long_text("description", d, 1000))
}

crate::versioned!(contact_lists, ContactListObject::OBJECT, kept [], |m| {
    vec![
        ("name", json!(m.name)),
        ("description", json!(m.description)),
        ("ownerId", json!(m.owner_id)),
        ("archived", json!(m.archived_at.is_some())),
    ]
});

/// Creates a static list.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    name: &str,
    description: Option<&str>,
    owner: Option<Uuid>,
) -> AppResult<contact_lists::Model> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let mut val = Validator::default();
    let name = clean_name(&mut val, name);
    let description = description
        .and_then(|d| clean_description(&mut val, d))
        .flatten();
    val.finish()?;
    let owner = owner.unwrap_or(actor.user_id);
    parties_svc::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
    let now = db::now();
    let m = contact_lists::Model {
        id: Uuid::new_v4(),
        name: name.unwrap_or_default(),
        description,
        kind: "STATIC".into(),
        owner_id: owner,
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
    };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.insert(m).await?;
    w.commit().await?;
    Ok(m)
}

async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
) -> AppResult<contact_lists::Model> {
    let m = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such contact list".into()))?;
    policy::check_reach(ctx, OBJECT, action, Some(m.owner_id), "contact list")?;
    Ok(m)
}

async fn save(
    state: &AppState,
    ctx: &RequestCtx,
    current: contact_lists::Model,
    next: contact_lists::Model,
    version: i32,
    action: &str,
) -> AppResult<contact_lists::Model> {
    let mut w = Write::begin(state, Some(ctx)).await?;
    let next = w.save(&current, next, version, action).await?;
    w.commit().await?;
    Ok(next)
}

/// Renames a list or changes its description at `version`.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    name: Option<&str>,
    description: Option<&str>,
) -> AppResult<contact_lists::Model> {
    let current = load_for(&state.db, ctx, id, Action::Update).await?;
    let mut next = current.clone();
    let mut val = Validator::default();
    if let Some(n) = name.and_then(|n| clean_name(&mut val, n)) {
        next.name = n;
    }
    if let Some(d) = description.and_then(|d| clean_description(&mut val, d)) {
        next.description = d;
    }
    val.finish()?;
    save(state, ctx, current, next, version, "update").await
}

/// Archives or restores a list at `version`.
pub async fn set_archived(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    archived: bool,
) -> AppResult<contact_lists::Model> {
    let current = load_for(&state.db, ctx, id, Action::Archive).await?;
    let mut next = current.clone();
    next.archived_at = archived.then(db::now);
    let action = if archived { "archive" } else { "restore" };
    save(state, ctx, current, next, version, action).await
}

/// Adds a party to a list inside the caller's transaction (nothing when it is a member already).
pub async fn add_member_in(
    txn: &impl ConnectionTrait,
    by: Option<Uuid>,
    list: Uuid,
    party: Uuid,
) -> AppResult<bool> {
    let exists = clm::Entity::find_by_id((list, party)).count(txn).await? > 0;
    if !exists {
        clm::ActiveModel::from(clm::Model {
            list_id: list,
            party_id: party,
            added_at: db::now(),
            added_by: by,
        })
        .insert(txn)
        .await?;
    }
    Ok(!exists)
}

/// Adds or removes members (parties the caller may read) at the list's current state.
pub async fn change_members(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    parties: &[Uuid],
    add: bool,
) -> AppResult<contact_lists::Model> {
    let list = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    if parties.is_empty() || parties.len() > 500 {
        return Err(AppError::bad_input(
            "partyIds",
            "must name between 1 and 500 parties",
        ));
    }
    let seen: Vec<Uuid> = parties_svc::visible(ctx, parties)?
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut val = Validator::default();
    for (i, p) in parties.iter().enumerate() {
        if !seen.contains(p) {
            val.push(&format!("partyIds.{i}"), "is not a party you can see");
        }
    }
    val.finish()?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut changed = Vec::new();
    for p in parties {
        let did = if add {
            add_member_in(w.txn(), Some(actor.user_id), id, *p).await?
        } else {
            clm::Entity::delete_by_id((id, *p))
                .exec(w.txn())
                .await?
                .rows_affected
                > 0
        };
        if did {
            changed.push(p.to_string());
        }
    }
    let action = if add {
        "members_added"
    } else {
        "members_removed"
    };
    w.log(
        OBJECT,
        id,
        action,
        json!({ "members": { "before": null, "after": changed } }),
    )
    .await?;
    w.commit().await?;
    Ok(list)
}

/// The ids of parties the caller may read, as a subquery.
fn readable_parties(ctx: &RequestCtx) -> AppResult<SelectStatement> {
    let scope = crate::kit::aggregate::scope::<PartyObject>(ctx, Action::Read)?;
    Ok(Query::select()
        .column(parties::Column::Id)
        .from(parties::Entity)
        .cond_where(scope)
        .to_owned())
}

const MEMBER_ORDERING: &str = "MEMBER_ADDED_DESC";

/// The cursor of a member in [`members`] order.
pub fn member_cursor(m: &clm::Model) -> String {
    Cursor {
        o: MEMBER_ORDERING.into(),
        k: SortValue::Time(m.added_at),
        id: m.party_id,
    }
    .encode()
}

fn member_query(ctx: &RequestCtx, list: Uuid) -> AppResult<Select<clm::Entity>> {
    Ok(clm::Entity::find()
        .filter(clm::Column::ListId.eq(list))
        .filter(clm::Column::PartyId.in_subquery(readable_parties(ctx)?)))
}

/// A page of the members the caller may read, newest first.
pub async fn members(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    list: Uuid,
    page: &Page,
) -> AppResult<(Vec<clm::Model>, bool)> {
    db::newest_first(
        db,
        member_query(ctx, list)?,
        clm::Column::AddedAt,
        clm::Column::PartyId,
        MEMBER_ORDERING,
        page,
    )
    .await
}

/// How many members of each list the caller may read.
pub async fn member_counts(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    lists: &[Uuid],
) -> AppResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = clm::Entity::find()
        .select_only()
        .column(clm::Column::ListId)
        .column_as(clm::Column::PartyId.count(), "n")
        .filter(clm::Column::ListId.is_in(lists.iter().copied()))
        .filter(clm::Column::PartyId.in_subquery(readable_parties(ctx)?))
        .group_by(clm::Column::ListId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The visible lists holding each party.
pub async fn lists_of(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    parties: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<contact_lists::Model>>> {
    let memberships = clm::Entity::find()
        .filter(clm::Column::PartyId.is_in(parties.iter().copied()))
        .all(db)
        .await?;
    if memberships.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<Uuid> = memberships.iter().map(|m| m.list_id).collect();
    let lists: HashMap<Uuid, contact_lists::Model> = scoped(ctx, Action::Read)?
        .filter(contact_lists::Column::Id.is_in(ids))
        .filter(contact_lists::Column::ArchivedAt.is_null())
        .order_by_asc(contact_lists::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut out: HashMap<Uuid, Vec<contact_lists::Model>> = HashMap::new();
    for m in memberships {
        if let Some(l) = lists.get(&m.list_id) {
            out.entry(m.party_id).or_default().push(l.clone());
        }
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(out)
}
