//! No silent deletion, erasure, duplicates and merge.

use serde_json::{json, Value};
use tests::{codes, TestApp};

const FIND: &str = "query($f: PartyFilter) { parties(first: 5, filter: $f) { totalCount edges { node { id displayName version status roles } } } }";
const PARTY: &str = "query($id: ID!) { party(id: $id) { id displayName version status archived roles deletionReason
  contactMechanisms { kind value } relationships(first: 25) { totalCount edges { node { kind other { displayName } } } } } }";

async fn find(app: &TestApp, token: &str, text: &str) -> Value {
    app.ok(token, FIND, json!({"f": {"search": text}})).await["parties"]["edges"][0]["node"].clone()
}

async fn party(app: &TestApp, token: &str, id: &Value) -> Value {
    app.ok(token, PARTY, json!({"id": id})).await["party"].clone()
}

#[tokio::test]
async fn deletion_needs_a_request_and_a_managers_decision() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let potts = find(&app, &rep, "potts").await;
    let request = "mutation($i: RequestPartyDeletionInput!) { requestPartyDeletion(input: $i) { party { status version deletionReason } } }";

    let v = app
        .gql(
            Some(&rep),
            request,
            json!({"i": {"id": potts["id"], "version": potts["version"], "reason": " "}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
    let v = app.ok(&rep, request, json!({"i": {"id": potts["id"], "version": potts["version"], "reason": "Left the company"}})).await;
    let p = &v["requestPartyDeletion"]["party"];
    assert_eq!(p["status"], "DELETION_REQUESTED");
    assert_eq!(p["deletionReason"], "Left the company");
    let version = p["version"].clone();

    // The rep may not decide; the manager sees the request and approves it.
    let approve = "mutation($i: PartyRefInput!) { approvePartyDeletion(input: $i) { party { status archived version } } }";
    let v = app
        .gql(
            Some(&rep),
            approve,
            json!({"i": {"id": potts["id"], "version": version}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "{v}");
    let d = app
        .ok(
            &manager,
            "{ deletionRequests { totalCount edges { node { displayName deletionReason } } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["deletionRequests"]["totalCount"], 1);
    assert_eq!(
        d["deletionRequests"]["edges"][0]["node"]["displayName"],
        "Pepper Potts"
    );
    let v = app
        .ok(
            &manager,
            approve,
            json!({"i": {"id": potts["id"], "version": version}}),
        )
        .await;
    let p = &v["approvePartyDeletion"]["party"];
    assert_eq!(
        (p["status"].as_str(), p["archived"].as_bool()),
        (Some("ARCHIVED"), Some(true))
    );
    // Hidden from lists and search, still there for whoever opens it.
    assert_eq!(
        app.ok(&manager, FIND, json!({"f": {"search": "potts"}}))
            .await["parties"]["totalCount"],
        0
    );
    assert_eq!(
        party(&app, &manager, &potts["id"]).await["status"],
        "ARCHIVED"
    );
    assert_eq!(
        app.ok(
            &manager,
            "{ search(text: \"potts\") { party { id } } }",
            json!({})
        )
        .await["search"],
        json!([])
    );

    // Restore brings it back.
    let restore = "mutation($i: PartyRefInput!) { restorePartyDeletion: restoreParty(input: $i) { party { status archived version } } }";
    let v = app
        .ok(
            &manager,
            restore,
            json!({"i": {"id": potts["id"], "version": p["version"]}}),
        )
        .await;
    assert_eq!(v["restorePartyDeletion"]["party"]["status"], "ACTIVE");

    // A rejected request leaves the party active.
    let now = party(&app, &rep, &potts["id"]).await;
    let v = app
        .ok(
            &rep,
            request,
            json!({"i": {"id": potts["id"], "version": now["version"], "reason": "Duplicate"}}),
        )
        .await;
    let v = app
        .ok(&manager, "mutation($i: PartyRefInput!) { rejectPartyDeletion(input: $i) { party { status deletionReason } } }",
            json!({"i": {"id": potts["id"], "version": v["requestPartyDeletion"]["party"]["version"]}}))
        .await;
    assert_eq!(v["rejectPartyDeletion"]["party"]["status"], "ACTIVE");
    assert!(v["rejectPartyDeletion"]["party"]["deletionReason"].is_null());
}

#[tokio::test]
async fn hard_delete_is_refused_for_referenced_parties() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let archive = |id: Value, version: Value| json!({"i": {"id": id, "version": version, "reason": "cleanup"}});
    let request = "mutation($i: RequestPartyDeletionInput!) { requestPartyDeletion(input: $i) { party { version } } }";
    let approve =
        "mutation($i: PartyRefInput!) { approvePartyDeletion(input: $i) { party { version } } }";
    let delete = "mutation($i: DeletePartyInput!) { deleteParty(input: $i) { deletedId } }";

    // Potts is a contact of Stark Industrial: referenced.
    let potts = find(&app, &admin, "potts").await;
    let v = app
        .ok(
            &admin,
            request,
            archive(potts["id"].clone(), potts["version"].clone()),
        )
        .await;
    app.ok(
        &admin,
        approve,
        json!({"i": {"id": potts["id"], "version": v["requestPartyDeletion"]["party"]["version"]}}),
    )
    .await;
    let v = app
        .gql(Some(&admin), delete, json!({"i": {"id": potts["id"]}}))
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("referenced"));
    assert_eq!(
        party(&app, &admin, &potts["id"]).await["status"],
        "ARCHIVED"
    );

    // An active party cannot be deleted at all; an archived unreferenced one can.
    let v = app
        .ok(&admin, "mutation { createPerson(input: {foreName: \"Temp\", surname: \"Orary\", contactMechanisms: [{kind: EMAIL, value: \"t@o.example\"}]}) { party { id version } } }", json!({}))
        .await;
    let temp = v["createPerson"]["party"].clone();
    let v = app
        .gql(Some(&admin), delete, json!({"i": {"id": temp["id"]}}))
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
    let v = app
        .ok(
            &admin,
            request,
            archive(temp["id"].clone(), temp["version"].clone()),
        )
        .await;
    app.ok(
        &admin,
        approve,
        json!({"i": {"id": temp["id"], "version": v["requestPartyDeletion"]["party"]["version"]}}),
    )
    .await;
    let before = app.count_rows("parties").await;
    app.ok(&admin, delete, json!({"i": {"id": temp["id"]}}))
        .await;
    assert_eq!(app.count_rows("parties").await, before - 1);
    assert!(app.ok(&admin, PARTY, json!({"id": temp["id"]})).await["party"].is_null());
}

#[tokio::test]
async fn erasure_anonymises_a_person_and_keeps_business_links() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let coyote = find(&app, &admin, "coyote").await;
    let erase = "mutation($i: PartyRefInput!) { erasePersonalData(input: $i) { party { displayName status archived contactMechanisms { value } } } }";
    let v = app
        .gql(
            Some(&manager),
            erase,
            json!({"i": {"id": coyote["id"], "version": coyote["version"]}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["FORBIDDEN"], "only admins erase: {v}");
    let v = app
        .ok(
            &admin,
            erase,
            json!({"i": {"id": coyote["id"], "version": coyote["version"]}}),
        )
        .await;
    let p = &v["erasePersonalData"]["party"];
    assert_eq!(p["displayName"], "Erased Person");
    assert_eq!(p["status"], "ERASED");
    assert_eq!(p["contactMechanisms"], json!([]));
    // The business link to Acme stays, and nothing personal is left in the change log.
    let p = party(&app, &admin, &coyote["id"]).await;
    assert_eq!(p["relationships"]["totalCount"], 1);
    assert_eq!(p["roles"], json!(["CONTACT"]));
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let uuid = {
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(coyote["id"].as_str().unwrap())
            .unwrap();
        uuid::Uuid::parse_str(String::from_utf8(raw).unwrap().split_once(':').unwrap().1).unwrap()
    };
    let rows = entity::change_log::Entity::find()
        .filter(entity::change_log::Column::ObjectId.eq(uuid))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(rows.len() >= 2);
    let text =
        serde_json::to_string(&rows.iter().map(|r| r.changes.clone()).collect::<Vec<_>>()).unwrap();
    for personal in ["Wile", "Coyote", "wile.coyote@acme.example", "+15550200"] {
        assert!(
            !text.contains(personal),
            "{personal} left in the change log: {text}"
        );
    }
    // Organisations have no personal data to erase.
    let acme = find(&app, &admin, "acme").await;
    let v = app
        .gql(
            Some(&admin),
            erase,
            json!({"i": {"id": acme["id"], "version": acme["version"]}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
}

#[tokio::test]
async fn duplicates_are_found_and_merging_keeps_every_reference() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let coyote = find(&app, &admin, "coyote").await;
    // A second record of the same man: same e-mail, another phone, linked to Globex, also a customer.
    let v = app
        .ok(&admin, "mutation($i: CreatePersonInput!) { createPerson(input: $i) { party { id version } } }",
            json!({"i": {"foreName": "Wile E.", "surname": "Coyote", "roles": ["CONTACT", "CUSTOMER"], "customerType": "B2C",
                "contactMechanisms": [{"kind": "EMAIL", "value": "wile.coyote@acme.example"}, {"kind": "PHONE", "value": "+1 555 9999"}]}}))
        .await;
    let dup = v["createPerson"]["party"].clone();
    let globex = find(&app, &admin, "globex").await;
    app.ok(&admin, "mutation($i: AddRelationshipInput!) { addRelationship(input: $i) { relationship { id } } }",
        json!({"i": {"fromId": dup["id"], "toId": globex["id"], "kind": "EMPLOYEE_OF"}})).await;

    let d = app
        .ok(
            &admin,
            "query($id: ID!) { duplicates(id: $id) { reason party { id displayName } } }",
            json!({"id": coyote["id"]}),
        )
        .await;
    let found = d["duplicates"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{d}");
    assert_eq!(found[0]["reason"], "SAME_EMAIL");
    assert_eq!(found[0]["party"]["id"], dup["id"]);

    let rel_rows = app.count_rows("party_relationships").await;
    let dup_now = party(&app, &admin, &dup["id"]).await;
    let merge = "mutation($i: MergePartiesInput!) { mergeParties(input: $i) { party { id roles customerType contactMechanisms { kind value }
        relationships(first: 25) { totalCount edges { node { kind other { displayName } } } } } } }";
    let v = app
        .ok(
            &admin,
            merge,
            json!({"i": {"survivorId": coyote["id"], "survivorVersion": coyote["version"],
            "mergedId": dup["id"], "mergedVersion": dup_now["version"]}}),
        )
        .await;
    let p = &v["mergeParties"]["party"];
    assert_eq!(p["roles"], json!(["CONTACT", "CUSTOMER"]));
    assert_eq!(p["customerType"], "B2C");
    let values: Vec<&str> = p["contactMechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        values,
        vec!["wile.coyote@acme.example", "+15550200", "+15559999"],
        "the duplicate e-mail is kept once"
    );
    let others: Vec<&str> = p["relationships"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["other"]["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(p["relationships"]["totalCount"], 2);
    assert!(
        others.contains(&"Acme Corporation") && others.contains(&"Globex"),
        "{others:?}"
    );
    assert_eq!(
        app.count_rows("party_relationships").await,
        rel_rows,
        "no relationship lost"
    );
    let gone = party(&app, &admin, &dup["id"]).await;
    assert_eq!(gone["status"], "MERGED");
    assert_eq!(gone["relationships"]["totalCount"], 0);
    assert_eq!(
        app.ok(&admin, FIND, json!({"f": {"search": "coyote"}}))
            .await["parties"]["totalCount"],
        1
    );
    // Merging needs fresh versions and two different parties.
    let v = app
        .gql(Some(&admin), merge, json!({"i": {"survivorId": coyote["id"], "survivorVersion": coyote["version"], "mergedId": coyote["id"], "mergedVersion": 1}}))
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"]);
}
