//! Sign-in, sign-out, tokens and lock-out.

use serde_json::{json, Value};
use tests::{codes, TestApp};

const ME: &str = "{ me { user { email displayName } role { key } } }";

#[tokio::test]
async fn login_me_logout() {
    let app = TestApp::new().await;
    let token = app.login("rep@demo.crm").await;
    let me = app.ok(&token, ME, json!({})).await;
    assert_eq!(me["me"]["user"]["email"], "rep@demo.crm");
    assert_eq!(me["me"]["role"]["key"], "sales_rep");

    // The token is stored only hashed.
    let sessions = app.count_rows("sessions").await;
    assert_eq!(sessions, 1);

    let out = app.ok(&token, "mutation { logout }", json!({})).await;
    assert_eq!(out["logout"], true);
    let after = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(codes(&after), vec!["UNAUTHENTICATED"]);
    assert!(after["data"].is_null());
}

#[tokio::test]
async fn wrong_password_unknown_user_and_no_token() {
    let app = TestApp::new().await;
    for (email, pw) in [
        ("rep@demo.crm", "wrong-password"),
        ("nobody@demo.crm", "whatever1"),
    ] {
        let v = app
            .gql(
                None,
                "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }",
                json!({"e": email, "p": pw}),
            )
            .await;
        assert_eq!(codes(&v), vec!["UNAUTHENTICATED"], "{v}");
        assert_eq!(v["errors"][0]["message"], "invalid e-mail or password");
    }
    let v = app.gql(None, ME, json!({})).await;
    assert_eq!(codes(&v), vec!["UNAUTHENTICATED"]);
    assert_eq!(app.count_rows("sessions").await, 0);
}

#[tokio::test]
async fn bad_and_expired_tokens_are_unauthenticated() {
    let app = TestApp::new().await;
    let token = app.login("rep@demo.crm").await;
    for bad in [
        "nonsense",
        "crm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        &"x".repeat(5000),
    ] {
        let v = app.gql(Some(bad), ME, json!({})).await;
        assert_eq!(codes(&v), vec!["UNAUTHENTICATED"], "{v}");
        assert!(v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("invalid or has expired"));
    }
    // A malformed Authorization header is refused the same way.
    let resp = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("authorization", "Basic abc")
        .header("content-type", "application/json")
        .body(r#"{"query":"{ me { user { email } } }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(codes(&v), vec!["UNAUTHENTICATED"]);

    // Expire the session in the database: the token stops working.
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.state.db;
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => "UPDATE sessions SET expires_at = $1",
            _ => "UPDATE sessions SET expires_at = ?",
        },
        [past.into()],
    ))
    .await
    .unwrap();
    let v = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(codes(&v), vec!["UNAUTHENTICATED"]);
}

