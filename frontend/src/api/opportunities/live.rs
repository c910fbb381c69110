//! Live changes to the opportunities of a pipeline over `/graphql/ws`
//! (graphql-transport-ws): one subscription, resumed from the last cursor seen
//! after a dropped connection, with a growing pause between attempts.

use super::{Opportunity, CARD_FIELDS};
use crate::api::json::{self, FromJson};
use crate::api::session;
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::{set_timeout, set_timeout_with_handle, window};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, WebSocket};

/// Sub-protocol spoken on the socket.
const PROTOCOL: &str = "graphql-transport-ws";
/// Longest pause between two connection attempts.
const MAX_BACKOFF_MS: u64 = 30_000;

/// `ChangeKind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Created or changed, and visible.
    Upsert,
    /// No longer visible (archived, out of scope, moved to another pipeline).
    Remove,
}

/// `OpportunityChange`.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Where to resume from.
    pub cursor: String,
    /// Upsert or removal.
    pub kind: ChangeKind,
    /// The opportunity's id.
    pub opportunity_id: String,
    /// The card as it is now (for an upsert).
    pub opportunity: Option<Opportunity>,
}

impl FromJson for Change {
    fn from_json(v: &Value) -> Self {
        Self {
            cursor: json::text(v, "cursor"),
            kind: if v["kind"] == "REMOVE" {
                ChangeKind::Remove
            } else {
                ChangeKind::Upsert
            },
            opportunity_id: json::text(v, "opportunityId"),
            opportunity: json::object(v, "opportunity"),
        }
    }
}

/// A message from the server.
#[derive(Clone, Debug, PartialEq)]
pub enum ServerMessage {
    /// `connection_ack`: the token was accepted.
    Ack,
    /// `next` with a change.
    Next(Box<Change>),
    /// `error`: the subscription was refused.
    Error(String),
    /// `complete`: the server ended the subscription.
    Complete,
    /// `ping`, to be answered with a pong.
    Ping,
    /// Anything else (`pong`, a `next` without data).
    Other,
}

/// Reads one text frame.
pub fn parse(text: &str) -> ServerMessage {
    let Ok(message) = serde_json::from_str::<Value>(text) else {
        return ServerMessage::Other;
    };
    match message["type"].as_str().unwrap_or_default() {
        "connection_ack" => ServerMessage::Ack,
        "next" => {
            let change = &message["payload"]["data"]["opportunityChanges"];
            if change.is_object() {
                ServerMessage::Next(Box::new(Change::from_json(change)))
            } else {
                ServerMessage::Other
            }
        }
        "error" => {
            let first = &message["payload"][0]["message"];
            ServerMessage::Error(first.as_str().unwrap_or("subscription refused").to_owned())
        }
        "complete" => ServerMessage::Complete,
        "ping" => ServerMessage::Ping,
        _ => ServerMessage::Other,
    }
}

/// `connection_init` carrying the session token (under the names the server reads).
pub fn init_message(token: &str) -> String {
    json!({ "type": "connection_init", "payload": { "token": token, "authToken": token } })
        .to_string()
}

/// The document of [`subscribe_message`].
pub(crate) fn changes_subscription() -> String {
    format!(
        "subscription OpportunityChanges($pipelineId: ID, $after: String) {{ \
         opportunityChanges(pipelineId: $pipelineId, after: $after) {{ \
         cursor kind opportunityId opportunity {{ {CARD_FIELDS} }} }} }}"
    )
}

/// `subscribe` to the changes of `pipeline`, after `cursor` when resuming.
pub fn subscribe_message(pipeline: &str, cursor: Option<&str>) -> String {
    let query = changes_subscription();
    json!({
        "id": "1",
        "type": "subscribe",
        "payload": { "query": query, "variables": { "pipelineId": pipeline, "after": cursor } },
    })
    .to_string()
}

/// Pause before connection attempt number `attempt` (0 for the first retry).
pub fn backoff_ms(attempt: u32) -> u64 {
    1000_u64
        .saturating_mul(1 << attempt.min(5))
        .min(MAX_BACKOFF_MS)
}

/// Where the feed is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveState {
    /// Connecting, or waiting to reconnect.
    Connecting,
    /// Subscribed.
    Live,
}

