//! Forecasts: fiscal periods, forecast figures of a person or a team (rolled up
//! through the team hierarchy), quotas, submissions and adjustments, the
//! statistical forecast and its backtest; the sales reports are in [`reports`].
//!
//! Money is guarded by the `opportunity.amount` field grant: a caller without it
//! is never asked for money (the documents come without it), and money that
//! comes back `null` with `FORBIDDEN` at its path reads as hidden, not as a
//! failure.

mod calls;
pub mod reports;
mod statistical;
mod teams;

pub use calls::{adjust, quota_history, set_quota, submissions, submit, Call, Quota, Submission};
#[cfg(test)]
pub(crate) use calls::{quota_history_query, submissions_query, ForecastWrite};
pub use statistical::{backtest, statistical, Backtest, Statistical};
#[cfg(test)]
pub(crate) use statistical::{backtest_query, statistical_query, BacktestPeriod};
#[cfg(test)]
pub(crate) use teams::TEAMS_QUERY;
pub use teams::{teams, tree, Team};

use super::json::{self, FromJson};
use super::schema_enum::schema_enum;
use super::{gql, ApiError, GqlError};
use serde_json::{json, Value};

schema_enum! {
    /// `PeriodKind`.
    PeriodKind {
        Quarter = "QUARTER", "Quarter";
        Month = "MONTH", "Month";
        Year = "YEAR", "Year";
    }
}

schema_enum! {
    /// The `horizon` of `forecastHorizon`.
    Horizon {
        ShortTerm = "SHORT_TERM", "This quarter and the next";
        LongTerm = "LONG_TERM", "The next four quarters";
    }
}

schema_enum! {
    /// `ForecastSubject.kind`.
    SubjectKind {
        User = "USER", "Person";
        Team = "TEAM", "Team";
    }
}

schema_enum! {
    /// `ForecastSubmission.kind`.
    SubmissionKind {
        Submission = "SUBMISSION", "Submission";
        Adjustment = "ADJUSTMENT", "Adjustment";
    }
}

/// Fields of the forecast types that hold money: the server refuses them (`null`
/// and `FORBIDDEN` at their path) to callers without the amount grant.
const MONEY_FIELDS: &[&str] = &[
    "figures",
    "closedWon",
    "commit",
    "bestCase",
    "pipeline",
    "weightedPipeline",
    "quota",
    "attainment",
    "snapshot",
    "actualClosedWon",
    "amount",
    "amounts",
    "sum",
    "weighted",
    "won",
    "averageDealSize",
    "p10",
    "p50",
    "p90",
    "actual",
];

/// Is `error` only a refusal of money (see [`MONEY_FIELDS`])?
pub fn is_hidden_money(error: &GqlError) -> bool {
    error.code() == Some("FORBIDDEN")
        && matches!(error.path.last(), Some(Value::String(f)) if MONEY_FIELDS.contains(&f.as_str()))
}

/// Runs `document` and returns its `data`: refused money is left `null` (the
/// readers take it as hidden), any other error fails the request.
pub(crate) async fn read(document: &str, variables: Value) -> Result<Value, ApiError> {
    let (data, errors) = gql(document, variables).await?;
    let fatal: Vec<GqlError> = errors
        .into_iter()
        .filter(|e| !e.is_non_fatal() && !is_hidden_money(e))
        .collect();
    match data {
        Some(data) if fatal.is_empty() => Ok(data),
        _ if fatal.is_empty() => Err(ApiError::Decode("the response has no data".into())),
        _ => Err(ApiError::Graphql(fatal)),
    }
}

/// `selection` when the caller may read money, else nothing.
fn money(amounts: bool, selection: &str) -> &str {
    if amounts {
        selection
    } else {
        ""
    }
}

