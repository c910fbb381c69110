//! The one GraphQL client of the app, plus the typed requests and responses the
//! pages use. The types are written by hand from `schema.graphql`: the app is an
//! API client like any other and depends on no server crate.

pub mod accounts;
pub mod auth;
mod error;
pub mod session;
pub mod users;

pub use error::{ApiError, FieldErrors, GqlError};

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Same-origin GraphQL endpoint.
const ENDPOINT: &str = "/graphql";

#[derive(Serialize)]
struct GqlRequest<'a> {
    query: &'a str,
    variables: Value,
}

#[derive(Deserialize)]
struct GqlResponse<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Vec<GqlError>,
}

/// Sends one GraphQL operation and returns its `data` together with all the
/// GraphQL errors, fatal or not, so the caller decides what a partial answer means.
///
/// The stored bearer token is sent when there is one. If the server answers
/// `UNAUTHENTICATED` to a request that carried a token, the session is over:
/// the token is cleared, the browser goes to `/login` and
/// [`ApiError::Unauthenticated`] is returned.
pub async fn gql<T: DeserializeOwned>(
    query: &str,
    variables: Value,
) -> Result<(Option<T>, Vec<GqlError>), ApiError> {
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
    let body: GqlResponse<T> = match response.json().await {
        Ok(body) => body,
        // A proxy error page or a gateway timeout has no GraphQL body.
        Err(_) if !response.ok() => return Err(ApiError::Http(status)),
        Err(e) => return Err(ApiError::Decode(e.to_string())),
    };
    if token.is_some() && body.errors.iter().any(GqlError::is_unauthenticated) {
        session::expire();
        return Err(ApiError::Unauthenticated);
    }
    Ok((body.data, body.errors))
}

/// Like [`gql`], for callers that need the whole `data`: errors on a field the
/// caller may not read (see [`GqlError::is_non_fatal`]) are ignored, and any
/// other error, or a missing `data`, becomes an [`ApiError::Graphql`].
pub async fn request<T: DeserializeOwned>(query: &str, variables: Value) -> Result<T, ApiError> {
    let (data, errors) = gql::<T>(query, variables).await?;
    let fatal: Vec<GqlError> = errors.into_iter().filter(|e| !e.is_non_fatal()).collect();
    match data {
        Some(data) if fatal.is_empty() => Ok(data),
        _ if fatal.is_empty() => Err(ApiError::Decode("the response has no data".into())),
        _ => Err(ApiError::Graphql(fatal)),
    }
}
