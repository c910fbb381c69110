//! The conversion mapping: validation, and conversion following it.

use super::*;

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

const CREATE_FIELD: &str =
    "mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { id key } }";
const SET_VALUES: &str = "mutation($r: ID!, $v: [CustomFieldValueInput!]!) { setCustomFieldValues(recordId: $r, values: $v) { key } }";

/// A record's custom values by key (`null` for unset ones).
async fn custom_values(app: &TestApp, token: &str, query: &str, id: &Value) -> Value {
    let d = app.ok(token, query, json!({"id": id})).await;
    let record = d.as_object().unwrap().values().next().unwrap();
    let mut out = serde_json::Map::new();
    for f in record["customFields"].as_array().unwrap() {
        out.insert(f["key"].as_str().unwrap().to_string(), f["value"].clone());
    }
    Value::Object(out)
}

#[tokio::test]
async fn custom_fields_are_mapped_into_the_records_a_conversion_creates() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let managers_only = json!([{"roleKey": "sales_manager", "read": true, "write": true}]);
    for (object, key, ty, options, access) in [
        ("LEAD", "budget", "MONEY", json!([]), Value::Null),
        (
            "LEAD",
            "segment",
            "PICK",
            json!(["smb", "enterprise"]),
            Value::Null,
        ),
        ("LEAD", "secret", "TEXT", json!([]), managers_only.clone()),
        ("ACCOUNT", "budget", "MONEY", json!([]), Value::Null),
        (
            "ACCOUNT",
            "segment",
            "PICK",
            json!(["smb", "enterprise", "public"]),
            Value::Null,
        ),
        ("ACCOUNT", "region", "TEXT", json!([]), Value::Null),
        (
            "ACCOUNT",
            "ranking",
            "TEXT",
            json!([]),
            managers_only.clone(),
        ),
        ("PARTY", "homepage", "URL", json!([]), Value::Null),
        ("OPPORTUNITY", "origin", "TEXT", json!([]), Value::Null),
        ("OPPORTUNITY", "whisper", "TEXT", json!([]), Value::Null),
    ] {
        let mut input =
            json!({"object": object, "key": key, "label": key, "type": ty, "options": options});
        if !access.is_null() {
            input["access"] = access;
        }
        if key == "region" {
            input["unique"] = json!(true);
        }
        app.ok(&admin, CREATE_FIELD, json!({"i": input})).await;
    }

    // The mapping offers the custom fields beside the built-in ones, with their kind.
    let f = app
        .ok(&rep, "{ leadMappingFields { source { name label kind customType } account { name kind customType } contact { name kind } opportunity { name } } }", json!({}))
        .await;
    let f = &f["leadMappingFields"];
    let named = |list: &str, name: &str| {
        f[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{list}.{name} missing: {f}"))
    };
    assert_eq!(
        named("source", "custom.budget"),
        json!({"name": "custom.budget", "label": "budget", "kind": "MONEY", "customType": "MONEY"})
    );
    assert_eq!(named("source", "email")["customType"], Value::Null);
    assert_eq!(named("account", "custom.region")["kind"], "TEXT");
    assert_eq!(named("contact", "custom.homepage")["kind"], "WEB");

    // Lines whose kinds, types or choices disagree are refused, naming the line.
    let n = default_mapping().len();
    for (bad, field) in [
        (
            entry("ACCOUNT", "custom.budget", "custom.segment"),
            "sourceField",
        ),
        (
            entry("OPPORTUNITY", "custom.origin", "custom.budget"),
            "sourceField",
        ),
        (entry("ACCOUNT", "custom.nope", "area"), "targetField"),
        (
            entry("ACCOUNT", "custom.region", "custom.nope"),
            "sourceField",
        ),
        (
            entry("OPPORTUNITY", "custom.origin", "description"),
            "sourceField",
        ),
    ] {
        let mut e = default_mapping();
        e.push(bad.clone());
        let r = app.gql(Some(&admin), SET_MAPPING, json!({"e": e})).await;
        assert_eq!(fields(&r), [format!("entries.{n}.{field}")], "{bad}: {r}");
    }
    let mut with_custom = default_mapping();
    with_custom.extend([
        entry("ACCOUNT", "custom.budget", "custom.budget"),
        entry("ACCOUNT", "custom.segment", "custom.segment"),
        entry("ACCOUNT", "custom.region", "area"),
        entry("ACCOUNT", "custom.ranking", "industry"),
        entry("CONTACT", "custom.homepage", "website"),
        entry("OPPORTUNITY", "custom.origin", "industry"),
        entry("OPPORTUNITY", "custom.whisper", "custom.secret"),
    ]);
    let d = app.ok(&admin, SET_MAPPING, json!({"e": with_custom})).await;
    assert!(as_set(&d["setLeadConversionMapping"]).contains("ACCOUNT.custom.budget<-custom.budget"));

    // A lead with custom values; the secret only its managers read.
    let l = create_lead(
        &app,
        &rep,
        json!({"foreName": "Ada", "surname": "King", "organizationName": "Engine Works",
        "area": "North", "industry": "Machinery", "website": "https://engine.example"}),
    )
    .await;
    app.ok(
        &rep,
        SET_VALUES,
        json!({"r": l["id"], "v": [
        {"key": "budget", "value": {"amount": "25000", "currency": "EUR"}},
        {"key": "segment", "value": "enterprise"}]}),
    )
    .await;
    app.ok(
        &manager,
        SET_VALUES,
        json!({"r": l["id"], "v": [{"key": "secret", "value": "sole bidder"}]}),
    )
    .await;
    let version = qualify(&app, &rep, &l).await;

    // The preview shows what the rep's conversion writes: not the secret (the rep may not read
    // it) and not the ranking (the rep may not write it).
    let p = app.ok(&rep, PREVIEW, json!({"id": l["id"]})).await;
    let shown = |plan: &str| -> Vec<(String, Value)> {
        p["leadConversionPreview"][plan]["values"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["field"].as_str().unwrap().starts_with("custom."))
            .map(|v| (v["field"].as_str().unwrap().to_string(), v["value"].clone()))
            .collect()
    };
    assert_eq!(
        shown("account"),
        [
            ("custom.budget".to_string(), json!("25000.00 EUR")),
            ("custom.region".to_string(), json!("North")),
            ("custom.segment".to_string(), json!("enterprise")),
        ]
    );
    assert_eq!(
        shown("contact"),
        [(
            "custom.homepage".to_string(),
            json!("https://engine.example")
        )]
    );
    assert_eq!(
        shown("opportunity"),
        [("custom.origin".to_string(), json!("Machinery"))]
    );

    let d = app
        .ok(
            &rep,
            CONVERT,
            json!({"i": {"leadId": l["id"], "version": version, "createOpportunity": true}}),
        )
        .await;
    let c = &d["convertLead"];
    let account = custom_values(
        &app,
        &manager,
        "query($id: ID!) { account(id: $id) { customFields { key value } } }",
        &c["account"]["id"],
    )
    .await;
    assert_eq!(
        account,
        json!({"budget": {"amount": "25000.00", "currency": "EUR"}, "segment": "enterprise",
               "region": "North", "ranking": null})
    );
    let contact = custom_values(
        &app,
        &manager,
        "query($id: ID!) { party(id: $id) { ... on Person { customFields { key value } } } }",
        &c["contact"]["id"],
    )
    .await;
    assert_eq!(contact, json!({"homepage": "https://engine.example"}));
    let opportunity = custom_values(
        &app,
        &manager,
        "query($id: ID!) { opportunity(id: $id) { customFields { key value } } }",
        &c["opportunity"]["id"],
    )
    .await;
    assert_eq!(opportunity, json!({"origin": "Machinery", "whisper": null}));

    // A value the target refuses (the region is unique) fails the whole conversion, named under
    // the record's part, and leaves everything as it was.
    let l2 = create_lead(
        &app,
        &rep,
        json!({"foreName": "Bea", "surname": "Hill", "organizationName": "Second Works",
        "area": "North"}),
    )
    .await;
    let version = qualify(&app, &rep, &l2).await;
    let before = (
        footprint(&app).await,
        app.count_rows("custom_field_values").await,
    );
    let r = app
        .gql(
            Some(&rep),
            CONVERT,
            json!({"i": {"leadId": l2["id"], "version": version}}),
        )
        .await;
    assert_eq!(codes(&r), ["BAD_USER_INPUT"], "{r}");
    let named = fields(&r);
    assert!(
        named.len() == 1 && named[0].starts_with("account.customFields."),
        "{r}"
    );
    assert_eq!(
        (
            footprint(&app).await,
            app.count_rows("custom_field_values").await
        ),
        before
    );
    assert_eq!(lead(&app, &rep, &l2["id"]).await["status"], "QUALIFIED");
}
