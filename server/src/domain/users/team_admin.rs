//! Administration of teams: create, rename, manager, parent (a hierarchy without cycles), members,
//! archive. With the `team` grants at scope `all` any team may be changed; at a narrower scope only
//! the members of the teams the caller manages. Every change is logged and advances the access
//! epoch (triggers), so a changed reach holds from the next request of every affected session.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use entity::access::{team_members, teams};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::service;
use super::teams::Team;
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::forecasts::hierarchy::Tree;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::ids::expect_global_id;
use crate::kit::write::Write;
use crate::policy::{self, Action, Scope};
use crate::state::AppState;

/// Members a team may have.
pub const MAX_MEMBERS: usize = 500;

/// What to set on a team; `None` keeps a value (`Some(None)` clears manager or parent).
#[derive(Default)]
pub struct TeamChange {
    pub name: Option<String>,
    pub manager: Option<Option<Uuid>>,
    pub parent: Option<Option<Uuid>>,
    pub members: Option<Vec<Uuid>>,
}

/// The members of a team, sorted.
async fn members_of(db: &impl ConnectionTrait, team: Uuid) -> AppResult<Vec<Uuid>> {
    let mut ids: Vec<Uuid> = team_members::Entity::find()
        .filter(team_members::Column::TeamId.eq(team))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    ids.sort();
    Ok(ids)
}

/// Checks a change against the stored teams (`id`: the team changed, `None` for a new one);
/// returns the cleaned name and the members, deduplicated and sorted.
async fn check(
    db: &impl ConnectionTrait,
    id: Option<Uuid>,
    change: &TeamChange,
) -> AppResult<(Option<String>, Option<Vec<Uuid>>)> {
    let mut val = Validator::default();
    let name = match &change.name {
        Some(n) => val.check(v::required_text("name", n, 100)),
        None if id.is_none() => {
            val.push("name", "is required");
            None
        }
        None => None,
    };
    if let Some(n) = &name {
        let mut same = teams::Entity::find().filter(teams::Column::Name.eq(n.as_str()));
        if let Some(id) = id {
            same = same.filter(teams::Column::Id.ne(id));
        }
        if same.count(db).await? > 0 {
            val.push("name", "is already in use");
        }
    }
    if let Some(Some(m)) = change.manager {
        if !service::is_active(db, m).await? {
            val.push("managerId", "is not an active user");
        }
    }
    if let Some(Some(p)) = change.parent {
        let tree = Tree::load(db).await?;
        if tree.team(p).is_none() {
            val.push("parentId", "is not a team");
        } else if id.is_some_and(|id| tree.would_cycle(id, p)) {
            val.push(
                "parentId",
                "is the team itself or below it: the hierarchy would loop",
            );
        }
    }
    let members = match &change.members {
        Some(list) if list.len() > MAX_MEMBERS => {
            val.push("memberIds", format!("has more than {MAX_MEMBERS} users"));
            None
        }
        Some(list) => {
            let inactive = service::not_active(db, list).await?;
            for (i, m) in list.iter().enumerate() {
                if inactive.contains(m) {
                    val.push(&format!("memberIds.{i}"), "is not an active user");
                }
            }
            let mut ids = list.clone();
            ids.sort();
            ids.dedup();
            Some(ids)
        }
        None => None,
    };
    val.finish()?;
    Ok((name, members))
}

