//! Pipeline, board and opportunity queries.

use super::*;

/// Pipeline and opportunity queries.
#[derive(Default)]
pub struct OpportunityQuery;

#[Object]
impl OpportunityQuery {
    /// Every pipeline, default first by position.
    async fn pipelines(&self, ctx: &Context<'_>) -> AppResult<Vec<Pipeline>> {
        pipes::authorize_read(crate::kit::resolve::caller(ctx)?)?;
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
        policy::authorize(req, OpportunityObject::OBJECT, Action::Read)?;
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

    /// Opportunities you may see, most recently changed first, or in `customOrder`.
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
        filter: Option<OpportunityListFilter>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(
            desc = "Sorts by an opportunity custom field you may read (those without a value first when ascending)."
        )]
        custom_order: Option<crate::domain::custom_fields::sort::CustomFieldOrder>,
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
            custom: f.custom.unwrap_or_default(),
            opportunity_types: f.opportunity_types.unwrap_or_default(),
            ..Default::default()
        };
        let order = match custom_order {
            None => service::ListOrder::UpdatedDesc,
            Some(o) => {
                let object = crate::domain::custom_fields::rules::CustomObject::Opportunity;
                let (sort, desc) = o.resolve(ctx, object).await?;
                service::ListOrder::Custom { sort, desc }
            }
        };
        let (rows, more) = service::list(&state.db, req, &filter, order, &page).await?;
        let cursors = order.cursors(&state.db, &rows).await?;
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
            |m| cursors.get(&m.id).cloned().unwrap_or_default(),
            total,
        ))
    }
}
