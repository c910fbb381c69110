//! Authentication at one statement per request, revocation on the next request, and the permission
//! matrix as committed in `docs/PERMISSIONS.md`.

use sea_orm::ConnectionTrait;
use serde_json::json;
use tests::{codes, workspace_root, TestApp};

const ACCOUNT_COUNT: &str = "{ accounts(first: 1) { totalCount } }";

async fn exec(app: &TestApp, sql: &str) {
    app.state.db.execute_unprepared(sql).await.unwrap();
}

async fn account_count(app: &TestApp, token: &str) -> i64 {
    app.ok(token, ACCOUNT_COUNT, json!({})).await["accounts"]["totalCount"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_permission_matrix_matches_docs_permissions_md() {
    let app = TestApp::new().await;
    let rendered = server::policy::matrix::render(&app.state.db).await.unwrap();
    let path = workspace_root().join("docs/PERMISSIONS.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if rendered != committed {
        let diff: Vec<String> = rendered
            .lines()
            .zip(committed.lines().chain(std::iter::repeat("")))
            .filter(|(a, b)| a != b)
            .take(10)
            .map(|(a, b)| format!("  migrated:  {a}\n  committed: {b}"))
            .collect();
        panic!(
            "docs/PERMISSIONS.md differs from the migrated grants; review the change and run \
             `crm print-permissions > docs/PERMISSIONS.md`\n{}",
            diff.join("\n")
        );
    }
    // The matrix names every builtin role and the sensitive fields.
    for needle in [
        "| sales_rep |",
        "### opportunity",
        "| opportunity.amount |",
        "| account.annualRevenue | read, write | read, write |",
    ] {
        assert!(
            rendered.contains(needle),
            "{needle} missing from the matrix"
        );
    }
}

#[tokio::test]
async fn a_warm_request_spends_one_statement_on_authentication() {
    let app = TestApp::new().await;
    // Signing in leaves the user's grants and team reach cached, so even the first request is warm.
    let token = app.login("rep@demo.crm").await;
    for _ in 0..3 {
        let before = app.statements();
        app.ok(&token, "{ __typename }", json!({})).await;
        assert_eq!(app.statements() - before, 1, "statements of a warm request");
    }
    // An anonymous request spends none.
    let before = app.statements();
    app.gql(None, "{ __typename }", json!({})).await;
    assert_eq!(app.statements() - before, 0);
}

#[tokio::test]
async fn a_changed_grant_takes_effect_on_the_next_request() {
    let app = TestApp::new().await;
    let token = app.login("rep@demo.crm").await;
    assert!(account_count(&app, &token).await > 0);
    // Another process (or an admin's tool) removes the reps' read grant on accounts.
    exec(
        &app,
        "DELETE FROM role_grants WHERE object = 'account' AND action = 'read' \
         AND role_id = (SELECT id FROM roles WHERE key = 'sales_rep')",
    )
    .await;
    let v = app.gql(Some(&token), ACCOUNT_COUNT, json!({})).await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    // Given back with the widest scope: the next request reaches every account.
    exec(
        &app,
        "INSERT INTO role_grants (role_id, object, action, scope) \
         SELECT id, 'account', 'read', 'all' FROM roles WHERE key = 'sales_rep'",
    )
    .await;
    let admin = app.login("admin@demo.crm").await;
    assert_eq!(
        account_count(&app, &token).await,
        account_count(&app, &admin).await
    );
}

#[tokio::test]
async fn a_field_grant_change_takes_effect_on_the_next_request() {
    let app = TestApp::new().await;
    let token = app.login("manager@demo.crm").await;
    let q = "{ accounts(first: 1) { edges { node { annualRevenue { amount } } } } }";
    assert!(app
        .gql(Some(&token), q, json!({}))
        .await
        .get("errors")
        .is_none());
    exec(
        &app,
        "UPDATE role_field_grants SET can_read = false WHERE object = 'account' \
         AND field = 'annualRevenue' AND role_id = (SELECT id FROM roles WHERE key = 'sales_manager')",
    )
    .await;
    let v = app.gql(Some(&token), q, json!({})).await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    // The record whose only selected field is refused is still there (the schema says `node`
    // is never null), its field `null` with the error on its path.
    let node = &v["data"]["accounts"]["edges"][0]["node"];
    assert_eq!(node, &json!({"annualRevenue": null}), "{v}");
    assert_eq!(
        v["errors"][0]["path"],
        json!(["accounts", "edges", 0, "node", "annualRevenue"])
    );
}

#[tokio::test]
async fn a_team_change_moves_team_scope_on_the_next_request() {
    let app = TestApp::new().await;
    let south = app.login("rep3@demo.crm").await;
    let before = account_count(&app, &south).await;
    // rep3 joins team North as well: North's accounts come into reach at once.
    exec(
        &app,
        "INSERT INTO team_members (team_id, user_id) \
         SELECT t.id, u.id FROM teams t, users u WHERE t.name = 'North' AND u.email = 'rep3@demo.crm'",
    )
    .await;
    assert!(account_count(&app, &south).await > before);
}

#[tokio::test]
async fn a_deactivated_user_or_a_changed_role_is_seen_on_the_next_request() {
    let app = TestApp::new().await;
    let token = app.login("rep@demo.crm").await;
    let me = "{ me { role { key } } }";
    assert_eq!(
        app.ok(&token, me, json!({})).await["me"]["role"]["key"],
        "sales_rep"
    );
    exec(
        &app,
        "UPDATE users SET role_id = (SELECT id FROM roles WHERE key = 'read_only') \
         WHERE email = 'rep@demo.crm'",
    )
    .await;
    assert_eq!(
        app.ok(&token, me, json!({})).await["me"]["role"]["key"],
        "read_only"
    );
    exec(
        &app,
        "UPDATE users SET active = false WHERE email = 'rep@demo.crm'",
    )
    .await;
    let v = app.gql(Some(&token), me, json!({})).await;
    assert_eq!(codes(&v), vec!["UNAUTHENTICATED"], "{v}");
}

#[tokio::test]
async fn a_logout_ends_the_session_on_the_next_request() {
    let app = TestApp::new().await;
    let token = app.login("rep@demo.crm").await;
    app.ok(&token, "{ __typename }", json!({})).await;
    // A second sign-in of the same user keeps working after the first signs out.
    let other = app.login("rep@demo.crm").await;
    app.ok(&token, "mutation { logout }", json!({})).await;
    let v = app
        .gql(Some(&token), "{ me { user { email } } }", json!({}))
        .await;
    assert_eq!(codes(&v), vec!["UNAUTHENTICATED"]);
    app.ok(&other, "{ me { user { email } } }", json!({})).await;
}
