//! A customer's statement of account: opening balance, the invoices, credit notes and payments of
//! the range with a running balance, closing balance and overdue, to the cent; under the row scope;
//! refused without the invoice grant; bad input names the field.

use chrono::Days;
use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::billing::{op_ok, product, ORDER};
use crate::opportunities::account_id;

const Q: &str = "query($c: ID!, $f: String, $t: String) { customerStatement(customerId: $c, from: $f, to: $t) { \
    from to currencies { currency opening { amount } closing { amount } overdue { amount } \
    entries { date kind number id debit { amount } credit { amount } balance { amount } dueDate } } } }";

async fn exec(app: &TestApp, sql: String) {
    use sea_orm::ConnectionTrait;
    app.state.db.execute_unprepared(&sql).await.unwrap();
}

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

/// The GBP part of a statement, as (opening, closing, overdue, [(kind number debit credit balance)]).
fn gbp(d: &Value) -> (String, String, String, Vec<String>) {
    let c = d["customerStatement"]["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["currency"] == "GBP")
        .unwrap_or_else(|| panic!("no GBP: {d}"));
    let s = |v: &Value| v["amount"].as_str().unwrap().to_string();
    let entries = c["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {} {} {}",
                e["date"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["number"].as_str().unwrap(),
                s(&e["debit"]),
                s(&e["credit"]),
                s(&e["balance"])
            )
        })
        .collect();
    (
        s(&c["opening"]),
        s(&c["closing"]),
        s(&c["overdue"]),
        entries,
    )
}

