//! `GET /exports/accounts.csv`: the accounts list as CSV under the `account` export grant's row
//! scope, in the list's order or for chosen rows, with the columns the caller's field grants allow
//! (contact details, revenue, each custom field), formulas defused.

use serde_json::json;
use tests::TestApp;

pub(crate) async fn export(app: &TestApp, token: Option<&str>, query: &str) -> (u16, String) {
    let mut r = app
        .client
        .get(format!("{}/exports/accounts.csv?{query}", app.url));
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

fn header(csv: &str) -> Vec<String> {
    csv.lines()
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect()
}

fn codes(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn accounts_export_as_csv_under_the_export_grant_and_field_grants() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let marketing = app.login("marketing@demo.crm").await;
    let readonly = app.login("readonly@demo.crm").await;

    // A custom field only managers read, and a value that looks like a formula.
    app.ok(
        &admin,
        "mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { id } }",
        json!({"i": {"object": "ACCOUNT", "key": "tier", "label": "Tier", "type": "TEXT",
                     "access": [{"roleKey": "sales_manager", "read": true, "write": true}]}}),
    )
    .await;
    let acme = app
        .ok(
            &admin,
            "{ accounts(first: 1, filter: {search: \"acme\"}) { edges { node { id code } } } }",
            json!({}),
        )
        .await["accounts"]["edges"][0]["node"]
        .clone();
    app.ok(
        &admin,
        "mutation($r: ID!, $v: [CustomFieldValueInput!]!) { setCustomFieldValues(recordId: $r, values: $v) { key } }",
        json!({"r": acme["id"], "v": [{"key": "tier", "value": "=1+1 Gold"}]}),
    )
    .await;

    // The whole list, in the list's order, as the API counts it.
    let total = app
        .ok(&manager, "{ accounts { totalCount } }", json!({}))
        .await["accounts"]["totalCount"]
        .as_i64()
        .unwrap();
    let (status, csv) = export(&app, Some(&manager), "sort=CODE&direction=DESC").await;
    assert_eq!(status, 200, "{csv}");
    assert_eq!(
        header(&csv),
        [
            "Code",
            "Name",
            "Area",
            "Industry",
            "Website",
            "Owner",
            "E-mail",
            "Phone",
            "Annual revenue",
            "Currency",
            "Archived",
            "Updated",
            "Tier"
        ]
    );
    let rows = codes(&csv);
    assert_eq!(rows.len() as i64, total);
    let mut sorted = rows.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(rows, sorted, "in the list's order");
    let acme_line = csv
        .lines()
        .find(|l| l.starts_with(acme["code"].as_str().unwrap()))
        .unwrap();
    assert!(acme_line.contains("Acme Corporation"), "{acme_line}");
    assert!(
        acme_line.ends_with(",'=1+1 Gold"),
        "a formula is defused: {acme_line}"
    );

    // A search, and chosen rows.
    let (_, found) = export(&app, Some(&manager), "search=acme").await;
    assert_eq!(codes(&found), [acme["code"].as_str().unwrap()]);
    let (_, chosen) = export(
        &app,
        Some(&manager),
        &format!("ids={}", acme["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(codes(&chosen).len(), 1);

    // Field grants take columns away: marketing reads no revenue and not the tier.
    let (status, csv) = export(&app, Some(&marketing), "").await;
    assert_eq!(status, 200, "{csv}");
    let h = header(&csv);
    assert!(h.contains(&"E-mail".to_string()), "{h:?}");
    assert!(!h.contains(&"Annual revenue".to_string()), "{h:?}");
    assert!(!h.contains(&"Tier".to_string()), "{h:?}");
    assert!(!csv.contains("Gold"));

    // The row scope of the export grant: a rep exports their team's accounts only.
    let team_total = app.ok(&rep, "{ accounts { totalCount } }", json!({})).await["accounts"]
        ["totalCount"]
        .as_i64()
        .unwrap();
    let (_, csv) = export(&app, Some(&rep), "").await;
    assert_eq!(codes(&csv).len() as i64, team_total);
    assert!(team_total < total);

    // Compressed (Brotli) as a browser asks for it, the stream ends cleanly and holds the same text (the
    // streamed sales report too).
    for (path, plain) in [
        (
            "exports/accounts.csv?sort=CODE&direction=DESC".to_string(),
            None,
        ),
        ("reports/opportunities.csv".to_string(), Some(())),
        (
            format!("exports/accounts.csv?ids={}", acme["id"].as_str().unwrap()),
            Some(()),
        ),
    ] {
        let get = |compressed: bool| {
            let mut r = app
                .client
                .get(format!("{}/{path}", app.url))
                .header("authorization", format!("Bearer {manager}"));
            if compressed {
                r = r.header("accept-encoding", "br");
            }
            r.send()
        };
        let resp = get(true).await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-encoding"], "br");
        let bytes = resp.bytes().await.unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut brotli::Decompressor::new(&bytes[..], 4096), &mut text)
            .unwrap();
        let expected = match plain {
            None => {
                export(&app, Some(&manager), "sort=CODE&direction=DESC")
                    .await
                    .1
            }
            Some(()) => get(false).await.unwrap().text().await.unwrap(),
        };
        assert_eq!(text, expected, "{path}");
    }

    // No export grant, no token, bad input: refused, nothing exported.
    let (status, body) = export(&app, Some(&readonly), "").await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = export(&app, None, "").await;
    assert_eq!(status, 401);
    let (status, body) = export(&app, Some(&manager), "sort=SIZE").await;
    assert_eq!(status, 400);
    assert!(body.contains("sort"), "{body}");
    let (status, body) = export(&app, Some(&manager), "ids=nonsense").await;
    assert_eq!(status, 400);
    assert!(body.contains("ids.0"), "{body}");
}

/// A body stream may be polled once more after its end (a compressing layer does, now and then):
/// the export answers "no more" instead of panicking.
#[tokio::test]
async fn the_export_stream_may_be_polled_after_its_end() {
    use futures_util::StreamExt;
    use server::domain::accounts::export::{stream, ExportQuery};
    use server::domain::accounts::filter::AccountOrder;

    let app = TestApp::new().await;
    let ctx = server::auth::sessions::context_of(&app.state.db, "manager@demo.crm")
        .await
        .unwrap();
    let q = ExportQuery {
        filter: None,
        order: AccountOrder::default(),
        ids: None,
    };
    let mut s = Box::pin(stream(app.state.clone(), ctx, q).await.unwrap());
    let mut chunks = 0;
    while let Some(chunk) = s.next().await {
        chunk.unwrap();
        chunks += 1;
    }
    assert!(chunks >= 2, "the header and a page");
    assert!(s.next().await.is_none());
    assert!(s.next().await.is_none());
}
