//! Leads: capture and qualification, row scope and the role matrix, contact lists, conversion into
//! account, contact and opportunity (all or nothing), the conversion mapping, web-to-lead forms on
//! the public endpoint, assignment rules, CSV import, and statement counts.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::opportunities::{account_id, stages};

const LEAD: &str = "id code displayName organizationName foreName surname jobTitle email phone \
    area industry source status statusReason owner { email } webFormName archived version \
    contactLists { id name } convertedAt convertedAccount { id name } \
    convertedContact { id displayName } convertedOpportunity { id name }";

const UPDATE: &str = "mutation($i: UpdateLeadInput!) { updateLead(input: $i) { lead { id version status statusReason jobTitle } } }";

const CONVERT: &str = "mutation($i: ConvertLeadInput!) { convertLead(input: $i) {
    lead { id status version convertedAt convertedAccount { id name } convertedContact { id displayName }
           convertedOpportunity { id name } }
    account { id name industry area website }
    contact { id displayName foreName surname contactMechanisms { kind value }
              relationships(first: 10) { edges { node { kind roleLabel direction other { displayName } } } } }
    opportunity { id name leadSource leadId nextStep owner { email } stage { name } amount { amount currency } } } }";

const PREVIEW: &str = "query($id: ID!) { leadConversionPreview(leadId: $id) { convertible reason
    account { values { field sourceField value } matches { id code displayName reason } }
    contact { values { field sourceField value } matches { id code displayName reason } }
    opportunity { values { field sourceField value } matches { id displayName reason } } } }";

const MAPPING: &str = "{ leadConversionMapping { target targetField sourceField } }";

const SET_MAPPING: &str = "mutation($e: [LeadFieldMappingInput!]!) { setLeadConversionMapping(input: {entries: $e}) { target targetField sourceField } }";

const CREATE_LIST: &str = "mutation($i: CreateContactListInput!) { createContactList(input: $i) { contactList { id name kind owner { email } memberCount version } } }";

const ADD_MEMBERS: &str = "mutation($l: ID!, $p: [ID!]!) { addContactListMembers(input: {listId: $l, partyIds: $p}) { contactList { memberCount } } }";

const LIST: &str = "query($id: ID!) { contactList(id: $id) { id name memberCount
    members(first: 50) { totalCount nodes { consentStatus addedAt party { id displayName } lead { id displayName } } } } }";

const CREATE_FORM: &str = "mutation($i: CreateWebFormInput!) { createWebForm(input: $i) { webForm {
    id name key publicUrl snippet active version source redirectUrl owner { email } targetList { id name }
    fields { field name label required } } } }";

const SUBMISSIONS: &str = "query($id: ID!) { webForm(id: $id) { submissionCount
    submissions(first: 20) { totalCount nodes { receivedAt outcome lead { id surname } } } } }";

const CREATE_RULE: &str =
    "mutation($i: CreateAssignmentRuleInput!) { createAssignmentRule(input: $i) { assignmentRule {
    id name kind team { name } areas { area user { email } } fallbackOwner { email } active } } }";

const IMPORT: &str = "mutation($i: ImportLeadsInput!) { importLeads(input: $i) { created duplicates leads { id surname email area owner { email } source contactLists { id } } } }";

async fn create_lead(app: &TestApp, token: &str, input: Value) -> Value {
    let q = format!(
        "mutation($i: CreateLeadInput!) {{ createLead(input: $i) {{ lead {{ {LEAD} }} }} }}"
    );
    app.ok(token, &q, json!({"i": input})).await["createLead"]["lead"].clone()
}

async fn try_create_lead(app: &TestApp, token: &str, input: Value) -> Value {
    let q = "mutation($i: CreateLeadInput!) { createLead(input: $i) { lead { id } } }";
    app.gql(Some(token), q, json!({"i": input})).await
}

async fn lead(app: &TestApp, token: &str, id: &Value) -> Value {
    let q = format!("query($id: ID!) {{ lead(id: $id) {{ {LEAD} }} }}");
    app.ok(token, &q, json!({"id": id})).await["lead"].clone()
}

/// Leads whose name, organisation or code contains `text`, as the caller sees them.
async fn search(app: &TestApp, token: &str, text: &str) -> Value {
    let q = format!(
        "query($s: String) {{ leads(first: 100, filter: {{search: $s, includeArchived: true}}) {{ totalCount nodes {{ {LEAD} }} }} }}"
    );
    app.ok(token, &q, json!({"s": text})).await["leads"].clone()
}

/// Qualifies a lead and returns its new version.
async fn qualify(app: &TestApp, token: &str, lead: &Value) -> i64 {
    let d = app
        .ok(
            token,
            UPDATE,
            json!({"i": {"id": lead["id"], "version": lead["version"], "status": "QUALIFIED"}}),
        )
        .await;
    assert_eq!(d["updateLead"]["lead"]["status"], "QUALIFIED");
    d["updateLead"]["lead"]["version"].as_i64().unwrap()
}

async fn user_id(app: &TestApp, token: &str, email: &str) -> Value {
    let d = app
        .ok(
            token,
            "{ users(first: 100) { edges { node { id email } } } }",
            json!({}),
        )
        .await;
    d["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["email"] == email)
        .unwrap_or_else(|| panic!("no user {email}"))["node"]["id"]
        .clone()
}

async fn team_id(app: &TestApp, token: &str, name: &str) -> Value {
    let d = app.ok(token, "{ teams { id name } }", json!({})).await;
    d["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no team {name}"))["id"]
        .clone()
}

/// The field paths of the first error.
fn fields(v: &Value) -> Vec<String> {
    v["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n[key].as_str().unwrap_or("").to_string())
        .collect()
}

/// A count straight from the database.
async fn count(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// Rows that a failed write must leave alone.
async fn footprint(app: &TestApp) -> [i64; 6] {
    [
        app.count_rows("leads").await,
        app.count_rows("parties").await,
        app.count_rows("opportunities").await,
        app.count_rows("party_relationships").await,
        app.count_rows("contact_list_members").await,
        app.count_rows("change_log").await,
    ]
}

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
               "jobTitle": "CTO", "email": "ada@engines.example", "area": "North", "source": "TRADE_SHOW"}),
    )
    .await;
    assert!(
        person["code"].as_str().unwrap().starts_with("L-"),
        "{person}"
    );
    assert_eq!(person["displayName"], "Ada Lovelace");
    assert_eq!(person["organizationName"], "Analytical Engines");
    assert_eq!(person["email"], "ada@engines.example");
    assert_eq!(person["source"], "TRADE_SHOW");
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
    assert_eq!(org["source"], "OTHER", "the default source");
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

