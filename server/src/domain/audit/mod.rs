//! The audit trail (SPEC Z-6): the change log for admins, filtered by user, object and time, with
//! sign-ins among the entries, and exportable as CSV.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, InputObject, Object, ID};
use chrono::{DateTime, Utc};
use entity::change_log;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::domain::parties::graphql::FieldChange;
use crate::domain::parties::timeline::visible_changes;
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::error::{AppError, AppResult};
use crate::kit::ids::{expect_global_id, parse_global_id};
use crate::kit::paging::Page;
use crate::kit::paging::{prime, Loaded};
use crate::policy::{self, Action};

/// The grants object of the audit trail.
const OBJECT: &str = "audit";
/// Most rows one export holds.
pub const MAX_EXPORT: u64 = 10_000;

/// Narrows the audit trail.
#[derive(InputObject, Default)]
pub struct AuditFilter {
    /// Who acted (a User id).
    pub actor_id: Option<ID>,
    /// `account`, `party`, `opportunity`, `activity`, `pipeline`, `user`, …
    pub object_type: Option<String>,
    /// The record (any global id, or a raw uuid).
    pub object_id: Option<ID>,
    /// Inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
    /// `login`, `create`, `update`, `move`, …
    pub action: Option<String>,
}

impl AuditFilter {
    fn condition(&self) -> AppResult<Condition> {
        use change_log::Column as C;
        let mut c = Condition::all();
        if let Some(a) = &self.actor_id {
            c = c.add(C::ActorId.eq(expect_global_id(a, "User", "filter.actorId")?));
        }
        if let Some(t) = &self.object_type {
            c = c.add(C::ObjectType.eq(t.trim().to_lowercase()));
        }
        if let Some(o) = &self.object_id {
            let id = parse_global_id(o)
                .map(|(_, u)| u)
                .or_else(|| Uuid::parse_str(o).ok())
                .ok_or_else(|| AppError::bad_input("filter.objectId", "is not an id"))?;
            c = c.add(C::ObjectId.eq(id));
        }
        if let Some(f) = self.from {
            c = c.add(C::OccurredAt.gte(f));
        }
        if let Some(t) = self.to {
            c = c.add(C::OccurredAt.lt(t));
        }
        if let Some(a) = &self.action {
            c = c.add(C::Action.eq(a.trim()));
        }
        Ok(c)
    }
}

/// One change-log entry, as the audit trail shows it.
pub struct AuditEntry(pub change_log::Model);

#[Object]
impl AuditEntry {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    async fn actor(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<UserLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("loading: {e}")))?
            .map(User))
    }
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }
    /// The record's uuid.
    async fn object_id(&self) -> ID {
        ID(self.0.object_id.to_string())
    }
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// Before and after of each changed field (fields your grants hide are left out).
    async fn changes(&self, ctx: &Context<'_>) -> AppResult<Vec<FieldChange>> {
        let actor = crate::kit::resolve::caller(ctx)?.actor()?;
        Ok(visible_changes(actor, &self.0)
            .into_iter()
            .map(|(field, before, after)| FieldChange {
                field,
                before,
                after,
            })
            .collect())
    }
}

async fn rows(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &AuditFilter,
    first: u64,
    after: Option<i64>,
) -> AppResult<Vec<change_log::Model>> {
    policy::authorize(ctx, OBJECT, Action::Read)?;
    let mut q = change_log::Entity::find().filter(filter.condition()?);
    if let Some(a) = after {
        q = q.filter(change_log::Column::Id.lt(a));
    }
    Ok(q.order_by_desc(change_log::Column::Id)
        .limit(first)
        .all(db)
        .await?)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Audit queries (admins: grant `audit` read).
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit trail, newest first: every committed change and every sign-in.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, AuditEntry>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let after = page
            .after
            .as_deref()
            .map(|a| {
                a.parse::<i64>()
                    .map_err(|_| AppError::bad_input("after", "is not a cursor of this list"))
            })
            .transpose()?;
        let mut list = rows(
            &state.db,
            req,
            &filter.unwrap_or_default(),
            page.first + 1,
            after,
        )
        .await?;
        let more = list.len() as u64 > page.first;
        list.truncate(page.first as usize);
        prime::<UserLoader>(
            ctx,
            ctx.look_ahead()
                .field("edges")
                .field("node")
                .field("actor")
                .exists(),
            list.iter().filter_map(|r| r.actor_id),
        )
        .await?;
        let mut conn = Connection::new(after.is_some(), more);
        conn.edges.extend(
            list.into_iter()
                .map(|r| Edge::new(r.id.to_string(), AuditEntry(r))),
        );
        Ok(conn)
    }

    /// The audit trail as CSV (header and up to 10,000 rows, newest first): id, time, actor e-mail,
    /// object type, object id, action, changes (JSON).
    async fn export_audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilter>,
    ) -> AppResult<String> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        policy::authorize(req, OBJECT, Action::Read)?;
        let list = rows(
            &state.db,
            req,
            &filter.unwrap_or_default(),
            MAX_EXPORT,
            None,
        )
        .await?;
        let actors: Vec<Uuid> = list.iter().filter_map(|r| r.actor_id).collect();
        let emails = ctx
            .data::<Loaded<UserLoader>>()?
            .load_many(actors)
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("loading: {e}")))?;
        let actor = req.actor()?;
        let mut out = String::from("id,at,actor,object_type,object_id,action,changes\n");
        for r in &list {
            let email = r
                .actor_id
                .and_then(|a| emails.get(&a))
                .map(|u| u.email.clone())
                .unwrap_or_default();
            let changes: serde_json::Map<String, serde_json::Value> = visible_changes(actor, r)
                .into_iter()
                .map(|(f, b, a)| (f, serde_json::json!({"before": b, "after": a})))
                .collect();
            let cols = [
                r.id.to_string(),
                r.occurred_at.to_rfc3339(),
                email,
                r.object_type.clone(),
                r.object_id.to_string(),
                r.action.clone(),
                serde_json::Value::Object(changes).to_string(),
            ];
            let line: Vec<String> = cols.iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        Ok(out)
    }
}