#[tokio::test]
async fn a_statement_shows_opening_entries_running_balance_closing_and_overdue() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let billing = app.login("billing@demo.crm").await;
    let gear = product(&app, &admin, "S-GEAR", "10").await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let o = op_ok(
        &app,
        &admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        ORDER,
        json!({"customerId": acme, "currency": "GBP",
            "lines": [{"productId": gear, "quantity": "10", "unitPrice": "10.01"}]}),
    )
    .await;
    // A: 3 × 10.01 + 20 % = 36.04, issued 40 days ago, due 10 days ago; one credited (12.01);
    // 20.00 paid on it 20 days ago; B: 5 × 10.01 + 20 % = 60.06, issued 5 days ago.
    let a = issue(&app, &billing, &o, "3").await;
    let cn = op_ok(
        &app,
        &billing,
        "createCreditNote",
        "CreateCreditNoteInput",
        "invoice",
        "number total { amount }",
        json!({"invoiceId": a["id"], "version": a["version"], "reason": "One returned",
            "lines": [{"lineId": a["lines"][0]["id"], "quantity": "1"}]}),
    )
    .await;
    assert_eq!(cn["total"]["amount"], "12.01");
    let b = issue(&app, &billing, &o, "5").await;
    let today = chrono::Utc::now().date_naive();
    let ago = |n: u64| today.checked_sub_days(Days::new(n)).unwrap();
    let (an, cnn, bn) = (
        a["number"].as_str().unwrap(),
        cn["number"].as_str().unwrap(),
        b["number"].as_str().unwrap(),
    );
    exec(
        &app,
        format!(
            "UPDATE invoices SET issue_date = '{}', due_date = '{}' WHERE number = '{an}'",
            ago(40),
            ago(10)
        ),
    )
    .await;
    exec(
        &app,
        format!(
            "UPDATE invoices SET issue_date = '{}' WHERE number = '{cnn}'",
            ago(30)
        ),
    )
    .await;
    let b_due = today.checked_add_days(Days::new(25)).unwrap();
    exec(
        &app,
        format!(
            "UPDATE invoices SET issue_date = '{}', due_date = '{b_due}' WHERE number = '{bn}'",
            ago(5)
        ),
    )
    .await;
    let p = op_ok(
        &app,
        &billing,
        "recordPayment",
        "RecordPaymentInput",
        "payment",
        "number allocated { amount }",
        json!({"customerId": acme, "amount": "20.00", "currency": "GBP",
            "receivedOn": ago(20).to_string(), "allocations": [{"invoiceId": a["id"], "amount": "20"}]}),
    )
    .await;
    assert_eq!(p["allocated"]["amount"], "20.00");
    let pn = p["number"].as_str().unwrap();

    // Default range: the last 90 days to today.
    let d = app.ok(&billing, Q, json!({"c": acme})).await;
    assert_eq!(d["customerStatement"]["to"], today.to_string());
    assert_eq!(d["customerStatement"]["from"], ago(90).to_string());
    let (opening, closing, overdue, entries) = gbp(&d);
    assert_eq!(opening, "0.00");
    assert_eq!(
        entries,
        [
            format!("{} INVOICE {an} 36.04 0.00 36.04", ago(40)),
            format!("{} CREDIT_NOTE {cnn} 0.00 12.01 24.03", ago(30)),
            format!("{} PAYMENT {pn} 0.00 20.00 4.03", ago(20)),
            format!("{} INVOICE {bn} 60.06 0.00 64.09", ago(5)),
        ]
    );
    assert_eq!(closing, "64.09");
    // A is past due with 4.03 open; B is not due yet.
    assert_eq!(overdue, "4.03");
    let c = &d["customerStatement"]["currencies"];
    let first = c
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["currency"] == "GBP")
        .unwrap()["entries"][0]
        .clone();
    assert_eq!(first["dueDate"], ago(10).to_string());
    assert_eq!(first["id"], a["id"]);

    // From the middle: A and its credit note make the opening balance.
    let d = app
        .ok(&billing, Q, json!({"c": acme, "f": ago(25).to_string()}))
        .await;
    let (opening, closing, _, entries) = gbp(&d);
    assert_eq!(opening, "24.03");
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries[0].contains(" PAYMENT "), "{entries:?}");
    assert_eq!(closing, "64.09");
    // A closed range before B: opening after the payment, nothing in it, overdue at its end.
    let d = app
        .ok(
            &billing,
            Q,
            json!({"c": acme, "f": ago(15).to_string(), "t": ago(8).to_string()}),
        )
        .await;
    let (opening, closing, overdue, entries) = gbp(&d);
    assert_eq!(
        (opening.as_str(), closing.as_str(), overdue.as_str()),
        ("4.03", "4.03", "4.03")
    );
    assert!(entries.is_empty());
    // Before A fell due nothing was overdue.
    let d = app
        .ok(
            &billing,
            Q,
            json!({"c": acme, "f": ago(60).to_string(), "t": ago(35).to_string()}),
        )
        .await;
    let (opening, closing, overdue, entries) = gbp(&d);
    assert_eq!(
        (opening.as_str(), closing.as_str(), overdue.as_str()),
        ("0.00", "36.04", "0.00")
    );
    assert_eq!(entries.len(), 1);

    // The admin's documents are not another team's rep's.
    let rep3 = app.login("rep3@demo.crm").await;
    let v = app.gql(Some(&rep3), Q, json!({"c": acme})).await;
    let none = v["data"]["customerStatement"]["currencies"]
        .as_array()
        .map(|c| c.iter().all(|c| c["currency"] != "GBP"))
        .unwrap_or(codes(&v) == ["NOT_FOUND"]);
    assert!(none, "{v}");
    // No invoice grant, no statement.
    let marketing = app.login("marketing@demo.crm").await;
    let v = app.gql(Some(&marketing), Q, json!({"c": acme})).await;
    assert_eq!(codes(&v), ["FORBIDDEN"], "{v}");
}

#[tokio::test]
async fn a_statement_with_bad_input_names_the_field() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let billing = app.login("billing@demo.crm").await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let fields = |v: &Value| v["errors"][0]["extensions"]["fields"].to_string();
    let v = app
        .gql(
            Some(&billing),
            Q,
            json!({"c": acme, "f": "2026-13-01", "t": "soon"}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");
    assert!(
        fields(&v).contains("\"from\"") && fields(&v).contains("\"to\""),
        "{v}"
    );
    let v = app
        .gql(
            Some(&billing),
            Q,
            json!({"c": acme, "f": "2026-03-02", "t": "2026-03-01"}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");
    assert!(fields(&v).contains("\"from\""), "{v}");
    let v = app.gql(Some(&billing), Q, json!({"c": "nonsense"})).await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");
    assert!(fields(&v).contains("customerId"), "{v}");
}
