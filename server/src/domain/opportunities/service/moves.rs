//! Moving cards on the board: fractional positions between neighbours, and re-spacing a crowded column.

use super::*;

/// The last position in a stage column (`None` when it is empty).
pub(super) async fn last_position(
    db: &impl ConnectionTrait,
    pipeline: Uuid,
    stage: Uuid,
    except: Option<Uuid>,
) -> AppResult<Option<String>> {
    let mut q =
        aggregate::unscoped::<OpportunityObject>("positions in a column hold every deal of it")
            .filter(opportunities::Column::PipelineId.eq(pipeline))
            .filter(opportunities::Column::StageId.eq(stage));
    if let Some(id) = except {
        q = q.filter(opportunities::Column::Id.ne(id));
    }
    Ok(q.order_by_desc(opportunities::Column::Position)
        .order_by_desc(opportunities::Column::Id)
        .one(db)
        .await?
        .map(|m| m.position))
}

/// Resolves pipeline and stage for a new opportunity: the given ones, or the default pipeline's
/// first open stage.
pub(super) fn place(
    catalog: &Catalog,
    pipeline: Option<Uuid>,
    stage: Option<Uuid>,
) -> AppResult<(Uuid, entity::opportunities::pipeline_stages::Model)> {
    let pipeline = match (pipeline, stage.and_then(|s| catalog.stage(s))) {
        (Some(p), _) => {
            catalog
                .pipeline(p)
                .ok_or_else(|| AppError::bad_input("pipelineId", "is not a pipeline"))?
                .id
        }
        (None, Some(s)) => s.pipeline_id,
        (None, None) => {
            catalog
                .default_pipeline()
                .ok_or_else(|| AppError::bad_input("pipelineId", "no pipeline exists yet"))?
                .id
        }
    };
    let stage = match stage {
        Some(s) => catalog
            .stage(s)
            .filter(|st| st.pipeline_id == pipeline && st.retired_at.is_none())
            .ok_or_else(|| {
                AppError::bad_input("stageId", "is not an active stage of the pipeline")
            })?
            .clone(),
        None => catalog
            .stages_of(pipeline, false)
            .next()
            .ok_or_else(|| AppError::bad_input("stageId", "the pipeline has no active stage"))?
            .clone(),
    };
    Ok((pipeline, stage))
}

pub(super) fn outcome(stage: &entity::opportunities::pipeline_stages::Model) -> StageOutcome {
    StageOutcome::parse(&stage.outcome).unwrap_or(StageOutcome::Open)
}

/// A move on the board: into `stage_id`, between the cards `after_id` and `before_id` of that column.
#[derive(Debug, Clone)]
pub struct Move {
    pub stage_id: Uuid,
    pub after_id: Option<Uuid>,
    pub before_id: Option<Uuid>,
    pub lost_reason: Option<String>,
    pub note: Option<String>,
}

/// The positions around the drop point: the named neighbours if they are in the target column,
/// else the nearest cards next to the one that is.
pub(super) async fn neighbours(
    db: &impl ConnectionTrait,
    pipeline: Uuid,
    stage: Uuid,
    me: Uuid,
    after: Option<Uuid>,
    before: Option<Uuid>,
) -> AppResult<(Option<String>, Option<String>)> {
    use opportunities::Column as C;
    let column = || {
        aggregate::unscoped::<OpportunityObject>("positions in a column hold every deal of it")
            .filter(C::PipelineId.eq(pipeline))
            .filter(C::StageId.eq(stage))
            .filter(C::Id.ne(me))
    };
    let ids: Vec<Uuid> = after.into_iter().chain(before).collect();
    let found = if ids.is_empty() {
        Vec::new()
    } else {
        column().filter(C::Id.is_in(ids)).all(db).await?
    };
    let a = after.and_then(|id| found.iter().find(|m| m.id == id));
    let b = before.and_then(|id| found.iter().find(|m| m.id == id));
    let after_key = |m: &opportunities::Model| {
        Condition::any()
            .add(C::Position.gt(m.position.clone()))
            .add(
                Condition::all()
                    .add(C::Position.eq(m.position.clone()))
                    .add(C::Id.gt(m.id)),
            )
    };
    let before_key = |m: &opportunities::Model| {
        Condition::any()
            .add(C::Position.lt(m.position.clone()))
            .add(
                Condition::all()
                    .add(C::Position.eq(m.position.clone()))
                    .add(C::Id.lt(m.id)),
            )
    };
    Ok(match (a, b) {
        (Some(a), Some(b)) => (Some(a.position.clone()), Some(b.position.clone())),
        (Some(a), None) => {
            let next = column()
                .filter(after_key(a))
                .order_by_asc(C::Position)
                .order_by_asc(C::Id)
                .one(db)
                .await?;
            (Some(a.position.clone()), next.map(|m| m.position))
        }
        (None, Some(b)) => {
            let prev = column()
                .filter(before_key(b))
                .order_by_desc(C::Position)
                .order_by_desc(C::Id)
                .one(db)
                .await?;
            (prev.map(|m| m.position), Some(b.position.clone()))
        }
        (None, None) if after.is_none() && before.is_some() => {
            // The card it should precede has left the column: keep the drop at the top.
            let first = column()
                .order_by_asc(C::Position)
                .order_by_asc(C::Id)
                .one(db)
                .await?;
            (None, first.map(|m| m.position))
        }
        (None, None) => (last_position(db, pipeline, stage, Some(me)).await?, None),
    })
}

