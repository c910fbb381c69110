//! Pipelines and their stages: read by everyone who reads opportunities, shaped by admins.
//! A stage in use is retired, never deleted; won and lost stages have fixed probabilities.

use std::collections::HashMap;

use entity::opportunities::{opportunities, opportunity_history, pipeline_stages, pipelines};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::kinds::StageOutcome;
use super::policy::{OpportunityObject, PIPELINE};
use super::rules;
use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

/// Every pipeline and stage, read once per request.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub pipelines: Vec<pipelines::Model>,
    /// Ordered by pipeline, then position.
    pub stages: Vec<pipeline_stages::Model>,
    by_stage: HashMap<Uuid, usize>,
}

impl Catalog {
    /// Loads the catalog: two statements.
    pub async fn load(db: &impl ConnectionTrait) -> AppResult<Self> {
        let pipelines = pipelines::Entity::find()
            .filter(pipelines::Column::ArchivedAt.is_null())
            .order_by_asc(pipelines::Column::Position)
            .order_by_asc(pipelines::Column::Name)
            .all(db)
            .await?;
        let stages = pipeline_stages::Entity::find()
            .order_by_asc(pipeline_stages::Column::PipelineId)
            .order_by_asc(pipeline_stages::Column::Position)
            .all(db)
            .await?;
        let by_stage = stages.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        Ok(Self {
            pipelines,
            stages,
            by_stage,
        })
    }

    pub fn pipeline(&self, id: Uuid) -> Option<&pipelines::Model> {
        self.pipelines.iter().find(|p| p.id == id)
    }

    /// The default pipeline (or the first, if none is marked).
    pub fn default_pipeline(&self) -> Option<&pipelines::Model> {
        self.pipelines
            .iter()
            .find(|p| p.is_default)
            .or_else(|| self.pipelines.first())
    }

    pub fn stage(&self, id: Uuid) -> Option<&pipeline_stages::Model> {
        self.by_stage.get(&id).map(|i| &self.stages[*i])
    }

    /// The stages of a pipeline in order, retired ones included when asked.
    pub fn stages_of(
        &self,
        pipeline: Uuid,
        include_retired: bool,
    ) -> impl Iterator<Item = &pipeline_stages::Model> {
        self.stages.iter().filter(move |s| {
            s.pipeline_id == pipeline && (include_retired || s.retired_at.is_none())
        })
    }
}

/// The caller may read pipelines.
pub fn authorize_read(ctx: &RequestCtx) -> AppResult<()> {
    policy::authorize(ctx, PIPELINE, Action::Read).map(|_| ())
}

/// A stage as given by an admin.
#[derive(Debug, Clone)]
pub struct StageSpec {
    pub name: String,
    pub probability: i32,
    pub outcome: StageOutcome,
}

fn check_stage(val: &mut Validator, field: &str, s: &StageSpec) -> Option<StageSpec> {
    let name = val.check(v::required_text(&format!("{field}.name"), &s.name, 100));
    let mut ok = true;
    if !(0..=100).contains(&s.probability) {
        val.push(&format!("{field}.probability"), "must be between 0 and 100");
        ok = false;
    } else if let Some(fixed) = rules::fixed_probability(s.outcome) {
        if s.probability != fixed {
            val.push(
                &format!("{field}.probability"),
                format!(
                    "must be {fixed} for a {} stage",
                    s.outcome.as_str().to_lowercase()
                ),
            );
            ok = false;
        }
    }
    name.filter(|_| ok).map(|name| StageSpec {
        name,
        probability: s.probability,
        outcome: s.outcome,
    })
}

fn stage_row(pipeline: Uuid, position: i32, s: &StageSpec) -> pipeline_stages::Model {
    pipeline_stages::Model {
        id: Uuid::new_v4(),
        pipeline_id: pipeline,
        name: s.name.clone(),
        position,
        probability: s.probability,
        outcome: s.outcome.as_str().to_string(),
        forecast_category: rules::forecast_category_of_stage(s.outcome, s.probability).to_string(),
        retired_at: None,
        created_at: db::now(),
    }
}

fn stage_json(s: &pipeline_stages::Model) -> serde_json::Value {
    json!({"name": s.name, "position": s.position, "probability": s.probability,
           "outcome": s.outcome, "retired": s.retired_at.is_some()})
}

