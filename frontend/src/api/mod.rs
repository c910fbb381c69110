//! The one GraphQL client of the app, plus the typed requests and responses the
//! pages use. The types are written by hand from `schema.graphql`: the app is an
//! API client like any other and depends on no server crate.

pub mod accounts;
pub mod activities;
pub mod admin;
pub mod auth;
pub mod billing;
pub mod catalogue;
pub mod custom_fields;
pub mod documents;
pub mod enquiries;
mod error;
pub mod forecasts;
pub mod home;
mod input_mutation;
pub mod json;
pub mod leads;
pub mod opportunities;
pub mod paging;
pub mod parties;
pub mod payments;
pub mod picklists;
pub mod revenue;
pub mod roles;
mod schema_enum;
pub mod session;
pub mod users;
pub mod views;

pub use error::{ApiError, FieldErrors, GqlError};

use gloo_net::http::Request;
use json::FromJson;
use serde::Serialize;
use serde_json::Value;

/// Percent-encodes everything but the unreserved characters of RFC 3986.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Same-origin GraphQL endpoint.
const ENDPOINT: &str = "/graphql";

#[derive(Serialize)]
struct GqlRequest<'a> {
    query: &'a str,
    variables: Value,
}

/// Sends one GraphQL operation and returns its `data` (`None` when absent or
/// `null`) together with all the GraphQL errors, fatal or not, so the caller
/// decides what a partial answer means.
///
/// The stored bearer token is sent when there is one. If the server answers
/// `UNAUTHENTICATED` to a request that carried a token, the session is over:
/// the token is cleared, the browser goes to `/login` and
/// [`ApiError::Unauthenticated`] is returned.
pub async fn gql(
    query: &str,
    variables: Value,
) -> Result<(Option<Value>, Vec<GqlError>), ApiError> {
    let token = session::token();
    let mut request = Request::post(ENDPOINT).header("Accept", "application/json");
    if let Some(token) = &token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .json(&GqlRequest { query, variables })
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let mut body: Value = match response.json().await {
        Ok(body @ Value::Object(_)) => body,
        // A proxy error page or a gateway timeout has no GraphQL body.
        _ if !response.ok() => return Err(ApiError::Http(status)),
        Ok(_) => return Err(ApiError::Decode("the response is not an object".into())),
        Err(e) => return Err(ApiError::Decode(e.to_string())),
    };
    let errors: Vec<GqlError> = json::list(&body, "errors");
    if token.is_some() && errors.iter().any(GqlError::is_unauthenticated) {
        session::expire();
        return Err(ApiError::Unauthenticated);
    }
    let data = Some(body["data"].take()).filter(|d| !d.is_null());
    Ok((data, errors))
}

/// Like [`gql`], for callers that need the whole `data`: errors on a field the
/// caller may not read (see [`GqlError::is_non_fatal`]) are ignored, and any
/// other error, or a missing `data`, becomes an [`ApiError::Graphql`].
pub async fn request(query: &str, variables: Value) -> Result<Value, ApiError> {
    let (data, errors) = gql(query, variables).await?;
    let fatal: Vec<GqlError> = errors.into_iter().filter(|e| !e.is_non_fatal()).collect();
    match data {
        Some(data) if fatal.is_empty() => Ok(data),
        _ if fatal.is_empty() => Err(ApiError::Decode("the response has no data".into())),
        _ => Err(ApiError::Graphql(fatal)),
    }
}

/// Runs a query whose root field `field` is one record by id, nullable, and
/// returns the record's JSON with the errors that came with it. A record that
/// came back is good to show: an error inside it could only have emptied one
/// of its nullable fields (a non-null one would have emptied the record). No
/// record is `None` when the server simply has none for the id (`null`,
/// `NOT_FOUND`, or an id it cannot read), an error otherwise.
pub async fn fetch_node(
    query: &str,
    variables: Value,
    field: &str,
) -> Result<Option<(Value, Vec<GqlError>)>, ApiError> {
    let (data, errors) = gql(query, variables).await?;
    let node = data.map(|mut d| d[field].take()).filter(|n| !n.is_null());
    match node {
        Some(node) => Ok(Some((node, errors))),
        None if errors.iter().all(GqlError::is_unknown_id) => Ok(None),
        None => Err(ApiError::Graphql(errors)),
    }
}

/// Runs `query` and reads the record at `data.<field>` (see [`request`]).
pub async fn fetch<T: FromJson>(query: &str, variables: Value, field: &str) -> Result<T, ApiError> {
    let data = request(query, variables).await?;
    Ok(T::from_json(&data[field]))
}

#[cfg(test)]
mod contract;
