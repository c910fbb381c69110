//! Sign-in, sign-out, tokens and lock-out.

use serde_json::json;
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

#[tokio::test]
async fn repeated_failures_lock_the_account() {
    let app = TestApp::new().await;
    let attempt = |pw: &'static str| {
        let app = &app;
        async move {
            app.gql(
                None,
                "mutation($p: String!) { login(input: {email: \"rep2@demo.crm\", password: $p}) { token } }",
                json!({"p": pw}),
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(codes(&attempt("wrong-one").await), vec!["UNAUTHENTICATED"]);
    }
    // Locked now: even the right password is refused, with a retry time.
    let v = attempt(tests::PASSWORD).await;
    assert_eq!(codes(&v), vec!["RATE_LIMITED"], "{v}");
    assert!(
        v["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_i64()
            .unwrap()
            > 0
    );
    // Other users are not affected.
    app.login("rep@demo.crm").await;
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
