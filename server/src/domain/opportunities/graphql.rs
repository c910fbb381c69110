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
use super::kinds::{ContactRole, HistoryField, LeadSource, OpportunityStatus, StageOutcome};
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
use crate::kit::ids::{expect_global_id, optional_user_id, to_global_id};
use crate::kit::paging::Page;
use crate::kit::paging::{prime, Loaded, TotalCount};
use crate::kit::scalars::Decimal;
use crate::policy::{self, Action, FieldGuard};
use crate::state::AppState;

async fn catalog(ctx: &Context<'_>) -> AppResult<std::sync::Arc<Catalog>> {
    let state = ctx.data::<AppState>()?;
    ctx.data::<CatalogCell>()?.get(&state.db).await
}

fn loader_err(e: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("loading: {e}"))
}

fn format_minor(v: i128) -> String {
    match i64::try_from(v) {
        Ok(x) => money::format_amount(x),
        Err(_) => {
            let sign = if v < 0 { "-" } else { "" };
            let a = v.unsigned_abs();
            format!("{sign}{}.{:02}", a / 100, a % 100)
        }
    }
}

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

/// A possible sale to an account, moving through the stages of a pipeline.
#[derive(Clone)]
pub struct Opportunity(pub opportunities::Model);

impl Opportunity {
    fn money(&self, minor: Option<i64>) -> Option<Money> {
        match (minor, &self.0.currency) {
            (Some(m), Some(c)) => Some(Money {
                amount: Decimal(money::format_amount(m)),
                currency: c.clone(),
            }),
            _ => None,
        }
    }
}

#[Object]
impl Opportunity {
    pub async fn id(&self) -> ID {
        to_global_id("Opportunity", self.0.id)
    }
    /// Unique human code, e.g. `O-000042`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// By convention "Company – what is sold".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The account or customer; `null` when it is not visible to you.
    async fn account(&self, ctx: &Context<'_>) -> AppResult<Option<Account>> {
        let loader = ctx.data::<Loaded<AccountLoader>>()?;
        Ok(loader
            .load_one(self.0.account_id)
            .await
            .map_err(loader_err)?
            .flatten()
            .map(Account))
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        let loader = ctx.data::<Loaded<UserLoader>>()?;
        Ok(loader
            .load_one(self.0.owner_id)
            .await
            .map_err(loader_err)?
            .map(User))
    }
    async fn pipeline(&self, ctx: &Context<'_>) -> AppResult<Option<Pipeline>> {
        Ok(catalog(ctx)
            .await?
            .pipeline(self.0.pipeline_id)
            .cloned()
            .map(Pipeline))
    }
    async fn stage(&self, ctx: &Context<'_>) -> AppResult<Option<PipelineStage>> {
        Ok(catalog(ctx)
            .await?
            .stage(self.0.stage_id)
            .cloned()
            .map(PipelineStage))
    }
    /// The order key within its stage column (compare as plain text, then by id).
    async fn position(&self) -> &str {
        &self.0.position
    }
    /// Percent, 0–100: the stage's default unless overridden.
    async fn probability(&self) -> i32 {
        self.0.probability
    }
    /// The estimated amount. Guarded: `null` with a `FORBIDDEN` error without the field grant.
    #[graphql(guard = "FieldGuard::of(crate::domain::opportunities::policy::AMOUNT_FIELD)")]
    async fn amount(&self) -> Option<Money> {
        self.money(self.0.amount_minor)
    }
    /// `amount × probability / 100`, guarded like `amount`.
    #[graphql(guard = "FieldGuard::of(crate::domain::opportunities::policy::AMOUNT_FIELD)")]
    async fn weighted_amount(&self) -> Option<Money> {
        self.money(
            self.0
                .amount_minor
                .map(|a| rules::weighted(a, self.0.probability)),
        )
    }
    /// `YYYY-MM-DD`.
    async fn close_date(&self) -> Option<String> {
        self.0.close_date.map(|d| d.to_string())
    }
    async fn next_step(&self) -> Option<&str> {
        self.0.next_step.as_deref()
    }
    async fn next_step_date(&self) -> Option<String> {
        self.0.next_step_date.map(|d| d.to_string())
    }
    async fn lead_source(&self) -> Option<LeadSource> {
        self.0.lead_source.as_deref().and_then(LeadSource::parse)
    }
    /// The lead this opportunity came from (leads arrive with their own issue).
    async fn lead_id(&self) -> Option<ID> {
        self.0.lead_id.map(|id| to_global_id("Lead", id))
    }
    /// The campaign it is attributed to (campaigns arrive with marketing).
    async fn campaign_id(&self) -> Option<ID> {
        self.0.campaign_id.map(|id| to_global_id("Campaign", id))
    }
    async fn status(&self) -> OpportunityStatus {
        OpportunityStatus::parse(&self.0.status).unwrap_or(OpportunityStatus::Open)
    }
    async fn lost_reason(&self) -> Option<&str> {
        self.0.lost_reason.as_deref()
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    /// The people involved, with their part in the decision; contacts you may not see are left out.
    async fn contacts(&self, ctx: &Context<'_>) -> AppResult<Vec<OpportunityContact>> {
        let rows = ctx
            .data::<Loaded<OpportunityContactsLoader>>()?
            .load_one(self.0.id)
            .await
            .map_err(loader_err)?
            .unwrap_or_default();
        let parties = ctx
            .data::<Loaded<PartyLoader>>()?
            .load_many(rows.iter().map(|r| r.party_id))
            .await
            .map_err(loader_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let p = parties.get(&r.party_id)?.clone();
                Some(OpportunityContact {
                    contact: Party::from_model(p),
                    role: ContactRole::parse(&r.role).unwrap_or(ContactRole::Other),
                })
            })
            .collect())
    }
    /// Every change of stage, amount, probability and close date, newest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, OpportunityHistoryEntry>> {
        let state = ctx.data::<AppState>()?;
        let page = Page::new(first, after)?;
        let after = page
            .after
            .as_deref()
            .map(|a| {
                a.parse::<i64>()
                    .map_err(|_| AppError::bad_input("after", "is not a cursor of this list"))
            })
            .transpose()?;
        let (rows, more) = service::history(&state.db, self.0.id, page.first, after).await?;
        prime::<UserLoader>(
            ctx,
            ctx.look_ahead()
                .field("edges")
                .field("node")
                .field("actor")
                .exists(),
            rows.iter().filter_map(|r| r.actor_id),
        )
        .await?;
        let mut conn = Connection::new(after.is_some(), more);
        conn.edges.extend(
            rows.into_iter()
                .map(|r| Edge::new(r.id.to_string(), OpportunityHistoryEntry(r))),
        );
        Ok(conn)
    }
    /// Optimistic-concurrency version; send it back with updates and moves.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A contact on an opportunity.
