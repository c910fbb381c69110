//! Duplicates and merge: likely duplicates of a party, and merging one party into another with
//! every reference re-pointed in one transaction.

use std::collections::HashSet;

use entity::parties::{contact_mechanisms as cm, parties, party_relationships as rel, party_roles};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::kinds::ContactMechanismKind;
use super::lifecycle::status;
use super::policy::PartyObject;
use super::service::{get, load_for, roles_of, save};
use crate::auth::RequestCtx;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::write::Write;
use crate::policy::Action;
use crate::state::AppState;

const OBJECT: &str = PartyObject::OBJECT;

/// Why two parties look alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    SameEmail,
    SameNameAndOrganization,
    SameName,
}

/// Active parties of the same kind that the caller may see and that likely are the same as `id`:
/// sharing an e-mail address, or with the same name (and, for people, a shared organisation).
pub async fn duplicates(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Vec<(parties::Model, Reason)>> {
    let me = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such party".into()))?;
    let visible = aggregate::visible::<PartyObject>(ctx, Action::Read)?;
    let base = || {
        visible
            .clone()
            .filter(parties::Column::Kind.eq(me.kind.as_str()))
            .filter(parties::Column::Id.ne(id))
            .filter(parties::Column::ArchivedAt.is_null())
    };
    let emails = Query::select()
        .column(cm::Column::MatchKey)
        .from(cm::Entity)
        .and_where(Expr::col(cm::Column::PartyId).eq(id))
        .and_where(Expr::col(cm::Column::Kind).eq(ContactMechanismKind::Email.as_str()))
        .to_owned();
    let sharing_email = Query::select()
        .column(cm::Column::PartyId)
        .from(cm::Entity)
        .and_where(Expr::col(cm::Column::Kind).eq(ContactMechanismKind::Email.as_str()))
        .and_where(Expr::col(cm::Column::MatchKey).in_subquery(emails))
        .to_owned();
    let mut out: Vec<(parties::Model, Reason)> = base()
        .filter(parties::Column::Id.in_subquery(sharing_email))
        .limit(20)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m, Reason::SameEmail))
        .collect();
    let seen: HashSet<Uuid> = out.iter().map(|(m, _)| m.id).collect();
    let same_name = base()
        .filter(parties::Column::SortName.eq(me.sort_name.as_str()))
        .limit(20)
        .all(db)
        .await?;
    if !same_name.is_empty() {
        let mine: HashSet<Uuid> = rel::Entity::find()
            .select_only()
            .column(rel::Column::ToPartyId)
            .filter(rel::Column::FromPartyId.eq(id))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let ids: Vec<Uuid> = same_name.iter().map(|m| m.id).collect();
        let links: Vec<(Uuid, Uuid)> = rel::Entity::find()
            .select_only()
            .column(rel::Column::FromPartyId)
            .column(rel::Column::ToPartyId)
            .filter(rel::Column::FromPartyId.is_in(ids))
            .into_tuple()
            .all(db)
            .await?;
        for m in same_name {
            if seen.contains(&m.id) {
                continue;
            }
            let shares_org = links.iter().any(|(f, t)| *f == m.id && mine.contains(t));
            let reason = if shares_org {
                Reason::SameNameAndOrganization
            } else if me.kind == super::kinds::PartyKind::Organization.as_str() {
                Reason::SameName
            } else {
                // People who only share a name are not likely duplicates.
                continue;
            };
            out.push((m, reason));
        }
    }
    Ok(out)
}

