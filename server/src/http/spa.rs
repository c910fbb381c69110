//! The single-page app's files from the dist directory. A file that exists is served as is
//! (`.wasm` as `application/wasm`, which streaming compilation requires); any other address
//! whose last segment has no extension gets `index.html`, so deep links work; a missing file —
//! a chunk of an older build, say — is a 404, never the page, which a browser could cache in
//! the chunk's place.
//!
//! Files whose address carries a content hash (`/app-<hash>/…`, `/style-<hash>.css`) never change,
//! so browsers keep them for a year without asking again (`immutable`); the page itself is
//! `no-cache`, so a new build is picked up on the next load. Brotli or gzip is chosen by the
//! router's compression layer from the browser's `Accept-Encoding`.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
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
    Router::new()
        .fallback_service(ServeDir::new(dist).fallback(app_address))
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn(page_policy))
}

/// The largest page whose inline scripts are hashed for its policy.
const MAX_PAGE_BYTES: usize = 1024 * 1024;

/// Gives the app's page a content security policy under which only what the build produced
/// runs: scripts from this origin and the page's own inline start script (by its hash, read
/// from the page as served, so a rebuild needs no restart), WebAssembly compiled from this
/// origin's modules, requests (HTTP and WebSocket) to this origin only, no plugins, no framing,
/// no `<base>` and forms posted here only.
async fn page_policy(req: Request<Body>, next: Next) -> Response {
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(page) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let policy = content_security_policy(&String::from_utf8_lossy(&page));
    if let Ok(value) = HeaderValue::from_str(&policy) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Response::from_parts(parts, Body::from(page))
}

/// The policy for `page`: its inline scripts allowed by their SHA-256.
pub fn content_security_policy(page: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let hashes: String = inline_scripts(page)
        .map(|script| {
            let digest = sha2::Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The contents of the `<script>` elements of `page` that have no `src`.
fn inline_scripts(page: &str) -> impl Iterator<Item = &str> {
    page.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        rest.split_once("</script>").map(|(content, _)| content)
    })
}

/// A year, for files whose address changes with their content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The page: always revalidated, so a new build's addresses are seen at once.
const NO_CACHE: &str = "no-cache";

/// Sets how long browsers may keep what was served (errors are left alone).
async fn cache_control(req: Request<Body>, next: Next) -> Response {
    // Only files: an app address (a record's id in it) always gets the page, which must not stick.
    let path = req.uri().path();
    let hashed = names_a_file(path) && carries_hash(path);
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let value = if hashed { IMMUTABLE } else { NO_CACHE };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// Whether a segment of `path` ends in a content hash: `-` and at least 12 hex digits, before
/// the extension (`/app-d3a042d0745008be/chunk_1.wasm`, `/style-c5f3286dc647e6d.css`).
fn carries_hash(path: &str) -> bool {
    path.split('/').any(|segment| {
        let stem = segment.split('.').next().unwrap_or_default();
        stem.rsplit_once('-').is_some_and(|(_, hash)| {
            hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
    })
}

/// Whether the last segment of `path` has an extension (`/app-1f/x.wasm`, `/favicon.ico`).
fn names_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

#[cfg(test)]
#[test]
fn the_policy_allows_the_inline_scripts_by_hash() {
    // `echo -n 'run();' | openssl dgst -sha256 -binary | base64`
    let page = r#"<head><script src="/a.js"></script><script type="module">run();</script></head>"#;
    let policy = content_security_policy(page);
    assert!(
        policy.contains("'sha256-vUOElbTHLp1UxxGV/I6teJfpCV5vgaasYjEhPKN2fqQ='"),
        "{policy}"
    );
    assert_eq!(policy.matches("'sha256-").count(), 1);
    assert!(policy.contains("frame-ancestors 'none'"));
}

#[cfg(test)]
mod tests {
    use super::{carries_hash, names_a_file};

    #[test]
    fn hashed_addresses_are_recognised() {
        assert!(carries_hash("/app-d3a042d0745008be/chunk_1.wasm"));
        assert!(carries_hash("/app-d3a042d0745008be/frontend.js"));
        assert!(carries_hash("/style-c5f3286dc647e6d.css"));
        assert!(!carries_hash("/index.html"));
        assert!(!carries_hash("/"));
        assert!(!carries_hash("/settings/lead-mapping"));
        assert!(!carries_hash("/web-forms/new"));
        assert!(!carries_hash("/parties/UGFydHk6MTIz"));
    }

    #[test]
    fn files_have_an_extension_app_addresses_do_not() {
        assert!(names_a_file("/app-0123/split_web_forms.wasm"));
        assert!(names_a_file("/favicon.ico"));
        assert!(!names_a_file("/parties/UGFydHk6MTIz"));
        assert!(!names_a_file("/settings/lead-mapping"));
        assert!(!names_a_file("/"));
    }
}
