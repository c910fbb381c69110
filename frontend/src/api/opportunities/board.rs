//! The reads: pipelines, the board and its columns, one opportunity with its
//! history, and the opportunities of an account.

use super::{HistoryEntry, Opportunity, Pipeline, Stage, CARD_FIELDS, OPPORTUNITY_FIELDS};
use crate::api::accounts::Money;
use crate::api::json::{self, FromJson};
use crate::api::paging::Connection;
use crate::api::{fetch, fetch_node, request, ApiError};
use serde_json::{json, Map, Value};

/// Cards per column on the first load and per "Load more".
pub const COLUMN_PAGE: u32 = 25;
/// History entries shown on the detail page.
const HISTORY_PAGE: u32 = 50;
/// Opportunities listed on an account's profile.
const ACCOUNT_PAGE: u32 = 50;

/// Selection of a page of cards.
const CARD_CONNECTION: &str = "pageInfo { hasNextPage endCursor } edges { node { CARDS } }";

fn card_connection() -> String {
    CARD_CONNECTION.replace("CARDS", CARD_FIELDS)
}

/// `query` as is, or without the amounts and sums for a user who may not
/// read them (asking would only earn refusals).
fn with_amounts(query: String, amounts: bool) -> String {
    if amounts {
        return query;
    }
    query
        .replace(
            " sum { amount currency } weightedSum { amount currency }",
            "",
        )
        .replace(" amount { amount currency }", "")
}

/// What the board is narrowed to, as typed; blank means no restriction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardFilter {
    /// Owner's user id.
    pub owner_id: String,
    /// Earliest close date, `YYYY-MM-DD`.
    pub close_from: String,
    /// Latest close date, `YYYY-MM-DD`.
    pub close_to: String,
    /// Smallest amount, a decimal.
    pub amount_min: String,
    /// Free text.
    pub search: String,
}

impl BoardFilter {
    /// The `BoardFilter` input: blank fields left out.
    pub fn to_json(&self) -> Value {
        let mut filter = Map::new();
        let mut put = |key: &str, value: &str| {
            let value = value.trim();
            if !value.is_empty() {
                filter.insert(key.to_owned(), json!(value));
            }
        };
        put("closeDateFrom", &self.close_from);
        put("closeDateTo", &self.close_to);
        put("amountMin", &self.amount_min);
        put("search", &self.search);
        let owner = self.owner_id.trim();
        if !owner.is_empty() {
            filter.insert("ownerIds".to_owned(), json!([owner]));
        }
        Value::Object(filter)
    }

    /// Does `card` still belong on a board with this filter? Used for cards
    /// that arrive live; what the card does not show (a hidden amount) is not
    /// held against it.
    pub fn matches(&self, card: &Opportunity) -> bool {
        let owner = self.owner_id.trim();
        if !owner.is_empty() && card.owner.as_ref().map(|o| o.id.as_str()) != Some(owner) {
            return false;
        }
        let close = card.close_date.as_deref().unwrap_or_default();
        let from = self.close_from.trim();
        let to = self.close_to.trim();
        if (!from.is_empty() || !to.is_empty()) && close.is_empty() {
            return false;
        }
        if (!from.is_empty() && close < from) || (!to.is_empty() && close > to) {
            return false;
        }
        let below = card
            .amount
            .as_ref()
            .zip(cents(&self.amount_min))
            .and_then(|(amount, min)| Some(cents(&amount.amount)? < min));
        if below == Some(true) {
            return false;
        }
        let search = self.search.trim().to_ascii_lowercase();
        if !search.is_empty() {
            let account = card.account.as_ref().map(|a| a.name.as_str());
            let found = [Some(card.name.as_str()), Some(card.code.as_str()), account]
                .into_iter()
                .flatten()
                .any(|text| text.to_ascii_lowercase().contains(&search));
            if !found {
                return false;
            }
        }
        true
    }
}

