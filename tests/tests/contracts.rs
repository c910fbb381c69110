//! Contracts through the API: drafts, the review by a second user (four eyes), rejection with
//! notes and resubmission, every transition in the change log, the renewal reminder as a durable
//! job, bad input that writes nothing, and the role matrix.

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::opportunities::account_id;

const CONTRACT: &str =
    "id number status version title renewal noticeDays noticeDate startDate endDate \
    value { amount currency } reviewNotes reviewer { email } submittedBy { email } \
    can { edit submit review }";

async fn op(app: &TestApp, token: &str, name: &str, ty: &str, input: Value) -> Value {
    let q = format!("mutation($i: {ty}!) {{ {name}(input: $i) {{ contract {{ {CONTRACT} }} }} }}");
    app.gql(Some(token), &q, json!({"i": input})).await
}

async fn ok(app: &TestApp, token: &str, name: &str, ty: &str, input: Value) -> Value {
    let v = op(app, token, name, ty, input).await;
    assert!(v.get("errors").is_none(), "{name}: {v}");
    v["data"][name]["contract"].clone()
}

fn version(c: &Value) -> Value {
    json!({"id": c["id"], "version": c["version"]})
}

#[tokio::test]
async fn a_contract_is_reviewed_by_a_second_user_and_reminds_its_owner_before_the_notice_date() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let admin = app.login("admin@demo.crm").await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let today = chrono::Utc::now().date_naive();
    let start = today.to_string();
    let end = (today + chrono::Duration::days(120)).to_string();

    // Bad input names each field and writes nothing.
    let before = app.count_rows("contracts").await;
    let v = op(
        &app,
        &rep,
        "createContract",
        "CreateContractInput",
        json!({
        "customerId": acme, "title": "", "startDate": end, "endDate": start,
        "value": "-5", "noticeDays": 1000}),
    )
    .await;
    let fields = v["errors"][0]["extensions"]["fields"].to_string();
    for f in ["\"title\"", "\"endDate\"", "\"value\"", "\"noticeDays\""] {
        assert!(fields.contains(f), "{f} missing in {fields}");
    }
    assert_eq!(app.count_rows("contracts").await, before);

    let c = ok(
        &app,
        &rep,
        "createContract",
        "CreateContractInput",
        json!({
        "customerId": acme, "title": "Support 2027", "startDate": start, "endDate": end,
        "value": "12000", "renewal": "AUTOMATIC", "noticeDays": 60,
        "terms": "Twelve months of support.\nRenews for a year unless cancelled."}),
    )
    .await;
    assert_eq!(c["status"], "DRAFT");
    assert!(c["number"].as_str().unwrap().starts_with("CT-"));
    assert_eq!(c["value"]["amount"], "12000.00");
    assert_eq!(
        c["noticeDate"],
        (today + chrono::Duration::days(60)).to_string()
    );
    assert_eq!(
        c["can"],
        json!({"edit": true, "submit": true, "review": false})
    );

    // The rep sends it; a rep may not review at all.
    let c = ok(
        &app,
        &rep,
        "submitContract",
        "ContractVersionInput",
        version(&c),
    )
    .await;
    assert_eq!(c["status"], "IN_REVIEW");
    assert_eq!(c["submittedBy"]["email"], "rep@demo.crm");
    let v = op(
        &app,
        &rep,
        "reviewContract",
        "ReviewContractInput",
        json!({"id": c["id"], "version": c["version"], "approve": true}),
    )
    .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    // In review it no longer changes.
    let v = op(
        &app,
        &rep,
        "updateContract",
        "UpdateContractInput",
        json!({"id": c["id"], "version": c["version"], "title": "Changed"}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);

    // The manager's queue holds it; rejecting needs notes.
    let queue = "{ contracts(filter: {toReview: true}) { totalCount edges { node { number } } } }";
    let d = app.ok(&manager, queue, json!({})).await;
    let queued = d["contracts"]["edges"].as_array().unwrap();
    assert!(
        queued.iter().any(|e| e["node"]["number"] == c["number"]),
        "{d}"
    );
    let v = op(
        &app,
        &manager,
        "reviewContract",
        "ReviewContractInput",
        json!({"id": c["id"], "version": c["version"], "approve": false}),
    )
    .await;
    assert!(
        v["errors"][0]["extensions"]["fields"]
            .to_string()
            .contains("notes"),
        "{v}"
    );
    let c = ok(
        &app,
        &manager,
        "reviewContract",
        "ReviewContractInput",
        json!({
        "id": c["id"], "version": c["version"], "approve": false,
        "notes": "Notice period must be 90 days"}),
    )
    .await;
    assert_eq!(c["status"], "REJECTED");
    assert_eq!(c["reviewer"]["email"], "manager@demo.crm");
    assert_eq!(c["reviewNotes"], "Notice period must be 90 days");

    // The rep changes it and sends it again; the manager approves.
    let c = ok(
        &app,
        &rep,
        "updateContract",
        "UpdateContractInput",
        json!({"id": c["id"], "version": c["version"], "noticeDays": 90}),
    )
    .await;
    let c = ok(
        &app,
        &rep,
        "submitContract",
        "ContractVersionInput",
        version(&c),
    )
    .await;
    let jobs_before = server::jobs::pending(&app.state.db).await.unwrap().len();
    let c = ok(
        &app,
        &manager,
        "reviewContract",
        "ReviewContractInput",
        json!({"id": c["id"], "version": c["version"], "approve": true}),
    )
    .await;
    assert_eq!(c["status"], "APPROVED");
    assert_eq!(c["can"]["edit"], false);
    // The renewal reminder was enqueued with the approval.
    assert_eq!(
        server::jobs::pending(&app.state.db).await.unwrap().len(),
        jobs_before + 1
    );

    // Every transition is in the change log.
    let audit = "query($id: ID!) { auditLog(first: 50, filter: {objectId: $id}) { edges { node { action } } } }";
    let d = app.ok(&admin, audit, json!({"id": c["id"]})).await;
    let actions: Vec<&str> = d["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    for a in ["create", "submit", "reject", "update", "approve"] {
        assert!(actions.contains(&a), "{a} missing in {actions:?}");
    }

    // The reminder comes 14 days before the notice date (120 − 90 − 14 = day 16), to the owner.
    let number = c["number"].as_str().unwrap().to_string();
    let reminders = |d: &Value| {
        d["myTasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["subject"].as_str().unwrap_or("").contains(&number))
            .count()
    };
    let now = chrono::Utc::now();
    server::jobs::run_due(&app.state, now + chrono::Duration::days(10))
        .await
        .unwrap();
    assert_eq!(
        reminders(&app.ok(&rep, "{ myTasks { subject } }", json!({})).await),
        0
    );
    server::jobs::run_due(&app.state, now + chrono::Duration::days(17))
        .await
        .unwrap();
    assert_eq!(
        reminders(&app.ok(&rep, "{ myTasks { subject } }", json!({})).await),
        1
    );

    // Row scope: the other team's rep sees nothing of it; read-only sees it and cannot change it.
    let rep3 = app.login("rep3@demo.crm").await;
    let one = "query($id: ID!) { contract(id: $id) { number } node(id: $id) { id } }";
    let d = app.ok(&rep3, one, json!({"id": c["id"]})).await;
    assert!(d["contract"].is_null() && d["node"].is_null());
    let ro = app.login("readonly@demo.crm").await;
    let d = app.ok(&ro, one, json!({"id": c["id"]})).await;
    assert_eq!(d["contract"]["number"], json!(number));
    let v = app
        .gql(
            Some(&app.login("marketing@demo.crm").await),
            "{ contracts { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
}

#[tokio::test]
async fn nobody_approves_a_contract_they_wrote_or_sent() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let admin = app.login("admin@demo.crm").await;
    let globex = account_id(&app, &manager, "Globex").await;
    let today = chrono::Utc::now().date_naive();
    let c = ok(
        &app,
        &manager,
        "createContract",
        "CreateContractInput",
        json!({
        "customerId": globex, "title": "Energy audit", "startDate": today.to_string(),
        "endDate": (today + chrono::Duration::days(30)).to_string(), "value": "900"}),
    )
    .await;
    let c = ok(
        &app,
        &manager,
        "submitContract",
        "ContractVersionInput",
        version(&c),
    )
    .await;
    // The manager may review, but not their own.
    assert_eq!(c["can"]["review"], false);
    let v = op(
        &app,
        &manager,
        "reviewContract",
        "ReviewContractInput",
        json!({"id": c["id"], "version": c["version"], "approve": true}),
    )
    .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("four eyes"),
        "{v}"
    );
    let d = app
        .ok(
            &manager,
            "{ contracts(filter: {toReview: true}) { edges { node { number } } } }",
            json!({}),
        )
        .await;
    let queued = d["contracts"]["edges"].as_array().unwrap();
    assert!(
        queued.iter().all(|e| e["node"]["number"] != c["number"]),
        "{d}"
    );
    // A second user approves; a contract that does not renew enqueues nothing.
    let jobs_before = server::jobs::pending(&app.state.db).await.unwrap().len();
    let c = ok(
        &app,
        &admin,
        "reviewContract",
        "ReviewContractInput",
        json!({"id": c["id"], "version": c["version"], "approve": true}),
    )
    .await;
    assert_eq!(c["status"], "APPROVED");
    assert_eq!(c["reviewer"]["email"], "admin@demo.crm");
    assert_eq!(
        server::jobs::pending(&app.state.db).await.unwrap().len(),
        jobs_before
    );
}
