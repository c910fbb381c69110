//! A party's identifiers: tax ids (typed, with their country, under the `party.taxIds` field grant)
//! and ids in other systems (unique per system, found again with `partyByExternalId` under the row
//! scope); both move with a merge, and an erasure removes a person's tax ids.

use serde_json::{json, Value};
use tests::{codes, fields, TestApp};

const IDS: &str = "id externalIds { id system value } taxIds { id kind country value }";

fn add_tax() -> String {
    format!("mutation($i: AddTaxIdInput!) {{ addTaxId(input: $i) {{ party {{ {IDS} }} }} }}")
}

fn add_ext() -> String {
    format!(
        "mutation($i: AddExternalIdInput!) {{ addExternalId(input: $i) {{ party {{ {IDS} }} }} }}"
    )
}

fn remove(what: &str) -> String {
    format!("mutation($i: RemoveIdentifierInput!) {{ {what}(input: $i) {{ party {{ {IDS} }} }} }}")
}

fn party_query() -> String {
    format!("query($id: ID!) {{ party(id: $id) {{ displayName {IDS} timeline(first: 20) {{ edges {{ node {{ action changes {{ field before after }} }} }} }} }} }}")
}

async fn organisation(app: &TestApp, token: &str, name: &str) -> Value {
    app.ok(
        token,
        "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { party { id version } } }",
        json!({"i": {"name": name}}),
    )
    .await["createOrganization"]["party"]
        .clone()
}

async fn person(app: &TestApp, token: &str, fore: &str, sur: &str) -> Value {
    app.ok(
        token,
        "mutation($i: CreatePersonInput!) { createPerson(input: $i) { party { id version } } }",
        json!({"i": {"foreName": fore, "surname": sur}}),
    )
    .await["createPerson"]["party"]
        .clone()
}

async fn version(app: &TestApp, token: &str, id: &Value) -> Value {
    app.ok(
        token,
        "query($id: ID!) { party(id: $id) { version } }",
        json!({"id": id}),
    )
    .await["party"]["version"]
        .clone()
}

