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

const ACCOUNTS: &str = "query($n: Int, $after: String, $f: AccountFilter, $o: AccountOrder) { accounts(first: $n, after: $after, filter: $f, orderBy: $o) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name customFields { key value } } } } }";

/// The names of every account `token` sees in `order` under `filter`, paged `n` at a time.
async fn account_names(
    app: &TestApp,
    token: &str,
    filter: Value,
    order: Value,
    n: i64,
) -> Vec<String> {
    let mut names = Vec::new();
    let mut after = Value::Null;
    loop {
        let d = app
            .ok(
                token,
                ACCOUNTS,
                json!({"n": n, "after": after, "f": filter, "o": order}),
            )
            .await;
        let list = &d["accounts"];
        for e in list["edges"].as_array().unwrap() {
            names.push(e["node"]["name"].as_str().unwrap().to_string());
        }
        if list["pageInfo"]["hasNextPage"] != true {
            return names;
        }
        after = list["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn accounts_sort_and_filter_by_custom_fields_their_caller_may_read() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    define(
        &app,
        &admin,
        json!({"object": "ACCOUNT", "label": "Seats", "type": "NUMBER", "showInList": true}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"object": "ACCOUNT", "label": "Segment", "type": "TEXT", "showInList": true}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"object": "ACCOUNT", "key": "risk", "label": "Risk", "type": "NUMBER",
               "access": [{"roleKey": "sales_manager", "read": true, "write": true}]}),
    )
    .await;
    // Every account the admin sees gets seats (9, 10, 100, … so numbers and texts order apart)
    // and a segment, but the last, which holds none.
    let all = account_names(&app, &admin, json!(null), json!({"field": "NAME"}), 100).await;
    assert!(all.len() >= 4, "{all:?}");
    let d = app
        .ok(&admin, ACCOUNTS, json!({"n": 100, "o": {"field": "NAME"}}))
        .await;
    let edges = d["accounts"]["edges"].as_array().unwrap().clone();
    let last = edges.len() - 1;
    for (i, e) in edges.iter().enumerate().take(last) {
        let seats = [9, 10, 100, 25, 3][i % 5] + i as i64 * 1000;
        app.ok(
            &admin,
            SET,
            json!({"r": e["node"]["id"], "v": [{"key": "seats", "value": seats},
                   {"key": "segment", "value": format!("S{seats}")}, {"key": "risk", "value": i}]}),
        )
        .await;
    }
    let seats_of = |name: &str| -> Option<i64> {
        let i = edges.iter().position(|e| e["node"]["name"] == name)?;
        (i < last).then(|| [9, 10, 100, 25, 3][i % 5] + i as i64 * 1000)
    };

    // By number, two at a time across pages: the account without a value first, then ascending.
    let by_seats = |desc: bool| json!({"field": "CUSTOM", "customKey": "seats", "direction": if desc { "DESC" } else { "ASC" }});
    let got = account_names(&app, &admin, json!(null), by_seats(false), 2).await;
    let mut want = all.clone();
    want.sort_by_key(|n| (seats_of(n).unwrap_or(i64::MIN), n.clone()));
    let key_order = |names: &[String]| names.iter().map(|n| seats_of(n)).collect::<Vec<_>>();
    assert_eq!(key_order(&got), key_order(&want), "{got:?}");
    let mut down = account_names(&app, &admin, json!(null), by_seats(true), 3).await;
    down.reverse();
    assert_eq!(key_order(&down), key_order(&want));
    // By text: "S10…" before "S9…", as text sorts.
    let by_segment = json!({"field": "CUSTOM", "customKey": "segment"});
    let got = account_names(&app, &admin, json!(null), by_segment, 2).await;
    let mut texts: Vec<String> = got
        .iter()
        .map(|n| seats_of(n).map_or(String::new(), |s| format!("S{s}")))
        .collect();
    let shown = texts.clone();
    texts.sort();
    assert_eq!(shown, texts);

    // Filtered on a custom field and sorted by it: at least 10 seats, from the most.
    let big = json!({"custom": [{"key": "seats", "min": 10}]});
    let got = account_names(&app, &admin, big.clone(), by_seats(true), 2).await;
    let mut want: Vec<String> = all
        .iter()
        .filter(|n| seats_of(n).is_some_and(|s| s >= 10))
        .cloned()
        .collect();
    want.sort_by_key(|n| std::cmp::Reverse(seats_of(n)));
    assert_eq!(key_order(&got), key_order(&want));
    let total = app.ok(&admin, ACCOUNTS, json!({"n": 1, "f": big})).await["accounts"]["totalCount"]
        .as_i64()
        .unwrap();
    assert_eq!(total, want.len() as i64);

    // A field the caller may not read sorts and filters nothing: refused on its path, as unknown.
    let risk = json!({"field": "CUSTOM", "customKey": "risk"});
    assert!(
        !account_names(&app, &manager, json!(null), risk.clone(), 50)
            .await
            .is_empty()
    );
    let r = app
        .gql(Some(&rep), ACCOUNTS, json!({"n": 5, "o": risk}))
        .await;
    assert_eq!(fields(&r), ["orderBy.customKey"], "{r}");
    let r = app
        .gql(
            Some(&rep),
            ACCOUNTS,
            json!({"n": 5, "f": {"custom": [{"key": "risk", "min": 1}]}}),
        )
        .await;
    assert_eq!(fields(&r), ["filter.custom.0.key"], "{r}");
    for (order, field) in [
        (json!({"field": "CUSTOM"}), "orderBy.customKey"),
        (
            json!({"field": "CUSTOM", "customKey": "nosuch"}),
            "orderBy.customKey",
        ),
        (
            json!({"field": "NAME", "customKey": "seats"}),
            "orderBy.customKey",
        ),
    ] {
        let r = app
            .gql(Some(&admin), ACCOUNTS, json!({"n": 5, "o": order}))
            .await;
        assert_eq!(fields(&r), [field], "{r}");
    }
    // The rep's list is still row-scoped when sorted by a custom field.
    let mine = account_names(&app, &rep, json!(null), by_seats(false), 50).await;
    let scoped = account_names(&app, &rep, json!(null), json!({"field": "NAME"}), 50).await;
    let (mut a, mut b) = (mine.clone(), scoped);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert!(
        mine.len() < all.len(),
        "the rep sees only their team's accounts"
    );

    // A page sorted by a custom field costs one statement more than by name (the page's values
    // for its cursors), whatever its size.
    let by_name = json!({"field": "NAME"});
    app.ok(&admin, ACCOUNTS, json!({"n": 5, "o": by_name}))
        .await;
    let s0 = app.statements();
    app.ok(&admin, ACCOUNTS, json!({"n": 5, "o": by_name}))
        .await;
    let s1 = app.statements();
    app.ok(&admin, ACCOUNTS, json!({"n": 5, "o": by_seats(false)}))
        .await;
    let s2 = app.statements();
    app.ok(&admin, ACCOUNTS, json!({"n": 25, "o": by_seats(false)}))
        .await;
    let s3 = app.statements();
    // (the definitions are read for `customFields` either way)
    assert_eq!(s2 - s1, s1 - s0 + 1, "the page's sort values");
    assert_eq!(s3 - s2, s2 - s1, "whatever the page's size");

    // The CSV export follows the same order.
    let (status, body) =
        crate::exports::export(&app, Some(&admin), "sort=custom.seats&direction=DESC").await;
    assert_eq!(status, 200, "{body}");
    let mut down = account_names(&app, &admin, json!(null), by_seats(true), 100).await;
    let rows: Vec<&str> = body.lines().skip(1).collect();
    assert_eq!(rows.len(), down.len());
    for (row, name) in rows.iter().zip(down.iter_mut()) {
        assert!(row.contains(name.as_str()), "{row} / {name}");
    }
    let (status, body) = crate::exports::export(&app, Some(&rep), "sort=custom.risk").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("sort.customKey"), "{body}");
}

