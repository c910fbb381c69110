//! The `Opportunity` object, its contacts and its stage history.

use super::*;

/// A possible sale to an account, moving through the stages of a pipeline.
#[derive(Clone)]
pub struct Opportunity(pub opportunities::Model);

impl Opportunity {
    fn money(&self, minor: Option<i64>) -> Option<Money> {
        match (minor, &self.0.currency) {
            (Some(m), Some(c)) => Some(Money {
                amount: Decimal(money::format_amount(m, c)),
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
    /// Custom fields you may read, in their order (`value` is `null` where unset).
    async fn custom_fields(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<crate::domain::custom_fields::graphql::CustomFieldValue>> {
        crate::domain::custom_fields::graphql::values_on(
            ctx,
            crate::domain::custom_fields::rules::CustomObject::Opportunity,
            self.0.id,
        )
        .await
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
    /// Where it counts in forecasts: `CLOSED` when won, `OMITTED` when lost, else the owner's
    /// override or its stage's category.
    async fn forecast_category(&self, ctx: &Context<'_>) -> AppResult<ForecastCategory> {
        let cat = catalog(ctx).await?;
        let stage = cat
            .stage(self.0.stage_id)
            .map(|s| s.forecast_category.as_str());
        Ok(crate::domain::forecasts::figures::category(
            &self.0.status,
            self.0.forecast_category.as_deref(),
            stage,
        ))
    }
    /// Whether the forecast category is the owner's override rather than the stage's.
    async fn forecast_category_overridden(&self) -> bool {
        self.0.forecast_category.is_some() && self.0.status == "OPEN"
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
    /// Where it came from: a value of the `LEAD_SOURCE` pick-list (possibly archived since).
    async fn lead_source(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Option<crate::domain::picklists::graphql::PicklistValue>> {
        crate::domain::picklists::graphql::choice(
            ctx,
            crate::domain::picklists::PicklistKey::LeadSource,
            self.0.lead_source.as_deref(),
        )
        .await
    }
    /// What the deal is about (several lines).
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Its type: a value of the `OPPORTUNITY_TYPE` pick-list (possibly archived since).
    async fn opportunity_type(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Option<crate::domain::picklists::graphql::PicklistValue>> {
        crate::domain::picklists::graphql::choice(
            ctx,
            crate::domain::picklists::PicklistKey::OpportunityType,
            self.0.opportunity_type.as_deref(),
        )
        .await
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
        let state = crate::kit::resolve::state(ctx)?;
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
