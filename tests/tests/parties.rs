//! The customer master: people and organisations, roles, contact mechanisms, relationships,
//! search, the 360° profile and its timeline — each under the role matrix and row scope.

use serde_json::{json, Value};
use tests::{codes, fields, TestApp};

const CONTACTS: &str = "query($f: PartyFilter, $n: Int) { contacts(first: $n, filter: $f) {
  totalCount edges { node { id code displayName roles ... on Person { foreName surname } contactMechanisms { kind value purposes } } } } }";

const CREATE_PERSON: &str = "mutation($i: CreatePersonInput!) { createPerson(input: $i) { party { id code displayName roles customerType version
  contactMechanisms { id kind value purposes address { street city postalCode country } } } } }";

const PROFILE: &str = "query($id: ID!) { partyProfile(id: $id) {
  id code displayName kind roles partyRoles { key label } owner { displayName }
  contactMechanisms { kind value }
  relationships(first: 25) { totalCount edges { node { kind relationshipType { key label } roleLabel direction
    other { id displayName roles partyRoles { key label } } } } }
  timeline(first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { node { action actor { displayName } changes { field before after } } } }
} }";

const ADD_REL: &str = "mutation($i: AddRelationshipInput!) { addRelationship(input: $i) { relationship { id kind roleLabel direction other { displayName } } } }";

async fn find(app: &TestApp, token: &str, text: &str) -> Value {
    let d = app
        .ok(token, "query($f: PartyFilter) { parties(first: 5, filter: $f) { edges { node { id displayName version } } } }", json!({"f": {"search": text}}))
        .await;
    d["parties"]["edges"][0]["node"].clone()
}

