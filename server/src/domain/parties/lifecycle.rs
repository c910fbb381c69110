//! No silent deletion: deletion requests approved or rejected by a manager, restore, hard delete of
//! unreferenced archived parties, and erasure of a person's personal data.

use entity::change_log;
use entity::parties::{contact_mechanisms as cm, parties, party_relationships as rel, party_roles};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::kinds::PartyKind;
use super::policy::PartyObject;
use super::service::{diff, load_for, save};
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::validation as v;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::write::Write;
use crate::policy::Action;
use crate::state::AppState;

const OBJECT: &str = PartyObject::OBJECT;

/// Lifecycle states stored in `parties.status`.
pub mod status {
    pub const ACTIVE: &str = "ACTIVE";
    pub const DELETION_REQUESTED: &str = "DELETION_REQUESTED";
    pub const ARCHIVED: &str = "ARCHIVED";
    pub const MERGED: &str = "MERGED";
    pub const ERASED: &str = "ERASED";
}

fn expect_status(m: &parties::Model, wanted: &[&str], what: &str) -> AppResult<()> {
    if wanted.contains(&m.status.as_str()) {
        Ok(())
    } else {
        Err(AppError::bad_input(
            "id",
            format!(
                "{what} is not possible while the party is {}",
                m.status.to_lowercase().replace('_', " ")
            ),
        ))
    }
}

/// Asks a manager to delete a party (anyone who may update it).
pub async fn request_deletion(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    reason: &str,
) -> AppResult<parties::Model> {
    let current = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let reason =
        v::required_long_text("reason", reason, 500).map_err(|e| AppError::BadInput(vec![e]))?;
    expect_status(&current, &[status::ACTIVE], "requesting deletion")?;
    let mut next = current.clone();
    next.status = status::DELETION_REQUESTED.into();
    next.deletion_requested_at = Some(db::now());
    next.deletion_requested_by = Some(actor.user_id);
    next.deletion_reason = Some(reason.clone());
    let changes = json!({"status": {"before": current.status, "after": next.status}, "reason": {"before": null, "after": reason}});
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = save(
        &mut w,
        OBJECT,
        &current,
        next,
        version,
        "deletion_requested",
        changes,
    )
    .await?;
    w.commit().await?;
    Ok(m)
}