#[derive(SimpleObject)]
pub struct OpportunityContact {
    pub contact: Party,
    pub role: ContactRole,
}

/// One recorded change of an opportunity.
pub struct OpportunityHistoryEntry(pub opportunity_history::Model);

impl OpportunityHistoryEntry {
    fn kind(&self) -> HistoryField {
        HistoryField::parse(&self.0.field).unwrap_or(HistoryField::Stage)
    }

    fn amount_hidden(&self, ctx: &Context<'_>) -> AppResult<bool> {
        Ok(self.kind() == HistoryField::Amount
            && !ctx
                .data::<RequestCtx>()?
                .actor()?
                .grants
                .can_read(AMOUNT_FIELD))
    }

    async fn value(&self, ctx: &Context<'_>, raw: &Option<String>) -> AppResult<Option<String>> {
        if self.amount_hidden(ctx)? {
            return Err(AppError::Forbidden(
                "your role may not read opportunity.amount".into(),
            ));
        }
        if self.kind() == HistoryField::Stage {
            let cat = catalog(ctx).await?;
            return Ok(raw
                .as_deref()
                .and_then(|s| Uuid::parse_str(s).ok())
                .and_then(|id| cat.stage(id))
                .map(|s| s.name.clone()));
        }
        Ok(raw.clone())
    }

    async fn stage(
        &self,
        ctx: &Context<'_>,
        raw: &Option<String>,
    ) -> AppResult<Option<PipelineStage>> {
        if self.kind() != HistoryField::Stage {
            return Ok(None);
        }
        let cat = catalog(ctx).await?;
        Ok(raw
            .as_deref()
            .and_then(|s| Uuid::parse_str(s).ok())
            .and_then(|id| cat.stage(id))
            .cloned()
            .map(PipelineStage))
    }
}

