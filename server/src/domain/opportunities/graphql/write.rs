//! Opportunity and pipeline mutations with their inputs and payloads.

use super::*;

/// A contact on an opportunity, as input.
#[derive(InputObject)]
pub struct OpportunityContactInput {
    /// A person (party id).
    pub contact_id: ID,
    pub role: ContactRole,
}

/// A new opportunity. The pipeline defaults to the default pipeline, the stage to its first stage,
/// the probability to the stage's, and the owner to you.
#[derive(InputObject)]
pub struct CreateOpportunityInput {
    pub name: String,
    /// An account or customer (party id).
    pub account_id: ID,
    pub pipeline_id: Option<ID>,
    pub stage_id: Option<ID>,
    pub owner_id: Option<ID>,
    pub probability: Option<i32>,
    pub amount: Option<MoneyInput>,
    pub close_date: Option<String>,
    pub next_step: Option<String>,
    pub next_step_date: Option<String>,
    /// The key of a value of the `LEAD_SOURCE` pick-list (`referral`, …).
    pub lead_source: Option<String>,
    /// What the deal is about; several lines.
    pub description: Option<String>,
    /// The key of a value of the `OPPORTUNITY_TYPE` pick-list (`new_business`, …).
    pub opportunity_type: Option<String>,
    pub contacts: Option<Vec<OpportunityContactInput>>,
}

/// Changes to an opportunity. Omitted fields stay; an empty string clears optional text and dates;
/// `amount: null` and `leadSource: null` (or `""`) clear them. Stage changes go through `moveOpportunity`.
#[derive(InputObject)]
pub struct UpdateOpportunityInput {
    pub id: ID,
    /// The version you read; a newer stored version gives `CONFLICT`.
    pub version: i32,
    pub name: Option<String>,
    pub account_id: Option<ID>,
    pub owner_id: Option<ID>,
    pub probability: Option<i32>,
    pub amount: MaybeUndefined<MoneyInput>,
    pub close_date: Option<String>,
    pub next_step: Option<String>,
    pub next_step_date: Option<String>,
    /// The key of a value of the `LEAD_SOURCE` pick-list.
    pub lead_source: MaybeUndefined<String>,
    /// Several lines; an empty string clears.
    pub description: Option<String>,
    /// The key of a value of the `OPPORTUNITY_TYPE` pick-list; an empty string clears.
    pub opportunity_type: Option<String>,
    /// Only for a lost opportunity.
    pub lost_reason: Option<String>,
    /// Replaces the contact list when given.
    pub contacts: Option<Vec<OpportunityContactInput>>,
    /// Kept with the history rows of this change.
    pub note: Option<String>,
}

/// A move on the board.
#[derive(InputObject)]
pub struct MoveOpportunityInput {
    pub id: ID,
    /// The version you read; a newer stored version gives `CONFLICT` with the current record.
    pub version: i32,
    /// The target stage (same pipeline).
    pub stage_id: ID,
    /// The card it now follows in the target column (absent: it goes to the top when `beforeId` is
    /// given, else to the bottom).
    pub after_id: Option<ID>,
    /// The card it now precedes.
    pub before_id: Option<ID>,
    /// Why it was lost, when moved to a lost stage.
    pub lost_reason: Option<String>,
    /// Kept with the history rows of this move.
    pub note: Option<String>,
}

/// Names an opportunity at a version.
#[derive(InputObject)]
pub struct OpportunityRefInput {
    pub id: ID,
    pub version: i32,
}

/// An owner's forecast category for an open opportunity; `null` restores the stage's.
#[derive(InputObject)]
pub struct SetForecastCategoryInput {
    pub id: ID,
    pub version: i32,
    pub category: Option<ForecastCategory>,
}

/// The opportunity after a mutation.
#[derive(SimpleObject)]
pub struct OpportunityPayload {
    pub opportunity: Opportunity,
}

async fn set_archived(
    ctx: &Context<'_>,
    input: OpportunityRefInput,
    archived: bool,
) -> AppResult<OpportunityPayload> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let id = opportunity_id(&input.id, "id")?;
    let m = service::set_archived(state, req, id, input.version, archived).await?;
    Ok(OpportunityPayload {
        opportunity: Opportunity(m),
    })
}

pub(super) fn contacts_input(
    list: Option<Vec<OpportunityContactInput>>,
) -> AppResult<Option<Vec<(Uuid, ContactRole)>>> {
    list.map(|l| {
        l.into_iter()
            .enumerate()
            .map(|(i, c)| {
                Ok((
                    party_id(&c.contact_id, &format!("contacts.{i}.contactId"))?,
                    c.role,
                ))
            })
            .collect()
    })
    .transpose()
}