/// A decimal the server sent (a string), or `None` when missing or hidden.
pub fn decimal(v: &Value, key: &str) -> Option<String> {
    match &v[key] {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A decimal as a number, for charts (`-1234.50`: a sign, digits, a point; the
/// server's decimals have no exponent). Read digit by digit, close enough for a
/// chart: `str::parse::<f64>` would bring core's exact float parser and its 10 KB
/// table of powers of five into the download.
pub fn value_of(decimal: &str) -> Option<f64> {
    let text = decimal.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digit = |c: u8| c.is_ascii_digit().then(|| f64::from(c - b'0'));
    let mut value = 0.0;
    for c in whole.bytes() {
        value = value * 10.0 + digit(c)?;
    }
    let (mut part, mut scale) = (0.0, 1.0);
    for c in fraction.bytes() {
        part = part * 10.0 + digit(c)?;
        scale *= 10.0;
    }
    value += part / scale;
    let value = if negative { -value } else { value };
    value.is_finite().then_some(value)
}

/// Float field `key`.
pub fn float(v: &Value, key: &str) -> Option<f64> {
    v[key].as_f64()
}

/// `PeriodInput`: a fiscal month, quarter or year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeriodInput {
    /// Month, quarter or year.
    pub kind: PeriodKind,
    /// Fiscal year.
    pub year: i64,
    /// 1–12 or 1–4; none for a year.
    pub number: Option<i64>,
}

impl PeriodInput {
    /// The variables' form.
    pub fn to_json(self) -> Value {
        json!({ "kind": self.kind, "year": self.year, "number": self.number })
    }

    /// How many periods of `kind` a fiscal year has (1 for a year).
    pub fn per_year(kind: PeriodKind) -> i64 {
        match kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::Year => 1,
        }
    }

    /// The period `delta` periods later (earlier when negative).
    pub fn step(self, delta: i64) -> Self {
        let per_year = Self::per_year(self.kind);
        if per_year == 1 {
            return Self {
                year: self.year + delta,
                number: None,
                ..self
            };
        }
        let index = self.year * per_year + self.number.unwrap_or(1).clamp(1, per_year) - 1 + delta;
        Self {
            kind: self.kind,
            year: index.div_euclid(per_year),
            number: Some(index.rem_euclid(per_year) + 1),
        }
    }

    /// The same period as another kind: its first month or quarter, or its year.
    pub fn as_kind(self, kind: PeriodKind) -> Self {
        let month = match self.kind {
            PeriodKind::Month => self.number.unwrap_or(1),
            PeriodKind::Quarter => (self.number.unwrap_or(1) - 1) * 3 + 1,
            PeriodKind::Year => 1,
        };
        let number = match kind {
            PeriodKind::Month => Some(month),
            PeriodKind::Quarter => Some((month - 1) / 3 + 1),
            PeriodKind::Year => None,
        };
        Self {
            kind,
            year: self.year,
            number,
        }
    }
}

/// `Period`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Period {
    /// What it is, as an input.
    pub input: PeriodInput,
    /// E.g. "FY2026 Q3".
    pub label: String,
    /// First day, ISO date.
    pub start: String,
    /// Last day (inclusive), ISO date.
    pub end: String,
}

impl FromJson for Period {
    fn from_json(v: &Value) -> Self {
        Self {
            input: PeriodInput {
                kind: json::enumerated(v, "kind", PeriodKind::parse).unwrap_or_default(),
                year: json::int(v, "year"),
                number: v["number"].as_i64(),
            },
            label: json::text(v, "label"),
            start: json::text(v, "start"),
            end: json::text(v, "end"),
        }
    }
}

/// Selection of a period.
const PERIOD_FIELDS: &str = "kind year number label start end";

/// Whose forecast: `ForecastSubjectInput`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A user, by id.
    User(String),
    /// A team, by id.
    Team(String),
}

impl Subject {
    /// The variables' form.
    pub fn to_json(&self) -> Value {
        match self {
            Subject::User(id) => json!({ "ownerId": id }),
            Subject::Team(id) => json!({ "teamId": id }),
        }
    }
}

/// `ForecastSubject`: who a forecast is for, with their name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Named {
    /// User or team.
    pub kind: SubjectKind,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

impl Named {
    /// As an input.
    pub fn subject(&self) -> Subject {
        match self.kind {
            SubjectKind::User => Subject::User(self.id.clone()),
            SubjectKind::Team => Subject::Team(self.id.clone()),
        }
    }
}

impl FromJson for Named {
    fn from_json(v: &Value) -> Self {
        Self {
            kind: json::enumerated(v, "kind", SubjectKind::parse).unwrap_or_default(),
            id: json::text(v, "id"),
            name: json::text(v, "name"),
        }
    }
}

/// `ForecastCounts`: opportunities per category (never money).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counts {
    pub closed_won: i64,
    pub commit: i64,
    pub best_case: i64,
    pub pipeline: i64,
    pub omitted: i64,
}

impl FromJson for Counts {
    fn from_json(v: &Value) -> Self {
        Self {
            closed_won: json::int(v, "closedWon"),
            commit: json::int(v, "commit"),
            best_case: json::int(v, "bestCase"),
            pipeline: json::int(v, "pipeline"),
            omitted: json::int(v, "omitted"),
        }
    }
}

/// `ForecastFigures`: the money of one currency (decimal strings).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub currency: String,
    pub closed_won: String,
    pub commit: String,
    pub best_case: String,
    pub pipeline: String,
    pub weighted_pipeline: String,
    /// The subject's current quota for the period, if one is set.
    pub quota: Option<String>,
    /// Closed won / quota × 100.
    pub attainment: Option<f64>,
}

