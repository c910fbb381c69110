//! The sales reports: pipeline by stage, performance, funnel and
//! slippage, in one `salesReport` request, and each as CSV from
//! `GET /reports/<name>.csv`.

use super::{decimal, float, money, read};
pub(crate) use crate::api::encode;
use crate::api::json::{self, FromJson};
use crate::api::schema_enum::schema_enum;
use crate::api::{session, ApiError};
use gloo_net::http::Request;
use serde_json::{json, Map, Value};

schema_enum! {
    /// How `performance` and `slippage` group their rows.
    ReportGroup {
        Owner = "OWNER", "Owner";
        Team = "TEAM", "Team";
        Month = "MONTH", "Month";
        Quarter = "QUARTER", "Quarter";
    }
}

/// The four reports, by the name of their CSV address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    PipelineByStage,
    Performance,
    Funnel,
    Slippage,
}

impl Report {
    /// The name in `/reports/<name>.csv`, also the file name offered.
    pub fn name(self) -> &'static str {
        match self {
            Report::PipelineByStage => "pipeline-by-stage",
            Report::Performance => "performance",
            Report::Funnel => "funnel",
            Report::Slippage => "slippage",
        }
    }

    /// Is the report grouped (`groupBy`)?
    fn grouped(self) -> bool {
        matches!(self, Report::Performance | Report::Slippage)
    }
}

/// `ReportFilter`, as typed; blank means no restriction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportFilter {
    pub pipeline_id: String,
    pub owner_id: String,
    pub team_id: String,
    /// Earliest close date, `YYYY-MM-DD`.
    pub from: String,
    /// Latest close date, `YYYY-MM-DD`.
    pub to: String,
}

impl ReportFilter {
    /// `(name, value)` of each field that is set, by its schema name.
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("pipelineId", &self.pipeline_id),
            ("ownerId", &self.owner_id),
            ("teamId", &self.team_id),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.trim()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    /// The input object, blank fields left out.
    pub fn to_json(&self) -> Value {
        let map: Map<String, Value> = self
            .pairs()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), json!(v)))
            .collect();
        Value::Object(map)
    }

    /// The query string of a report's CSV address: the filter and, for a
    /// grouped report, `groupBy`.
    pub fn query_string(&self, report: Report, group: ReportGroup) -> String {
        let mut pairs = self.pairs();
        if report.grouped() {
            pairs.push(("groupBy", group.as_str()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One currency's sums of a stage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageAmount {
    pub currency: String,
    pub sum: Option<String>,
    pub weighted: Option<String>,
}

impl FromJson for StageAmount {
    fn from_json(v: &Value) -> Self {
        Self {
            currency: json::text(v, "currency"),
            sum: decimal(v, "sum"),
            weighted: decimal(v, "weighted"),
        }
    }
}

/// `StageReportRow`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageRow {
    pub stage: String,
    pub count: i64,
    /// `None` when hidden.
    pub amounts: Option<Vec<StageAmount>>,
}

impl FromJson for StageRow {
    fn from_json(v: &Value) -> Self {
        Self {
            stage: json::text(v, "stageName"),
            count: json::int(v, "count"),
            amounts: json::object(v, "amounts"),
        }
    }
}

/// One currency's figures of a performance row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WonAmount {
    pub currency: String,
    pub won: Option<String>,
    pub average_deal_size: Option<String>,
}

impl FromJson for WonAmount {
    fn from_json(v: &Value) -> Self {
        Self {
            currency: json::text(v, "currency"),
            won: decimal(v, "won"),
            average_deal_size: decimal(v, "averageDealSize"),
        }
    }
}

/// `PerformanceRow`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PerformanceRow {
    pub key: String,
    pub label: String,
    pub won: i64,
    pub lost: i64,
    /// Won ÷ (won + lost), 0–1.
    pub win_rate: Option<f64>,
    pub average_cycle_days: Option<f64>,
    /// `None` when hidden.
    pub amounts: Option<Vec<WonAmount>>,
}

impl FromJson for PerformanceRow {
    fn from_json(v: &Value) -> Self {
        Self {
            key: json::text(v, "key"),
            label: json::text(v, "label"),
            won: json::int(v, "won"),
            lost: json::int(v, "lost"),
            win_rate: float(v, "winRate"),
            average_cycle_days: float(v, "averageCycleDays"),
            amounts: json::object(v, "amounts"),
        }
    }
}

/// `FunnelRow`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunnelRow {
    pub stage: String,
    /// Opportunities that were ever in the stage.
    pub entered: i64,
    /// Of them, those ever in the next stage (none for the won stage).
    pub advanced: Option<i64>,
    pub won: i64,
    pub lost: i64,
    /// Advanced ÷ entered, 0–1.
    pub conversion: Option<f64>,
}

impl FromJson for FunnelRow {
    fn from_json(v: &Value) -> Self {
        Self {
            stage: json::text(v, "stageName"),
            entered: json::int(v, "entered"),
            advanced: v["advanced"].as_i64(),
            won: json::int(v, "won"),
            lost: json::int(v, "lost"),
            conversion: float(v, "conversion"),
        }
    }
}

/// `SlippageRow`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SlippageRow {
    pub label: String,
    pub opportunities: i64,
    /// Opportunities whose close date was ever pushed out.
    pub slipped: i64,
    /// Times a close date was pushed out.
    pub pushes: i64,
    /// Mean days pushed out per slipped opportunity.
    pub average_slip_days: Option<f64>,
}

