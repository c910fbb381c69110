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

/// The address a request came from (the connection's peer).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub std::net::IpAddr);

impl ClientAddress {
    /// When the server was not told (a request built in-process).
    pub const UNKNOWN: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED);
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::ConnectInfo;
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()
                .map_or(Self::UNKNOWN, |c| c.0.ip()),
        ))
    }
}
