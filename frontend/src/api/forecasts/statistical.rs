//! The statistical forecast (P10 / P50 / P90 from the stage history) and its
//! backtest over past periods.

use super::{decimal, float, money, read, Period, PeriodInput, PeriodKind, Subject, PERIOD_FIELDS};
use crate::api::json::{self, FromJson};
use crate::api::ApiError;
use serde_json::{json, Value};

/// `StatisticalFigures`: the revenue of one currency at P10 / P50 / P90.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quantiles {
    pub currency: String,
    /// Open opportunities simulated.
    pub open_count: i64,
    /// `None` when hidden.
    pub p10: Option<String>,
    pub p50: Option<String>,
    pub p90: Option<String>,
}

impl FromJson for Quantiles {
    fn from_json(v: &Value) -> Self {
        Self {
            currency: json::text(v, "currency"),
            open_count: json::int(v, "openCount"),
            p10: decimal(v, "p10"),
            p50: decimal(v, "p50"),
            p90: decimal(v, "p90"),
        }
    }
}

/// `StatisticalForecast`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Statistical {
    /// `false` for `INSUFFICIENT_HISTORY`: no quantiles, only the counts.
    pub sufficient: bool,
    /// What the model was fitted on: `SUBJECT` (its own history) or `PIPELINE`.
    pub basis: String,
    /// Closed opportunities in the history used.
    pub closed: i64,
    /// Of which won.
    pub won: i64,
    /// The least history the model is fitted on: closed, and won.
    pub minimum: (i64, i64),
    /// Per currency (none without enough history).
    pub currencies: Vec<Quantiles>,
}

impl FromJson for Statistical {
    fn from_json(v: &Value) -> Self {
        Self {
            sufficient: json::text(v, "status") != "INSUFFICIENT_HISTORY",
            basis: json::text(v, "basis"),
            closed: json::int(v, "closedCount"),
            won: json::int(v, "wonCount"),
            minimum: (json::int(v, "minimumClosed"), json::int(v, "minimumWon")),
            currencies: json::list(v, "currencies"),
        }
    }
}

/// The document of [`statistical`].
pub(crate) fn statistical_query(amounts: bool) -> String {
    format!(
        "query StatisticalForecast($subject: ForecastSubjectInput!, $period: PeriodInput!, $pipelineId: ID) {{ \
         statisticalForecast(subject: $subject, period: $period, pipelineId: $pipelineId) {{ \
         status basis closedCount wonCount minimumClosed minimumWon currencies {{ currency openCount{} }} }} }}",
        money(amounts, " p10 p50 p90")
    )
}

/// The P10 / P50 / P90 revenue of the subject in the period (the default
/// pipeline when `pipeline` is `None`).
pub async fn statistical(
    subject: &Subject,
    period: PeriodInput,
    pipeline: Option<&str>,
    amounts: bool,
) -> Result<Statistical, ApiError> {
    let variables = json!({
        "subject": subject.to_json(), "period": period.to_json(), "pipelineId": pipeline,
    });
    let data = read(&statistical_query(amounts), variables).await?;
    Ok(Statistical::from_json(&data["statisticalForecast"]))
}

/// One replayed period of the backtest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BacktestPeriod {
    pub period: Period,
    /// `false` when the model had too little history then.
    pub sufficient: bool,
    pub p10: Option<String>,
    pub p50: Option<String>,
    pub p90: Option<String>,
    /// Revenue actually won from the opportunities open then.
    pub actual: Option<String>,
    /// Did the actual fall inside P10–P90?
    pub inside: Option<bool>,
}

impl FromJson for BacktestPeriod {
    fn from_json(v: &Value) -> Self {
        Self {
            period: Period::from_json(&v["period"]),
            sufficient: json::text(v, "status") != "INSUFFICIENT_HISTORY",
            p10: decimal(v, "p10"),
            p50: decimal(v, "p50"),
            p90: decimal(v, "p90"),
            actual: decimal(v, "actual"),
            inside: v["inside"].as_bool(),
        }
    }
}

/// `ForecastBacktest`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backtest {
    /// Share (0–1) of the periods with a model whose actual fell inside P10–P90.
    pub calibration: Option<f64>,
    /// Periods with a model.
    pub evaluated: i64,
    pub periods: Vec<BacktestPeriod>,
}

impl FromJson for Backtest {
    fn from_json(v: &Value) -> Self {
        Self {
            calibration: float(v, "calibration"),
            evaluated: json::int(v, "evaluated"),
            periods: json::list(v, "periods"),
        }
    }
}

/// The document of [`backtest`] (asked only of callers who may read money).
pub(crate) fn backtest_query() -> String {
    format!(
        "query ForecastBacktest($subject: ForecastSubjectInput!, $pipelineId: ID, $currency: String!, \
         $kind: PeriodKind, $periods: Int) {{ \
         forecastBacktest(subject: $subject, pipelineId: $pipelineId, currency: $currency, kind: $kind, periods: $periods) {{ \
         calibration evaluated periods {{ period {{ {PERIOD_FIELDS} }} status p10 p50 p90 actual inside }} }} }}"
    )
}

/// The model replayed over the last `periods` periods of `kind`, in `currency`.
pub async fn backtest(
    subject: &Subject,
    pipeline: Option<&str>,
    currency: &str,
    kind: PeriodKind,
    periods: i64,
) -> Result<Backtest, ApiError> {
    let variables = json!({
        "subject": subject.to_json(), "pipelineId": pipeline, "currency": currency,
        "kind": kind, "periods": periods,
    });
    let data = read(&backtest_query(), variables).await?;
    Ok(Backtest::from_json(&data["forecastBacktest"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_read_counts_and_hidden_money() {
        let stats = Statistical::from_json(&json!({
            "status": "INSUFFICIENT_HISTORY", "basis": "PIPELINE", "closedCount": 12, "wonCount": 4,
            "minimumClosed": 30, "minimumWon": 10, "currencies": []
        }));
        assert!(!stats.sufficient);
        assert_eq!((stats.closed, stats.won, stats.minimum), (12, 4, (30, 10)));
        let hidden =
            Quantiles::from_json(&json!({ "currency": "EUR", "openCount": 3, "p10": null }));
        assert_eq!((hidden.open_count, hidden.p10), (3, None));
    }
}