/// A sign-in from the loopback address `127.0.0.<from>` (every 127/8 address reaches the server).
async fn sign_in_from(app: &TestApp, from: u8, email: &str, password: &str) -> Value {
    let client = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, from]))
        .build()
        .unwrap();
    client
        .post(format!("{}/graphql", app.url))
        .json(&json!({
            "query": "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }",
            "variables": {"e": email, "p": password},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn retry_after(v: &Value) -> i64 {
    v["errors"][0]["extensions"]["retryAfterSeconds"]
        .as_i64()
        .unwrap_or(0)
}

#[tokio::test]
async fn failures_slow_down_their_source_but_never_lock_out_the_owner() {
    let app = TestApp::new().await;
    // Five wrong passwords for a known and for an unknown e-mail from one address: the same
    // answers, word for word.
    for _ in 0..5 {
        let known = sign_in_from(&app, 1, "rep2@demo.crm", "wrong-one").await;
        let unknown = sign_in_from(&app, 1, "nobody@demo.crm", "wrong-one").await;
        assert_eq!(codes(&known), vec!["UNAUTHENTICATED"]);
        assert_eq!(
            known["errors"][0]["message"],
            unknown["errors"][0]["message"]
        );
        assert_eq!(codes(&unknown), codes(&known));
    }
    // That address now waits, for either e-mail, even with the right password.
    let known = sign_in_from(&app, 1, "rep2@demo.crm", tests::PASSWORD).await;
    let unknown = sign_in_from(&app, 1, "nobody@demo.crm", "wrong-one").await;
    assert_eq!(codes(&known), vec!["RATE_LIMITED"], "{known}");
    assert_eq!(codes(&unknown), vec!["RATE_LIMITED"], "{unknown}");
    assert!(retry_after(&known) > 0 && retry_after(&unknown) > 0);
    // The owner, signing in from elsewhere during the attack, gets in.
    let owner = sign_in_from(&app, 2, "rep2@demo.crm", tests::PASSWORD).await;
    assert!(owner["data"]["login"]["token"].is_string(), "{owner}");
    // Other users are not affected, from anywhere.
    app.login("rep@demo.crm").await;

    // Failed and throttled sign-ins are in the audit log (an unknown e-mail under no user).
    let admin = app.login("admin@demo.crm").await;
    for (action, at_least) in [("login_failed", 10), ("login_throttled", 2)] {
        let d = app
            .ok(
                &admin,
                "query($a: String) { auditLog(filter: {action: $a}, first: 50) { edges { node { action } } } }",
                json!({"a": action}),
            )
            .await;
        let n = d["auditLog"]["edges"].as_array().unwrap().len();
        assert!(n >= at_least, "{action}: {n}");
    }
}

#[tokio::test]
async fn failures_for_one_account_from_many_addresses_lock_it_for_everyone() {
    let app = TestApp::new().await;
    let stuffing = server::auth::throttle::STUFFING_ADDRESSES as u8;
    for from in 10..10 + stuffing {
        let v = sign_in_from(&app, from, "rep3@demo.crm", "leaked-elsewhere").await;
        assert_eq!(codes(&v), vec!["UNAUTHENTICATED"], "{v}");
    }
    // Locked now, from any address, with the right password too (and the same for an e-mail
    // without an account attacked the same way).
    let v = sign_in_from(&app, 99, "rep3@demo.crm", tests::PASSWORD).await;
    assert_eq!(codes(&v), vec!["RATE_LIMITED"], "{v}");
    assert!(retry_after(&v) > 60, "{v}");
    for from in 10..10 + stuffing {
        sign_in_from(&app, from, "ghost@demo.crm", "leaked-elsewhere").await;
    }
    let v = sign_in_from(&app, 99, "ghost@demo.crm", "anything").await;
    assert_eq!(codes(&v), vec!["RATE_LIMITED"], "{v}");
    // The lock is on the account (every server honours it) and in the audit log.
    let admin = app.login("admin@demo.crm").await;
    let d = app
        .ok(
            &admin,
            "{ auditLog(filter: {action: \"login_failed\"}, first: 50) { edges { node { changes { field after } } } } }",
            json!({}),
        )
        .await;
    let locked = d["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["node"]["changes"].as_array().cloned().unwrap_or_default())
        .any(|c| c["field"] == "locked" && c["after"] == "true");
    assert!(locked, "{d}");
}

#[tokio::test]
async fn login_validates_its_input() {
    let app = TestApp::new().await;
    let v = app
        .gql(
            None,
            "mutation { login(input: {email: \"\", password: \"\"}) { token } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
    let fields: Vec<&str> = v["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["email", "password"]);
}

/// Records that `email`'s account was locked against credential stuffing a while ago (the lock
/// is over), as the throttle does.
pub(crate) async fn mark_locked_earlier(app: &TestApp, email: &str) {
    use entity::access::users;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut am: users::ActiveModel = user.into();
    am.locked_until = Set(Some(chrono::Utc::now() - chrono::Duration::minutes(1)));
    am.update(&app.state.db).await.unwrap();
}

#[tokio::test]
async fn the_owner_is_told_of_a_lock_on_their_next_sign_in_once() {
    let app = TestApp::new().await;
    let sign_in = || {
        app.gql(
            None,
            "mutation($p: String!) { login(input: {email: \"rep2@demo.crm\", password: $p}) { token notice } }",
            json!({"p": tests::PASSWORD}),
        )
    };
    let v = sign_in().await;
    assert!(
        v["data"]["login"]["notice"].is_null(),
        "nothing to tell: {v}"
    );
    mark_locked_earlier(&app, "rep2@demo.crm").await;
    let v = sign_in().await;
    let notice = v["data"]["login"]["notice"].as_str().unwrap_or_default();
    assert!(
        notice.contains("failed from many addresses") && notice.contains("change your password"),
        "{v}"
    );
    let v = sign_in().await;
    assert!(v["data"]["login"]["notice"].is_null(), "told once: {v}");
}
