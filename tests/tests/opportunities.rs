//! Opportunities and the pipeline board: stage rules, history, moves under concurrency, totals under
//! row scope and field grants, stage administration, bad input, and statement counts.

use std::collections::HashMap;

use serde_json::{json, Value};
use tests::{codes, TestApp};

pub const CARD: &str = "id name version position probability status lostReason closedAt \
    amount { amount currency } stage { id name } owner { email } account { name }";

/// Stage ids of the default pipeline by name.
pub async fn stages(app: &TestApp, token: &str) -> HashMap<String, String> {
    let d = app
        .ok(
            token,
            "{ pipelines { name isDefault stages(includeRetired: true) { id name } } }",
            json!({}),
        )
        .await;
    let mut out = HashMap::new();
    for p in d["pipelines"].as_array().unwrap() {
        if p["isDefault"] == true {
            for s in p["stages"].as_array().unwrap() {
                out.insert(
                    s["name"].as_str().unwrap().to_string(),
                    s["id"].as_str().unwrap().to_string(),
                );
            }
        }
    }
    out
}

pub async fn board(app: &TestApp, token: &str, first: i32) -> Value {
    let q = format!(
        "query($f: Int) {{ pipelineBoard(first: $f) {{ columns {{ stage {{ id name }} count \
         sum {{ amount currency }} weightedSum {{ amount currency }} \
         cards {{ totalCount pageInfo {{ hasNextPage }} edges {{ node {{ {CARD} }} }} }} }} }} }}"
    );
    app.ok(token, &q, json!({"f": first})).await["pipelineBoard"].clone()
}