/// Creates a pipeline with its stages (admins). The first pipeline, or one marked default, becomes
/// the default.
pub async fn create_pipeline(
    state: &AppState,
    ctx: &RequestCtx,
    name: &str,
    is_default: bool,
    stages: &[StageSpec],
) -> AppResult<pipelines::Model> {
    let (actor, _) = policy::authorize(ctx, PIPELINE, Action::Create)?;
    let mut val = Validator::default();
    let name = val.check(v::required_text("name", name, 100));
    if stages.is_empty() {
        val.push("stages", "needs at least one stage");
    }
    let mut clean = Vec::new();
    for (i, s) in stages.iter().enumerate() {
        if let Some(s) = check_stage(&mut val, &format!("stages.{i}"), s) {
            if clean
                .iter()
                .any(|c: &StageSpec| c.name.eq_ignore_ascii_case(&s.name))
            {
                val.push(&format!("stages.{i}.name"), "is used by another stage");
            }
            clean.push(s);
        }
    }
    if stages.len() > 30 {
        val.push("stages", "may have at most 30 stages");
    }
    val.finish()?;
    let name = name.unwrap_or_default();
    let w = Write::begin(state, Some(ctx)).await?;
    let taken = pipelines::Entity::find()
        .filter(pipelines::Column::Name.eq(name.clone()))
        .count(w.txn())
        .await?;
    if taken > 0 {
        return Err(AppError::bad_input("name", "is used by another pipeline"));
    }
    let count = pipelines::Entity::find().count(w.txn()).await?;
    let make_default = is_default || count == 0;
    if make_default {
        pipelines::Entity::update_many()
            .col_expr(
                pipelines::Column::IsDefault,
                sea_orm::sea_query::Expr::value(false),
            )
            .exec(w.txn())
            .await?;
    }
    let p = pipelines::Model {
        id: Uuid::new_v4(),
        name,
        position: i32::try_from(count).unwrap_or(i32::MAX - 1) + 1,
        is_default: make_default,
        archived_at: None,
        created_at: db::now(),
    };
    pipelines::ActiveModel::from(p.clone())
        .insert(w.txn())
        .await?;
    let rows: Vec<_> = clean
        .iter()
        .enumerate()
        .map(|(i, s)| stage_row(p.id, i as i32 + 1, s))
        .collect();
    for r in &rows {
        pipeline_stages::ActiveModel::from(r.clone())
            .insert(w.txn())
            .await?;
    }
    let changes = json!({
        "name": {"before": null, "after": p.name},
        "stages": {"before": null, "after": rows.iter().map(stage_json).collect::<Vec<_>>()},
    });
    changelog::record(
        w.txn(),
        Some(actor.user_id),
        PIPELINE,
        p.id,
        "create",
        changes,
    )
    .await?;
    w.commit().await?;
    Ok(p)
}

async fn load_stage(db: &impl ConnectionTrait, id: Uuid) -> AppResult<pipeline_stages::Model> {
    pipeline_stages::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such stage".into()))
}

async fn in_use(db: &impl ConnectionTrait, stage: Uuid) -> AppResult<bool> {
    let held = aggregate::unscoped::<OpportunityObject>(
        "a stage in use by anyone's deal cannot be removed",
    )
    .filter(opportunities::Column::StageId.eq(stage))
    .count(db)
    .await?;
    if held > 0 {
        return Ok(true);
    }
    let text = stage.to_string();
    let seen = opportunity_history::Entity::find()
        .filter(opportunity_history::Column::Field.eq("STAGE"))
        .filter(
            sea_orm::Condition::any()
                .add(opportunity_history::Column::FromValue.eq(text.clone()))
                .add(opportunity_history::Column::ToValue.eq(text)),
        )
        .count(db)
        .await?;
    Ok(seen > 0)
}

