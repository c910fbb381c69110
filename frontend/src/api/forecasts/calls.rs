//! Calls on a forecast and quotas: submissions and adjustments with their
//! snapshots, and every version of a quota.

use super::{decimal, money, read, Figures, PeriodInput, Subject, SubmissionKind, FIGURES_FIELDS};
use crate::api::auth::User;
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::ApiError;
use serde_json::{json, Value};

/// `ForecastSubmission`: a call (or a manager's adjustment) and the figures then.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Submission {
    pub id: String,
    pub kind: SubmissionKind,
    pub submitted_by: Option<User>,
    /// RFC 3339.
    pub submitted_at: String,
    pub note: Option<String>,
    pub currency: String,
    /// The call; `None` when hidden.
    pub commit: Option<String>,
    pub best_case: Option<String>,
    /// The figures at that moment; `None` when hidden.
    pub snapshot: Option<Figures>,
    /// Won in the period since.
    pub actual_closed_won: Option<String>,
}

impl FromJson for Submission {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            kind: json::enumerated(v, "kind", SubmissionKind::parse).unwrap_or_default(),
            submitted_by: json::object(v, "submittedBy"),
            submitted_at: json::text(v, "submittedAt"),
            note: json::opt_text(v, "note"),
            currency: json::text(v, "currency"),
            commit: decimal(v, "commit"),
            best_case: decimal(v, "bestCase"),
            snapshot: json::object(v, "snapshot"),
            actual_closed_won: decimal(v, "actualClosedWon"),
        }
    }
}

/// Selection of a submission.
pub(super) fn submission_fields(amounts: bool) -> String {
    let figures = format!(" commit bestCase snapshot {{ {FIGURES_FIELDS} }} actualClosedWon");
    format!(
        "id kind submittedBy {{ id email displayName }} submittedAt note currency{}",
        money(amounts, &figures)
    )
}

/// `Quota`: one version of a quota.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quota {
    pub currency: String,
    /// `None` when hidden.
    pub amount: Option<String>,
    pub version: i64,
    pub note: Option<String>,
    pub set_by: Option<User>,
    /// RFC 3339.
    pub set_at: String,
}

impl FromJson for Quota {
    fn from_json(v: &Value) -> Self {
        Self {
            currency: json::text(v, "currency"),
            amount: decimal(v, "amount"),
            version: json::int(v, "version"),
            note: json::opt_text(v, "note"),
            set_by: json::object(v, "setBy"),
            set_at: json::text(v, "setAt"),
        }
    }
}

/// The document of [`quota_history`].
pub(crate) fn quota_history_query(amounts: bool) -> String {
    format!(
        "query QuotaHistory($subject: ForecastSubjectInput!, $period: PeriodInput!) {{ \
         quotaHistory(subject: $subject, period: $period) {{ \
         currency{} version note setBy {{ id email displayName }} setAt }} }}",
        money(amounts, " amount")
    )
}

/// Every version of the subject's quotas for the period, newest first.
pub async fn quota_history(
    subject: &Subject,
    period: PeriodInput,
    amounts: bool,
) -> Result<Vec<Quota>, ApiError> {
    let variables = json!({ "subject": subject.to_json(), "period": period.to_json() });
    let data = read(&quota_history_query(amounts), variables).await?;
    Ok(json::list(&data, "quotaHistory"))
}

/// The document of [`submissions`].
pub(crate) fn submissions_query(amounts: bool) -> String {
    format!(
        "query ForecastSubmissions($subject: ForecastSubjectInput!, $period: PeriodInput!, $asOf: DateTime) {{ \
         forecastSubmissions(subject: $subject, period: $period, asOf: $asOf) {{ {} }} }}",
        submission_fields(amounts)
    )
}

/// The submissions and adjustments of the subject's forecast for the period
/// (as they stood at `as_of`, RFC 3339, when given), newest first.
pub async fn submissions(
    subject: &Subject,
    period: PeriodInput,
    as_of: Option<&str>,
    amounts: bool,
) -> Result<Vec<Submission>, ApiError> {
    let variables =
        json!({ "subject": subject.to_json(), "period": period.to_json(), "asOf": as_of });
    let data = read(&submissions_query(amounts), variables).await?;
    Ok(json::list(&data, "forecastSubmissions"))
}

input_mutations! {
    /// The forecast mutations. The page reads the figures and the history
    /// again afterwards, so their payloads are not read.
    pub(crate) ForecastWrite {
        SetQuota = "setQuota", "SetQuotaInput";
        Submit = "submitForecast", "ForecastCallInput";
        Adjust = "adjustForecast", "ForecastCallInput";
    }
}

impl ForecastWrite {
    /// The document.
    pub(crate) fn document(self) -> String {
        input_mutation::document(self.field(), self.input_type(), "__typename")
    }
}

/// A call: the commit and best case of one currency, with a note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Call {
    pub currency: String,
    /// Decimal.
    pub commit: String,
    /// Decimal.
    pub best_case: String,
    /// Required for an adjustment.
    pub note: String,
}

impl Call {
    /// The input of `submitForecast` or `adjustForecast`.
    pub fn to_input(&self, subject: &Subject, period: PeriodInput) -> Value {
        let note = self.note.trim();
        json!({
            "subject": subject.to_json(),
            "period": period.to_json(),
            "currency": self.currency.trim().to_ascii_uppercase(),
            "commit": crate::format::amount_typed(&self.commit),
            "bestCase": crate::format::amount_typed(&self.best_case),
            "note": (!note.is_empty()).then_some(note),
        })
    }
}

async fn write(mutation: ForecastWrite, input: Value) -> Result<(), ApiError> {
    let document = mutation.document();
    read(&document, json!({ "input": input })).await.map(|_| ())
}

/// Submits the caller's own call.
pub async fn submit(subject: &Subject, period: PeriodInput, call: &Call) -> Result<(), ApiError> {
    write(ForecastWrite::Submit, call.to_input(subject, period)).await
}

/// Adjusts a subordinate's or a team's call (a note is required).
pub async fn adjust(subject: &Subject, period: PeriodInput, call: &Call) -> Result<(), ApiError> {
    write(ForecastWrite::Adjust, call.to_input(subject, period)).await
}

/// Sets a new version of the subject's quota for the period and currency.
pub async fn set_quota(
    subject: &Subject,
    period: PeriodInput,
    currency: &str,
    amount: &str,
    note: Option<&str>,
) -> Result<(), ApiError> {
    let input = json!({
        "subject": subject.to_json(),
        "period": period.to_json(),
        "currency": currency.trim().to_ascii_uppercase(),
        "amount": crate::format::amount_typed(amount),
        "note": note,
    });
    write(ForecastWrite::SetQuota, input).await
}