/// What the feed tells its owner.
pub trait Listener {
    /// A change arrived.
    fn change(&self, change: Change);
    /// The connection state changed.
    fn state(&self, state: LiveState);
    /// The server could not resume from the cursor: reload everything.
    fn resync(&self);
}

type Handler = Closure<dyn FnMut(JsValue)>;

struct Inner {
    pipeline: String,
    cursor: Option<String>,
    attempt: u32,
    socket: Option<WebSocket>,
    handlers: Vec<Handler>,
    timer: Option<TimeoutHandle>,
    listener: Rc<dyn Listener>,
}

impl Inner {
    /// Detaches and closes the socket; its handlers are dropped later, since
    /// one of them may be running right now.
    fn close(&mut self) {
        if let Some(socket) = self.socket.take() {
            socket.set_onopen(None);
            socket.set_onmessage(None);
            socket.set_onclose(None);
            let _ = socket.close();
        }
        let handlers = std::mem::take(&mut self.handlers);
        if !handlers.is_empty() {
            set_timeout(move || drop(handlers), Duration::ZERO);
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        self.close();
    }
}

/// The subscription of one board; dropping it closes the connection.
pub struct LiveFeed {
    /// The only strong reference: the socket's handlers hold weak ones.
    _inner: Rc<RefCell<Inner>>,
}

impl LiveFeed {
    /// Subscribes to the changes of `pipeline` and reports them to `listener`.
    pub fn start(pipeline: String, listener: Rc<dyn Listener>) -> Self {
        let inner = Rc::new(RefCell::new(Inner {
            pipeline,
            cursor: None,
            attempt: 0,
            socket: None,
            handlers: Vec::new(),
            timer: None,
            listener,
        }));
        connect(&inner);
        Self { _inner: inner }
    }
}

impl std::fmt::Debug for LiveFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LiveFeed")
    }
}

fn socket_url() -> String {
    let location = window().location();
    let secure = location.protocol().is_ok_and(|p| p == "https:");
    let host = location.host().unwrap_or_default();
    format!("{}://{host}/graphql/ws", if secure { "wss" } else { "ws" })
}

