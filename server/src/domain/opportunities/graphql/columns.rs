//! The board: columns with their totals and first cards, the board filter and the list filter.

use super::*;

/// One column of the board.
pub struct BoardColumn {
    pub(super) stage: pipeline_stages::Model,
    pub(super) totals: StageTotals,
    pub(super) cards: Vec<opportunities::Model>,
    pub(super) more: bool,
}

impl BoardColumn {
    fn sums(&self, weighted: bool) -> Vec<Money> {
        self.totals
            .amounts
            .iter()
            .map(|(cur, sum, w)| Money {
                amount: Decimal(money::format_wide(if weighted { *w } else { *sum }, cur)),
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
    /// Inclusive bounds on the amount, compared in each deal's own currency (`1000` is 1,000
    /// yen or 1,000 euros), up to three decimals. Needs the amount grant.
    pub amount_min: Option<Decimal>,
    pub amount_max: Option<Decimal>,
    pub status: Option<OpportunityStatus>,
    /// Part of the name.
    pub search: Option<String>,
    /// Conditions on custom fields you may read.
    pub custom: Option<Vec<crate::domain::custom_fields::filter::CustomFieldFilter>>,
    /// Keys of the `OPPORTUNITY_TYPE` pick-list: opportunities of any of these types.
    pub opportunity_types: Option<Vec<String>>,
}

impl BoardFilter {
    pub(super) fn to_service(&self, pipeline: Option<Uuid>) -> AppResult<OpportunityFilter> {
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
            .and_then(|d| val.check(money::parse_bound("filter.amountMin", &d.0)));
        let amount_max = self
            .amount_max
            .as_ref()
            .and_then(|d| val.check(money::parse_bound("filter.amountMax", &d.0)));
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
            custom: self.custom.clone().unwrap_or_default(),
            opportunity_types: self.opportunity_types.clone().unwrap_or_default(),
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
    /// Conditions on custom fields you may read.
    pub custom: Option<Vec<crate::domain::custom_fields::filter::CustomFieldFilter>>,
    /// Keys of the `OPPORTUNITY_TYPE` pick-list: opportunities of any of these types.
    pub opportunity_types: Option<Vec<String>>,
}

/// Loads, in one batch each, the owners and accounts a page of cards will show.
pub(super) async fn prime_cards(
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
    .await?;
    prime::<crate::domain::custom_fields::graphql::CustomValueLoader>(
        ctx,
        node.field("customFields").exists(),
        rows.iter().map(|m| m.id),
    )
    .await
}

pub(super) fn card_connection(
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
