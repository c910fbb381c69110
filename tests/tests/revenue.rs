//! Revenue through the API and as CSV: net revenue by period (empty periods included), top
//! customers with their share, purchase trends against the range before, top products; credit
//! notes subtract; drafts and other currencies stay out; the role matrix (team scope, no grant,
//! export grant for CSV); bad filters name the field.

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::billing::{op_ok, product, ORDER};
use crate::opportunities::account_id;

const REPORT: &str = "query($f: RevenueFilterInput) { revenueReport(filter: $f) { from to groupBy \
    previousFrom previousTo \
    periods { label start end currency net { amount } gross { amount } invoices creditNotes } \
    topCustomers { customer { ... on Organization { name } } currency net { amount } invoices share } \
    trends { customer { ... on Organization { name } } currency current { amount } previous { amount } change { amount } changePercent } \
    topProducts { code name currency quantity net { amount } } } }";

/// An order of `qty` × R-GEAR at 10.00 CHF for `customer`, by the admin.
async fn order(app: &TestApp, admin: &str, gear: &str, customer: &str, qty: &str) -> Value {
    op_ok(
        app,
        admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        ORDER,
        json!({"customerId": customer, "currency": "CHF",
            "lines": [{"productId": gear, "quantity": qty, "unitPrice": "10"}]}),
    )
    .await
}

/// Invoices `qty` of the order's first line and issues it; the issued invoice.
async fn issue(app: &TestApp, billing: &str, order: &Value, qty: &str) -> Value {
    let d = op_ok(
        app,
        billing,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        "id version",
        json!({"orderId": order["id"], "lines": [{"lineId": order["lines"][0]["id"], "quantity": qty}]}),
    )
    .await;
    op_ok(
        app,
        billing,
        "issueInvoice",
        "InvoiceVersionInput",
        "invoice",
        "id version number lines { id }",
        json!({"id": d["id"], "version": d["version"]}),
    )
    .await
}

async fn set_issue_date(app: &TestApp, number: &str, date: chrono::NaiveDate) {
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE invoices SET issue_date = '{date}' WHERE number = '{number}'"
        ))
        .await
        .unwrap();
}

fn report(v: &Value) -> &Value {
    &v["revenueReport"]
}

