//! Relationships between parties: dated, typed links with a role label.

use chrono::NaiveDate;
use entity::parties::{parties, party_relationships as rel};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::kinds::{relationship_type, PartyKind};
use super::policy::PartyObject;
use super::service::{get, load_for};
use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::domain::picklists::{self, PicklistKey};
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::events::ChangeEvent;
use crate::kit::aggregate::Aggregate;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::Write;
use crate::policy::Action;
use crate::state::AppState;

const OBJECT: &str = PartyObject::OBJECT;
const ORDERING: &str = "RELATIONSHIP_CREATED_DESC";

/// A new relationship as given.
#[derive(Debug, Clone)]
pub struct NewRelationship {
    pub from: Uuid,
    pub to: Uuid,
    /// A key of the `relationship_type` pick-list.
    pub kind: String,
    pub role_label: Option<String>,
    pub valid_from: Option<String>,
    /// Free text about the relationship, several lines.
    pub comment: Option<String>,
}

fn parse_date(field: &str, s: Option<&str>) -> AppResult<Option<NaiveDate>> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::bad_input(field, "must be a date such as 2026-01-31")),
    }
}

fn kind_of(m: &parties::Model) -> Option<PartyKind> {
    PartyKind::parse(&m.kind)
}

/// Links two parties. The caller must be allowed to update the `from` party and to see the `to` party.
pub async fn add(state: &AppState, ctx: &RequestCtx, r: NewRelationship) -> AppResult<rel::Model> {
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (row, events) = add_in(w.txn(), ctx, r).await?;
    for e in events {
        w.adopt(e);
    }
    w.commit().await?;
    Ok(row)
}

/// Links two parties inside the caller's transaction; returns the change events of both ends.
pub async fn add_in(
    txn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    r: NewRelationship,
) -> AppResult<(rel::Model, Vec<ChangeEvent>)> {
    let from = load_for(txn, ctx, r.from, Action::Update).await?;
    let to = get(txn, ctx, r.to)
        .await?
        .ok_or_else(|| AppError::bad_input("toId", "is not a party you can see"))?;
    let actor = ctx.actor()?;
    let mut val = Validator::default();
    if from.id == to.id {
        val.push("toId", "must differ from fromId");
    }
    val.absorb(
        picklists::service::check_choice(
            txn,
            PicklistKey::RelationshipType,
            "relationshipType",
            &r.kind,
            None,
        )
        .await,
    )?;
    let (want_from, want_to) = relationship_type::ends(&r.kind);
    if want_from.is_some_and(|k| Some(k) != kind_of(&from))
        || want_to.is_some_and(|k| Some(k) != kind_of(&to))
    {
        val.push("relationshipType", relationship_type::ends_rule(&r.kind));
    }
    let label = r
        .role_label
        .as_deref()
        .and_then(|s| val.check(v::optional_text("roleLabel", s, 100)))
        .flatten();
    let comment = r
        .comment
        .as_deref()
        .and_then(|s| val.check(v::long_text("comment", s, 2000)))
        .flatten();
    let valid_from = match parse_date("validFrom", r.valid_from.as_deref()) {
        Ok(d) => d,
        Err(AppError::BadInput(mut e)) => {
            val.push(&e.remove(0).field, "must be a date such as 2026-01-31");
            None
        }
        Err(e) => return Err(e),
    };
    val.finish()?;
    let exists = rel::Entity::find()
        .filter(rel::Column::FromPartyId.eq(from.id))
        .filter(rel::Column::ToPartyId.eq(to.id))
        .filter(rel::Column::Kind.eq(r.kind.as_str()))
        .filter(rel::Column::ValidTo.is_null())
        .count(txn)
        .await?;
    if exists > 0 {
        return Err(AppError::bad_input(
            "relationshipType",
            "this relationship exists already",
        ));
    }
    let row = rel::Model {
        id: Uuid::new_v4(),
        from_party_id: from.id,
        to_party_id: to.id,
        kind: r.kind.clone(),
        role_label: label,
        valid_from,
        valid_to: None,
        comment,
        created_at: db::now(),
        created_by: Some(actor.user_id),
    };
    rel::ActiveModel::from(row.clone()).insert(txn).await?;
    // Each end's history reads the link as its profile does: "Has contact Jane Doe (P-000042)".
    let type_label = picklists::service::label_of(txn, PicklistKey::RelationshipType, &r.kind)
        .await?
        .unwrap_or_else(|| r.kind.clone());
    let mut cursors = Vec::new();
    for (party, other, outgoing) in [(&from, &to, true), (&to, &from, false)] {
        let reads = format!(
            "{} {} ({})",
            relationship_type::reading(&r.kind, &type_label, outgoing),
            crate::domain::parties::service::display_name(other),
            other.code
        );
        let c = changelog::record(
            txn,
            Some(actor.user_id),
            OBJECT,
            party.id,
            "relationship_added",
            json!({"relationship": {"before": null, "after": reads}}),
        )
        .await?;
        cursors.push((c, party.id));
    }
    let events = cursors
        .into_iter()
        .map(|(c, id)| ChangeEvent::new(c, OBJECT, id, "relationship_added"))
        .collect();
    Ok((row, events))
}

