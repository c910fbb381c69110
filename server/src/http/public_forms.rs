//! The public web-to-lead endpoint: `GET /public/forms/{key}` serves the form as a page, and
//! `POST` (URL-encoded or JSON) submits it, without signing in. Posts are limited per client IP.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use serde_json::{json, Value};

use super::HttpState;
use crate::domain::leads::forms::{self, escape, Submitted};
use crate::error::FieldError;

fn page_html(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}}label{{display:block}}input,textarea{{display:block;width:100%;margin-top:.25rem;padding:.4rem;box-sizing:border-box}}.errors{{color:#b00020}}</style></head><body><h1>{t}</h1>\n{body}\n</body></html>",
        t = escape(title)
    )
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page_html(
            "Form not found",
            "<p>This form does not exist or is closed.</p>",
        )),
    )
        .into_response()
}

/// The form as a standalone page.
pub async fn page(State(s): State<HttpState>, Path(key): Path<String>) -> Response {
    match forms::by_key(&s.app.db, &key).await {
        Ok(Some(f)) => Html(page_html(
            &f.name,
            &forms::form_html(
                &forms::public_path(&f.form_key),
                &forms::fields_of(&f),
                &HashMap::new(),
            ),
        ))
        .into_response(),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e.message(), "reading a web form");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Decodes `application/x-www-form-urlencoded` (`+` is a space, `%XX` a byte); `None` when the
/// bytes are not UTF-8 or an escape is malformed.
pub fn parse_urlencoded(body: &[u8]) -> Option<HashMap<String, String>> {
    fn decode(s: &[u8]) -> Option<String> {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = std::str::from_utf8(s.get(i + 1..i + 3)?).ok()?;
                    out.push(u8::from_str_radix(hex, 16).ok()?);
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).ok()
    }
    let mut map = HashMap::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let mut kv = pair.splitn(2, |b| *b == b'=');
        let k = decode(kv.next()?)?;
        let v = decode(kv.next().unwrap_or_default())?;
        map.insert(k, v);
    }
    Some(map)
}

fn parse_json(body: &[u8]) -> Option<HashMap<String, String>> {
    let Value::Object(o) = serde_json::from_slice::<Value>(body).ok()? else {
        return None;
    };
    Some(
        o.into_iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((k, s)),
                Value::Number(n) => Some((k, n.to_string())),
                Value::Bool(b) => Some((k, b.to_string())),
                _ => None,
            })
            .collect(),
    )
}

fn client_ip(info: Option<&ConnectInfo<SocketAddr>>) -> IpAddr {
    info.map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

fn errors_json(status: StatusCode, errors: &[FieldError]) -> Response {
    (
        status,
        Json(json!({
            "ok": false,
            "errors": errors.iter().map(|e| json!({"field": e.field, "message": e.message})).collect::<Vec<_>>(),
        })),
    )
        .into_response()
}

/// Takes a post: 200/303 when accepted, 422 when invalid, 429 over the rate, 404 for no form.
pub async fn submit(
    State(s): State<HttpState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let info = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .cloned();
    let body = match axum::body::to_bytes(request.into_body(), super::MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if let Err(wait) = s.form_limiter.check(client_ip(info.as_ref())) {
        let msg = format!("too many submissions; try again in {wait} s");
        let mut resp = if is_json {
            errors_json(StatusCode::TOO_MANY_REQUESTS, &[FieldError::new("", msg)])
        } else {
            (
                StatusCode::TOO_MANY_REQUESTS,
                Html(page_html(
                    "Please wait",
                    &format!("<p>{}</p>", escape(&msg)),
                )),
            )
                .into_response()
        };
        if let Ok(v) = wait.to_string().parse() {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return resp;
    }
    handle(&s, &key, is_json, &body).await
}

async fn handle(s: &HttpState, key: &str, is_json: bool, body: &Bytes) -> Response {
    let data = if is_json {
        parse_json(body)
    } else {
        parse_urlencoded(body)
    };
    let Some(data) = data else {
        let e = [FieldError::new(
            "",
            if is_json {
                "the body must be a JSON object of field names and texts"
            } else {
                "the body is not valid URL-encoded UTF-8"
            },
        )];
        return if is_json {
            errors_json(StatusCode::BAD_REQUEST, &e)
        } else {
            (
                StatusCode::BAD_REQUEST,
                Html(page_html(
                    "Not sent",
                    &format!("<p>{}</p>", escape(&e[0].message)),
                )),
            )
                .into_response()
        };
    };
    match forms::submit(&s.app, key, &data).await {
        Ok(Submitted::NotFound) => {
            if is_json {
                errors_json(
                    StatusCode::NOT_FOUND,
                    &[FieldError::new("", "no open form has this address")],
                )
            } else {
                not_found()
            }
        }
        Ok(Submitted::Invalid(errors, fields)) => {
            if is_json {
                return errors_json(StatusCode::UNPROCESSABLE_ENTITY, &errors);
            }
            let list: String = errors
                .iter()
                .map(|e| format!("<li>{}: {}</li>", escape(&e.field), escape(&e.message)))
                .collect();
            let form = forms::form_html(&forms::public_path(key), &fields, &data);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page_html(
                    "Please check the form",
                    &format!("<ul class=\"errors\">{list}</ul>\n{form}"),
                )),
            )
                .into_response()
        }
        Ok(Submitted::Accepted { redirect }) => {
            if is_json {
                return Json(json!({"ok": true})).into_response();
            }
            match redirect {
                Some(url) => Redirect::to(&url).into_response(),
                None => Html(page_html(
                    "Thank you",
                    "<p>Thank you! We have received your message and will be in touch.</p>",
                ))
                .into_response(),
            }
        }
        Err(e) => {
            tracing::error!(error = %e.message(), "taking a web form post");
            if is_json {
                errors_json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &[FieldError::new(
                        "",
                        "the form could not be taken; try again later",
                    )],
                )
            } else {
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_bodies() {
        let m =
            parse_urlencoded(b"surname=O%27Brien&foreName=Ann+Marie&email=&x").unwrap_or_default();
        assert_eq!(m.get("surname").map(String::as_str), Some("O'Brien"));
        assert_eq!(m.get("foreName").map(String::as_str), Some("Ann Marie"));
        assert_eq!(m.get("email").map(String::as_str), Some(""));
        assert_eq!(m.get("x").map(String::as_str), Some(""));
        assert!(parse_urlencoded(b"a=%ZZ").is_none());
        assert!(parse_urlencoded(b"a=%FF").is_none());
    }
}
