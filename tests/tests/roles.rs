//! Custom roles through the API: copied from a builtin role, their grant matrix changed and
//! honoured on the next request of a holder, audited with before and after, previewed on a
//! record; bad input names its field and changes nothing; only administrators administer.

use serde_json::{json, Value};
use tests::{codes, fields, TestApp, PASSWORD};

const ROLES: &str = "{ roles { id key name builtin version userCount } }";
const ROLE: &str = "query($id: ID!) { role(id: $id) { id key name builtin version userCount \
     grants { object action scope } fieldGrants { object field read write } } }";
const CREATE: &str = "mutation($i: CreateRoleInput!) { createRole(input: $i) { role { id key name builtin version userCount grants { object action scope } fieldGrants { object field read write } } } }";
const UPDATE: &str = "mutation($i: UpdateRoleInput!) { updateRole(input: $i) { role { id name version grants { object action scope } fieldGrants { object field read write } } } }";
const DELETE: &str = "mutation($id: ID!) { deleteRole(input: {id: $id}) { id } }";
const PREVIEW: &str = "query($r: ID!, $rec: ID!, $as: ID) { rolePreview(roleId: $r, recordId: $rec, asUserId: $as) { object visible actions { action scope } fields { field read write } } }";
const ACCOUNTS: &str = "{ accounts(first: 1) { totalCount } }";
const REVENUE: &str = "{ accounts(first: 1) { edges { node { annualRevenue { amount } } } } }";

