//! Pick-lists and the record details a real import needed: administrators keep the opportunity
//! types (add, rename, move, archive, restore; nobody else may), records name a live value or keep
//! the one they hold, lists filter by it; opportunities carry a description, meetings a location
//! and link, parties a preferred currency, addresses an addressee line, relationships a comment.

use serde_json::{json, Value};
use tests::{codes, fields, TestApp};

use crate::opportunities::account_id;

const LISTS: &str = "query($a: Boolean) { picklists(includeArchived: $a) { key values { id key label position archived version } } }";
const ADD: &str = "mutation($l: PicklistKey!, $label: String!, $k: String) { addPicklistValue(list: $l, label: $label, key: $k) { id key label position archived version } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $label: String, $p: Int) { updatePicklistValue(id: $id, version: $v, label: $label, position: $p) { id key label position version } }";
const ARCHIVE: &str = "mutation($id: ID!) { archivePicklistValue(id: $id) { key archived } }";
const RESTORE: &str = "mutation($id: ID!) { restorePicklistValue(id: $id) { key archived } }";
const CREATE_OPP: &str = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id version description opportunityType { key label archived } } } }";
const UPDATE_OPP: &str = "mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { id version description opportunityType { key label } } } }";
const ONE_OPP: &str =
    "query($id: ID!) { opportunity(id: $id) { description opportunityType { key label archived } } }";

async fn types(app: &TestApp, token: &str, archived: bool) -> Vec<Value> {
    let d = app.ok(token, LISTS, json!({"a": archived})).await;
    let list = d["picklists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == "OPPORTUNITY_TYPE")
        .expect("the opportunity types")
        .clone();
    list["values"].as_array().unwrap().clone()
}

fn keys(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .map(|v| v["key"].as_str().unwrap().to_string())
        .collect()
}

fn by_key<'a>(values: &'a [Value], key: &str) -> &'a Value {
    values.iter().find(|v| v["key"] == key).unwrap()
}