fn connect(rc: &Rc<RefCell<Inner>>) {
    let Some(token) = session::token() else {
        return;
    };
    let listener = {
        let mut inner = rc.borrow_mut();
        inner.timer = None;
        inner.close();
        inner.listener.clone()
    };
    listener.state(LiveState::Connecting);
    let Ok(socket) = WebSocket::new_with_str(&socket_url(), PROTOCOL) else {
        retry_later(rc);
        return;
    };
    let weak = Rc::downgrade(rc);
    let on_open: Handler = {
        let socket = socket.clone();
        Closure::new(move |_: JsValue| {
            let _ = socket.send_with_str(&init_message(&token));
        })
    };
    let on_message: Handler = {
        let weak = weak.clone();
        Closure::new(move |event: JsValue| {
            let text = event.unchecked_into::<MessageEvent>().data().as_string();
            if let (Some(rc), Some(text)) = (weak.upgrade(), text) {
                receive(&rc, &text);
            }
        })
    };
    let on_close: Handler = Closure::new(move |_: JsValue| {
        if let Some(rc) = weak.upgrade() {
            retry_later(&rc);
        }
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut inner = rc.borrow_mut();
    inner.socket = Some(socket);
    inner.handlers = vec![on_open, on_message, on_close];
}

fn send(rc: &Rc<RefCell<Inner>>, text: &str) {
    if let Some(socket) = &rc.borrow().socket {
        let _ = socket.send_with_str(text);
    }
}

fn receive(rc: &Rc<RefCell<Inner>>, text: &str) {
    let listener = rc.borrow().listener.clone();
    match parse(text) {
        ServerMessage::Ack => {
            let subscribe = {
                let mut inner = rc.borrow_mut();
                inner.attempt = 0;
                subscribe_message(&inner.pipeline, inner.cursor.as_deref())
            };
            send(rc, &subscribe);
            listener.state(LiveState::Live);
        }
        ServerMessage::Next(change) => {
            if !change.cursor.is_empty() {
                rc.borrow_mut().cursor = Some(change.cursor.clone());
            }
            listener.change(*change);
        }
        ServerMessage::Error(_) => {
            // Most likely a cursor the server no longer keeps: start afresh.
            let resumed = rc.borrow_mut().cursor.take().is_some();
            if resumed {
                listener.resync();
                let subscribe = subscribe_message(&rc.borrow().pipeline, None);
                send(rc, &subscribe);
            } else {
                retry_later(rc);
            }
        }
        ServerMessage::Complete => retry_later(rc),
        ServerMessage::Ping => send(rc, r#"{"type":"pong"}"#),
        ServerMessage::Other => {}
    }
}

/// Closes the socket and connects again after the back-off pause.
fn retry_later(rc: &Rc<RefCell<Inner>>) {
    let (delay, listener) = {
        let mut inner = rc.borrow_mut();
        inner.close();
        if inner.timer.is_some() {
            return;
        }
        let delay = backoff_ms(inner.attempt);
        inner.attempt = inner.attempt.saturating_add(1);
        (delay, inner.listener.clone())
    };
    listener.state(LiveState::Connecting);
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    let timer = set_timeout_with_handle(
        move || {
            if let Some(rc) = weak.upgrade() {
                connect(&rc);
            }
        },
        Duration::from_millis(delay),
    )
    .ok();
    rc.borrow_mut().timer = timer;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_server_messages() {
        assert_eq!(parse(r#"{"type":"connection_ack"}"#), ServerMessage::Ack);
        assert_eq!(parse(r#"{"type":"ping"}"#), ServerMessage::Ping);
        assert_eq!(
            parse(r#"{"id":"1","type":"complete"}"#),
            ServerMessage::Complete
        );
        assert_eq!(parse("not json"), ServerMessage::Other);
        assert_eq!(
            parse(r#"{"id":"1","type":"error","payload":[{"message":"bad cursor"}]}"#),
            ServerMessage::Error("bad cursor".into())
        );
        let next = parse(
            r#"{"id":"1","type":"next","payload":{"data":{"opportunityChanges":
                {"cursor":"c9","kind":"UPSERT","opportunityId":"O1",
                 "opportunity":{"id":"O1","stage":{"id":"S2"},"position":"a1","version":5}}}}}"#,
        );
        let ServerMessage::Next(change) = next else {
            panic!("not a change: {next:?}");
        };
        assert_eq!(change.cursor, "c9");
        assert_eq!(change.kind, ChangeKind::Upsert);
        let card = change.opportunity.unwrap_or_default();
        assert_eq!((card.stage.id.as_str(), card.version), ("S2", 5));
        let removal = parse(
            r#"{"type":"next","payload":{"data":{"opportunityChanges":
                {"cursor":"c10","kind":"REMOVE","opportunityId":"O1","opportunity":null}}}}"#,
        );
        assert!(
            matches!(removal, ServerMessage::Next(c) if c.kind == ChangeKind::Remove && c.opportunity.is_none())
        );
    }

    #[test]
    fn subscribe_resumes_from_the_cursor() -> Result<(), serde_json::Error> {
        let message: Value = serde_json::from_str(&subscribe_message("P1", Some("c9")))?;
        assert_eq!(message["type"], "subscribe");
        assert_eq!(
            message["payload"]["variables"],
            json!({ "pipelineId": "P1", "after": "c9" })
        );
        assert!(message["payload"]["query"]
            .as_str()
            .is_some_and(|q| q.contains("opportunityChanges")));
        let fresh: Value = serde_json::from_str(&subscribe_message("P1", None))?;
        assert_eq!(fresh["payload"]["variables"]["after"], Value::Null);
        let init: Value = serde_json::from_str(&init_message("t0k"))?;
        assert_eq!(init["type"], "connection_init");
        assert_eq!(init["payload"]["token"], "t0k");
        Ok(())
    }

    #[test]
    fn back_off_grows_to_a_ceiling() {
        assert_eq!(backoff_ms(0), 1000);
        assert_eq!(backoff_ms(1), 2000);
        assert_eq!(backoff_ms(3), 8000);
        assert_eq!(backoff_ms(10), MAX_BACKOFF_MS);
    }
}