pub(super) fn money_input(m: MoneyInput) -> service::MoneyInput {
    service::MoneyInput {
        amount: m.amount.0,
        currency: m.currency,
    }
}

/// A `CONFLICT` error that also carries the current record (as the caller may see it), so a client
/// can show the fresh card at once.
pub(super) async fn with_current(ctx: &Context<'_>, id: Uuid, e: AppError) -> async_graphql::Error {
    let AppError::Conflict { .. } = e else {
        return e.into();
    };
    let current = match crate::kit::resolve::request(ctx) {
        Ok((state, req)) => service::get(&state.db, req, id).await.ok().flatten(),
        Err(_) => None,
    };
    let err: async_graphql::Error = e.into();
    match current {
        Some(m) => err.extend_with(|_, ext| {
            let mut obj = async_graphql::indexmap::IndexMap::new();
            let mut put = |k: &str, v: async_graphql::Value| {
                obj.insert(async_graphql::Name::new(k), v);
            };
            put("id", to_global_id("Opportunity", m.id).0.into());
            put(
                "stageId",
                to_global_id("PipelineStage", m.stage_id).0.into(),
            );
            put("position", m.position.clone().into());
            put("version", m.version.into());
            put("status", m.status.clone().into());
            put("probability", m.probability.into());
            put("ownerId", to_global_id("User", m.owner_id).0.into());
            ext.set("current", async_graphql::Value::Object(obj));
        }),
        None => err,
    }
}

/// Opportunity and pipeline mutations.
#[derive(Default)]
pub struct OpportunityMutation;

