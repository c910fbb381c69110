//! Assignment rules: who owns a new lead. Round robin hands leads to a team's active members in
//! turn (a counter advanced in the creating transaction, so concurrent leads never share a turn);
//! by area matches the lead's area, falling back to a fixed owner.

use entity::access::{team_members, teams, users};
use entity::leads::assignment_rules as rules;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::kinds::AssignmentKind;
use super::policy::ASSIGNMENT_RULE;
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::users::service as users_svc;
use crate::domain::users::service::UserObject;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

/// One area and the user who takes its leads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaOwner {
    pub area: String,
    #[serde(rename = "userId")]
    pub user_id: Uuid,
}

/// The areas of a rule, as stored.
pub fn areas(m: &rules::Model) -> Vec<AreaOwner> {
    serde_json::from_str(&m.areas).unwrap_or_default()
}

/// The owner by area: the first area equal to the lead's (ignoring case and surrounding spaces).
pub fn by_area(areas: &[AreaOwner], area: Option<&str>) -> Option<Uuid> {
    let area = area?.trim().to_lowercase();
    areas
        .iter()
        .find(|a| a.area.trim().to_lowercase() == area)
        .map(|a| a.user_id)
}

/// The member whose turn it is (`turn` counts from 1).
pub fn round_robin(members: &[Uuid], turn: i64) -> Option<Uuid> {
    if members.is_empty() {
        return None;
    }
    let n = members.len() as i64;
    Some(members[((turn - 1).rem_euclid(n)) as usize])
}

/// Every rule (admins and managers read them).
pub async fn all(db: &impl ConnectionTrait, ctx: &RequestCtx) -> AppResult<Vec<rules::Model>> {
    policy::authorize(ctx, ASSIGNMENT_RULE, Action::Read)?;
    Ok(rules::Entity::find()
        .order_by_asc(rules::Column::Name)
        .all(db)
        .await?)
}

/// One rule, for readers of rules and for creators of leads (who may name a rule to apply).
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<rules::Model>> {
    let g = &ctx.actor()?.grants;
    if g.scope(ASSIGNMENT_RULE, Action::Read).is_none()
        && g.scope(super::service::OBJECT, Action::Create).is_none()
        && g.scope(super::policy::WEB_FORM, Action::Read).is_none()
    {
        return Err(AppError::Forbidden(
            "your role may not read assignment rules".into(),
        ));
    }
    Ok(rules::Entity::find_by_id(id).one(db).await?)
}

/// Picks the owner of a new lead by the rule, inside the creating transaction; `None` when the
/// rule is inactive or finds nobody.
pub async fn pick_owner(
    txn: &impl ConnectionTrait,
    rule: Uuid,
    area: Option<&str>,
) -> AppResult<Option<Uuid>> {
    let Some(r) = rules::Entity::find_by_id(rule).one(txn).await? else {
        return Ok(None);
    };
    if !r.active {
        return Ok(r.fallback_owner_id);
    }
    match AssignmentKind::parse(&r.kind) {
        Some(AssignmentKind::ByArea) => Ok(by_area(&areas(&r), area).or(r.fallback_owner_id)),
        Some(AssignmentKind::RoundRobin) => {
            let Some(team) = r.team_id else {
                return Ok(r.fallback_owner_id);
            };
            let members = active_members(txn, team).await?;
            if members.is_empty() {
                return Ok(r.fallback_owner_id);
            }
            rules::Entity::update_many()
                .col_expr(rules::Column::Turn, Expr::col(rules::Column::Turn).add(1))
                .filter(rules::Column::Id.eq(rule))
                .exec(txn)
                .await?;
            let turn = rules::Entity::find_by_id(rule)
                .one(txn)
                .await?
                .map(|r| r.turn)
                .unwrap_or(1);
            Ok(round_robin(&members, turn))
        }
        None => Ok(r.fallback_owner_id),
    }
}

/// The active members of a team, in a stable order (by e-mail).
async fn active_members(db: &impl ConnectionTrait, team: Uuid) -> AppResult<Vec<Uuid>> {
    let ids: Vec<Uuid> = team_members::Entity::find()
        .filter(team_members::Column::TeamId.eq(team))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    Ok(
        aggregate::unscoped::<UserObject>("assignment rules hand leads to any active member")
            .filter(users::Column::Id.is_in(ids))
            .filter(users::Column::Active.eq(true))
            .order_by_asc(users::Column::Email)
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
    )
}