/// A decimal amount in hundredths (`"12.5"` → 1250); `None` unless a plain
/// decimal. Finer fractions are cut off.
fn cents(amount: &str) -> Option<i64> {
    let amount = amount.trim();
    let (negative, digits) = match amount.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, amount),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let frac: String = frac.chars().chain("00".chars()).take(2).collect();
    let value = int.parse::<i64>().ok()?.checked_mul(100)? + frac.parse::<i64>().ok()?;
    Some(if negative { -value } else { value })
}

/// `BoardColumn`: one stage, its totals and its first cards.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardColumn {
    /// The stage.
    pub stage: Stage,
    /// Cards in the column (over all pages).
    pub count: i64,
    /// Sum of the amounts, one per currency; `None` when hidden from the user.
    pub sum: Option<Vec<Money>>,
    /// Sum of the weighted amounts; `None` when hidden.
    pub weighted_sum: Option<Vec<Money>>,
    /// The first cards, in board order.
    pub cards: Connection<Opportunity>,
}

impl FromJson for BoardColumn {
    fn from_json(v: &Value) -> Self {
        Self {
            stage: Stage::from_json(&v["stage"]),
            count: json::int(v, "count"),
            sum: json::object(v, "sum"),
            weighted_sum: json::object(v, "weightedSum"),
            cards: Connection::from_json(&v["cards"]),
        }
    }
}

/// `PipelineBoard`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Board {
    /// The pipeline shown.
    pub pipeline: Pipeline,
    /// Its columns, in stage order.
    pub columns: Vec<BoardColumn>,
}

impl FromJson for Board {
    fn from_json(v: &Value) -> Self {
        Self {
            pipeline: Pipeline::from_json(&v["pipeline"]),
            columns: json::list(v, "columns"),
        }
    }
}

/// The document of [`pipelines`].
pub(crate) fn pipelines_query() -> String {
    format!(
        "query Pipelines {{ pipelines {{ id name isDefault stages {{ {} }} }} }}",
        super::STAGE_FIELDS
    )
}

/// Every pipeline with its active stages.
pub async fn pipelines() -> Result<Vec<Pipeline>, ApiError> {
    fetch(&pipelines_query(), json!({}), "pipelines").await
}

/// The document of [`board`], with or without the amounts.
pub(crate) fn board_query(amounts: bool) -> String {
    let query = format!(
        "query Board($pipelineId: ID, $filter: BoardFilter, $first: Int) {{ \
         pipelineBoard(pipelineId: $pipelineId, filter: $filter, first: $first) {{ \
         pipeline {{ id name isDefault }} columns {{ stage {{ {} }} count \
         sum {{ amount currency }} weightedSum {{ amount currency }} cards {{ {} }} }} }} }}",
        super::STAGE_FIELDS,
        card_connection()
    );
    with_amounts(query, amounts)
}

/// The board of pipeline `pipeline` (the default one when `None`).
pub async fn board(
    pipeline: Option<&str>,
    filter: &BoardFilter,
    amounts: bool,
) -> Result<Board, ApiError> {
    let variables =
        json!({ "pipelineId": pipeline, "filter": filter.to_json(), "first": COLUMN_PAGE });
    fetch(&board_query(amounts), variables, "pipelineBoard").await
}

/// The document of [`totals`], with or without the amounts.
pub(crate) fn totals_query(amounts: bool) -> String {
    let query = "query Totals($pipelineId: ID, $filter: BoardFilter) { \
         pipelineBoard(pipelineId: $pipelineId, filter: $filter) { columns { stage { id } count \
         sum { amount currency } weightedSum { amount currency } } } }";
    with_amounts(query.to_owned(), amounts)
}

/// The totals of every column of the board (no cards).
pub async fn totals(
    pipeline: &str,
    filter: &BoardFilter,
    amounts: bool,
) -> Result<Vec<BoardColumn>, ApiError> {
    let variables = json!({ "pipelineId": pipeline, "filter": filter.to_json() });
    let data = request(&totals_query(amounts), variables).await?;
    Ok(json::list(&data["pipelineBoard"], "columns"))
}