#[Object]
impl OpportunityMutation {
    /// Creates an opportunity at the bottom of its stage column.
    async fn create_opportunity(
        &self,
        ctx: &Context<'_>,
        input: CreateOpportunityInput,
    ) -> AppResult<OpportunityPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = OpportunityChanges {
            name: Some(input.name),
            account_id: Some(party_id(&input.account_id, "accountId")?),
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            pipeline_id: input
                .pipeline_id
                .as_ref()
                .map(|id| pipeline_id(id, "pipelineId"))
                .transpose()?,
            stage_id: input
                .stage_id
                .as_ref()
                .map(|id| stage_id(id, "stageId"))
                .transpose()?,
            probability: input.probability,
            amount: input.amount.map(|m| Some(money_input(m))),
            close_date: input.close_date,
            next_step: input.next_step,
            next_step_date: input.next_step_date,
            lead_source: input.lead_source.map(Some),
            description: input.description,
            opportunity_type: input.opportunity_type,
            lost_reason: None,
            contacts: contacts_input(input.contacts)?,
            note: None,
            ..Default::default()
        };
        let m = service::create(state, req, changes).await?;
        Ok(OpportunityPayload {
            opportunity: Opportunity(m),
        })
    }

    /// Updates an opportunity at the version you read.
    async fn update_opportunity(
        &self,
        ctx: &Context<'_>,
        input: UpdateOpportunityInput,
    ) -> async_graphql::Result<OpportunityPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = opportunity_id(&input.id, "id")?;
        let changes = OpportunityChanges {
            name: input.name,
            account_id: input
                .account_id
                .as_ref()
                .map(|a| party_id(a, "accountId"))
                .transpose()?,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            probability: input.probability,
            amount: match input.amount {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(m) => Some(Some(money_input(m))),
            },
            close_date: input.close_date,
            next_step: input.next_step,
            next_step_date: input.next_step_date,
            lead_source: match input.lead_source {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(l) => Some(Some(l)),
            },
            description: input.description,
            opportunity_type: input.opportunity_type,
            lost_reason: input.lost_reason,
            contacts: contacts_input(input.contacts)?,
            note: input.note,
            ..Default::default()
        };
        match service::update(state, req, id, input.version, changes).await {
            Ok(m) => Ok(OpportunityPayload {
                opportunity: Opportunity(m),
            }),
            Err(e) => Err(with_current(ctx, id, e).await),
        }
    }

    /// Moves an opportunity to a stage and a place in its column. A stale `version` gives `CONFLICT`
    /// with `extensions.current` (id, stageId, position, version, status, probability, ownerId).
    async fn move_opportunity(
        &self,
        ctx: &Context<'_>,
        input: MoveOpportunityInput,
    ) -> async_graphql::Result<OpportunityPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = opportunity_id(&input.id, "id")?;
        let mv = Move {
            stage_id: stage_id(&input.stage_id, "stageId")?,
            after_id: input
                .after_id
                .as_ref()
                .map(|a| opportunity_id(a, "afterId"))
                .transpose()?,
            before_id: input
                .before_id
                .as_ref()
                .map(|b| opportunity_id(b, "beforeId"))
                .transpose()?,
            lost_reason: input.lost_reason,
            note: input.note,
        };
        match service::move_to(state, req, id, input.version, mv).await {
            Ok(m) => Ok(OpportunityPayload {
                opportunity: Opportunity(m),
            }),
            Err(e) => Err(with_current(ctx, id, e).await),
        }
    }

    /// Archives an opportunity: off the board, never deleted.
    async fn archive_opportunity(
        &self,
        ctx: &Context<'_>,
        input: OpportunityRefInput,
    ) -> AppResult<OpportunityPayload> {
        set_archived(ctx, input, true).await
    }

    /// Overrides an open opportunity's forecast category (or restores its stage's with `null`).
    async fn set_forecast_category(
        &self,
        ctx: &Context<'_>,
        input: SetForecastCategoryInput,
    ) -> AppResult<OpportunityPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = opportunity_id(&input.id, "input.id")?;
        let m =
            service::set_forecast_category(state, req, id, input.version, input.category).await?;
        Ok(OpportunityPayload {
            opportunity: Opportunity(m),
        })
    }

    /// Restores an archived opportunity.
    async fn restore_opportunity(
        &self,
        ctx: &Context<'_>,
        input: OpportunityRefInput,
    ) -> AppResult<OpportunityPayload> {
        set_archived(ctx, input, false).await
    }

    /// Creates a pipeline with its stages (admins).
    async fn create_pipeline(
        &self,
        ctx: &Context<'_>,
        input: CreatePipelineInput,
    ) -> AppResult<Pipeline> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let specs: Vec<StageSpec> = input.stages.iter().map(StageSpec::from).collect();
        let p = pipes::create_pipeline(
            state,
            req,
            &input.name,
            input.is_default.unwrap_or(false),
            &specs,
        )
        .await?;
        Ok(Pipeline(p))
    }

    /// Adds a stage to a pipeline (admins).
    async fn add_stage(&self, ctx: &Context<'_>, input: AddStageInput) -> AppResult<PipelineStage> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let pipeline = pipeline_id(&input.pipeline_id, "pipelineId")?;
        let s = pipes::add_stage(
            state,
            req,
            pipeline,
            &StageSpec::from(&input.stage),
            input.position,
        )
        .await?;
        Ok(PipelineStage(s))
    }

    /// Puts a pipeline's stages in a new order (admins); `stageIds` names each stage once.
    async fn reorder_stages(
        &self,
        ctx: &Context<'_>,
        pipeline_id: ID,
        stage_ids: Vec<ID>,
    ) -> AppResult<Pipeline> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let pipeline = self::pipeline_id(&pipeline_id, "pipelineId")?;
        let ids = stage_ids
            .iter()
            .enumerate()
            .map(|(i, id)| stage_id(id, &format!("stageIds.{i}")))
            .collect::<AppResult<Vec<_>>>()?;
        pipes::reorder_stages(state, req, pipeline, &ids).await?;
        let p = entity::opportunities::pipelines::Entity::find_by_id(pipeline)
            .one(&state.db)
            .await?
            .ok_or_else(|| AppError::NotFound("no such pipeline".into()))?;
        Ok(Pipeline(p))
    }

    /// Renames a stage or changes its probability or outcome (admins).
    async fn update_stage(
        &self,
        ctx: &Context<'_>,
        input: UpdateStageInput,
    ) -> AppResult<PipelineStage> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = stage_id(&input.id, "id")?;
        let s = pipes::update_stage(state, req, id, input.name, input.probability, input.outcome)
            .await?;
        Ok(PipelineStage(s))
    }

    /// Retires a stage: no new opportunities enter it; those in it stay (admins).
    async fn retire_stage(&self, ctx: &Context<'_>, id: ID) -> AppResult<PipelineStage> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let s = pipes::set_stage_retired(state, req, stage_id(&id, "id")?, true).await?;
        Ok(PipelineStage(s))
    }

    /// Brings a retired stage back (admins).
    async fn restore_stage(&self, ctx: &Context<'_>, id: ID) -> AppResult<PipelineStage> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let s = pipes::set_stage_retired(state, req, stage_id(&id, "id")?, false).await?;
        Ok(PipelineStage(s))
    }

    /// Deletes a stage never used; a stage in use gives `BAD_USER_INPUT` (retire it instead).
    async fn delete_stage(&self, ctx: &Context<'_>, id: ID) -> AppResult<bool> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        pipes::delete_stage(state, req, stage_id(&id, "id")?).await?;
        Ok(true)
    }
}
