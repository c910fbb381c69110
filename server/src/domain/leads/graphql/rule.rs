//! Assignment rules, with their inputs.

use super::*;

/// An area and who takes its leads.
pub struct AreaAssignment(assignment::AreaOwner);

#[Object]
impl AreaAssignment {
    async fn area(&self) -> &str {
        &self.0.area
    }
    async fn user(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, Some(self.0.user_id)).await
    }
}

/// How new leads find an owner.
#[derive(Clone)]
pub struct AssignmentRule(pub assignment_rules::Model);

#[Object]
impl AssignmentRule {
    /// Global id (type `AssignmentRule`).
    pub async fn id(&self) -> ID {
        to_global_id("AssignmentRule", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> AssignmentKind {
        AssignmentKind::parse(&self.0.kind).unwrap_or(AssignmentKind::RoundRobin)
    }
    /// Round robin: the team whose members take turns.
    async fn team(&self, ctx: &Context<'_>) -> AppResult<Option<Team>> {
        let Some(id) = self.0.team_id else {
            return Ok(None);
        };
        Team::load(&crate::kit::resolve::state(ctx)?.db, id).await
    }
    /// By area: which area goes to whom.
    async fn areas(&self) -> Vec<AreaAssignment> {
        assignment::areas(&self.0)
            .into_iter()
            .map(AreaAssignment)
            .collect()
    }
    /// Who takes leads no area matches (or when the team is empty).
    async fn fallback_owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.fallback_owner_id).await
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// An area and its user.
#[derive(InputObject)]
pub struct AreaAssignmentInput {
    pub area: String,
    pub user_id: ID,
}

/// A new assignment rule.
#[derive(InputObject)]
pub struct CreateAssignmentRuleInput {
    pub name: String,
    pub kind: AssignmentKind,
    pub team_id: Option<ID>,
    pub areas: Option<Vec<AreaAssignmentInput>>,
    pub fallback_owner_id: Option<ID>,
}

/// Changes to an assignment rule.
#[derive(InputObject)]
pub struct UpdateAssignmentRuleInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub team_id: Option<ID>,
    pub areas: Option<Vec<AreaAssignmentInput>>,
    pub fallback_owner_id: Option<ID>,
    pub active: Option<bool>,
}

/// The rule after a mutation.
#[derive(SimpleObject)]
pub struct AssignmentRulePayload {
    pub assignment_rule: AssignmentRule,
}
