//! Accounts end to end: the role matrix, the field guard, row scope on every read path,
//! optimistic concurrency, archive/restore, pagination, filters and the change log.

use serde_json::{json, Value};
use tests::{codes, TestApp};

const LIST: &str = "query($f: AccountFilter, $o: AccountOrder, $n: Int, $a: String) {
  accounts(first: $n, after: $a, filter: $f, orderBy: $o) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id code name area version archived annualRevenue { amount currency } owner { displayName } } }
  }
}";

const CREATE: &str = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id code name version owner { email } } } }";
const UPDATE: &str = "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id name version area } } }";
const ARCHIVE: &str = "mutation($i: AccountRefInput!) { archiveAccount(input: $i) { account { id archived version } } }";
const RESTORE: &str = "mutation($i: AccountRefInput!) { restoreAccount(input: $i) { account { id archived version } } }";

/// Finds an account by exact name as the manager (who sees all).
async fn account_by_name(app: &TestApp, manager: &str, name: &str) -> Value {
    let d = app
        .ok(manager, LIST, json!({"f": {"name": {"eq": name}}}))
        .await;
    d["accounts"]["edges"][0]["node"].clone()
}

fn names(v: &Value) -> Vec<String> {
    v["data"]["accounts"]["edges"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["node"]["name"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// One row of the role matrix.
struct Row {
    email: &'static str,
    visible: Option<i64>,
    create: bool,
    update_south: Option<&'static str>,
    revenue: bool,
}

#[tokio::test]
async fn role_matrix_read_create_update_archive() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    // "Initech" is owned by Sam South (rep3, team South).
    let south = account_by_name(&app, &manager, "Initech").await;
    assert_eq!(south["owner"]["displayName"], "Sam South");

    let matrix = [
        Row {
            email: "admin@demo.crm",
            visible: Some(24),
            create: true,
            update_south: None,
            revenue: true,
        },
        Row {
            email: "manager@demo.crm",
            visible: Some(24),
            create: true,
            update_south: None,
            revenue: true,
        },
        Row {
            email: "rep@demo.crm",
            visible: Some(12),
            create: true,
            update_south: Some("NOT_FOUND"),
            revenue: false,
        },
        Row {
            email: "rep3@demo.crm",
            visible: Some(6),
            create: true,
            update_south: None,
            revenue: false,
        },
        Row {
            email: "marketing@demo.crm",
            visible: Some(24),
            create: false,
            update_south: Some("FORBIDDEN"),
            revenue: false,
        },
        Row {
            email: "support@demo.crm",
            visible: Some(24),
            create: false,
            update_south: Some("FORBIDDEN"),
            revenue: false,
        },
        Row {
            email: "readonly@demo.crm",
            visible: Some(24),
            create: false,
            update_south: Some("FORBIDDEN"),
            revenue: false,
        },
        Row {
            email: "partner@demo.crm",
            visible: None,
            create: false,
            update_south: Some("FORBIDDEN"),
            revenue: false,
        },
        Row {
            email: "customer@demo.crm",
            visible: None,
            create: false,
            update_south: Some("FORBIDDEN"),
            revenue: false,
        },
    ];
    // Reads first: the writes below change what each role sees.
    for row in &matrix {
        let token = app.login(row.email).await;
        let who = row.email;

        // Read: totalCount and the list follow the row scope; the guard hides revenue.
        let v = app.gql(Some(&token), LIST, json!({"n": 100})).await;
        match row.visible {
            Some(n) => {
                assert_eq!(v["data"]["accounts"]["totalCount"], n, "{who}: {v}");
                let edges = v["data"]["accounts"]["edges"].as_array().unwrap();
                assert_eq!(edges.len() as i64, n, "{who}");
                let revenue_errors = codes(&v).iter().filter(|c| *c == "FORBIDDEN").count();
                if row.revenue {
                    assert!(v.get("errors").is_none(), "{who}: {v}");
                    assert!(edges
                        .iter()
                        .all(|e| e["node"]["annualRevenue"]["amount"].is_string()));
                } else {
                    assert_eq!(revenue_errors as i64, n, "{who}: one FORBIDDEN per row");
                    for e in v["errors"].as_array().unwrap() {
                        assert_eq!(
                            e["path"].as_array().unwrap().last().unwrap(),
                            "annualRevenue"
                        );
                    }
                    // Present as null, not left out.
                    assert!(edges
                        .iter()
                        .all(|e| e["node"].get("annualRevenue") == Some(&Value::Null)));
                    // The rest of each record still resolves.
                    assert!(edges.iter().all(|e| e["node"]["name"].is_string()));
                }
            }
            None => {
                assert_eq!(codes(&v), vec!["FORBIDDEN"], "{who}: {v}");
                assert!(v["data"].is_null());
            }
        }
    }
    for row in &matrix {
        let token = app.login(row.email).await;
        let who = row.email;
        // Create.
        let before = app.count_rows("parties").await;
        let v = app
            .gql(
                Some(&token),
                CREATE,
                json!({"i": {"name": format!("Made by {who}")}}),
            )
            .await;
        if row.create {
            assert!(v.get("errors").is_none(), "{who}: {v}");
            assert_eq!(v["data"]["createAccount"]["account"]["owner"]["email"], who);
            assert_eq!(app.count_rows("parties").await, before + 1);
        } else {
            assert_eq!(codes(&v), vec!["FORBIDDEN"], "{who}: {v}");
            assert_eq!(app.count_rows("parties").await, before);
        }

        // Update another team's account.
        let current = account_by_name(&app, &manager, "Initech").await;
        let v = app
            .gql(
                Some(&token),
                UPDATE,
                json!({"i": {"id": current["id"], "version": current["version"], "area": format!("Area of {who}")}}),
            )
            .await;
        match row.update_south {
            None => assert!(v.get("errors").is_none(), "{who}: {v}"),
            Some(code) => {
                assert_eq!(codes(&v), vec![code], "{who}: {v}");
                let after = account_by_name(&app, &manager, "Initech").await;
                assert_eq!(
                    after["version"], current["version"],
                    "{who} changed nothing"
                );
            }
        }
    }
}

#[tokio::test]
async fn row_scope_applies_to_node_account_and_counts() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let south = account_by_name(&app, &manager, "Initech").await;
    let own = account_by_name(&app, &manager, "Acme Corporation").await;

    for (id, visible) in [(&south["id"], false), (&own["id"], true)] {
        let v = app
            .ok(
                &rep,
                "query($id: ID!) { node(id: $id) { id ... on Account { name } } account(id: $id) { id name } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(!v["node"].is_null(), visible, "{v}");
        assert_eq!(!v["account"].is_null(), visible, "{v}");
    }
    // Filtering for the invisible account by name finds nothing and counts nothing.
    let v = app
        .ok(&rep, LIST, json!({"f": {"name": {"eq": "Initech"}}}))
        .await;
    assert_eq!(v["accounts"]["totalCount"], 0);
    assert_eq!(v["accounts"]["edges"].as_array().unwrap().len(), 0);
    // Garbage ids are simply not found.
    let v = app
        .ok(&rep, "{ node(id: \"bm9wZQ\") { id } }", json!({}))
        .await;
    assert!(v["node"].is_null());
}

#[tokio::test]
async fn create_validates_every_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let before = (
        app.count_rows("parties").await,
        app.count_rows("change_log").await,
    );
    let v = app
        .gql(
            Some(&admin),
            CREATE,
            json!({"i": {
                "name": "   ",
                "code": "bad code!",
                "email": "not-an-email",
                "phone": "12",
                "website": "ftp://x.y",
                "annualRevenue": {"amount": "-5", "currency": "EURO"},
                "ownerId": "nonsense"
            }}),
        )
        .await;
    // The owner id is checked first (it cannot be decoded at all).
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    let v = app
        .gql(
            Some(&admin),
            CREATE,
            json!({"i": {
                "name": "   ",
                "code": "bad code!",
                "email": "not-an-email",
                "phone": "12",
                "website": "ftp://x.y",
                "annualRevenue": {"amount": "-5", "currency": "EURO"}
            }}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    let fields: Vec<&str> = v["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec![
            "name",
            "code",
            "website",
            "email",
            "phone",
            "annualRevenue.amount",
            "annualRevenue.currency"
        ]
    );
    // A duplicate code is refused on its field.
    let v = app
        .gql(
            Some(&admin),
            CREATE,
            json!({"i": {"name": "Dup", "code": "A-000001"}}),
        )
        .await;
    assert_eq!(
        v["errors"][0]["extensions"]["fields"][0]["field"], "code",
        "{v}"
    );
    assert_eq!(
        (
            app.count_rows("parties").await,
            app.count_rows("change_log").await
        ),
        before
    );

    // A valid create normalises its input and logs the change.
    let v = app
        .ok(
            &admin,
            "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { code email phone website annualRevenue { amount currency } } } }",
            json!({"i": {"name": "Northwind", "email": " Sales@Northwind.EXAMPLE ", "phone": "+49 (30) 123-4567",
                          "website": "northwind.example", "annualRevenue": {"amount": "1000.5", "currency": "eur"}}}),
        )
        .await;
    let a = &v["createAccount"]["account"];
    // An e-mail keeps the case it was entered with (trimmed).
    assert_eq!(a["email"], "Sales@Northwind.EXAMPLE");
    assert_eq!(a["phone"], "+49301234567");
    assert_eq!(a["website"], "https://northwind.example");
    assert_eq!(
        a["annualRevenue"],
        json!({"amount": "1000.50", "currency": "EUR"})
    );
    assert_eq!(a["code"], "A-000025");
    assert_eq!(app.count_rows("change_log").await, before.1 + 1);
}

#[tokio::test]
async fn reps_may_not_write_revenue_or_assign_outside_their_team() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let before = app.count_rows("parties").await;
    let v = app
        .gql(
            Some(&rep),
            CREATE,
            json!({"i": {"name": "Rich Co", "annualRevenue": {"amount": "5", "currency": "EUR"}}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    // Sam South is not in Rita's team.
    let sam = app
        .ok(
            &manager,
            "{ users(first: 100) { edges { node { id email } } } }",
            json!({}),
        )
        .await["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["email"] == "rep3@demo.crm")
        .unwrap()["node"]["id"]
        .clone();
    let v = app
        .gql(
            Some(&rep),
            CREATE,
            json!({"i": {"name": "Far Co", "ownerId": sam}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    assert_eq!(app.count_rows("parties").await, before);
}

#[tokio::test]
async fn stale_version_conflicts_and_concurrent_updates_lose_nothing() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let acme = account_by_name(&app, &manager, "Acme Corporation").await;
    let v1 = acme["version"].as_i64().unwrap();

    let ok = app
        .ok(
            &manager,
            UPDATE,
            json!({"i": {"id": acme["id"], "version": v1, "name": "Acme Corp"}}),
        )
        .await;
    assert_eq!(ok["updateAccount"]["account"]["version"], v1 + 1);

    let stale = app
        .gql(
            Some(&manager),
            UPDATE,
            json!({"i": {"id": acme["id"], "version": v1, "name": "Lost update"}}),
        )
        .await;
    assert_eq!(codes(&stale), vec!["CONFLICT"], "{stale}");
    assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], v1 + 1);

    // Two writers with the same version at once: exactly one wins.
    let v2 = v1 + 1;
    let (a, b) = tokio::join!(
        app.gql(
            Some(&manager),
            UPDATE,
            json!({"i": {"id": acme["id"], "version": v2, "area": "A"}})
        ),
        app.gql(
            Some(&manager),
            UPDATE,
            json!({"i": {"id": acme["id"], "version": v2, "area": "B"}})
        ),
    );
    let outcomes = [codes(&a), codes(&b)];
    assert_eq!(
        outcomes.iter().filter(|c| c.is_empty()).count(),
        1,
        "{a} {b}"
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|c| *c == &vec!["CONFLICT".to_string()])
            .count(),
        1,
        "{a} {b}"
    );
    let winner = if codes(&a).is_empty() { &a } else { &b };
    let now = account_by_name(&app, &manager, "Acme Corp").await;
    assert_eq!(
        now["area"],
        winner["data"]["updateAccount"]["account"]["area"]
    );
    assert_eq!(now["version"], v2 + 1);
}

#[tokio::test]
async fn archive_hides_restore_returns_and_the_change_log_records_it() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let acme = account_by_name(
        &app,
        &app.login("manager@demo.crm").await,
        "Acme Corporation",
    )
    .await;
    let log_before = app.count_rows("change_log").await;

    let v = app
        .ok(
            &rep,
            ARCHIVE,
            json!({"i": {"id": acme["id"], "version": acme["version"]}}),
        )
        .await;
    let archived = &v["archiveAccount"]["account"];
    assert_eq!(archived["archived"], true);
    let list = app.gql(Some(&rep), LIST, json!({"n": 100})).await;
    assert!(!names(&list).contains(&"Acme Corporation".to_string()));
    assert_eq!(list["data"]["accounts"]["totalCount"], 11);
    let only_archived = app
        .gql(Some(&rep), LIST, json!({"f": {"archived": true}}))
        .await;
    assert_eq!(names(&only_archived), vec!["Acme Corporation"]);

    // Archiving twice is a clear error.
    let again = app
        .gql(
            Some(&rep),
            ARCHIVE,
            json!({"i": {"id": acme["id"], "version": archived["version"]}}),
        )
        .await;
    assert_eq!(codes(&again), vec!["BAD_USER_INPUT"]);

    let v = app
        .ok(
            &rep,
            RESTORE,
            json!({"i": {"id": acme["id"], "version": archived["version"]}}),
        )
        .await;
    assert_eq!(v["restoreAccount"]["account"]["archived"], false);
    assert_eq!(app.count_rows("change_log").await, log_before + 2);

    // The change log holds who, what and before/after.
    use sea_orm::{EntityTrait, QueryOrder};
    let last = entity::change_log::Entity::find()
        .order_by_desc(entity::change_log::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.action, "restore");
    assert_eq!(last.object_type, "account");
    assert!(last.actor_id.is_some());
    assert_eq!(
        last.changes,
        json!({"archived": {"before": true, "after": false}})
    );
}

#[tokio::test]
async fn update_logs_before_and_after_of_changed_fields_only() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let acme = account_by_name(&app, &manager, "Acme Corporation").await;
    app.ok(
        &manager,
        UPDATE,
        json!({"i": {"id": acme["id"], "version": acme["version"], "name": "Acme Ltd", "area": "North", "industry": ""}}),
    )
    .await;
    use sea_orm::{EntityTrait, QueryOrder};
    let last = entity::change_log::Entity::find()
        .order_by_desc(entity::change_log::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.action, "update");
    assert_eq!(
        last.changes,
        json!({
            "name": {"before": "Acme Corporation", "after": "Acme Ltd"},
            "industry": {"before": "Manufacturing", "after": null}
        })
    );
}

#[tokio::test]
async fn keyset_pages_cover_everything_once_in_every_order() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    for (field, direction) in [
        ("NAME", "ASC"),
        ("CODE", "DESC"),
        ("AREA", "ASC"),
        ("INDUSTRY", "DESC"),
        ("CREATED_AT", "ASC"),
        ("UPDATED_AT", "DESC"),
    ] {
        let mut after: Option<String> = None;
        let mut seen: Vec<String> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        loop {
            let d = app
                .ok(
                    &admin,
                    LIST,
                    json!({"n": 5, "a": after, "o": {"field": field, "direction": direction}}),
                )
                .await;
            let conn = &d["accounts"];
            for e in conn["edges"].as_array().unwrap() {
                seen.push(e["node"]["id"].as_str().unwrap().to_string());
                keys.push(match field {
                    "NAME" => e["node"]["name"].as_str().unwrap().to_lowercase(),
                    "CODE" => e["node"]["code"].as_str().unwrap().to_string(),
                    "AREA" => e["node"]["area"].as_str().unwrap_or("").to_string(),
                    _ => String::new(),
                });
            }
            if conn["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = conn["pageInfo"]["endCursor"].as_str().map(str::to_string);
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(seen.len(), 24, "{field} {direction}");
        assert_eq!(unique.len(), 24, "{field} {direction}: no row twice");
        let mut sorted = keys.clone();
        sorted.sort();
        if direction == "DESC" {
            sorted.reverse();
        }
        if !keys.iter().all(String::is_empty) {
            assert_eq!(keys, sorted, "{field} {direction} is ordered");
        }
    }
    // A cursor of another ordering, or garbage, is refused.
    let d = app.ok(&admin, LIST, json!({"n": 5})).await;
    let cursor = d["accounts"]["pageInfo"]["endCursor"].clone();
    let v = app
        .gql(
            Some(&admin),
            LIST,
            json!({"n": 5, "a": cursor, "o": {"field": "CODE"}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
    let v = app.gql(Some(&admin), LIST, json!({"n": 101})).await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
}

#[tokio::test]
async fn filters_search_and_combine() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let n = |v: Value| v["accounts"]["totalCount"].as_i64().unwrap();
    assert_eq!(
        n(app.ok(&admin, LIST, json!({"f": {"search": "ACME"}})).await),
        1
    );
    assert_eq!(
        n(app
            .ok(&admin, LIST, json!({"f": {"search": "a-00001"}}))
            .await),
        10
    );
    assert_eq!(
        n(app
            .ok(&admin, LIST, json!({"f": {"area": {"eq": "West"}}}))
            .await),
        5
    );
    assert_eq!(
        n(app
            .ok(
                &admin,
                LIST,
                json!({"f": {"or": [{"area": {"eq": "West"}}, {"area": {"eq": "East"}}]}})
            )
            .await),
        11
    );
    assert_eq!(
        n(app.ok(&admin, LIST, json!({"f": {"industry": {"eq": "Software"}, "not": {"name": {"startsWith": "pied"}}}})).await),
        2
    );
    // LIKE wildcards in user text are literal.
    assert_eq!(
        n(app.ok(&admin, LIST, json!({"f": {"search": "%"}})).await),
        0
    );
    assert_eq!(
        n(app
            .ok(
                &admin,
                LIST,
                json!({"f": {"name": {"in": ["Hooli", "Globex"]}}})
            )
            .await),
        2
    );
}

const OWNERS: &str =
    "{ accounts(first: 100) { edges { node { id name version archived owner { email } } } } }";
const REASSIGN: &str = "mutation($i: ReassignAccountsInput!) { reassignAccounts(input: $i) { accounts { id version owner { email } } } }";
const ARCHIVE_MANY: &str = "mutation($i: ArchiveAccountsInput!) { archiveAccounts(input: $i) { accounts { id archived version } } }";

/// Every account as the manager sees it: `(id, name, version, archived, owner e-mail)`.
async fn owned(app: &TestApp, manager: &str) -> Vec<(String, String, i64, bool, String)> {
    app.ok(manager, OWNERS, json!({})).await["accounts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["id"].as_str().unwrap().to_string(),
                n["name"].as_str().unwrap().to_string(),
                n["version"].as_i64().unwrap(),
                n["archived"].as_bool().unwrap(),
                n["owner"]["email"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn first_field(v: &Value) -> &str {
    v["errors"][0]["extensions"]["fields"][0]["field"]
        .as_str()
        .unwrap_or("")
}

#[tokio::test]
async fn bulk_reassign_is_all_or_nothing_and_follows_the_role() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let reader = app.login("readonly@demo.crm").await;
    let rob = app.user_id(&manager, "rep2@demo.crm").await;
    let sam = app.user_id(&manager, "rep3@demo.crm").await;
    let before = owned(&app, &manager).await;
    let ritas: Vec<_> = before
        .iter()
        .filter(|a| a.4 == "rep@demo.crm")
        .take(3)
        .collect();
    assert_eq!(ritas.len(), 3, "the demo gives Rita three accounts or more");
    let south = before.iter().find(|a| a.4 == "rep3@demo.crm").unwrap();
    let ids: Vec<&str> = ritas.iter().map(|a| a.0.as_str()).collect();
    let log_before = app.count_rows("change_log").await;

    // The read-only role may not; nothing changes.
    let v = app
        .gql(
            Some(&reader),
            REASSIGN,
            json!({"i": {"ids": ids, "ownerId": rob}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    // A rep naming an account outside their team: the error names it, and the three before it
    // stay Rita's.
    let mut with_south = ids.clone();
    with_south.push(&south.0);
    let v = app
        .gql(
            Some(&rep),
            REASSIGN,
            json!({"i": {"ids": with_south, "ownerId": rob}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    assert_eq!(first_field(&v), "ids.3", "{v}");
    // A rep giving their accounts to someone outside their team reach.
    let v = app
        .gql(
            Some(&rep),
            REASSIGN,
            json!({"i": {"ids": ids, "ownerId": sam}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    // Nothing named, and a name that is not an id.
    let v = app
        .gql(
            Some(&manager),
            REASSIGN,
            json!({"i": {"ids": [], "ownerId": rob}}),
        )
        .await;
    assert_eq!(first_field(&v), "ids", "{v}");
    let v = app
        .gql(
            Some(&manager),
            REASSIGN,
            json!({"i": {"ids": [ids[0], "nonsense"], "ownerId": rob}}),
        )
        .await;
    assert_eq!(first_field(&v), "ids.1", "{v}");
    assert_eq!(
        owned(&app, &manager).await,
        before,
        "a refused bulk change changes nothing"
    );
    assert_eq!(app.count_rows("change_log").await, log_before);

    // The rep gives three of theirs to a team-mate (one named twice): each gets a new version
    // and a change-log entry.
    let mut twice = ids.clone();
    twice.push(ids[0]);
    let d = app
        .ok(&rep, REASSIGN, json!({"i": {"ids": twice, "ownerId": rob}}))
        .await;
    let done = d["reassignAccounts"]["accounts"].as_array().unwrap();
    assert_eq!(done.len(), 3);
    for (a, was) in done.iter().zip(&ritas) {
        assert_eq!(a["id"], was.0.as_str());
        assert_eq!(a["owner"]["email"], "rep2@demo.crm");
        assert_eq!(a["version"].as_i64().unwrap(), was.2 + 1);
    }
    assert_eq!(app.count_rows("change_log").await, log_before + 3);
    // Again: they already have that owner, so nothing is written.
    app.ok(
        &manager,
        REASSIGN,
        json!({"i": {"ids": ids, "ownerId": rob}}),
    )
    .await;
    assert_eq!(app.count_rows("change_log").await, log_before + 3);
}

#[tokio::test]
async fn bulk_archive_hides_every_named_account_or_none() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let rep3 = app.login("rep3@demo.crm").await;
    let before = owned(&app, &manager).await;
    let south: Vec<&str> = before
        .iter()
        .filter(|a| a.4 == "rep3@demo.crm")
        .map(|a| a.0.as_str())
        .take(2)
        .collect();
    let north = before.iter().find(|a| a.4 == "rep@demo.crm").unwrap();
    // Sam may archive his own, not a North account: nothing is archived.
    let v = app
        .gql(
            Some(&rep3),
            ARCHIVE_MANY,
            json!({"i": {"ids": [south[0], north.0]}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    assert_eq!(first_field(&v), "ids.1");
    assert_eq!(owned(&app, &manager).await, before);
    // His two: both archived, gone from the default list.
    let d = app
        .ok(&rep3, ARCHIVE_MANY, json!({"i": {"ids": south}}))
        .await;
    for a in d["archiveAccounts"]["accounts"].as_array().unwrap() {
        assert_eq!(a["archived"], true);
    }
    let v = app.gql(Some(&manager), LIST, json!({"n": 100})).await;
    let listed = names(&v);
    for id in &south {
        let name = &before.iter().find(|a| a.0 == *id).unwrap().1;
        assert!(!listed.contains(name), "{name} is archived: {listed:?}");
    }
}
