//! `GET /reports/{name}.csv`: the sales reports as CSV for the bearer token's caller, with the same
//! filter as the API's `salesReport` in the query string (`pipelineId`, `ownerId`, `teamId`,
//! `from`, `to`, and `groupBy` for performance and slippage).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::graphql::context_from_headers;
use super::HttpState;
use crate::domain::billing::graphql::RevenueFilterInput;
use crate::domain::billing::revenue_csv;
use crate::domain::forecasts::csv;
use crate::domain::forecasts::graphql::ReportFilter;
use crate::domain::forecasts::periods::PeriodKind;
use crate::domain::forecasts::reports::ReportGrouping;
use crate::error::AppError;

/// A refusal as plain text with the status its code means; an internal error says only that
/// `failed` ("the report could not be made").
pub(super) fn refused_as(e: AppError, failed: &str) -> Response {
    let status = match e.code() {
        "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "RATE_LIMITED" => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
        failed.to_string()
    } else {
        e.message()
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{}: {message}\n", e.code()),
    )
        .into_response()
}

fn refused(e: AppError) -> Response {
    refused_as(e, "the report could not be made")
}

pub(super) fn csv_headers(name: &str) -> [(header::HeaderName, String); 3] {
    [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".into()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ),
        (header::CACHE_CONTROL, "no-store".into()),
    ]
}

/// The handler.
pub async fn report_csv(
    State(http): State<HttpState>,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let Some(name) = file
        .strip_suffix(".csv")
        .filter(|n| csv::REPORTS.contains(n) || revenue_csv::REPORTS.contains(n))
    else {
        return refused(AppError::NotFound(format!(
            "no such report; there are {}, {}",
            csv::REPORTS.join(", "),
            revenue_csv::REPORTS.join(", ")
        )));
    };
    let ctx = match context_from_headers(&http.app, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = ctx.actor() {
        return refused(e);
    }
    let text = |k: &str| params.get(k).cloned().filter(|v| !v.is_empty());
    let id = |k: &str| text(k).map(async_graphql::ID);
    if revenue_csv::REPORTS.contains(&name) {
        let group_by = match text("groupBy") {
            None => None,
            Some(g) => match PeriodKind::parse(&g) {
                Some(g) => Some(g),
                None => {
                    return refused(AppError::bad_input(
                        "groupBy",
                        "must be MONTH, QUARTER or YEAR",
                    ))
                }
            },
        };
        let top = match text("top").map(|t| t.parse::<i32>()) {
            None => None,
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => return refused(AppError::bad_input("top", "must be a whole number")),
        };
        let filter = RevenueFilterInput {
            from: text("from"),
            to: text("to"),
            group_by,
            customer_id: id("customerId"),
            currency: text("currency"),
        };
        return match revenue_csv::report(&http.app, &ctx, name, filter, top).await {
            Ok(body) => (csv_headers(name), body).into_response(),
            Err(e) => refused(e),
        };
    }
    let filter = ReportFilter {
        pipeline_id: id("pipelineId"),
        owner_id: id("ownerId"),
        team_id: id("teamId"),
        from: text("from"),
        to: text("to"),
    };
    let group_by = match text("groupBy") {
        None => ReportGrouping::Owner,
        Some(g) => match ReportGrouping::parse(&g) {
            Some(g) => g,
            None => {
                return refused(AppError::bad_input(
                    "groupBy",
                    "must be OWNER, TEAM, MONTH or QUARTER",
                ))
            }
        },
    };
    if name == "opportunities" {
        return match csv::opportunities_stream(http.app.clone(), ctx, filter).await {
            Ok(s) => (csv_headers(name), Body::from_stream(s)).into_response(),
            Err(e) => refused(e),
        };
    }
    match csv::report(&http.app, &ctx, name, filter, group_by).await {
        Ok(body) => (csv_headers(name), body).into_response(),
        Err(e) => refused(e),
    }
}
