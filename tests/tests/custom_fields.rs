//! Custom fields through the API: defined by administrators, typed, guarded per role like any
//! sensitive field (values, filters, timelines), written all or nothing on records the caller may
//! update, archived without losing values, and read at a fixed statement cost.

use serde_json::{json, Value};
use tests::{codes, fields, TestApp};

const CREATE: &str = "mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { id key label type required unique showInList options version canRead canWrite access { roleKey read write } } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: UpdateCustomFieldInput!) { updateCustomField(id: $id, version: $v, input: $i) { id version label unique access { roleKey read write } } }";
const SET: &str = "mutation($r: ID!, $v: [CustomFieldValueInput!]!) { setCustomFieldValues(recordId: $r, values: $v) { key value display canWrite } }";
const DEFS: &str =
    "query($o: CustomObject) { customFields(object: $o) { key label canRead canWrite } }";
const ONE: &str = "query($id: ID!) { opportunity(id: $id) { id customFields { key value display showInList canWrite } } }";

async fn define(app: &TestApp, admin: &str, input: Value) -> Value {
    app.ok(admin, CREATE, json!({ "i": input })).await["createCustomField"].clone()
}

/// The id of the first opportunity `token` sees.
async fn an_opportunity(app: &TestApp, token: &str, skip: usize) -> String {
    let d = app
        .ok(
            token,
            "{ opportunities(first: 10) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    d["opportunities"]["edges"][skip]["node"]["id"]
        .as_str()
        .expect("an opportunity")
        .to_string()
}

async fn values(app: &TestApp, token: &str, id: &str) -> Value {
    app.ok(token, ONE, json!({ "id": id })).await["opportunity"]["customFields"].clone()
}

fn value_of<'a>(vals: &'a Value, key: &str) -> Option<&'a Value> {
    vals.as_array()?
        .iter()
        .find(|v| v["key"] == key)
        .map(|v| &v["value"])
}

fn total(v: &Value) -> i64 {
    v["data"]["opportunities"]["totalCount"]
        .as_i64()
        .unwrap_or(-1)
}

