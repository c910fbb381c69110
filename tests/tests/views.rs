//! Saved views: kept per user and list, shared with team-mates on request, changed and removed
//! only by their owner, validated field by field.

use serde_json::json;
use tests::{codes, fields, TestApp};

const SAVE: &str = "mutation($i: SaveViewInput!) { saveView(input: $i) { view { id list name query shared mine owner { email } } } }";
const VIEWS: &str =
    "query($l: String!) { savedViews(list: $l) { id name query shared mine owner { email } } }";
const REMOVE: &str = "mutation($id: ID!) { removeView(input: {id: $id}) { id } }";

async fn names(app: &TestApp, token: &str, list: &str) -> Vec<String> {
    app.ok(token, VIEWS, json!({"l": list})).await["savedViews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn views_are_kept_per_user_and_shared_with_the_team_only() {
    let app = TestApp::new().await;
    let rita = app.login("rep@demo.crm").await;
    let rob = app.login("rep2@demo.crm").await; // Rita's team (North)
    let sam = app.login("rep3@demo.crm").await; // South
    let manager = app.login("manager@demo.crm").await; // manages North

    let d = app
        .ok(
            &rita,
            SAVE,
            json!({"i": {"list": "accounts", "name": "My north", "query": "?q=acme&sort=name.desc"}}),
        )
        .await;
    let mine = &d["saveView"]["view"];
    assert_eq!(
        mine["query"], "q=acme&sort=name.desc",
        "the leading ? is dropped"
    );
    assert_eq!(mine["shared"], false);
    assert_eq!(mine["mine"], true);
    app.ok(
        &rita,
        SAVE,
        json!({"i": {"list": "accounts", "name": "Team big deals", "query": "f.mine=true", "shared": true}}),
    )
    .await;
    app.ok(
        &sam,
        SAVE,
        json!({"i": {"list": "accounts", "name": "South", "query": "q=s", "shared": true}}),
    )
    .await;
    // Another list keeps its own views.
    app.ok(
        &rita,
        SAVE,
        json!({"i": {"list": "leads", "name": "Hot", "query": "status=NEW"}}),
    )
    .await;

    assert_eq!(
        names(&app, &rita, "accounts").await,
        ["My north", "Team big deals"]
    );
    assert_eq!(names(&app, &rita, "leads").await, ["Hot"]);
    // A team-mate sees the shared one, not the private one.
    let d = app.ok(&rob, VIEWS, json!({"l": "accounts"})).await;
    let list = d["savedViews"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{d}");
    assert_eq!(list[0]["name"], "Team big deals");
    assert_eq!(list[0]["mine"], false);
    assert_eq!(list[0]["owner"]["email"], "rep@demo.crm");
    // So does the manager, whose team reach covers Rita (and Sam's team below it).
    let seen = names(&app, &manager, "accounts").await;
    assert!(seen.contains(&"Team big deals".to_owned()), "{seen:?}");
    assert!(!seen.contains(&"My north".to_owned()), "{seen:?}");
    // Someone of another team sees only their own.
    assert_eq!(names(&app, &sam, "accounts").await, ["South"]);

    // Saving under the same name replaces the view (no second row).
    let rows = app.count_rows("saved_views").await;
    let d = app
        .ok(
            &rita,
            SAVE,
            json!({"i": {"list": "accounts", "name": "My north", "query": "q=initech"}}),
        )
        .await;
    assert_eq!(d["saveView"]["view"]["id"], mine["id"]);
    assert_eq!(d["saveView"]["view"]["query"], "q=initech");
    assert_eq!(app.count_rows("saved_views").await, rows);

    // Only the owner removes a view: a team-mate gets FORBIDDEN, an outsider NOT_FOUND.
    let shared_id =
        app.ok(&rob, VIEWS, json!({"l": "accounts"})).await["savedViews"][0]["id"].clone();
    let v = app.gql(Some(&rob), REMOVE, json!({"id": shared_id})).await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    let v = app.gql(Some(&sam), REMOVE, json!({"id": shared_id})).await;
    assert_eq!(codes(&v), vec!["NOT_FOUND"], "{v}");
    app.ok(&rita, REMOVE, json!({"id": shared_id})).await;
    assert_eq!(names(&app, &rita, "accounts").await, ["My north"]);
    assert!(names(&app, &rob, "accounts").await.is_empty());

    // Signed out: no views.
    let v = app.gql(None, VIEWS, json!({"l": "accounts"})).await;
    assert_eq!(codes(&v), vec!["UNAUTHENTICATED"], "{v}");
}

#[tokio::test]
async fn a_bad_view_names_its_fields_and_saves_nothing() {
    let app = TestApp::new().await;
    let rita = app.login("rep@demo.crm").await;
    let before = app.count_rows("saved_views").await;
    let v = app
        .gql(
            Some(&rita),
            SAVE,
            json!({"i": {"list": "Accounts!", "name": "  ", "query": "q=a b#c"}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    assert_eq!(fields(&v), ["list", "name", "query"], "{v}");
    let v = app
        .gql(
            Some(&rita),
            SAVE,
            json!({"i": {"list": "accounts", "name": "x".repeat(61), "query": "q=a".repeat(400)}}),
        )
        .await;
    assert_eq!(fields(&v), ["name", "query"], "{v}");
    let v = app.gql(Some(&rita), VIEWS, json!({"l": ""})).await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    let v = app
        .gql(Some(&rita), REMOVE, json!({"id": "nonsense"}))
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    assert_eq!(app.count_rows("saved_views").await, before);
}