// ---------------------------------------------------------------------------------------------
// Contact lists
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn contact_lists_hold_leads_and_people_within_row_scope() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let rep2 = app.login("rep2@demo.crm").await;
    let south = app.login("rep3@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let read_only = app.login("readonly@demo.crm").await;
    let a = create_lead(&app, &rep, json!({"surname": "Listmine"})).await;
    let b = create_lead(&app, &rep2, json!({"surname": "Listteam"})).await;
    let c = create_lead(&app, &south, json!({"surname": "Listsouth"})).await;
    let wile = app
        .ok(
            &rep,
            "{ contacts(filter: {search: \"Coyote\"}) { nodes { id displayName } } }",
            json!({}),
        )
        .await["contacts"]["nodes"][0]
        .clone();
    assert_eq!(wile["displayName"], "Wile Coyote");

    let list = app
        .ok(
            &rep,
            CREATE_LIST,
            json!({"i": {"name": "Spring mailing", "description": "for the spring"}}),
        )
        .await["createContactList"]["contactList"]
        .clone();
    assert_eq!(
        (list["kind"].clone(), list["memberCount"].clone()),
        (json!("STATIC"), json!(0))
    );
    assert_eq!(list["owner"]["email"], "rep@demo.crm");
    let d = app
        .ok(
            &rep,
            ADD_MEMBERS,
            json!({"l": list["id"], "p": [a["id"], b["id"], wile["id"]]}),
        )
        .await;
    assert_eq!(d["addContactListMembers"]["contactList"]["memberCount"], 3);
    let d = app.ok(&rep, LIST, json!({"id": list["id"]})).await;
    let l = &d["contactList"];
    assert_eq!(
        (l["memberCount"].clone(), l["members"]["totalCount"].clone()),
        (json!(3), json!(3))
    );
    let members = l["members"]["nodes"].as_array().unwrap();
    assert!(members
        .iter()
        .all(|m| m["consentStatus"] == "UNKNOWN" && m["addedAt"].is_string()));
    let lead_ids: BTreeSet<String> = members
        .iter()
        .filter_map(|m| m["lead"]["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        lead_ids,
        BTreeSet::from([
            a["id"].as_str().unwrap().to_string(),
            b["id"].as_str().unwrap().to_string()
        ])
    );
    let person = members.iter().find(|m| m["lead"].is_null()).unwrap();
    assert_eq!(person["party"]["displayName"], "Wile Coyote");
    // The lead knows its lists, and the lead list filters by list.
    let la = lead(&app, &rep, &a["id"]).await;
    assert_eq!(strings(&la["contactLists"], "name"), ["Spring mailing"]);
    let d = app
        .ok(
            &rep,
            "query($l: ID) { leads(filter: {listId: $l}) { totalCount } }",
            json!({"l": list["id"]}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 2);
    // Removing a member.
    let d = app
        .ok(&rep, "mutation($l: ID!, $p: [ID!]!) { removeContactListMembers(input: {listId: $l, partyIds: $p}) { contactList { memberCount } } }",
            json!({"l": list["id"], "p": [b["id"]]}))
        .await;
    assert_eq!(
        d["removeContactListMembers"]["contactList"]["memberCount"],
        2
    );
    assert!(lead(&app, &rep2, &b["id"]).await["contactLists"]
        .as_array()
        .unwrap()
        .is_empty());
    // A lead the rep cannot see cannot be added.
    let members_before = app.count_rows("contact_list_members").await;
    let r = app
        .gql(
            Some(&rep),
            ADD_MEMBERS,
            json!({"l": list["id"], "p": [c["id"]]}),
        )
        .await;
    assert!(!codes(&r).is_empty(), "{r}");
    assert_eq!(app.count_rows("contact_list_members").await, members_before);
    // Renames carry the version; archived lists leave the default list.
    let upd = "mutation($i: UpdateContactListInput!) { updateContactList(input: $i) { contactList { name version } } }";
    let d = app
        .ok(&rep, upd, json!({"i": {"id": list["id"], "version": list["version"], "name": "Spring mailing 2027"}}))
        .await;
    let v = d["updateContactList"]["contactList"]["version"].clone();
    assert_ne!(v, list["version"]);
    let r = app
        .gql(
            Some(&rep),
            upd,
            json!({"i": {"id": list["id"], "version": list["version"], "name": "Stale"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["CONFLICT"], "{r}");
    app.ok(
        &rep,
        upd,
        json!({"i": {"id": list["id"], "version": v, "name": "Spring mailing"}}),
    )
    .await;
    // Read-only reads lists, but does not change them.
    let d = app.ok(&read_only, LIST, json!({"id": list["id"]})).await;
    assert_eq!(d["contactList"]["memberCount"], 2);
    let r = app
        .gql(
            Some(&read_only),
            CREATE_LIST,
            json!({"i": {"name": "Nope"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);

    // Another team's list is out of the rep's reach.
    let theirs = app
        .ok(&south, CREATE_LIST, json!({"i": {"name": "South secrets"}}))
        .await["createContactList"]["contactList"]
        .clone();
    let d = app
        .ok(&rep, "query($id: ID!) { contactList(id: $id) { id } node(id: $id) { id } contactLists(first: 100) { totalCount nodes { id name } } }",
            json!({"id": theirs["id"]}))
        .await;
    assert!(d["contactList"].is_null() && d["node"].is_null(), "{d}");
    let names = strings(&d["contactLists"]["nodes"], "name");
    assert!(
        names.contains(&"Spring mailing".to_string())
            && !names.contains(&"South secrets".to_string()),
        "{names:?}"
    );
    assert_eq!(d["contactLists"]["totalCount"], json!(names.len()));

    // A lead's lists are those the reader may see: a South-owned list holding it stays hidden.
    let sam = user_id(&app, &manager, "rep3@demo.crm").await;
    let south_owned = app
        .ok(
            &manager,
            CREATE_LIST,
            json!({"i": {"name": "South owned", "ownerId": sam}}),
        )
        .await["createContactList"]["contactList"]
        .clone();
    app.ok(
        &manager,
        ADD_MEMBERS,
        json!({"l": south_owned["id"], "p": [a["id"]]}),
    )
    .await;
    assert_eq!(
        strings(
            &lead(&app, &manager, &a["id"]).await["contactLists"],
            "name"
        )
        .into_iter()
        .collect::<BTreeSet<_>>(),
        BTreeSet::from(["South owned".to_string(), "Spring mailing".to_string()])
    );
    assert_eq!(
        strings(&lead(&app, &rep, &a["id"]).await["contactLists"], "name"),
        ["Spring mailing"]
    );

    // A list the rep may see, holding a member the rep may not: that member is neither listed nor counted.
    let rita = user_id(&app, &manager, "rep@demo.crm").await;
    let mixed = app
        .ok(
            &manager,
            CREATE_LIST,
            json!({"i": {"name": "Mixed", "ownerId": rita}}),
        )
        .await["createContactList"]["contactList"]
        .clone();
    app.ok(
        &manager,
        ADD_MEMBERS,
        json!({"l": mixed["id"], "p": [a["id"], c["id"]]}),
    )
    .await;
    let d = app.ok(&manager, LIST, json!({"id": mixed["id"]})).await;
    assert_eq!(d["contactList"]["memberCount"], 2);
    let d = app.ok(&rep, LIST, json!({"id": mixed["id"]})).await;
    let l = &d["contactList"];
    assert_eq!(
        (l["memberCount"].clone(), l["members"]["totalCount"].clone()),
        (json!(1), json!(1)),
        "{l}"
    );
    assert_eq!(l["members"]["nodes"][0]["lead"]["id"], a["id"]);
    let d = app
        .ok(
            &rep,
            "query($l: ID) { leads(filter: {listId: $l}) { totalCount nodes { id } } }",
            json!({"l": mixed["id"]}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 1);
    // Archiving: a rep may not; a manager may, and the list leaves the default listing.
    let archive = "mutation($i: SetContactListArchivedInput!) { setContactListArchived(input: $i) { contactList { archived } } }";
    let input = json!({"i": {"id": mixed["id"], "version": mixed["version"], "archived": true}});
    assert_eq!(
        codes(&app.gql(Some(&rep), archive, input.clone()).await),
        vec!["FORBIDDEN"]
    );
    let d = app.ok(&manager, archive, input).await;
    assert_eq!(d["setContactListArchived"]["contactList"]["archived"], true);
    let listed = |incl: bool| {
        let (app, rep) = (&app, &rep);
        async move {
            let d = app
                .ok(rep, "query($a: Boolean) { contactLists(first: 100, includeArchived: $a) { nodes { name } } }", json!({"a": incl}))
                .await;
            strings(&d["contactLists"]["nodes"], "name")
        }
    };
    assert!(!listed(false).await.contains(&"Mixed".to_string()));
    assert!(listed(true).await.contains(&"Mixed".to_string()));
}

// ---------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_qualified_lead_converts_into_account_contact_and_opportunity() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let admin = app.login("admin@demo.crm").await;
    let l = create_lead(
        &app,
        &rep,
        json!({"foreName": "Grace", "surname": "Hopper", "organizationName": "Cobol Works",
               "jobTitle": "Rear Admiral", "email": "grace@cobol.example", "area": "North",
               "industry": "Software", "website": "https://cobol.example", "source": "TRADE_SHOW"}),
    )
    .await;

    // A new lead is not convertible yet.
    let p = app.ok(&rep, PREVIEW, json!({"id": l["id"]})).await;
    assert_eq!(p["leadConversionPreview"]["convertible"], false);
    assert!(p["leadConversionPreview"]["reason"].is_string());
    let before = footprint(&app).await;
    let r = app
        .gql(
            Some(&rep),
            CONVERT,
            json!({"i": {"leadId": l["id"], "version": 1, "createOpportunity": true}}),
        )
        .await;
    assert!(!codes(&r).is_empty(), "{r}");
    assert_eq!(footprint(&app).await, before);
    assert_eq!(lead(&app, &rep, &l["id"]).await["status"], "NEW");

    let version = qualify(&app, &rep, &l).await;
    let p = app.ok(&rep, PREVIEW, json!({"id": l["id"]})).await;
    let p = &p["leadConversionPreview"];
    assert_eq!(p["convertible"], true, "{p}");
    let value = |plan: &Value, field: &str| {
        plan["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["field"] == field)
            .map(|v| v["value"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(value(&p["account"], "name"), "Cobol Works");
    assert_eq!(value(&p["contact"], "roleLabel"), "Rear Admiral");
    assert_eq!(value(&p["opportunity"], "name"), "Cobol Works");
    assert!(
        p["account"]["matches"].as_array().unwrap().is_empty(),
        "{p}"
    );

    let before = [
        app.count_rows("parties").await,
        count(
            &app,
            "SELECT COUNT(*) AS n FROM party_roles WHERE role = 'ACCOUNT'",
        )
        .await,
        app.count_rows("opportunities").await,
    ];
    let d = app
        .ok(&rep, CONVERT, json!({"i": {"leadId": l["id"], "version": version, "createOpportunity": true,
            "opportunity": {"amount": {"amount": "5000", "currency": "EUR"}, "closeDate": "2027-06-30"}}}))
        .await;
    let c = &d["convertLead"];
    assert_eq!(c["account"]["name"], "Cobol Works");
    assert_eq!(c["account"]["industry"], "Software");
    assert_eq!(c["account"]["area"], "North");
    assert_eq!(c["contact"]["displayName"], "Grace Hopper");
    assert!(
        c["contact"]["contactMechanisms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "EMAIL" && m["value"] == "grace@cobol.example"),
        "{c}"
    );
    let rels: Vec<&Value> = c["contact"]["relationships"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert!(
        rels.iter().any(|r| r["kind"] == "CONTACT_OF"
            && r["direction"] == "OUTGOING"
            && r["roleLabel"] == "Rear Admiral"
            && r["other"]["displayName"] == "Cobol Works"),
        "{rels:?}"
    );
    let o = &c["opportunity"];
    assert_eq!(o["name"], "Cobol Works");
    assert_eq!(o["leadSource"], "TRADE_SHOW");
    assert_eq!(o["leadId"], l["id"]);
    assert_eq!(o["owner"]["email"], "rep@demo.crm");
    assert_eq!(o["amount"], json!({"amount": "5000.00", "currency": "EUR"}));
    let done = &c["lead"];
    assert_eq!(done["status"], "CONVERTED");
    assert!(done["convertedAt"].is_string());
    assert_eq!(done["convertedAccount"]["id"], c["account"]["id"]);
    assert_eq!(done["convertedContact"]["id"], c["contact"]["id"]);
    assert_eq!(done["convertedOpportunity"]["id"], o["id"]);
    let after = [
        app.count_rows("parties").await,
        count(
            &app,
            "SELECT COUNT(*) AS n FROM party_roles WHERE role = 'ACCOUNT'",
        )
        .await,
        app.count_rows("opportunities").await,
    ];
    assert_eq!(after, [before[0] + 2, before[1] + 1, before[2] + 1]);
    // The lead reads the same afterwards, and the new account is a real one.
    let again = lead(&app, &rep, &l["id"]).await;
    assert_eq!(again["status"], "CONVERTED");
    assert_eq!(again["convertedAccount"]["name"], "Cobol Works");
    assert_eq!(
        account_id(&app, &rep, "Cobol Works").await,
        c["account"]["id"].as_str().unwrap()
    );

    // The change log tells of the conversion.
    let log = app
        .ok(&admin, "query($id: ID!) { auditLog(first: 50, filter: {objectId: $id}) { edges { node { action changes { field after } } } } }",
            json!({"id": l["id"]}))
        .await;
    let entries: Vec<&Value> = log["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert!(
        entries
            .iter()
            .any(|e| e["action"].as_str().unwrap_or("").contains("convert")
                || e["changes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["field"] == "status" && c["after"] == "CONVERTED")),
        "{entries:?}"
    );

    // Converting twice is refused and creates nothing.
    let before = footprint(&app).await;
    let r = app
        .gql(Some(&rep), CONVERT, json!({"i": {"leadId": l["id"], "version": done["version"], "createOpportunity": true}}))
        .await;
    assert!(!codes(&r).is_empty(), "{r}");
    assert_eq!(footprint(&app).await, before);
    let p = app.ok(&rep, PREVIEW, json!({"id": l["id"]})).await;
    assert_eq!(p["leadConversionPreview"]["convertible"], false);
}

#[tokio::test]
async fn conversion_links_existing_records_the_preview_finds() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let l = create_lead(
        &app,
        &rep,
        json!({"foreName": "Wile", "surname": "Coyote", "organizationName": "Acme Corporation",
               "email": "wile.coyote@acme.example", "jobTitle": "Genius"}),
    )
    .await;
    let version = qualify(&app, &rep, &l).await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let p = app.ok(&rep, PREVIEW, json!({"id": l["id"]})).await;
    let p = &p["leadConversionPreview"];
    let acct = p["account"]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["displayName"] == "Acme Corporation")
        .unwrap_or_else(|| panic!("no account match: {p}"))
        .clone();
    assert_eq!(acct["id"], acme.as_str());
    assert!(acct["reason"].as_str().unwrap().contains("name"), "{acct}");
    let wile = p["contact"]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["displayName"] == "Wile Coyote")
        .unwrap_or_else(|| panic!("no contact match: {p}"))
        .clone();
    assert!(wile["reason"].as_str().unwrap().contains("mail"), "{wile}");

    let before = [
        app.count_rows("parties").await,
        count(
            &app,
            "SELECT COUNT(*) AS n FROM party_roles WHERE role = 'ACCOUNT'",
        )
        .await,
        app.count_rows("opportunities").await,
    ];
    let d = app
        .ok(&rep, CONVERT, json!({"i": {"leadId": l["id"], "version": version, "accountId": acme, "contactId": wile["id"]}}))
        .await;
    let c = &d["convertLead"];
    assert_eq!(c["account"]["id"], acme.as_str());
    assert_eq!(c["contact"]["id"], wile["id"]);
    assert!(c["opportunity"].is_null(), "no opportunity unless asked");
    assert_eq!(c["lead"]["status"], "CONVERTED");
    assert_eq!(c["lead"]["convertedAccount"]["id"], acme.as_str());
    assert_eq!(c["lead"]["convertedContact"]["id"], wile["id"]);
    let after = [
        app.count_rows("parties").await,
        count(
            &app,
            "SELECT COUNT(*) AS n FROM party_roles WHERE role = 'ACCOUNT'",
        )
        .await,
        app.count_rows("opportunities").await,
    ];
    assert_eq!(
        after, before,
        "nothing new is created when existing records are linked"
    );
}

#[tokio::test]
async fn the_preview_matches_contacts_by_name_too() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let l = create_lead(
        &app,
        &rep,
        json!({"foreName": "Hank", "surname": "Scorpio", "organizationName": "Brand New Volcano Ltd"}),
    )
    .await;
    let p = app.ok(&rep, PREVIEW, json!({"id": l["id"]})).await;
    let p = &p["leadConversionPreview"];
    let hank = p["contact"]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["displayName"] == "Hank Scorpio")
        .unwrap_or_else(|| panic!("no contact match: {p}"))
        .clone();
    assert!(hank["reason"].as_str().unwrap().contains("name"), "{hank}");
    assert!(hank["code"].as_str().unwrap().starts_with("P-"), "{hank}");
    assert!(
        p["account"]["matches"].as_array().unwrap().is_empty(),
        "{p}"
    );
}

#[tokio::test]
async fn the_preview_shows_only_matches_the_reader_may_see() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    // Umbrella Health and its contact belong to the South team.
    let l = create_lead(
        &app,
        &rep,
        json!({"foreName": "Alice", "surname": "Abernathy", "organizationName": "Umbrella Health",
               "email": "alice.abernathy@umbrella.example"}),
    )
    .await;
    let names = |p: &Value, plan: &str| -> Vec<String> {
        strings(&p["leadConversionPreview"][plan]["matches"], "displayName")
    };
    let seen = app.ok(&manager, PREVIEW, json!({"id": l["id"]})).await;
    assert!(
        names(&seen, "account").contains(&"Umbrella Health".to_string()),
        "{seen}"
    );
    assert!(
        names(&seen, "contact").contains(&"Alice Abernathy".to_string()),
        "{seen}"
    );
    let hidden = app.ok(&rep, PREVIEW, json!({"id": l["id"]})).await;
    assert!(names(&hidden, "account").is_empty(), "{hidden}");
    assert!(names(&hidden, "contact").is_empty(), "{hidden}");
}

#[tokio::test]
async fn conversion_needs_the_grants_for_what_it_creates() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let south = app.login("rep3@demo.crm").await;
    let marketing = app.login("marketing@demo.crm").await;
    let read_only = app.login("readonly@demo.crm").await;
    let l = create_lead(
        &app,
        &south,
        json!({"foreName": "Gated", "surname": "Lead", "organizationName": "Gate Ltd"}),
    )
    .await;
    let version = qualify(&app, &south, &l).await;
    let before = footprint(&app).await;
    let input = json!({"i": {"leadId": l["id"], "version": version, "createOpportunity": true}});
    // Marketing updates leads but creates no opportunities; read-only changes nothing.
    for t in [&marketing, &read_only] {
        let r = app.gql(Some(t), CONVERT, input.clone()).await;
        assert_eq!(codes(&r), vec!["FORBIDDEN"], "{r}");
    }
    // Another team's lead is out of a rep's reach.
    let r = app.gql(Some(&rep), CONVERT, input.clone()).await;
    let c = codes(&r);
    assert!(c == ["NOT_FOUND"] || c == ["FORBIDDEN"], "{r}");
    assert_eq!(footprint(&app).await, before);
    let still = lead(&app, &south, &l["id"]).await;
    assert_eq!(
        (still["status"].clone(), still["version"].clone()),
        (json!("QUALIFIED"), json!(version))
    );
    // Nor may a rep link an account of another team.
    let mine = create_lead(
        &app,
        &rep,
        json!({"foreName": "Lin", "surname": "Linker", "organizationName": "Link Ltd"}),
    )
    .await;
    let v = qualify(&app, &rep, &mine).await;
    let manager = app.login("manager@demo.crm").await;
    let umbrella = account_id(&app, &manager, "Umbrella Health").await;
    let before = footprint(&app).await;
    let r = app
        .gql(
            Some(&rep),
            CONVERT,
            json!({"i": {"leadId": mine["id"], "version": v, "accountId": umbrella}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{r}");
    assert_eq!(fields(&r), ["accountId"]);
    assert_eq!(footprint(&app).await, before);
    // Its owner converts it.
    let d = app.ok(&south, CONVERT, input).await;
    assert_eq!(d["convertLead"]["lead"]["status"], "CONVERTED");
    assert_eq!(
        d["convertLead"]["opportunity"]["owner"]["email"],
        "rep3@demo.crm"
    );
}

#[tokio::test]
async fn a_failing_conversion_changes_nothing() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let admin = app.login("admin@demo.crm").await;
    let l = create_lead(
        &app,
        &rep,
        json!({"foreName": "Roll", "surname": "Back", "organizationName": "Rollback Co"}),
    )
    .await;
    let version = qualify(&app, &rep, &l).await;
    let other = app
        .ok(&admin, "mutation { createPipeline(input: {name: \"Elsewhere\", stages: [{name: \"Far\", probability: 10}, {name: \"Won\", probability: 100, outcome: WON}, {name: \"Lost\", probability: 0, outcome: LOST}]}) { stages { id name } } }", json!({}))
        .await["createPipeline"]["stages"][0]["id"]
        .clone();
    let st = stages(&app, &rep).await;
    let default_pipeline = app
        .ok(&rep, "{ pipelines { id isDefault } }", json!({}))
        .await["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["isDefault"] == true)
        .unwrap()["id"]
        .clone();
    let before = footprint(&app).await;
    // A stage that is not one of the named pipeline's is refused.
    for stage in [json!("not-an-id"), other.clone(), json!(l["id"])] {
        let r = app
            .gql(
                Some(&rep),
                CONVERT,
                json!({"i": {"leadId": l["id"], "version": version, "createOpportunity": true,
                "opportunity": {"pipelineId": default_pipeline, "stageId": stage}}}),
            )
            .await;
        assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{stage}: {r}");
        assert!(fields(&r).iter().any(|f| f.contains("stageId")), "{r}");
        assert_eq!(footprint(&app).await, before, "stage {stage}");
    }
    let r = app
        .gql(
            Some(&rep),
            CONVERT,
            json!({"i": {"leadId": l["id"], "version": version, "createOpportunity": true,
            "opportunity": {"closeDate": "30.06.2027"}}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{r}");
    assert_eq!(footprint(&app).await, before);
    let still = lead(&app, &rep, &l["id"]).await;
    assert_eq!(
        (still["status"].clone(), still["version"].clone()),
        (json!("QUALIFIED"), json!(version))
    );
    assert!(still["convertedAccount"].is_null());
    assert!(
        app.ok(
            &admin,
            "{ accounts(filter: {search: \"Rollback\"}) { totalCount } }",
            json!({})
        )
        .await["accounts"]["totalCount"]
            == 0
    );
    // A stale version is a conflict, then the right input converts.
    let r = app
        .gql(
            Some(&rep),
            CONVERT,
            json!({"i": {"leadId": l["id"], "version": version - 1}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["CONFLICT"], "{r}");
    let d = app
        .ok(
            &rep,
            CONVERT,
            json!({"i": {"leadId": l["id"], "version": version, "createOpportunity": true,
            "opportunity": {"stageId": st["Proposal"], "name": "Rollback – pilot"}}}),
        )
        .await;
    assert_eq!(d["convertLead"]["opportunity"]["stage"]["name"], "Proposal");
    assert_eq!(d["convertLead"]["opportunity"]["name"], "Rollback – pilot");
}

// ---------------------------------------------------------------------------------------------
// The conversion mapping
// ---------------------------------------------------------------------------------------------

fn entry(target: &str, field: &str, source: &str) -> Value {
    json!({"target": target, "targetField": field, "sourceField": source})
}

fn default_mapping() -> Vec<Value> {
    [
        ("ACCOUNT", "name", "organizationName"),
        ("ACCOUNT", "industry", "industry"),
        ("ACCOUNT", "area", "area"),
        ("ACCOUNT", "website", "website"),
        ("ACCOUNT", "phone", "phone"),
        ("CONTACT", "foreName", "foreName"),
        ("CONTACT", "surname", "surname"),
        ("CONTACT", "email", "email"),
        ("CONTACT", "phone", "phone"),
        ("CONTACT", "area", "area"),
        ("CONTACT", "roleLabel", "jobTitle"),
        ("OPPORTUNITY", "name", "organizationName"),
    ]
    .iter()
    .map(|(t, f, s)| entry(t, f, s))
    .collect()
}

fn as_set(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}.{}<-{}",
                e["target"].as_str().unwrap(),
                e["targetField"].as_str().unwrap(),
                e["sourceField"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn the_conversion_mapping_is_validated_and_used() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let defaults = as_set(&json!(default_mapping()));
    let d = app.ok(&admin, MAPPING, json!({})).await;
    assert_eq!(as_set(&d["leadConversionMapping"]), defaults);
    let f = app
        .ok(&admin, "{ leadMappingFields { source { name kind maxLength required } account { name kind maxLength required } contact { name kind required } opportunity { name kind maxLength required } } }", json!({}))
        .await;
    let find = |list: &str, name: &str| {
        f["leadMappingFields"][list]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .unwrap_or_else(|| panic!("{list}.{name} missing: {f}"))
            .clone()
    };
    assert_eq!(find("source", "description")["maxLength"], 2000);
    assert_eq!(find("source", "email")["kind"], "EMAIL");
    assert_eq!(
        (
            find("account", "name")["required"].clone(),
            find("account", "name")["maxLength"].clone()
        ),
        (json!(true), json!(200))
    );
    assert_eq!(find("contact", "surname")["required"], true);
    assert_eq!(find("opportunity", "nextStep")["required"], false);
    // A rep reads the mapping but changes it no more than a manager does.
    assert_eq!(
        as_set(&app.ok(&rep, MAPPING, json!({})).await["leadConversionMapping"]),
        defaults
    );
    let mut with_next = default_mapping();
    with_next.push(entry("OPPORTUNITY", "nextStep", "jobTitle"));
    for t in [&rep, &manager] {
        let r = app.gql(Some(t), SET_MAPPING, json!({"e": with_next})).await;
        assert_eq!(codes(&r), vec!["FORBIDDEN"], "{r}");
    }

    // Invalid mappings are refused, naming the entry.
    let with = |i: Option<usize>, extra: Option<Value>| {
        let mut e = default_mapping();
        if let Some(i) = i {
            e.remove(i);
        }
        if let Some(x) = extra {
            e.push(x);
        }
        e
    };
    let mut too_long = default_mapping();
    too_long[10] = entry("CONTACT", "roleLabel", "description");
    let cases = [
        (too_long, "entries.10."),
        (
            with(None, Some(entry("OPPORTUNITY", "colour", "area"))),
            "entries.12.targetField",
        ),
        (
            with(None, Some(entry("OPPORTUNITY", "nextStep", "shoeSize"))),
            "entries.12.sourceField",
        ),
        (
            with(None, Some(entry("ACCOUNT", "name", "industry"))),
            "entries.12.",
        ),
        (
            with(None, Some(entry("OPPORTUNITY", "nextStep", "email"))),
            "entries.12.",
        ),
        (
            with(None, Some(entry("ACCOUNT", "email", "organizationName"))),
            "entries.12.",
        ),
        (with(Some(0), None), "entries"),
    ];
    for (entries, path) in cases {
        let r = app
            .gql(Some(&admin), SET_MAPPING, json!({"e": entries}))
            .await;
        assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{path}: {r}");
        let got = fields(&r);
        assert!(
            !got.is_empty() && got.iter().all(|f| f.starts_with(path)),
            "{path}: {got:?}"
        );
    }
    assert_eq!(
        as_set(&app.ok(&admin, MAPPING, json!({})).await["leadConversionMapping"]),
        defaults
    );

    // A valid change is kept, and conversion follows it.
    let d = app.ok(&admin, SET_MAPPING, json!({"e": with_next})).await;
    assert!(as_set(&d["setLeadConversionMapping"]).contains("OPPORTUNITY.nextStep<-jobTitle"));
    assert_eq!(
        as_set(&app.ok(&rep, MAPPING, json!({})).await["leadConversionMapping"]),
        as_set(&json!(with_next))
    );
    let l = create_lead(&app, &rep, json!({"foreName": "Map", "surname": "Ped", "organizationName": "Mapping Ltd", "jobTitle": "VP Sales"})).await;
    let version = qualify(&app, &rep, &l).await;
    let p = app.ok(&rep, PREVIEW, json!({"id": l["id"]})).await;
    assert!(
        p["leadConversionPreview"]["opportunity"]["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["field"] == "nextStep"
                && v["sourceField"] == "jobTitle"
                && v["value"] == "VP Sales"),
        "{p}"
    );
    let d = app
        .ok(
            &rep,
            CONVERT,
            json!({"i": {"leadId": l["id"], "version": version, "createOpportunity": true}}),
        )
        .await;
    assert_eq!(d["convertLead"]["opportunity"]["nextStep"], "VP Sales");
    assert_eq!(d["convertLead"]["opportunity"]["name"], "Mapping Ltd");
}

// ---------------------------------------------------------------------------------------------
// Web forms and the public endpoint
// ---------------------------------------------------------------------------------------------

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|_| panic!("not JSON ({}): {}", self.status, self.body))
    }
}

async fn public_post_json(app: &TestApp, key: &str, body: Value) -> Reply {
    let resp = no_redirects()
        .post(format!("{}/public/forms/{key}", app.url))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    Reply {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body: resp.text().await.unwrap(),
    }
}

async fn public_post_form(app: &TestApp, key: &str, pairs: &[(&str, &str)]) -> Reply {
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let resp = no_redirects()
        .post(format!("{}/public/forms/{key}", app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    Reply {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body: resp.text().await.unwrap(),
    }
}

/// A form with a fixed owner: fore name, surname (required), e-mail (required), organisation.
async fn make_form(app: &TestApp, admin: &str, name: &str, extra: Value) -> Value {
    let mut input = json!({"name": name, "fields": [
        {"field": "FORE_NAME", "label": "First name"},
        {"field": "SURNAME", "label": "Last name", "required": true},
        {"field": "EMAIL", "label": "E-mail", "required": true},
        {"field": "ORGANIZATION_NAME", "label": "Company"}]});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    app.ok(admin, CREATE_FORM, json!({"i": input})).await["createWebForm"]["webForm"].clone()
}

#[tokio::test]
async fn web_forms_turn_public_submissions_into_leads() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rita = user_id(&app, &admin, "rep@demo.crm").await;
    let list = app
        .ok(&admin, CREATE_LIST, json!({"i": {"name": "Webinar"}}))
        .await["createContactList"]["contactList"]
        .clone();
    let form = make_form(&app, &admin, "Webinar sign-up",
        json!({"targetListId": list["id"], "ownerId": rita, "redirectUrl": "https://example.com/thanks"})).await;
    let key = form["key"].as_str().unwrap().to_string();
    assert!(!key.is_empty());
    assert_eq!(form["publicUrl"], format!("/public/forms/{key}"));
    assert_eq!(
        (form["source"].clone(), form["active"].clone()),
        (json!("WEB_FORM"), json!(true))
    );
    assert_eq!(form["targetList"]["name"], "Webinar");
    assert_eq!(
        strings(&form["fields"], "name"),
        ["foreName", "surname", "email", "organizationName"]
    );
    let snippet = form["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<form") && snippet.contains(&format!("{}/public/forms/{key}", app.url)),
        "{snippet}"
    );
    // Who administers forms.
    let r = app.gql(Some(&rep), "{ webForms { id } }", json!({})).await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    let d = app.ok(&manager, "{ webForms { name } }", json!({})).await;
    assert!(strings(&d["webForms"], "name").contains(&"Webinar sign-up".to_string()));
    let r = app
        .gql(
            Some(&manager),
            CREATE_FORM,
            json!({"i": {"name": "Nope", "fields": [{"field": "EMAIL", "required": true}]}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    // A form needs a field that names the lead, and no field twice.
    for fields_in in [
        json!([{"field": "PHONE"}]),
        json!([{"field": "EMAIL"}, {"field": "EMAIL"}]),
    ] {
        let r = app
            .gql(
                Some(&admin),
                CREATE_FORM,
                json!({"i": {"name": "Bad", "fields": fields_in}}),
            )
            .await;
        assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{fields_in}: {r}");
    }

    // The public page: the inputs and the honeypot.
    let page = app
        .client
        .get(format!("{}/public/forms/{key}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    for input in [
        "foreName",
        "surname",
        "email",
        "organizationName",
        "nickname",
    ] {
        assert!(
            html.contains(&format!("name=\"{input}\"")),
            "{input} missing in {html}"
        );
    }
    assert!(!html.contains("name=\"phone\""));

    // JSON accepted.
    let r = public_post_json(&app, &key, json!({"foreName": "Jo", "surname": "Webber", "email": "jo@webber.example", "organizationName": "Web Co"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"ok": true}));
    let found = search(&app, &admin, "Webber").await;
    assert_eq!(found["totalCount"], 1);
    let w = &found["nodes"][0];
    assert_eq!(
        (
            w["source"].clone(),
            w["webFormName"].clone(),
            w["status"].clone()
        ),
        (json!("WEB_FORM"), json!("Webinar sign-up"), json!("NEW"))
    );
    assert_eq!(w["owner"]["email"], "rep@demo.crm");
    assert_eq!(w["email"], "jo@webber.example");
    assert_eq!(strings(&w["contactLists"], "name"), ["Webinar"]);
    // A browser post is redirected.
    let r = public_post_form(
        &app,
        &key,
        &[
            ("surname", "Formson"),
            ("email", "form.son@example.com"),
            ("organizationName", "Form & Sons"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("https://example.com/thanks")
    );
    let f = search(&app, &admin, "Formson").await;
    assert_eq!(f["totalCount"], 1);
    assert_eq!(f["nodes"][0]["organizationName"], "Form & Sons");
    // Invalid input: 422 naming the fields, and nothing created.
    let before = footprint(&app).await;
    let r = public_post_json(
        &app,
        &key,
        json!({"foreName": "No", "email": "not-an-e-mail"}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let body = r.json();
    assert_eq!(body["ok"], false);
    let named: BTreeSet<String> = strings(&body["errors"], "field").into_iter().collect();
    assert_eq!(
        named,
        BTreeSet::from(["email".to_string(), "surname".to_string()]),
        "{body}"
    );
    assert_eq!(footprint(&app).await, before);

    // The submissions, newest first.
    let d = app.ok(&admin, SUBMISSIONS, json!({"id": form["id"]})).await;
    let s = &d["webForm"];
    let created: Vec<_> = s["submissions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["outcome"] == "CREATED")
        .map(|n| n["lead"]["surname"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(created, ["Formson", "Webber"]);
    assert_eq!(s["submissionCount"], s["submissions"]["totalCount"]);
    let times: Vec<String> = strings(&s["submissions"]["nodes"], "receivedAt");
    assert!(
        times
            .windows(2)
            .all(|w| w[0].parse::<chrono::DateTime<chrono::Utc>>().unwrap()
                >= w[1].parse::<chrono::DateTime<chrono::Utc>>().unwrap()),
        "{times:?}"
    );
}

#[tokio::test]
async fn web_forms_drop_spam_merge_duplicates_and_hide_unknown_keys() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rita = user_id(&app, &admin, "rep@demo.crm").await;
    let form = make_form(&app, &admin, "Spam test", json!({"ownerId": rita})).await;
    let key = form["key"].as_str().unwrap().to_string();

    // The honeypot: accepted in appearance, dropped in fact.
    let before = app.count_rows("leads").await;
    let r = public_post_json(
        &app,
        &key,
        json!({"surname": "Botley", "email": "bot@spam.example", "nickname": "cheap pills"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"ok": true}));
    assert_eq!(app.count_rows("leads").await, before);
    assert_eq!(search(&app, &admin, "Botley").await["totalCount"], 0);

    // The same e-mail twice: one lead; the second submission points at it.
    let r = public_post_json(
        &app,
        &key,
        json!({"surname": "Dupont", "email": "dupont@twice.example"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = public_post_json(
        &app,
        &key,
        json!({"surname": "Dupond", "email": "dupont@twice.example"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"ok": true}));
    assert_eq!(app.count_rows("leads").await, before + 1);
    let first = search(&app, &admin, "Dupon").await;
    assert_eq!(first["totalCount"], 1, "{first}");
    let first_id = first["nodes"][0]["id"].clone();
    let d = app.ok(&admin, SUBMISSIONS, json!({"id": form["id"]})).await;
    let outcomes: Vec<(String, Value)> = d["webForm"]["submissions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["outcome"].as_str().unwrap().to_string(),
                n["lead"]["id"].clone(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("DUPLICATE".to_string(), first_id.clone()),
            ("CREATED".to_string(), first_id),
            ("SPAM".to_string(), Value::Null)
        ],
        "newest first"
    );
    assert_eq!(d["webForm"]["submissionCount"], 3);

    // Unknown and inactive keys are not found.
    let r = public_post_json(
        &app,
        "no-such-form",
        json!({"surname": "Ghost", "email": "ghost@example.com"}),
    )
    .await;
    assert_eq!(r.status, 404);
    app.ok(
        &admin,
        "mutation($i: UpdateWebFormInput!) { updateWebForm(input: $i) { webForm { active } } }",
        json!({"i": {"id": form["id"], "version": form["version"], "active": false}}),
    )
    .await;
    let r = public_post_json(
        &app,
        &key,
        json!({"surname": "Late", "email": "late@example.com"}),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(app.count_rows("leads").await, before + 1);
}

#[tokio::test]
async fn browser_posts_without_a_redirect_get_pages() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rita = user_id(&app, &admin, "rep@demo.crm").await;
    let form = make_form(&app, &admin, "Plain form", json!({"ownerId": rita})).await;
    let key = form["key"].as_str().unwrap().to_string();
    let r = public_post_form(
        &app,
        &key,
        &[
            ("surname", "Pageson"),
            ("email", "page.son@example.com"),
            ("nickname", ""),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Thank you"), "{}", r.body);
    assert_eq!(search(&app, &admin, "Pageson").await["totalCount"], 1);
    let before = footprint(&app).await;
    let r = public_post_form(&app, &key, &[("surname", "Badmail"), ("email", "nope")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let ct = r
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(!r.body.contains("Thank you"));
    // The page lists the same message the JSON answer gives.
    let j = public_post_json(&app, &key, json!({"surname": "Badmail", "email": "nope"})).await;
    assert_eq!(j.status, 422, "{}", j.body);
    let errors = j.json()["errors"].clone();
    assert_eq!(strings(&errors, "field"), ["email"]);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        !message.is_empty() && r.body.contains(message),
        "{message} not in {}",
        r.body
    );
    assert_eq!(footprint(&app).await, before);
    // The demo company's form is public too.
    let page = app
        .client
        .get(format!("{}/public/forms/contact-us", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("name=\"surname\"") && html.contains("name=\"nickname\""));
}

#[tokio::test]
async fn the_public_form_is_rate_limited_per_client() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rita = user_id(&app, &admin, "rep@demo.crm").await;
    let form = make_form(&app, &admin, "Busy form", json!({"ownerId": rita})).await;
    let key = form["key"].as_str().unwrap().to_string();
    let before = app.count_rows("leads").await;
    for i in 0..5 {
        let r = public_post_json(
            &app,
            &key,
            json!({"surname": format!("Burst{i}"), "email": format!("burst{i}@example.com")}),
        )
        .await;
        assert_eq!(r.status, 200, "submission {i}: {}", r.body);
    }
    let r = public_post_json(
        &app,
        &key,
        json!({"surname": "Burst5", "email": "burst5@example.com"}),
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.body);
    let retry = r
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(app.count_rows("leads").await, before + 5);
    assert_eq!(search(&app, &admin, "Burst5").await["totalCount"], 0);
}

#[tokio::test]
async fn the_form_rate_limit_is_configurable() {
    let app = TestApp::with_config(server::config::AppConfig {
        form_rate_per_minute: 2,
        ..Default::default()
    })
    .await;
    let admin = app.login("admin@demo.crm").await;
    let rita = user_id(&app, &admin, "rep@demo.crm").await;
    let form = make_form(&app, &admin, "Slow form", json!({"ownerId": rita})).await;
    let key = form["key"].as_str().unwrap().to_string();
    let mut statuses = Vec::new();
    for i in 0..3 {
        let r = public_post_json(
            &app,
            &key,
            json!({"surname": format!("Slow{i}"), "email": format!("slow{i}@example.com")}),
        )
        .await;
        statuses.push(r.status);
    }
    assert_eq!(statuses, [200, 200, 429]);
}

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
    let sam = user_id(&app, &admin, "rep3@demo.crm").await;
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
    let rob = user_id(&app, &admin, "rep2@demo.crm").await;
    let max = user_id(&app, &admin, "manager@demo.crm").await;
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
            json!({"i": {"csv": csv, "listId": list["id"], "source": "CAMPAIGN"}}),
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
            .all(|l| l["source"] == "CAMPAIGN"
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
    assert!(s2 - s1 <= 20, "{} statements", s2 - s1);
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
                   "source": "REFERRAL"}}),
        )
        .await;
    assert_eq!(d["importLeads"]["created"], 5);
    let mine = create_lead(
        &app,
        &rep,
        json!({"surname": "Pager Foxtrot", "source": "PHONE"}),
    )
    .await;
    let q = "query($f: LeadFilter, $o: LeadOrder, $a: String) { leads(first: 2, after: $a, filter: $f, orderBy: $o) {
        totalCount pageInfo { hasNextPage endCursor } nodes { surname source status owner { email } } } }";
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
            json!({"f": {"search": "pager", "sources": ["PHONE"]}}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 1);
    let rita = user_id(&app, &admin, "rep@demo.crm").await;
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
            json!({"f": {"search": "pager", "statuses": ["NEW"], "sources": ["REFERRAL"]}}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 5);
}
