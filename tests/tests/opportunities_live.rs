//! Live opportunity changes: delivered under row scope and field grants, removals, resuming from a
//! cursor, and fan-out between two server processes on one PostgreSQL database.

use std::time::Duration;

use futures_util::SinkExt;
use serde_json::{json, Value};
use tests::TestApp;
use tokio_tungstenite::tungstenite::Message;

use crate::live::{connect, connect_url, next, Ws};
use crate::opportunities::{stages, MOVE};

const SUB: &str = "subscription($a: String) { opportunityChanges(after: $a) { cursor kind opportunityId opportunity { name version stage { name } amount { amount } } } }";

async fn subscribe(ws: &mut Ws, after: Option<&str>) {
    let msg = json!({"id": "1", "type": "subscribe", "payload": {"query": SUB, "variables": {"a": after}}});
    ws.send(Message::Text(msg.to_string().into()))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// The next change event's payload (`data` and `errors`), or `None` after a quiet second.
async fn change(ws: &mut Ws) -> Option<Value> {
    let m = next(ws).await?;
    assert_eq!(m["type"], "next", "{m}");
    Some(m["payload"].clone())
}

/// An open opportunity owned by `owner` (by e-mail), as the manager sees it.
async fn owned_by(app: &TestApp, manager: &str, owner: &str) -> Value {
    let d = app
        .ok(manager, "{ opportunities(first: 100, filter: {status: OPEN}) { edges { node { id name version owner { email } pipeline { isDefault } } } } }", json!({}))
        .await;
    d["opportunities"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .find(|n| n["owner"]["email"] == owner && n["pipeline"]["isDefault"] == true)
        .unwrap()
}

async fn user_id(app: &TestApp, token: &str, email: &str) -> Value {
    let d = app
        .ok(
            token,
            "{ users(first: 100) { edges { node { id email } } } }",
            json!({}),
        )
        .await;
    d["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["email"] == email)
        .unwrap()["node"]["id"]
        .clone()
}

#[tokio::test]
async fn changes_arrive_scoped_and_guarded_with_removals_and_resume() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let marketing = app.login("marketing@demo.crm").await;
    let st = stages(&app, &manager).await;
    let north = owned_by(&app, &manager, "rep@demo.crm").await;
    let north2 = owned_by(&app, &manager, "rep2@demo.crm").await;
    let south = owned_by(&app, &manager, "rep3@demo.crm").await;

    let mut rep_ws = connect(&app, &rep).await;
    subscribe(&mut rep_ws, None).await;
    let mut mkt_ws = connect(&app, &marketing).await;
    subscribe(&mut mkt_ws, None).await;

    // Another team's move is none of the rep's business; the team's move arrives with its amount.
    app.ok(
        &manager,
        MOVE,
        json!({"i": {"id": south["id"], "version": south["version"], "stageId": st["Proposal"]}}),
    )
    .await;
    app.ok(&manager, MOVE, json!({"i": {"id": north["id"], "version": north["version"], "stageId": st["Negotiation"]}})).await;
    let first = change(&mut rep_ws).await.expect("the team's move");
    let c = &first["data"]["opportunityChanges"];
    assert_eq!(c["kind"], "UPSERT");
    assert_eq!(c["opportunityId"], north["id"]);
    assert_eq!(c["opportunity"]["stage"]["name"], "Negotiation");
    assert!(c["opportunity"]["amount"]["amount"].is_string());
    let cursor1 = c["cursor"].as_str().unwrap().to_string();

    // Marketing sees both moves, without amounts.
    let m1 = change(&mut mkt_ws).await.unwrap();
    let m2 = change(&mut mkt_ws).await.unwrap();
    for m in [&m1, &m2] {
        assert!(
            m["data"]["opportunityChanges"]["opportunity"]["amount"].is_null(),
            "{m}"
        );
        assert_eq!(m["errors"][0]["extensions"]["code"], "FORBIDDEN", "{m}");
    }

    // Reassigned to the South team: the rep gets one removal.
    let sam = user_id(&app, &manager, "rep3@demo.crm").await;
    let v = app
        .ok(
            &manager,
            "query($id: ID!) { opportunity(id: $id) { version } }",
            json!({"id": north["id"]}),
        )
        .await["opportunity"]["version"]
        .clone();
    app.ok(&manager, "mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { id } } }", json!({"i": {"id": north["id"], "version": v, "ownerId": sam}})).await;
    let removal = change(&mut rep_ws).await.expect("a removal");
    let r = &removal["data"]["opportunityChanges"];
    assert_eq!(
        (r["kind"].clone(), r["opportunityId"].clone()),
        (json!("REMOVE"), north["id"].clone())
    );
    assert!(r["opportunity"].is_null());
    assert!(
        change(&mut rep_ws).await.is_none(),
        "nothing else for the rep"
    );

    // Disconnected, the rep misses a move; resuming from the first cursor replays what followed.
    drop(rep_ws);
    app.ok(
        &manager,
        MOVE,
        json!({"i": {"id": north2["id"], "version": north2["version"], "stageId": st["Proposal"]}}),
    )
    .await;
    let mut again = connect(&app, &rep).await;
    subscribe(&mut again, Some(&cursor1)).await;
    let a = change(&mut again).await.expect("replayed removal");
    let b = change(&mut again).await.expect("replayed move");
    assert_eq!(a["data"]["opportunityChanges"]["kind"], "REMOVE");
    assert_eq!(
        b["data"]["opportunityChanges"]["opportunityId"],
        north2["id"]
    );
    assert_eq!(
        b["data"]["opportunityChanges"]["opportunity"]["stage"]["name"],
        "Proposal"
    );
    let ca: i64 = a["data"]["opportunityChanges"]["cursor"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let cb: i64 = b["data"]["opportunityChanges"]["cursor"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(cursor1.parse::<i64>().unwrap() < ca && ca < cb);
    // And live delivery continues after the replay, without duplicates.
    let v = app
        .ok(
            &manager,
            "query($id: ID!) { opportunity(id: $id) { version } }",
            json!({"id": north2["id"]}),
        )
        .await["opportunity"]["version"]
        .clone();
    app.ok(
        &manager,
        MOVE,
        json!({"i": {"id": north2["id"], "version": v, "stageId": st["Negotiation"]}}),
    )
    .await;
    let live = change(&mut again).await.expect("live after replay");
    assert_eq!(
        live["data"]["opportunityChanges"]["opportunity"]["stage"]["name"],
        "Negotiation"
    );
    assert!(change(&mut again).await.is_none());
}

/// Kills the second server process when the test ends, however it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn a_move_through_one_process_reaches_subscribers_of_another() {
    let app = TestApp::new().await;
    let Some(url) = app.database_url() else {
        // SQLite is one process by design (an embedded file); fan-out there is in-process and
        // covered above. This test runs in the PostgreSQL pass.
        return;
    };
    let bin = tests::crm_binary();
    assert!(
        bin.exists(),
        "build the server binary first: cargo build -p server --bin crm ({})",
        bin.display()
    );
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let _child = Child(
        std::process::Command::new(&bin)
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("CRM_BIND", format!("127.0.0.1:{port}"))
            .env("CRM_DIST_DIR", "/nonexistent")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let other = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client
            .get(format!("{other}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the second crm process did not start");
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let st = stages(&app, &manager).await;
    let north = owned_by(&app, &manager, "rep@demo.crm").await;

    // Subscriber on process A (this test's server), move through process B.
    let mut ws_a = connect(&app, &rep).await;
    subscribe(&mut ws_a, None).await;
    // Subscriber on process B, move through A later.
    let mut ws_b = connect_url(&other, &rep).await;
    subscribe(&mut ws_b, None).await;

    let post = |base: String, query: &'static str, vars: Value| {
        let client = client.clone();
        let token = manager.clone();
        async move {
            client
                .post(format!("{base}/graphql"))
                .bearer_auth(token)
                .json(&json!({"query": query, "variables": vars}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let r = post(
        other.clone(),
        MOVE,
        json!({"i": {"id": north["id"], "version": north["version"], "stageId": st["Proposal"]}}),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let mut got = None;
    for _ in 0..5 {
        if let Some(c) = change(&mut ws_a).await {
            got = Some(c);
            break;
        }
    }
    let c = got.expect("the move through process B reached process A");
    assert_eq!(
        c["data"]["opportunityChanges"]["opportunityId"],
        north["id"]
    );
    assert_eq!(
        c["data"]["opportunityChanges"]["opportunity"]["stage"]["name"],
        "Proposal"
    );
    let on_b = change(&mut ws_b).await.expect("and B's own subscriber");
    assert_eq!(
        on_b["data"]["opportunityChanges"]["opportunityId"],
        north["id"]
    );

    let v = r["data"]["moveOpportunity"]["opportunity"]["version"].clone();
    let r = post(
        app.url.clone(),
        MOVE,
        json!({"i": {"id": north["id"], "version": v, "stageId": st["Negotiation"]}}),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let mut got = None;
    for _ in 0..5 {
        if let Some(c) = change(&mut ws_b).await {
            got = Some(c);
            break;
        }
    }
    let c = got.expect("the move through process A reached process B");
    assert_eq!(
        c["data"]["opportunityChanges"]["opportunity"]["stage"]["name"],
        "Negotiation"
    );
    // Exactly once on each side.
    assert_eq!(
        change(&mut ws_a).await.unwrap()["data"]["opportunityChanges"]["opportunity"]["stage"]
            ["name"],
        "Negotiation"
    );
    assert!(change(&mut ws_a).await.is_none());
    assert!(change(&mut ws_b).await.is_none());
}

#[tokio::test]
async fn each_live_event_reads_current_names() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let admin = app.login("admin@demo.crm").await;
    let st = stages(&app, &manager).await;
    let north = owned_by(&app, &manager, "rep@demo.crm").await;
    let mut ws = connect(&app, &rep).await;
    let sub = json!({"id": "1", "type": "subscribe", "payload": {"query":
        "subscription { opportunityChanges { opportunity { version stage { name } account { id name version } } } }"}});
    ws.send(Message::Text(sub.to_string().into()))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let m = app.ok(&manager, MOVE, json!({"i": {"id": north["id"], "version": north["version"], "stageId": st["Proposal"]}})).await;
    let first = change(&mut ws).await.unwrap();
    let account = first["data"]["opportunityChanges"]["opportunity"]["account"].clone();
    assert_eq!(
        first["data"]["opportunityChanges"]["opportunity"]["stage"]["name"],
        "Proposal"
    );

    // The stage and the account are renamed; the next event on the same connection shows both.
    app.ok(
        &admin,
        "mutation($i: UpdateStageInput!) { updateStage(input: $i) { name } }",
        json!({"i": {"id": st["Negotiation"], "name": "Final negotiation"}}),
    )
    .await;
    app.ok(
        &manager,
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { name } } }",
        json!({"i": {"id": account["id"], "version": account["version"], "name": "Renamed Ltd"}}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let v = m["moveOpportunity"]["opportunity"]["version"].clone();
    app.ok(
        &manager,
        MOVE,
        json!({"i": {"id": north["id"], "version": v, "stageId": st["Negotiation"]}}),
    )
    .await;
    let second = change(&mut ws).await.unwrap();
    let o = &second["data"]["opportunityChanges"]["opportunity"];
    assert_eq!(o["stage"]["name"], "Final negotiation");
    assert_eq!(o["account"]["name"], "Renamed Ltd");
}
