//! Sales documents through the API: the catalogue and price resolution, quotes with exact totals,
//! the status flow and immutable revisions, winning the opportunity on acceptance, the print view
//! and PDF, search, the role matrix and field grants, bad input that writes nothing, and the
//! statements a large quote costs.

use sea_orm::ConnectionTrait;
use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::opportunities::{account_id, create as create_opportunity};

const PRODUCT: &str = "id code name unit taxCategory active version prices { amount currency }";

async fn create_product(app: &TestApp, token: &str, input: Value) -> Value {
    let q = format!(
        "mutation($i: CreateProductInput!) {{ createProduct(input: $i) {{ product {{ {PRODUCT} }} }} }}"
    );
    app.ok(token, &q, json!({"i": input})).await["createProduct"]["product"].clone()
}

/// The two products every quote test uses: a widget with a cost, and a support hour.
async fn catalogue(app: &TestApp, admin: &str) -> (String, String) {
    let widget = create_product(
        app,
        admin,
        json!({"code": "T-WIDGET", "name": "Test widget", "prices": [
            {"amount": "19.99", "currency": "EUR"}, {"amount": "24", "currency": "USD"}],
            "cost": {"amount": "12", "currency": "EUR"}}),
    )
    .await;
    let hour = create_product(
        app,
        admin,
        json!({"code": "T-HOUR", "name": "Test support hour", "unit": "hour",
               "taxCategory": "REDUCED", "prices": [{"amount": "80", "currency": "EUR"}]}),
    )
    .await;
    (
        widget["id"].as_str().unwrap().to_string(),
        hour["id"].as_str().unwrap().to_string(),
    )
}

async fn price_list(app: &TestApp, admin: &str, input: Value, items: Value) -> String {
    let d = app
        .ok(
            admin,
            "mutation($i: CreatePriceListInput!) { createPriceList(input: $i) { priceList { id version } } }",
            json!({"i": input}),
        )
        .await;
    let pl = &d["createPriceList"]["priceList"];
    app.ok(
        admin,
        "mutation($i: SetPriceListItemsInput!) { setPriceListItems(input: $i) { priceList { version } } }",
        json!({"i": {"id": pl["id"], "version": pl["version"], "items": items}}),
    )
    .await;
    pl["id"].as_str().unwrap().to_string()
}

const RESOLVE: &str = "query($c: ID!, $cur: String!, $p: [ID!]!) { resolvePrices(customerId: $c, \
    currency: $cur, productIds: $p) { product { code } unitPrice { amount currency } source } }";