#[Object]
impl OpportunityHistoryEntry {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn field(&self) -> HistoryField {
        self.kind()
    }
    /// The value before, for display: a stage name, an amount such as "1250.00 EUR", a percentage
    /// or a date. Amounts are `null` with a `FORBIDDEN` error without the amount grant.
    async fn from(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        self.value(ctx, &self.0.from_value).await
    }
    /// The value after, as `from`.
    async fn to(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        self.value(ctx, &self.0.to_value).await
    }
    async fn from_stage(&self, ctx: &Context<'_>) -> AppResult<Option<PipelineStage>> {
        self.stage(ctx, &self.0.from_value).await
    }
    async fn to_stage(&self, ctx: &Context<'_>) -> AppResult<Option<PipelineStage>> {
        self.stage(ctx, &self.0.to_value).await
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Who made the change.
    async fn actor(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<UserLoader>>()?
            .load_one(id)
            .await
            .map_err(loader_err)?
            .map(User))
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
}

/// One column of the board.
pub struct BoardColumn {
    stage: pipeline_stages::Model,
    totals: StageTotals,
    cards: Vec<opportunities::Model>,
    more: bool,
}

impl BoardColumn {
    fn sums(&self, weighted: bool) -> Vec<Money> {
        self.totals
            .amounts
            .iter()
            .map(|(cur, sum, w)| Money {
                amount: Decimal(format_minor(if weighted { *w } else { *sum })),
                currency: cur.clone(),
            })
            .collect()
    }
}

#[Object]
impl BoardColumn {
    async fn stage(&self) -> PipelineStage {
        PipelineStage(self.stage.clone())
    }
    /// How many opportunities you may see are in this stage (after the filter).
    async fn count(&self) -> i64 {
        i64::try_from(self.totals.count).unwrap_or(i64::MAX)
    }
    /// Sum of their amounts, one entry per currency. Guarded like `Opportunity.amount`.
    #[graphql(guard = "FieldGuard::of(crate::domain::opportunities::policy::AMOUNT_FIELD)")]
    async fn sum(&self) -> Option<Vec<Money>> {
        Some(self.sums(false))
    }
    /// Sum of amount × probability / 100, one entry per currency. Guarded like `sum`.
    #[graphql(guard = "FieldGuard::of(crate::domain::opportunities::policy::AMOUNT_FIELD)")]
    async fn weighted_sum(&self) -> Option<Vec<Money>> {
        Some(self.sums(true))
    }
    /// The first cards in board order; `boardColumn` pages on from the last cursor.
    async fn cards(&self) -> Connection<String, Opportunity, TotalCount> {
        let mut conn = Connection::with_additional_fields(
            false,
            self.more,
            TotalCount::known(self.totals.count),
        );
        conn.edges.extend(
            self.cards
                .iter()
                .map(|m| Edge::new(board::card_cursor(m), Opportunity(m.clone()))),
        );
        conn
    }
}

/// The board of one pipeline.
#[derive(SimpleObject)]
pub struct PipelineBoard {
    pub pipeline: Pipeline,
    pub columns: Vec<BoardColumn>,
}

/// Narrows the board (and its totals).
#[derive(InputObject, Default)]
pub struct BoardFilter {
    pub owner_ids: Option<Vec<ID>>,
    pub team_id: Option<ID>,
    /// `YYYY-MM-DD`, inclusive.
    pub close_date_from: Option<String>,
    pub close_date_to: Option<String>,
    /// Needs the amount grant.
    pub amount_min: Option<Decimal>,
    pub amount_max: Option<Decimal>,
    pub status: Option<OpportunityStatus>,
    /// Part of the name.
    pub search: Option<String>,
}

impl BoardFilter {
    fn to_service(&self, pipeline: Option<Uuid>) -> AppResult<OpportunityFilter> {
        let mut val = v::Validator::default();
        let owner_ids = self
            .owner_ids
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, id)| {
                val.check(
                    expect_global_id(id, "User", &format!("filter.ownerIds.{i}")).map_err(|_| {
                        crate::error::FieldError::new(
                            format!("filter.ownerIds.{i}"),
                            "is not a valid User id",
                        )
                    }),
                )
            })
            .collect();
        let team_id = self.team_id.as_ref().and_then(|id| {
            val.check(expect_global_id(id, "Team", "filter.teamId").map_err(|_| {
                crate::error::FieldError::new("filter.teamId", "is not a valid Team id")
            }))
        });
        let date = |val: &mut v::Validator, f: &str, s: &Option<String>| {
            s.as_deref()
                .and_then(|s| val.check(v::date(f, s)))
                .flatten()
        };
        let close_date_from = date(&mut val, "filter.closeDateFrom", &self.close_date_from);
        let close_date_to = date(&mut val, "filter.closeDateTo", &self.close_date_to);
        let amount_min = self
            .amount_min
            .as_ref()
            .and_then(|d| val.check(money::parse_amount("filter.amountMin", &d.0)));
        let amount_max = self
            .amount_max
            .as_ref()
            .and_then(|d| val.check(money::parse_amount("filter.amountMax", &d.0)));
        val.finish()?;
        Ok(OpportunityFilter {
            pipeline_id: pipeline,
            owner_ids,
            team_id,
            close_date_from,
            close_date_to,
            amount_min,
            amount_max,
            status: self.status,
            search: self.search.clone(),
            ..Default::default()
        })
    }
}