impl FromJson for SlippageRow {
    fn from_json(v: &Value) -> Self {
        Self {
            label: json::text(v, "label"),
            opportunities: json::int(v, "opportunities"),
            slipped: json::int(v, "slipped"),
            pushes: json::int(v, "pushes"),
            average_slip_days: float(v, "averageSlipDays"),
        }
    }
}

/// `SalesReport`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SalesReport {
    pub pipeline_by_stage: Vec<StageRow>,
    pub performance: Vec<PerformanceRow>,
    pub funnel: Vec<FunnelRow>,
    pub slippage: Vec<SlippageRow>,
}

impl FromJson for SalesReport {
    fn from_json(v: &Value) -> Self {
        Self {
            pipeline_by_stage: json::list(v, "pipelineByStage"),
            performance: json::list(v, "performance"),
            funnel: json::list(v, "funnel"),
            slippage: json::list(v, "slippage"),
        }
    }
}

/// The document of [`sales_report`]: the grouping is part of it (its enum is
/// not named), and the money only for callers who may read it.
pub(crate) fn report_query(group: ReportGroup, amounts: bool) -> String {
    let g = group.as_str();
    format!(
        "query SalesReport($filter: ReportFilter) {{ salesReport(filter: $filter) {{ \
         pipelineByStage {{ stageId stageName count{} }} \
         performance(groupBy: {g}) {{ key label won lost winRate averageCycleDays{} }} \
         funnel {{ stageId stageName entered advanced won lost conversion }} \
         slippage(groupBy: {g}) {{ key label opportunities slipped pushes averageSlipDays }} }} }}",
        money(amounts, " amounts { currency sum weighted }"),
        money(amounts, " amounts { currency won averageDealSize }"),
    )
}

/// The four reports under `filter`, performance and slippage grouped by `group`.
pub async fn sales_report(
    filter: &ReportFilter,
    group: ReportGroup,
    amounts: bool,
) -> Result<SalesReport, ApiError> {
    let variables = json!({ "filter": filter.to_json() });
    let data = read(&report_query(group, amounts), variables).await?;
    Ok(SalesReport::from_json(&data["salesReport"]))
}

/// The CSV of `report` under `filter`, fetched with the session's token.
pub async fn csv(
    report: Report,
    filter: &ReportFilter,
    group: ReportGroup,
) -> Result<String, ApiError> {
    let address = format!(
        "/reports/{}.csv?{}",
        report.name(),
        filter.query_string(report, group)
    );
    csv_at(&address).await
}

/// The CSV text at `address` (a `/reports/….csv` path with its query string), fetched with the
/// session's token.
pub async fn csv_at(address: &str) -> Result<String, ApiError> {
    let mut request = Request::get(address).header("Accept", "text/csv");
    if let Some(token) = session::token() {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    match response.status() {
        200 => response
            .text()
            .await
            .map_err(|e| ApiError::Decode(e.to_string())),
        401 => {
            session::expire();
            Err(ApiError::Unauthenticated)
        }
        status => Err(ApiError::Http(status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_address_carries_the_filter_and_the_grouping() {
        let filter = ReportFilter {
            pipeline_id: "UGlwZWxpbmU6MQ==".into(),
            from: " 2026-01-01 ".into(),
            ..ReportFilter::default()
        };
        assert_eq!(
            filter.query_string(Report::Performance, ReportGroup::Month),
            "pipelineId=UGlwZWxpbmU6MQ%3D%3D&from=2026-01-01&groupBy=MONTH"
        );
        assert_eq!(
            filter.query_string(Report::Funnel, ReportGroup::Month),
            "pipelineId=UGlwZWxpbmU6MQ%3D%3D&from=2026-01-01"
        );
        assert_eq!(
            filter.to_json(),
            json!({ "pipelineId": "UGlwZWxpbmU6MQ==", "from": "2026-01-01" })
        );
        assert_eq!(encode("a b/ü"), "a%20b%2F%C3%BC");
    }

    #[test]
    fn reports_without_money_read_as_hidden() {
        let report = SalesReport::from_json(&json!({
            "pipelineByStage": [{ "stageId": "S1", "stageName": "Qualify", "count": 4, "amounts": null }],
            "performance": [{ "key": "U1", "label": "Rita Rep", "won": 3, "lost": 1, "winRate": 0.75,
                              "averageCycleDays": 21.5 }],
            "funnel": [{ "stageId": "S1", "stageName": "Qualify", "entered": 10, "advanced": 6,
                         "won": 2, "lost": 1, "conversion": 0.6 },
                       { "stageId": "S9", "stageName": "Won", "entered": 2, "advanced": null,
                         "won": 2, "lost": 0, "conversion": null }],
            "slippage": [{ "key": "U1", "label": "Rita Rep", "opportunities": 4, "slipped": 1, "pushes": 2,
                           "averageSlipDays": 3.0 }]
        }));
        assert_eq!(report.pipeline_by_stage[0].stage, "Qualify");
        assert_eq!(report.pipeline_by_stage[0].amounts, None);
        assert_eq!(report.performance[0].amounts, None);
        assert_eq!(report.performance[0].win_rate, Some(0.75));
        assert_eq!(report.funnel[0].advanced, Some(6));
        assert_eq!(report.funnel[1].advanced, None);
        assert_eq!(report.slippage[0].slipped, 1);
        assert!(!report_query(ReportGroup::Owner, false).contains("amounts"));
        assert!(report_query(ReportGroup::Team, true).contains("performance(groupBy: TEAM)"));
    }
}
