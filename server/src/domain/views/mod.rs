//! Saved views: a list's search, filters, order and columns under a name.
//!
//! Invariants:
//! - a view belongs to one user; its name is unique per user and list (saving under a name the
//!   user already has replaces that view);
//! - a user sees their own views and the views their team-mates shared (the owner is one of the
//!   users their team reach names); only the owner changes or removes a view;
//! - what a view holds is the list's address query, opaque here: the list applies it as if typed
//!   into the address, so a view can never show more than the caller's grants and row scope allow;
//! - a role may have a default view per list (kept by those who may update roles, each change
//!   logged on the role): a list opened without a query of its own starts from it.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{role_default_views as defaults, saved_views};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, SqlErr,
};
use uuid::Uuid;

use crate::auth::{Actor, RequestCtx};
use crate::db;
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::ids::{expect_global_id, to_global_id};
use crate::kit::paging::Loaded;
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

/// Most views one user keeps per list.
pub const MAX_PER_LIST: u64 = 50;
/// Longest query a view keeps.
pub const MAX_QUERY: usize = 1000;

/// A view to save.
#[derive(Debug, Clone)]
pub struct ViewChanges {
    pub list: String,
    pub name: String,
    pub query: String,
    pub shared: bool,
}

fn list_key(field: &str, v: &str) -> Result<String, crate::error::FieldError> {
    let ok = !v.is_empty()
        && v.len() <= 40
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then(|| v.to_string()).ok_or_else(|| {
        crate::error::FieldError::new(
            field,
            "must be a list's key: lower-case letters, digits and '-', at most 40",
        )
    })
}

fn query_text(field: &str, q: &str) -> Result<String, crate::error::FieldError> {
    let q = q.trim().trim_start_matches('?');
    if q.chars().count() > MAX_QUERY {
        return Err(crate::error::FieldError::new(
            field,
            format!("must be at most {MAX_QUERY} characters"),
        ));
    }
    if q.chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '#')
    {
        return Err(crate::error::FieldError::new(
            field,
            "must be an address query such as q=acme&sort=name (no spaces or '#')",
        ));
    }
    Ok(q.to_string())
}

fn validate(c: &ViewChanges) -> AppResult<ViewChanges> {
    let mut val = Validator::default();
    let list = val.check(list_key("list", &c.list));
    let name = val.check(v::required_text("name", &c.name, 60));
    let query = val.check(query_text("query", &c.query));
    val.finish()?;
    match (list, name, query) {
        (Some(list), Some(name), Some(query)) => Ok(ViewChanges {
            list,
            name,
            query,
            shared: c.shared,
        }),
        _ => Err(AppError::bad_input("list", "is invalid")),
    }
}

/// Who may see `view`: its owner, and their team-mates when it is shared.
fn visible_to(actor: &Actor, view: &saved_views::Model) -> bool {
    view.user_id == actor.user_id || (view.shared && actor.team_user_ids.contains(&view.user_id))
}

/// The views of `list` the caller sees: their own first, then their team-mates' shared ones, each by name.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    list: &str,
) -> AppResult<Vec<saved_views::Model>> {
    let actor = ctx.actor()?;
    let list = list_key("list", list).map_err(|e| AppError::BadInput(vec![e]))?;
    let team: Vec<Uuid> = actor
        .team_user_ids
        .iter()
        .copied()
        .filter(|u| *u != actor.user_id)
        .collect();
    let mut rows = saved_views::Entity::find()
        .filter(saved_views::Column::List.eq(list))
        .filter(
            Condition::any()
                .add(saved_views::Column::UserId.eq(actor.user_id))
                .add(
                    Condition::all()
                        .add(saved_views::Column::Shared.eq(true))
                        .add(saved_views::Column::UserId.is_in(team)),
                ),
        )
        .order_by_asc(saved_views::Column::Name)
        .all(db)
        .await?;
    rows.sort_by_key(|r| r.user_id != actor.user_id);
    Ok(rows)
}

