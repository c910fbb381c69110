//! The team hierarchy: the teams the caller may see, with their parents and
//! children.

use super::read;
use crate::api::json::{self, FromJson};
use crate::api::ApiError;
use serde_json::{json, Value};

/// A team in the hierarchy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub manager: Option<String>,
    pub parent: Option<String>,
    pub children: Vec<String>,
}

impl FromJson for Team {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            manager: json::opt_text(&v["manager"], "id"),
            parent: json::opt_text(&v["parent"], "id"),
            children: json::items(&v["children"])
                .iter()
                .map(|c| json::text(c, "id"))
                .collect(),
        }
    }
}

/// The document of [`teams`].
pub(crate) const TEAMS_QUERY: &str =
    "query TeamTree { teams { id name manager { id } parent { id } children { id } } }";

/// The teams the caller may see, with their place in the hierarchy.
pub async fn teams() -> Result<Vec<Team>, ApiError> {
    let data = read(TEAMS_QUERY, json!({})).await?;
    Ok(json::list(&data, "teams"))
}

/// `teams` in hierarchy order (each team before its children), with their depth.
/// A team whose parent the caller cannot see starts a tree of its own.
pub fn tree(teams: &[Team]) -> Vec<(usize, &Team)> {
    fn walk<'a>(team: &'a Team, depth: usize, all: &'a [Team], out: &mut Vec<(usize, &'a Team)>) {
        if out.iter().any(|(_, t)| t.id == team.id) {
            return; // a cycle: shown once
        }
        out.push((depth, team));
        for child in all
            .iter()
            .filter(|t| t.parent.as_deref() == Some(team.id.as_str()))
        {
            walk(child, depth + 1, all, out);
        }
    }
    let mut out = Vec::with_capacity(teams.len());
    let known = |id: &str| teams.iter().any(|t| t.id == id);
    for root in teams
        .iter()
        .filter(|t| !t.parent.as_deref().is_some_and(known))
    {
        walk(root, 0, teams, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_are_listed_in_hierarchy_order() {
        let team = |id: &str, parent: Option<&str>| Team {
            id: id.into(),
            name: id.into(),
            parent: parent.map(str::to_owned),
            ..Team::default()
        };
        // "South" under "Sales", "East" under a team the caller cannot see.
        let teams = [
            team("South", Some("Sales")),
            team("Sales", None),
            team("East", Some("Hidden")),
            team("North", Some("Sales")),
        ];
        let order: Vec<(usize, &str)> = tree(&teams)
            .into_iter()
            .map(|(d, t)| (d, t.id.as_str()))
            .collect();
        assert_eq!(
            order,
            [(0, "Sales"), (1, "South"), (1, "North"), (0, "East")]
        );
    }
}
