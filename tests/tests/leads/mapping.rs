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
