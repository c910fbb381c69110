//! Web-to-lead forms on the public endpoint: submissions, spam, duplicates, pages, rate limits.

use super::*;

// ---------------------------------------------------------------------------------------------
// Web forms and the public endpoint
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn web_forms_turn_public_submissions_into_leads() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rita = app.user_id(&admin, "rep@demo.crm").await;
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
        (form["source"]["key"].clone(), form["active"].clone()),
        (json!("web_form"), json!(true))
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
            w["source"]["key"].clone(),
            w["webFormName"].clone(),
            w["status"].clone()
        ),
        (json!("web_form"), json!("Webinar sign-up"), json!("NEW"))
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
    let rita = app.user_id(&admin, "rep@demo.crm").await;
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
    let rita = app.user_id(&admin, "rep@demo.crm").await;
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
    let rita = app.user_id(&admin, "rep@demo.crm").await;
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
    let rita = app.user_id(&admin, "rep@demo.crm").await;
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