async fn ids_filtered(app: &TestApp, token: &str, types: Value) -> Vec<String> {
    let d = app
        .ok(
            token,
            "query($t: [String!]) { opportunities(first: 100, filter: {opportunityTypes: $t}) { edges { node { id opportunityType { key } } } } }",
            json!({"t": types}),
        )
        .await;
    d["opportunities"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn administrators_keep_the_opportunity_types_and_records_obey_them() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;

    // Everyone signed in reads the lists, in order.
    let start = types(&app, &rep, false).await;
    assert_eq!(
        keys(&start),
        ["new_business", "upgrade", "renewal", "add_on", "services"]
    );
    assert_eq!(by_key(&start, "renewal")["label"], "Renewal");
    let anonymous = app.gql(None, LISTS, json!({"a": false})).await;
    assert_eq!(codes(&anonymous), vec!["UNAUTHENTICATED"], "{anonymous}");

    // Only administrators change them; a refusal changes nothing.
    let rows = app.count_rows("picklist_values").await;
    let v = app
        .gql(
            Some(&rep),
            ADD,
            json!({"l": "OPPORTUNITY_TYPE", "label": "Partner resale"}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    for (vars, field) in [
        (json!({"l": "OPPORTUNITY_TYPE", "label": "  "}), "label"),
        (
            json!({"l": "OPPORTUNITY_TYPE", "label": "Renewal"}),
            "label",
        ),
        (
            json!({"l": "OPPORTUNITY_TYPE", "label": "Resale", "k": "Resale!"}),
            "key",
        ),
        (
            json!({"l": "OPPORTUNITY_TYPE", "label": "Resale", "k": "upgrade"}),
            "key",
        ),
    ] {
        let v = app.gql(Some(&admin), ADD, vars).await;
        assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
        assert_eq!(fields(&v), vec![field], "{v}");
    }
    assert_eq!(app.count_rows("picklist_values").await, rows);

    let resale = app
        .ok(
            &admin,
            ADD,
            json!({"l": "OPPORTUNITY_TYPE", "label": "Partner resale"}),
        )
        .await["addPicklistValue"]
        .clone();
    assert_eq!(
        resale["key"], "partner_resale",
        "the key is made of the label"
    );
    assert_eq!(resale["position"], 6);

    // Moved to the top, the others keep their order behind it; a stale version is a CONFLICT.
    let moved = app
        .ok(
            &admin,
            UPDATE,
            json!({"id": resale["id"], "v": resale["version"], "p": 1, "label": "Resale via partner"}),
        )
        .await["updatePicklistValue"]
        .clone();
    assert_eq!(moved["label"], "Resale via partner");
    assert_eq!(
        keys(&types(&app, &rep, false).await),
        [
            "partner_resale",
            "new_business",
            "upgrade",
            "renewal",
            "add_on",
            "services"
        ]
    );
    let v = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({"id": resale["id"], "v": resale["version"], "label": "Late"}),
        )
        .await;
    assert_eq!(codes(&v), vec!["CONFLICT"], "{v}");
    let v = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({"id": resale["id"], "v": moved["version"], "p": 9}),
        )
        .await;
    assert_eq!(fields(&v), vec!["position"], "{v}");

    // A record names a live value; several lines of description are kept as given.
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let deal = app
        .ok(
            &rep,
            CREATE_OPP,
            json!({"i": {"name": "Acme renewal 2027", "accountId": acme,
                         "opportunityType": "renewal",
                         "description": "Renewal of the 2026 contract.\nAdds two sites."}}),
        )
        .await["createOpportunity"]["opportunity"]
        .clone();
    assert_eq!(deal["opportunityType"]["key"], "renewal");
    assert_eq!(deal["opportunityType"]["label"], "Renewal");
    assert_eq!(
        deal["description"],
        "Renewal of the 2026 contract.\nAdds two sites."
    );
    let opps = app.count_rows("opportunities").await;
    for bad in ["resale", "Renewal", ""] {
        let v = app
            .gql(
                Some(&rep),
                CREATE_OPP,
                json!({"i": {"name": "Bad type", "accountId": acme, "opportunityType": bad}}),
            )
            .await;
        if bad.is_empty() {
            // An empty type is no type.
            assert!(v.get("errors").is_none(), "{v}");
            assert!(v["data"]["createOpportunity"]["opportunity"]["opportunityType"].is_null());
            continue;
        }
        assert_eq!(fields(&v), vec!["opportunityType"], "{v}");
    }
    // A bad type and a bad source are both named at once.
    let v = app
        .gql(
            Some(&rep),
            CREATE_OPP,
            json!({"i": {"name": "Bad both", "accountId": acme, "opportunityType": "resale", "leadSource": "carrier_pigeon"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["opportunityType", "leadSource"], "{v}");
    assert_eq!(app.count_rows("opportunities").await, opps + 1);

    // The list filters by type.
    let renewals = ids_filtered(&app, &rep, json!(["renewal"])).await;
    assert!(renewals.contains(&deal["id"].as_str().unwrap().to_string()));
    let d = app
        .ok(&rep, "query($t: [String!]) { opportunities(first: 100, filter: {opportunityTypes: $t}) { edges { node { opportunityType { key } } } } }", json!({"t": ["renewal", "upgrade"]}))
        .await;
    for e in d["opportunities"]["edges"].as_array().unwrap() {
        let k = e["node"]["opportunityType"]["key"].as_str().unwrap();
        assert!(k == "renewal" || k == "upgrade", "{e}");
    }

    // Archived, a value stays on the records that hold it but can be chosen no more.
    let renewal_id = by_key(&start, "renewal")["id"].clone();
    let v = app
        .gql(Some(&rep), ARCHIVE, json!({"id": renewal_id}))
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    let a = app.ok(&admin, ARCHIVE, json!({"id": renewal_id})).await;
    assert_eq!(a["archivePicklistValue"]["archived"], true);
    assert!(!keys(&types(&app, &rep, false).await).contains(&"renewal".to_string()));
    assert!(keys(&types(&app, &rep, true).await).contains(&"renewal".to_string()));
    let held = app.ok(&rep, ONE_OPP, json!({"id": deal["id"]})).await["opportunity"].clone();
    assert_eq!(held["opportunityType"]["label"], "Renewal");
    assert_eq!(held["opportunityType"]["archived"], true);
    // The record holding it is still edited freely; another may not choose it.
    let edited = app
        .ok(
            &rep,
            UPDATE_OPP,
            json!({"i": {"id": deal["id"], "version": deal["version"], "name": "Acme renewal 2027/28",
                         "opportunityType": "renewal"}}),
        )
        .await["updateOpportunity"]["opportunity"]
        .clone();
    assert_eq!(edited["opportunityType"]["key"], "renewal");
    let other = app
        .ok(
            &rep,
            CREATE_OPP,
            json!({"i": {"name": "Another", "accountId": acme, "opportunityType": "upgrade"}}),
        )
        .await["createOpportunity"]["opportunity"]
        .clone();
    let v = app
        .gql(
            Some(&rep),
            UPDATE_OPP,
            json!({"i": {"id": other["id"], "version": other["version"], "opportunityType": "renewal"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["opportunityType"], "{v}");
    // Cleared with an empty string; restored, the value is offered again.
    let cleared = app
        .ok(
            &rep,
            UPDATE_OPP,
            json!({"i": {"id": other["id"], "version": other["version"], "opportunityType": "", "description": ""}}),
        )
        .await["updateOpportunity"]["opportunity"]
        .clone();
    assert!(cleared["opportunityType"].is_null(), "{cleared}");
    let r = app.ok(&admin, RESTORE, json!({"id": renewal_id})).await;
    assert_eq!(r["restorePicklistValue"]["archived"], false);
    app.ok(
        &rep,
        UPDATE_OPP,
        json!({"i": {"id": other["id"], "version": cleared["version"], "opportunityType": "renewal"}}),
    )
    .await;

    // Every change is in the audit trail of the value.
    let d = app
        .ok(
            &admin,
            "query($id: ID!) { auditLog(first: 20, filter: {objectId: $id}) { edges { node { action } } } }",
            json!({"id": renewal_id}),
        )
        .await;
    let actions: Vec<&str> = d["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"archive") && actions.contains(&"restore"),
        "{d}"
    );
}

#[tokio::test]
async fn meetings_parties_addresses_and_relationships_hold_their_details() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;

    // A meeting's place and online link (`https://` added when left out).
    let start = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let q = "mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id version location meetingUrl } } }";
    let m = app
        .ok(
            &rep,
            q,
            json!({"i": {"kind": "MEETING", "subject": "Site visit", "startsAt": start,
                         "location": "Acme HQ, room 4", "meetingUrl": "meet.example.com/acme-4"}}),
        )
        .await["createActivity"]["activity"]
        .clone();
    assert_eq!(m["location"], "Acme HQ, room 4");
    assert_eq!(m["meetingUrl"], "https://meet.example.com/acme-4");
    let before = app.count_rows("activities").await;
    let v = app
        .gql(
            Some(&rep),
            q,
            json!({"i": {"kind": "MEETING", "subject": "Bad link", "startsAt": start,
                         "meetingUrl": "ftp://files.example.com"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["meetingUrl"], "{v}");
    assert_eq!(app.count_rows("activities").await, before);
    let u = app
        .ok(
            &rep,
            "mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { activity { location meetingUrl } } }",
            json!({"i": {"id": m["id"], "version": m["version"], "location": "", "meetingUrl": "https://call.example.com/x"}}),
        )
        .await["updateActivity"]["activity"]
        .clone();
    assert!(u["location"].is_null(), "{u}");
    assert_eq!(u["meetingUrl"], "https://call.example.com/x");

    // A party's preferred currency (ISO 4217), an addressee line, a comment on a relationship.
    let q = "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { party { id version preferredCurrency contactMechanisms { kind value address { attention street city } phoneNumber { countryCode areaCode number extension } } } } }";
    let v = app
        .gql(
            Some(&rep),
            q,
            json!({"i": {"name": "Wayne Supplies", "preferredCurrency": "EURO"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["preferredCurrency"], "{v}");
    let org = app
        .ok(
            &rep,
            q,
            json!({"i": {"name": "Wayne Supplies", "preferredCurrency": "gbp",
                         "contactMechanisms": [{"kind": "POSTAL_ADDRESS", "purposes": ["BILLING"],
                            "address": {"attention": "Attn. Accounts payable", "street": "1 Dock Road", "city": "Gotham"}},
                          {"kind": "PHONE", "value": "+1 801 444-4444 ext. 12"}]}}),
        )
        .await["createOrganization"]["party"]
        .clone();
    assert_eq!(org["preferredCurrency"], "GBP");
    let mechanism = |kind: &str| {
        org["contactMechanisms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["kind"] == kind)
            .unwrap()
            .clone()
    };
    let addr = &mechanism("POSTAL_ADDRESS");
    assert!(addr["phoneNumber"].is_null());
    // A phone keeps its structure beside the normalised form.
    let phone = mechanism("PHONE");
    assert_eq!(phone["value"], "+18014444444;ext=12");
    assert_eq!(
        phone["phoneNumber"],
        json!({"countryCode": "1", "areaCode": "801", "number": "444-4444", "extension": "12"})
    );
    assert_eq!(addr["address"]["attention"], "Attn. Accounts payable");
    assert_eq!(addr["value"], "Attn. Accounts payable, 1 Dock Road, Gotham");
    // A new quote for it starts in its currency.
    let quote = app
        .ok(
            &rep,
            "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { currency } } }",
            json!({"i": {"customerId": org["id"],
                         "lines": [{"name": "Crate", "quantity": "1", "unitPrice": "10.00"}]}}),
        )
        .await;
    assert_eq!(quote["createQuote"]["quote"]["currency"], "GBP");
    let upd = app
        .ok(
            &rep,
            "mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { party { preferredCurrency } } }",
            json!({"i": {"id": org["id"], "version": org["version"], "preferredCurrency": ""}}),
        )
        .await;
    assert!(upd["updateOrganization"]["party"]["preferredCurrency"].is_null());

    let person = app
        .ok(
            &rep,
            "mutation($i: CreatePersonInput!) { createPerson(input: $i) { party { id } } }",
            json!({"i": {"foreName": "Lucius", "surname": "Fox"}}),
        )
        .await["createPerson"]["party"]["id"]
        .clone();
    let add = "mutation($i: AddRelationshipInput!) { addRelationship(input: $i) { relationship { id kind comment } } }";
    let first = app
        .ok(
            &rep,
            add,
            json!({"i": {"fromId": person, "toId": org["id"], "kind": "EMPLOYEE_OF",
                         "comment": "Head of procurement.\nPrefers e-mail."}}),
        )
        .await["addRelationship"]["relationship"]
        .clone();
    assert_eq!(first["comment"], "Head of procurement.\nPrefers e-mail.");
    // Two parties may be linked by more than one type.
    let second = app
        .ok(
            &rep,
            add,
            json!({"i": {"fromId": person, "toId": org["id"], "kind": "CONTACT_OF"}}),
        )
        .await["addRelationship"]["relationship"]
        .clone();
    assert_eq!(second["kind"], "CONTACT_OF");
    let v = app
        .gql(
            Some(&rep),
            add,
            json!({"i": {"fromId": person, "toId": org["id"], "kind": "PARTNER_OF",
                         "comment": "x".repeat(2001)}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["comment"], "{v}");
}