/// Adds a stage to a pipeline at `position` (1-based; the end when absent), shifting later ones.
pub async fn add_stage(
    state: &AppState,
    ctx: &RequestCtx,
    pipeline: Uuid,
    spec: &StageSpec,
    position: Option<i32>,
) -> AppResult<pipeline_stages::Model> {
    let (actor, _) = policy::authorize(ctx, PIPELINE, Action::Update)?;
    let mut val = Validator::default();
    let clean = check_stage(&mut val, "stage", spec);
    val.finish()?;
    let clean = clean.ok_or_else(|| AppError::bad_input("stage", "is invalid"))?;
    let w = Write::begin(state, Some(ctx)).await?;
    if pipelines::Entity::find_by_id(pipeline)
        .one(w.txn())
        .await?
        .is_none()
    {
        return Err(AppError::bad_input("pipelineId", "is not a pipeline"));
    }
    let existing = pipeline_stages::Entity::find()
        .filter(pipeline_stages::Column::PipelineId.eq(pipeline))
        .order_by_asc(pipeline_stages::Column::Position)
        .all(w.txn())
        .await?;
    if existing
        .iter()
        .any(|s| s.name.eq_ignore_ascii_case(&clean.name))
    {
        return Err(AppError::bad_input(
            "stage.name",
            "is used by another stage",
        ));
    }
    let end = existing.len() as i32 + 1;
    let at = position.unwrap_or(end);
    if !(1..=end).contains(&at) {
        return Err(AppError::bad_input(
            "position",
            format!("must be between 1 and {end}"),
        ));
    }
    for s in existing.iter().filter(|s| s.position >= at) {
        let mut am: pipeline_stages::ActiveModel = s.clone().into();
        am.position = Set(s.position + 1);
        am.update(w.txn()).await?;
    }
    let row = stage_row(pipeline, at, &clean);
    pipeline_stages::ActiveModel::from(row.clone())
        .insert(w.txn())
        .await?;
    changelog::record(
        w.txn(),
        Some(actor.user_id),
        PIPELINE,
        pipeline,
        "add_stage",
        json!({"stage": {"before": null, "after": stage_json(&row)}}),
    )
    .await?;
    w.commit().await?;
    Ok(row)
}