/// The id of the role with `key`.
async fn role_id(app: &TestApp, admin: &str, key: &str) -> String {
    let d = app.ok(admin, ROLES, json!({})).await;
    d["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no role {key}: {d}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn role(app: &TestApp, admin: &str, id: &str) -> Value {
    app.ok(admin, ROLE, json!({"id": id})).await["role"].clone()
}

/// A custom role copied from `from`.
async fn copy_role(app: &TestApp, admin: &str, name: &str, from: &str) -> Value {
    let source = role_id(app, admin, from).await;
    app.ok(
        admin,
        CREATE,
        json!({"i": {"name": name, "copyFromId": source}}),
    )
    .await["createRole"]["role"]
        .clone()
}

/// A user holding `role_key`, signed in.
async fn holder(app: &TestApp, admin: &str, email: &str, role_key: &str) -> String {
    app.ok(
        admin,
        "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
        json!({"i": {"email": email, "displayName": "Role Holder", "roleKey": role_key, "password": PASSWORD}}),
    )
    .await;
    app.login(email).await
}

fn total(v: &Value) -> i64 {
    v["data"]["accounts"]["totalCount"].as_i64().unwrap_or(-1)
}

#[tokio::test]
async fn an_admin_copies_a_role_changes_its_grants_and_its_holders_feel_it_on_the_next_request() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep_role = role_id(&app, &admin, "sales_rep").await;
    let rep = role(&app, &admin, &rep_role).await;
    assert_eq!(rep["builtin"], true);

    let custom = copy_role(&app, &admin, "Key account reps", "sales_rep").await;
    assert_eq!(custom["key"], "key_account_reps");
    assert_eq!(custom["builtin"], false);
    assert_eq!(custom["version"], 1);
    assert_eq!(custom["userCount"], 0);
    assert_eq!(
        custom["grants"], rep["grants"],
        "a copy has the source's grants"
    );
    assert_eq!(custom["fieldGrants"], rep["fieldGrants"]);
    let id = custom["id"].as_str().unwrap().to_string();

    // A holder of the copy: a rep in no team reaches only their own accounts (none) and may not
    // read revenue.
    let kim = holder(&app, &admin, "kim@example.com", "key_account_reps").await;
    assert_eq!(
        app.ok(&kim, "{ me { role { key name builtin } } }", json!({}))
            .await["me"]["role"],
        json!({"key": "key_account_reps", "name": "Key account reps", "builtin": false})
    );
    assert_eq!(total(&app.gql(Some(&kim), ACCOUNTS, json!({})).await), 0);
    // The admin widens account reading to all: Kim's very next request obeys, with no restart
    // and no new sign-in; revenue stays hidden.
    let mut grants: Vec<Value> = custom["grants"].as_array().unwrap().clone();
    for g in grants.iter_mut() {
        if g["object"] == "account" && g["action"] == "read" {
            g["scope"] = json!("all");
        }
    }
    let saved = app
        .ok(
            &admin,
            UPDATE,
            json!({"i": {"id": id, "version": 1, "grants": grants}}),
        )
        .await["updateRole"]["role"]
        .clone();
    assert_eq!(saved["version"], 2);
    assert_eq!(
        saved["fieldGrants"], custom["fieldGrants"],
        "left out: kept"
    );
    let all = total(&app.gql(Some(&admin), ACCOUNTS, json!({})).await);
    assert!(all > 0);
    assert_eq!(total(&app.gql(Some(&kim), ACCOUNTS, json!({})).await), all);
    assert_eq!(
        codes(&app.gql(Some(&kim), REVENUE, json!({})).await),
        ["FORBIDDEN"]
    );

    // Then revenue reading: the next request reads it.
    let mut field_grants: Vec<Value> = custom["fieldGrants"].as_array().unwrap().clone();
    field_grants
        .push(json!({"object": "account", "field": "annualRevenue", "read": true, "write": false}));
    let saved = app
        .ok(
            &admin,
            UPDATE,
            json!({"i": {"id": id, "version": 2, "fieldGrants": field_grants}}),
        )
        .await["updateRole"]["role"]
        .clone();
    assert_eq!(saved["version"], 3);
    assert!(saved["fieldGrants"].as_array().unwrap().contains(
        &json!({"object": "account", "field": "annualRevenue", "read": true, "write": false})
    ));
    let v = app.gql(Some(&kim), REVENUE, json!({})).await;
    assert!(v.get("errors").is_none(), "{v}");

    // A save from a stale copy is refused and changes nothing.
    let stale = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({"i": {"id": id, "version": 2, "grants": []}}),
        )
        .await;
    assert_eq!(codes(&stale), ["CONFLICT"]);
    assert_eq!(total(&app.gql(Some(&kim), ACCOUNTS, json!({})).await), all);

    // The audit has the creation and the change, with what was taken and what was given.
    let audit = app
        .ok(
            &admin,
            "query($id: ID!) { auditLog(filter: {objectType: \"role\", objectId: $id}) { edges { node { action changes { field before after } } } } }",
            json!({"id": id}),
        )
        .await;
    let entries = audit["auditLog"]["edges"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "update", "create"]);
    let widen = entries[1]["node"]["changes"].as_array().unwrap();
    let grants_change = widen.iter().find(|c| c["field"] == "grants").unwrap();
    assert_eq!(grants_change["before"], "[\"account read: team\"]");
    assert_eq!(grants_change["after"], "[\"account read: all\"]");
    assert!(widen.iter().all(|c| c["field"] != "fieldGrants"));
    let changes = entries[0]["node"]["changes"].as_array().unwrap();
    assert!(changes.iter().all(|c| c["field"] != "grants"));
    let fields_change = changes
        .iter()
        .find(|c| c["field"] == "fieldGrants")
        .unwrap();
    assert_eq!(fields_change["before"], "[]");
    assert_eq!(fields_change["after"], "[\"account.annualRevenue: read\"]");
}

