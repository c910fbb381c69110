//! GraphQL of the pipeline: thin resolvers over [`super::service`], [`super::board`] and
//! [`super::pipelines`].

use async_graphql::connection::{Connection, Edge};
use async_graphql::{
    Context, ErrorExtensions, InputObject, MaybeUndefined, Object, SimpleObject, ID,
};
use chrono::{DateTime, Utc};
use entity::opportunities::{opportunities, opportunity_history, pipeline_stages, pipelines};
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::board::{self, StageTotals};
use super::kinds::{ContactRole, ForecastCategory, HistoryField, OpportunityStatus, StageOutcome};
use super::loaders::{AccountLoader, CatalogCell, OpportunityContactsLoader};
use super::pipelines::{self as pipes, Catalog, StageSpec};
use super::policy::{OpportunityObject, AMOUNT_FIELD};
use super::rules;
use super::service::{self, Move, OpportunityChanges, OpportunityFilter};
use crate::auth::RequestCtx;
use crate::domain::accounts::graphql::ChangeKind;
use crate::domain::accounts::graphql::{Account, Money, MoneyInput};
use crate::domain::money;
use crate::domain::parties::graphql::Party;
use crate::domain::parties::loaders::PartyLoader;
use crate::domain::parties::operations::party_id;
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::domain::validation as v;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::Aggregate;
use crate::kit::ids::{expect_global_id, optional_user_id, to_global_id};
use crate::kit::paging::Page;
use crate::kit::paging::{prime, Loaded, TotalCount};
use crate::kit::scalars::Decimal;
use crate::policy::{self, Action, FieldGuard};

mod columns;
mod live;
mod pipeline;
mod query;
mod record;
mod write;

pub use columns::*;
pub use live::*;
pub use pipeline::*;
pub use query::*;
pub use record::*;
pub use write::*;

pub(super) async fn catalog(ctx: &Context<'_>) -> AppResult<std::sync::Arc<Catalog>> {
    let state = crate::kit::resolve::state(ctx)?;
    ctx.data::<CatalogCell>()?.get(&state.db).await
}

pub(super) fn loader_err(e: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("loading: {e}"))
}

pub(super) fn pipeline_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "Pipeline", field)
}

pub(super) fn stage_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "PipelineStage", field)
}

pub(super) fn opportunity_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "Opportunity", field)
}