/// Puts a pipeline's stages in the given order: `order` must name each of its stages once.
pub async fn reorder_stages(
    state: &AppState,
    ctx: &RequestCtx,
    pipeline: Uuid,
    order: &[Uuid],
) -> AppResult<()> {
    let (actor, _) = policy::authorize(ctx, PIPELINE, Action::Update)?;
    let w = Write::begin(state, Some(ctx)).await?;
    let existing = pipeline_stages::Entity::find()
        .filter(pipeline_stages::Column::PipelineId.eq(pipeline))
        .order_by_asc(pipeline_stages::Column::Position)
        .all(w.txn())
        .await?;
    if existing.is_empty() {
        return Err(AppError::bad_input("pipelineId", "is not a pipeline"));
    }
    let mut want: Vec<Uuid> = order.to_vec();
    let mut have: Vec<Uuid> = existing.iter().map(|s| s.id).collect();
    want.sort();
    have.sort();
    if want != have {
        return Err(AppError::bad_input(
            "stageIds",
            "must name every stage of the pipeline exactly once",
        ));
    }
    let before: Vec<String> = existing.iter().map(|s| s.name.clone()).collect();
    let mut after = Vec::new();
    for (i, id) in order.iter().enumerate() {
        if let Some(s) = existing.iter().find(|s| s.id == *id) {
            after.push(s.name.clone());
            if s.position != i as i32 + 1 {
                let mut am: pipeline_stages::ActiveModel = s.clone().into();
                am.position = Set(i as i32 + 1);
                am.update(w.txn()).await?;
            }
        }
    }
    changelog::record(
        w.txn(),
        Some(actor.user_id),
        PIPELINE,
        pipeline,
        "reorder_stages",
        json!({"stages": {"before": before, "after": after}}),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// Renames a stage or changes its default probability; the outcome of a stage in use is fixed.
pub async fn update_stage(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    name: Option<String>,
    probability: Option<i32>,
    outcome: Option<StageOutcome>,
) -> AppResult<pipeline_stages::Model> {
    let (actor, _) = policy::authorize(ctx, PIPELINE, Action::Update)?;
    let w = Write::begin(state, Some(ctx)).await?;
    let current = load_stage(w.txn(), id).await?;
    let current_outcome = StageOutcome::parse(&current.outcome).unwrap_or(StageOutcome::Open);
    let spec = StageSpec {
        name: name.unwrap_or_else(|| current.name.clone()),
        probability: probability.unwrap_or(current.probability),
        outcome: outcome.unwrap_or(current_outcome),
    };
    let mut val = Validator::default();
    let clean = check_stage(&mut val, "stage", &spec);
    val.finish()?;
    let clean = clean.ok_or_else(|| AppError::bad_input("stage", "is invalid"))?;
    if clean.outcome != current_outcome && in_use(w.txn(), id).await? {
        return Err(AppError::bad_input(
            "outcome",
            "cannot change on a stage in use; add a new stage and retire this one",
        ));
    }
    let clash = pipeline_stages::Entity::find()
        .filter(pipeline_stages::Column::PipelineId.eq(current.pipeline_id))
        .filter(pipeline_stages::Column::Id.ne(id))
        .all(w.txn())
        .await?
        .iter()
        .any(|s| s.name.eq_ignore_ascii_case(&clean.name));
    if clash {
        return Err(AppError::bad_input("name", "is used by another stage"));
    }
    let mut am: pipeline_stages::ActiveModel = current.clone().into();
    am.name = Set(clean.name);
    am.probability = Set(clean.probability);
    am.outcome = Set(clean.outcome.as_str().to_string());
    am.forecast_category =
        Set(rules::forecast_category_of_stage(clean.outcome, clean.probability).to_string());
    let next = am.update(w.txn()).await?;
    changelog::record(
        w.txn(),
        Some(actor.user_id),
        PIPELINE,
        current.pipeline_id,
        "update_stage",
        json!({"stage": {"before": stage_json(&current), "after": stage_json(&next)}}),
    )
    .await?;
    w.commit().await?;
    Ok(next)
}

/// Retires a stage (no new moves into it; its cards stay) or brings it back.
pub async fn set_stage_retired(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    retired: bool,
) -> AppResult<pipeline_stages::Model> {
    let (actor, _) = policy::authorize(ctx, PIPELINE, Action::Update)?;
    let w = Write::begin(state, Some(ctx)).await?;
    let current = load_stage(w.txn(), id).await?;
    if retired && current.retired_at.is_none() {
        let active = pipeline_stages::Entity::find()
            .filter(pipeline_stages::Column::PipelineId.eq(current.pipeline_id))
            .filter(pipeline_stages::Column::RetiredAt.is_null())
            .filter(pipeline_stages::Column::Outcome.eq(StageOutcome::Open.as_str()))
            .filter(pipeline_stages::Column::Id.ne(id))
            .count(w.txn())
            .await?;
        if active == 0 && current.outcome == StageOutcome::Open.as_str() {
            return Err(AppError::bad_input(
                "id",
                "is the pipeline's last open stage and cannot be retired",
            ));
        }
    }
    let mut am: pipeline_stages::ActiveModel = current.clone().into();
    am.retired_at = Set(if retired {
        current.retired_at.or(Some(db::now()))
    } else {
        None
    });
    let next = am.update(w.txn()).await?;
    changelog::record(
        w.txn(),
        Some(actor.user_id),
        PIPELINE,
        current.pipeline_id,
        if retired {
            "retire_stage"
        } else {
            "restore_stage"
        },
        json!({"stage": {"before": stage_json(&current), "after": stage_json(&next)}}),
    )
    .await?;
    w.commit().await?;
    Ok(next)
}

/// Deletes a stage that no opportunity holds or ever held; a stage in use must be retired instead.
pub async fn delete_stage(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    let (actor, _) = policy::authorize(ctx, PIPELINE, Action::Update)?;
    let w = Write::begin(state, Some(ctx)).await?;
    let current = load_stage(w.txn(), id).await?;
    if in_use(w.txn(), id).await? {
        return Err(AppError::bad_input(
            "id",
            "is a stage in use (opportunities hold it or passed through it); retire it instead",
        ));
    }
    let others = pipeline_stages::Entity::find()
        .filter(pipeline_stages::Column::PipelineId.eq(current.pipeline_id))
        .filter(pipeline_stages::Column::Id.ne(id))
        .filter(pipeline_stages::Column::Outcome.eq(StageOutcome::Open.as_str()))
        .filter(pipeline_stages::Column::RetiredAt.is_null())
        .count(w.txn())
        .await?;
    if others == 0 && current.outcome == StageOutcome::Open.as_str() {
        return Err(AppError::bad_input(
            "id",
            "is the pipeline's last open stage and cannot be deleted",
        ));
    }
    pipeline_stages::Entity::delete_by_id(id)
        .exec(w.txn())
        .await?;
    let later = pipeline_stages::Entity::find()
        .filter(pipeline_stages::Column::PipelineId.eq(current.pipeline_id))
        .filter(pipeline_stages::Column::Position.gt(current.position))
        .all(w.txn())
        .await?;
    for s in later {
        let pos = s.position;
        let mut am: pipeline_stages::ActiveModel = s.into();
        am.position = Set(pos - 1);
        am.update(w.txn()).await?;
    }
    changelog::record(
        w.txn(),
        Some(actor.user_id),
        PIPELINE,
        current.pipeline_id,
        "delete_stage",
        json!({"stage": {"before": stage_json(&current), "after": null}}),
    )
    .await?;
    w.commit().await?;
    Ok(())
}
