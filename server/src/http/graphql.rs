//! GraphQL over HTTP (POST JSON, GET for queries), GraphiQL, and graphql-transport-ws.

use std::collections::HashMap;

use async_graphql::http::{GraphiQLSource, ALL_WEBSOCKET_PROTOCOLS};
use async_graphql::parser::types::OperationType;
use async_graphql::{ErrorExtensionValues, Value};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;

use super::caller_limit::Caller;
use super::HttpState;
use crate::auth::{sessions, RequestCtx, TokenState};
use crate::error::AppError;
use crate::graphql::{request_data, subscription_data};
use crate::kit::web::ClientAddress;
use crate::state::AppState;

/// A GraphQL-shaped error response for failures before execution.
fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"errors": [{"message": message, "extensions": {"code": code}}]})),
    )
        .into_response()
}

/// The request context for a bearer token (or none).
pub async fn context_for_token(
    state: &AppState,
    token: Option<&str>,
) -> Result<RequestCtx, AppError> {
    let Some(token) = token else {
        return Ok(RequestCtx::anonymous());
    };
    let actor = sessions::resolve(&state.db, &state.access, token).await?;
    Ok(RequestCtx {
        token_state: if actor.is_some() {
            TokenState::Valid
        } else {
            TokenState::Invalid
        },
        actor: actor.map(std::sync::Arc::new),
        token_hash: Some(sessions::hash_token(token)),
    })
}

pub(crate) async fn context_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<RequestCtx, Response> {
    let token = match headers.get(header::AUTHORIZATION) {
        None => None,
        Some(v) => match v.to_str().ok().and_then(|s| s.strip_prefix("Bearer ")) {
            Some(t) => Some(t.trim().to_string()),
            None => {
                return Ok(RequestCtx {
                    actor: None,
                    token_state: TokenState::Invalid,
                    token_hash: None,
                })
            }
        },
    };
    context_for_token(state, token.as_deref())
        .await
        .map_err(|e| {
            let gql: async_graphql::Error = e.into();
            error_response(StatusCode::SERVICE_UNAVAILABLE, "INTERNAL", &gql.message)
        })
}

/// Gives every error a stable `extensions.code`: errors raised by the parser or validator (syntax,
/// unknown fields, wrong types, depth and complexity limits) become `BAD_USER_INPUT`.
fn with_codes(mut resp: async_graphql::Response) -> async_graphql::Response {
    fill_error_nulls(&mut resp);
    for e in &mut resp.errors {
        let has_code = e
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        if !has_code {
            let ext = e
                .extensions
                .get_or_insert_with(ErrorExtensionValues::default);
            ext.set("code", Value::from("BAD_USER_INPUT"));
        }
    }
    resp
}

/// A field refused by a guard is reported as `null` (not left out) at its error's path, as the
/// GraphQL spec has it for nullable fields. A record whose selected fields were all refused is
/// still a record (the executor leaves an object with no resolved field as `null`, which the
/// schema may not allow): an error's path runs through it, so it was resolved.
fn fill_error_nulls(resp: &mut async_graphql::Response) {
    use async_graphql::PathSegment;
    // `below_root`: `data` itself stays `null` when a root field failed.
    fn walk<'a>(v: &'a mut Value, path: &[PathSegment], below_root: bool) -> Option<&'a mut Value> {
        match path.split_first() {
            None => {
                if below_root && *v == Value::Null {
                    *v = Value::Object(Default::default());
                }
                Some(v)
            }
            Some((PathSegment::Field(f), rest)) => match v {
                Value::Object(map) => walk(map.get_mut(f.as_str())?, rest, true),
                _ => None,
            },
            Some((PathSegment::Index(i), rest)) => match v {
                Value::List(list) => walk(list.get_mut(*i)?, rest, true),
                _ => None,
            },
        }
    }
    for e in &resp.errors {
        let Some((PathSegment::Field(last), parents)) = e.path.split_last() else {
            continue;
        };
        if let Some(Value::Object(map)) = walk(&mut resp.data, parents, false) {
            map.entry(async_graphql::Name::new(last))
                .or_insert(Value::Null);
        }
    }
}

