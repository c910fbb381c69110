//! `GET /exports/accounts.csv`: the accounts list as CSV for the bearer token's caller, under the
//! `account` export grant. Query string: `search`, `archived=true`, `sort` (`CODE`, `NAME`,
//! `AREA`, `INDUSTRY`, `CREATED_AT`, `UPDATED_AT`, or `custom.<key>` for an account custom field
//! the caller may read) with `direction` (`ASC`, `DESC`), or `ids` (comma-separated account ids)
//! for chosen rows.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::graphql::context_from_headers;
use super::reports::{csv_headers, refused_as};
use super::HttpState;
use crate::domain::accounts::export::{self, ExportQuery};
use crate::domain::accounts::filter::{
    AccountFilter, AccountOrder, AccountOrderField, SortDirection,
};
use crate::domain::parties::operations::party_id;
use crate::error::AppError;

fn refused(e: AppError) -> Response {
    refused_as(e, "the export could not be made")
}

/// The export's query from the query string.
fn query(params: &HashMap<String, String>) -> Result<ExportQuery, AppError> {
    let text = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut custom_key = None;
    let field = match text("sort") {
        None | Some("NAME") => AccountOrderField::Name,
        Some("CODE") => AccountOrderField::Code,
        Some("AREA") => AccountOrderField::Area,
        Some("INDUSTRY") => AccountOrderField::Industry,
        Some("CREATED_AT") => AccountOrderField::CreatedAt,
        Some("UPDATED_AT") => AccountOrderField::UpdatedAt,
        Some(key) if key.starts_with("custom.") => {
            custom_key = Some(key.to_string());
            AccountOrderField::Custom
        }
        Some(_) => {
            return Err(AppError::bad_input(
                "sort",
                "must be CODE, NAME, AREA, INDUSTRY, CREATED_AT, UPDATED_AT or custom.<key>",
            ))
        }
    };
    let direction = match text("direction") {
        None | Some("ASC") => SortDirection::Asc,
        Some("DESC") => SortDirection::Desc,
        Some(_) => return Err(AppError::bad_input("direction", "must be ASC or DESC")),
    };
    let archived = match text("archived") {
        None | Some("false") => None,
        Some("true") => Some(true),
        Some(_) => return Err(AppError::bad_input("archived", "must be true or false")),
    };
    let search = text("search").map(str::to_string);
    let filter = (search.is_some() || archived.is_some()).then(|| AccountFilter {
        search,
        archived,
        ..AccountFilter::default()
    });
    let ids = match text("ids") {
        None => None,
        Some(list) => Some(
            list.split(',')
                .enumerate()
                .map(|(i, id)| party_id(&async_graphql::ID(id.trim().into()), &format!("ids.{i}")))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(ExportQuery {
        filter,
        order: AccountOrder {
            field,
            direction,
            custom_key,
        },
        ids,
    })
}

/// The handler.
pub async fn export_csv(
    State(http): State<HttpState>,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if file != "accounts.csv" {
        return refused(AppError::NotFound(
            "no such export; there is accounts.csv".into(),
        ));
    }
    let ctx = match context_from_headers(&http.app, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = ctx.actor() {
        return refused(e);
    }
    let q = match query(&params) {
        Ok(q) => q,
        Err(e) => return refused(e),
    };
    match export::stream(http.app.clone(), ctx, q).await {
        Ok(s) => (csv_headers("accounts"), Body::from_stream(s)).into_response(),
        Err(e) => refused(e),
    }
}