#[tokio::test]
async fn bad_role_input_names_the_field_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep_role = role_id(&app, &admin, "sales_rep").await;
    let roles_before = app.count_rows("roles").await;
    let create = |i: Value| {
        let (app, admin) = (&app, &admin);
        async move { fields(&app.gql(Some(admin), CREATE, json!({ "i": i })).await) }
    };
    assert_eq!(
        create(json!({"name": " ", "copyFromId": rep_role})).await,
        ["name"]
    );
    assert_eq!(
        create(json!({"name": "Sales representative", "copyFromId": rep_role})).await,
        ["name"]
    );
    assert_eq!(
        create(json!({"name": "Fine", "key": "Not A Key", "copyFromId": rep_role})).await,
        ["key"]
    );
    assert_eq!(
        create(json!({"name": "Fine", "key": "sales_rep", "copyFromId": rep_role})).await,
        ["key"]
    );
    let admin_user = app.user_id(&admin, "admin@demo.crm").await;
    assert_eq!(
        create(json!({"name": "Fine", "copyFromId": admin_user})).await,
        ["copyFromId"]
    );
    assert_eq!(app.count_rows("roles").await, roles_before);

    // A builtin role never changes, and is never removed.
    let v = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({"i": {"id": rep_role, "version": 1, "name": "Reps"}}),
        )
        .await;
    assert_eq!(fields(&v), ["id"]);
    assert_eq!(
        fields(&app.gql(Some(&admin), DELETE, json!({"id": rep_role})).await),
        ["id"]
    );

    let custom = copy_role(&app, &admin, "Careful", "read_only").await;
    let id = custom["id"].as_str().unwrap().to_string();
    let grants_before = app.count_rows("role_grants").await;
    let update = |grants: Value, field_grants: Value| {
        let (app, admin, id) = (&app, &admin, id.clone());
        async move {
            fields(
                &app.gql(
                    Some(admin),
                    UPDATE,
                    json!({"i": {"id": id, "version": 1, "grants": grants, "fieldGrants": field_grants}}),
                )
                .await,
            )
        }
    };
    let read =
        |object: &str, scope: &str| json!({"object": object, "action": "read", "scope": scope});
    assert_eq!(
        update(
            json!([read("account", "all"), read("spaceship", "all")]),
            json!([])
        )
        .await,
        ["grants.1.object"]
    );
    assert_eq!(
        update(
            json!([{"object": "audit", "action": "export", "scope": "all"}]),
            json!([])
        )
        .await,
        ["grants.0.action"]
    );
    assert_eq!(
        update(
            json!([{"object": "account", "action": "fly", "scope": "all"}]),
            json!([])
        )
        .await,
        ["grants.0.action"]
    );
    assert_eq!(
        update(json!([read("account", "world")]), json!([])).await,
        ["grants.0.scope"]
    );
    assert_eq!(
        update(
            json!([read("account", "all"), read("account", "own")]),
            json!([])
        )
        .await,
        ["grants.1.action"]
    );
    assert_eq!(
        update(
            json!([]),
            json!([{"object": "account", "field": "shoeSize", "read": true, "write": false}])
        )
        .await,
        ["fieldGrants.0.field"]
    );
    assert_eq!(
        update(
            json!([]),
            json!([{"object": "account", "field": "annualRevenue", "read": false, "write": true}])
        )
        .await,
        ["fieldGrants.0.write"]
    );
    let v = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({"i": {"id": id, "version": 1, "name": "Read-only"}}),
        )
        .await;
    assert_eq!(fields(&v), ["name"]);
    // Nothing of it landed.
    assert_eq!(app.count_rows("role_grants").await, grants_before);
    let after = role(&app, &admin, &id).await;
    assert_eq!(after["version"], 1);
    assert_eq!(after["grants"], custom["grants"]);

    // A role somebody holds is kept; once nobody does, it goes (and the audit keeps it).
    holder(&app, &admin, "holder@example.com", "careful").await;
    let v = app.gql(Some(&admin), DELETE, json!({"id": id})).await;
    assert_eq!(fields(&v), ["id"]);
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("held by 1 user"),
        "{v}"
    );
    let spare = copy_role(&app, &admin, "Spare", "read_only").await;
    let spare_id = spare["id"].as_str().unwrap();
    app.ok(&admin, DELETE, json!({"id": spare_id})).await;
    assert!(app.ok(&admin, ROLE, json!({"id": spare_id})).await["role"].is_null());
    assert_eq!(
        app.count_rows("change_log WHERE object_type = 'role' AND action = 'delete'")
            .await,
        1
    );
}

