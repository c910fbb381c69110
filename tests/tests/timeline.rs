//! The record timeline (changes and activities merged, permission-filtered, paged at a fixed cost)
//! and the audit trail (admins only, complete, exportable).

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::opportunities::{account_id, create, stages, MOVE};

const CREATE_ACT: &str =
    "mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id } } }";
const TL: &str = "query($r: ID!, $f: Int, $a: String, $k: [TimelineKind!]) { recordTimeline(recordId: $r, first: $f, after: $a, kinds: $k) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { __typename ... on TimelineEntry { at action actor { email } changes { field before after } }
                          ... on Activity { id subject startsAt createdAt privateNote owner { email } } } } } }";

fn at(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

/// Every entry of a timeline, page by page.
async fn all(app: &TestApp, token: &str, record: &Value, per_page: i32) -> (Vec<Value>, i64) {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    let mut total;
    loop {
        let d = app
            .ok(token, TL, json!({"r": record, "f": per_page, "a": after}))
            .await;
        let t = &d["recordTimeline"];
        total = t["totalCount"].as_i64().unwrap();
        out.extend(
            t["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"].clone()),
        );
        if t["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = t["pageInfo"]["endCursor"].as_str().map(str::to_string);
    }
    (out, total)
}

fn time_of(n: &Value) -> String {
    if n["__typename"] == "Activity" {
        n["startsAt"]
            .as_str()
            .or(n["createdAt"].as_str())
            .unwrap()
            .to_string()
    } else {
        n["at"].as_str().unwrap().to_string()
    }
}

#[tokio::test]
async fn the_timeline_merges_changes_and_activities_newest_first() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let st = stages(&app, &rep).await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let o = create(&app, &rep, json!({"name": "Timeline deal", "accountId": acme, "amount": {"amount": "100", "currency": "EUR"}})).await;
    app.ok(&rep, CREATE_ACT, json!({"i": {"kind": "CALL", "subject": "Old call", "startsAt": at(-3), "status": "DONE", "links": [o["id"]]}})).await;
    app.ok(
        &rep,
        CREATE_ACT,
        json!({"i": {"kind": "NOTE", "subject": "A note", "links": [o["id"]]}}),
    )
    .await;
    app.ok(
        &rep,
        MOVE,
        json!({"i": {"id": o["id"], "version": 1, "stageId": st["Proposal"]}}),
    )
    .await;
    app.ok(&rep, CREATE_ACT, json!({"i": {"kind": "MEETING", "subject": "Next meeting", "startsAt": at(2), "links": [o["id"]]}})).await;

    let (items, total) = all(&app, &rep, &o["id"], 2).await;
    assert_eq!(items.len(), 5, "{items:#?}");
    assert_eq!(total, 5);
    let times: Vec<String> = items.iter().map(time_of).collect();
    let parsed: Vec<chrono::DateTime<chrono::Utc>> =
        times.iter().map(|t| t.parse().unwrap()).collect();
    assert!(parsed.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert_eq!(items[0]["subject"], "Next meeting");
    assert_eq!(items[4]["subject"], "Old call");
    let kinds: Vec<&str> = items
        .iter()
        .map(|n| n["__typename"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "TimelineEntry").count(), 2);
    // The move reads as stage names.
    let mv = items.iter().find(|n| n["action"] == "move").unwrap();
    let stage = mv["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "stage")
        .unwrap();
    assert_eq!(
        (stage["before"].clone(), stage["after"].clone()),
        (json!("Prospecting"), json!("Proposal"))
    );
    // Same entries one by one, and a kind filter.
    let (one_by_one, _) = all(&app, &rep, &o["id"], 1).await;
    assert_eq!(one_by_one, items);
    let d = app
        .ok(&rep, TL, json!({"r": o["id"], "k": ["ACTIVITY"]}))
        .await;
    assert_eq!(d["recordTimeline"]["totalCount"], 3);
    // A party has its own timeline with activities linked to it.
    let fresh = app
        .ok(
            &rep,
            "mutation { createAccount(input: {name: \"Fresh Ltd\"}) { account { id } } }",
            json!({}),
        )
        .await["createAccount"]["account"]["id"]
        .clone();
    app.ok(
        &rep,
        CREATE_ACT,
        json!({"i": {"kind": "NOTE", "subject": "Account note", "links": [fresh]}}),
    )
    .await;
    let d = app.ok(&rep, TL, json!({"r": fresh, "f": 1})).await;
    assert_eq!(
        d["recordTimeline"]["edges"][0]["node"]["subject"],
        "Account note"
    );
}

#[tokio::test]
async fn the_timeline_shows_only_what_the_reader_may_see() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let south = app.login("rep3@demo.crm").await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let marketing = app.login("marketing@demo.crm").await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let o = create(&app, &rep, json!({"name": "Guarded", "accountId": acme, "amount": {"amount": "100", "currency": "EUR"}})).await;
    app.ok(&rep, "mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { id } } }", json!({"i": {"id": o["id"], "version": 1, "amount": {"amount": "250", "currency": "EUR"}}})).await;
    app.ok(&rep, CREATE_ACT, json!({"i": {"kind": "NOTE", "subject": "Rep note", "privateNote": "secret", "links": [o["id"]]}})).await;
    app.ok(
        &admin,
        CREATE_ACT,
        json!({"i": {"kind": "NOTE", "subject": "Admin note", "links": [o["id"]]}}),
    )
    .await;

    let subjects = |items: &Vec<Value>| -> Vec<String> {
        items
            .iter()
            .filter_map(|n| n["subject"].as_str().map(str::to_string))
            .collect()
    };
    let (for_rep, _) = all(&app, &rep, &o["id"], 10).await;
    assert_eq!(
        subjects(&for_rep),
        ["Rep note"],
        "the admin's note is outside the rep's scope"
    );
    let (for_manager, _) = all(&app, &manager, &o["id"], 10).await;
    assert_eq!(subjects(&for_manager).len(), 2);
    // Another team cannot read the timeline at all.
    let r = app.gql(Some(&south), TL, json!({"r": o["id"]})).await;
    assert_eq!(codes(&r), vec!["NOT_FOUND"]);
    // Marketing: no amounts in changes, no private notes.
    let r = app
        .gql(Some(&marketing), TL, json!({"r": o["id"], "f": 20}))
        .await;
    let edges = r["data"]["recordTimeline"]["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    for e in edges {
        if let Some(ch) = e["node"]["changes"].as_array() {
            assert!(ch.iter().all(|c| c["field"] != "amount"), "{e}");
        }
    }
    assert!(edges
        .iter()
        .filter(|e| e["node"]["__typename"] == "Activity")
        .all(|e| e["node"]["privateNote"].is_null()));
    assert!(codes(&r).iter().all(|c| c == "FORBIDDEN"));
    let (for_rep, _) = all(&app, &rep, &o["id"], 10).await;
    assert!(
        for_rep.iter().any(|n| n["changes"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["field"] == "amount"
                && c["after"] == json!("{\"amount\":\"250.00\",\"currency\":\"EUR\"}")))),
        "{for_rep:#?}"
    );
}