#[tokio::test]
async fn fields_are_typed_guarded_per_role_and_filterable() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;

    let region = define(
        &app,
        &admin,
        json!({"object": "OPPORTUNITY", "label": "Region", "type": "PICK",
               "options": ["EMEA", "APAC", "AMER"], "showInList": true}),
    )
    .await;
    assert_eq!(region["key"], "region", "the key is made of the label");
    // By default every role that reads opportunities reads it and those that update them write.
    let access = |f: &Value, role: &str| {
        f["access"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["roleKey"] == role)
            .map(|a| (a["read"].as_bool().unwrap(), a["write"].as_bool().unwrap()))
            .unwrap()
    };
    assert_eq!(access(&region, "sales_rep"), (true, true));
    assert_eq!(access(&region, "read_only"), (true, false));
    assert_eq!(access(&region, "customer"), (false, false));

    let score = define(
        &app,
        &admin,
        json!({"object": "OPPORTUNITY", "key": "secretScore", "label": "Secret score", "type": "NUMBER",
               "access": [{"roleKey": "sales_manager", "read": true, "write": true}]}),
    )
    .await;
    assert_eq!(
        access(&score, "admin"),
        (true, true),
        "administrators always read and write"
    );
    assert_eq!(access(&score, "sales_rep"), (false, false));

    // The rep's own opportunity: the admin sets both values.
    let opp = an_opportunity(&app, &rep, 0).await;
    let set = app
        .ok(
            &admin,
            SET,
            json!({"r": opp, "v": [{"key": "region", "value": "EMEA"}, {"key": "secretScore", "value": 7}]}),
        )
        .await;
    assert_eq!(
        value_of(&set["setCustomFieldValues"], "secretScore"),
        Some(&json!(7))
    );

    // Each role reads what its grants allow, on the record and in the definitions.
    let mine = values(&app, &rep, &opp).await;
    assert_eq!(value_of(&mine, "region"), Some(&json!("EMEA")));
    assert_eq!(value_of(&mine, "secretScore"), None, "{mine}");
    let defs = app.ok(&rep, DEFS, json!({"o": "OPPORTUNITY"})).await;
    assert_eq!(defs["customFields"].as_array().unwrap().len(), 1, "{defs}");
    let theirs = values(&app, &manager, &opp).await;
    assert_eq!(value_of(&theirs, "secretScore"), Some(&json!(7)));

    // The rep may write the region, not the score; a refused value changes nothing.
    let r = app
        .gql(
            Some(&rep),
            SET,
            json!({"r": opp, "v": [{"key": "region", "value": "APAC"}, {"key": "secretScore", "value": 1}]}),
        )
        .await;
    assert_eq!(codes(&r), ["BAD_USER_INPUT"], "{r}");
    assert_eq!(fields(&r), ["values.1.key"]);
    assert_eq!(
        value_of(&values(&app, &admin, &opp).await, "region"),
        Some(&json!("EMEA"))
    );
    let r = app
        .gql(
            Some(&rep),
            SET,
            json!({"r": opp, "v": [{"key": "region", "value": "Mars"}]}),
        )
        .await;
    assert_eq!(fields(&r), ["values.0.value"], "{r}");
    app.ok(
        &rep,
        SET,
        json!({"r": opp, "v": [{"key": "region", "value": "APAC"}]}),
    )
    .await;

    // Filters: by value on the list and the board; a field one may not read is not a filter.
    let q = "query($f: OpportunityListFilter) { opportunities(first: 5, filter: $f) { totalCount edges { node { id } } } }";
    let apac = app
        .gql(
            Some(&admin),
            q,
            json!({"f": {"custom": [{"key": "region", "eq": "APAC"}]}}),
        )
        .await;
    assert_eq!(total(&apac), 1, "{apac}");
    assert_eq!(apac["data"]["opportunities"]["edges"][0]["node"]["id"], opp);
    let ranged = app
        .gql(
            Some(&manager),
            q,
            json!({"f": {"custom": [{"key": "secretScore", "min": 5, "max": 9}]}}),
        )
        .await;
    assert_eq!(total(&ranged), 1, "{ranged}");
    let unset = app
        .gql(
            Some(&admin),
            q,
            json!({"f": {"custom": [{"key": "region", "isSet": false}]}}),
        )
        .await;
    let all = app.gql(Some(&admin), q, json!({})).await;
    assert_eq!(total(&unset), total(&all) - 1);
    let r = app
        .gql(
            Some(&rep),
            q,
            json!({"f": {"custom": [{"key": "secretScore", "min": 5}]}}),
        )
        .await;
    assert_eq!(fields(&r), ["filter.custom.0.key"], "{r}");
    let board = app
        .ok(
            &admin,
            "query($f: BoardFilter) { pipelineBoard(filter: $f) { columns { count cards { edges { node { id customFields { key display } } } } } } }",
            json!({"f": {"custom": [{"key": "region", "in": ["APAC", "AMER"]}]}}),
        )
        .await;
    let counted: i64 = board["pipelineBoard"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(counted, 1, "{board}");

    // The timeline shows the change of the region to everyone who reads it, the score to no rep.
    let tl = "query($id: ID!) { recordTimeline(recordId: $id, first: 20) { edges { node { ... on TimelineEntry { changes { field before after } } } } } }";
    let seen = |d: &Value| d.to_string();
    let rep_tl = seen(&app.ok(&rep, tl, json!({"id": opp})).await);
    assert!(rep_tl.contains("custom.region"), "{rep_tl}");
    assert!(!rep_tl.contains("custom.secretScore"), "{rep_tl}");
    let mgr_tl = seen(&app.ok(&manager, tl, json!({"id": opp})).await);
    assert!(mgr_tl.contains("custom.secretScore"), "{mgr_tl}");

    // Archiving hides the field everywhere and keeps its values; restoring brings them back.
    let region_id = region["id"].as_str().unwrap();
    app.ok(
        &admin,
        "mutation($id: ID!) { archiveCustomField(id: $id) { archived } }",
        json!({"id": region_id}),
    )
    .await;
    assert_eq!(value_of(&values(&app, &admin, &opp).await, "region"), None);
    let gone = app
        .gql(
            Some(&admin),
            q,
            json!({"f": {"custom": [{"key": "region", "eq": "APAC"}]}}),
        )
        .await;
    assert_eq!(total(&gone), 0);
    app.ok(
        &admin,
        "mutation($id: ID!) { restoreCustomField(id: $id) { archived } }",
        json!({"id": region_id}),
    )
    .await;
    assert_eq!(
        value_of(&values(&app, &admin, &opp).await, "region"),
        Some(&json!("APAC"))
    );
}

