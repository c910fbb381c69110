//! Conversion into account, contact and opportunity, all or nothing; the preview's matches.

use super::*;

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
               "industry": "Software", "website": "https://cobol.example", "source": "trade_show"}),
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
    assert_eq!(o["leadSource"]["key"], "trade_show");
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