impl FromJson for Figures {
    fn from_json(v: &Value) -> Self {
        let d = |k| decimal(v, k).unwrap_or_default();
        Self {
            currency: json::text(v, "currency"),
            closed_won: d("closedWon"),
            commit: d("commit"),
            best_case: d("bestCase"),
            pipeline: d("pipeline"),
            weighted_pipeline: d("weightedPipeline"),
            quota: decimal(v, "quota"),
            attainment: float(v, "attainment"),
        }
    }
}

/// Selection of the figures.
const FIGURES_FIELDS: &str =
    "currency closedWon commit bestCase pipeline weightedPipeline quota attainment";

/// `Forecast`: the figures of one subject in one period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forecast {
    pub period: Period,
    pub subject: Named,
    pub counts: Counts,
    /// One row per currency; `None` when hidden from the caller.
    pub figures: Option<Vec<Figures>>,
    /// A team's sub-teams, then its direct members.
    pub children: Vec<Forecast>,
    pub latest_submission: Option<Submission>,
    pub latest_adjustment: Option<Submission>,
}

impl FromJson for Forecast {
    fn from_json(v: &Value) -> Self {
        Self {
            period: Period::from_json(&v["period"]),
            subject: Named::from_json(&v["subject"]),
            counts: Counts::from_json(&v["counts"]),
            figures: json::object(v, "figures"),
            children: json::list(v, "children"),
            latest_submission: json::object(v, "latestSubmission"),
            latest_adjustment: json::object(v, "latestAdjustment"),
        }
    }
}

/// Selection of a forecast without children.
pub(crate) fn forecast_fields(amounts: bool) -> String {
    let figures = format!(" figures {{ {FIGURES_FIELDS} }}");
    format!(
        "period {{ {PERIOD_FIELDS} }} subject {{ kind id name }} \
         counts {{ closedWon commit bestCase pipeline omitted }}{}",
        money(amounts, &figures)
    )
}

/// `ForecastSettings.fiscalYearStartMonth` (1 = January).
pub(crate) const SETTINGS_QUERY: &str =
    "query ForecastSettings { forecastSettings { fiscalYearStartMonth } }";

/// The month the fiscal year starts in (1 = January).
pub async fn settings() -> Result<i64, ApiError> {
    let data = read(SETTINGS_QUERY, json!({})).await?;
    Ok(json::int(&data["forecastSettings"], "fiscalYearStartMonth"))
}

/// The document of [`period_of`].
pub(crate) fn period_query() -> String {
    format!(
        "query ForecastPeriod($kind: PeriodKind!, $date: String) {{ \
         forecastPeriod(kind: $kind, date: $date) {{ {PERIOD_FIELDS} }} }}"
    )
}

/// The period of `kind` holding `date` (`YYYY-MM-DD`; today when `None`).
pub async fn period_of(kind: PeriodKind, date: Option<&str>) -> Result<Period, ApiError> {
    let data = read(&period_query(), json!({ "kind": kind, "date": date })).await?;
    Ok(Period::from_json(&data["forecastPeriod"]))
}

/// The document of [`forecast`], with or without money.
pub(crate) fn forecast_query(amounts: bool) -> String {
    let submission = calls::submission_fields(amounts);
    format!(
        "query Forecast($subject: ForecastSubjectInput!, $period: PeriodInput!) {{ \
         forecast(subject: $subject, period: $period) {{ {} \
         children {{ {} }} latestSubmission {{ {submission} }} latestAdjustment {{ {submission} }} }} }}",
        forecast_fields(amounts),
        forecast_fields(amounts)
    )
}

/// The forecast of `subject` in `period`, with its children.
pub async fn forecast(
    subject: &Subject,
    period: PeriodInput,
    amounts: bool,
) -> Result<Forecast, ApiError> {
    let variables = json!({ "subject": subject.to_json(), "period": period.to_json() });
    let data = read(&forecast_query(amounts), variables).await?;
    Ok(Forecast::from_json(&data["forecast"]))
}

/// The document of [`horizon`] (the horizon is part of it: its enum is not named).
pub(crate) fn horizon_query(horizon: Horizon, amounts: bool) -> String {
    format!(
        "query ForecastHorizon($subject: ForecastSubjectInput!) {{ \
         forecastHorizon(subject: $subject, horizon: {}) {{ {} }} }}",
        horizon.as_str(),
        forecast_fields(amounts)
    )
}

