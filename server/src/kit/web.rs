//! What the request says about the site as the client sees it.

/// The site's address as the client reached it (`https://crm.example.com`), for links and
/// snippets meant to be used outside the app.
#[derive(Clone, Debug)]
pub struct PublicBase(pub String);

impl PublicBase {
    /// From the `Host` header (and `X-Forwarded-Proto`, else `http`); empty without a host.
    pub fn from_headers(h: &axum::http::HeaderMap) -> Self {
        let host = h
            .get(axum::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .filter(|v| {
                !v.is_empty()
                    && v.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')
                    })
            });
        let proto = h
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .filter(|p| *p == "https")
            .unwrap_or("http");
        Self(host.map(|h| format!("{proto}://{h}")).unwrap_or_default())
    }
}
