//! Dealers' users: a partner user who works for a dealer organisation sees every purchase order of
//! that dealer (whoever placed it) and no other order, on every read path; may order only for
//! their own organisation; only an administrator links a user to an organisation.

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::billing::{op, op_ok, product};
use crate::opportunities::account_id;

/// A second user of the partner role, signed in.
async fn partner_user(app: &TestApp, email: &str) -> (String, String) {
    let hash = server::domain::users::service::hash_new_password(tests::PASSWORD)
        .await
        .unwrap();
    let u = server::domain::users::service::create_user(
        &app.state.db,
        email,
        "Dana Dealer",
        "partner",
        hash,
    )
    .await
    .unwrap();
    let id = server::kit::ids::to_global_id("User", u.id).to_string();
    (id, app.login(email).await)
}

/// The record a global id names, whatever type it is addressed as (an account is an organisation).
fn uuid_of(id: &Value) -> uuid::Uuid {
    server::kit::ids::parse_global_id(id.as_str().unwrap_or_default())
        .unwrap_or_else(|| panic!("not a global id: {id}"))
        .1
}

const SET_ORG: &str = "mutation($i: SetUserOrganizationInput!) { \
    setUserOrganization(input: $i) { id organizationId } }";

async fn dealer_order(app: &TestApp, token: &str, input: Value) -> Value {
    op(
        app,
        token,
        "createOrder",
        "CreateOrderInput",
        "order",
        "id kind status dealerReference dealer { ... on Organization { name } }",
        input,
    )
    .await
}

#[tokio::test]
async fn a_dealers_users_see_their_organisations_orders_and_no_others() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let gear = product(&app, &admin, "DL-GEAR", "10").await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let globex = account_id(&app, &admin, "Globex").await;
    let stark = account_id(&app, &admin, "Stark Industrial").await;
    let lines = json!([{"productId": gear, "quantity": "2"}]);

    // Acme becomes a dealer with a user of its own.
    let (dana, dana_token) = partner_user(&app, "dana@acme.example").await;
    let d = app
        .ok(
            &admin,
            SET_ORG,
            json!({"i": {"userId": dana, "organizationId": acme}}),
        )
        .await;
    assert_eq!(
        uuid_of(&d["setUserOrganization"]["organizationId"]),
        uuid_of(&json!(acme))
    );
    let changes = app.count_rows("change_log").await;

    // The office enters the dealers' purchase orders.
    for (dealer, reference) in [(&acme, "ACME-1"), (&stark, "STK-2"), (&acme, "ACME-2")] {
        op_ok(
            &app,
            &admin,
            "createOrder",
            "CreateOrderInput",
            "order",
            "id",
            json!({"kind": "DEALER", "customerId": globex, "dealerId": dealer,
                   "dealerReference": reference, "lines": lines}),
        )
        .await;
    }
    assert!(app.count_rows("change_log").await > changes);

    // She sees Acme's two orders, not Stark's (nor the sales orders), on the list with its count,
    // by search, by id and as a node.
    let d = app
        .ok(
            &dana_token,
            "{ orders { totalCount nodes { id dealerReference } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["orders"]["totalCount"], 2);
    let mut refs: Vec<&str> = d["orders"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["dealerReference"].as_str().unwrap())
        .collect();
    refs.sort();
    assert_eq!(refs, ["ACME-1", "ACME-2"]);
    let d = app
        .ok(
            &dana_token,
            "{ orders(filter: {search: \"STK\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["orders"]["totalCount"], 0);

    // Pat (Stark's user in the demo) sees Stark's two orders, not Acme's.
    let pat = app.login("partner@demo.crm").await;
    let d = app
        .ok(
            &pat,
            "{ orders { totalCount nodes { id dealerReference } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["orders"]["totalCount"], 2);
    let stark_order = d["orders"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["dealerReference"] == "STK-2")
        .unwrap()["id"]
        .clone();
    for q in [
        "query($id: ID!) { order(id: $id) { id } }",
        "query($id: ID!) { node(id: $id) { id } }",
    ] {
        let v = app
            .gql(Some(&dana_token), q, json!({"id": stark_order}))
            .await;
        let data = &v["data"];
        assert!(
            data["order"].is_null() && data["node"].is_null(),
            "Stark's order reached Acme's user: {v}"
        );
    }

    // Dana would order for Acme only, and dealer's orders only; a refused order writes nothing.
    let before = app.count_rows("orders").await;
    let v = dealer_order(
        &app,
        &dana_token,
        json!({"kind": "DEALER", "customerId": globex, "dealerId": stark,
               "dealerReference": "X", "lines": lines}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    assert!(v["errors"][0]["extensions"]["fields"]
        .to_string()
        .contains("dealerId"));
    let v = dealer_order(
        &app,
        &dana_token,
        json!({"kind": "SALES", "customerId": globex, "lines": lines}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    assert!(v["errors"][0]["extensions"]["fields"]
        .to_string()
        .contains("kind"));
    assert_eq!(app.count_rows("orders").await, before);

    // Unlinked, she is back to the orders she owns: none.
    app.ok(
        &admin,
        SET_ORG,
        json!({"i": {"userId": dana, "organizationId": null}}),
    )
    .await;
    let d = app
        .ok(&dana_token, "{ orders { totalCount } }", json!({}))
        .await;
    assert_eq!(d["orders"]["totalCount"], 0);
}

#[tokio::test]
async fn only_an_administrator_links_a_user_to_an_organisation() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let pat = app.user_id(&admin, "partner@demo.crm").await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let changes = app.count_rows("change_log").await;
    // A manager may read users but not change them.
    let v = app
        .gql(
            Some(&manager),
            SET_ORG,
            json!({"i": {"userId": pat, "organizationId": acme}}),
        )
        .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    // Bad ids name their field.
    let v = app
        .gql(
            Some(&admin),
            SET_ORG,
            json!({"i": {"userId": "nope", "organizationId": acme}}),
        )
        .await;
    assert!(v["errors"][0]["extensions"]["fields"]
        .to_string()
        .contains("userId"));
    let v = app
        .gql(
            Some(&admin),
            SET_ORG,
            json!({"i": {"userId": pat, "organizationId": pat}}),
        )
        .await;
    assert!(v["errors"][0]["extensions"]["fields"]
        .to_string()
        .contains("organizationId"));
    assert_eq!(app.count_rows("change_log").await, changes);
    // The demo's partner works for Stark Industrial.
    let stark = account_id(&app, &admin, "Stark Industrial").await;
    let d = app
        .ok(
            &admin,
            "query($id: ID!) { node(id: $id) { ... on User { organizationId } } }",
            json!({"id": pat}),
        )
        .await;
    assert_eq!(
        uuid_of(&d["node"]["organizationId"]),
        uuid_of(&json!(stark))
    );
}