pub async fn account_id(app: &TestApp, token: &str, name: &str) -> String {
    let d = app
        .ok(
            token,
            "query($n: String) { accounts(filter: {name: {eq: $n}}) { edges { node { id } } } }",
            json!({"n": name}),
        )
        .await;
    d["accounts"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    let q = format!(
        "mutation($i: CreateOpportunityInput!) {{ createOpportunity(input: $i) {{ opportunity {{ {CARD} }} }} }}"
    );
    app.ok(token, &q, json!({"i": input})).await["createOpportunity"]["opportunity"].clone()
}

pub const MOVE: &str = "mutation($i: MoveOpportunityInput!) { moveOpportunity(input: $i) { opportunity { id name version position probability status lostReason closedAt stage { id name } } } }";

pub async fn move_ok(app: &TestApp, token: &str, input: Value) -> Value {
    app.ok(token, MOVE, json!({"i": input})).await["moveOpportunity"]["opportunity"].clone()
}

fn cents(v: &Value) -> i128 {
    let s = v["amount"].as_str().unwrap();
    let (w, f) = s.split_once('.').unwrap();
    w.parse::<i128>().unwrap() * 100 + f.parse::<i128>().unwrap()
}

#[tokio::test]
async fn moves_close_reopen_and_keep_history() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let st = stages(&app, &rep).await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let o = create(
        &app,
        &rep,
        json!({"name": "Acme – Pilot", "accountId": acme, "amount": {"amount": "1000.00", "currency": "EUR"},
               "closeDate": "2027-01-31"}),
    )
    .await;
    assert_eq!(o["stage"]["name"], "Prospecting");
    assert_eq!(o["probability"], 10, "probability defaults from the stage");
    assert_eq!(o["status"], "OPEN");
    assert_eq!(o["owner"]["email"], "rep@demo.crm");

    let m = move_ok(
        &app,
        &rep,
        json!({"id": o["id"], "version": 1, "stageId": st["Proposal"], "note": "sent the offer"}),
    )
    .await;
    assert_eq!(
        (m["probability"].clone(), m["version"].clone()),
        (json!(60), json!(2))
    );
    let won = move_ok(
        &app,
        &rep,
        json!({"id": o["id"], "version": 2, "stageId": st["Closed won"]}),
    )
    .await;
    assert_eq!(won["status"], "WON");
    assert_eq!(won["probability"], 100);
    assert!(won["closedAt"].is_string());
    let back = move_ok(
        &app,
        &rep,
        json!({"id": o["id"], "version": 3, "stageId": st["Negotiation"]}),
    )
    .await;
    assert_eq!(back["status"], "OPEN");
    assert_eq!(back["probability"], 80);
    assert!(back["closedAt"].is_null(), "reopening clears closedAt");
    let lost = move_ok(
        &app,
        &rep,
        json!({"id": o["id"], "version": 4, "stageId": st["Closed lost"], "lostReason": "Price"}),
    )
    .await;
    assert_eq!(
        (
            lost["status"].clone(),
            lost["lostReason"].clone(),
            lost["probability"].clone()
        ),
        (json!("LOST"), json!("Price"), json!(0))
    );

    // Amount and close date changes are history too; probability is fixed while closed.
    let upd = "mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { version amount { amount } } } }";
    let d = app
        .ok(&rep, upd, json!({"i": {"id": o["id"], "version": 5, "amount": {"amount": "1500", "currency": "EUR"}, "closeDate": "2027-02-28", "note": "upsell"}}))
        .await;
    assert_eq!(
        d["updateOpportunity"]["opportunity"]["amount"]["amount"],
        "1500.00"
    );
    let r = app
        .gql(
            Some(&rep),
            upd,
            json!({"i": {"id": o["id"], "version": 6, "probability": 50}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"]);

    let h = app
        .ok(
            &rep,
            "query($id: ID!) { opportunity(id: $id) { history(first: 50) { edges { node { field from to note actor { email } fromStage { name } toStage { name } } } } } }",
            json!({"id": o["id"]}),
        )
        .await;
    let rows: Vec<(String, Value, Value)> = h["opportunity"]["history"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["field"].as_str().unwrap().to_string(),
                n["from"].clone(),
                n["to"].clone(),
            )
        })
        .collect();
    let stage_moves: Vec<_> = rows.iter().filter(|r| r.0 == "STAGE").collect();
    // Created in Prospecting, then four moves; newest first.
    assert_eq!(stage_moves.len(), 5, "{rows:?}");
    assert_eq!(stage_moves[0].1, "Negotiation");
    assert_eq!(stage_moves[0].2, "Closed lost");
    assert_eq!(stage_moves[4].2, "Prospecting");
    assert!(rows
        .iter()
        .any(|r| r.0 == "AMOUNT" && r.1 == "1000.00 EUR" && r.2 == "1500.00 EUR"));
    assert!(rows
        .iter()
        .any(|r| r.0 == "CLOSE_DATE" && r.1 == "2027-01-31" && r.2 == "2027-02-28"));
    assert!(rows
        .iter()
        .any(|r| r.0 == "PROBABILITY" && r.1 == "10" && r.2 == "60"));
    let first_move = &h["opportunity"]["history"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["toStage"]["name"] == "Proposal")
        .unwrap()["node"];
    assert_eq!(first_move["note"], "sent the offer");
    assert_eq!(first_move["actor"]["email"], "rep@demo.crm");
    assert_eq!(first_move["fromStage"]["name"], "Prospecting");
}

#[tokio::test]
async fn concurrent_moves_give_exactly_one_conflict_and_lose_nothing() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let st = stages(&app, &rep).await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let o = create(&app, &rep, json!({"name": "Race", "accountId": acme})).await;
    let a = app.gql(
        Some(&rep),
        MOVE,
        json!({"i": {"id": o["id"], "version": 1, "stageId": st["Proposal"]}}),
    );
    let b = app.gql(
        Some(&manager),
        MOVE,
        json!({"i": {"id": o["id"], "version": 1, "stageId": st["Negotiation"]}}),
    );
    let (a, b) = tokio::join!(a, b);
    let results = [&a, &b];
    let ok: Vec<_> = results.iter().filter(|r| r["errors"].is_null()).collect();
    let conflicts: Vec<_> = results
        .iter()
        .filter(|r| codes(r) == vec!["CONFLICT"])
        .collect();
    assert_eq!((ok.len(), conflicts.len()), (1, 1), "{a} {b}");
    let winner = &ok[0]["data"]["moveOpportunity"]["opportunity"];
    let ext = &conflicts[0]["errors"][0]["extensions"];
    assert_eq!(ext["currentVersion"], 2);
    assert_eq!(ext["current"]["version"], 2);
    assert_eq!(ext["current"]["stageId"], winner["stage"]["id"]);
    // The stored record is the winner's, and its history has exactly one move.
    let now = app
        .ok(&rep, "query($id: ID!) { opportunity(id: $id) { version stage { id } history { edges { node { field } } } } }", json!({"id": o["id"]}))
        .await;
    assert_eq!(now["opportunity"]["version"], 2);
    assert_eq!(now["opportunity"]["stage"]["id"], winner["stage"]["id"]);
    let stage_rows = now["opportunity"]["history"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["field"] == "STAGE")
        .count();
    assert_eq!(stage_rows, 2, "creation plus the one move that won");
}