#[tokio::test]
async fn contacts_sort_and_filter_by_party_custom_fields() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    define(
        &app,
        &admin,
        json!({"object": "PARTY", "label": "Birthday", "type": "DATE", "showInList": true}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"object": "PARTY", "key": "credit", "label": "Credit score", "type": "NUMBER",
               "access": [{"roleKey": "sales_manager", "read": true, "write": true}]}),
    )
    .await;
    let q = "query($f: PartyFilter, $o: PartyOrder, $n: Int, $after: String) { contacts(first: $n, after: $after, filter: $f, orderBy: $o) { totalCount pageInfo { hasNextPage endCursor } edges { node { id displayName ... on Person { customFields { key value } } } } } }";
    let d = app
        .ok(&rep, q, json!({"n": 3, "o": {"field": "NAME"}}))
        .await;
    let ids: Vec<Value> = d["contacts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    assert_eq!(ids.len(), 3);
    for (id, (day, credit)) in ids.iter().zip([
        ("1990-05-01", 700),
        ("1975-12-24", 650),
        ("2001-01-31", 800),
    ]) {
        app.ok(
            &admin,
            SET,
            json!({"r": id, "v": [{"key": "birthday", "value": day}, {"key": "credit", "value": credit}]}),
        )
        .await;
    }
    // The youngest first, across pages of one; those without a birthday after them.
    let by_birthday = json!({"field": "CUSTOM", "customKey": "birthday", "direction": "DESC"});
    let mut seen = Vec::new();
    let mut after = Value::Null;
    while seen.len() < 3 {
        let d = app
            .ok(&rep, q, json!({"n": 1, "after": after, "o": by_birthday}))
            .await;
        seen.push(d["contacts"]["edges"][0]["node"]["id"].clone());
        after = d["contacts"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, [ids[2].clone(), ids[0].clone(), ids[1].clone()]);
    // Filtered: born before 1995.
    let before = json!({"custom": [{"key": "birthday", "to": "1994-12-31"}]});
    let d = app
        .ok(&rep, q, json!({"n": 10, "f": before, "o": by_birthday}))
        .await;
    let found: Vec<Value> = d["contacts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    assert_eq!(found, [ids[0].clone(), ids[1].clone()]);
    assert_eq!(d["contacts"]["totalCount"], 2);
    // The credit score is the manager's: the rep can neither sort nor filter by it.
    let by_credit = json!({"field": "CUSTOM", "customKey": "credit"});
    let r = app
        .gql(Some(&rep), q, json!({"n": 5, "o": by_credit}))
        .await;
    assert_eq!(fields(&r), ["orderBy.customKey"], "{r}");
    let r = app
        .gql(
            Some(&rep),
            q,
            json!({"n": 5, "f": {"custom": [{"key": "credit", "min": 1}]}}),
        )
        .await;
    assert_eq!(fields(&r), ["filter.custom.0.key"], "{r}");
    let manager = app.login("manager@demo.crm").await;
    let d = app
        .ok(
            &manager,
            q,
            json!({"n": 50, "o": {"field": "CUSTOM", "customKey": "credit", "direction": "DESC"}}),
        )
        .await;
    let first: Vec<Value> = d["contacts"]["edges"].as_array().unwrap()[..3]
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    assert_eq!(first, [ids[2].clone(), ids[0].clone(), ids[1].clone()]);
}

#[tokio::test]
async fn leads_sort_and_filter_by_lead_custom_fields() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    define(
        &app,
        &admin,
        json!({"object": "LEAD", "label": "Budget", "type": "NUMBER", "showInList": true}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"object": "LEAD", "key": "rating", "label": "Rating", "type": "NUMBER",
               "access": [{"roleKey": "sales_manager", "read": true, "write": true}]}),
    )
    .await;
    let q = "query($f: LeadFilter, $o: LeadOrder, $c: CustomFieldOrder, $n: Int, $after: String) { leads(first: $n, after: $after, filter: $f, orderBy: $o, customOrder: $c) { totalCount pageInfo { hasNextPage endCursor } edges { node { id customFields { key value } } } } }";
    let d = app.ok(&rep, q, json!({"n": 3})).await;
    let ids: Vec<Value> = d["leads"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    assert_eq!(ids.len(), 3, "{d}");
    for (id, budget) in ids.iter().zip([5000, 120000, 30000]) {
        app.ok(
            &admin,
            SET,
            json!({"r": id, "v": [{"key": "budget", "value": budget}]}),
        )
        .await;
    }
    // The biggest budget first, a page of one at a time.
    let by_budget = json!({"key": "budget", "direction": "DESC"});
    let mut seen = Vec::new();
    let mut after = Value::Null;
    while seen.len() < 3 {
        let d = app
            .ok(&rep, q, json!({"n": 1, "after": after, "c": by_budget}))
            .await;
        seen.push(d["leads"]["edges"][0]["node"]["id"].clone());
        after = d["leads"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, [ids[1].clone(), ids[2].clone(), ids[0].clone()]);
    // Filtered on it: at least 10,000, the smallest first.
    let d = app
        .ok(
            &rep,
            q,
            json!({"n": 10, "f": {"custom": [{"key": "budget", "min": 10000}]}, "c": {"key": "budget"}}),
        )
        .await;
    let found: Vec<Value> = d["leads"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    assert_eq!(found, [ids[2].clone(), ids[1].clone()]);
    assert_eq!(d["leads"]["totalCount"], 2);
    // Refusals name their field.
    for (vars, field) in [
        (json!({"n": 5, "c": {"key": "rating"}}), "customOrder.key"),
        (json!({"n": 5, "c": {"key": "nosuch"}}), "customOrder.key"),
        (
            json!({"n": 5, "c": {"key": "budget"}, "o": "NAME_ASC"}),
            "customOrder",
        ),
        (
            json!({"n": 5, "f": {"custom": [{"key": "rating", "min": 1}]}}),
            "filter.custom.0.key",
        ),
    ] {
        let r = app.gql(Some(&rep), q, vars).await;
        assert_eq!(fields(&r), [field], "{r}");
    }
    // A cursor of one order is refused by another.
    let r = app
        .gql(
            Some(&rep),
            q,
            json!({"n": 1, "after": after, "o": "NAME_ASC"}),
        )
        .await;
    assert_eq!(fields(&r), ["after"], "{r}");
}

#[tokio::test]
async fn opportunities_sort_by_a_custom_field_across_pages() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    define(
        &app,
        &admin,
        json!({"object": "OPPORTUNITY", "label": "Score", "type": "DECIMAL"}),
    )
    .await;
    let mut ids = Vec::new();
    for (skip, score) in [(0, "7.5"), (1, "12.25"), (2, "-3")] {
        let id = an_opportunity(&app, &admin, skip).await;
        app.ok(
            &admin,
            SET,
            json!({"r": id, "v": [{"key": "score", "value": score}]}),
        )
        .await;
        ids.push(json!(id));
    }
    let q = "query($c: CustomFieldOrder, $after: String, $f: OpportunityListFilter) { opportunities(first: 1, after: $after, customOrder: $c, filter: $f) { pageInfo { endCursor } edges { node { id } } } }";
    let walk = |order: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let mut seen = Vec::new();
            let mut after = Value::Null;
            for _ in 0..3 {
                let d = app
                    .ok(&admin, q, json!({"c": order, "after": after, "f": {"custom": [{"key": "score", "isSet": true}]}}))
                    .await;
                seen.push(d["opportunities"]["edges"][0]["node"]["id"].clone());
                after = d["opportunities"]["pageInfo"]["endCursor"].clone();
            }
            seen
        }
    };
    // By number, not by text: 12.25 after 7.5.
    assert_eq!(
        walk(json!({"key": "score"})).await,
        [ids[2].clone(), ids[0].clone(), ids[1].clone()]
    );
    assert_eq!(
        walk(json!({"key": "score", "direction": "DESC"})).await,
        [ids[1].clone(), ids[0].clone(), ids[2].clone()]
    );
    let r = app
        .gql(Some(&admin), q, json!({"c": {"key": "nosuch"}}))
        .await;
    assert_eq!(fields(&r), ["customOrder.key"], "{r}");
}
