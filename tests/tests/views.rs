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

const DEFAULT: &str = "query($l: String!) { defaultView(list: $l) }";
const SET_DEFAULT: &str = "mutation($i: SetRoleDefaultViewInput!) { setRoleDefaultView(input: $i) { roleId list query } }";

async fn role_id(app: &TestApp, admin: &str, key: &str) -> String {
    let d = app.ok(admin, "{ roles { id key } }", json!({})).await;
    d["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn administrators_set_the_view_a_list_opens_with_for_a_role() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rita = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let reps = role_id(&app, &admin, "sales_rep").await;

    // Nothing set: every list opens as it always did.
    assert_eq!(
        app.ok(&rita, DEFAULT, json!({"l": "accounts"})).await["defaultView"],
        serde_json::Value::Null
    );

    // Set for the sales reps: they get it, a manager does not.
    let d = app
        .ok(
            &admin,
            SET_DEFAULT,
            json!({"i": {"roleId": reps, "list": "accounts", "query": "?q=corp&sort=NAME.desc"}}),
        )
        .await;
    assert_eq!(d["setRoleDefaultView"]["query"], "q=corp&sort=NAME.desc");
    assert_eq!(
        app.ok(&rita, DEFAULT, json!({"l": "accounts"})).await["defaultView"],
        "q=corp&sort=NAME.desc"
    );
    assert_eq!(
        app.ok(&manager, DEFAULT, json!({"l": "accounts"})).await["defaultView"],
        serde_json::Value::Null
    );
    assert_eq!(
        app.ok(&rita, DEFAULT, json!({"l": "leads"})).await["defaultView"],
        serde_json::Value::Null
    );

    // Only administrators set it; bad input names its field; neither changes anything.
    let rows = app.count_rows("role_default_views").await;
    let r = app
        .gql(
            Some(&manager),
            SET_DEFAULT,
            json!({"i": {"roleId": reps, "list": "accounts", "query": "q=mine"}}),
        )
        .await;
    assert_eq!(codes(&r), ["FORBIDDEN"], "{r}");
    let r = app
        .gql(
            Some(&admin),
            SET_DEFAULT,
            json!({"i": {"roleId": reps, "list": "Accounts!", "query": "q=a b"}}),
        )
        .await;
    assert_eq!(fields(&r), ["list", "query"], "{r}");
    let r = app
        .gql(
            Some(&admin),
            SET_DEFAULT,
            json!({"i": {"roleId": "not-an-id", "list": "accounts", "query": "q=x"}}),
        )
        .await;
    assert_eq!(fields(&r), ["roleId"], "{r}");
    assert_eq!(app.count_rows("role_default_views").await, rows);
    assert_eq!(
        app.ok(&rita, DEFAULT, json!({"l": "accounts"})).await["defaultView"],
        "q=corp&sort=NAME.desc"
    );

    // The change is in the audit trail, on the role; clearing removes it.
    let d = app
        .ok(
            &admin,
            SET_DEFAULT,
            json!({"i": {"roleId": reps, "list": "accounts", "query": ""}}),
        )
        .await;
    assert_eq!(d["setRoleDefaultView"]["query"], serde_json::Value::Null);
    assert_eq!(
        app.ok(&rita, DEFAULT, json!({"l": "accounts"})).await["defaultView"],
        serde_json::Value::Null
    );
    let log = app
        .ok(
            &admin,
            "{ auditLog(filter: {objectType: \"role\"}, first: 50) { edges { node { action changes { field before after } } } } }",
            json!({}),
        )
        .await;
    let changes: Vec<(String, String, String)> = log["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["node"]["changes"].as_array().unwrap().clone())
        .filter(|c| c["field"] == "defaultView.accounts")
        .map(|c| {
            (
                c["field"].to_string(),
                c["before"].to_string(),
                c["after"].to_string(),
            )
        })
        .collect();
    assert_eq!(changes.len(), 2, "{log}");
}