/// Narrows the `opportunities` list.
#[derive(InputObject, Default)]
pub struct OpportunityListFilter {
    /// An account or customer (any party id).
    pub account_id: Option<ID>,
    pub pipeline_id: Option<ID>,
    pub status: Option<OpportunityStatus>,
    pub owner_ids: Option<Vec<ID>>,
    pub search: Option<String>,
    /// Include archived opportunities (default: no).
    pub archived: Option<bool>,
}

fn pipeline_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "Pipeline", field)
}

fn stage_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "PipelineStage", field)
}

fn opportunity_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "Opportunity", field)
}

/// Loads, in one batch each, the owners and accounts a page of cards will show.
async fn prime_cards(
    ctx: &Context<'_>,
    node: async_graphql::Lookahead<'_>,
    rows: &[&opportunities::Model],
) -> AppResult<()> {
    prime::<UserLoader>(
        ctx,
        node.field("owner").exists(),
        rows.iter().map(|m| m.owner_id),
    )
    .await?;
    prime::<AccountLoader>(
        ctx,
        node.field("account").exists(),
        rows.iter().map(|m| m.account_id),
    )
    .await?;
    prime::<OpportunityContactsLoader>(
        ctx,
        node.field("contacts").exists(),
        rows.iter().map(|m| m.id),
    )
    .await
}

fn card_connection(
    rows: Vec<opportunities::Model>,
    has_previous: bool,
    more: bool,
    cursor: impl Fn(&opportunities::Model) -> String,
    total: TotalCount,
) -> Connection<String, Opportunity, TotalCount> {
    let mut conn = Connection::with_additional_fields(has_previous, more, total);
    conn.edges.extend(
        rows.into_iter()
            .map(|m| Edge::new(cursor(&m), Opportunity(m))),
    );
    conn
}

/// Pipeline and opportunity queries.
#[derive(Default)]
pub struct OpportunityQuery;

#[Object]
impl OpportunityQuery {
    /// Every pipeline, default first by position.
    async fn pipelines(&self, ctx: &Context<'_>) -> AppResult<Vec<Pipeline>> {
        pipes::authorize_read(ctx.data::<RequestCtx>()?)?;
        Ok(catalog(ctx)
            .await?
            .pipelines
            .iter()
            .cloned()
            .map(Pipeline)
            .collect())
    }