#[tokio::test]
async fn cards_keep_the_order_they_are_dropped_in() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let st = stages(&app, &rep).await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let mut ids = Vec::new();
    for n in ["A", "B", "C"] {
        let o = create(&app, &rep, json!({"name": format!("Order {n}"), "accountId": acme, "stageId": st["Needs analysis"]})).await;
        ids.push((o["id"].clone(), o["version"].as_i64().unwrap()));
    }
    let order = |b: Value| -> Vec<String> {
        b["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["stage"]["name"] == "Needs analysis")
            .unwrap()["cards"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap().to_string())
            .filter(|n| n.starts_with("Order "))
            .collect()
    };
    assert_eq!(
        order(board(&app, &rep, 100).await),
        ["Order A", "Order B", "Order C"]
    );
    // C between A and B.
    move_ok(&app, &rep, json!({"id": ids[2].0, "version": 1, "stageId": st["Needs analysis"], "afterId": ids[0].0, "beforeId": ids[1].0})).await;
    assert_eq!(
        order(board(&app, &rep, 100).await),
        ["Order A", "Order C", "Order B"]
    );
    // B to the top (before A only), then A right after C (after only).
    move_ok(&app, &rep, json!({"id": ids[1].0, "version": 1, "stageId": st["Needs analysis"], "beforeId": ids[0].0})).await;
    assert_eq!(order(board(&app, &rep, 100).await)[0], "Order B");
    move_ok(
        &app,
        &rep,
        json!({"id": ids[0].0, "version": 1, "stageId": st["Needs analysis"], "afterId": ids[2].0}),
    )
    .await;
    let o = order(board(&app, &rep, 100).await);
    let pos = |n: &str| o.iter().position(|x| x == n).unwrap();
    assert!(
        pos("Order B") < pos("Order C") && pos("Order C") < pos("Order A"),
        "{o:?}"
    );
    // Forty drops into the same gap keep their order.
    let (left, right) = (ids[1].0.clone(), ids[2].0.clone());
    let mut last = left.clone();
    for i in 0..40 {
        let o = create(&app, &rep, json!({"name": format!("Order gap {i:02}"), "accountId": acme, "stageId": st["Needs analysis"]})).await;
        move_ok(&app, &rep, json!({"id": o["id"], "version": 1, "stageId": st["Needs analysis"], "afterId": last, "beforeId": right})).await;
        last = o["id"].clone();
    }
    let o = order(board(&app, &rep, 100).await);
    let gap: Vec<_> = o
        .iter()
        .filter(|n| n.starts_with("Order gap"))
        .cloned()
        .collect();
    let mut sorted = gap.clone();
    sorted.sort();
    assert_eq!(gap, sorted);
    assert!(pos("Order B") < o.iter().position(|x| x == "Order gap 00").unwrap());
    let _ = left;
}