/// The forecasts of `subject` over the periods of `horizon`.
pub async fn horizon(
    subject: &Subject,
    horizon: Horizon,
    amounts: bool,
) -> Result<Vec<Forecast>, ApiError> {
    let variables = json!({ "subject": subject.to_json() });
    let data = read(&horizon_query(horizon, amounts), variables).await?;
    Ok(json::list(&data, "forecastHorizon"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quarter(year: i64, number: i64) -> PeriodInput {
        PeriodInput {
            kind: PeriodKind::Quarter,
            year,
            number: Some(number),
        }
    }

    #[test]
    fn periods_step_across_fiscal_years() {
        assert_eq!(quarter(2026, 4).step(1), quarter(2027, 1));
        assert_eq!(quarter(2026, 1).step(-1), quarter(2025, 4));
        assert_eq!(quarter(2026, 2).step(-6), quarter(2024, 4));
        let year = PeriodInput {
            kind: PeriodKind::Year,
            year: 2026,
            number: None,
        };
        assert_eq!(year.step(-1).year, 2025);
        assert_eq!(year.step(-1).number, None);
        let month = quarter(2026, 3).as_kind(PeriodKind::Month);
        assert_eq!((month.year, month.number), (2026, Some(7)));
        assert_eq!(
            month.step(6),
            PeriodInput {
                kind: PeriodKind::Month,
                year: 2027,
                number: Some(1)
            }
        );
        assert_eq!(month.as_kind(PeriodKind::Quarter), quarter(2026, 3));
        assert_eq!(month.as_kind(PeriodKind::Year).number, None);
        assert_eq!(
            quarter(2026, 3).to_json(),
            json!({ "kind": "QUARTER", "year": 2026, "number": 3 })
        );
    }

    #[test]
    fn subjects_are_a_user_or_a_team() {
        assert_eq!(
            Subject::User("U1".into()).to_json(),
            json!({ "ownerId": "U1" })
        );
        assert_eq!(
            Subject::Team("T1".into()).to_json(),
            json!({ "teamId": "T1" })
        );
    }

    #[test]
    fn refused_money_is_hidden_not_an_error() {
        let refused = GqlError::from_json(&json!({
            "message": "your role may not read opportunity.amount",
            "path": ["forecast", "children", 0, "figures"],
            "extensions": { "code": "FORBIDDEN" }
        }));
        assert!(is_hidden_money(&refused));
        let whole = GqlError::from_json(&json!({
            "message": "no", "path": ["forecast"], "extensions": { "code": "FORBIDDEN" }
        }));
        assert!(!is_hidden_money(&whole));
        let forecast = Forecast::from_json(&json!({
            "period": { "kind": "QUARTER", "year": 2026, "number": 3, "label": "FY2026 Q3",
                        "start": "2026-07-01", "end": "2026-09-30" },
            "subject": { "kind": "TEAM", "id": "T1", "name": "North" },
            "counts": { "closedWon": 2, "commit": 3, "bestCase": 1, "pipeline": 5, "omitted": 0 },
            "figures": null,
            "children": [{ "subject": { "kind": "USER", "id": "U1", "name": "Rita Rep" },
                           "counts": { "commit": 1 }, "figures": null }],
            "latestSubmission": null
        }));
        assert_eq!(forecast.figures, None);
        assert_eq!(forecast.counts.commit, 3);
        assert_eq!(forecast.period.input, quarter(2026, 3));
        assert_eq!(
            forecast.children[0].subject.subject(),
            Subject::User("U1".into())
        );
        assert!(!forecast_query(false).contains("figures"));
        assert!(!forecast_query(false).contains("commit bestCase snapshot"));
        assert!(forecast_query(true).contains("weightedPipeline"));
    }

    #[test]
    fn figures_read_decimals() {
        let figures = Figures::from_json(&json!({
            "currency": "EUR", "closedWon": "1200.00", "commit": "300", "bestCase": "0",
            "pipeline": "10", "weightedPipeline": "4.5", "quota": null, "attainment": null
        }));
        assert_eq!(figures.quota, None);
        assert_eq!(value_of(&figures.closed_won), Some(1200.0));
        assert_eq!(value_of("n/a"), None);
        assert_eq!(value_of(" -1250.5 "), Some(-1250.5));
        assert_eq!(value_of("0.25"), Some(0.25));
        assert_eq!(value_of("+7"), Some(7.0));
        for wrong in ["", "-", ".", "1.2.3", "1e5", "12a"] {
            assert_eq!(value_of(wrong), None, "{wrong}");
        }
        assert!(value_of("98765.4321").is_some_and(|v| (v - 98765.4321).abs() < 1e-6));
    }
}