    /// The board of a pipeline (the default one when none is named): per stage the count, sums and
    /// first cards of the opportunities you may see, after the filter.
    async fn pipeline_board(
        &self,
        ctx: &Context<'_>,
        pipeline_id: Option<ID>,
        filter: Option<BoardFilter>,
        #[graphql(desc = "Cards per column, 1 to 100 (default 25).")] first: Option<i32>,
    ) -> AppResult<PipelineBoard> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        pipes::authorize_read(req)?;
        policy::authorize(req, OpportunityObject::OBJECT_NAME, Action::Read)?;
        let page = Page::new(first, None)?;
        let cat = catalog(ctx).await?;
        let pipeline = match &pipeline_id {
            Some(id) => cat
                .pipeline(self::pipeline_id(id, "pipelineId")?)
                .ok_or_else(|| AppError::NotFound("no such pipeline".into()))?,
            None => cat
                .default_pipeline()
                .ok_or_else(|| AppError::NotFound("no pipeline exists yet".into()))?,
        }
        .clone();
        let filter = filter.unwrap_or_default().to_service(Some(pipeline.id))?;
        let look = ctx.look_ahead().field("columns");
        let totals = board::totals(&state.db, req, &filter).await?;
        let mut stages: Vec<pipeline_stages::Model> = cat
            .stages_of(pipeline.id, true)
            .filter(|s| s.retired_at.is_none() || totals.get(&s.id).is_some_and(|t| t.count > 0))
            .cloned()
            .collect();
        stages.sort_by_key(|s| s.position);
        let ids: Vec<Uuid> = stages.iter().map(|s| s.id).collect();
        let mut cards = if look.field("cards").exists() {
            board::first_cards(&state.db, req, &filter, &ids, page.first).await?
        } else {
            Default::default()
        };
        let all: Vec<&opportunities::Model> = cards.values().flat_map(|(c, _)| c.iter()).collect();
        prime_cards(ctx, look.field("cards").field("edges").field("node"), &all).await?;
        let columns = stages
            .into_iter()
            .map(|s| {
                let (c, more) = cards.remove(&s.id).unwrap_or_default();
                BoardColumn {
                    totals: totals.get(&s.id).cloned().unwrap_or_default(),
                    stage: s,
                    cards: c,
                    more,
                }
            })
            .collect();
        Ok(PipelineBoard {
            pipeline: Pipeline(pipeline),
            columns,
        })
    }

    /// More cards of one board column, after the last card's cursor, with the board's filter.
    async fn board_column(
        &self,
        ctx: &Context<'_>,
        pipeline_id: ID,
        stage_id: ID,
        filter: Option<BoardFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, Opportunity, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let pipeline = self::pipeline_id(&pipeline_id, "pipelineId")?;
        let stage = self::stage_id(&stage_id, "stageId")?;
        let filter = filter.unwrap_or_default().to_service(Some(pipeline))?;
        let (rows, more) = board::column_page(
            &state.db,
            req,
            &filter,
            stage,
            page.first,
            page.after.as_deref(),
        )
        .await?;
        let refs: Vec<&opportunities::Model> = rows.iter().collect();
        prime_cards(ctx, ctx.look_ahead().field("edges").field("node"), &refs).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let mut count_filter = filter.clone();
        count_filter.pipeline_id = Some(pipeline);
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), count_filter.clone());
            Box::pin(async move {
                let t = board::totals(&db, &req, &f).await?;
                Ok(t.get(&stage).map_or(0, |t| t.count))
            })
        });
        Ok(card_connection(
            rows,
            page.after.is_some(),
            more,
            board::card_cursor,
            total,
        ))
    }

    /// One opportunity; `null` when it does not exist or is not visible to you.
    async fn opportunity(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Opportunity>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = opportunity_id(&id, "id")?;
        Ok(service::get(&state.db, req, uuid).await?.map(Opportunity))
    }

    /// Opportunities you may see, most recently changed first.
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
        filter: Option<OpportunityListFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, Opportunity, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let f = filter.unwrap_or_default();
        let mut owner_ids = Vec::new();
        for (i, id) in f.owner_ids.iter().flatten().enumerate() {
            owner_ids.push(expect_global_id(
                id,
                "User",
                &format!("filter.ownerIds.{i}"),
            )?);
        }
        let filter = OpportunityFilter {
            account_id: f
                .account_id
                .as_ref()
                .map(|id| party_id(id, "filter.accountId"))
                .transpose()?,
            pipeline_id: f
                .pipeline_id
                .as_ref()
                .map(|id| self::pipeline_id(id, "filter.pipelineId"))
                .transpose()?,
            status: f.status,
            owner_ids,
            search: f.search,
            include_archived: f.archived.unwrap_or(false),
            ..Default::default()
        };
        let (rows, more) = service::list(&state.db, req, &filter, &page).await?;
        let refs: Vec<&opportunities::Model> = rows.iter().collect();
        prime_cards(ctx, ctx.look_ahead().field("edges").field("node"), &refs).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { service::count(&db, &req, &f).await })
        });
        Ok(card_connection(
            rows,
            page.after.is_some(),
            more,
            service::list_cursor,
            total,
        ))
    }
}

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
    pub lead_source: Option<LeadSource>,
    pub contacts: Option<Vec<OpportunityContactInput>>,
}

/// Changes to an opportunity. Omitted fields stay; an empty string clears optional text and dates;
/// `amount: null` and `leadSource: null` clear them. Stage changes go through `moveOpportunity`.
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
    pub lead_source: MaybeUndefined<LeadSource>,
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