#[tokio::test]
async fn a_timeline_page_costs_the_same_statements_for_few_or_many_entries() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    for i in 0..12 {
        app.ok(
            &rep,
            CREATE_ACT,
            json!({"i": {"kind": "NOTE", "subject": format!("n{i}"), "links": [acme]}}),
        )
        .await;
    }
    let q = TL;
    app.ok(&rep, q, json!({"r": acme, "f": 1})).await;
    let s0 = app.statements();
    let small = app.ok(&rep, q, json!({"r": acme, "f": 1})).await;
    let s1 = app.statements();
    let big = app.ok(&rep, q, json!({"r": acme, "f": 20})).await;
    let s2 = app.statements();
    assert_eq!(
        small["recordTimeline"]["edges"].as_array().unwrap().len(),
        1
    );
    assert!(big["recordTimeline"]["edges"].as_array().unwrap().len() >= 13);
    assert_eq!(s1 - s0, s2 - s1);
}

const AUDIT: &str = "query($f: AuditFilter, $n: Int) { auditLog(filter: $f, first: $n) { edges { node { at action objectType objectId actor { email } changes { field before after } } } } }";

#[tokio::test]
async fn the_audit_trail_is_complete_admin_only_and_exportable() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let st = stages(&app, &rep).await;
    // A run of mutations across the domains so far.
    let acc = app
        .ok(
            &rep,
            "mutation { createAccount(input: {name: \"Audit, Inc.\"}) { account { id version } } }",
            json!({}),
        )
        .await["createAccount"]["account"]
        .clone();
    app.ok(
        &rep,
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
        json!({"i": {"id": acc["id"], "version": acc["version"], "area": "North"}}),
    )
    .await;
    let o = create(
        &app,
        &rep,
        json!({"name": "Audited deal", "accountId": acc["id"]}),
    )
    .await;
    app.ok(
        &rep,
        MOVE,
        json!({"i": {"id": o["id"], "version": 1, "stageId": st["Proposal"]}}),
    )
    .await;
    let a = app
        .ok(
            &rep,
            CREATE_ACT,
            json!({"i": {"kind": "TASK", "subject": "Chase", "links": [o["id"]]}}),
        )
        .await["createActivity"]["activity"]["id"]
        .clone();
    app.ok(
        &rep,
        "mutation($i: CompleteActivityInput!) { completeActivity(input: $i) { activity { id } } }",
        json!({"i": {"id": a, "version": 1, "nextStep": {"nextStep": "Sign"}}}),
    )
    .await;
    app.ok(&admin, "mutation { createPipeline(input: {name: \"Audit pipe\", stages: [{name: \"Only\", probability: 10}]}) { id } }", json!({})).await;

    let d = app.ok(&admin, AUDIT, json!({"n": 100})).await;
    let seen: Vec<(String, String, String)> = d["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["objectType"].as_str().unwrap().to_string(),
                e["node"]["action"].as_str().unwrap().to_string(),
                e["node"]["actor"]["email"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    for (ty, action, who) in [
        ("user", "login", "rep@demo.crm"),
        ("account", "create", "rep@demo.crm"),
        ("account", "update", "rep@demo.crm"),
        ("opportunity", "create", "rep@demo.crm"),
        ("opportunity", "move", "rep@demo.crm"),
        ("opportunity", "update", "rep@demo.crm"),
        ("activity", "create", "rep@demo.crm"),
        ("activity", "update", "rep@demo.crm"),
        ("pipeline", "create", "admin@demo.crm"),
    ] {
        assert!(
            seen.contains(&(ty.to_string(), action.to_string(), who.to_string())),
            "{ty} {action} by {who} missing: {seen:?}"
        );
    }
    // Filters: by action, by record.
    let d = app
        .ok(&admin, AUDIT, json!({"f": {"action": "login"}}))
        .await;
    assert!(d["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["node"]["action"] == "login"));
    let d = app
        .ok(&admin, AUDIT, json!({"f": {"objectId": o["id"]}}))
        .await;
    let actions: Vec<&str> = d["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "move", "create"]);
    // Only admins.
    let r = app.gql(Some(&rep), AUDIT, json!({})).await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    let r = app.gql(Some(&rep), "{ exportAuditLog }", json!({})).await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    // CSV: a header, one line per entry, commas quoted.
    let csv = app
        .ok(
            &admin,
            "query($f: AuditFilter) { exportAuditLog(filter: $f) }",
            json!({"f": {"objectType": "account", "action": "create"}}),
        )
        .await["exportAuditLog"]
        .as_str()
        .unwrap()
        .to_string();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,at,actor,object_type,object_id,action,changes");
    assert!(lines.len() > 2);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Audit, Inc.") && l.contains("\"{")),
        "{csv}"
    );
}