/// Moves an opportunity to a stage and a place in its column if `version` is current. Entering a
/// won or lost stage closes it; entering an open stage reopens it with the stage's probability.
pub async fn move_to(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    mv: Move,
) -> AppResult<opportunities::Model> {
    let (current, _) = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let mut val = Validator::default();
    let lost_reason = mv
        .lost_reason
        .as_deref()
        .and_then(|s| val.check(v::long_text("lostReason", s, 500)))
        .flatten();
    let note = mv
        .note
        .as_deref()
        .and_then(|s| val.check(v::long_text("note", s, 500)))
        .flatten();
    val.finish()?;
    let catalog = Catalog::load(&state.db).await?;
    let stage = catalog
        .stage(mv.stage_id)
        .filter(|s| s.pipeline_id == current.pipeline_id)
        .ok_or_else(|| AppError::bad_input("stageId", "is not a stage of this pipeline"))?;
    if stage.retired_at.is_some() && stage.id != current.stage_id {
        return Err(AppError::bad_input(
            "stageId",
            "is a retired stage; it takes no new opportunities",
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (a, b) = neighbours(
        w.txn(),
        current.pipeline_id,
        stage.id,
        id,
        mv.after_id,
        mv.before_id,
    )
    .await?;
    let mut next = current.clone();
    next.position = rules::key_between(a.as_deref(), b.as_deref());
    if next.position.len() > rules::MAX_KEY_LEN {
        next.position = respace(w.txn(), current.pipeline_id, stage.id, id, a.as_deref()).await?;
    }
    if stage.id != current.stage_id {
        let entry = rules::enter_stage(
            outcome(stage),
            stage.probability,
            lost_reason.or(current.lost_reason.clone()),
        );
        let was_open = current.status == OpportunityStatus::Open.as_str();
        next.stage_id = stage.id;
        next.status = entry.status.as_str().to_string();
        next.probability = entry.probability;
        next.lost_reason = entry.lost_reason;
        next.closed_at = match (entry.closed, was_open) {
            (true, true) => Some(db::now()),
            (true, false) if current.status != next.status => Some(db::now()),
            (true, false) => current.closed_at,
            (false, _) => None,
        };
    } else if let Some(r) = lost_reason {
        if current.status == OpportunityStatus::Lost.as_str() {
            next.lost_reason = Some(r);
        }
    }
    let m = save(
        &mut w,
        actor,
        &current,
        next,
        version,
        "move",
        note.as_deref(),
        json!({}),
    )
    .await?;
    w.commit().await?;
    Ok(m)
}

/// Re-spaces a column whose gap has been split too often; returns the moved card's key (right after
/// `after`, or at the top).
pub(super) async fn respace(
    txn: &impl ConnectionTrait,
    pipeline: Uuid,
    stage: Uuid,
    me: Uuid,
    after: Option<&str>,
) -> AppResult<String> {
    use opportunities::Column as C;
    let rows: Vec<(Uuid, String)> =
        aggregate::unscoped::<OpportunityObject>("positions in a column hold every deal of it")
            .select_only()
            .column(C::Id)
            .column(C::Position)
            .filter(C::PipelineId.eq(pipeline))
            .filter(C::StageId.eq(stage))
            .filter(C::Id.ne(me))
            .order_by_asc(C::Position)
            .order_by_asc(C::Id)
            .into_tuple()
            .all(txn)
            .await?;
    let split = after.map_or(0, |a| rows.iter().filter(|(_, p)| p.as_str() <= a).count());
    let keys = rules::spaced(rows.len() + 1);
    let mut mine = keys[split].clone();
    for (i, (id, _)) in rows.iter().enumerate() {
        let k = if i < split { &keys[i] } else { &keys[i + 1] };
        opportunities::Entity::update_many()
            .col_expr(C::Position, Expr::value(k.clone()))
            .filter(C::Id.eq(*id))
            .exec(txn)
            .await?;
    }
    if mine.is_empty() {
        mine = rules::key_between(None, None);
    }
    Ok(mine)
}

/// Sets an opportunity won inside a composed write (a quote accepted): its pipeline's first won
/// stage, at the bottom of that column, with `amount_minor` (minor units) of `currency`, closed now.
/// The caller must be allowed to update the opportunity and write its amount.
pub async fn win_in(
    w: &mut Write<'_>,
    ctx: &RequestCtx,
    id: Uuid,
    amount_minor: i64,
    currency: &str,
    note: &str,
) -> AppResult<opportunities::Model> {
    let (current, _) = load_for(w.txn(), ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    policy::check_field_write(actor, AMOUNT_FIELD)?;
    if current.status == OpportunityStatus::Lost.as_str() || current.archived_at.is_some() {
        return Err(AppError::bad_input(
            "winOpportunity",
            "the opportunity is lost or archived; reopen it first",
        ));
    }
    let catalog = Catalog::load(w.txn()).await?;
    let stage = catalog
        .stages_of(current.pipeline_id, false)
        .find(|s| outcome(s) == StageOutcome::Won)
        .ok_or_else(|| {
            AppError::bad_input(
                "winOpportunity",
                "the opportunity's pipeline has no won stage",
            )
        })?
        .clone();
    let mut next = current.clone();
    if stage.id != current.stage_id {
        let last = last_position(w.txn(), current.pipeline_id, stage.id, Some(id)).await?;
        next.position = rules::key_between(last.as_deref(), None);
        next.stage_id = stage.id;
        next.probability = stage.probability;
    }
    next.status = OpportunityStatus::Won.as_str().to_string();
    next.lost_reason = None;
    if current.status != next.status {
        next.closed_at = Some(db::now());
    }
    next.amount_minor = Some(amount_minor);
    next.currency = Some(currency.to_string());
    let version = current.version;
    save(
        w,
        actor,
        &current,
        next,
        version,
        "move",
        Some(note),
        json!({}),
    )
    .await
}