/// Ends a relationship on `valid_to` (default today).
pub async fn end(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    valid_to: Option<String>,
) -> AppResult<rel::Model> {
    let row = rel::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such relationship".into()))?;
    let from = load_for(&state.db, ctx, row.from_party_id, Action::Update)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => AppError::NotFound("no such relationship".into()),
            other => other,
        })?;
    let actor = ctx.actor()?;
    let end = parse_date("validTo", valid_to.as_deref())?.unwrap_or_else(|| db::now().date_naive());
    if row.valid_to.is_some() {
        return Err(AppError::bad_input(
            "id",
            "the relationship has ended already",
        ));
    }
    if row.valid_from.is_some_and(|f| end < f) {
        return Err(AppError::bad_input(
            "validTo",
            "must not be before the relationship's start",
        ));
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut am: rel::ActiveModel = row.clone().into();
    am.valid_to = sea_orm::ActiveValue::Set(Some(end));
    let updated = am.update(w.txn()).await?;
    let cursor = changelog::record(
        w.txn(),
        Some(actor.user_id),
        OBJECT,
        from.id,
        "relationship_ended",
        json!({"validTo": {"before": null, "after": end.to_string()}}),
    )
    .await?;
    w.adopt(ChangeEvent::new(
        cursor,
        OBJECT,
        from.id,
        "relationship_ended",
    ));
    w.commit().await?;
    Ok(updated)
}

/// One page of a party's relationships whose other end the caller may see, newest first,
/// with the total.
pub async fn of_party(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    party: Uuid,
    page: &Page,
) -> AppResult<(Vec<rel::Model>, bool, u64)> {
    let scope = crate::kit::aggregate::scope::<PartyObject>(ctx, Action::Read)?;
    // The other end must be visible: a correlated EXISTS (a primary-key probe per relationship),
    // never a list of every visible party.
    let visible = |end: rel::Column| {
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(parties::Entity)
                .and_where(
                    Expr::col((parties::Entity, parties::Column::Id)).equals((rel::Entity, end)),
                )
                .cond_where(scope.clone())
                .to_owned(),
        )
    };
    let base = rel::Entity::find().filter(
        Condition::any()
            .add(
                Condition::all()
                    .add(rel::Column::FromPartyId.eq(party))
                    .add(visible(rel::Column::ToPartyId)),
            )
            .add(
                Condition::all()
                    .add(rel::Column::ToPartyId.eq(party))
                    .add(visible(rel::Column::FromPartyId)),
            ),
    );
    let total = base.clone().count(db).await?;
    let mut q = base;
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, ORDERING)?;
        let SortValue::Time(t) = c.k else {
            return Err(AppError::bad_input("after", "is not a cursor of this list"));
        };
        q = q.filter(
            Condition::any().add(rel::Column::CreatedAt.lt(t)).add(
                Condition::all()
                    .add(rel::Column::CreatedAt.eq(t))
                    .add(rel::Column::Id.lt(c.id)),
            ),
        );
    }
    let mut rows = q
        .order_by_desc(rel::Column::CreatedAt)
        .order_by_desc(rel::Column::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more, total))
}

/// The cursor of a relationship in [`of_party`] order.
pub fn cursor(r: &rel::Model) -> String {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Time(r.created_at),
        id: r.id,
    }
    .encode()
}