fn timeline_fields(party: &Value) -> Vec<String> {
    party["timeline"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["node"]["changes"].as_array().unwrap().clone())
        .map(|c| c["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn tax_ids_are_typed_checked_and_guarded_by_their_field_grant() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let support = app.login("support@demo.crm").await;
    let billing = app.login("billing@demo.crm").await;
    let readonly = app.login("readonly@demo.crm").await;
    let org = organisation(&app, &rep, "Initech GmbH").await;

    let d = app
        .ok(
            &rep,
            &add_tax(),
            json!({"i": {"partyId": org["id"], "kind": "VAT", "country": "de", "value": "DE 123.456.789"}}),
        )
        .await;
    assert_eq!(
        d["addTaxId"]["party"]["taxIds"][0],
        json!({"id": d["addTaxId"]["party"]["taxIds"][0]["id"], "kind": "VAT", "country": "DE", "value": "DE 123.456.789"})
    );

    // Bad input names its field and writes nothing; the same number written otherwise is the same.
    let rows = app.count_rows("party_tax_ids").await;
    for (input, want) in [
        (
            json!({"kind": "VAT", "country": "DE", "value": "123456789"}),
            vec!["value"],
        ),
        (
            json!({"kind": "VAT", "country": "XX", "value": ""}),
            vec!["country", "value"],
        ),
        (
            json!({"kind": "EIN", "country": "CA", "value": "12-3456789"}),
            vec!["country"],
        ),
        (
            json!({"kind": "EIN", "country": "US", "value": "12-345"}),
            vec!["value"],
        ),
        (
            json!({"kind": "ABN", "country": "AU", "value": "51 824 753 557"}),
            vec!["value"],
        ),
        (
            json!({"kind": "OTHER", "country": "CH", "value": "CHE-123;456"}),
            vec!["value"],
        ),
    ] {
        let mut i = input.clone();
        i["partyId"] = org["id"].clone();
        let v = app.gql(Some(&rep), &add_tax(), json!({"i": i})).await;
        assert_eq!(fields(&v), want, "{input}: {v}");
    }
    assert_eq!(app.count_rows("party_tax_ids").await, rows);
    let d = app
        .ok(
            &rep,
            &add_tax(),
            json!({"i": {"partyId": org["id"], "kind": "EIN", "country": "US", "value": "12-3456789"}}),
        )
        .await;
    let taxes = d["addTaxId"]["party"]["taxIds"].as_array().unwrap().clone();
    assert_eq!(taxes.len(), 2);
    assert_eq!(taxes[1]["kind"], "EIN");

    // Billing reads them; support may update parties but not their tax ids; read-only sees none.
    let seen = app
        .ok(&billing, &party_query(), json!({"id": org["id"]}))
        .await;
    assert_eq!(seen["party"]["taxIds"].as_array().unwrap().len(), 2);
    assert!(timeline_fields(&seen["party"]).contains(&"taxId".to_string()));
    for token in [&support, &readonly] {
        let v = app
            .gql(Some(token), &party_query(), json!({"id": org["id"]}))
            .await;
        assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
        assert!(v["data"]["party"]["taxIds"].is_null(), "{v}");
        assert_eq!(v["data"]["party"]["displayName"], "Initech GmbH");
        // The timeline keeps the entries but not the numbers.
        assert!(
            !timeline_fields(&v["data"]["party"]).contains(&"taxId".to_string()),
            "{v}"
        );
    }
    let v = app
        .gql(
            Some(&support),
            &add_tax(),
            json!({"i": {"partyId": org["id"], "kind": "GST", "country": "IN", "value": "27AAPFU0939F1ZV"}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    let v = app
        .gql(
            Some(&support),
            &remove("removeTaxId"),
            json!({"i": {"id": taxes[0]["id"]}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    let v = app
        .gql(
            Some(&billing),
            &remove("removeTaxId"),
            json!({"i": {"id": taxes[0]["id"]}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    assert_eq!(app.count_rows("party_tax_ids").await, rows + 1);

    let d = app
        .ok(
            &rep,
            &remove("removeTaxId"),
            json!({"i": {"id": taxes[0]["id"]}}),
        )
        .await;
    assert_eq!(
        d["removeTaxId"]["party"]["taxIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["kind"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["EIN"]
    );
    let v = app
        .gql(
            Some(&rep),
            &remove("removeTaxId"),
            json!({"i": {"id": taxes[0]["id"]}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["NOT_FOUND"], "{v}");
}

#[tokio::test]
async fn external_ids_are_unique_per_system_and_found_under_the_row_scope() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let readonly = app.login("readonly@demo.crm").await;
    let org = organisation(&app, &rep, "Globex").await;
    let other = organisation(&app, &rep, "Globex Europe").await;

    let d = app
        .ok(
            &rep,
            &add_ext(),
            json!({"i": {"partyId": org["id"], "system": " OFBiz ", "value": "DemoCustomer"}}),
        )
        .await;
    let ext = d["addExternalId"]["party"]["externalIds"].clone();
    assert_eq!(ext[0]["system"], "ofbiz");
    assert_eq!(ext[0]["value"], "DemoCustomer");

    // One party per system and id; ids keep their case, so another case is another id.
    let rows = app.count_rows("party_external_ids").await;
    let v = app
        .gql(
            Some(&rep),
            &add_ext(),
            json!({"i": {"partyId": other["id"], "system": "ofbiz", "value": "DemoCustomer"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["value"], "{v}");
    let v = app
        .gql(
            Some(&rep),
            &add_ext(),
            json!({"i": {"partyId": other["id"], "system": "my system", "value": " "}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["system", "value"], "{v}");
    assert_eq!(app.count_rows("party_external_ids").await, rows);
    app.ok(
        &rep,
        &add_ext(),
        json!({"i": {"partyId": other["id"], "system": "ofbiz", "value": "democustomer"}}),
    )
    .await;
    // The same id in another system is another id.
    app.ok(
        &rep,
        &add_ext(),
        json!({"i": {"partyId": other["id"], "system": "erp", "value": "DemoCustomer"}}),
    )
    .await;

    let by = "query($s: String!, $v: String!) { partyByExternalId(system: $s, value: $v) { id displayName externalIds { system value } } }";
    let found = app
        .ok(&rep, by, json!({"s": "OFBIZ", "v": "DemoCustomer"}))
        .await;
    assert_eq!(found["partyByExternalId"]["id"], org["id"]);
    let found = app
        .ok(&rep, by, json!({"s": "ofbiz", "v": "democustomer"}))
        .await;
    assert_eq!(found["partyByExternalId"]["displayName"], "Globex Europe");
    assert_eq!(
        found["partyByExternalId"]["externalIds"],
        json!([{"system": "erp", "value": "DemoCustomer"}, {"system": "ofbiz", "value": "democustomer"}])
    );
    assert!(
        app.ok(&rep, by, json!({"s": "ofbiz", "v": "nobody"})).await["partyByExternalId"].is_null()
    );
    let v = app.gql(Some(&rep), by, json!({"s": "", "v": "x"})).await;
    assert_eq!(fields(&v), vec!["system"], "{v}");

    // Row scope: rep3's contact is out of the rep's reach, by external id as by any other way.
    let lumbergh = app
        .ok(
            &manager,
            "query { parties(first: 1, filter: {search: \"lumbergh\"}) { edges { node { id } } } }",
            json!({}),
        )
        .await["parties"]["edges"][0]["node"]["id"]
        .clone();
    app.ok(
        &manager,
        &add_ext(),
        json!({"i": {"partyId": lumbergh, "system": "erp", "value": "L-1"}}),
    )
    .await;
    assert_eq!(
        app.ok(&manager, by, json!({"s": "erp", "v": "L-1"})).await["partyByExternalId"]["id"],
        lumbergh
    );
    assert!(app.ok(&rep, by, json!({"s": "erp", "v": "L-1"})).await["partyByExternalId"].is_null());
    let v = app
        .gql(
            Some(&rep),
            &add_ext(),
            json!({"i": {"partyId": lumbergh, "system": "erp", "value": "L-2"}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["NOT_FOUND"], "{v}");
    // Read-only reads external ids but may not change them.
    let seen = app.ok(&readonly, by, json!({"s": "erp", "v": "L-1"})).await;
    assert_eq!(seen["partyByExternalId"]["externalIds"][0]["value"], "L-1");
    let v = app
        .gql(
            Some(&readonly),
            &remove("removeExternalId"),
            json!({"i": {"id": ext[0]["id"]}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");

    // A list reads both for every row in one statement each, however many rows.
    let list = "query($n: Int) { parties(first: $n, filter: {search: \"globex\", kind: ORGANIZATION}) { edges { node { id externalIds { value } taxIds { value } } } } }";
    let plain = "query($n: Int) { parties(first: $n, filter: {search: \"globex\", kind: ORGANIZATION}) { edges { node { id } } } }";
    app.ok(&rep, list, json!({"n": 1})).await;
    let s0 = app.statements();
    app.ok(&rep, plain, json!({"n": 2})).await;
    let s1 = app.statements();
    let both = app.ok(&rep, list, json!({"n": 2})).await;
    let s2 = app.statements();
    assert_eq!(both["parties"]["edges"].as_array().unwrap().len(), 2);
    assert_eq!((s2 - s1) - (s1 - s0), 2, "one statement per relation");

    let d = app
        .ok(
            &rep,
            &remove("removeExternalId"),
            json!({"i": {"id": ext[0]["id"]}}),
        )
        .await;
    assert_eq!(d["removeExternalId"]["party"]["externalIds"], json!([]));
    assert!(app
        .ok(&rep, by, json!({"s": "ofbiz", "v": "DemoCustomer"}))
        .await["partyByExternalId"]
        .is_null());
}

#[tokio::test]
async fn a_merge_moves_identifiers_and_an_erasure_removes_tax_ids() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let a = person(&app, &admin, "Peter", "Gibbons").await;
    let b = person(&app, &admin, "Pete", "Gibbons").await;
    for (p, ext) in [(&a, "1"), (&b, "2")] {
        app.ok(
            &admin,
            &add_tax(),
            json!({"i": {"partyId": p["id"], "kind": "OTHER", "country": "GB", "value": "AB 12 34 56 C"}}),
        )
        .await;
        app.ok(
            &admin,
            &add_ext(),
            json!({"i": {"partyId": p["id"], "system": "legacy", "value": ext}}),
        )
        .await;
    }
    let merged = app
        .ok(
            &admin,
            &format!("mutation($i: MergePartiesInput!) {{ mergeParties(input: $i) {{ party {{ {IDS} }} }} }}"),
            json!({"i": {"survivorId": a["id"], "survivorVersion": version(&app, &admin, &a["id"]).await,
                         "mergedId": b["id"], "mergedVersion": version(&app, &admin, &b["id"]).await}}),
        )
        .await["mergeParties"]["party"]
        .clone();
    // The same number once; both legacy ids now lead to the survivor.
    assert_eq!(merged["taxIds"].as_array().unwrap().len(), 1, "{merged}");
    let values: Vec<&str> = merged["externalIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["1", "2"]);

    let erased = app
        .ok(
            &admin,
            &format!("mutation($i: PartyRefInput!) {{ erasePersonalData(input: $i) {{ party {{ {IDS} }} }} }}"),
            json!({"i": {"id": a["id"], "version": version(&app, &admin, &a["id"]).await}}),
        )
        .await["erasePersonalData"]["party"]
        .clone();
    assert_eq!(erased["taxIds"], json!([]));
    assert_eq!(erased["externalIds"].as_array().unwrap().len(), 2);
    let log = app.ok(&admin, &party_query(), json!({"id": a["id"]})).await;
    let text = log.to_string();
    assert!(
        !text.contains("AB 12 34 56 C"),
        "the number is scrubbed: {text}"
    );
}

#[tokio::test]
async fn e_mails_and_codes_keep_their_case_and_compare_without_it() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let create = "mutation($i: CreatePersonInput!) { createPerson(input: $i) { party { id contactMechanisms { value } } } }";
    let first = app
        .ok(
            &admin,
            create,
            json!({"i": {"foreName": "Wile", "surname": "Coyote-Case",
                         "contactMechanisms": [{"kind": "EMAIL", "value": " Wile.E@Acme.EXAMPLE "}]}}),
        )
        .await["createPerson"]["party"]
        .clone();
    assert_eq!(
        first["contactMechanisms"][0]["value"],
        "Wile.E@Acme.EXAMPLE"
    );
    let second = app
        .ok(
            &admin,
            create,
            json!({"i": {"foreName": "W.", "surname": "Other",
                         "contactMechanisms": [{"kind": "EMAIL", "value": "wile.e@acme.example"}]}}),
        )
        .await["createPerson"]["party"]
        .clone();
    // The same address in another case is the same address: a duplicate.
    let d = app
        .ok(
            &admin,
            "query($id: ID!) { duplicates(id: $id) { reason party { id } } }",
            json!({"id": first["id"]}),
        )
        .await;
    assert_eq!(
        d["duplicates"],
        json!([{"reason": "SAME_EMAIL", "party": {"id": second["id"]}}])
    );

    // Lead imports skip an address already imported in another case.
    let d = app
        .ok(
            &admin,
            "mutation($i: ImportLeadsInput!) { importLeads(input: $i) { created duplicates leads { email } } }",
            json!({"i": {"csv": "surname,email\nCasea,Imp.Case@Example.com\nCaseb,imp.case@example.COM\n"}}),
        )
        .await;
    assert_eq!(d["importLeads"]["created"], 1, "{d}");
    assert_eq!(d["importLeads"]["duplicates"], 1, "{d}");
    assert_eq!(
        d["importLeads"]["leads"][0]["email"],
        "Imp.Case@Example.com"
    );

    // Codes keep their case and are unique without it.
    let org = "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { party { code } } }";
    let d = app
        .ok(
            &admin,
            org,
            json!({"i": {"name": "Case Ltd", "code": "o-Case-1"}}),
        )
        .await;
    assert_eq!(d["createOrganization"]["party"]["code"], "o-Case-1");
    let rows = app.count_rows("parties").await;
    let v = app
        .gql(
            Some(&admin),
            org,
            json!({"i": {"name": "Case Two", "code": "O-CASE-1"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["code"], "{v}");
    assert_eq!(app.count_rows("parties").await, rows);
    let product =
        "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { code } } }";
    let d = app
        .ok(
            &admin,
            product,
            json!({"i": {"code": "Sku-a1", "name": "Case widget"}}),
        )
        .await;
    assert_eq!(d["createProduct"]["product"]["code"], "Sku-a1");
    let v = app
        .gql(
            Some(&admin),
            product,
            json!({"i": {"code": "SKU-A1", "name": "Other widget"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["code"], "{v}");
}
