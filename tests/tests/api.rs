//! The API's shared machinery: bad input never gives a 500 and writes nothing, limits hold,
//! the committed schema is current, and statement counts do not grow with page size.

use serde_json::json;
use tests::{codes, workspace_root, TestApp};

async fn written(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count_rows("parties").await,
        app.count_rows("change_log").await,
        app.count_rows("sessions").await,
    )
}

#[tokio::test]
async fn bad_input_is_a_clear_error_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let before = written(&app).await;
    let create =
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } } }";

    // Missing required field.
    let v = app
        .gql(Some(&admin), create, json!({"i": {"code": "X-1"}}))
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("name"));

    // Wrong types.
    let v = app
        .gql(Some(&admin), create, json!({"i": {"name": 42}}))
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    let v = app
        .gql(
            Some(&admin),
            "{ accounts(first: \"ten\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");

    // A 1 MB string.
    let huge = "x".repeat(1024 * 1024);
    let v = app
        .gql(Some(&admin), create, json!({"i": {"name": huge}}))
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v:.300}");
    assert_eq!(v["errors"][0]["extensions"]["fields"][0]["field"], "name");
    let v = app
        .gql(
            Some(&admin),
            "query($s: String) { accounts(filter: {search: $s}) { totalCount } }",
            json!({"s": huge}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);

    // Malformed JSON and invalid UTF-8.
    for body in [
        b"{\"query\": ".to_vec(),
        b"not json at all".to_vec(),
        vec![0xff, 0xfe, 0x7b, 0x7d],
        Vec::new(),
    ] {
        let (status, v) = app.post_raw(Some(&admin), body).await;
        assert_eq!(status, 400, "{v}");
        assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
    }

    // Syntax errors and unknown fields.
    for q in ["{ accounts { ", "{ nope }", "mutation { createAccount }"] {
        let v = app.gql(Some(&admin), q, json!({})).await;
        assert_eq!(codes(&v)[0], "BAD_USER_INPUT", "{q}: {v}");
    }

    // A query nested 50 deep (valid by the schema, via introspection's ofType chain).
    let mut q = String::from("{ __schema { types { fields { type ");
    for _ in 0..46 {
        q.push_str("{ ofType ");
    }
    q.push_str("{ name }");
    for _ in 0..46 {
        q.push_str(" }");
    }
    q.push_str(" } } } }");
    let v = app.gql(Some(&admin), &q, json!({})).await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    assert!(v["data"].is_null());

    // An oversized body is refused before parsing.
    let (status, _) = app
        .post_raw(Some(&admin), vec![b' '; 3 * 1024 * 1024])
        .await;
    assert_eq!(status, 413);

    // GET cannot run mutations.
    let resp = app
        .client
        .get(format!("{}/graphql", app.url))
        .query(&[("query", "mutation { logout }")])
        .header("authorization", format!("Bearer {admin}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);

    assert_eq!(written(&app).await, before, "nothing was written");
    // The session still works: nothing above broke the server.
    let v = app.ok(&admin, "{ me { user { email } } }", json!({})).await;
    assert_eq!(v["me"]["user"]["email"], "admin@demo.crm");
}

/// A browser sends a cross-site form or `text/plain` post without asking the server first: such a
/// body, even valid GraphQL JSON with a token, is refused with 415 and nothing runs.
#[tokio::test]
async fn posts_that_are_not_json_are_refused_before_anything_runs() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let before = written(&app).await;
    let body = json!({
        "query": "mutation { createAccount(input: {name: \"Forged\"}) { account { id } } }"
    })
    .to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut req = app
            .client
            .post(format!("{}/graphql", app.url))
            .bearer_auth(&admin)
            .body(body.clone());
        if let Some(t) = content_type {
            req = req.header("content-type", t);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 415, "{content_type:?}");
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    }
    assert_eq!(
        written(&app).await,
        before,
        "a refused post wrote something"
    );
    // The same body as JSON (any parameters) runs.
    let resp = app
        .client
        .post(format!("{}/graphql", app.url))
        .bearer_auth(&admin)
        .header("content-type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert!(
        v["data"]["createAccount"]["account"]["id"].is_string(),
        "{v}"
    );
}

#[tokio::test]
async fn queries_also_work_over_get_and_health_endpoints_answer() {
    let app = TestApp::new().await;
    let token = app.login("manager@demo.crm").await;
    let resp = app
        .client
        .get(format!("{}/graphql", app.url))
        .query(&[("query", "{ accounts(first: 1) { totalCount } }")])
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["data"]["accounts"]["totalCount"], 24);
    for path in ["/healthz", "/readyz"] {
        let r = app
            .client
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(r.headers().contains_key("x-request-id"));
    }
}

#[tokio::test]
async fn committed_schema_is_current() {
    let committed = std::fs::read_to_string(workspace_root().join("schema.graphql")).unwrap();
    assert!(
        committed == server::schema_sdl(),
        "schema.graphql is stale: run `cargo run -p server --bin crm -- print-schema > schema.graphql`"
    );
}

#[tokio::test]
async fn listing_100_accounts_costs_the_same_statements_as_10() {
    let app = TestApp::new().await;
    // Grow to well over 100 accounts spread over several owners.
    let admin_user = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::access::users::Entity::find()
            .filter(entity::access::users::Column::Email.eq("admin@demo.crm"))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
    };
    let owners: Vec<uuid::Uuid> = {
        use sea_orm::EntityTrait;
        entity::access::users::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.id)
            .collect()
    };
    let ctx = server::auth::RequestCtx {
        actor: Some(std::sync::Arc::new(
            server::auth::sessions::load_actor(&app.state.db, admin_user)
                .await
                .unwrap(),
        )),
        token_state: server::auth::TokenState::Valid,
        token_hash: None,
    };
    let txn = server::db::begin_write(&app.state.db).await.unwrap();
    for i in 0..90 {
        server::domain::accounts::service::create_in(
            &txn,
            &ctx,
            server::domain::accounts::service::AccountChanges {
                name: Some(format!("Bulk {i:03}")),
                owner_id: Some(owners[i % owners.len()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();

    let token = app.login("admin@demo.crm").await;
    let q = "query($n: Int) { accounts(first: $n) { totalCount edges { node { name owner { displayName email } } } } }";
    let mut costs = Vec::new();
    for n in [10, 100] {
        let before = app.statements();
        let d = app.ok(&token, q, json!({"n": n})).await;
        costs.push(app.statements() - before);
        let edges = d["accounts"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), n as usize);
        assert!(edges
            .iter()
            .all(|e| e["node"]["owner"]["displayName"].is_string()));
    }
    assert_eq!(
        costs[0], costs[1],
        "statements for 10 vs 100 accounts: {costs:?}"
    );
    // The session (one statement), the page, its count and its owners.
    assert!(
        costs[0] <= 4,
        "a list request should need a handful of statements: {costs:?}"
    );
}

#[tokio::test]
async fn a_database_schema_newer_than_the_binary_is_refused() {
    let app = TestApp::new().await;
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29990101_000001_future', 0)",
        )
        .await
        .unwrap();
    let err = server::db::migrate(&app.state.db).await.unwrap_err();
    assert!(err.to_string().contains("newer than this binary"), "{err}");
}