#[tokio::test]
async fn board_totals_follow_row_scope_and_field_grants() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let marketing = app.login("marketing@demo.crm").await;
    let mine = board(&app, &rep, 100).await;
    let all = board(&app, &manager, 100).await;
    // Each figure must equal what the list of visible opportunities adds up to.
    for (token, b) in [(&rep, &mine), (&manager, &all)] {
        // Every visible opportunity, page by page.
        let mut all_nodes: Vec<Value> = Vec::new();
        let mut after = Value::Null;
        loop {
            let list = app
                .ok(token, "query($a: String) { opportunities(first: 100, after: $a) { pageInfo { hasNextPage endCursor } edges { node { stage { id } probability owner { email } amount { amount currency } pipeline { isDefault } } } } }", json!({"a": after}))
                .await;
            let page = &list["opportunities"];
            all_nodes.extend(
                page["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["node"].clone()),
            );
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        let nodes: Vec<&Value> = all_nodes
            .iter()
            .filter(|n| n["pipeline"]["isDefault"] == true)
            .collect();
        for col in b["columns"].as_array().unwrap() {
            let sid = &col["stage"]["id"];
            let in_stage: Vec<&&Value> =
                nodes.iter().filter(|n| &n["stage"]["id"] == sid).collect();
            assert_eq!(
                col["count"],
                json!(in_stage.len()),
                "count of {}",
                col["stage"]["name"]
            );
            assert_eq!(col["cards"]["totalCount"], json!(in_stage.len()));
            let mut sums: HashMap<String, (i128, i128)> = HashMap::new();
            for n in &in_stage {
                let c = cents(&n["amount"]);
                let e = sums
                    .entry(n["amount"]["currency"].as_str().unwrap().to_string())
                    .or_default();
                e.0 += c;
                e.1 += c * n["probability"].as_i64().unwrap() as i128;
            }
            for m in col["sum"].as_array().unwrap() {
                assert_eq!(cents(m), sums[m["currency"].as_str().unwrap()].0);
            }
            for m in col["weightedSum"].as_array().unwrap() {
                let w = sums[m["currency"].as_str().unwrap()].1;
                assert_eq!(cents(m), (w + 50).div_euclid(100));
            }
            assert_eq!(col["sum"].as_array().unwrap().len(), sums.len());
        }
    }
    // The rep sees only the team's cards, and fewer than the manager.
    let owners: Vec<String> = mine["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            c["cards"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["owner"]["email"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(!owners.is_empty());
    assert!(
        owners
            .iter()
            .all(|o| ["rep@demo.crm", "rep2@demo.crm", "manager@demo.crm"].contains(&o.as_str())),
        "{owners:?}"
    );
    let count = |b: &Value| {
        b["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_i64().unwrap())
            .sum::<i64>()
    };
    assert!(
        count(&mine) < count(&all),
        "{} vs {}",
        count(&mine),
        count(&all)
    );
    // Marketing reads the board but not the money: null sums with FORBIDDEN at their paths.
    let r = app
        .gql(Some(&marketing), "{ pipelineBoard { columns { count sum { amount } cards { edges { node { name amount { amount } } } } } } }", json!({}))
        .await;
    let cols = r["data"]["pipelineBoard"]["columns"].as_array().unwrap();
    assert_eq!(count(&r["data"]["pipelineBoard"]), count(&all));
    assert!(cols.iter().all(|c| c["sum"].is_null()));
    assert!(codes(&r).iter().all(|c| c == "FORBIDDEN") && !codes(&r).is_empty());
    // Nor may it filter by amount.
    let r = app
        .gql(
            Some(&marketing),
            "{ pipelineBoard(filter: {amountMin: \"1\"}) { columns { count } } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    // Filters narrow the totals.
    let users = app
        .ok(
            &manager,
            "{ users(first: 100) { edges { node { id email } } } }",
            json!({}),
        )
        .await;
    let rep_user = users["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["email"] == "rep@demo.crm")
        .unwrap()["node"]["id"]
        .clone();
    let b = app
        .ok(&manager, "query($o: [ID!]) { pipelineBoard(filter: {ownerIds: $o}) { columns { count cards { edges { node { owner { email } } } } } } }", json!({"o": [rep_user]}))
        .await;
    let only: Vec<_> = b["pipelineBoard"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["cards"]["edges"].as_array().unwrap().clone())
        .collect();
    assert!(
        !only.is_empty()
            && only
                .iter()
                .all(|e| e["node"]["owner"]["email"] == "rep@demo.crm")
    );
}

#[tokio::test]
async fn a_rep_cannot_reach_another_teams_opportunity() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let south = app.login("rep3@demo.crm").await;
    let st = stages(&app, &rep).await;
    let theirs = app
        .ok(
            &south,
            "{ opportunities(first: 1) { edges { node { id version } } } }",
            json!({}),
        )
        .await;
    let node = &theirs["opportunities"]["edges"][0]["node"];
    let id = node["id"].clone();
    let seen = app
        .ok(
            &rep,
            "query($id: ID!) { opportunity(id: $id) { id } node(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert!(seen["opportunity"].is_null() && seen["node"].is_null());
    let r = app
        .gql(
            Some(&rep),
            MOVE,
            json!({"i": {"id": id, "version": node["version"], "stageId": st["Proposal"]}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["NOT_FOUND"]);
    // Nor place a card relative to it, nor see it counted.
    let r = app
        .gql(
            Some(&rep),
            "{ opportunities(first: 100) { totalCount edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert!(!r["data"]["opportunities"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["node"]["id"] == id));
}

#[tokio::test]
async fn stages_are_administered_and_retired_not_deleted() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let create_p = "mutation($i: CreatePipelineInput!) { createPipeline(input: $i) { id name stages { id name probability outcome } } }";
    let input = json!({"i": {"name": "Partners", "stages": [
        {"name": "Intro", "probability": 10}, {"name": "Deal", "probability": 50},
        {"name": "Signed", "probability": 100, "outcome": "WON"}, {"name": "Dropped", "probability": 0, "outcome": "LOST"}]}});
    assert_eq!(
        codes(&app.gql(Some(&rep), create_p, input.clone()).await),
        vec!["FORBIDDEN"]
    );
    let bad = app
        .gql(Some(&admin), create_p, json!({"i": {"name": "", "stages": [{"name": "Won", "probability": 90, "outcome": "WON"}]}}))
        .await;
    assert_eq!(codes(&bad), vec!["BAD_USER_INPUT"]);
    let fields: Vec<_> = bad["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["name", "stages.0.probability"]);
    let p = app.ok(&admin, create_p, input).await["createPipeline"].clone();
    let stage = |n: &str| {
        p["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == n)
            .unwrap()["id"]
            .clone()
    };
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let o = create(
        &app,
        &admin,
        json!({"name": "Via partner", "accountId": acme, "pipelineId": p["id"]}),
    )
    .await;
    assert_eq!(o["stage"]["name"], "Intro");
    // Deleting a used stage is refused; retiring works; nothing moves into a retired stage.
    let del = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { deleteStage(id: $id) }",
            json!({"id": stage("Intro")}),
        )
        .await;
    assert_eq!(codes(&del), vec!["BAD_USER_INPUT"]);
    let del = app
        .ok(
            &admin,
            "mutation($id: ID!) { deleteStage(id: $id) }",
            json!({"id": stage("Deal")}),
        )
        .await;
    assert_eq!(del["deleteStage"], true, "an unused stage can go");
    let added = app
        .ok(&admin, "mutation($i: AddStageInput!) { addStage(input: $i) { id position } }", json!({"i": {"pipelineId": p["id"], "stage": {"name": "Proposal", "probability": 60}, "position": 2}}))
        .await;
    assert_eq!(added["addStage"]["position"], 2);
    app.ok(
        &admin,
        "mutation($id: ID!) { retireStage(id: $id) { retired } }",
        json!({"id": stage("Intro")}),
    )
    .await;
    let cols = app
        .ok(&admin, "query($p: ID) { pipelineBoard(pipelineId: $p) { columns { stage { id name retired } count } } }", json!({"p": p["id"]}))
        .await;
    let names: Vec<_> = cols["pipelineBoard"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["stage"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["Intro", "Proposal", "Signed", "Dropped"],
        "the retired stage still shows its card"
    );
    let m = move_ok(
        &app,
        &admin,
        json!({"id": o["id"], "version": 1, "stageId": added["addStage"]["id"]}),
    )
    .await;
    let back = app
        .gql(
            Some(&admin),
            MOVE,
            json!({"i": {"id": o["id"], "version": m["version"], "stageId": stage("Intro")}}),
        )
        .await;
    assert_eq!(codes(&back), vec!["BAD_USER_INPUT"]);
    // Stages can be put in a new order; the order must name each stage once.
    let ids: Vec<Value> = cols["pipelineBoard"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["stage"]["id"].clone())
        .collect();
    let reorder = "mutation($p: ID!, $s: [ID!]!) { reorderStages(pipelineId: $p, stageIds: $s) { stages(includeRetired: true) { name } } }";
    let r = app
        .gql(
            Some(&admin),
            reorder,
            json!({"p": p["id"], "s": [ids[0].clone()]}),
        )
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"]);
    let r = app.ok(&admin, reorder, json!({"p": p["id"], "s": [ids[1].clone(), ids[0].clone(), ids[2].clone(), ids[3].clone()]})).await;
    let names: Vec<_> = r["reorderStages"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Proposal", "Intro", "Signed", "Dropped"]);
    // A stage of another pipeline is refused too.
    let st = stages(&app, &admin).await;
    let other = app
        .gql(
            Some(&admin),
            MOVE,
            json!({"i": {"id": o["id"], "version": m["version"], "stageId": st["Proposal"]}}),
        )
        .await;
    assert_eq!(codes(&other), vec!["BAD_USER_INPUT"]);
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let marketing = app.login("marketing@demo.crm").await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let manager = app.login("manager@demo.crm").await;
    let before = (
        app.count_rows("opportunities").await,
        app.count_rows("opportunity_history").await,
        app.count_rows("change_log").await,
    );
    let q = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id } } }";
    let cases = [
        (json!({"name": "", "accountId": acme}), vec!["name"]),
        (
            json!({"name": "x", "accountId": acme, "probability": 101}),
            vec!["probability"],
        ),
        (
            json!({"name": "x", "accountId": acme, "amount": {"amount": "1.234", "currency": "EUR"}}),
            vec!["amount.amount"],
        ),
        (
            json!({"name": "x", "accountId": acme, "amount": {"amount": "1", "currency": "EURO"}}),
            vec!["amount.currency"],
        ),
        (
            json!({"name": "x", "accountId": acme, "closeDate": "31.12.2026", "nextStepDate": "2026-02-30"}),
            vec!["closeDate", "nextStepDate"],
        ),
        (
            json!({"name": "x", "accountId": "nonsense"}),
            vec!["accountId"],
        ),
        (
            json!({"name": "x", "accountId": acme, "stageId": acme}),
            vec!["stageId"],
        ),
        (
            json!({"name": "x".repeat(201), "accountId": acme}),
            vec!["name"],
        ),
    ];
    for (input, fields) in cases {
        let r = app.gql(Some(&rep), q, json!({"i": input})).await;
        assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{input} → {r}");
        let got: Vec<_> = r["errors"][0]["extensions"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, fields, "{input}");
    }
    // Another team's account is not visible to the rep; marketing may not create at all.
    let initech = account_id(&app, &manager, "Umbrella Health").await;
    let r = app
        .gql(
            Some(&rep),
            q,
            json!({"i": {"name": "x", "accountId": initech}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"]);
    let r = app
        .gql(
            Some(&marketing),
            q,
            json!({"i": {"name": "x", "accountId": acme}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    let after = (
        app.count_rows("opportunities").await,
        app.count_rows("opportunity_history").await,
        app.count_rows("change_log").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_board_costs_the_same_statements_for_few_or_many_cards() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    board(&app, &manager, 1).await; // warm the session cache path alike
    let s0 = app.statements();
    let small = board(&app, &manager, 1).await;
    let s1 = app.statements();
    let big = board(&app, &manager, 100).await;
    let s2 = app.statements();
    let cards = |b: &Value| {
        b["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["cards"]["edges"].as_array().unwrap().len())
            .sum::<usize>()
    };
    assert!(
        cards(&big) > cards(&small) * 2,
        "{} vs {}",
        cards(&big),
        cards(&small)
    );
    assert_eq!(s1 - s0, s2 - s1, "statements for 1 card per column vs 100");
    // The session (one statement), the stage catalog (two), the totals, the cards, their owners
    // and accounts.
    assert!(s2 - s1 <= 7, "{} statements", s2 - s1);
}

#[tokio::test]
async fn a_stage_note_and_a_lost_reason_may_run_over_several_lines() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let d = app
        .ok(
            &manager,
            "{ opportunities(first: 1) { edges { node { id version } } } }",
            json!({}),
        )
        .await;
    let o = &d["opportunities"]["edges"][0]["node"];
    let v = app
        .gql(
            Some(&manager),
            "mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { id version } } }",
            json!({"i": {"id": o["id"], "version": o["version"], "nextStep": "Call", "note": "Budget confirmed.\nLegal next."}}),
        )
        .await;
    assert!(
        v.get("errors").is_none(),
        "a note of two lines is accepted: {v}"
    );
}
