//! Pipelines and stages, with the inputs of stage administration.

use super::*;

/// A sales pipeline: an ordered set of stages.
#[derive(Clone)]
pub struct Pipeline(pub pipelines::Model);

#[Object]
impl Pipeline {
    async fn id(&self) -> ID {
        to_global_id("Pipeline", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// New opportunities land here unless another pipeline is named.
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The stages in order; retired stages only when asked.
    async fn stages(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_retired: bool,
    ) -> AppResult<Vec<PipelineStage>> {
        let cat = catalog(ctx).await?;
        Ok(cat
            .stages_of(self.0.id, include_retired)
            .cloned()
            .map(PipelineStage)
            .collect())
    }
}

/// A stage of a pipeline.
#[derive(Clone)]
pub struct PipelineStage(pub pipeline_stages::Model);

#[Object]
impl PipelineStage {
    async fn id(&self) -> ID {
        to_global_id("PipelineStage", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 1-based order within the pipeline.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The probability (percent) an opportunity takes on entering the stage.
    async fn probability(&self) -> i32 {
        self.0.probability
    }
    /// WON and LOST stages close the opportunities that enter them.
    async fn outcome(&self) -> StageOutcome {
        StageOutcome::parse(&self.0.outcome).unwrap_or(StageOutcome::Open)
    }
    /// The forecast category of the stage's open opportunities (unless their owner overrides it).
    async fn forecast_category(&self) -> ForecastCategory {
        ForecastCategory::parse(&self.0.forecast_category).unwrap_or(ForecastCategory::Pipeline)
    }
    /// A retired stage takes no new opportunities; it was in use, so it was kept.
    async fn retired(&self) -> bool {
        self.0.retired_at.is_some()
    }
    async fn pipeline(&self, ctx: &Context<'_>) -> AppResult<Option<Pipeline>> {
        Ok(catalog(ctx)
            .await?
            .pipeline(self.0.pipeline_id)
            .cloned()
            .map(Pipeline))
    }
}

/// A stage as input.
#[derive(InputObject)]
pub struct StageInput {
    pub name: String,
    /// Percent; WON stages need 100 and LOST stages 0.
    pub probability: i32,
    #[graphql(default_with = "StageOutcome::Open")]
    pub outcome: StageOutcome,
}

impl From<&StageInput> for StageSpec {
    fn from(s: &StageInput) -> Self {
        StageSpec {
            name: s.name.clone(),
            probability: s.probability,
            outcome: s.outcome,
        }
    }
}

/// A new pipeline.
#[derive(InputObject)]
pub struct CreatePipelineInput {
    pub name: String,
    pub is_default: Option<bool>,
    pub stages: Vec<StageInput>,
}

/// A new stage in a pipeline.
#[derive(InputObject)]
pub struct AddStageInput {
    pub pipeline_id: ID,
    pub stage: StageInput,
    /// 1-based; the end when absent.
    pub position: Option<i32>,
}

/// Changes to a stage.
#[derive(InputObject)]
pub struct UpdateStageInput {
    pub id: ID,
    pub name: Option<String>,
    pub probability: Option<i32>,
    /// Fixed once the stage is in use.
    pub outcome: Option<StageOutcome>,
}