/// The document of [`column`], with or without the amounts.
pub(crate) fn column_query(amounts: bool) -> String {
    let query = format!(
        "query Column($pipelineId: ID!, $stageId: ID!, $filter: BoardFilter, $first: Int, $after: String) {{ \
         boardColumn(pipelineId: $pipelineId, stageId: $stageId, filter: $filter, first: $first, after: $after) {{ {} }} }}",
        card_connection()
    );
    with_amounts(query, amounts)
}

/// The next cards of one column, after cursor `after`.
pub async fn column(
    pipeline: &str,
    stage: &str,
    filter: &BoardFilter,
    after: &str,
    amounts: bool,
) -> Result<Connection<Opportunity>, ApiError> {
    let variables = json!({
        "pipelineId": pipeline, "stageId": stage, "filter": filter.to_json(),
        "first": COLUMN_PAGE, "after": after,
    });
    fetch(&column_query(amounts), variables, "boardColumn").await
}

/// The document of [`first_card`].
pub(crate) const FIRST_CARD_QUERY: &str = "query FirstCard($pipelineId: ID!, $stageId: ID!) { \
     boardColumn(pipelineId: $pipelineId, stageId: $stageId, first: 1) { edges { node { id } } } }";

/// Id of the first card of a column, if it has any (to move a card to its top).
pub async fn first_card(pipeline: &str, stage: &str) -> Result<Option<String>, ApiError> {
    let variables = json!({ "pipelineId": pipeline, "stageId": stage });
    let data = request(FIRST_CARD_QUERY, variables).await?;
    Ok(json::items(&data["boardColumn"]["edges"])
        .first()
        .and_then(|edge| edge["node"]["id"].as_str())
        .map(str::to_owned))
}

/// The document of [`get`].
pub(crate) fn get_query() -> String {
    format!(
        "query Opportunity($id: ID!, $first: Int) {{ opportunity(id: $id) {{ {OPPORTUNITY_FIELDS} \
         history(first: $first) {{ edges {{ node {{ id field from to fromStage {{ name }} \
         toStage {{ name }} note actor {{ id email displayName }} occurredAt }} }} }} }} }}"
    )
}

/// One opportunity with its latest history (newest first); `None` when it
/// does not exist or is not visible.
pub async fn get(id: &str) -> Result<Option<(Opportunity, Vec<HistoryEntry>)>, ApiError> {
    let variables = json!({ "id": id, "first": HISTORY_PAGE });
    let node = fetch_node(&get_query(), variables, "opportunity").await?;
    Ok(node.map(|(v, _)| {
        let history: Connection<HistoryEntry> = Connection::from_json(&v["history"]);
        (Opportunity::from_json(&v), history.nodes)
    }))
}

/// The document of [`list`].
pub(crate) fn list_query() -> String {
    format!(
        "query AccountOpportunities($filter: OpportunityListFilter, $first: Int) {{ \
         opportunities(filter: $filter, first: $first) {{ {} }} }}",
        card_connection()
    )
}