/// Merges `merged` into `survivor`: contact mechanisms, relationships and roles move over (exact
/// duplicates dropped), empty fields of the survivor are filled, and the merged party is archived
/// as MERGED, pointing at the survivor. One transaction; both parties' change logs record it.
pub async fn merge(
    state: &AppState,
    ctx: &RequestCtx,
    survivor_id: Uuid,
    survivor_version: i32,
    merged_id: Uuid,
    merged_version: i32,
) -> AppResult<parties::Model> {
    if survivor_id == merged_id {
        return Err(AppError::bad_input(
            "mergedId",
            "must differ from survivorId",
        ));
    }
    let survivor = load_for(&state.db, ctx, survivor_id, Action::Update).await?;
    let merged = load_for(&state.db, ctx, merged_id, Action::Update).await?;
    if survivor.kind != merged.kind {
        return Err(AppError::bad_input(
            "mergedId",
            "people merge only with people, organisations with organisations",
        ));
    }
    for (p, field) in [(&survivor, "survivorId"), (&merged, "mergedId")] {
        if p.status != status::ACTIVE {
            return Err(AppError::bad_input(
                field,
                "only active parties can be merged",
            ));
        }
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    // Contact mechanisms: move, dropping duplicates of the survivor's (e-mails compared by key).
    let same = |m: &cm::Model| {
        (
            m.kind.clone(),
            m.match_key.clone().unwrap_or(m.value.clone()),
        )
    };
    let existing: HashSet<(String, String)> = cm::Entity::find()
        .filter(cm::Column::PartyId.eq(survivor_id))
        .all(w.txn())
        .await?
        .iter()
        .map(same)
        .collect();
    let mut moved_mechanisms = 0;
    for m in cm::Entity::find()
        .filter(cm::Column::PartyId.eq(merged_id))
        .all(w.txn())
        .await?
    {
        if existing.contains(&same(&m)) {
            cm::Entity::delete_by_id(m.id).exec(w.txn()).await?;
        } else {
            let mut am: cm::ActiveModel = m.into();
            am.party_id = sea_orm::ActiveValue::Set(survivor_id);
            am.update(w.txn()).await?;
            moved_mechanisms += 1;
        }
    }
    let moved_identifiers = super::identifiers::move_to(w.txn(), merged_id, survivor_id).await?;
    // Relationships: re-point both ends; links between the two parties disappear.
    rel::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(rel::Column::FromPartyId.eq(merged_id))
                        .add(rel::Column::ToPartyId.eq(survivor_id)),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(rel::Column::FromPartyId.eq(survivor_id))
                        .add(rel::Column::ToPartyId.eq(merged_id)),
                ),
        )
        .exec(w.txn())
        .await?;
    let from = rel::Entity::update_many()
        .col_expr(rel::Column::FromPartyId, Expr::val(survivor_id))
        .filter(rel::Column::FromPartyId.eq(merged_id))
        .exec(w.txn())
        .await?;
    let to = rel::Entity::update_many()
        .col_expr(rel::Column::ToPartyId, Expr::val(survivor_id))
        .filter(rel::Column::ToPartyId.eq(merged_id))
        .exec(w.txn())
        .await?;
    // Merged parties that pointed at the merged one now point at the survivor.
    parties::Entity::update_many()
        .col_expr(parties::Column::MergedInto, Expr::val(survivor_id))
        .filter(parties::Column::MergedInto.eq(merged_id))
        .exec(w.txn())
        .await?;
    // Roles: the union.
    let roles = roles_of(w.txn(), &[survivor_id, merged_id]).await?;
    let have: HashSet<String> = roles
        .get(&survivor_id)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect();
    for r in roles.get(&merged_id).cloned().unwrap_or_default() {
        if !have.contains(&r) {
            party_roles::ActiveModel {
                party_id: sea_orm::ActiveValue::Set(survivor_id),
                role: sea_orm::ActiveValue::Set(r),
                created_at: sea_orm::ActiveValue::Set(db::now()),
            }
            .insert(w.txn())
            .await?;
        }
    }
    let mut next = survivor.clone();
    next.area = next.area.or(merged.area.clone());
    next.industry = next.industry.or(merged.industry.clone());
    next.website = next.website.or(merged.website.clone());
    next.customer_type = next.customer_type.or(merged.customer_type.clone());
    next.payment_preference = next
        .payment_preference
        .or(merged.payment_preference.clone());
    next.preferred_currency = next
        .preferred_currency
        .or(merged.preferred_currency.clone());
    next.middle_initial = next.middle_initial.or(merged.middle_initial.clone());
    let summary = json!({"merged": {"before": merged.code, "after": survivor.code},
        "contactMechanismsMoved": {"before": null, "after": moved_mechanisms},
        "identifiersMoved": {"before": null, "after": moved_identifiers},
        "relationshipsMoved": {"before": null, "after": from.rows_affected + to.rows_affected}});
    let m = save(
        &mut w,
        OBJECT,
        &survivor,
        next,
        survivor_version,
        "merged_in",
        summary.clone(),
    )
    .await?;
    let mut gone = merged.clone();
    gone.status = status::MERGED.into();
    gone.archived_at = Some(db::now());
    gone.merged_into = Some(survivor_id);
    save(
        &mut w,
        OBJECT,
        &merged,
        gone,
        merged_version,
        "merged_into",
        summary,
    )
    .await?;
    w.commit().await?;
    Ok(m)
}