#[tokio::test]
async fn changing_a_fields_access_holds_on_the_next_request_and_the_matrix_lists_it() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let f = define(
        &app,
        &admin,
        json!({"object": "OPPORTUNITY", "label": "Competitor", "type": "TEXT"}),
    )
    .await;
    let opp = an_opportunity(&app, &rep, 0).await;
    app.ok(
        &admin,
        SET,
        json!({"r": opp, "v": [{"key": "competitor", "value": "Globex"}]}),
    )
    .await;
    assert_eq!(
        value_of(&values(&app, &rep, &opp).await, "competitor"),
        Some(&json!("Globex"))
    );
    let changed = app
        .ok(
            &admin,
            UPDATE,
            json!({"id": f["id"], "v": f["version"], "i": {"access": [{"roleKey": "sales_manager", "read": true}]}}),
        )
        .await;
    assert_eq!(changed["updateCustomField"]["version"], 2);
    // The same session of the rep no longer reads it.
    assert_eq!(
        value_of(&values(&app, &rep, &opp).await, "competitor"),
        None
    );
    // A stale version is a conflict.
    let r = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({"id": f["id"], "v": 1, "i": {"label": "Rival"}}),
        )
        .await;
    assert_eq!(codes(&r), ["CONFLICT"], "{r}");
    // The change is in the audit trail with the access before and after.
    let log = app
        .ok(
            &admin,
            "{ auditLog(first: 5) { edges { node { objectType action changes { field before after } } } } }",
            json!({}),
        )
        .await
        .to_string();
    assert!(log.contains("sales_rep: read, write"), "{log}");
    // The role matrix offers the field to custom roles.
    let cat = app
        .ok(
            &admin,
            "{ permissionCatalogue { object fields } }",
            json!({}),
        )
        .await
        .to_string();
    assert!(cat.contains("custom.competitor"), "{cat}");
}

#[tokio::test]
async fn bad_definitions_and_values_name_their_field_and_change_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let before = app.count_rows("custom_fields").await;
    let r = app
        .gql(
            Some(&admin),
            CREATE,
            json!({"i": {"object": "LEAD", "key": "Bad Key", "label": "", "type": "PICK",
                         "unique": true, "access": [{"roleKey": "nobody", "read": true}]}}),
        )
        .await;
    assert_eq!(codes(&r), ["BAD_USER_INPUT"], "{r}");
    let mut f = fields(&r);
    f.sort();
    assert_eq!(
        f,
        ["access.0.roleKey", "key", "label", "options", "unique"],
        "{r}"
    );
    let r = app
        .gql(
            Some(&admin),
            CREATE,
            json!({"i": {"object": "LEAD", "label": "Budget", "type": "NUMBER", "defaultValue": "lots"}}),
        )
        .await;
    assert_eq!(fields(&r), ["defaultValue"], "{r}");
    assert_eq!(app.count_rows("custom_fields").await, before);
    // Only administrators define fields.
    let r = app
        .gql(
            Some(&rep),
            CREATE,
            json!({"i": {"object": "LEAD", "label": "Budget", "type": "NUMBER"}}),
        )
        .await;
    assert_eq!(codes(&r), ["FORBIDDEN"], "{r}");

    // Unique values, typed values, a record the caller may not change.
    define(
        &app,
        &admin,
        json!({"object": "OPPORTUNITY", "label": "External ref", "type": "TEXT", "unique": true}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"object": "OPPORTUNITY", "label": "Budget", "type": "MONEY"}),
    )
    .await;
    let a = an_opportunity(&app, &admin, 0).await;
    let b = an_opportunity(&app, &admin, 1).await;
    app.ok(
        &admin,
        SET,
        json!({"r": a, "v": [{"key": "externalRef", "value": "X-1"}, {"key": "budget", "value": {"amount": "1250.5", "currency": "EUR"}}]}),
    )
    .await;
    assert_eq!(
        value_of(&values(&app, &admin, &a).await, "budget"),
        Some(&json!({"amount": "1250.50", "currency": "EUR"}))
    );
    let rows = app.count_rows("custom_field_values").await;
    let r = app
        .gql(
            Some(&admin),
            SET,
            json!({"r": b, "v": [{"key": "budget", "value": {"amount": "10", "currency": "EUR"}}, {"key": "externalRef", "value": "X-1"}]}),
        )
        .await;
    assert_eq!(fields(&r), ["values.1.value"], "{r}");
    let r = app
        .gql(
            Some(&admin),
            SET,
            json!({"r": b, "v": [{"key": "budget", "value": "ten"}, {"key": "nope", "value": 1}]}),
        )
        .await;
    assert_eq!(fields(&r), ["values.0.value", "values.1.key"], "{r}");
    assert_eq!(app.count_rows("custom_field_values").await, rows);
    let r = app
        .gql(
            Some(&admin),
            SET,
            json!({"r": "bm90LWFuLWlk", "v": [{"key": "budget", "value": null}]}),
        )
        .await;
    assert_eq!(fields(&r), ["recordId"], "{r}");
    // A role that may not update opportunities changes no value of theirs.
    let readonly = app.login("readonly@demo.crm").await;
    let r = app
        .gql(
            Some(&readonly),
            SET,
            json!({"r": a, "v": [{"key": "externalRef", "value": "X-2"}]}),
        )
        .await;
    assert_eq!(codes(&r), ["FORBIDDEN"], "{r}");
}