/// Saves a view of the caller's: a new one, or the one they already have under that name.
pub async fn save(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    changes: ViewChanges,
) -> AppResult<saved_views::Model> {
    let actor = ctx.actor()?;
    let c = validate(&changes)?;
    let mine = |list: &str| {
        saved_views::Entity::find()
            .filter(saved_views::Column::UserId.eq(actor.user_id))
            .filter(saved_views::Column::List.eq(list.to_string()))
    };
    let existing = mine(&c.list)
        .filter(saved_views::Column::Name.eq(c.name.clone()))
        .one(db)
        .await?;
    let now = db::now();
    let saved = match existing {
        Some(view) => {
            let mut a: saved_views::ActiveModel = view.into();
            a.query = Set(c.query);
            a.shared = Set(c.shared);
            a.updated_at = Set(now);
            a.update(db).await?
        }
        None => {
            if mine(&c.list).count(db).await? >= MAX_PER_LIST {
                return Err(AppError::bad_input(
                    "name",
                    format!("you already keep {MAX_PER_LIST} views of this list; remove one first"),
                ));
            }
            saved_views::ActiveModel {
                id: Set(Uuid::new_v4()),
                user_id: Set(actor.user_id),
                list: Set(c.list),
                name: Set(c.name),
                query: Set(c.query),
                shared: Set(c.shared),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await
            .map_err(|e| match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    AppError::bad_input("name", "is already in use")
                }
                _ => e.into(),
            })?
        }
    };
    Ok(saved)
}

/// Removes one of the caller's views. A view they do not own, or cannot see, is `NOT_FOUND`
/// (a team-mate's shared view is theirs to remove).
pub async fn remove(db: &impl ConnectionTrait, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    let actor = ctx.actor()?;
    let view = saved_views::Entity::find_by_id(id).one(db).await?;
    match view {
        Some(v) if v.user_id == actor.user_id => {
            saved_views::Entity::delete_by_id(id).exec(db).await?;
            Ok(())
        }
        Some(v) if visible_to(actor, &v) => Err(AppError::Forbidden(
            "only the view's owner may remove it".into(),
        )),
        _ => Err(AppError::NotFound("no such view".into())),
    }
}

/// The caller's role's default view of `list` (its address query), if an administrator set one.
pub async fn role_default(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    list: &str,
) -> AppResult<Option<String>> {
    let actor = ctx.actor()?;
    let list = list_key("list", list).map_err(|e| AppError::BadInput(vec![e]))?;
    Ok(defaults::Entity::find()
        .filter(defaults::Column::RoleId.eq(actor.role_id))
        .filter(defaults::Column::List.eq(list))
        .one(db)
        .await?
        .map(|d| d.query))
}

/// Sets (or, with an empty query, clears) the view `list` opens with for `role`: the `role`
/// update grant, logged on the role with the query before and after, in one transaction.
pub async fn set_role_default(
    state: &AppState,
    ctx: &RequestCtx,
    role: Uuid,
    list: &str,
    query: &str,
) -> AppResult<Option<String>> {
    policy::authorize(ctx, crate::domain::roles::OBJECT, Action::Update)?;
    let mut val = Validator::default();
    let list = val.check(list_key("list", list));
    let query = val.check(query_text("query", query));
    if crate::domain::roles::get(&state.db, ctx, role)
        .await?
        .is_none()
    {
        val.push("roleId", "is not a role");
    }
    val.finish()?;
    let (Some(list), Some(query)) = (list, query) else {
        return Err(AppError::bad_input("list", "is invalid"));
    };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let current = defaults::Entity::find()
        .filter(defaults::Column::RoleId.eq(role))
        .filter(defaults::Column::List.eq(list.clone()))
        .one(w.txn())
        .await?;
    let before = current.as_ref().map(|d| d.query.clone());
    if before.as_deref() == Some(query.as_str()) || (before.is_none() && query.is_empty()) {
        return Ok(before);
    }
    let now = db::now();
    let by = ctx.actor()?.user_id;
    match (current, query.is_empty()) {
        (Some(d), true) => {
            defaults::Entity::delete_by_id(d.id).exec(w.txn()).await?;
        }
        (Some(d), false) => {
            let mut a: defaults::ActiveModel = d.into();
            a.query = Set(query.clone());
            a.updated_by = Set(Some(by));
            a.updated_at = Set(now);
            a.update(w.txn()).await?;
        }
        (None, _) => {
            defaults::ActiveModel {
                id: Set(Uuid::new_v4()),
                role_id: Set(role),
                list: Set(list.clone()),
                query: Set(query.clone()),
                updated_by: Set(Some(by)),
                updated_at: Set(now),
            }
            .insert(w.txn())
            .await?;
        }
    }
    let after = Some(query).filter(|q| !q.is_empty());
    w.log(
        crate::domain::roles::OBJECT,
        role,
        "update",
        serde_json::json!({ format!("defaultView.{list}"): {"before": before, "after": after} }),
    )
    .await?;
    w.commit().await?;
    Ok(after)
}

/// A list's search, filters, order and columns under a name.
pub struct SavedView(saved_views::Model);

