//! Leads: capture, update, status and archive; row scope and the role matrix.

use super::*;

// ---------------------------------------------------------------------------------------------
// Capture, update, status and archive
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn leads_are_created_updated_qualified_and_archived() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let rep2 = app.login("rep2@demo.crm").await;
    let person = create_lead(
        &app,
        &rep,
        json!({"foreName": "Ada", "surname": "Lovelace", "organizationName": "Analytical Engines",
               "jobTitle": "CTO", "email": "ada@engines.example", "area": "North", "source": "trade_show"}),
    )
    .await;
    assert!(
        person["code"].as_str().unwrap().starts_with("L-"),
        "{person}"
    );
    assert_eq!(person["displayName"], "Ada Lovelace");
    assert_eq!(person["organizationName"], "Analytical Engines");
    assert_eq!(person["email"], "ada@engines.example");
    assert_eq!(person["source"]["key"], "trade_show");
    assert_eq!(person["source"]["label"], "Trade show");
    assert_eq!(person["status"], "NEW");
    assert_eq!(
        person["owner"]["email"], "rep@demo.crm",
        "the caller owns it"
    );
    assert_eq!(
        (person["version"].clone(), person["archived"].clone()),
        (json!(1), json!(false))
    );
    assert!(person["convertedAt"].is_null() && person["convertedAccount"].is_null());

    let org = create_lead(&app, &rep, json!({"organizationName": "Bare Org Ltd"})).await;
    assert_eq!(org["displayName"], "Bare Org Ltd");
    assert!(org["surname"].is_null());
    assert_eq!(org["source"]["key"], "other", "the default source");
    assert_ne!(org["code"], person["code"]);

    // Bad input names the field and writes nothing.
    let before = footprint(&app).await;
    let r = try_create_lead(
        &app,
        &rep,
        json!({"jobTitle": "Nobody", "email": "x@y.example"}),
    )
    .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{r}");
    assert!(fields(&r).contains(&"surname".to_string()), "{r}");
    let r = try_create_lead(
        &app,
        &rep,
        json!({"surname": "Mailless", "email": "not-an-e-mail"}),
    )
    .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{r}");
    assert_eq!(fields(&r), ["email"]);
    let r = try_create_lead(&app, &rep, json!({"surname": "x".repeat(101)})).await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{r}");
    assert!(
        !fields(&r).is_empty() && fields(&r).iter().all(|f| f == "surname"),
        "{r}"
    );
    assert_eq!(footprint(&app).await, before);
    assert_eq!(search(&app, &rep, "Mailless").await["totalCount"], 0);

    // Updates carry the version; a stale one is a conflict.
    let d = app
        .ok(&rep, UPDATE, json!({"i": {"id": person["id"], "version": 1, "jobTitle": "CEO", "status": "CONTACTED"}}))
        .await;
    let u = &d["updateLead"]["lead"];
    assert_eq!(
        (
            u["version"].clone(),
            u["status"].clone(),
            u["jobTitle"].clone()
        ),
        (json!(2), json!("CONTACTED"), json!("CEO"))
    );
    let r = app
        .gql(
            Some(&rep),
            UPDATE,
            json!({"i": {"id": person["id"], "version": 1, "jobTitle": "CFO"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["CONFLICT"]);
    assert_eq!(r["errors"][0]["extensions"]["currentVersion"], 2);
    // "" clears a field, absent leaves it.
    let d = app
        .ok(
            &rep,
            UPDATE,
            json!({"i": {"id": person["id"], "version": 2, "jobTitle": ""}}),
        )
        .await;
    assert!(d["updateLead"]["lead"]["jobTitle"].is_null());
    let now = lead(&app, &rep, &person["id"]).await;
    assert_eq!(
        (
            now["version"].clone(),
            now["jobTitle"].clone(),
            now["surname"].clone()
        ),
        (json!(3), Value::Null, json!("Lovelace"))
    );

    // Disqualifying needs a reason; CONVERTED only comes from convertLead.
    let r = app
        .gql(
            Some(&rep),
            UPDATE,
            json!({"i": {"id": person["id"], "version": 3, "status": "DISQUALIFIED"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{r}");
    assert_eq!(fields(&r), ["statusReason"]);
    let r = app
        .gql(
            Some(&rep),
            UPDATE,
            json!({"i": {"id": person["id"], "version": 3, "status": "CONVERTED"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{r}");
    assert_eq!(lead(&app, &rep, &person["id"]).await["status"], "CONTACTED");
    let d = app
        .ok(&rep, UPDATE, json!({"i": {"id": person["id"], "version": 3, "status": "DISQUALIFIED", "statusReason": "No budget"}}))
        .await;
    assert_eq!(d["updateLead"]["lead"]["status"], "DISQUALIFIED");
    assert_eq!(d["updateLead"]["lead"]["statusReason"], "No budget");

    // Archiving hides the lead from the default list; a rep archives only their own leads.
    let archive = "mutation($i: SetLeadArchivedInput!) { setLeadArchived(input: $i) { lead { id archived version } } }";
    let d = app
        .ok(
            &rep,
            archive,
            json!({"i": {"id": org["id"], "version": 1, "archived": true}}),
        )
        .await;
    assert_eq!(d["setLeadArchived"]["lead"]["archived"], true);
    let listed = |incl: bool| {
        let app = &app;
        let rep = &rep;
        async move {
            let d = app
                .ok(rep, "query($a: Boolean) { leads(first: 100, filter: {search: \"Bare Org\", includeArchived: $a}) { totalCount nodes { id } } }", json!({"a": incl}))
                .await;
            d["leads"]["totalCount"].as_i64().unwrap()
        }
    };
    assert_eq!(listed(false).await, 0);
    assert_eq!(listed(true).await, 1);
    let robs = create_lead(&app, &rep2, json!({"surname": "Robsown"})).await;
    let r = app
        .gql(
            Some(&rep),
            archive,
            json!({"i": {"id": robs["id"], "version": 1, "archived": true}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"], "{r}");
    assert_eq!(lead(&app, &rep2, &robs["id"]).await["archived"], false);
}

// ---------------------------------------------------------------------------------------------
// Row scope and the role matrix
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn leads_follow_row_scope_and_the_role_matrix() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let rep2 = app.login("rep2@demo.crm").await;
    let south = app.login("rep3@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let read_only = app.login("readonly@demo.crm").await;
    let support = app.login("support@demo.crm").await;
    let marketing = app.login("marketing@demo.crm").await;
    let rita = create_lead(
        &app,
        &rep,
        json!({"surname": "Zyxwrita", "email": "rita@scope.example"}),
    )
    .await;
    let rob = create_lead(
        &app,
        &rep2,
        json!({"surname": "Zyxwrob", "email": "rob@scope.example"}),
    )
    .await;
    let sam = create_lead(
        &app,
        &south,
        json!({"surname": "Zyxwsam", "email": "sam@scope.example"}),
    )
    .await;

    // The rep sees their own and the team's, not the South rep's: in search, count, lead and node.
    let mine = search(&app, &rep, "zyxw").await;
    assert_eq!(mine["totalCount"], 2);
    let names: BTreeSet<String> = strings(&mine["nodes"], "surname").into_iter().collect();
    assert_eq!(
        names,
        BTreeSet::from(["Zyxwrita".to_string(), "Zyxwrob".to_string()])
    );
    let q = "query($a: ID!, $b: ID!) { a: lead(id: $a) { id } b: lead(id: $b) { id } na: node(id: $a) { id } nb: node(id: $b) { id } }";
    let d = app
        .ok(&rep, q, json!({"a": rob["id"], "b": sam["id"]}))
        .await;
    assert_eq!(d["a"]["id"], rob["id"]);
    assert_eq!(d["na"]["id"], rob["id"]);
    assert!(d["b"].is_null() && d["nb"].is_null(), "{d}");
    // Every lead in the rep's unfiltered list belongs to the North team; the total agrees.
    let all = app
        .ok(
            &rep,
            "{ leads(first: 100) { totalCount nodes { id owner { email } } } }",
            json!({}),
        )
        .await;
    let nodes = all["leads"]["nodes"].as_array().unwrap();
    assert_eq!(all["leads"]["totalCount"], json!(nodes.len()));
    assert!(
        nodes
            .iter()
            .all(|n| ["rep@demo.crm", "rep2@demo.crm", "manager@demo.crm"]
                .contains(&n["owner"]["email"].as_str().unwrap_or(""))),
        "{nodes:?}"
    );
    assert!(!nodes.iter().any(|n| n["id"] == sam["id"]));
    let everyone = app
        .ok(&manager, "{ leads(first: 100) { totalCount } }", json!({}))
        .await;
    assert!(everyone["leads"]["totalCount"].as_i64().unwrap() > nodes.len() as i64);
    // Nor can the rep change it.
    let r = app
        .gql(
            Some(&rep),
            UPDATE,
            json!({"i": {"id": sam["id"], "version": 1, "jobTitle": "Spy"}}),
        )
        .await;
    let c = codes(&r);
    assert!(c == ["NOT_FOUND"] || c == ["FORBIDDEN"], "{r}");
    assert!(lead(&app, &south, &sam["id"]).await["jobTitle"].is_null());

    // Read-only reads every lead without contact data, and creates none.
    let r = app
        .gql(Some(&read_only), "{ leads(first: 100, filter: {search: \"zyxw\"}) { totalCount nodes { surname email } } }", json!({}))
        .await;
    assert_eq!(r["data"]["leads"]["totalCount"], 3);
    let ro_nodes = r["data"]["leads"]["nodes"].as_array().unwrap();
    assert!(ro_nodes
        .iter()
        .all(|n| n["email"].is_null() && n["surname"].is_string()));
    let errs = r["errors"].as_array().unwrap();
    assert_eq!(errs.len(), 3, "{r}");
    assert!(
        errs.iter().all(|e| e["extensions"]["code"] == "FORBIDDEN"
            && e["path"].as_array().unwrap().last() == Some(&json!("email"))),
        "{r}"
    );
    let r = try_create_lead(&app, &read_only, json!({"surname": "Nope"})).await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    let r = app
        .gql(
            Some(&read_only),
            UPDATE,
            json!({"i": {"id": rita["id"], "version": 1, "jobTitle": "Reader"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    let r = app
        .gql(
            Some(&read_only),
            "query($id: ID!) { node(id: $id) { ... on Lead { surname email } } }",
            json!({"id": rita["id"]}),
        )
        .await;
    assert_eq!(r["data"]["node"]["surname"], "Zyxwrita");
    assert!(r["data"]["node"]["email"].is_null());
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    // Support reads all, e-mail included; marketing creates.
    let d = app
        .ok(
            &support,
            "{ leads(filter: {search: \"zyxw\"}) { totalCount nodes { email } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 3);
    let emails: BTreeSet<String> = strings(&d["leads"]["nodes"], "email").into_iter().collect();
    assert_eq!(
        emails,
        BTreeSet::from([
            "rita@scope.example".to_string(),
            "rob@scope.example".to_string(),
            "sam@scope.example".to_string()
        ])
    );
    let m = create_lead(
        &app,
        &marketing,
        json!({"organizationName": "Zyxw Marketing Find"}),
    )
    .await;
    assert_eq!(m["owner"]["email"], "marketing@demo.crm");
    // Partners and customers get nothing.
    for who in ["partner@demo.crm", "customer@demo.crm"] {
        let t = app.login(who).await;
        let r = app
            .gql(Some(&t), "{ leads { totalCount } }", json!({}))
            .await;
        assert_eq!(codes(&r), vec!["FORBIDDEN"], "{who}: {r}");
        let r = app
            .gql(
                Some(&t),
                "query($id: ID!) { lead(id: $id) { surname } }",
                json!({"id": rita["id"]}),
            )
            .await;
        assert!(
            r["data"].is_null() || r["data"]["lead"].is_null(),
            "{who}: {r}"
        );
        assert!(!codes(&r).is_empty(), "{who}: {r}");
    }
}

#[tokio::test]
async fn erasing_a_lead_clears_its_free_text_too() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let l = create_lead(
        &app,
        &admin,
        json!({"foreName": "Eva", "surname": "Private", "jobTitle": "Night nurse",
               "description": "Call her at home after 8 pm", "email": "eva@private.example"}),
    )
    .await;
    let party = app
        .ok(
            &admin,
            "query($id: ID!) { party(id: $id) { ... on Person { id version } } }",
            json!({"id": l["id"]}),
        )
        .await["party"]
        .clone();
    app.ok(
        &admin,
        "mutation($i: PartyRefInput!) { erasePersonalData(input: $i) { party { status } } }",
        json!({"i": {"id": party["id"], "version": party["version"]}}),
    )
    .await;
    let after = app
        .ok(
            &admin,
            "query($id: ID!) { lead(id: $id) { displayName jobTitle description email archived } }",
            json!({"id": l["id"]}),
        )
        .await["lead"]
        .clone();
    assert_eq!(
        after,
        json!({"displayName": "Erased Person", "jobTitle": null, "description": null,
               "email": null, "archived": true}),
        "nothing personal is left on the lead"
    );
}

// ---------------------------------------------------------------------------------------------
// Lead sources: a pick-list administrators extend
// ---------------------------------------------------------------------------------------------

const ADD_VALUE: &str = "mutation($l: PicklistKey!, $label: String!) { addPicklistValue(list: $l, label: $label) { id key label } }";

async fn source_keys(app: &TestApp, token: &str) -> Vec<String> {
    app.picklist_keys(token, "LEAD_SOURCE").await
}

#[tokio::test]
async fn lead_sources_are_a_pick_list_that_leads_forms_imports_and_deals_obey() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;

    // Every installation starts with the sources it always had; anyone signed in reads them.
    assert_eq!(
        source_keys(&app, &rep).await,
        [
            "web_form",
            "campaign",
            "trade_show",
            "direct_mail",
            "referral",
            "phone",
            "other"
        ]
    );
    // An administrator adds one; a rep may not.
    let refused = app
        .gql(
            Some(&rep),
            ADD_VALUE,
            json!({"l": "LEAD_SOURCE", "label": "Podcast"}),
        )
        .await;
    assert_eq!(codes(&refused), ["FORBIDDEN"], "{refused}");
    let webinar = app
        .ok(
            &admin,
            ADD_VALUE,
            json!({"l": "LEAD_SOURCE", "label": "Webinar"}),
        )
        .await["addPicklistValue"]
        .clone();
    assert_eq!(webinar["key"], "webinar");
    assert!(source_keys(&app, &rep)
        .await
        .contains(&"webinar".to_string()));

    // Leads take it, and the list filters by it.
    let l = create_lead(
        &app,
        &rep,
        json!({"foreName": "Sam", "surname": "Sourcewell", "organizationName": "Sourcewell Media", "source": "webinar"}),
    )
    .await;
    assert_eq!(l["source"], json!({"key": "webinar", "label": "Webinar"}));
    let q = "query($s: [String!]) { leads(first: 50, filter: {search: \"sourcewell\", sources: $s}) { totalCount } }";
    let n = |d: Value| d["leads"]["totalCount"].clone();
    assert_eq!(n(app.ok(&rep, q, json!({"s": ["webinar"]})).await), 1);
    assert_eq!(n(app.ok(&rep, q, json!({"s": ["referral"]})).await), 0);

    // A key outside the list is refused on its field, and nothing is written.
    let leads_before = app.count_rows("leads").await;
    let bad = try_create_lead(
        &app,
        &rep,
        json!({"surname": "Nowhere", "source": "podcast"}),
    )
    .await;
    assert_eq!(fields(&bad), ["source"], "{bad}");
    let bad = try_create_lead(
        &app,
        &rep,
        json!({"surname": "Nowhere", "source": "Not A Key"}),
    )
    .await;
    assert_eq!(fields(&bad), ["source"], "{bad}");
    let bad_import = app
        .gql(
            Some(&rep),
            IMPORT,
            json!({"i": {"csv": "surname\nImported One\n", "source": "podcast"}}),
        )
        .await;
    assert_eq!(fields(&bad_import), ["source"], "{bad_import}");
    let bad_form = app
        .gql(
            Some(&admin),
            CREATE_FORM,
            json!({"i": {"name": "Podcast form", "source": "podcast",
                   "fields": [{"field": "SURNAME", "required": true}]}}),
        )
        .await;
    assert_eq!(fields(&bad_form), ["source"], "{bad_form}");
    assert_eq!(app.count_rows("leads").await, leads_before);

    // Archived, it is offered no more, but the lead keeps it, saves, and converts with it.
    app.ok(
        &admin,
        "mutation($id: ID!) { archivePicklistValue(id: $id) { archived } }",
        json!({"id": webinar["id"]}),
    )
    .await;
    let bad = try_create_lead(&app, &rep, json!({"surname": "Late", "source": "webinar"})).await;
    assert_eq!(fields(&bad), ["source"], "{bad}");
    let saved = app
        .ok(
            &rep,
            UPDATE,
            json!({"i": {"id": l["id"], "version": l["version"], "jobTitle": "Host", "source": "webinar",
                   "status": "QUALIFIED"}}),
        )
        .await;
    assert_eq!(saved["updateLead"]["lead"]["jobTitle"], "Host");
    let again = lead(&app, &rep, &l["id"]).await;
    assert_eq!(again["source"]["label"], "Webinar");
    let c = app
        .ok(
            &rep,
            CONVERT,
            json!({"i": {"leadId": l["id"], "version": again["version"], "createOpportunity": true}}),
        )
        .await["convertLead"]
        .clone();
    assert_eq!(c["opportunity"]["leadSource"]["key"], "webinar", "{c}");

    // A deal's own source is checked the same way, and null clears it.
    let account = account_id(&app, &rep, "Sourcewell Media").await;
    let create = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id version leadSource { key label } } } }";
    let bad = app
        .gql(
            Some(&rep),
            create,
            json!({"i": {"name": "Wrong source", "accountId": account, "leadSource": "webinar"}}),
        )
        .await;
    assert_eq!(fields(&bad), ["leadSource"], "{bad}");
    let o = app
        .ok(
            &rep,
            create,
            json!({"i": {"name": "Right source", "accountId": account, "leadSource": "referral"}}),
        )
        .await["createOpportunity"]["opportunity"]
        .clone();
    assert_eq!(
        o["leadSource"],
        json!({"key": "referral", "label": "Referral"})
    );
    let cleared = app
        .ok(
            &rep,
            "mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { leadSource { key } } } }",
            json!({"i": {"id": o["id"], "version": o["version"], "leadSource": null}}),
        )
        .await;
    assert_eq!(
        cleared["updateOpportunity"]["opportunity"]["leadSource"],
        Value::Null
    );
}