/// The latest opportunities of account `account_id`, most recently changed first.
pub async fn list(account_id: &str) -> Result<Vec<Opportunity>, ApiError> {
    let variables = json!({ "filter": { "accountId": account_id }, "first": ACCOUNT_PAGE });
    let page: Connection<Opportunity> = fetch(&list_query(), variables, "opportunities").await?;
    Ok(page.nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::accounts::Account;
    use crate::api::auth::User;

    fn card() -> Opportunity {
        Opportunity {
            name: "Acme – licences".into(),
            code: "OP-7".into(),
            account: Some(Account {
                name: "Acme Corporation".into(),
                ..Account::default()
            }),
            owner: Some(User {
                id: "U1".into(),
                ..User::default()
            }),
            close_date: Some("2025-03-31".into()),
            amount: Some(Money {
                amount: "5000.00".into(),
                currency: "EUR".into(),
            }),
            ..Opportunity::default()
        }
    }

    #[test]
    fn filter_input_leaves_out_blanks() {
        assert_eq!(BoardFilter::default().to_json(), json!({}));
        let filter = BoardFilter {
            owner_id: "U1".into(),
            close_from: "2025-01-01".into(),
            amount_min: " 1000 ".into(),
            search: "  ".into(),
            ..BoardFilter::default()
        };
        assert_eq!(
            filter.to_json(),
            json!({ "ownerIds": ["U1"], "closeDateFrom": "2025-01-01", "amountMin": "1000" })
        );
    }

    #[test]
    fn live_cards_are_checked_against_the_filter() {
        let card = card();
        assert!(BoardFilter::default().matches(&card));
        let by = |f: BoardFilter| f.matches(&card);
        assert!(by(BoardFilter {
            owner_id: "U1".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            owner_id: "U2".into(),
            ..Default::default()
        }));
        assert!(by(BoardFilter {
            close_from: "2025-03-31".into(),
            close_to: "2025-04-30".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            close_to: "2025-03-30".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            close_from: "2025-04-01".into(),
            ..Default::default()
        }));
        assert!(by(BoardFilter {
            amount_min: "5000".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            amount_min: "5000.01".into(),
            ..Default::default()
        }));
        assert!(by(BoardFilter {
            search: "acme CORP".into(),
            ..Default::default()
        }));
        assert!(by(BoardFilter {
            search: "op-7".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            search: "initech".into(),
            ..Default::default()
        }));
        // A hidden amount is not held against the card.
        let hidden = Opportunity {
            amount: None,
            ..card.clone()
        };
        assert!(BoardFilter {
            amount_min: "9999".into(),
            ..Default::default()
        }
        .matches(&hidden));
    }

    #[test]
    fn amounts_are_left_out_for_users_who_may_not_read_them() {
        let query = format!(
            "pipelineBoard {{ columns {{ count sum {{ amount currency }} weightedSum {{ amount currency }} \
             cards {{ {} }} }} }}",
            card_connection()
        );
        let without = with_amounts(query.clone(), false);
        assert!(!without.contains("amount"), "{without}");
        assert!(without.contains("cards { pageInfo"), "{without}");
        assert_eq!(with_amounts(query.clone(), true), query);
    }

    #[test]
    fn amounts_compare_in_hundredths() {
        assert_eq!(cents("5000"), Some(500_000));
        assert_eq!(cents("12.5"), Some(1250));
        assert_eq!(cents("0.129"), Some(12));
        assert_eq!(cents("-3.10"), Some(-310));
        assert_eq!(cents("1e6"), None);
        assert_eq!(cents(""), None);
        assert_eq!(cents(".5"), None);
    }

    #[test]
    fn a_board_reads_columns_with_hidden_sums() {
        let board = Board::from_json(&json!({
            "pipeline": { "id": "P1", "name": "Sales", "isDefault": true },
            "columns": [
                { "stage": { "id": "S1", "name": "Qualify", "outcome": "OPEN", "probability": 10 },
                  "count": 2, "sum": null, "weightedSum": null,
                  "cards": { "pageInfo": { "hasNextPage": true, "endCursor": "c2" },
                    "edges": [{ "node": { "id": "O1", "stage": { "id": "S1" } } },
                              { "node": { "id": "O2", "stage": { "id": "S1" } } }] } },
                { "stage": { "id": "S2", "name": "Won", "outcome": "WON" }, "count": 0,
                  "sum": [{ "amount": "10.00", "currency": "EUR" }, { "amount": "5.00", "currency": "USD" }],
                  "weightedSum": [], "cards": { "edges": [] } }
            ]
        }));
        assert!(board.pipeline.is_default);
        assert_eq!(board.columns.len(), 2);
        let first = &board.columns[0];
        assert_eq!(
            (first.count, first.sum.clone(), first.cards.nodes.len()),
            (2, None, 2)
        );
        assert_eq!(first.cards.page_info.next_cursor(), Some("c2"));
        assert_eq!(first.stage.probability, 10);
        let won = &board.columns[1];
        assert_eq!(won.stage.outcome, super::super::OpportunityStatus::Won);
        assert_eq!(won.sum.as_ref().map(Vec::len), Some(2));
        assert_eq!(won.weighted_sum, Some(Vec::new()));
    }
}