#[tokio::test]
async fn people_with_contact_details_roles_and_customer_type() {
    let app = TestApp::new().await;
    let support = app.login("support@demo.crm").await;
    let v = app
        .ok(
            &support,
            CREATE_PERSON,
            json!({"i": {
                "foreName": " Ada ", "middleInitial": "b.", "surname": "Lovelace", "area": "West",
                "roles": ["CONTACT", "CUSTOMER"], "customerType": "B2C",
                "contactMechanisms": [
                    {"kind": "EMAIL", "value": "Ada@Engine.EXAMPLE"},
                    {"kind": "PHONE", "value": "+44 (20) 7946-0018", "purposes": ["WORK"]},
                    {"kind": "POSTAL_ADDRESS", "address": {"street": "12 St James's Square", "city": "London", "postalCode": "SW1Y 4LB", "country": "UK"}, "purposes": ["SHIPPING", "HOME"]}
                ]
            }}),
        )
        .await;
    let p = &v["createPerson"]["party"];
    assert_eq!(p["displayName"], "Ada B. Lovelace");
    assert!(p["code"].as_str().unwrap().starts_with("P-"));
    assert_eq!(p["roles"], json!(["CONTACT", "CUSTOMER"]));
    assert_eq!(p["customerType"], "B2C");
    let cms = p["contactMechanisms"].as_array().unwrap();
    assert_eq!(cms[0]["value"], "Ada@Engine.EXAMPLE");
    assert_eq!(cms[0]["purposes"], json!(["PRIMARY"]));
    assert_eq!(cms[1]["value"], "+442079460018");
    assert_eq!(cms[2]["value"], "12 St James's Square, SW1Y 4LB London, UK");
    assert_eq!(cms[2]["purposes"], json!(["SHIPPING", "HOME"]));

    // It is a contact and a B2C customer.
    let d = app
        .ok(&support, CONTACTS, json!({"f": {"search": "lovelace"}}))
        .await;
    assert_eq!(d["contacts"]["totalCount"], 1);
    let d = app
        .ok(
            &support,
            "query { customers(filter: {customerType: B2C}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["customers"]["totalCount"], 5);

    // Bad input names every field and writes nothing.
    let before = (
        app.count_rows("parties").await,
        app.count_rows("contact_mechanisms").await,
    );
    let v = app
        .gql(
            Some(&support),
            CREATE_PERSON,
            json!({"i": {"foreName": "", "surname": "X", "roles": ["ACCOUNT", "CUSTOMER"],
                "contactMechanisms": [{"kind": "EMAIL", "value": "nope"}, {"kind": "POSTAL_ADDRESS"}, {"kind": "WEB", "value": "x.org", "validFrom": "2026-02-01", "validTo": "2026-01-01"}]}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    assert_eq!(
        fields(&v),
        vec![
            "foreName",
            "roles",
            "customerType",
            "contactMechanisms.0.value",
            "contactMechanisms.1.address",
            "contactMechanisms.2.validTo"
        ]
    );
    assert_eq!(
        (
            app.count_rows("parties").await,
            app.count_rows("contact_mechanisms").await
        ),
        before
    );
}

#[tokio::test]
async fn role_matrix_for_parties_and_the_contact_data_guard() {
    let app = TestApp::new().await;
    // (user, contacts visible, may create people, may read contact details)
    let matrix: [(&str, Option<i64>, bool, bool); 9] = [
        ("admin@demo.crm", Some(12), true, true),
        ("manager@demo.crm", Some(12), true, true),
        ("rep@demo.crm", Some(6), true, true),
        ("rep3@demo.crm", Some(3), true, true),
        ("marketing@demo.crm", Some(12), false, true),
        ("support@demo.crm", Some(12), true, true),
        ("readonly@demo.crm", Some(12), false, false),
        ("partner@demo.crm", None, false, false),
        ("customer@demo.crm", None, false, false),
    ];
    for (who, visible, _, contacts) in matrix {
        let token = app.login(who).await;
        let v = app.gql(Some(&token), CONTACTS, json!({"n": 100})).await;
        match visible {
            Some(n) => {
                assert_eq!(v["data"]["contacts"]["totalCount"], n, "{who}: {v}");
                let edges = v["data"]["contacts"]["edges"].as_array().unwrap();
                assert_eq!(edges.len() as i64, n);
                if contacts {
                    assert!(v.get("errors").is_none(), "{who}: {v}");
                    assert!(edges.iter().all(|e| e["node"]["contactMechanisms"]
                        .as_array()
                        .unwrap()
                        .len()
                        == 2));
                } else {
                    assert_eq!(codes(&v).len() as i64, n, "{who}: one FORBIDDEN per row");
                    assert!(codes(&v).iter().all(|c| c == "FORBIDDEN"));
                    assert!(edges
                        .iter()
                        .all(|e| e["node"].get("contactMechanisms") == Some(&Value::Null)));
                    for e in v["errors"].as_array().unwrap() {
                        let path = e["path"].as_array().unwrap();
                        assert_eq!(path.last().unwrap(), "contactMechanisms", "{e}");
                    }
                    assert!(edges.iter().all(|e| e["node"]["displayName"].is_string()));
                }
            }
            None => assert_eq!(codes(&v), vec!["FORBIDDEN"], "{who}: {v}"),
        }
    }
    // Writes after all reads: they change what each role sees.
    for (who, _, create, _) in matrix {
        let token = app.login(who).await;
        let before = app.count_rows("parties").await;
        let v = app
            .gql(
                Some(&token),
                CREATE_PERSON,
                json!({"i": {"foreName": "New", "surname": format!("By {who}")}}),
            )
            .await;
        if create {
            assert!(v.get("errors").is_none(), "{who}: {v}");
            assert_eq!(app.count_rows("parties").await, before + 1);
        } else {
            assert_eq!(codes(&v), vec!["FORBIDDEN"], "{who}: {v}");
            assert_eq!(app.count_rows("parties").await, before);
        }
    }
    // Writing contact details needs the field grant too; a rep cannot touch another team's party.
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let lumbergh = find(&app, &manager, "lumbergh").await; // rep3's contact
    let v = app
        .gql(
            Some(&rep),
            "mutation($i: AddContactMechanismInput!) { addContactMechanism(input: $i) { party { id } } }",
            json!({"i": {"partyId": lumbergh["id"], "mechanism": {"kind": "EMAIL", "value": "x@y.example"}}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["NOT_FOUND"], "{v}");
    let v = app
        .ok(
            &rep,
            "query($id: ID!) { party(id: $id) { id } node(id: $id) { id } }",
            json!({"id": lumbergh["id"]}),
        )
        .await;
    assert!(v["party"].is_null() && v["node"].is_null());
}

#[tokio::test]
async fn relationships_link_accounts_and_contacts_within_scope() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let acme = find(&app, &manager, "acme").await;
    let coyote = find(&app, &manager, "coyote").await;

    let d = app.ok(&rep, PROFILE, json!({"id": acme["id"]})).await;
    let rels = &d["partyProfile"]["relationships"];
    assert_eq!(rels["totalCount"], 1);
    let r = &rels["edges"][0]["node"];
    assert_eq!(r["kind"], "CONTACT_OF");
    assert_eq!(r["direction"], "INCOMING");
    assert_eq!(r["roleLabel"], "Decision maker");
    assert_eq!(r["other"]["displayName"], "Wile Coyote");
    let d = app.ok(&rep, PROFILE, json!({"id": coyote["id"]})).await;
    assert_eq!(
        d["partyProfile"]["relationships"]["edges"][0]["node"]["direction"],
        "OUTGOING"
    );
    assert_eq!(
        d["partyProfile"]["relationships"]["edges"][0]["node"]["other"]["roles"],
        json!(["ACCOUNT"])
    );

    // Bad links are refused with the field named.
    let globex = find(&app, &manager, "globex").await;
    for (input, field) in [
        (
            json!({"fromId": acme["id"], "toId": coyote["id"], "kind": "CONTACT_OF"}),
            "kind",
        ),
        (
            json!({"fromId": coyote["id"], "toId": coyote["id"], "kind": "PARTNER_OF"}),
            "toId",
        ),
        (
            json!({"fromId": coyote["id"], "toId": acme["id"], "kind": "CONTACT_OF"}),
            "kind",
        ),
        (
            json!({"fromId": coyote["id"], "toId": globex["id"], "kind": "EMPLOYEE_OF", "validFrom": "yesterday"}),
            "validFrom",
        ),
    ] {
        let v = app.gql(Some(&rep), ADD_REL, json!({"i": input})).await;
        assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
        assert_eq!(fields(&v), vec![field], "{v}");
    }
    // A party the rep cannot see cannot be linked.
    let initech = find(&app, &manager, "initech").await;
    let v = app
        .gql(
            Some(&rep),
            ADD_REL,
            json!({"i": {"fromId": coyote["id"], "toId": initech["id"], "kind": "PARTNER_OF"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["toId"], "{v}");
    // A good one, then ended.
    let v = app
        .ok(&rep, ADD_REL, json!({"i": {"fromId": coyote["id"], "toId": globex["id"], "kind": "EMPLOYEE_OF", "roleLabel": "Advisor", "validFrom": "2026-01-01"}}))
        .await;
    let rel_id = v["addRelationship"]["relationship"]["id"].clone();
    let v = app
        .ok(&rep, "mutation($i: EndRelationshipInput!) { endRelationship(input: $i) { relationship { validTo } } }", json!({"i": {"id": rel_id, "validTo": "2026-06-30"}}))
        .await;
    assert_eq!(
        v["endRelationship"]["relationship"]["validTo"],
        "2026-06-30"
    );

    // When Acme moves to another team, the rep's view of Coyote no longer shows the link.
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
    let acme_now = find(&app, &manager, "acme").await;
    app.ok(
        &manager,
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
        json!({"i": {"id": acme_now["id"], "version": acme_now["version"], "ownerId": sam}}),
    )
    .await;
    let d = app.ok(&rep, PROFILE, json!({"id": coyote["id"]})).await;
    let rels = &d["partyProfile"]["relationships"];
    assert_eq!(
        rels["totalCount"], 1,
        "only the Globex link remains: {rels}"
    );
    assert_eq!(rels["edges"][0]["node"]["other"]["displayName"], "Globex");
}

const ADD_TYPED: &str = "mutation($i: AddRelationshipInput!) { addRelationship(input: $i) { relationship { id kind relationshipType { key label archived } direction other { displayName } } } }";

#[tokio::test]
async fn relationship_types_are_a_pick_list_administrators_extend() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let acme = find(&app, &manager, "acme").await;
    let coyote = find(&app, &manager, "coyote").await;
    let globex = find(&app, &manager, "globex").await;

    // Installed: the four kinds of before (their stored names now keys), then the links a real
    // import holds.
    assert_eq!(
        app.picklist_keys(&rep, "RELATIONSHIP_TYPE").await,
        [
            "contact_of",
            "employee_of",
            "partner_of",
            "parent_organization",
            "supplier_of",
            "agent_of",
            "member_of"
        ]
    );
    // The demo link stored as CONTACT_OF before reads as the type and, deprecated, the kind.
    let d = app
        .ok(
            &rep,
            "query($id: ID!) { partyProfile(id: $id) { relationships(first: 5) { edges { node { kind relationshipType { key label archived } direction } } } } }",
            json!({"id": coyote["id"]}),
        )
        .await;
    let r = &d["partyProfile"]["relationships"]["edges"][0]["node"];
    assert_eq!(r["kind"], "CONTACT_OF");
    assert_eq!(
        r["relationshipType"],
        json!({"key": "contact_of", "label": "Contact of", "archived": false})
    );

    // Only administrators add types.
    let add = "mutation($label: String!) { addPicklistValue(list: RELATIONSHIP_TYPE, label: $label) { id key } }";
    let v = app
        .gql(Some(&rep), add, json!({"label": "Reseller of"}))
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    let reseller = app
        .add_picklist_value(&admin, "RELATIONSHIP_TYPE", "Reseller of")
        .await;
    assert_eq!(reseller["key"], "reseller_of");

    // Bad types are refused on their field and write nothing.
    let before = app.count_rows("party_relationships").await;
    for (input, field) in [
        (
            json!({"fromId": globex["id"], "toId": acme["id"], "relationshipType": "nope_of"}),
            "relationshipType",
        ),
        (
            json!({"fromId": globex["id"], "toId": acme["id"]}),
            "relationshipType",
        ),
        // A person is the contact of an organisation, not the other way round.
        (
            json!({"fromId": acme["id"], "toId": coyote["id"], "relationshipType": "contact_of"}),
            "relationshipType",
        ),
        // The deprecated kind names its own field.
        (
            json!({"fromId": acme["id"], "toId": coyote["id"], "kind": "CONTACT_OF"}),
            "kind",
        ),
        (
            json!({"fromId": globex["id"], "toId": acme["id"], "kind": "OTHER"}),
            "kind",
        ),
    ] {
        let v = app.gql(Some(&rep), ADD_TYPED, json!({"i": input})).await;
        assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{input}: {v}");
        assert_eq!(fields(&v), vec![field], "{input}: {v}");
    }
    assert_eq!(app.count_rows("party_relationships").await, before);

    // An added type links any two parties (here an organisation and a person, both ways).
    let v = app
        .ok(
            &rep,
            ADD_TYPED,
            json!({"i": {"fromId": globex["id"], "toId": acme["id"], "relationshipType": "reseller_of", "comment": "EMEA only"}}),
        )
        .await;
    let rel = &v["addRelationship"]["relationship"];
    assert_eq!(rel["kind"], "OTHER");
    assert_eq!(
        rel["relationshipType"],
        json!({"key": "reseller_of", "label": "Reseller of", "archived": false})
    );
    // Each end's history reads the link as its profile does, by name.
    let added = |d: &Value| -> String {
        d["partyProfile"]["timeline"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["node"]["changes"].as_array().unwrap().clone())
            .find(|c| c["field"] == "relationship")
            .map(|c| c["after"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let d = app.ok(&rep, PROFILE, json!({"id": globex["id"]})).await;
    assert!(
        added(&d).starts_with("Reseller of Acme Corporation (A-"),
        "{}",
        added(&d)
    );
    let d = app.ok(&rep, PROFILE, json!({"id": acme["id"]})).await;
    assert!(
        added(&d).starts_with("Reseller of (reverse) Globex"),
        "{}",
        added(&d)
    );
    app.ok(
        &rep,
        ADD_TYPED,
        json!({"i": {"fromId": coyote["id"], "toId": globex["id"], "relationshipType": "agent_of"}}),
    )
    .await;
    // The same link twice is refused; the installed ones still work through `kind`.
    let v = app
        .gql(
            Some(&rep),
            ADD_TYPED,
            json!({"i": {"fromId": globex["id"], "toId": acme["id"], "relationshipType": "reseller_of"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["relationshipType"], "{v}");
    let v = app
        .ok(
            &rep,
            ADD_TYPED,
            json!({"i": {"fromId": acme["id"], "toId": globex["id"], "kind": "PARTNER_OF"}}),
        )
        .await;
    assert_eq!(
        v["addRelationship"]["relationship"]["relationshipType"]["key"],
        "partner_of"
    );

    // Archived: kept (and shown so) on the link holding it, refused for a new one.
    app.ok(
        &admin,
        "mutation($id: ID!) { archivePicklistValue(id: $id) { archived } }",
        json!({"id": reseller["id"]}),
    )
    .await;
    let d = app
        .ok(
            &rep,
            "query($id: ID!) { partyProfile(id: $id) { relationships(first: 10) { totalCount edges { node { relationshipType { key label archived } direction other { displayName } } } } } }",
            json!({"id": acme["id"]}),
        )
        .await;
    let rels = d["partyProfile"]["relationships"]["edges"]
        .as_array()
        .unwrap();
    let held = rels
        .iter()
        .find(|e| e["node"]["relationshipType"]["key"] == "reseller_of")
        .expect("the reseller link");
    assert_eq!(held["node"]["relationshipType"]["archived"], true);
    assert_eq!(held["node"]["direction"], "INCOMING");
    assert_eq!(held["node"]["other"]["displayName"], "Globex");
    let initrode = app
        .ok(
            &rep,
            "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { party { id } } }",
            json!({"i": {"name": "Initrode Resale"}}),
        )
        .await["createOrganization"]["party"]["id"]
        .clone();
    let v = app
        .gql(
            Some(&rep),
            ADD_TYPED,
            json!({"i": {"fromId": initrode, "toId": acme["id"], "relationshipType": "reseller_of"}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["relationshipType"], "{v}");
}

const ORG_ROLES: &str = "roles partyRoles { key label archived } version";

/// The keys of a party's `partyRoles`.
fn role_keys(party: &Value) -> Vec<String> {
    party["partyRoles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn party_roles_are_a_pick_list_administrators_extend() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    assert_eq!(
        app.picklist_keys(&rep, "PARTY_ROLE").await,
        [
            "account",
            "contact",
            "customer",
            "lead",
            "partner",
            "competitor",
            "supplier",
            "vendor",
            "agent",
            "employee"
        ]
    );
    let distributor = app
        .add_picklist_value(&admin, "PARTY_ROLE", "Distributor")
        .await;
    assert_eq!(distributor["key"], "distributor");

    // A new organisation with roles by key: the known ones read in `roles` too.
    let create = format!("mutation($i: CreateOrganizationInput!) {{ createOrganization(input: $i) {{ party {{ id {ORG_ROLES} }} }} }}");
    let v = app
        .ok(
            &rep,
            &create,
            json!({"i": {"name": "Northwind Supply", "roleKeys": ["distributor", "vendor", "account"]}}),
        )
        .await;
    let org = v["createOrganization"]["party"].clone();
    assert_eq!(org["roles"], json!(["ACCOUNT"]));
    assert_eq!(role_keys(&org), ["account", "vendor", "distributor"]);
    assert_eq!(org["partyRoles"][2]["label"], "Distributor");
    // The list filters by any role's key.
    let d = app
        .ok(
            &rep,
            "query($k: String) { parties(first: 10, filter: {roleKey: $k}) { edges { node { displayName } } } }",
            json!({"k": "vendor"}),
        )
        .await;
    assert_eq!(
        d["parties"]["edges"],
        json!([{"node": {"displayName": "Northwind Supply"}}])
    );

    // The known roles given by name replace those and keep the added ones.
    let update = format!("mutation($i: UpdateOrganizationInput!) {{ updateOrganization(input: $i) {{ party {{ {ORG_ROLES} }} }} }}");
    let v = app
        .ok(
            &rep,
            &update,
            json!({"i": {"id": org["id"], "version": org["version"], "roles": ["ACCOUNT", "PARTNER"]}}),
        )
        .await;
    let org2 = v["updateOrganization"]["party"].clone();
    assert_eq!(org2["roles"], json!(["ACCOUNT", "PARTNER"]));
    assert_eq!(
        role_keys(&org2),
        ["account", "partner", "vendor", "distributor"]
    );

    // Bad keys are refused on their field and change nothing.
    for (keys, field) in [
        (json!(["account", "nope"]), "roleKeys.1"),
        (json!(["ACCOUNT"]), "roleKeys.0"),
        (json!(["account", "contact"]), "roleKeys"),
    ] {
        let v = app
            .gql(
                Some(&rep),
                &update,
                json!({"i": {"id": org["id"], "version": org2["version"], "roleKeys": keys}}),
            )
            .await;
        assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{keys}: {v}");
        assert_eq!(fields(&v), vec![field], "{keys}: {v}");
    }
    let before = app.count_rows("parties").await;
    let v = app
        .gql(
            Some(&rep),
            &create,
            json!({"i": {"name": "Nobody Ltd", "roleKeys": ["account", "smuggler"]}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["roleKeys.1"], "{v}");
    assert_eq!(app.count_rows("parties").await, before);

    // Archived: kept by its holder (also when the roles are given again), refused elsewhere.
    app.ok(
        &admin,
        "mutation($id: ID!) { archivePicklistValue(id: $id) { archived } }",
        json!({"id": distributor["id"]}),
    )
    .await;
    let v = app
        .ok(
            &rep,
            &update,
            json!({"i": {"id": org["id"], "version": org2["version"], "roleKeys": ["account", "distributor"]}}),
        )
        .await;
    let org3 = &v["updateOrganization"]["party"];
    assert_eq!(role_keys(org3), ["account", "distributor"]);
    assert_eq!(org3["partyRoles"][1]["archived"], true);
    let v = app
        .gql(
            Some(&rep),
            &create,
            json!({"i": {"name": "Late Distribution", "roleKeys": ["distributor"]}}),
        )
        .await;
    assert_eq!(fields(&v), vec!["roleKeys.0"], "{v}");
}

#[tokio::test]
async fn search_ranks_by_name_code_and_area_within_scope() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let q = "query($t: String!) { search(text: $t, first: 10) { rank party { displayName code area } } }";
    let names = |v: &Value| -> Vec<String> {
        v["search"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["party"]["displayName"].as_str().unwrap().to_string())
            .collect()
    };
    let d = app.ok(&manager, q, json!({"t": "coyote"})).await;
    assert_eq!(names(&d), vec!["Wile Coyote"]);
    let d = app.ok(&manager, q, json!({"t": "acm"})).await;
    assert_eq!(names(&d)[0], "Acme Corporation", "prefix search");
    let d = app.ok(&manager, q, json!({"t": "A-000002"})).await;
    assert_eq!(names(&d)[0], "Globex", "by code");
    let d = app.ok(&manager, q, json!({"t": "wayne logistics"})).await;
    assert_eq!(names(&d)[0], "Wayne Logistics");
    let d = app
        .ok(
            &manager,
            "query { search(text: \"west\", first: 50) { party { area } } }",
            json!({}),
        )
        .await;
    let hits = d["search"].as_array().unwrap();
    assert!(
        hits.len() >= 5 && hits.iter().all(|h| h["party"]["area"] == "West"),
        "by area: {d}"
    );
    // Ranked: the better match first.
    let d = app.ok(&manager, q, json!({"t": "tyrell"})).await;
    let ranks: Vec<f64> = d["search"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["rank"].as_f64().unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
    // Row scope: Initech belongs to another team.
    let d = app.ok(&rep, q, json!({"t": "initech"})).await;
    assert!(names(&d).is_empty(), "{d}");
    let d = app.ok(&rep, q, json!({"t": "acme"})).await;
    assert_eq!(names(&d), vec!["Acme Corporation"]);
    // Nothing to search for, and too much.
    assert!(names(&app.ok(&rep, q, json!({"t": " -- "})).await).is_empty());
    let v = app.gql(Some(&rep), q, json!({"t": "x".repeat(300)})).await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
}

async fn profile_cost(app: &TestApp, token: &str, id: &Value) -> (u64, Value) {
    let before = app.statements();
    let d = app.ok(token, PROFILE, json!({"id": id})).await;
    (app.statements() - before, d)
}

#[tokio::test]
async fn the_profile_costs_a_fixed_number_of_statements() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let acme = find(&app, &admin, "acme").await;
    let (small, d) = profile_cost(&app, &admin, &acme["id"]).await;
    assert_eq!(d["partyProfile"]["relationships"]["totalCount"], 1);
    // Add eight more contacts with relationships and contact details, half of them linked by a
    // relationship type an administrator added, each with an added role: the pick-lists that
    // name types and roles are read once, whatever the number of rows.
    app.add_picklist_value(&admin, "RELATIONSHIP_TYPE", "Reseller of")
        .await;
    app.add_picklist_value(&admin, "PARTY_ROLE", "Distributor")
        .await;
    for i in 0..8 {
        let v = app
            .ok(
                &admin,
                CREATE_PERSON,
                json!({"i": {"foreName": format!("C{i}"), "surname": "Extra",
                "roleKeys": ["contact", "distributor"],
                "contactMechanisms": [{"kind": "EMAIL", "value": format!("c{i}@acme.example")}]}}),
            )
            .await;
        let pid = v["createPerson"]["party"]["id"].clone();
        let kind = if i % 2 == 0 {
            "contact_of"
        } else {
            "reseller_of"
        };
        app.ok(
            &admin,
            ADD_REL,
            json!({"i": {"fromId": pid, "toId": acme["id"], "relationshipType": kind}}),
        )
        .await;
    }
    let acme2 = find(&app, &admin, "acme").await;
    app.ok(
        &admin,
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
        json!({"i": {"id": acme2["id"], "version": acme2["version"], "area": "Far North"}}),
    )
    .await;
    let (large, d) = profile_cost(&app, &admin, &acme["id"]).await;
    assert_eq!(d["partyProfile"]["relationships"]["totalCount"], 9);
    let edges = d["partyProfile"]["relationships"]["edges"]
        .as_array()
        .unwrap();
    let of_type = |key: &str| {
        edges
            .iter()
            .filter(|e| e["node"]["relationshipType"]["key"] == key)
            .count()
    };
    assert_eq!(
        (of_type("contact_of"), of_type("reseller_of")),
        (5, 4),
        "{d}"
    );
    assert!(edges
        .iter()
        .filter(|e| e["node"]["relationshipType"]["key"] == "reseller_of")
        .all(|e| e["node"]["other"]["partyRoles"]
            .to_string()
            .contains("Distributor")));
    assert!(
        d["partyProfile"]["timeline"]["totalCount"]
            .as_i64()
            .unwrap()
            > 5
    );
    assert_eq!(small, large, "profile statements with 1 vs 9 relationships");
}

#[tokio::test]
async fn the_timeline_tells_who_changed_what_and_hides_what_you_may_not_read() {
    let app = TestApp::new().await;
    let manager = app.login("manager@demo.crm").await;
    let acme = find(&app, &manager, "acme").await;
    app.ok(
        &manager,
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
        json!({"i": {"id": acme["id"], "version": acme["version"], "name": "Acme Ltd", "email": "hello@acme.example",
                      "annualRevenue": {"amount": "5", "currency": "EUR"}}}),
    )
    .await;
    let d = app.ok(&manager, PROFILE, json!({"id": acme["id"]})).await;
    let top = &d["partyProfile"]["timeline"]["edges"][0]["node"];
    assert_eq!(top["action"], "update");
    assert_eq!(top["actor"]["displayName"], "Max Manager");
    let changed: Vec<&str> = top["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(
        changed.contains(&"name")
            && changed.contains(&"email")
            && changed.contains(&"annualRevenue"),
        "{changed:?}"
    );

    // A rep of the team sees the change but not the revenue; read-only sees neither revenue nor e-mail.
    for (who, hidden) in [
        ("rep@demo.crm", vec!["annualRevenue"]),
        ("readonly@demo.crm", vec!["annualRevenue", "email"]),
    ] {
        let token = app.login(who).await;
        let v = app
            .gql(Some(&token), PROFILE, json!({"id": acme["id"]}))
            .await;
        let top = &v["data"]["partyProfile"]["timeline"]["edges"][0]["node"];
        let changed: Vec<&str> = top["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["field"].as_str().unwrap())
            .collect();
        assert!(changed.contains(&"name"), "{who}: {changed:?}");
        for h in hidden {
            assert!(!changed.contains(&h), "{who} must not see {h}: {changed:?}");
        }
    }

    // Pages of the timeline follow each other without overlap.
    let q = "query($id: ID!, $a: String) { party(id: $id) { timeline(first: 1, after: $a) { pageInfo { hasNextPage endCursor } edges { node { id } } } } }";
    let p1 = app.ok(&manager, q, json!({"id": acme["id"]})).await;
    let cursor = p1["party"]["timeline"]["pageInfo"]["endCursor"].clone();
    let p2 = app
        .ok(&manager, q, json!({"id": acme["id"], "a": cursor}))
        .await;
    assert_ne!(
        p1["party"]["timeline"]["edges"][0]["node"]["id"],
        p2["party"]["timeline"]["edges"][0]["node"]["id"]
    );
}

#[tokio::test]
async fn account_contact_details_move_to_contact_mechanisms_without_loss() {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    // A database at the skeleton's schema, holding an account with e-mail and phone.
    let (db, _) = server::db::connect("sqlite::memory:").await.unwrap();
    migration::Migrator::up(&db, Some(4)).await.unwrap();
    let backend = db.get_database_backend();
    let id = uuid::Uuid::new_v4();
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        "INSERT INTO parties (id, kind, code, group_name, sort_name, email, phone, status, version, created_at, updated_at)
         VALUES (?, 'ORGANIZATION', 'A-000001', 'Old Co', 'old co', 'info@old.example', '+15550100', 'ACTIVE', 1, ?, ?)",
        [id.into(), chrono::Utc::now().into(), chrono::Utc::now().into()],
    ))
    .await
    .unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let rows = entity::parties::contact_mechanisms::Entity::find()
        .filter(entity::parties::contact_mechanisms::Column::PartyId.eq(id))
        .order_by_asc(entity::parties::contact_mechanisms::Column::Kind)
        .all(&db)
        .await
        .unwrap();
    let got: Vec<(String, String, String)> = rows
        .into_iter()
        .map(|r| (r.kind, r.value, r.purposes))
        .collect();
    assert_eq!(
        got,
        vec![
            ("EMAIL".into(), "info@old.example".into(), "PRIMARY".into()),
            ("PHONE".into(), "+15550100".into(), "PRIMARY".into())
        ]
    );
}

#[tokio::test]
async fn seed_scale_adds_parties_with_contact_details_and_relationships() {
    let app = TestApp::new().await;
    let before = (
        app.count_rows("parties").await,
        app.count_rows("contact_mechanisms").await,
        app.count_rows("party_relationships").await,
    );
    let summary = server::seed::scale::seed_scale(&app.state.db, 250)
        .await
        .unwrap();
    assert!(summary.contains("added 250 parties"), "{summary}");
    assert_eq!(app.count_rows("parties").await, before.0 + 250);
    // Every generated party has an e-mail, people also a phone; every person is a contact of an organisation.
    assert_eq!(
        app.count_rows("contact_mechanisms").await,
        before.1 + 250 + 200
    );
    assert_eq!(app.count_rows("party_relationships").await, before.2 + 200);
    // The generated parties are searchable and listed like any other.
    let admin = app.login("admin@demo.crm").await;
    let d = app
        .ok(
            &admin,
            "{ search(text: \"S-0000001\") { party { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["search"][0]["party"]["code"], "S-0000001");
    let d = app
        .ok(&admin, "{ contacts { totalCount } }", json!({}))
        .await;
    assert_eq!(d["contacts"]["totalCount"], 12 + 200);
}

#[tokio::test]
async fn consumers_have_a_b2c_profile_with_real_empty_sections() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let q = "query($f: PartyFilter) { customers(filter: $f) { edges { node { displayName b2c {
        paymentPreference shippingAddress { value purposes }
        orders(first: 5) { totalCount edges { node { number } } }
        feedback(first: 5) { totalCount }
        journey(first: 5) { totalCount edges { node { action } } } } } } } }";
    let d = app.ok(&admin, q, json!({"f": {"search": "stone"}})).await;
    let b2c = &d["customers"]["edges"][0]["node"]["b2c"];
    assert_eq!(b2c["paymentPreference"], "CARD");
    assert_eq!(
        b2c["shippingAddress"]["value"],
        "10 Market Street, 10000 Springfield, US"
    );
    assert_eq!(b2c["orders"]["totalCount"], 0);
    assert_eq!(b2c["feedback"]["totalCount"], 0);
    assert_eq!(
        b2c["journey"]["edges"][0]["node"]["action"],
        "contact_mechanism_added"
    );
    // Businesses have none; read-only users get the profile without the address.
    let d = app.ok(&admin, "{ parties(filter: {search: \"acme\"}) { edges { node { b2c { paymentPreference } } } } }", json!({})).await;
    assert!(d["parties"]["edges"][0]["node"]["b2c"].is_null());
    let ro = app.login("readonly@demo.crm").await;
    let v = app
        .gql(Some(&ro), q, json!({"f": {"search": "stone"}}))
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"]);
    let b2c = &v["data"]["customers"]["edges"][0]["node"]["b2c"];
    assert_eq!(b2c.get("shippingAddress"), Some(&Value::Null));
    assert_eq!(b2c["paymentPreference"], "CARD");
}

#[tokio::test]
async fn every_party_mutation_refuses_bad_input_and_writes_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let coyote = find(&app, &admin, "coyote").await;
    let acme = find(&app, &admin, "acme").await;
    let before = (
        app.count_rows("parties").await,
        app.count_rows("contact_mechanisms").await,
        app.count_rows("party_relationships").await,
        app.count_rows("change_log").await,
    );
    let cases: Vec<(&str, Value, &str)> = vec![
        ("mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { party { id } } }",
         json!({"i": {"id": coyote["id"], "version": coyote["version"], "surname": ""}}), "BAD_USER_INPUT"),
        ("mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { party { id } } }",
         json!({"i": {"id": coyote["id"], "version": 999, "surname": "X"}}), "CONFLICT"),
        ("mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { party { id } } }",
         json!({"i": {"id": acme["id"], "version": 1, "surname": "X"}}), "BAD_USER_INPUT"),
        ("mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { party { id } } }",
         json!({"i": {"id": acme["id"], "version": acme["version"], "website": "not a site"}}), "BAD_USER_INPUT"),
        ("mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { party { id } } }",
         json!({"i": {"id": acme["id"], "version": acme["version"], "roles": ["CONTACT"]}}), "BAD_USER_INPUT"),
        ("mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { party { id } } }",
         json!({"i": {"name": "x".repeat(1_000_000)}}), "BAD_USER_INPUT"),
        ("mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { party { id } } }",
         json!({"i": {"name": "Dup Code", "code": "A-000001"}}), "BAD_USER_INPUT"),
        ("mutation($i: AddContactMechanismInput!) { addContactMechanism(input: $i) { party { id } } }",
         json!({"i": {"partyId": coyote["id"], "mechanism": {"kind": "PHONE", "value": "call me maybe"}}}), "BAD_USER_INPUT"),
        ("mutation($i: AddContactMechanismInput!) { addContactMechanism(input: $i) { party { id } } }",
         json!({"i": {"partyId": "garbage", "mechanism": {"kind": "EMAIL", "value": "a@b.example"}}}), "BAD_USER_INPUT"),
        ("mutation($i: RemoveContactMechanismInput!) { removeContactMechanism(input: $i) { party { id } } }",
         json!({"i": {"id": "Q29udGFjdE1lY2hhbmlzbTowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA"}}), "NOT_FOUND"),
        ("mutation($i: EndRelationshipInput!) { endRelationship(input: $i) { relationship { id } } }",
         json!({"i": {"id": "nonsense"}}), "BAD_USER_INPUT"),
        ("mutation($i: RequestPartyDeletionInput!) { requestPartyDeletion(input: $i) { party { id } } }",
         json!({"i": {"id": coyote["id"], "version": coyote["version"], "reason": "y".repeat(501)}}), "BAD_USER_INPUT"),
        ("mutation($i: PartyRefInput!) { approvePartyDeletion(input: $i) { party { id } } }",
         json!({"i": {"id": coyote["id"], "version": coyote["version"]}}), "BAD_USER_INPUT"),
        ("mutation($i: PartyRefInput!) { restoreParty(input: $i) { party { id } } }",
         json!({"i": {"id": coyote["id"], "version": coyote["version"]}}), "BAD_USER_INPUT"),
        ("mutation($i: MergePartiesInput!) { mergeParties(input: $i) { party { id } } }",
         json!({"i": {"survivorId": coyote["id"], "survivorVersion": coyote["version"], "mergedId": acme["id"], "mergedVersion": acme["version"]}}), "BAD_USER_INPUT"),
    ];
    for (q, vars, code) in cases {
        let v = app.gql(Some(&admin), q, vars).await;
        assert_eq!(codes(&v), vec![code], "{q}: {v:.400}");
    }
    let after = (
        app.count_rows("parties").await,
        app.count_rows("contact_mechanisms").await,
        app.count_rows("party_relationships").await,
        app.count_rows("change_log").await,
    );
    assert_eq!(before, after, "nothing was written");
}

#[tokio::test]
async fn lists_show_a_party_s_primary_email_and_phone_under_the_contact_guard() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    app.ok(
        &rep,
        CREATE_PERSON,
        json!({"i": {
            "foreName": "Grace", "surname": "Hopper",
            "contactMechanisms": [
                {"kind": "EMAIL", "value": "grace@navy.example"},
                {"kind": "PHONE", "value": "+1 202 555 0100"}
            ]
        }}),
    )
    .await;
    let list = "query($q: String) { contacts(first: 25, filter: {search: $q}) { edges { node { displayName email phone } } } }";
    let d = app.ok(&rep, list, json!({"q": "Hopper"})).await;
    let node = &d["contacts"]["edges"][0]["node"];
    assert_eq!(node["displayName"], "Grace Hopper");
    assert_eq!(node["email"], "grace@navy.example");
    assert!(node["phone"].as_str().unwrap().contains("555"), "{node}");
    // Through the `Party` interface as well.
    let d = app
        .ok(
            &rep,
            "query($q: String) { contacts(first: 25, filter: {search: $q}) { edges { node { ... on Party { email } } } } }",
            json!({"q": "Hopper"}),
        )
        .await;
    assert_eq!(
        d["contacts"]["edges"][0]["node"]["email"],
        "grace@navy.example"
    );
    // The read-only role reads the list without them: null, with one FORBIDDEN per field.
    let reader = app.login("readonly@demo.crm").await;
    let v = app.gql(Some(&reader), list, json!({"q": "Hopper"})).await;
    let node = &v["data"]["contacts"]["edges"][0]["node"];
    assert_eq!(node["displayName"], "Grace Hopper", "{v}");
    assert!(node["email"].is_null() && node["phone"].is_null(), "{v}");
    assert_eq!(codes(&v), vec!["FORBIDDEN", "FORBIDDEN"], "{v}");
}