/// A rule as given (update: `None` unchanged).
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    pub name: Option<String>,
    pub kind: Option<AssignmentKind>,
    pub team_id: Option<Uuid>,
    pub areas: Option<Vec<(String, Uuid)>>,
    pub fallback_owner_id: Option<Uuid>,
    pub active: Option<bool>,
}

async fn apply(
    db: &impl ConnectionTrait,
    m: &mut rules::Model,
    input: &RuleInput,
) -> AppResult<()> {
    let mut val = Validator::default();
    if let Some(n) = &input.name {
        if let Some(n) = val.check(v::required_text("name", n, 200)) {
            m.name = n;
        }
    }
    if let Some(k) = input.kind {
        m.kind = k.as_str().to_string();
    }
    if let Some(t) = input.team_id {
        if teams::Entity::find_by_id(t).count(db).await? == 0 {
            val.push("teamId", "is not a team");
        }
        m.team_id = Some(t);
    }
    if let Some(list) = &input.areas {
        let mut out = Vec::new();
        for (i, (area, user)) in list.iter().enumerate() {
            let area = val.check(v::required_text(&format!("areas.{i}.area"), area, 100));
            if !users_svc::is_active(db, *user).await? {
                val.push(&format!("areas.{i}.userId"), "is not an active user");
            }
            if let Some(area) = area {
                if by_area(&out, Some(&area)).is_some() {
                    val.push(&format!("areas.{i}.area"), "is listed twice");
                }
                out.push(AreaOwner {
                    area,
                    user_id: *user,
                });
            }
        }
        m.areas = serde_json::to_string(&out).unwrap_or_else(|_| "[]".into());
    }
    if let Some(u) = input.fallback_owner_id {
        if !users_svc::is_active(db, u).await? {
            val.push("fallbackOwnerId", "is not an active user");
        }
        m.fallback_owner_id = Some(u);
    }
    if let Some(a) = input.active {
        m.active = a;
    }
    match AssignmentKind::parse(&m.kind) {
        Some(AssignmentKind::RoundRobin) if m.team_id.is_none() => {
            val.push("teamId", "is required for round robin")
        }
        Some(AssignmentKind::ByArea) if areas(m).is_empty() && m.fallback_owner_id.is_none() => {
            val.push("areas", "name at least one area or a fallback owner")
        }
        _ => {}
    }
    val.finish()
}

crate::versioned!(rules, ASSIGNMENT_RULE, kept[Turn], |m| {
    vec![
        ("name", json!(m.name)),
        ("kind", json!(m.kind)),
        ("teamId", json!(m.team_id)),
        ("areas", json!(areas(m))),
        ("fallbackOwnerId", json!(m.fallback_owner_id)),
        ("active", json!(m.active)),
    ]
});

/// Creates a rule.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    input: RuleInput,
) -> AppResult<rules::Model> {
    policy::authorize(ctx, ASSIGNMENT_RULE, Action::Create)?;
    let now = db::now();
    let mut m = rules::Model {
        id: Uuid::new_v4(),
        name: String::new(),
        kind: String::new(),
        team_id: None,
        areas: "[]".into(),
        fallback_owner_id: None,
        turn: 0,
        active: true,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    if input.name.is_none() {
        return Err(AppError::bad_input("name", "is required"));
    }
    apply(&state.db, &mut m, &input).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.insert(m).await?;
    w.commit().await?;
    Ok(m)
}

/// Changes a rule at `version`.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    input: RuleInput,
) -> AppResult<rules::Model> {
    policy::authorize(ctx, ASSIGNMENT_RULE, Action::Update)?;
    let current = rules::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such assignment rule".into()))?;
    let mut next = current.clone();
    apply(&state.db, &mut next, &input).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let next = w.save(&current, next, version, "update").await?;
    w.commit().await?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_takes_turns() {
        let m = [Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3)];
        let picks: Vec<_> = (1..=4).filter_map(|t| round_robin(&m, t)).collect();
        assert_eq!(picks, vec![m[0], m[1], m[2], m[0]]);
        assert_eq!(round_robin(&[], 1), None);
    }

    #[test]
    fn area_matches_ignore_case_and_spaces() {
        let a = vec![AreaOwner {
            area: "North".into(),
            user_id: Uuid::from_u128(7),
        }];
        assert_eq!(by_area(&a, Some(" north ")), Some(Uuid::from_u128(7)));
        assert_eq!(by_area(&a, Some("South")), None);
        assert_eq!(by_area(&a, None), None);
    }
}