async fn resolved(
    app: &TestApp,
    token: &str,
    customer: &str,
    currency: &str,
    products: &[&str],
) -> Vec<(String, String, String)> {
    let d = app
        .ok(
            token,
            RESOLVE,
            json!({"c": customer, "cur": currency, "p": products}),
        )
        .await;
    let mut out: Vec<(String, String, String)> = d["resolvePrices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["product"]["code"].as_str().unwrap().to_string(),
                r["unitPrice"]["amount"].as_str().unwrap().to_string(),
                r["source"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn triple(code: &str, amount: &str, source: &str) -> (String, String, String) {
    (code.into(), amount.into(), source.into())
}

#[tokio::test]
async fn products_and_price_lists_resolve_a_customers_price() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let (widget, hour) = catalogue(&app, &admin).await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let globex = account_id(&app, &admin, "Globex").await;
    let initech = account_id(&app, &admin, "Initech").await;
    app.state
        .db
        .execute_unprepared("UPDATE parties SET customer_type = 'B2B' WHERE group_name = 'Globex'")
        .await
        .unwrap();
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    price_list(
        &app,
        &admin,
        json!({"name": "Default EUR", "currency": "EUR", "isDefault": true}),
        json!([{"productId": widget, "unitPrice": "18.50"}]),
    )
    .await;
    price_list(
        &app,
        &admin,
        json!({"name": "B2B EUR", "currency": "EUR", "customerType": "B2B"}),
        json!([{"productId": widget, "unitPrice": "17.75"}]),
    )
    .await;
    price_list(
        &app,
        &admin,
        json!({"name": "Acme EUR", "currency": "EUR", "customerId": acme, "validFrom": yesterday}),
        json!([{"productId": widget, "unitPrice": "17"}]),
    )
    .await;
    // A list that is not valid yet changes nothing.
    price_list(
        &app,
        &admin,
        json!({"name": "Acme next", "currency": "EUR", "customerId": acme, "validFrom": tomorrow}),
        json!([{"productId": widget, "unitPrice": "1"}, {"productId": hour, "unitPrice": "1"}]),
    )
    .await;

    let rep = app.login("rep@demo.crm").await;
    assert_eq!(
        resolved(&app, &rep, &acme, "EUR", &[&widget, &hour]).await,
        [
            triple("T-HOUR", "80.00", "PRODUCT_PRICE"),
            triple("T-WIDGET", "17.00", "CUSTOMER_LIST")
        ]
    );
    assert_eq!(
        resolved(&app, &admin, &globex, "EUR", &[&widget]).await,
        [triple("T-WIDGET", "17.75", "CUSTOMER_TYPE_LIST")]
    );
    assert_eq!(
        resolved(&app, &admin, &initech, "EUR", &[&widget]).await,
        [triple("T-WIDGET", "18.50", "DEFAULT_LIST")]
    );
    // No price in a currency: absent, never converted.
    assert_eq!(
        resolved(&app, &admin, &acme, "USD", &[&widget, &hour]).await,
        [triple("T-WIDGET", "24.00", "PRODUCT_PRICE")]
    );
    assert_eq!(resolved(&app, &admin, &acme, "JPY", &[&widget]).await, []);

    // Search by code and name; the code was stored upper-case.
    let d = app
        .ok(
            &rep,
            r#"{ products(search: "support h") { totalCount edges { node { code } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["products"]["totalCount"], 1);
    assert_eq!(d["products"]["edges"][0]["node"]["code"], "T-HOUR");

    // The cost is the managers' and admins': a rep gets null with FORBIDDEN on that path only.
    let q = "query($id: ID!) { product(id: $id) { code cost { amount currency } } }";
    let v = app.gql(Some(&rep), q, json!({"id": widget})).await;
    assert_eq!(v["data"]["product"]["code"], "T-WIDGET");
    assert!(v["data"]["product"]["cost"].is_null());
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    let manager = app.login("manager@demo.crm").await;
    let d = app.ok(&manager, q, json!({"id": widget})).await;
    assert_eq!(
        d["product"]["cost"],
        json!({"amount": "12.00", "currency": "EUR"})
    );

    // Reps read the catalogue but do not write it.
    let v = app
        .gql(
            Some(&rep),
            "mutation { createProduct(input: {code: \"X\", name: \"X\"}) { product { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);

    // Bad input names each field and writes nothing.
    let before = app.count_rows("products").await;
    let v = app
        .gql(
            Some(&admin),
            "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } } }",
            json!({"i": {"code": "t widget!", "name": "", "taxCategory": "LUXURY", "prices": [
                {"amount": "1.999", "currency": "EUR"}, {"amount": "5", "currency": "EUR"},
                {"amount": "5.5", "currency": "JPY"}]}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    let fields = v["errors"][0]["extensions"]["fields"].to_string();
    for f in [
        "\"code\"",
        "\"name\"",
        "\"taxCategory\"",
        "prices.0.amount",
        "prices.1.currency",
        "prices.2.amount",
    ] {
        assert!(fields.contains(f), "{f} missing in {fields}");
    }
    let v = app
        .gql(Some(&admin), "mutation { createProduct(input: {code: \"t-widget\", name: \"Twin\"}) { product { id } } }", json!({}))
        .await;
    assert!(
        v["errors"][0]["extensions"]["fields"]
            .to_string()
            .contains("\"code\""),
        "{v}"
    );
    assert_eq!(app.count_rows("products").await, before);

    // A default list is for everyone: it cannot also name a customer.
    let v = app
        .gql(
            Some(&admin),
            "mutation($i: CreatePriceListInput!) { createPriceList(input: $i) { priceList { id } } }",
            json!({"i": {"name": "Odd", "currency": "EUR", "isDefault": true, "customerId": acme}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
}

pub const QUOTE: &str = "id number title status revision version currency validUntil \
    net { amount } total { amount } customer { ... on Organization { name } } \
    opportunity { id status amount { amount currency } } \
    can { edit send revise accept reject } \
    current { revision currency discountPercent gross { amount } discount { amount } net { amount } \
      tax { amount } total { amount } taxes { taxCategory ratePercent net { amount } tax { amount } } \
      lines { position code name quantity unit unitPrice { amount } discountPercent taxRatePercent \
        gross { amount } discount { amount } net { amount } tax { amount } total { amount } } }";

pub async fn quote_op(
    app: &TestApp,
    token: &str,
    op: &str,
    input_type: &str,
    input: Value,
) -> Value {
    let q = format!("mutation($i: {input_type}!) {{ {op}(input: $i) {{ quote {{ {QUOTE} }} }} }}");
    app.gql(Some(token), &q, json!({"i": input})).await
}

pub async fn quote_ok(
    app: &TestApp,
    token: &str,
    op: &str,
    input_type: &str,
    input: Value,
) -> Value {
    let v = quote_op(app, token, op, input_type, input).await;
    assert!(v.get("errors").is_none(), "{op}: {v}");
    v["data"][op]["quote"].clone()
}

fn amounts_of(rev: &Value) -> [String; 5] {
    ["gross", "discount", "net", "tax", "total"]
        .map(|k| rev[k]["amount"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_quote_is_priced_exactly_sent_frozen_revised_and_accepted_winning_its_deal() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let (widget, hour) = catalogue(&app, &admin).await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    price_list(
        &app,
        &admin,
        json!({"name": "Acme EUR", "currency": "EUR", "customerId": acme}),
        json!([{"productId": widget, "unitPrice": "17"}]),
    )
    .await;
    let rep = app.login("rep@demo.crm").await;
    let opp = create_opportunity(
        &app,
        &rep,
        json!({"name": "Quoted deal", "accountId": acme, "amount": {"amount": "1000", "currency": "EUR"}}),
    )
    .await;

    // From the opportunity: its account, currency and name.
    let q = quote_ok(
        &app,
        &rep,
        "createQuote",
        "CreateQuoteInput",
        json!({
        "opportunityId": opp["id"],
        "lines": [
            {"productId": widget, "quantity": "3", "discountPercent": "10"},
            {"productId": hour, "quantity": "2.5"},
            {"name": "Installation", "unitPrice": "99.99", "quantity": "1", "taxCategory": "ZERO",
             "specification": "On site,\nsecond floor"}
        ]}),
    )
    .await;
    assert_eq!(q["status"], "DRAFT");
    assert_eq!(q["title"], "Quoted deal");
    assert_eq!(q["customer"]["name"], "Acme Corporation");
    assert_eq!(q["currency"], "EUR");
    assert!(q["number"].as_str().unwrap().starts_with("Q-"));
    let lines = q["current"]["lines"].as_array().unwrap();
    // 3 × 17.00 (Acme's list) = 51.00, less 10 % = 45.90, tax 20 % = 9.18.
    assert_eq!(lines[0]["unitPrice"]["amount"], "17.00");
    assert_eq!(lines[0]["net"]["amount"], "45.90");
    assert_eq!(lines[0]["tax"]["amount"], "9.18");
    assert_eq!(lines[0]["code"], "T-WIDGET");
    // 2.5 hours × 80.00 = 200.00, tax 7 % = 14.00.
    assert_eq!(lines[1]["quantity"], "2.5");
    assert_eq!(lines[1]["unit"], "hour");
    assert_eq!(lines[1]["total"]["amount"], "214.00");
    assert_eq!(lines[2]["total"]["amount"], "99.99");
    assert_eq!(
        amounts_of(&q["current"]),
        ["350.99", "5.10", "345.89", "23.18", "369.07"]
    );
    assert_eq!(q["total"]["amount"], "369.07");

    // A header discount of 5 % on every line, rounded line by line: 43.605 → 43.61, 190.00, 94.9905
    // → 94.99; the totals are the sums of the rounded lines.
    let q = quote_ok(
        &app,
        &rep,
        "updateQuote",
        "UpdateQuoteInput",
        json!({"id": q["id"], "version": q["version"], "discountPercent": "5"}),
    )
    .await;
    assert_eq!(
        amounts_of(&q["current"]),
        ["350.99", "22.39", "328.60", "22.02", "350.62"]
    );
    let nets: Vec<&str> = q["current"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["net"]["amount"].as_str().unwrap())
        .collect();
    assert_eq!(nets, ["43.61", "190.00", "94.99"]);
    let taxes = &q["current"]["taxes"];
    assert_eq!(
        taxes[0],
        json!({"taxCategory": "STANDARD", "ratePercent": "20", "net": {"amount": "43.61"}, "tax": {"amount": "8.72"}})
    );
    assert_eq!(taxes[1]["tax"]["amount"], "13.30");
    assert_eq!(
        q["can"],
        json!({"edit": true, "send": true, "revise": false, "accept": false, "reject": false})
    );

    // The margin (net less cost: 43.61 − 3 × 12.00) is for managers only.
    let margin = "query($id: ID!) { quote(id: $id) { current { margin { amount } lines { margin { amount } } } } }";
    let v = app.gql(Some(&rep), margin, json!({"id": q["id"]})).await;
    assert!(
        codes(&v).iter().all(|c| c == "FORBIDDEN") && !codes(&v).is_empty(),
        "{v}"
    );
    let manager = app.login("manager@demo.crm").await;
    let d = app.ok(&manager, margin, json!({"id": q["id"]})).await;
    assert_eq!(d["quote"]["current"]["margin"]["amount"], "7.61");
    assert!(d["quote"]["current"]["lines"][1]["margin"].is_null());

    // Sent: frozen. Every update path is refused and nothing changes.
    let sent = quote_ok(
        &app,
        &rep,
        "sendQuote",
        "QuoteVersionInput",
        json!({"id": q["id"], "version": q["version"]}),
    )
    .await;
    assert_eq!(sent["status"], "SENT");
    assert_eq!(
        sent["can"],
        json!({"edit": false, "send": false, "revise": true, "accept": true, "reject": true})
    );
    let lines_before = app.count_rows("quote_lines").await;
    for input in [
        json!({"id": sent["id"], "version": sent["version"], "title": "Changed"}),
        json!({"id": sent["id"], "version": sent["version"], "lines": [{"productId": widget, "quantity": "1"}]}),
        json!({"id": sent["id"], "version": sent["version"], "discountPercent": "0"}),
    ] {
        let v = quote_op(&app, &rep, "updateQuote", "UpdateQuoteInput", input).await;
        assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("revise"),
            "{v}"
        );
    }
    let v = quote_op(
        &app,
        &rep,
        "sendQuote",
        "QuoteVersionInput",
        json!({"id": sent["id"], "version": sent["version"]}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    assert_eq!(app.count_rows("quote_lines").await, lines_before);
    let d = app
        .ok(
            &rep,
            &format!("query($id: ID!) {{ quote(id: $id) {{ {QUOTE} }} }}"),
            json!({"id": sent["id"]}),
        )
        .await;
    assert_eq!(d["quote"]["version"], sent["version"]);
    assert_eq!(
        amounts_of(&d["quote"]["current"]),
        ["350.99", "22.39", "328.60", "22.02", "350.62"]
    );

    // A stale version is a conflict, not a lost update.
    let v = quote_op(
        &app,
        &rep,
        "reviseQuote",
        "QuoteVersionInput",
        json!({"id": sent["id"], "version": 1}),
    )
    .await;
    assert_eq!(codes(&v), ["CONFLICT"]);

    // Revised: a new draft revision with the same lines; revision 1 stays as sent.
    let r2 = quote_ok(
        &app,
        &rep,
        "reviseQuote",
        "QuoteVersionInput",
        json!({"id": sent["id"], "version": sent["version"]}),
    )
    .await;
    assert_eq!(
        (r2["status"].as_str(), r2["revision"].as_i64()),
        (Some("DRAFT"), Some(2))
    );
    assert_eq!(
        amounts_of(&r2["current"]),
        ["350.99", "22.39", "328.60", "22.02", "350.62"]
    );
    let r2 = quote_ok(&app, &rep, "updateQuote", "UpdateQuoteInput", json!({
        "id": r2["id"], "version": r2["version"],
        "lines": [{"productId": widget, "quantity": "3", "discountPercent": "10"}, {"productId": hour, "quantity": "2.5"}]})).await;
    assert_eq!(
        amounts_of(&r2["current"]),
        ["251.00", "17.39", "233.61", "22.02", "255.63"]
    );
    let r2 = quote_ok(
        &app,
        &rep,
        "sendQuote",
        "QuoteVersionInput",
        json!({"id": r2["id"], "version": r2["version"]}),
    )
    .await;
    let revisions = "query($id: ID!) { quote(id: $id) { revisions { revision sentAt total { amount } lines { name } } } }";
    let d = app.ok(&rep, revisions, json!({"id": r2["id"]})).await;
    let revs = d["quote"]["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[0]["total"]["amount"], "350.62");
    assert_eq!(revs[0]["lines"].as_array().unwrap().len(), 3);
    assert!(!revs[0]["sentAt"].is_null());
    assert_eq!(revs[1]["total"]["amount"], "255.63");

    // Accepted, winning the opportunity with the quote's net amount in the same transaction.
    let accepted = quote_ok(&app, &rep, "acceptQuote", "AcceptQuoteInput", json!({
        "id": r2["id"], "version": r2["version"], "note": "Signed\non paper", "winOpportunity": true})).await;
    assert_eq!(accepted["status"], "ACCEPTED");
    assert_eq!(accepted["opportunity"]["status"], "WON");
    assert_eq!(
        accepted["opportunity"]["amount"],
        json!({"amount": "233.61", "currency": "EUR"})
    );
    let v = quote_op(
        &app,
        &rep,
        "reviseQuote",
        "QuoteVersionInput",
        json!({"id": accepted["id"], "version": accepted["version"]}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);

    // The print view and the PDF show exactly the stored figures of the asked revision, and the
    // customer's tax number.
    app.ok(
        &admin,
        "mutation($i: AddTaxIdInput!) { addTaxId(input: $i) { party { id } } }",
        json!({"i": {"partyId": acme, "kind": "VAT", "country": "DE", "value": "DE 811 907 980"}}),
    )
    .await;
    let uuid = quote_uuid(&accepted["id"]);
    let (status, html) = get_doc(&app, Some(&rep), &format!("/documents/quotes/{uuid}.html")).await;
    assert_eq!(status, 200);
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.contains("255.63") && html.contains(accepted["number"].as_str().unwrap()),
        "{html}"
    );
    assert!(html.contains("VAT DE 811 907 980"), "{html}");
    let (status, pdf) = get_doc(
        &app,
        Some(&rep),
        &format!("/documents/quotes/{uuid}.pdf?revision=1"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&pdf) {
        for needle in [
            "350.62",
            "328.60",
            "43.61",
            "Installation",
            "T-WIDGET",
            accepted["number"].as_str().unwrap(),
        ] {
            assert!(
                text.contains(needle),
                "{needle} missing from the PDF text:\n{text}"
            );
        }
    }
}

fn quote_uuid(id: &Value) -> String {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id.as_str().unwrap())
        .unwrap();
    String::from_utf8(raw)
        .unwrap()
        .split_once(':')
        .unwrap()
        .1
        .to_string()
}

async fn get_doc(app: &TestApp, token: Option<&str>, path: &str) -> (u16, Vec<u8>) {
    let mut req = app.client.get(format!("{}{path}", app.url));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.bytes().await.unwrap().to_vec())
}

/// The text of a PDF through `pdftotext` (poppler-utils, installed by the test command); `None`
/// with a note when it is missing.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let path = std::env::temp_dir().join(format!("crm-test-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            assert!(
                std::env::var_os("CRM_REQUIRE_PDFTOTEXT").is_none(),
                "pdftotext is required"
            );
            eprintln!("pdftotext is not installed: the PDF's text was not checked");
            None
        }
    }
}

#[tokio::test]
async fn an_expired_quote_reads_expired_cannot_be_accepted_and_can_be_revised() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let (widget, _) = catalogue(&app, &admin).await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let q = quote_ok(&app, &admin, "createQuote", "CreateQuoteInput", json!({
        "customerId": acme, "title": "Short offer", "lines": [{"productId": widget, "quantity": "1"}]})).await;
    let past = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let v = quote_op(
        &app,
        &admin,
        "updateQuote",
        "UpdateQuoteInput",
        json!({"id": q["id"], "version": q["version"], "validUntil": past}),
    )
    .await;
    assert!(
        v["errors"][0]["extensions"]["fields"]
            .to_string()
            .contains("validUntil"),
        "{v}"
    );
    let q = quote_ok(
        &app,
        &admin,
        "sendQuote",
        "QuoteVersionInput",
        json!({"id": q["id"], "version": q["version"]}),
    )
    .await;
    let number = q["number"].as_str().unwrap();
    for sql in [
        format!("UPDATE quote_revisions SET valid_until = '{past}' WHERE quote_id IN (SELECT id FROM quotes WHERE number = '{number}')"),
        format!("UPDATE quotes SET valid_until = '{past}' WHERE number = '{number}'"),
    ] {
        app.state.db.execute_unprepared(&sql).await.unwrap();
    }
    let list = "query($s: [QuoteStatus!]) { quotes(filter: {statuses: $s, search: \"Short offer\"}) { totalCount edges { node { status } } } }";
    let d = app.ok(&admin, list, json!({"s": ["EXPIRED"]})).await;
    assert_eq!(d["quotes"]["totalCount"], 1);
    assert_eq!(d["quotes"]["edges"][0]["node"]["status"], "EXPIRED");
    let d = app.ok(&admin, list, json!({"s": ["SENT"]})).await;
    assert_eq!(d["quotes"]["totalCount"], 0);
    let v = quote_op(
        &app,
        &admin,
        "acceptQuote",
        "AcceptQuoteInput",
        json!({"id": q["id"], "version": q["version"]}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{v}"
    );
    let r = quote_ok(
        &app,
        &admin,
        "reviseQuote",
        "QuoteVersionInput",
        json!({"id": q["id"], "version": q["version"]}),
    )
    .await;
    assert_eq!(r["status"], "DRAFT");
    assert!(r["validUntil"].as_str().unwrap() > past.as_str());
}

#[tokio::test]
async fn quotes_obey_row_scope_and_field_grants_on_every_read_path() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let (widget, _) = catalogue(&app, &admin).await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let rep = app.login("rep@demo.crm").await;
    let q = quote_ok(&app, &rep, "createQuote", "CreateQuoteInput", json!({
        "customerId": acme, "title": "Scoped quote", "lines": [{"productId": widget, "quantity": "2"}]})).await;
    let uuid = quote_uuid(&q["id"]);
    let one = "query($id: ID!) { quote(id: $id) { number total { amount } } node(id: $id) { id } }";
    let list = "{ quotes(filter: {search: \"Scoped\"}) { totalCount edges { node { number } } } }";

    // The same team sees it; another team does not, by any path.
    let rep2 = app.login("rep2@demo.crm").await;
    let d = app.ok(&rep2, one, json!({"id": q["id"]})).await;
    assert_eq!(d["quote"]["total"]["amount"], "47.98");
    let rep3 = app.login("rep3@demo.crm").await;
    let d = app.ok(&rep3, one, json!({"id": q["id"]})).await;
    assert!(d["quote"].is_null() && d["node"].is_null(), "{d}");
    let d = app.ok(&rep3, list, json!({})).await;
    assert_eq!(d["quotes"]["totalCount"], 0);
    let d = app
        .ok(
            &rep3,
            "query($p: ID!) { product(id: $p) { quotes { totalCount } } }",
            json!({"p": widget}),
        )
        .await;
    assert_eq!(d["product"]["quotes"]["totalCount"], 0);
    assert_eq!(
        get_doc(&app, Some(&rep3), &format!("/documents/quotes/{uuid}.pdf"))
            .await
            .0,
        404
    );
    assert_eq!(
        get_doc(&app, None, &format!("/documents/quotes/{uuid}.pdf"))
            .await
            .0,
        401
    );
    // rep2 sees it but may not change it (update is their own).
    let v = quote_op(
        &app,
        &rep2,
        "sendQuote",
        "QuoteVersionInput",
        json!({"id": q["id"], "version": q["version"]}),
    )
    .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);

    // Roles without quotes: refused outright; read-only and billing read but never write.
    let marketing = app.login("marketing@demo.crm").await;
    let v = app.gql(Some(&marketing), list, json!({})).await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    assert_eq!(
        get_doc(
            &app,
            Some(&marketing),
            &format!("/documents/quotes/{uuid}.pdf")
        )
        .await
        .0,
        403
    );
    for who in ["readonly@demo.crm", "billing@demo.crm"] {
        let t = app.login(who).await;
        let d = app.ok(&t, list, json!({})).await;
        assert_eq!(d["quotes"]["totalCount"], 1, "{who}");
        let v = quote_op(
            &app,
            &t,
            "sendQuote",
            "QuoteVersionInput",
            json!({"id": q["id"], "version": q["version"]}),
        )
        .await;
        assert_eq!(codes(&v), ["FORBIDDEN"], "{who}");
        let v = quote_op(
            &app,
            &t,
            "createQuote",
            "CreateQuoteInput",
            json!({"customerId": acme}),
        )
        .await;
        assert_eq!(codes(&v), ["FORBIDDEN"], "{who}");
    }

    // Discounts above 15 % need the large-discount grant: a rep is refused, a manager is not.
    let big = json!({"customerId": acme, "lines": [{"productId": widget, "quantity": "1", "discountPercent": "20"}]});
    let v = quote_op(&app, &rep, "createQuote", "CreateQuoteInput", big.clone()).await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    let v = quote_op(
        &app,
        &rep,
        "updateQuote",
        "UpdateQuoteInput",
        json!({"id": q["id"], "version": q["version"], "discountPercent": "16"}),
    )
    .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    let manager = app.login("manager@demo.crm").await;
    let d = quote_ok(&app, &manager, "createQuote", "CreateQuoteInput", big).await;
    assert_eq!(d["current"]["lines"][0]["net"]["amount"], "15.99");
}

#[tokio::test]
async fn quotes_are_found_by_number_customer_and_product() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let (widget, hour) = catalogue(&app, &admin).await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let globex = account_id(&app, &admin, "Globex").await;
    let a = quote_ok(
        &app,
        &admin,
        "createQuote",
        "CreateQuoteInput",
        json!({
        "customerId": acme, "lines": [{"productId": widget, "quantity": "1"}]}),
    )
    .await;
    let b = quote_ok(
        &app,
        &admin,
        "createQuote",
        "CreateQuoteInput",
        json!({
        "customerId": globex, "lines": [{"productId": hour, "quantity": "1"}]}),
    )
    .await;
    let numbers = |d: &Value| -> Vec<String> {
        d["quotes"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["number"].as_str().unwrap().to_string())
            .collect()
    };
    let search = "query($s: String) { quotes(first: 100, filter: {search: $s}) { edges { node { number } } } }";
    let d = app.ok(&admin, search, json!({"s": a["number"]})).await;
    assert_eq!(numbers(&d), [a["number"].as_str().unwrap()]);
    let d = app.ok(&admin, search, json!({"s": "globex"})).await;
    assert!(numbers(&d).contains(&b["number"].as_str().unwrap().to_string()));
    assert!(!numbers(&d).contains(&a["number"].as_str().unwrap().to_string()));
    let d = app.ok(&admin, search, json!({"s": "t-hour"})).await;
    assert_eq!(numbers(&d), [b["number"].as_str().unwrap()]);
    let d = app
        .ok(&admin, "query($p: ID!, $c: ID!) { quotes(filter: {productId: $p, customerId: $c}) { totalCount } }", json!({"p": widget, "c": acme}))
        .await;
    assert_eq!(d["quotes"]["totalCount"], 1);
}

#[tokio::test]
async fn bad_quote_input_names_every_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let (widget, _) = catalogue(&app, &admin).await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let before = (
        app.count_rows("quotes").await,
        app.count_rows("quote_lines").await,
        app.count_rows("change_log").await,
    );
    let missing_product = tests_product_id();
    let v = quote_op(
        &app,
        &admin,
        "createQuote",
        "CreateQuoteInput",
        json!({
        "customerId": acme, "currency": "EURO", "discountPercent": "101",
        "lines": [
            {"productId": widget, "quantity": "0"},
            {"productId": missing_product, "quantity": "1"},
            {"name": " ", "quantity": "1.0001"},
            {"productId": widget, "quantity": "1", "unitPrice": "1.001", "taxCategory": "NONE"}
        ]}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");
    let v2 = quote_op(
        &app,
        &admin,
        "createQuote",
        "CreateQuoteInput",
        json!({
        "customerId": acme,
        "lines": [
            {"productId": widget, "quantity": "0"},
            {"productId": missing_product, "quantity": "1"},
            {"name": " ", "quantity": "1.0001"},
            {"productId": widget, "quantity": "1", "unitPrice": "1.001", "taxCategory": "NONE"}
        ]}),
    )
    .await;
    let fields = format!(
        "{} {}",
        v["errors"][0]["extensions"]["fields"], v2["errors"][0]["extensions"]["fields"]
    );
    for f in [
        "\"currency\"",
        "\"discountPercent\"",
        "lines.0.quantity",
        "lines.1.productId",
        "lines.2.name",
        "lines.2.quantity",
        "lines.2.unitPrice",
        "lines.3.unitPrice",
        "lines.3.taxCategory",
    ] {
        assert!(fields.contains(f), "{f} missing in {fields}");
    }
    // A product without a price in the currency is named.
    let v = quote_op(
        &app,
        &admin,
        "createQuote",
        "CreateQuoteInput",
        json!({
        "customerId": acme, "currency": "JPY", "lines": [{"productId": widget, "quantity": "1"}]}),
    )
    .await;
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("T-WIDGET")
            || v["errors"][0]["extensions"]["fields"]
                .to_string()
                .contains("T-WIDGET"),
        "{v}"
    );
    let after = (
        app.count_rows("quotes").await,
        app.count_rows("quote_lines").await,
        app.count_rows("change_log").await,
    );
    assert_eq!(before, after);
}

/// A `Product` id of no product.
fn tests_product_id() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("Product:{}", uuid::Uuid::new_v4()))
}

#[tokio::test]
async fn a_quote_of_two_hundred_lines_costs_a_fixed_number_of_statements() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let (widget, hour) = catalogue(&app, &admin).await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let lines = |n: usize| -> Value {
        Value::Array(
            (0..n)
                .map(|i| {
                    if i % 2 == 0 {
                        json!({"productId": widget, "quantity": format!("{}", i + 1)})
                    } else {
                        json!({"productId": hour, "quantity": "1.5", "discountPercent": "2.5"})
                    }
                })
                .collect(),
        )
    };
    let mut counts = Vec::new();
    for n in [2, 200] {
        let before = app.statements();
        let q = quote_ok(
            &app,
            &admin,
            "createQuote",
            "CreateQuoteInput",
            json!({"customerId": acme, "lines": lines(n)}),
        )
        .await;
        counts.push(app.statements() - before);
        let sum: i128 = q["current"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| cents(&l["total"]))
            .sum();
        assert_eq!(sum, cents(&q["current"]["total"]));
    }
    assert_eq!(
        counts[0], counts[1],
        "statements grew with the lines: {counts:?}"
    );
}

fn cents(v: &Value) -> i128 {
    let s = v["amount"].as_str().unwrap();
    let (w, f) = s.split_once('.').unwrap();
    w.parse::<i128>().unwrap() * 100 + f.parse::<i128>().unwrap()
}
