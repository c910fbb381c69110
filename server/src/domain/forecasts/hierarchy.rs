//! The team hierarchy: teams with their parent, members and manager, loaded in two statements, and
//! what a forecast subject covers (a user, or a team's members and every team below it).

use std::collections::{BTreeSet, HashMap};

use entity::access::{team_members, teams};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::error::AppResult;

/// Every team, with its members.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub teams: Vec<teams::Model>,
    members: HashMap<Uuid, Vec<Uuid>>,
}

impl Tree {
    /// Loads the whole hierarchy (teams are few), without archived teams.
    pub async fn load(db: &impl ConnectionTrait) -> AppResult<Self> {
        let teams = teams::Entity::find()
            .filter(teams::Column::ArchivedAt.is_null())
            .order_by_asc(teams::Column::Name)
            .all(db)
            .await?;
        let mut members: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for m in team_members::Entity::find().all(db).await? {
            members.entry(m.team_id).or_default().push(m.user_id);
        }
        Ok(Self { teams, members })
    }

    /// The team with this id.
    pub fn team(&self, id: Uuid) -> Option<&teams::Model> {
        self.teams.iter().find(|t| t.id == id)
    }

    /// The teams directly below `id`, by name.
    pub fn children(&self, id: Uuid) -> Vec<&teams::Model> {
        self.teams
            .iter()
            .filter(|t| t.parent_id == Some(id))
            .collect()
    }

    /// `id` and every team below it.
    pub fn subtree(&self, id: Uuid) -> Vec<Uuid> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            let here = out[i];
            for t in &self.teams {
                if t.parent_id == Some(here) && !out.contains(&t.id) {
                    out.push(t.id);
                }
            }
            i += 1;
        }
        out
    }

    /// The direct members of a team.
    pub fn members(&self, id: Uuid) -> &[Uuid] {
        self.members.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The users a team's figures cover: its members, its manager's own deals are not included
    /// unless the manager is a member, and the users of every team below it.
    pub fn users_under(&self, id: Uuid) -> Vec<Uuid> {
        let set: BTreeSet<Uuid> = self
            .subtree(id)
            .into_iter()
            .flat_map(|t| self.members(t).iter().copied())
            .collect();
        set.into_iter().collect()
    }

    /// The teams a user belongs to or manages, with every team below them.
    pub fn reach_of(&self, user: Uuid) -> Vec<Uuid> {
        let mut out: Vec<Uuid> = Vec::new();
        for t in &self.teams {
            if t.manager_id == Some(user) || self.members(t.id).contains(&user) {
                for s in self.subtree(t.id) {
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
            }
        }
        out
    }

    /// Whether making `parent` the parent of `team` would close a cycle.
    pub fn would_cycle(&self, team: Uuid, parent: Uuid) -> bool {
        self.subtree(team).contains(&parent)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn team(id: u128, parent: Option<u128>, manager: Option<u128>) -> teams::Model {
        teams::Model {
            id: Uuid::from_u128(id),
            name: format!("t{id}"),
            manager_id: manager.map(Uuid::from_u128),
            parent_id: parent.map(Uuid::from_u128),
            created_at: chrono::Utc::now(),
            archived_at: None,
        }
    }

    #[test]
    fn subtrees_members_reach_and_cycles() {
        let u = Uuid::from_u128;
        let tree = Tree {
            teams: vec![
                team(1, None, Some(100)),
                team(2, Some(1), None),
                team(3, Some(2), Some(101)),
                team(4, None, None),
            ],
            members: HashMap::from([
                (u(2), vec![u(10), u(11)]),
                (u(3), vec![u(12), u(10)]),
                (u(4), vec![u(13)]),
            ]),
        };
        assert_eq!(tree.subtree(u(1)), vec![u(1), u(2), u(3)]);
        assert_eq!(tree.users_under(u(1)), vec![u(10), u(11), u(12)]);
        assert_eq!(tree.users_under(u(3)), vec![u(10), u(12)]);
        assert_eq!(tree.reach_of(u(100)), vec![u(1), u(2), u(3)]);
        assert_eq!(tree.reach_of(u(101)), vec![u(3)]);
        assert_eq!(tree.reach_of(u(13)), vec![u(4)]);
        assert!(tree.would_cycle(u(1), u(3)));
        assert!(tree.would_cycle(u(2), u(2)));
        assert!(!tree.would_cycle(u(3), u(4)));
    }
}
