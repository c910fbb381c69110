//! GraphQL of the record timeline: a union of change-log entries and activities.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, Object, Union, ID};

use super::{Item, Kinds, Record};
use crate::domain::activities::graphql::Activity;
use crate::domain::parties::graphql::TimelineEntry;
use crate::domain::parties::operations::party_id;
use crate::domain::users::loaders::UserLoader;
use crate::error::{AppError, AppResult};
use crate::kit::ids::parse_global_id;
use crate::kit::paging::Page;
use crate::kit::paging::{prime, TotalCount};

/// One entry of a record's timeline.
#[allow(clippy::large_enum_variant)]
#[derive(Union)]
pub enum TimelineItem {
    /// A change: fields, stage moves, merges, conversions …
    Change(TimelineEntry),
    Activity(Activity),
}

/// The kinds of timeline entries.
#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum TimelineKind {
    Change,
    Activity,
}

fn record_of(id: &ID) -> AppResult<Record> {
    match parse_global_id(id) {
        Some((ty, uuid)) if ty == "Opportunity" => Ok(Record::Opportunity(uuid)),
        Some((ty, uuid)) if ty == "Lead" => Ok(Record::Lead(uuid)),
        Some(_) => Ok(Record::Party(party_id(id, "recordId")?)),
        None => Err(AppError::bad_input(
            "recordId",
            "is not a party or opportunity id",
        )),
    }
}

/// Timeline queries.
#[derive(Default)]
pub struct TimelineQuery;

#[Object]
impl TimelineQuery {
    /// The timeline of a party (any party id) or an opportunity: its changes and the activities
    /// linked to it that you may see, newest first. Fields you may not read are left out of changes.
    async fn record_timeline(
        &self,
        ctx: &Context<'_>,
        record_id: ID,
        first: Option<i32>,
        after: Option<String>,
        kinds: Option<Vec<TimelineKind>>,
    ) -> AppResult<Connection<String, TimelineItem, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let record = record_of(&record_id)?;
        let kinds = match kinds {
            None => Kinds {
                changes: true,
                activities: true,
            },
            Some(k) => Kinds {
                changes: k.contains(&TimelineKind::Change),
                activities: k.contains(&TimelineKind::Activity),
            },
        };
        let (items, more) = super::page(
            &state.db,
            req,
            record,
            kinds,
            page.first,
            page.after.as_deref(),
        )
        .await?;
        let node = ctx.look_ahead().field("edges").field("node");
        let users = items.iter().filter_map(|i| match i {
            Item::Change(c) => c.actor_id,
            Item::Activity(a) => Some(a.owner_id),
        });
        prime::<UserLoader>(
            ctx,
            node.field("actor").exists() || node.field("owner").exists(),
            users.collect::<Vec<_>>(),
        )
        .await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req) = (db.clone(), req2.clone());
            Box::pin(async move { super::count(&db, &req, record, kinds).await })
        });
        let mut conn = Connection::with_additional_fields(page.after.is_some(), more, total);
        conn.edges.extend(items.into_iter().map(|i| {
            let cursor = i.cursor();
            let node = match i {
                Item::Change(c) => TimelineItem::Change(TimelineEntry(c)),
                Item::Activity(a) => TimelineItem::Activity(Activity(a)),
            };
            Edge::new(cursor, node)
        }));
        Ok(conn)
    }
}