#[tokio::test]
async fn a_page_with_twenty_custom_fields_costs_the_same_statements_for_few_or_many_rows() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let mut keys = Vec::new();
    for i in 0..20 {
        let f = define(
            &app,
            &admin,
            json!({"object": "OPPORTUNITY", "label": format!("Field {i}"), "type": "TEXT"}),
        )
        .await;
        keys.push(f["key"].as_str().unwrap().to_string());
    }
    for skip in 0..6 {
        let id = an_opportunity(&app, &admin, skip).await;
        let v: Vec<Value> = keys
            .iter()
            .map(|k| json!({"key": k, "value": format!("v{skip}")}))
            .collect();
        app.ok(&admin, SET, json!({"r": id, "v": v})).await;
    }
    let q = "query($n: Int, $f: OpportunityListFilter) { opportunities(first: $n, filter: $f) { edges { node { id name customFields { key display } } } } }";
    let filter = json!({"custom": [{"key": keys[3], "isSet": true}]});
    app.ok(&admin, q, json!({"n": 1, "f": filter})).await;
    let s0 = app.statements();
    let one = app.ok(&admin, q, json!({"n": 1, "f": filter})).await;
    let s1 = app.statements();
    let many = app.ok(&admin, q, json!({"n": 25, "f": filter})).await;
    let s2 = app.statements();
    let edges = |d: &Value| d["opportunities"]["edges"].as_array().unwrap().len();
    assert_eq!((edges(&one), edges(&many)), (1, 6));
    assert_eq!(
        many["opportunities"]["edges"][5]["node"]["customFields"]
            .as_array()
            .unwrap()
            .len(),
        20
    );
    assert_eq!(s1 - s0, s2 - s1, "statements for 1 row vs 6");
    // The session, the page, the definitions and one batch of values.
    assert!(s2 - s1 <= 4, "{} statements", s2 - s1);
}

#[tokio::test]
async fn accounts_parties_and_leads_hold_their_own_fields() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let tier = define(
        &app,
        &admin,
        json!({"object": "ACCOUNT", "label": "Tier", "type": "PICK", "options": ["Gold", "Silver"]}),
    )
    .await;
    assert_eq!(tier["key"], "tier");
    define(
        &app,
        &admin,
        json!({"object": "PARTY", "label": "Birthday", "type": "DATE"}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"object": "LEAD", "label": "Interested", "type": "BOOLEAN"}),
    )
    .await;
    let d = app
        .ok(
            &admin,
            "{ accounts(first: 1) { edges { node { id } } } contacts(first: 1) { edges { node { id } } } leads(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let id = |list: &str| {
        d[list]["edges"][0]["node"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (account, person, lead) = (id("accounts"), id("contacts"), id("leads"));
    app.ok(
        &admin,
        SET,
        json!({"r": account, "v": [{"key": "tier", "value": "Gold"}]}),
    )
    .await;
    app.ok(
        &admin,
        SET,
        json!({"r": person, "v": [{"key": "birthday", "value": "1980-02-29"}]}),
    )
    .await;
    app.ok(
        &admin,
        SET,
        json!({"r": lead, "v": [{"key": "interested", "value": true}]}),
    )
    .await;
    // A field of another object is not one of this record's.
    let r = app
        .gql(
            Some(&admin),
            SET,
            json!({"r": account, "v": [{"key": "birthday", "value": "1980-02-29"}]}),
        )
        .await;
    assert_eq!(fields(&r), ["values.0.key"], "{r}");
    let read = app
        .ok(
            &admin,
            "query($a: ID!, $p: ID!, $l: ID!) { a: node(id: $a) { ... on Account { customFields { key value } } } \
             p: node(id: $p) { ... on Person { customFields { key value } } } \
             l: node(id: $l) { ... on Lead { customFields { key value display } } } }",
            json!({"a": account, "p": person, "l": lead}),
        )
        .await;
    assert_eq!(
        read["a"]["customFields"],
        json!([{"key": "tier", "value": "Gold"}])
    );
    assert_eq!(
        read["p"]["customFields"],
        json!([{"key": "birthday", "value": "1980-02-29"}])
    );
    assert_eq!(
        read["l"]["customFields"],
        json!([{"key": "interested", "value": true, "display": "Yes"}])
    );
}