#[tokio::test]
async fn only_administrators_administer_roles() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep_role = role_id(&app, &admin, "sales_rep").await;
    for email in ["manager@demo.crm", "rep@demo.crm", "readonly@demo.crm"] {
        let token = app.login(email).await;
        // Everyone sees their own role's name…
        let me = app
            .ok(&token, "{ me { role { key name builtin } } }", json!({}))
            .await;
        assert!(me["me"]["role"]["key"].is_string());
        // …but not the matrix, the catalogue or anyone's roles, and changes nothing.
        for q in [
            ROLES,
            "{ me { role { grants { object } } } }",
            "{ permissionCatalogue { object } }",
        ] {
            assert_eq!(
                codes(&app.gql(Some(&token), q, json!({})).await),
                ["FORBIDDEN"],
                "{email}: {q}"
            );
        }
        let v = app
            .gql(
                Some(&token),
                CREATE,
                json!({"i": {"name": "Mine", "copyFromId": rep_role}}),
            )
            .await;
        assert_eq!(codes(&v), ["FORBIDDEN"], "{email}");
    }
    assert_eq!(
        app.count_rows("roles WHERE builtin = false").await,
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn the_catalogue_lists_what_a_role_may_be_granted() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let d = app
        .ok(
            &admin,
            "{ permissionCatalogue { object actions fields } }",
            json!({}),
        )
        .await;
    let list = d["permissionCatalogue"].as_array().unwrap();
    let account = list.iter().find(|o| o["object"] == "account").unwrap();
    assert_eq!(
        account["actions"],
        json!([
            "read",
            "create",
            "update",
            "archive",
            "approve_deletion",
            "export"
        ])
    );
    assert_eq!(account["fields"], json!(["annualRevenue"]));
    let quote = list.iter().find(|o| o["object"] == "quote").unwrap();
    assert_eq!(
        quote["fields"],
        json!(["amount", "largeDiscount", "margin"])
    );
    assert!(list.iter().any(|o| o["object"] == "role"));
}

#[tokio::test]
async fn a_preview_reads_the_record_as_the_role_would() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    // An account of the rep's.
    let me = app.user_id(&rep, "rep@demo.crm").await;
    let d = app
        .ok(
            &rep,
            "query($me: ID!) { accounts(first: 1, filter: {ownerId: $me}) { edges { node { id owner { id } } } } }",
            json!({"me": me}),
        )
        .await;
    let node = &d["accounts"]["edges"][0]["node"];
    let (account, owner) = (
        node["id"].as_str().unwrap(),
        node["owner"]["id"].as_str().unwrap(),
    );
    let rep_role = role_id(&app, &admin, "sales_rep").await;
    let read_only = role_id(&app, &admin, "read_only").await;

    // A rep who owns nothing and is in no team does not see it…
    let p = app
        .ok(&admin, PREVIEW, json!({"r": rep_role, "rec": account}))
        .await["rolePreview"]
        .clone();
    assert_eq!(p["object"], "account");
    assert_eq!(p["visible"], false);
    let scope_of = |p: &Value, action: &str| {
        p["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == action)
            .map(|a| a["scope"].clone())
            .unwrap()
    };
    assert_eq!(scope_of(&p, "read"), "team");
    assert_eq!(scope_of(&p, "approve_deletion"), Value::Null);
    assert_eq!(
        p["fields"],
        json!([{"field": "annualRevenue", "read": false, "write": false}])
    );
    // …its owner, as a rep, does…
    let p = app
        .ok(
            &admin,
            PREVIEW,
            json!({"r": rep_role, "rec": account, "as": owner}),
        )
        .await;
    assert_eq!(p["rolePreview"]["visible"], true);
    // …and every read-only user does.
    let p = app
        .ok(&admin, PREVIEW, json!({"r": read_only, "rec": account}))
        .await;
    assert_eq!(p["rolePreview"]["visible"], true);
    assert_eq!(scope_of(&p["rolePreview"], "update"), Value::Null);

    // Not a record: the field is named.
    let v = app
        .gql(
            Some(&admin),
            PREVIEW,
            json!({"r": rep_role, "rec": "nonsense"}),
        )
        .await;
    assert_eq!(fields(&v), ["recordId"]);
    let v = app
        .gql(
            Some(&admin),
            PREVIEW,
            json!({"r": rep_role, "rec": rep_role}),
        )
        .await;
    assert_eq!(fields(&v), ["recordId"]);
    // Only those who may read roles preview them.
    let v = app
        .gql(Some(&rep), PREVIEW, json!({"r": rep_role, "rec": account}))
        .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
}
