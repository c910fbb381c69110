//! The record timeline (SPEC A-3): one time-ordered stream per party or opportunity, merging its
//! change-log entries and the activities linked to it, newest first, keyset-paginated across both
//! sources (two statements a page, whatever it holds).

pub mod graphql;

use base64::Engine;
use chrono::{DateTime, Utc};
use entity::activities::{activities, activity_links};
use entity::change_log;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::domain::activities::kinds::LinkType;
use crate::domain::activities::service as acts;
use crate::domain::opportunities::service as opps;
use crate::domain::parties::service as parties_svc;
use crate::error::{AppError, AppResult};

/// A record with a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Party(Uuid),
    Opportunity(Uuid),
    /// A lead: its own log and its party's; activities link to its party.
    Lead(Uuid),
}

impl Record {
    fn id(self) -> Uuid {
        match self {
            Record::Party(id) | Record::Opportunity(id) | Record::Lead(id) => id,
        }
    }
    fn log_types(self) -> &'static [&'static str] {
        match self {
            Record::Party(_) => &["party", "account"],
            Record::Opportunity(_) => &["opportunity"],
            Record::Lead(_) => &["lead", "party"],
        }
    }
    fn link_type(self) -> LinkType {
        match self {
            Record::Party(_) | Record::Lead(_) => LinkType::Party,
            Record::Opportunity(_) => LinkType::Opportunity,
        }
    }
}

/// One entry of a timeline. (A page holds a few dozen; boxing the larger variant would buy
/// nothing.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Item {
    Change(change_log::Model),
    Activity(activities::Model),
}

/// When an activity sits on a timeline: its start, else its due time, else when it was written.
pub fn activity_time(a: &activities::Model) -> DateTime<Utc> {
    a.starts_at.or(a.due_at).unwrap_or(a.created_at)
}

impl Item {
    fn key(&self) -> Key {
        match self {
            Item::Change(c) => Key {
                t: c.occurred_at,
                s: 1,
                c: c.id,
                a: Uuid::nil(),
            },
            Item::Activity(a) => Key {
                t: activity_time(a),
                s: 0,
                c: 0,
                a: a.id,
            },
        }
    }

    /// The opaque cursor of this entry.
    pub fn cursor(&self) -> String {
        let json = serde_json::to_vec(&self.key()).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }
}

/// Position in the merged order: time descending, changes before activities at the same instant,
/// then id descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Key {
    t: DateTime<Utc>,
    s: u8,
    c: i64,
    a: Uuid,
}

impl Key {
    fn decode(s: &str) -> AppResult<Self> {
        let bad = || AppError::bad_input("after", "is not a cursor of this timeline");
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| bad())?;
        serde_json::from_slice(&raw).map_err(|_| bad())
    }

    fn sort(&self) -> (DateTime<Utc>, u8, i64, Uuid) {
        (self.t, self.s, self.c, self.a)
    }
}

/// Which kinds of entries to show.
#[derive(Debug, Clone, Copy)]
pub struct Kinds {
    pub changes: bool,
    pub activities: bool,
}

/// Fails with `NOT_FOUND` unless the caller may read the record.
async fn check_visible(db: &impl ConnectionTrait, ctx: &RequestCtx, r: Record) -> AppResult<()> {
    let seen = match r {
        Record::Party(id) => parties_svc::get(db, ctx, id).await?.is_some(),
        Record::Opportunity(id) => opps::get(db, ctx, id).await?.is_some(),
        Record::Lead(id) => crate::domain::leads::service::get(db, ctx, id)
            .await?
            .is_some(),
    };
    if seen {
        Ok(())
    } else {
        Err(AppError::NotFound("no such record".into()))
    }
}

fn changes_of(r: Record) -> Select<change_log::Entity> {
    change_log::Entity::find()
        .filter(change_log::Column::ObjectId.eq(r.id()))
        .filter(change_log::Column::ObjectType.is_in(r.log_types().iter().copied()))
}

fn at_expr() -> Expr {
    use activities::Column as C;
    Func::coalesce([
        Expr::col((activities::Entity, C::StartsAt)),
        Expr::col((activities::Entity, C::DueAt)),
        Expr::col((activities::Entity, C::CreatedAt)),
    ])
    .into()
}

fn activities_of(ctx: &RequestCtx, r: Record) -> AppResult<Select<activities::Entity>> {
    let ids = Query::select()
        .column(activity_links::Column::ActivityId)
        .from(activity_links::Entity)
        .and_where(Expr::col(activity_links::Column::ObjectType).eq(r.link_type().as_str()))
        .and_where(Expr::col(activity_links::Column::ObjectId).eq(r.id()))
        .to_owned();
    Ok(acts::visible(ctx)?.filter(activities::Column::Id.in_subquery(ids)))
}

/// One page of a record's timeline (the caller must be able to read the record), and whether
/// more follow.
pub async fn page(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    r: Record,
    kinds: Kinds,
    first: u64,
    after: Option<&str>,
) -> AppResult<(Vec<Item>, bool)> {
    check_visible(db, ctx, r).await?;
    let after = after.map(Key::decode).transpose()?;
    let mut items = Vec::new();
    if kinds.changes {
        let mut q = changes_of(r);
        if let Some(k) = after {
            use change_log::Column as C;
            q = q.filter(if k.s == 1 {
                Condition::any().add(C::OccurredAt.lt(k.t)).add(
                    Condition::all()
                        .add(C::OccurredAt.eq(k.t))
                        .add(C::Id.lt(k.c)),
                )
            } else {
                Condition::all().add(C::OccurredAt.lt(k.t))
            });
        }
        let rows = q
            .order_by_desc(change_log::Column::OccurredAt)
            .order_by_desc(change_log::Column::Id)
            .limit(first + 1)
            .all(db)
            .await?;
        items.extend(rows.into_iter().map(Item::Change));
    }
    if kinds.activities {
        let mut q = activities_of(ctx, r)?;
        if let Some(k) = after {
            q = q.filter(if k.s == 0 {
                Condition::any().add(at_expr().lt(k.t)).add(
                    Condition::all()
                        .add(at_expr().eq(k.t))
                        .add(activities::Column::Id.lt(k.a)),
                )
            } else {
                Condition::all().add(at_expr().lte(k.t))
            });
        }
        let rows = q
            .order_by(at_expr(), sea_orm::Order::Desc)
            .order_by_desc(activities::Column::Id)
            .limit(first + 1)
            .all(db)
            .await?;
        items.extend(rows.into_iter().map(Item::Activity));
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.key().sort()));
    let more = items.len() as u64 > first;
    items.truncate(first as usize);
    Ok((items, more))
}

/// How many entries the timeline holds.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    r: Record,
    kinds: Kinds,
) -> AppResult<u64> {
    let mut n = 0;
    if kinds.changes {
        n += changes_of(r).count(db).await?;
    }
    if kinds.activities {
        n += activities_of(ctx, r)?.count(db).await?;
    }
    Ok(n)
}
