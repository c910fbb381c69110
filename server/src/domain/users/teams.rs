//! Sales teams: who belongs to which, for team views (calendar, board filters).

use async_graphql::{Context, Object, ID};
use entity::access::{team_members, teams, users};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use super::graphql::User;
use super::service::UserObject;
use crate::error::AppResult;
use crate::kit::aggregate;
use crate::kit::ids::to_global_id;
use crate::policy::{self, Action, Scope};

/// A sales team with its manager and members.
pub struct Team {
    team: teams::Model,
    members: Vec<users::Model>,
    manager: Option<users::Model>,
}

#[Object]
impl Team {
    async fn id(&self) -> ID {
        to_global_id("Team", self.team.id)
    }
    async fn name(&self) -> &str {
        &self.team.name
    }
    async fn manager(&self) -> Option<User> {
        self.manager.clone().map(User)
    }
    async fn members(&self) -> Vec<User> {
        self.members.iter().cloned().map(User).collect()
    }
    /// Archived teams are out of the hierarchy and count for nobody's reach.
    async fn archived(&self) -> bool {
        self.team.archived_at.is_some()
    }
    /// The team above this one (forecasts and a manager's reach roll up along the hierarchy).
    async fn parent(&self, ctx: &Context<'_>) -> AppResult<Option<TeamRef>> {
        let Some(parent) = self.team.parent_id else {
            return Ok(None);
        };
        let state = crate::kit::resolve::state(ctx)?;
        Ok(teams::Entity::find_by_id(parent)
            .one(&state.db)
            .await?
            .map(TeamRef::of))
    }
    /// The teams directly below this one, by name.
    async fn children(&self, ctx: &Context<'_>) -> AppResult<Vec<TeamRef>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(teams::Entity::find()
            .filter(teams::Column::ParentId.eq(self.team.id))
            .filter(teams::Column::ArchivedAt.is_null())
            .order_by_asc(teams::Column::Name)
            .all(&state.db)
            .await?
            .into_iter()
            .map(TeamRef::of)
            .collect())
    }
}

/// A team named from another (its parent or a child).
#[derive(async_graphql::SimpleObject)]
pub struct TeamRef {
    pub id: ID,
    pub name: String,
}

impl TeamRef {
    pub fn of(t: teams::Model) -> Self {
        Self {
            id: to_global_id("Team", t.id),
            name: t.name,
        }
    }
}

impl Team {
    /// A team with the members `links` name and its manager, found among `people`.
    fn assemble(
        team: teams::Model,
        links: &[team_members::Model],
        people: &[users::Model],
    ) -> Team {
        let user = |id| people.iter().find(|u| u.id == id).cloned();
        Team {
            members: links
                .iter()
                .filter(|l| l.team_id == team.id)
                .filter_map(|l| user(l.user_id))
                .collect(),
            manager: team.manager_id.and_then(user),
            team,
        }
    }

    /// One team with its members and manager (for records that name a team).
    pub async fn load(
        db: &impl sea_orm::ConnectionTrait,
        id: uuid::Uuid,
    ) -> AppResult<Option<Team>> {
        let Some(team) = teams::Entity::find_by_id(id).one(db).await? else {
            return Ok(None);
        };
        let links = team_members::Entity::find()
            .filter(team_members::Column::TeamId.eq(id))
            .all(db)
            .await?;
        let ids: Vec<uuid::Uuid> = links
            .iter()
            .map(|l| l.user_id)
            .chain(team.manager_id)
            .collect();
        let people =
            aggregate::unscoped::<UserObject>("a team the caller may read names its members")
                .filter(users::Column::Id.is_in(ids))
                .all(db)
                .await?;
        Ok(Some(Self::assemble(team, &links, &people)))
    }
}

/// Team queries.
#[derive(Default)]
pub struct TeamQuery;

#[Object]
impl TeamQuery {
    /// The teams you may see (all, or those you belong to or manage), by name; archived ones
    /// only when asked for.
    async fn teams(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_archived: bool,
    ) -> AppResult<Vec<Team>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let (actor, scope) = policy::authorize(req, "team", Action::Read)?;
        let links = team_members::Entity::find().all(&state.db).await?;
        let mut q = teams::Entity::find().order_by_asc(teams::Column::Name);
        if !include_archived {
            q = q.filter(teams::Column::ArchivedAt.is_null());
        }
        if scope != Scope::All {
            let mine: Vec<_> = links
                .iter()
                .filter(|l| l.user_id == actor.user_id)
                .map(|l| l.team_id)
                .collect();
            q = q.filter(
                Condition::any()
                    .add(teams::Column::Id.is_in(mine))
                    .add(teams::Column::ManagerId.eq(actor.user_id)),
            );
        }
        let list = q.all(&state.db).await?;
        let people =
            aggregate::unscoped::<UserObject>("the teams the caller may read name their members")
                .all(&state.db)
                .await?;
        Ok(list
            .into_iter()
            .map(|t| Team::assemble(t, &links, &people))
            .collect())
    }
}
