//! Live account changes over graphql-transport-ws, filtered by the subscriber's row scope.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tests::TestApp;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

pub(crate) type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(crate) async fn connect(app: &TestApp, token: &str) -> Ws {
    connect_url(&app.url, token).await
}

/// A graphql-transport-ws connection to the server at `base` (http://…), signed in with `token`.
pub(crate) async fn connect_url(base: &str, token: &str) -> Ws {
    let url = format!("{}/graphql/ws", base.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let init =
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    ws.send(Message::Text(init.to_string().into()))
        .await
        .unwrap();
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    ws
}

/// The next JSON message, or `None` after a quiet second.
pub(crate) async fn next(ws: &mut Ws) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(1), ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return serde_json::from_str(&t).ok(),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return None,
        }
    }
}

async fn account(app: &TestApp, token: &str, name: &str) -> Value {
    let d = app
        .ok(token, "query($n: String) { accounts(filter: {name: {eq: $n}}) { edges { node { id version } } } }", json!({"n": name}))
        .await;
    d["accounts"]["edges"][0]["node"].clone()
}

#[tokio::test]
async fn subscribers_see_only_what_their_scope_allows_and_removals() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let users = app
        .ok(
            &manager,
            "{ users(first: 100) { edges { node { id email } } } }",
            json!({}),
        )
        .await;
    let sam = users["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["email"] == "rep3@demo.crm")
        .unwrap()["node"]["id"]
        .clone();

    let mut ws = connect(&app, &rep).await;
    let sub = json!({"id": "1", "type": "subscribe", "payload": {"query":
        "subscription { accountChanges { kind accountId cursor account { name area annualRevenue { amount } } } }"}});
    ws.send(Message::Text(sub.to_string().into()))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let update =
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { version } } }";
    // 1. A change to the rep's own account arrives, with the guarded field withheld.
    let acme = account(&app, &manager, "Acme Corporation").await;
    app.ok(
        &manager,
        update,
        json!({"i": {"id": acme["id"], "version": acme["version"], "area": "Far North"}}),
    )
    .await;
    let msg = next(&mut ws)
        .await
        .expect("an event for the rep's own account");
    assert_eq!(msg["type"], "next", "{msg}");
    let change = &msg["payload"]["data"]["accountChanges"];
    assert_eq!(change["kind"], "UPSERT");
    assert_eq!(change["accountId"], acme["id"]);
    assert_eq!(change["account"]["area"], "Far North");
    assert!(change["account"]["annualRevenue"].is_null());
    assert_eq!(
        msg["payload"]["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
    assert!(change["cursor"].as_str().unwrap().parse::<i64>().unwrap() > 0);

    // 2. A change to another team's account is not delivered.
    let initech = account(&app, &manager, "Initech").await;
    app.ok(
        &manager,
        update,
        json!({"i": {"id": initech["id"], "version": initech["version"], "area": "Elsewhere"}}),
    )
    .await;

    // 3. Reassigning the rep's account out of the rep's scope arrives as a removal.
    let acme = account(&app, &manager, "Acme Corporation").await;
    app.ok(
        &manager,
        update,
        json!({"i": {"id": acme["id"], "version": acme["version"], "ownerId": sam}}),
    )
    .await;
    let msg = next(&mut ws).await.expect("a removal");
    let change = &msg["payload"]["data"]["accountChanges"];
    assert_eq!(change["kind"], "REMOVE", "{msg}");
    assert_eq!(change["accountId"], acme["id"]);
    assert!(change["account"].is_null());
    assert!(next(&mut ws).await.is_none(), "nothing else arrives");
}

#[tokio::test]
async fn subscriptions_need_a_valid_token() {
    let app = TestApp::new().await;
    let url = format!("{}/graphql/ws", app.url.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let init = json!({"type": "connection_init", "payload": {"Authorization": "Bearer nonsense"}});
    ws.send(Message::Text(init.to_string().into()))
        .await
        .unwrap();
    // The server closes the connection instead of acknowledging it.
    let got = tokio::time::timeout(Duration::from_secs(2), ws.next())
        .await
        .unwrap();
    assert!(
        !matches!(&got, Some(Ok(Message::Text(t))) if t.contains("connection_ack")),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_logout_closes_the_sessions_subscriptions_at_once() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let other = app.login("rep@demo.crm").await;
    let mut ws = connect(&app, &rep).await;
    let mut stays = connect(&app, &other).await;
    for socket in [&mut ws, &mut stays] {
        let start = json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { accountChanges { kind } }"}});
        socket
            .send(Message::Text(start.to_string().into()))
            .await
            .unwrap();
    }
    assert!(next(&mut ws).await.is_none(), "nothing yet");

    let v = app.ok(&rep, "mutation { logout }", json!({})).await;
    assert_eq!(v["logout"], true);
    // The server closes that session's connection (code 4401) without being asked.
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => continue,
                _ => return None,
            }
        }
    })
    .await
    .expect("the connection was not closed after the logout");
    assert_eq!(closed, Some(4401));

    // The same user's other session keeps its subscription and hears a change.
    let v = app
        .ok(
            &other,
            "mutation { createAccount(input: {name: \"Heard After Logout\"}) { account { id } } }",
            json!({}),
        )
        .await;
    assert!(v["createAccount"]["account"]["id"].is_string());
    let heard = next(&mut stays).await;
    assert!(heard.is_some(), "the other session still hears changes");
}
