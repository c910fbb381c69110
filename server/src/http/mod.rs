//! The HTTP surface: routes, and the tower layers in one ordered place.

mod caller_limit;
mod documents;
mod exports;
mod graphql;
mod health;
mod public_forms;
mod rate_limit;
mod reports;
pub mod serve;
mod spa;

pub use graphql::context_for_token;
pub use rate_limit::RateLimiter;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request};
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::graphql::Schemas;
use crate::state::AppState;

/// Largest request body accepted (GraphQL documents and variables).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the handlers share.
#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    pub schemas: Schemas,
    /// Public web-form posts per client IP.
    pub form_limiter: std::sync::Arc<RateLimiter>,
    /// GraphQL requests running per caller.
    pub callers: std::sync::Arc<caller_limit::CallerLimit>,
}

/// The whole application: API, health checks and the single-page app.
pub fn build_app(state: AppState) -> Router {
    crate::domain::activities::reminders::spawn_ticker(state.clone());
    let schemas = Schemas::new(&state);
    let dist = state.config.dist_dir.clone();
    let cors_origins = state.config.cors_origins.clone();
    let hsts = state.config.hsts;
    let form_limiter =
        std::sync::Arc::new(RateLimiter::per_minute(state.config.form_rate_per_minute));
    let callers = std::sync::Arc::new(caller_limit::CallerLimit::new(
        state.config.requests_per_caller as usize,
        state.config.caller_wait,
    ));
    let http = HttpState {
        app: state,
        schemas,
        form_limiter,
        callers,
    };

    let spa = spa::files(&dist);
    let x_request_id = HeaderName::from_static("x-request-id");

    let mut router = Router::new()
        .route(
            "/graphql",
            get(graphql::graphql_get).post(graphql::graphql_post),
        )
        .route("/graphql/ws", get(graphql::graphql_ws))
        .route(
            "/public/forms/{key}",
            get(public_forms::page).post(public_forms::submit),
        )
        .route("/reports/{file}", get(reports::report_csv))
        .route("/exports/{file}", get(exports::export_csv))
        .route("/documents/quotes/{file}", get(documents::quote))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .with_state(http)
        .fallback_service(spa)
        .layer(axum::middleware::map_response(
            move |res: axum::response::Response| async move { security_headers(res, hsts) },
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CompressionLayer::new());
    if !cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([
                    axum::http::header::AUTHORIZATION,
                    axum::http::header::CONTENT_TYPE,
                ]),
        );
    }
    router
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(
            // Only method, path and request id: query strings and bodies may hold personal data.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "http",
                    http.method = %req.method(),
                    http.path = %req.uri().path(),
                    request.id = %id,
                )
            }),
        )
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
}

/// Headers every response carries (`nosniff`, and HSTS when configured), and every HTML page (the
/// app, GraphiQL, the public forms): no framing by other sites, no referrer beyond this origin.
fn security_headers(mut res: axum::response::Response, hsts: bool) -> axum::response::Response {
    use axum::http::header;
    let headers = res.headers_mut();
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        // The app's page has its whole policy already (`spa::page_policy`).
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static("frame-ancestors 'none'"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    res
}