async fn execute(
    s: &HttpState,
    headers: &HeaderMap,
    from: ClientAddress,
    mut req: async_graphql::Request,
) -> Response {
    let ctx = match context_from_headers(&s.app, headers).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let caller = match &ctx.actor {
        Some(actor) => Caller::User(actor.user_id),
        None => Caller::Address(from.0),
    };
    let Some(_turn) = s.callers.turn(caller).await else {
        return error_response(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "too many of your requests are running at once; send this one again when they are done",
        );
    };
    let schema = s.schemas.pick(ctx.actor.is_some(), &req);
    req.data = request_data(&s.app, ctx);
    req.data
        .insert(crate::kit::web::PublicBase::from_headers(headers));
    req.data.insert(from);
    let resp = with_codes(schema.execute(req).await);
    if !wants_graphql_response(headers) {
        return Json(resp).into_response();
    }
    // `application/graphql-response+json`: a request that never ran (parse, validation or
    // variable errors, none of them on a path) is a 400 without a `data` entry.
    let ran = resp.data != Value::Null || resp.errors.iter().any(|e| !e.path.is_empty());
    let mut body = serde_json::to_value(&resp).unwrap_or_default();
    let status = if ran {
        StatusCode::OK
    } else {
        if let Some(body) = body.as_object_mut() {
            body.remove("data");
        }
        StatusCode::BAD_REQUEST
    };
    (
        status,
        [(header::CONTENT_TYPE, GRAPHQL_RESPONSE)],
        body.to_string(),
    )
        .into_response()
}

/// The GraphQL-over-HTTP media type whose status codes say whether the request ran.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";

/// Whether the client accepts `application/graphql-response+json` (else it gets
/// `application/json`, always with 200 once the request is well-formed).
fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            t.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/graphql-response+json")
            })
        })
}

/// Whether the request says its body is JSON (`application/json`, any parameters).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// `POST /graphql` with a JSON body `{query, variables, operationName}`. Any other content type
/// (a cross-site form or `text/plain` post, which browsers send without asking) is refused with
/// 415 before anything runs.
pub async fn graphql_post(
    State(s): State<HttpState>,
    from: ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_json(&headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_USER_INPUT",
            "send the request as application/json",
        );
    }
    let req = match graphql_request(&body) {
        Ok(r) => r,
        Err(message) => return error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &message),
    };
    execute(&s, &headers, from, req).await
}

/// The GraphQL request in a POST body: a JSON object with a string `query`, and `variables`,
/// `operationName` and `extensions` of the right kinds when present.
fn graphql_request(body: &[u8]) -> Result<async_graphql::Request, String> {
    let invalid = |why: &str| format!("the body is not a valid GraphQL request: {why}");
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| invalid(&e.to_string()))?;
    let Some(fields) = value.as_object() else {
        return Err(invalid("it must be a JSON object"));
    };
    if !fields
        .get("query")
        .is_some_and(serde_json::Value::is_string)
    {
        return Err(invalid("\"query\" must be a string"));
    }
    let kind_ok = |name: &str, ok: fn(&serde_json::Value) -> bool| {
        fields.get(name).is_none_or(|v| v.is_null() || ok(v))
    };
    if !kind_ok("variables", serde_json::Value::is_object) {
        return Err(invalid("\"variables\" must be an object"));
    }
    if !kind_ok("operationName", serde_json::Value::is_string) {
        return Err(invalid("\"operationName\" must be a string"));
    }
    if !kind_ok("extensions", serde_json::Value::is_object) {
        return Err(invalid("\"extensions\" must be an object"));
    }
    serde_json::from_value(value).map_err(|e| invalid(&e.to_string()))
}

/// `GET /graphql?query=…` runs a query (never a mutation); without `query` it serves GraphiQL when
/// enabled.
pub async fn graphql_get(
    State(s): State<HttpState>,
    from: ClientAddress,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(query) = params.get("query") else {
        if s.app.config.graphiql {
            return Html(
                GraphiQLSource::build()
                    .endpoint("/graphql")
                    .subscription_endpoint("/graphql/ws")
                    .finish(),
            )
            .into_response();
        }
        return error_response(StatusCode::NOT_FOUND, "NOT_FOUND", "GraphiQL is disabled");
    };
    match async_graphql::parser::parse_query(query) {
        Ok(doc) => {
            if doc
                .operations
                .iter()
                .any(|(_, op)| op.node.ty != OperationType::Query)
            {
                return error_response(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "BAD_USER_INPUT",
                    "only queries may be sent with GET; use POST for mutations",
                );
            }
        }
        Err(e) => return error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &e.to_string()),
    }
    let mut req = async_graphql::Request::new(query.clone());
    if let Some(op) = params.get("operationName") {
        req = req.operation_name(op.clone());
    }
    if let Some(vars) = params.get("variables") {
        match serde_json::from_str::<serde_json::Value>(vars) {
            Ok(v) => req = req.variables(async_graphql::Variables::from_json(v)),
            Err(e) => {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    "BAD_USER_INPUT",
                    &format!("variables is not valid JSON: {e}"),
                )
            }
        }
    }
    execute(&s, &headers, from, req).await
}