#[Object]
impl SavedView {
    async fn id(&self) -> ID {
        to_global_id("SavedView", self.0.id)
    }
    /// The list it belongs to (`accounts`, `leads`, …).
    async fn list(&self) -> &str {
        &self.0.list
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The list's address query, without `?` (`q=acme&sort=name&cols=name,owner`).
    async fn query(&self) -> &str {
        &self.0.query
    }
    /// Offered to the owner's team-mates too.
    async fn shared(&self) -> bool {
        self.0.shared
    }
    /// Whether it is the caller's own (theirs to change or remove).
    async fn mine(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let req = crate::kit::resolve::caller(ctx)?;
        Ok(req.actor()?.user_id == self.0.user_id)
    }
    /// Who saved it.
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        let loader = ctx.data::<Loaded<UserLoader>>()?;
        let user = loader
            .load_one(self.0.user_id)
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("loading a view's owner: {e}")))?;
        Ok(user.map(User))
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A view to save under a name; saving under a name you already use for this list replaces it.
#[derive(InputObject)]
pub struct SaveViewInput {
    /// The list's key: `accounts`, `leads`, ….
    pub list: String,
    /// At most 60 characters.
    pub name: String,
    /// The list's address query, without `?`; at most 1,000 characters.
    pub query: String,
    /// Offer it to your team-mates too.
    #[graphql(default)]
    pub shared: bool,
}

/// The view a list opens with for a role.
#[derive(InputObject)]
pub struct SetRoleDefaultViewInput {
    pub role_id: ID,
    /// The list's key: `accounts`, `leads`, ….
    pub list: String,
    /// The list's address query, without `?`; empty to clear.
    pub query: String,
}

/// A role's default view of a list after a change.
#[derive(SimpleObject)]
pub struct RoleDefaultViewPayload {
    pub role_id: ID,
    pub list: String,
    /// `null` once cleared.
    pub query: Option<String>,
}

/// Names a view.
#[derive(InputObject)]
pub struct SavedViewRefInput {
    pub id: ID,
}

/// The view after it was saved.
#[derive(SimpleObject)]
pub struct SavedViewPayload {
    pub view: SavedView,
}

/// The id of what was removed.
#[derive(SimpleObject)]
pub struct RemovedViewPayload {
    pub id: ID,
}

/// Saved-view queries.
#[derive(Default)]
pub struct ViewQuery;

#[Object]
impl ViewQuery {
    /// The views of a list you may use: yours first, then those your team-mates shared, by name.
    async fn saved_views(&self, ctx: &Context<'_>, list: String) -> AppResult<Vec<SavedView>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(self::list(&state.db, req, &list)
            .await?
            .into_iter()
            .map(SavedView)
            .collect())
    }

    /// The view `list` opens with for your role (its address query), if an administrator set one.
    async fn default_view(&self, ctx: &Context<'_>, list: String) -> AppResult<Option<String>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        role_default(&state.db, req, &list).await
    }
}

/// Saved-view mutations.
#[derive(Default)]
pub struct ViewMutation;

#[Object]
impl ViewMutation {
    /// Saves a list's view under a name (replacing yours of that name).
    async fn save_view(
        &self,
        ctx: &Context<'_>,
        input: SaveViewInput,
    ) -> AppResult<SavedViewPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = ViewChanges {
            list: input.list,
            name: input.name,
            query: input.query,
            shared: input.shared,
        };
        Ok(SavedViewPayload {
            view: SavedView(save(&state.db, req, changes).await?),
        })
    }

    /// Sets the view a list opens with for everyone holding a role (an empty query clears it).
    async fn set_role_default_view(
        &self,
        ctx: &Context<'_>,
        input: SetRoleDefaultViewInput,
    ) -> AppResult<RoleDefaultViewPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let role = expect_global_id(&input.role_id, "Role", "roleId")?;
        let query = set_role_default(state, req, role, &input.list, &input.query).await?;
        Ok(RoleDefaultViewPayload {
            role_id: input.role_id,
            list: input.list,
            query,
        })
    }

    /// Removes one of your views.
    async fn remove_view(
        &self,
        ctx: &Context<'_>,
        input: SavedViewRefInput,
    ) -> AppResult<RemovedViewPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "SavedView", "id")?;
        remove(&state.db, req, id).await?;
        Ok(RemovedViewPayload { id: input.id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_keeps_an_address_query_and_a_list_key() {
        assert_eq!(
            query_text("query", "?q=acme&sort=name").ok().as_deref(),
            Some("q=acme&sort=name")
        );
        assert!(query_text("query", "q=a b").is_err());
        assert!(query_text("query", "q=a#x").is_err());
        assert!(query_text("query", &"a".repeat(1001)).is_err());
        assert_eq!(
            list_key("list", "accounts").ok().as_deref(),
            Some("accounts")
        );
        assert!(list_key("list", "Accounts").is_err());
        assert!(list_key("list", "").is_err());
        assert!(list_key("list", "1st").is_err());
    }
}
