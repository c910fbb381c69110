//! Assignment rules, CSV import, the lead list's cost, filters, order and pages.

use super::*;

// ---------------------------------------------------------------------------------------------
// Assignment rules and import
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn assignment_rules_take_turns_and_route_by_area() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let north = team_id(&app, &admin, "North").await;
    let r = app
        .gql(
            Some(&rep),
            CREATE_RULE,
            json!({"i": {"name": "Mine", "kind": "ROUND_ROBIN", "teamId": north}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    let rr = app
        .ok(
            &admin,
            CREATE_RULE,
            json!({"i": {"name": "North turns", "kind": "ROUND_ROBIN", "teamId": north}}),
        )
        .await["createAssignmentRule"]["assignmentRule"]
        .clone();
    assert_eq!(
        (
            rr["kind"].clone(),
            rr["team"]["name"].clone(),
            rr["active"].clone()
        ),
        (json!("ROUND_ROBIN"), json!("North"), json!(true))
    );
    let d = app
        .ok(&admin, "{ assignmentRules { name } }", json!({}))
        .await;
    assert!(strings(&d["assignmentRules"], "name").contains(&"North turns".to_string()));

    // createLead: the rule's pick, in turns.
    let mut owners = Vec::new();
    for i in 0..4 {
        let l = create_lead(
            &app,
            &admin,
            json!({"surname": format!("Turn{i}"), "assignmentRuleId": rr["id"]}),
        )
        .await;
        owners.push(l["owner"]["email"].as_str().unwrap_or("").to_string());
    }
    assert_eq!(
        owners.iter().cloned().collect::<BTreeSet<_>>(),
        BTreeSet::from(["rep2@demo.crm".to_string(), "rep@demo.crm".to_string()]),
        "{owners:?}"
    );
    assert!(
        owners[0] != owners[1] && owners[0] == owners[2] && owners[1] == owners[3],
        "{owners:?}"
    );
    // An explicit owner wins over the rule.
    let sam = app.user_id(&admin, "rep3@demo.crm").await;
    let l = create_lead(
        &app,
        &admin,
        json!({"surname": "Chosen", "assignmentRuleId": rr["id"], "ownerId": sam}),
    )
    .await;
    assert_eq!(l["owner"]["email"], "rep3@demo.crm");

    // Web forms with the rule take turns too.
    let form = app
        .ok(&admin, CREATE_FORM, json!({"i": {"name": "Turns form", "assignmentRuleId": rr["id"],
            "fields": [{"field": "SURNAME", "required": true}, {"field": "EMAIL", "required": true}]}}))
        .await["createWebForm"]["webForm"]
        .clone();
    let key = form["key"].as_str().unwrap();
    for (s, e) in [
        ("Formturn A", "turn.a@example.com"),
        ("Formturn B", "turn.b@example.com"),
    ] {
        let r = public_post_json(&app, key, json!({"surname": s, "email": e})).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let d = search(&app, &admin, "Formturn").await;
    let form_owners: BTreeSet<String> = d["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["owner"]["email"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        form_owners,
        BTreeSet::from(["rep2@demo.crm".to_string(), "rep@demo.crm".to_string()]),
        "{d}"
    );

    // importLeads applies the rule.
    let d = app
        .ok(&admin, IMPORT, json!({"i": {"csv": "surname,email\nImpturn A,imp.a@example.com\nImpturn B,imp.b@example.com\n", "assignmentRuleId": rr["id"]}}))
        .await;
    let imp: BTreeSet<String> = d["importLeads"]["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["owner"]["email"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        imp,
        BTreeSet::from(["rep2@demo.crm".to_string(), "rep@demo.crm".to_string()]),
        "{d}"
    );

    // BY_AREA: a case-insensitive match, else the fallback owner.
    let rob = app.user_id(&admin, "rep2@demo.crm").await;
    let max = app.user_id(&admin, "manager@demo.crm").await;
    let by_area = app
        .ok(&admin, CREATE_RULE, json!({"i": {"name": "By area", "kind": "BY_AREA",
            "areas": [{"area": "Bavaria", "userId": sam}, {"area": "Texas", "userId": rob}], "fallbackOwnerId": max}}))
        .await["createAssignmentRule"]["assignmentRule"]
        .clone();
    assert_eq!(by_area["fallbackOwner"]["email"], "manager@demo.crm");
    assert_eq!(by_area["areas"].as_array().unwrap().len(), 2);
    for (area, owner) in [
        (json!("bavaria"), "rep3@demo.crm"),
        (json!("Texas"), "rep2@demo.crm"),
        (json!("Mars"), "manager@demo.crm"),
        (Value::Null, "manager@demo.crm"),
    ] {
        let l = create_lead(
            &app,
            &admin,
            json!({"surname": "Areal", "area": area, "assignmentRuleId": by_area["id"]}),
        )
        .await;
        assert_eq!(l["owner"]["email"], owner, "area {area}");
    }
    let d = app
        .ok(&admin, IMPORT, json!({"i": {"csv": "surname,area\nImparea A,TEXAS\nImparea B,Atlantis\n", "assignmentRuleId": by_area["id"]}}))
        .await;
    let owners: Vec<_> = d["importLeads"]["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["surname"].as_str().unwrap().to_string(),
                n["owner"]["email"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        owners,
        [
            ("Imparea A".to_string(), "rep2@demo.crm".to_string()),
            ("Imparea B".to_string(), "manager@demo.crm".to_string())
        ]
    );
}

#[tokio::test]
async fn import_is_all_or_nothing_and_names_the_bad_row() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let list = app
        .ok(&admin, CREATE_LIST, json!({"i": {"name": "Imported"}}))
        .await["createContactList"]["contactList"]
        .clone();
    create_lead(
        &app,
        &admin,
        json!({"surname": "Qalready", "email": "already@there.example"}),
    )
    .await;
    let before = footprint(&app).await;
    let csv = "surname,organizationName,email,area\nQgoodrow,,good@example.com,North\n,,nameless@example.com,South\nWorse,,not-an-e-mail,West\n";
    let r = app
        .gql(
            Some(&admin),
            IMPORT,
            json!({"i": {"csv": csv, "listId": list["id"]}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{r}");
    let got = fields(&r);
    let row_of = |field: &str| {
        got.iter()
            .find_map(|f| {
                let parts: Vec<&str> = f.split('.').collect();
                (parts.len() == 3 && parts[0] == "rows" && parts[2] == field)
                    .then(|| parts[1].parse::<i64>().unwrap())
            })
            .unwrap_or_else(|| panic!("no rows.N.{field} in {got:?}"))
    };
    let nameless = row_of("surname");
    assert!((1..=3).contains(&nameless), "{got:?}");
    assert_eq!(row_of("email"), nameless + 1, "{got:?}");
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(footprint(&app).await, before);
    assert_eq!(search(&app, &admin, "Qgoodrow").await["totalCount"], 0);

    // A good file: every row in, the list filled, a known e-mail counted as a duplicate.
    let csv = "surname,organizationName,email,area\nQfirstrow,\"Smith, Jones & Co\",first@example.com,North\n,Qorgonly Inc,,South\nAgain,,already@there.example,West\n";
    let d = app
        .ok(
            &admin,
            IMPORT,
            json!({"i": {"csv": csv, "listId": list["id"], "source": "campaign"}}),
        )
        .await;
    let p = &d["importLeads"];
    assert_eq!(
        (p["created"].clone(), p["duplicates"].clone()),
        (json!(2), json!(1)),
        "{p}"
    );
    assert_eq!(p["leads"].as_array().unwrap().len(), 2);
    assert!(
        p["leads"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["source"]["key"] == "campaign"
                && strings(&l["contactLists"], "id") == [list["id"].as_str().unwrap()]),
        "{p}"
    );
    let smith = search(&app, &admin, "Smith, Jones").await;
    assert_eq!(smith["nodes"][0]["organizationName"], "Smith, Jones & Co");
    assert_eq!(search(&app, &admin, "Qorgonly").await["totalCount"], 1);
    // The duplicate row is not a second lead; the lead that holds the e-mail joins the list.
    let already = search(&app, &admin, "Qalready").await;
    assert_eq!(already["totalCount"], 1);
    assert_eq!(
        strings(&already["nodes"][0]["contactLists"], "name"),
        ["Imported"]
    );
    let d = app.ok(&admin, LIST, json!({"id": list["id"]})).await;
    assert_eq!(d["contactList"]["memberCount"], 3);
}

// ---------------------------------------------------------------------------------------------
// Cost
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_lead_list_costs_the_same_statements_for_5_or_25_leads() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let list = app
        .ok(&admin, CREATE_LIST, json!({"i": {"name": "Costly"}}))
        .await["createContactList"]["contactList"]
        .clone();
    let mut csv = String::from("foreName,surname,organizationName,email,area\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "Cost,Lead{i:02},Org {i},cost{i}@example.com,North\n"
        ));
    }
    let d = app
        .ok(
            &admin,
            IMPORT,
            json!({"i": {"csv": csv, "listId": list["id"]}}),
        )
        .await;
    assert_eq!(d["importLeads"]["created"], 30);
    let q = format!("query($n: Int) {{ leads(first: $n) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {LEAD} }} }} }} }}");
    app.ok(&manager, &q, json!({"n": 5})).await;
    let s0 = app.statements();
    let small = app.ok(&manager, &q, json!({"n": 5})).await;
    let s1 = app.statements();
    let big = app.ok(&manager, &q, json!({"n": 25})).await;
    let s2 = app.statements();
    assert_eq!(small["leads"]["edges"].as_array().unwrap().len(), 5);
    assert_eq!(big["leads"]["edges"].as_array().unwrap().len(), 25);
    assert!(big["leads"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| !e["node"]["contactLists"].as_array().unwrap().is_empty()));
    assert_eq!(s1 - s0, s2 - s1, "statements for 5 leads vs 25");
    // Authentication is one statement of these; the rest is the list's own work.
    assert!(s2 - s1 <= 15, "{} statements", s2 - s1);
}

#[tokio::test]
async fn the_lead_list_filters_sorts_and_pages() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let d = app
        .ok(
            &admin,
            IMPORT,
            json!({"i": {"csv": "surname,area\nPager Echo,North\nPager Alpha,North\nPager Delta,North\nPager Charlie,North\nPager Bravo,North\n",
                   "source": "referral"}}),
        )
        .await;
    assert_eq!(d["importLeads"]["created"], 5);
    let mine = create_lead(
        &app,
        &rep,
        json!({"surname": "Pager Foxtrot", "source": "phone"}),
    )
    .await;
    let q = "query($f: LeadFilter, $o: LeadOrder, $a: String) { leads(first: 2, after: $a, filter: $f, orderBy: $o) {
        totalCount pageInfo { hasNextPage endCursor } nodes { surname source { key } status owner { email } } } }";
    // By name, page by page: sorted, no repeats, nothing missed.
    let mut names = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let d = app
            .ok(
                &admin,
                q,
                json!({"f": {"search": "pager"}, "o": "NAME_ASC", "a": after}),
            )
            .await;
        assert_eq!(d["leads"]["totalCount"], 6);
        names.extend(strings(&d["leads"]["nodes"], "surname"));
        if d["leads"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = d["leads"]["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_string);
    }
    assert_eq!(
        names,
        [
            "Pager Alpha",
            "Pager Bravo",
            "Pager Charlie",
            "Pager Delta",
            "Pager Echo",
            "Pager Foxtrot"
        ]
    );
    // Newest first by default.
    let d = app.ok(&admin, q, json!({"f": {"search": "pager"}})).await;
    assert_eq!(d["leads"]["nodes"][0]["surname"], "Pager Foxtrot");
    // Sources, owners and statuses narrow the list.
    let d = app
        .ok(
            &admin,
            q,
            json!({"f": {"search": "pager", "sources": ["phone"]}}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 1);
    let rita = app.user_id(&admin, "rep@demo.crm").await;
    let d = app
        .ok(
            &admin,
            q,
            json!({"f": {"search": "pager", "ownerIds": [rita]}}),
        )
        .await;
    assert_eq!(strings(&d["leads"]["nodes"], "surname"), ["Pager Foxtrot"]);
    qualify(&app, &rep, &mine).await;
    let d = app
        .ok(
            &admin,
            q,
            json!({"f": {"search": "pager", "statuses": ["QUALIFIED"]}}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 1);
    let d = app
        .ok(
            &admin,
            q,
            json!({"f": {"search": "pager", "statuses": ["NEW"], "sources": ["referral"]}}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 5);
}