/// Approves (archives the party) or rejects a deletion request; needs `approve_deletion`.
pub async fn decide_deletion(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    approve: bool,
) -> AppResult<parties::Model> {
    let current = load_for(&state.db, ctx, id, Action::ApproveDeletion).await?;
    expect_status(
        &current,
        &[status::DELETION_REQUESTED],
        "deciding on deletion",
    )?;
    let mut next = current.clone();
    next.deletion_requested_at = None;
    next.deletion_requested_by = None;
    next.deletion_reason = None;
    let action = if approve {
        next.status = status::ARCHIVED.into();
        next.archived_at = Some(db::now());
        "deletion_approved"
    } else {
        next.status = status::ACTIVE.into();
        "deletion_rejected"
    };
    let mut changes = diff(Some(&current), &next);
    if let Value::Object(map) = &mut changes {
        map.insert(
            "status".into(),
            json!({"before": current.status, "after": next.status}),
        );
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = save(&mut w, OBJECT, &current, next, version, action, changes).await?;
    w.commit().await?;
    Ok(m)
}

/// Brings an archived party back; needs `archive`.
pub async fn restore(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<parties::Model> {
    let current = load_for(&state.db, ctx, id, Action::Archive).await?;
    expect_status(&current, &[status::ARCHIVED], "restoring")?;
    let mut next = current.clone();
    next.status = status::ACTIVE.into();
    next.archived_at = None;
    let changes = json!({"status": {"before": current.status, "after": next.status}, "archived": {"before": true, "after": false}});
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = save(&mut w, OBJECT, &current, next, version, "restore", changes).await?;
    w.commit().await?;
    Ok(m)
}

/// How many records refer to a party (relationships, merges; later opportunities, tickets, …).
pub async fn references(db: &impl ConnectionTrait, id: Uuid) -> AppResult<u64> {
    let rels = rel::Entity::find()
        .filter(
            Condition::any()
                .add(rel::Column::FromPartyId.eq(id))
                .add(rel::Column::ToPartyId.eq(id)),
        )
        .count(db)
        .await?;
    let merged =
        aggregate::unscoped::<PartyObject>("references by anyone's records block a deletion")
            .filter(parties::Column::MergedInto.eq(id))
            .count(db)
            .await?;
    Ok(rels + merged)
}

/// Deletes an archived party for good, if nothing refers to it; needs `approve_deletion`.
pub async fn hard_delete(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    let current = load_for(&state.db, ctx, id, Action::ApproveDeletion).await?;
    expect_status(&current, &[status::ARCHIVED], "deleting")?;
    let refs = references(&state.db, id).await?;
    if refs > 0 {
        return Err(AppError::bad_input(
            "id",
            format!("the party is referenced by {refs} other record(s) and cannot be deleted; it stays archived"),
        ));
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    cm::Entity::delete_many()
        .filter(cm::Column::PartyId.eq(id))
        .exec(w.txn())
        .await?;
    party_roles::Entity::delete_many()
        .filter(party_roles::Column::PartyId.eq(id))
        .exec(w.txn())
        .await?;
    parties::Entity::delete_by_id(id).exec(w.txn()).await?;
    w.log(
        OBJECT,
        id,
        "deleted",
        json!({"code": {"before": current.code, "after": null}}),
    )
    .await?;
    w.commit().await
}

/// Replaces every value in a change-log `changes` object with `"[erased]"`.
fn scrub(changes: &Value) -> Value {
    let Value::Object(map) = changes else {
        return json!({});
    };
    let mut out = Map::new();
    for (field, pair) in map {
        let erased = |v: Option<&Value>| {
            if v.is_some_and(|x| !x.is_null()) {
                json!("[erased]")
            } else {
                Value::Null
            }
        };
        out.insert(
            field.clone(),
            json!({"before": erased(pair.get("before")), "after": erased(pair.get("after"))}),
        );
    }
    Value::Object(out)
}

/// Erases a person's personal data: names anonymised, contact mechanisms and tax ids removed, personal values
/// scrubbed from the change log; the party, its code, roles and business links stay. Needs `erase`.
pub async fn erase(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<parties::Model> {
    let current = load_for(&state.db, ctx, id, Action::Erase).await?;
    if current.kind != PartyKind::Person.as_str() {
        return Err(AppError::bad_input(
            "id",
            "only people have personal data to erase",
        ));
    }
    if current.status == status::ERASED {
        return Err(AppError::bad_input(
            "id",
            "the person's data is erased already",
        ));
    }
    let mut next = current.clone();
    next.fore_name = Some("Erased".into());
    next.middle_initial = None;
    next.surname = Some("Person".into());
    next.sort_name = "erased person".into();
    next.payment_preference = None;
    next.deletion_reason = None;
    next.status = status::ERASED.into();
    next.archived_at = next.archived_at.or(Some(db::now()));
    let mut w = Write::begin(state, Some(ctx)).await?;
    for row in change_log::Entity::find()
        .filter(change_log::Column::ObjectId.eq(id))
        .all(w.txn())
        .await?
    {
        let scrubbed = scrub(&row.changes);
        let mut am: change_log::ActiveModel = row.into();
        am.changes = sea_orm::ActiveValue::Set(scrubbed);
        am.update(w.txn()).await?;
    }
    // A lead's own free text may hold personal data too.
    entity::leads::leads::Entity::update_many()
        .set(entity::leads::leads::ActiveModel {
            job_title: sea_orm::ActiveValue::Set(None),
            description: sea_orm::ActiveValue::Set(None),
            ..Default::default()
        })
        .filter(entity::leads::leads::Column::PartyId.eq(id))
        .exec(w.txn())
        .await?;
    let removed = cm::Entity::delete_many()
        .filter(cm::Column::PartyId.eq(id))
        .exec(w.txn())
        .await?;
    let tax_ids = super::identifiers::erase_tax_ids(w.txn(), id).await?;
    let changes = json!({"personalData": {"before": "[erased]", "after": null}, "contactMechanismsRemoved": {"before": removed.rows_affected, "after": 0}, "taxIdsRemoved": {"before": tax_ids, "after": 0}});
    let m = save(&mut w, OBJECT, &current, next, version, "erased", changes).await?;
    w.commit().await?;
    Ok(m)
}