#[tokio::test]
async fn revenue_is_reported_by_period_customer_and_product_less_credit_notes() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let billing = app.login("billing@demo.crm").await;
    let gear = product(&app, &admin, "R-GEAR", "10").await;
    let initech = account_id(&app, &admin, "Initech").await;
    let globex = account_id(&app, &admin, "Globex").await;

    // Initech: 3 and 2 gears invoiced this month, 1 credited; Globex: 5 gears thirteen months
    // ago (before the report's range, inside the range the trends compare with).
    let o = order(&app, &admin, &gear, &initech, "6").await;
    let first = issue(&app, &billing, &o, "3").await;
    issue(&app, &billing, &o, "2").await;
    op_ok(
        &app,
        &billing,
        "createCreditNote",
        "CreateCreditNoteInput",
        "invoice",
        "number",
        json!({"invoiceId": first["id"], "version": first["version"], "reason": "One returned",
            "lines": [{"lineId": first["lines"][0]["id"], "quantity": "1"}]}),
    )
    .await;
    // A draft counts for nothing.
    op_ok(
        &app,
        &billing,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        "id",
        json!({"orderId": o["id"], "lines": [{"lineId": o["lines"][0]["id"], "quantity": "1"}]}),
    )
    .await;
    let g = order(&app, &admin, &gear, &globex, "5").await;
    let old = issue(&app, &billing, &g, "5").await;
    let today = chrono::Utc::now().date_naive();
    let thirteen_months_ago = today.checked_sub_months(chrono::Months::new(13)).unwrap();
    set_issue_date(&app, old["number"].as_str().unwrap(), thirteen_months_ago).await;

    let d = app
        .ok(&billing, REPORT, json!({"f": {"currency": "CHF"}}))
        .await;
    let r = report(&d);
    assert_eq!(r["groupBy"], "MONTH");
    assert_eq!(r["to"], today.to_string());
    // Twelve months, this one included, every one present.
    let periods = r["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 12, "{r}");
    assert!(periods.iter().all(|p| p["currency"] == "CHF"));
    let last = periods.last().unwrap();
    assert_eq!(last["label"], today.format("%b %Y").to_string());
    // 3 × 10 + 2 × 10 − 1 × 10 net; with 20 % tax 60.00 − 12.00 + … = 48.00 gross.
    assert_eq!(last["net"]["amount"], "40.00");
    assert_eq!(last["gross"]["amount"], "48.00");
    assert_eq!(last["invoices"], 2);
    assert_eq!(last["creditNotes"], 1);
    assert!(periods[..11].iter().all(|p| p["net"]["amount"] == "0.00"));

    assert_eq!(
        r["topCustomers"],
        json!([{"customer": {"name": "Initech"}, "currency": "CHF", "net": {"amount": "40.00"},
            "invoices": 2, "share": 100.0}])
    );
    // Trends: Initech grows from nothing, Globex shrinks from 50.00 to nothing; growing first.
    let trends = r["trends"].as_array().unwrap();
    assert_eq!(trends.len(), 2, "{r}");
    assert_eq!(trends[0]["customer"]["name"], "Initech");
    assert_eq!(trends[0]["change"]["amount"], "40.00");
    assert!(trends[0]["changePercent"].is_null());
    assert_eq!(trends[1]["customer"]["name"], "Globex");
    assert_eq!(trends[1]["previous"]["amount"], "50.00");
    assert_eq!(trends[1]["current"]["amount"], "0.00");
    assert_eq!(trends[1]["changePercent"], -100.0);
    assert_eq!(
        r["topProducts"],
        json!([{"code": "R-GEAR", "name": "Product R-GEAR", "currency": "CHF",
            "quantity": "4", "net": {"amount": "40.00"}}])
    );

    // By quarter and over two years: the same money, Globex's invoice now inside.
    let from = today.checked_sub_months(chrono::Months::new(24)).unwrap();
    let d = app
        .ok(
            &billing,
            REPORT,
            json!({"f": {"currency": "CHF", "groupBy": "QUARTER", "from": from.to_string()}}),
        )
        .await;
    let periods = report(&d)["periods"].as_array().unwrap().clone();
    assert!((8..=9).contains(&periods.len()), "{periods:?}");
    let nets: Vec<&str> = periods
        .iter()
        .map(|p| p["net"]["amount"].as_str().unwrap())
        .filter(|a| *a != "0.00")
        .collect();
    assert_eq!(nets, ["50.00", "40.00"]);
    assert!(periods[0]["label"].as_str().unwrap().starts_with("FY"));

    // One customer only.
    let d = app
        .ok(
            &billing,
            REPORT,
            json!({"f": {"currency": "CHF", "customerId": globex, "from": from.to_string()}}),
        )
        .await;
    assert_eq!(report(&d)["topCustomers"][0]["customer"]["name"], "Globex");
    assert_eq!(report(&d)["topCustomers"].as_array().unwrap().len(), 1);

    // The other team's rep reads nothing of the admin's invoices; marketing may not ask.
    let rep3 = app.login("rep3@demo.crm").await;
    let d = app
        .ok(&rep3, REPORT, json!({"f": {"currency": "CHF"}}))
        .await;
    assert_eq!(report(&d)["periods"], json!([]));
    assert_eq!(report(&d)["topCustomers"], json!([]));
    assert_eq!(report(&d)["trends"], json!([]));
    assert_eq!(report(&d)["topProducts"], json!([]));
    let marketing = app.login("marketing@demo.crm").await;
    let v = app.gql(Some(&marketing), REPORT, json!({})).await;
    assert_eq!(codes(&v), ["FORBIDDEN"], "{v}");
    assert!(v["data"].is_null());

    // CSV: the same figures for the export grant; a rep (read, no export) is refused.
    let get = |name: &str, token: &str| {
        app.client
            .get(format!("{}/reports/{name}?currency=CHF", app.url))
            .header("authorization", format!("Bearer {token}"))
            .send()
    };
    let text = get("revenue-by-customer.csv", &billing)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        text,
        "customer,currency,net,invoices,share_percent\nInitech,CHF,40.00,2,100.0\n"
    );
    let text = get("revenue-by-period.csv", &billing)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text.lines().count(), 13, "{text}");
    assert!(text.ends_with(",CHF,40.00,48.00,2,1\n"), "{text}");
    let text = get("revenue-trends.csv", &billing)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("\nGlobex,CHF,0.00,50.00,-50.00,-100.0\n"),
        "{text}"
    );
    let text = get("revenue-by-product.csv", &billing)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        text,
        "code,product,currency,quantity,net\nR-GEAR,Product R-GEAR,CHF,4,40.00\n"
    );
    let rep = app.login("rep@demo.crm").await;
    assert_eq!(
        get("revenue-by-customer.csv", &rep).await.unwrap().status(),
        403
    );
    let resp = app
        .client
        .get(format!(
            "{}/reports/revenue-by-period.csv?groupBy=WEEK",
            app.url
        ))
        .header("authorization", format!("Bearer {billing}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn bad_revenue_filters_name_the_field() {
    let app = TestApp::new().await;
    let billing = app.login("billing@demo.crm").await;
    let fields = |v: &Value| v["errors"][0]["extensions"]["fields"].to_string();
    let v = app
        .gql(
            Some(&billing),
            REPORT,
            json!({"f": {"from": "2026-13-01", "currency": "eu"}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");
    assert!(fields(&v).contains("filter.from"), "{v}");
    assert!(fields(&v).contains("filter.currency"), "{v}");
    let v = app
        .gql(
            Some(&billing),
            REPORT,
            json!({"f": {"from": "2026-05-01", "to": "2026-04-01"}}),
        )
        .await;
    assert!(fields(&v).contains("filter.to"), "{v}");
    let v = app
        .gql(
            Some(&billing),
            REPORT,
            json!({"f": {"from": "1900-01-01", "to": "2026-04-01"}}),
        )
        .await;
    assert!(fields(&v).contains("filter.from"), "{v}");
    let v = app
        .gql(
            Some(&billing),
            "{ revenueReport { topCustomers(top: 0) { net { amount } } } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");
    assert!(fields(&v).contains("top"), "{v}");
}
