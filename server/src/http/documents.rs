//! `GET /documents/quotes/{id}.html` and `.pdf` (optionally `?revision=N`): a quote as a print
//! view or a PDF for the bearer token's caller, under the same row scope and field grants as the
//! API.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::graphql::context_from_headers;
use super::HttpState;
use crate::domain::documents::{print, quote_print};
use crate::error::AppError;

fn refused(e: AppError) -> Response {
    super::reports::refused_as(e, "the document could not be made")
}

/// The handler.
pub async fn quote(
    State(http): State<HttpState>,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let (id, pdf) = match (file.strip_suffix(".pdf"), file.strip_suffix(".html")) {
        (Some(id), _) => (id, true),
        (None, Some(id)) => (id, false),
        _ => {
            return refused(AppError::NotFound(
                "ask for {id}.html or {id}.pdf".to_string(),
            ))
        }
    };
    let ctx = match context_from_headers(&http.app, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = ctx.actor() {
        return refused(e);
    }
    let Ok(id) = Uuid::parse_str(id) else {
        return refused(AppError::NotFound("no such quote".into()));
    };
    let revision = match params.get("revision").map(|r| r.parse::<i32>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return refused(AppError::bad_input("revision", "must be a number")),
    };
    let doc = match quote_print::document(&http.app.db, &ctx, id, revision).await {
        Ok(d) => d,
        Err(e) => return refused(e),
    };
    let name = doc.title.replace(' ', "-");
    if pdf {
        let bytes = tokio::task::spawn_blocking(move || print::pdf(&doc)).await;
        match bytes {
            Ok(b) => (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("inline; filename=\"{name}.pdf\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                b,
            )
                .into_response(),
            Err(e) => refused(AppError::internal(anyhow::anyhow!("rendering a PDF: {e}"))),
        }
    } else {
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
                        .to_string(),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            print::html(&doc),
        )
            .into_response()
    }
}
