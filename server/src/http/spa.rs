//! The single-page app's files from the dist directory. A file that exists is served as is
//! (`.wasm` as `application/wasm`, which streaming compilation requires); any other address
//! whose last segment has no extension gets `index.html`, so deep links work; a missing file —
//! a chunk of an older build, say — is a 404, never the page, which a browser could cache in
//! the chunk's place.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The files under `dist`, with `index.html` for the app's own addresses.
pub fn files(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"));
    let app_address = tower::service_fn(move |req: Request<Body>| {
        let index = index.clone();
        async move {
            if names_a_file(req.uri().path()) {
                return Ok::<_, Infallible>(StatusCode::NOT_FOUND.into_response());
            }
            Ok(match index.oneshot(req).await {
                Ok(page) => page.into_response(),
                Err(never) => match never {},
            })
        }
    });
    Router::new().fallback_service(ServeDir::new(dist).fallback(app_address))
}

/// Whether the last segment of `path` has an extension (`/app-1f/x.wasm`, `/favicon.ico`).
fn names_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::names_a_file;

    #[test]
    fn files_have_an_extension_app_addresses_do_not() {
        assert!(names_a_file("/app-0123/split_web_forms.wasm"));
        assert!(names_a_file("/favicon.ico"));
        assert!(!names_a_file("/parties/UGFydHk6MTIz"));
        assert!(!names_a_file("/settings/lead-mapping"));
        assert!(!names_a_file("/"));
    }
}