async fn set_members(
    txn: &impl ConnectionTrait,
    team: Uuid,
    before: &[Uuid],
    after: &[Uuid],
) -> AppResult<()> {
    let gone: Vec<Uuid> = before
        .iter()
        .filter(|u| !after.contains(u))
        .copied()
        .collect();
    if !gone.is_empty() {
        team_members::Entity::delete_many()
            .filter(team_members::Column::TeamId.eq(team))
            .filter(team_members::Column::UserId.is_in(gone))
            .exec(txn)
            .await?;
    }
    for u in after.iter().filter(|u| !before.contains(u)) {
        team_members::ActiveModel {
            team_id: Set(team),
            user_id: Set(*u),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Creates a team.
pub async fn create(state: &AppState, ctx: &RequestCtx, change: TeamChange) -> AppResult<Uuid> {
    policy::authorize(ctx, "team", Action::Create)?;
    let (name, members) = check(&state.db, None, &change).await?;
    let name = name.ok_or_else(|| AppError::bad_input("name", "is required"))?;
    let members = members.unwrap_or_default();
    let id = Uuid::new_v4();
    let manager = change.manager.flatten();
    let parent = change.parent.flatten();
    let mut w = Write::begin(state, Some(ctx)).await?;
    teams::ActiveModel {
        id: Set(id),
        name: Set(name.clone()),
        manager_id: Set(manager),
        parent_id: Set(parent),
        created_at: Set(db::now()),
        archived_at: Set(None),
    }
    .insert(w.txn())
    .await?;
    set_members(w.txn(), id, &[], &members).await?;
    let changes = crate::changelog::diff_snapshots(
        None,
        vec![
            ("name", json!(name)),
            ("managerId", json!(manager)),
            ("parentId", json!(parent)),
            ("memberIds", json!(members)),
        ],
    );
    w.log("team", id, "create", changes).await?;
    w.commit().await?;
    Ok(id)
}

/// Changes a team. At a scope narrower than `all`, only the members of a team the caller manages.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    change: TeamChange,
) -> AppResult<()> {
    let (actor, scope) = policy::authorize(ctx, "team", Action::Update)?;
    let current = teams::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|t| scope == Scope::All || t.manager_id == Some(actor.user_id))
        .ok_or_else(|| AppError::NotFound("no such team".into()))?;
    if current.archived_at.is_some() {
        return Err(AppError::bad_input("id", "is archived"));
    }
    if scope != Scope::All
        && (change.name.is_some() || change.manager.is_some() || change.parent.is_some())
    {
        return Err(AppError::Forbidden(
            "your role may change only the members of the teams you manage".into(),
        ));
    }
    let (name, members) = check(&state.db, Some(id), &change).await?;
    let before_members = members_of(&state.db, id).await?;
    let mut next = current.clone().into_active_model();
    if let Some(n) = &name {
        next.name = Set(n.clone());
    }
    if let Some(m) = change.manager {
        next.manager_id = Set(m);
    }
    if let Some(p) = change.parent {
        next.parent_id = Set(p);
    }
    let after_members = members.unwrap_or_else(|| before_members.clone());
    let mut w = Write::begin(state, Some(ctx)).await?;
    let saved = next.update(w.txn()).await?;
    set_members(w.txn(), id, &before_members, &after_members).await?;
    let changes = crate::changelog::diff(vec![
        ("name", json!(current.name), json!(saved.name)),
        (
            "managerId",
            json!(current.manager_id),
            json!(saved.manager_id),
        ),
        ("parentId", json!(current.parent_id), json!(saved.parent_id)),
        ("memberIds", json!(before_members), json!(after_members)),
    ]);
    w.log("team", id, "update", changes).await?;
    w.commit().await
}

/// Archives a team: it leaves the hierarchy and no longer counts for anyone's reach. A team with
/// sub-teams is refused until they are moved or archived.
pub async fn archive(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    policy::authorize(ctx, "team", Action::Archive)?;
    let current = teams::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such team".into()))?;
    if current.archived_at.is_some() {
        return Ok(());
    }
    let children = teams::Entity::find()
        .filter(teams::Column::ParentId.eq(id))
        .filter(teams::Column::ArchivedAt.is_null())
        .count(&state.db)
        .await?;
    if children > 0 {
        return Err(AppError::bad_input(
            "id",
            "has sub-teams: move or archive them first",
        ));
    }
    let now = db::now();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut am = current.into_active_model();
    am.archived_at = Set(Some(now));
    am.update(w.txn()).await?;
    w.log(
        "team",
        id,
        "archive",
        json!({"archivedAt": {"before": null, "after": now}}),
    )
    .await?;
    w.commit().await
}

/// A new team.
#[derive(InputObject)]
pub struct CreateTeamInput {
    pub name: String,
    pub manager_id: Option<ID>,
    /// The team above it (forecasts and managers' reach roll up along the hierarchy).
    pub parent_id: Option<ID>,
    #[graphql(default)]
    pub member_ids: Vec<ID>,
}

/// Changes to a team: a field left out is kept; `managerId`/`parentId` set to null clear it;
/// `memberIds` replaces the members.
#[derive(InputObject)]
pub struct UpdateTeamInput {
    pub id: ID,
    pub name: Option<String>,
    pub manager_id: MaybeUndefined<ID>,
    pub parent_id: MaybeUndefined<ID>,
    pub member_ids: Option<Vec<ID>>,
}

/// Names a team.
#[derive(InputObject)]
pub struct TeamIdInput {
    pub id: ID,
}

/// The team a mutation changed.
#[derive(SimpleObject)]
pub struct TeamPayload {
    pub team: Team,
}

fn maybe(v: MaybeUndefined<ID>, ty: &str, field: &str) -> AppResult<Option<Option<Uuid>>> {
    Ok(match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(id) => Some(Some(expect_global_id(&id, ty, field)?)),
    })
}

fn user_ids(ids: &[ID]) -> AppResult<Vec<Uuid>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| expect_global_id(id, "User", &format!("memberIds.{i}")))
        .collect()
}

async fn payload(state: &AppState, id: Uuid) -> AppResult<TeamPayload> {
    let team = Team::load(&state.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such team".into()))?;
    Ok(TeamPayload { team })
}

/// Team administration.
#[derive(Default)]
pub struct TeamMutation;

#[Object]
impl TeamMutation {
    /// Creates a team (the `team` create grant).
    async fn create_team(
        &self,
        ctx: &Context<'_>,
        input: CreateTeamInput,
    ) -> AppResult<TeamPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let change = TeamChange {
            name: Some(input.name),
            manager: Some(
                input
                    .manager_id
                    .map(|m| expect_global_id(&m, "User", "managerId"))
                    .transpose()?,
            ),
            parent: Some(
                input
                    .parent_id
                    .map(|p| expect_global_id(&p, "Team", "parentId"))
                    .transpose()?,
            ),
            members: Some(user_ids(&input.member_ids)?),
        };
        let id = create(state, req, change).await?;
        payload(state, id).await
    }

    /// Renames a team, sets its manager, parent or members (a manager whose grant is narrower
    /// than `all` may change the members of the teams they manage).
    async fn update_team(
        &self,
        ctx: &Context<'_>,
        input: UpdateTeamInput,
    ) -> AppResult<TeamPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "Team", "id")?;
        let change = TeamChange {
            name: input.name,
            manager: maybe(input.manager_id, "User", "managerId")?,
            parent: maybe(input.parent_id, "Team", "parentId")?,
            members: input.member_ids.as_deref().map(user_ids).transpose()?,
        };
        update(state, req, id, change).await?;
        payload(state, id).await
    }

    /// Archives a team without sub-teams (the `team` archive grant).
    async fn archive_team(&self, ctx: &Context<'_>, input: TeamIdInput) -> AppResult<TeamPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "Team", "id")?;
        archive(state, req, id).await?;
        payload(state, id).await
    }
}
