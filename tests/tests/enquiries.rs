//! Enquiries through the API: every field the seed lists, lines priced from the price lists, a
//! quote made from an enquiry (lines copied, prices resolved, the enquiry quoted in the same
//! transaction), search by customer and product, bad input that writes nothing, the role matrix.

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::opportunities::account_id;

const ENQUIRY: &str = "id number status version channel enquiryDate address currency deliveryPeriod \
    paymentTerms quotationLeadDays quotationWantedBy deliveryPoint remarks canEdit net { amount } \
    customer { ... on Organization { name } } quote { number } \
    lines { code name specification quantity unitPrice { amount } discountPercent total { amount } }";

async fn op(app: &TestApp, token: &str, name: &str, ty: &str, input: Value) -> Value {
    let q = format!("mutation($i: {ty}!) {{ {name}(input: $i) {{ enquiry {{ {ENQUIRY} }} }} }}");
    app.gql(Some(token), &q, json!({"i": input})).await
}

#[tokio::test]
async fn an_enquiry_with_every_field_becomes_a_quote_with_its_lines() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let d = app
        .ok(
            &rep,
            "{ products(search: \"WID-100\") { nodes { id } } }",
            json!({}),
        )
        .await;
    let widget = d["products"]["nodes"][0]["id"].clone();
    let today = chrono::Utc::now().date_naive();

    // Bad input names each field and writes nothing.
    let before = app.count_rows("enquiries").await;
    let v = op(
        &app,
        &rep,
        "createEnquiry",
        "CreateEnquiryInput",
        json!({
        "customerId": acme, "channel": "TENDER", "enquiryDate": "2999-01-01",
        "quotationLeadDays": 900, "currency": "EURO",
        "lines": [{"productId": widget, "quantity": "zero"}]}),
    )
    .await;
    let fields = v["errors"][0]["extensions"]["fields"].to_string();
    for f in ["enquiryDate", "quotationLeadDays", "\"currency\""] {
        assert!(fields.contains(f), "{f} missing in {fields}");
    }
    assert_eq!(app.count_rows("enquiries").await, before);

    let v = op(&app, &rep, "createEnquiry", "CreateEnquiryInput", json!({
        "customerId": acme, "channel": "TENDER", "enquiryDate": today.to_string(),
        "address": "Acme Corporation\n1 Desert Road\nPhoenix",
        "deliveryPeriod": "Weeks 10–12", "paymentTerms": "30 days net", "quotationLeadDays": 7,
        "deliveryPoint": "Loading dock B", "remarks": "Tender 2027/14.\nSamples wanted.",
        "lines": [
            {"productId": widget, "quantity": "40", "specification": "Blue, anodised"},
            {"name": "Custom bracket", "quantity": "10", "unitPrice": "4.50", "discountPercent": "10",
             "specification": "Drawing 7-A"}
        ]})).await;
    assert!(v.get("errors").is_none(), "{v}");
    let e = v["data"]["createEnquiry"]["enquiry"].clone();
    assert!(e["number"].as_str().unwrap().starts_with("ENQ-"));
    assert_eq!(e["status"], "OPEN");
    assert_eq!(e["channel"], "TENDER");
    assert_eq!(e["deliveryPoint"], "Loading dock B");
    assert_eq!(
        e["quotationWantedBy"],
        (today + chrono::Duration::days(7)).to_string()
    );
    assert_eq!(e["address"], "Acme Corporation\n1 Desert Road\nPhoenix");
    // WID-100 from Acme's contract list: 40 × 17.50 = 700.00 (+20 % = 840.00); 10 × 4.50 − 10 % = 40.50.
    assert_eq!(e["lines"][0]["code"], "WID-100");
    assert_eq!(e["lines"][0]["unitPrice"]["amount"], "17.50");
    assert_eq!(e["lines"][0]["total"]["amount"], "840.00");
    assert_eq!(e["lines"][0]["specification"], "Blue, anodised");
    assert_eq!(e["lines"][1]["total"]["amount"], "48.60");
    assert_eq!(e["net"]["amount"], "740.50");

    // Found by customer and by product.
    let d = app
        .ok(
            &rep,
            "query($c: ID, $p: ID) { a: enquiries(filter: {customerId: $c}) { totalCount } \
        b: enquiries(filter: {productId: $p}) { edges { node { number } } } }",
            json!({"c": acme, "p": widget}),
        )
        .await;
    assert!(d["a"]["totalCount"].as_i64().unwrap() >= 1);
    assert!(d["b"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["node"]["number"] == e["number"]));

    // The quote: the enquiry's customer, lines and specifications; the enquiry reads quoted.
    let q = app.ok(&rep, "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { number title \
        customer { ... on Organization { name } } current { total { amount } lines { code specification quantity total { amount } } } } } }",
        json!({"i": {"enquiryId": e["id"]}})).await["createQuote"]["quote"].clone();
    assert_eq!(q["customer"]["name"], "Acme Corporation");
    assert_eq!(
        q["title"],
        format!("Enquiry {}", e["number"].as_str().unwrap())
    );
    let lines = q["current"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["specification"], "Blue, anodised");
    assert_eq!(lines[1]["total"]["amount"], "48.60");
    assert_eq!(q["current"]["total"]["amount"], "888.60");
    let one = format!("query($id: ID!) {{ enquiry(id: $id) {{ {ENQUIRY} }} }}");
    let e2 = app.ok(&rep, &one, json!({"id": e["id"]})).await["enquiry"].clone();
    assert_eq!(e2["status"], "QUOTED");
    assert_eq!(e2["quote"]["number"], q["number"]);
    assert_eq!(e2["canEdit"], false);
    // Quoted once: a second quote and any change are refused.
    let v = app
        .gql(
            Some(&rep),
            "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { id } } }",
            json!({"i": {"enquiryId": e["id"]}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    let v = op(
        &app,
        &rep,
        "updateEnquiry",
        "UpdateEnquiryInput",
        json!({"id": e["id"], "version": e2["version"], "remarks": "x"}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);

    // Row scope: the other team's rep sees nothing; marketing has no grant.
    let rep3 = app.login("rep3@demo.crm").await;
    let d = app
        .ok(
            &rep3,
            "query($id: ID!) { enquiry(id: $id) { number } node(id: $id) { id } }",
            json!({"id": e["id"]}),
        )
        .await;
    assert!(d["enquiry"].is_null() && d["node"].is_null());
    let v = app
        .gql(
            Some(&app.login("marketing@demo.crm").await),
            "{ enquiries { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
}

#[tokio::test]
async fn an_open_enquiry_changes_and_closes() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let globex = account_id(&app, &rep, "Globex").await;
    let v = op(
        &app,
        &rep,
        "createEnquiry",
        "CreateEnquiryInput",
        json!({"customerId": globex, "channel": "PHONE"}),
    )
    .await;
    let e = v["data"]["createEnquiry"]["enquiry"].clone();
    let v = op(
        &app,
        &rep,
        "updateEnquiry",
        "UpdateEnquiryInput",
        json!({
        "id": e["id"], "version": e["version"], "channel": "FAX", "paymentTerms": "Prepayment",
        "lines": [{"name": "Spare part", "quantity": "2", "unitPrice": "10"}]}),
    )
    .await;
    assert!(v.get("errors").is_none(), "{v}");
    let e = v["data"]["updateEnquiry"]["enquiry"].clone();
    assert_eq!(e["channel"], "FAX");
    assert_eq!(e["net"]["amount"], "20.00");
    let v = op(
        &app,
        &rep,
        "closeEnquiry",
        "EnquiryVersionInput",
        json!({"id": e["id"], "version": e["version"]}),
    )
    .await;
    assert_eq!(v["data"]["closeEnquiry"]["enquiry"]["status"], "CLOSED");
    // A stale version is a conflict; a closed enquiry is not quoted.
    let v = op(
        &app,
        &rep,
        "closeEnquiry",
        "EnquiryVersionInput",
        json!({"id": e["id"], "version": e["version"]}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    let v = app
        .gql(
            Some(&rep),
            "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { id } } }",
            json!({"i": {"enquiryId": e["id"]}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
}