/// `GET /graphql/ws`: subscriptions over graphql-transport-ws. The token travels in the
/// `connection_init` payload as `Authorization: "Bearer …"` (or `authToken`, or `token`). When the
/// session ends (logout, expiry) the connection is closed with code 4401 and its subscriptions
/// stop at once.
pub async fn graphql_ws(
    State(s): State<HttpState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let app = s.app.clone();
            let (mut out, input) = socket.split();
            let (to_client, mut outgoing) = tokio::sync::mpsc::unbounded_channel();
            let (signed_in, token) = tokio::sync::oneshot::channel::<String>();
            let serve = GraphQLWebSocket::new_with_pair(
                ChannelSink(to_client),
                input,
                s.schemas.signed_in.clone(),
                protocol,
            )
            .on_connection_init(move |payload| async move {
                let token = token_of(&payload);
                let ctx = context_for_token(&app, token.as_deref())
                    .await
                    .map_err(|e| async_graphql::Error::new(e.message()))?;
                if ctx.actor.is_none() {
                    return Err(async_graphql::Error::new("sign-in required"));
                }
                if let Some(token) = token {
                    let _ = signed_in.send(token);
                }
                Ok(subscription_data(&app, ctx))
            })
            .serve();
            let mut serve = std::pin::pin!(serve);
            let mut ended = std::pin::pin!(session_end(s.app.clone(), token));
            let mut served = false;
            loop {
                tokio::select! {
                    () = &mut serve, if !served => served = true,
                    message = outgoing.recv() => match message {
                        Some(message) => {
                            if out.send(message).await.is_err() {
                                break;
                            }
                        }
                        // The protocol is done and everything it said is sent.
                        None => break,
                    },
                    () = &mut ended => {
                        let _ = out
                            .send(Message::Close(Some(CloseFrame {
                                code: 4401,
                                reason: "the session has ended".into(),
                            })))
                            .await;
                        break;
                    }
                }
            }
        })
}

/// The bearer token of a `connection_init` payload.
fn token_of(payload: &serde_json::Value) -> Option<String> {
    payload
        .get("Authorization")
        .or_else(|| payload.get("authorization"))
        .and_then(|v| v.as_str())
        .map(|s| s.strip_prefix("Bearer ").unwrap_or(s).to_string())
        .or_else(|| {
            payload
                .get("authToken")
                .or_else(|| payload.get("token"))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
}

/// How often an open subscription checks that its session still holds, besides the events.
const SESSION_RECHECK: std::time::Duration = std::time::Duration::from_secs(60);

/// Completes when the session of the token sent on `signed_in` ends: at its expiry, when a
/// session-ended event (a logout on any server) finds it gone, or at the next minute's check.
/// Never completes before a sign-in.
async fn session_end(app: AppState, signed_in: tokio::sync::oneshot::Receiver<String>) {
    use tokio::sync::broadcast::error::RecvError;
    let Ok(token) = signed_in.await else {
        return std::future::pending().await;
    };
    // Subscribed before the session is checked, so no logout in between goes unheard.
    let mut events = app.events.subscribe();
    let hash = sessions::hash_token(&token);
    let still_valid = || async {
        !matches!(
            context_for_token(&app, Some(&token)).await,
            Ok(RequestCtx { actor: None, .. })
        )
    };
    let Ok(Some(expires_at)) = sessions::expires_at(&app.db, &hash).await else {
        return;
    };
    let left = (expires_at - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    let mut expiry = std::pin::pin!(tokio::time::sleep(left));
    // Whatever else ends a session (a user deactivated by any means) is seen within a minute.
    let mut recheck = tokio::time::interval(SESSION_RECHECK);
    recheck.reset();
    loop {
        tokio::select! {
            () = &mut expiry => return,
            _ = recheck.tick() => {
                if !still_valid().await {
                    return;
                }
            }
            event = events.recv() => match event {
                Ok(e) if e.object_type == sessions::SESSION_ENDED => {
                    if !still_valid().await {
                        return;
                    }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => {
                    if !still_valid().await {
                        return;
                    }
                }
                Err(RecvError::Closed) => return std::future::pending().await,
            },
        }
    }
}

/// A sink into a channel: what the protocol says goes through the connection's one writer, which
/// can also close it.
struct ChannelSink(tokio::sync::mpsc::UnboundedSender<Message>);

impl futures_util::Sink<Message> for ChannelSink {
    type Error = axum::Error;

    fn poll_ready(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn start_send(self: std::pin::Pin<&mut Self>, item: Message) -> Result<(), Self::Error> {
        self.0
            .send(item)
            .map_err(|_| axum::Error::new("the connection is closed"))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_close(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }
}