/// The opportunity after a mutation.
#[derive(SimpleObject)]
pub struct OpportunityPayload {
    pub opportunity: Opportunity,
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

fn contacts_input(
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

fn money_input(m: MoneyInput) -> service::MoneyInput {
    service::MoneyInput {
        amount: m.amount.0,
        currency: m.currency,
    }
}

/// A `CONFLICT` error that also carries the current record (as the caller may see it), so a client
/// can show the fresh card at once.
async fn with_current(ctx: &Context<'_>, id: Uuid, e: AppError) -> async_graphql::Error {
    let AppError::Conflict { .. } = e else {
        return e.into();
    };
    let current = match (ctx.data::<AppState>(), ctx.data::<RequestCtx>()) {
        (Ok(state), Ok(req)) => service::get(&state.db, req, id).await.ok().flatten(),
        _ => None,
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
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = opportunity_id(&input.id, "id")?;
        let m = service::set_archived(state, req, id, input.version, true).await?;
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
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = opportunity_id(&input.id, "id")?;
        let m = service::set_archived(state, req, id, input.version, false).await?;
        Ok(OpportunityPayload {
            opportunity: Opportunity(m),
        })
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

/// One live change of an opportunity.
#[derive(SimpleObject)]
pub struct OpportunityChange {
    /// The change-log cursor; pass the last one you saw as `after` when you reconnect.
    pub cursor: String,
    pub kind: ChangeKind,
    pub opportunity_id: ID,
    /// The opportunity as you may see it now; `null` for removals.
    pub opportunity: Option<Opportunity>,
}

/// Most changes replayed to a reconnecting subscriber; a client further behind reloads the board.
const MAX_REPLAY: u64 = 1_000;

/// Opportunity subscriptions.
#[derive(Default)]
pub struct OpportunitySubscription;

#[async_graphql::Subscription]
impl OpportunitySubscription {
    /// Changes to opportunities you may see (on one pipeline, if named), as they commit, each re-read
    /// under your row scope and field grants. One that leaves what you may see (reassigned out of
    /// your scope, archived, moved to another pipeline) arrives once as a removal. With `after` (a
    /// cursor you received), the changes you missed since are replayed first.
    async fn opportunity_changes(
        &self,
        ctx: &Context<'_>,
        pipeline_id: Option<ID>,
        after: Option<String>,
    ) -> async_graphql::Result<impl futures_util::Stream<Item = OpportunityChange>> {
        use futures_util::StreamExt;
        let state = ctx.data::<AppState>()?.clone();
        let req = ctx.data::<RequestCtx>()?.clone();
        policy::authorize(&req, OpportunityObject::OBJECT_NAME, Action::Read)?;
        let pipeline = pipeline_id
            .as_ref()
            .map(|id| self::pipeline_id(id, "pipelineId"))
            .transpose()?;
        let after = after
            .map(|a| {
                a.parse::<i64>()
                    .map_err(|_| AppError::bad_input("after", "is not a cursor of this stream"))
            })
            .transpose()?;
        // Subscribe before replaying, so nothing committed in between is lost.
        let rx = state.events.subscribe();
        let replay = match after {
            Some(a) => {
                crate::events::since(&state.db, OpportunityObject::OBJECT_NAME, a, MAX_REPLAY)
                    .await?
            }
            None => Vec::new(),
        };
        let replayed_up_to = replay.last().map_or(after.unwrap_or(0), |e| e.cursor);
        let live = tokio_stream::wrappers::BroadcastStream::new(rx)
            .filter_map(|ev| async move { ev.ok() })
            .filter(move |ev| {
                let keep = ev.cursor > replayed_up_to;
                async move { keep }
            });
        let stream = futures_util::stream::iter(replay)
            .chain(live)
            .filter_map(move |ev| {
                let (state, req) = (state.clone(), req.clone());
                async move {
                    if ev.object_type != OpportunityObject::OBJECT_NAME {
                        return None;
                    }
                    let (visible, m) =
                        service::change_for_subscriber(&state.db, &req, &ev, pipeline)
                            .await
                            .ok()
                            .flatten()?;
                    Some(OpportunityChange {
                        cursor: ev.cursor.to_string(),
                        kind: if visible {
                            ChangeKind::Upsert
                        } else {
                            ChangeKind::Remove
                        },
                        opportunity_id: to_global_id("Opportunity", ev.object_id),
                        opportunity: if visible { m.map(Opportunity) } else { None },
                    })
                }
            });
        Ok(stream)
    }
}
