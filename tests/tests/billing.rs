//! Orders, invoices and payments through the API: an accepted quote becomes an order, delivered in
//! part and invoiced per delivered line; issued invoices are numbered without gaps (also when
//! issued concurrently) and never change; payments settle them in part, in full or beyond;
//! credit notes correct them; the ageing and the customer's balance; overdue reminders run as
//! durable jobs; the role matrix on every read path; bad input that writes nothing.

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::opportunities::account_id;

pub(crate) const ORDER: &str = "id number kind status version currency dealerReference \
    net { amount } tax { amount } total { amount } \
    customer { ... on Organization { name } } quote { number } \
    can { confirm ship deliver cancel invoice } \
    lines { id code name quantity delivered outstanding invoiced net { amount } total { amount } }";

const INVOICE: &str = "id kind number status paymentStatus version currency issueDate dueDate \
    daysOverdue dunningLevel net { amount } tax { amount } total { amount } paid { amount } \
    credited { amount } open { amount } can { edit issue delete credit recordPayment } \
    lines { id name quantity net { amount } tax { amount } total { amount } }";

pub(crate) async fn op(
    app: &TestApp,
    token: &str,
    name: &str,
    ty: &str,
    field: &str,
    sel: &str,
    input: Value,
) -> Value {
    let q = format!("mutation($i: {ty}!) {{ {name}(input: $i) {{ {field} {{ {sel} }} }} }}");
    app.gql(Some(token), &q, json!({"i": input})).await
}

pub(crate) async fn op_ok(
    app: &TestApp,
    token: &str,
    name: &str,
    ty: &str,
    field: &str,
    sel: &str,
    input: Value,
) -> Value {
    let v = op(app, token, name, ty, field, sel, input).await;
    assert!(v.get("errors").is_none(), "{name}: {v}");
    v["data"][name][field].clone()
}

pub(crate) async fn product(app: &TestApp, admin: &str, code: &str, price: &str) -> String {
    let d = app
        .ok(
            admin,
            "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } } }",
            json!({"i": {"code": code, "name": format!("Product {code}"),
                   "prices": [{"amount": price, "currency": "EUR"}]}}),
        )
        .await;
    d["createProduct"]["product"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A quote for Acme by the rep, sent and accepted: 10 × 19.99 and 3 × 5.00, 20 % tax.
async fn accepted_quote(app: &TestApp, admin: &str, rep: &str, customer: &str) -> Value {
    let a = product(app, admin, "B-GEAR", "19.99").await;
    let b = product(app, admin, "B-BOLT", "5").await;
    let sel = "id version status";
    let q = op_ok(
        app,
        rep,
        "createQuote",
        "CreateQuoteInput",
        "quote",
        sel,
        json!({
        "customerId": customer,
        "lines": [{"productId": a, "quantity": "10"}, {"productId": b, "quantity": "3"}]}),
    )
    .await;
    let q = op_ok(
        app,
        rep,
        "sendQuote",
        "QuoteVersionInput",
        "quote",
        sel,
        json!({"id": q["id"], "version": q["version"]}),
    )
    .await;
    op_ok(
        app,
        rep,
        "acceptQuote",
        "AcceptQuoteInput",
        "quote",
        "id version status number",
        json!({"id": q["id"], "version": q["version"]}),
    )
    .await
}

/// Minor units of a money amount as the API writes it ("-48.12").
fn cents(m: &Value) -> i64 {
    let s = m["amount"].as_str().unwrap();
    let (units, hundredths) = s.split_once('.').unwrap();
    let v = units.trim_start_matches('-').parse::<i64>().unwrap() * 100
        + hundredths.parse::<i64>().unwrap();
    if s.starts_with('-') {
        -v
    } else {
        v
    }
}

async fn invoice(app: &TestApp, token: &str, id: &str) -> Value {
    let q = format!("query($id: ID!) {{ invoice(id: $id) {{ {INVOICE} }} }}");
    app.ok(token, &q, json!({"id": id})).await["invoice"].clone()
}

#[tokio::test]
async fn an_accepted_quote_is_ordered_delivered_in_part_invoiced_paid_and_credited() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let billing = app.login("billing@demo.crm").await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let quote = accepted_quote(&app, &admin, &rep, &acme).await;
    assert_eq!(quote["status"], "ACCEPTED");

    // The rep orders the accepted quote: its lines and figures, confirmed.
    let q = format!(
        "mutation($q: ID!) {{ createOrderFromQuote(quoteId: $q) {{ order {{ {ORDER} }} }} }}"
    );
    let v = app.gql(Some(&rep), &q, json!({"q": quote["id"]})).await;
    assert!(v.get("errors").is_none(), "{v}");
    let order = v["data"]["createOrderFromQuote"]["order"].clone();
    assert_eq!(order["status"], "CONFIRMED");
    assert_eq!(order["kind"], "SALES");
    assert_eq!(order["quote"]["number"], quote["number"]);
    // 199.90 + 15.00 = 214.90 net; tax 39.98 + 3.00; total 257.88.
    assert_eq!(order["net"]["amount"], "214.90");
    assert_eq!(order["total"]["amount"], "257.88");
    assert_eq!(
        order["can"],
        json!({"confirm": false, "ship": true, "deliver": true, "cancel": true, "invoice": false})
    );
    // A quote is ordered once.
    let v = app.gql(Some(&rep), &q, json!({"q": quote["id"]})).await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);

    // Partial delivery: 4 of the 10 gears.
    let gear = order["lines"][0]["id"].clone();
    let order = op_ok(&app, &rep, "recordDelivery", "RecordDeliveryInput", "order", ORDER,
        json!({"id": order["id"], "version": order["version"], "lines": [{"lineId": gear, "quantity": "4"}]})).await;
    assert_eq!(order["status"], "SHIPPED");
    assert_eq!(order["lines"][0]["delivered"], "4");
    assert_eq!(order["lines"][0]["outstanding"], "6");
    // More than outstanding is refused, naming the line.
    let v = op(&app, &rep, "recordDelivery", "RecordDeliveryInput", "order", "id",
        json!({"id": order["id"], "version": order["version"], "lines": [{"lineId": gear, "quantity": "7"}]})).await;
    assert!(
        v["errors"][0]["extensions"]["fields"]
            .to_string()
            .contains("lines.0.quantity"),
        "{v}"
    );
    // A rep may not invoice; billing may.
    let inv_in = json!({"orderId": order["id"], "basis": "DELIVERED", "paymentDays": 14});
    let v = op(
        &app,
        &rep,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        "id",
        inv_in.clone(),
    )
    .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    let draft = op_ok(
        &app,
        &billing,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        INVOICE,
        inv_in.clone(),
    )
    .await;
    assert_eq!(draft["status"], "DRAFT");
    assert!(draft["number"].is_null());
    // 4 × 19.99 = 79.96, tax 15.99 (15.992), total 95.95.
    assert_eq!(draft["lines"].as_array().unwrap().len(), 1);
    assert_eq!(draft["lines"][0]["quantity"], "4");
    assert_eq!(draft["total"]["amount"], "95.95");
    // What was delivered is now invoiced: a second draft finds nothing.
    let v = op(
        &app,
        &billing,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        "id",
        inv_in,
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);

    let first = op_ok(
        &app,
        &billing,
        "issueInvoice",
        "InvoiceVersionInput",
        "invoice",
        INVOICE,
        json!({"id": draft["id"], "version": draft["version"]}),
    )
    .await;
    assert_eq!(first["status"], "ISSUED");
    let number = first["number"].as_str().unwrap().to_string();
    assert!(
        number.starts_with("INV-20") && number.len() == 15,
        "{number}"
    );
    assert_eq!(first["paymentStatus"], "OPEN");
    assert_eq!(first["open"]["amount"], "95.95");
    assert_eq!(first["can"]["edit"], false);
    assert_eq!(first["can"]["recordPayment"], true);

    // Issued means frozen: every update path is refused and nothing changes.
    for (name, ty, input) in [
        (
            "updateInvoice",
            "UpdateInvoiceInput",
            json!({"id": first["id"], "version": first["version"], "notes": "changed"}),
        ),
        (
            "issueInvoice",
            "InvoiceVersionInput",
            json!({"id": first["id"], "version": first["version"]}),
        ),
    ] {
        let v = op(&app, &billing, name, ty, "invoice", "id", input).await;
        assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{name}: {v}");
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("credit note"),
            "{v}"
        );
    }
    let v = app
        .gql(
            Some(&billing),
            "mutation($i: InvoiceVersionInput!) { deleteInvoice(input: $i) { id } }",
            json!({"i": {"id": first["id"], "version": first["version"]}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    assert_eq!(
        invoice(&app, &billing, first["id"].as_str().unwrap()).await,
        first
    );

    // The rest is delivered and invoiced: 6 gears and 3 bolts.
    let order = op_ok(
        &app,
        &rep,
        "recordDelivery",
        "RecordDeliveryInput",
        "order",
        ORDER,
        json!({"id": order["id"], "version": order["version"]}),
    )
    .await;
    assert_eq!(order["status"], "DELIVERED");
    let draft = op_ok(
        &app,
        &billing,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        INVOICE,
        json!({"orderId": order["id"], "basis": "DELIVERED"}),
    )
    .await;
    let second = op_ok(
        &app,
        &billing,
        "issueInvoice",
        "InvoiceVersionInput",
        "invoice",
        INVOICE,
        json!({"id": draft["id"], "version": draft["version"]}),
    )
    .await;
    // 6 × 19.99 = 119.94 + 23.99 tax; 15.00 + 3.00: total 161.93. Both invoices: 257.88, the order.
    assert_eq!(second["total"]["amount"], "161.93");
    let seq = |n: &Value| n.as_str().unwrap()[9..].parse::<u32>().unwrap();
    assert_eq!(seq(&second["number"]), seq(&first["number"]) + 1);

    // A payment of 50.00 for the first invoice: part paid.
    let pay = "id number amount { amount } allocated { amount } unallocated { amount } canAllocate version \
        allocations { amount { amount } invoice { number } }";
    let p = op_ok(
        &app,
        &billing,
        "recordPayment",
        "RecordPaymentInput",
        "payment",
        pay,
        json!({
        "customerId": acme, "amount": "50", "currency": "EUR", "reference": "Bank 1",
        "allocations": [{"invoiceId": first["id"], "amount": "50"}]}),
    )
    .await;
    assert_eq!(p["allocated"]["amount"], "50.00");
    let first = invoice(&app, &billing, first["id"].as_str().unwrap()).await;
    assert_eq!(first["paymentStatus"], "PART_PAID");
    assert_eq!(first["open"]["amount"], "45.95");

    // Over-allocation is refused, naming the field, and writes nothing.
    let before = (
        app.count_rows("payments").await,
        app.count_rows("payment_allocations").await,
    );
    let v = op(
        &app,
        &billing,
        "recordPayment",
        "RecordPaymentInput",
        "payment",
        "id",
        json!({
        "customerId": acme, "amount": "100", "currency": "EUR",
        "allocations": [{"invoiceId": first["id"], "amount": "45.96"}]}),
    )
    .await;
    assert!(
        v["errors"][0]["extensions"]["fields"]
            .to_string()
            .contains("allocations.0.amount"),
        "{v}"
    );
    let v = op(
        &app,
        &billing,
        "recordPayment",
        "RecordPaymentInput",
        "payment",
        "id",
        json!({
        "customerId": acme, "amount": "-5", "currency": "EURO"}),
    )
    .await;
    let fields = v["errors"][0]["extensions"]["fields"].to_string();
    assert!(fields.contains("\"currency\""), "{v}");
    assert_eq!(
        (
            app.count_rows("payments").await,
            app.count_rows("payment_allocations").await
        ),
        before
    );

    // A credit note of one bolt on the second invoice: 5.00 + 1.00 tax.
    let bolt_line = second["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Product B-BOLT")
        .unwrap()["id"]
        .clone();
    let cn = op_ok(
        &app,
        &billing,
        "createCreditNote",
        "CreateCreditNoteInput",
        "invoice",
        INVOICE,
        json!({
        "invoiceId": second["id"], "version": second["version"], "reason": "One bolt damaged",
        "lines": [{"lineId": bolt_line, "quantity": "1"}]}),
    )
    .await;
    assert_eq!(cn["kind"], "CREDIT_NOTE");
    assert!(cn["number"].as_str().unwrap().starts_with("CN-20"));
    assert_eq!(cn["total"]["amount"], "6.00");
    let second = invoice(&app, &billing, second["id"].as_str().unwrap()).await;
    assert_eq!(second["credited"]["amount"], "6.00");
    assert_eq!(second["open"]["amount"], "155.93");
    // More than is open is refused.
    let v = op(
        &app,
        &billing,
        "createCreditNote",
        "CreateCreditNoteInput",
        "invoice",
        "id",
        json!({
        "invoiceId": second["id"], "version": second["version"], "reason": "x"}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");

    // 250.00 without allocations settles oldest due first and keeps the rest as credit:
    // 45.95 + 155.93 = 201.88 allocated, 48.12 unallocated.
    let p = op_ok(
        &app,
        &billing,
        "recordPayment",
        "RecordPaymentInput",
        "payment",
        pay,
        json!({
        "customerId": acme, "amount": "250", "currency": "EUR", "method": "CARD"}),
    )
    .await;
    assert_eq!(p["allocated"]["amount"], "201.88");
    assert_eq!(p["unallocated"]["amount"], "48.12");
    assert_eq!(p["allocations"].as_array().unwrap().len(), 2);
    for id in [&first["id"], &second["id"]] {
        let i = invoice(&app, &billing, id.as_str().unwrap()).await;
        assert_eq!(i["paymentStatus"], "PAID");
        assert_eq!(i["open"]["amount"], "0.00");
        assert_eq!(i["can"]["recordPayment"], false);
    }
    let bal = "query($c: ID!) { customerBalance(customerId: $c) { currency open { amount } overdue { amount } credit { amount } balance { amount } } }";
    let d = app.ok(&billing, bal, json!({"c": acme})).await;
    let eur = d["customerBalance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["currency"] == "EUR")
        .unwrap()
        .clone();
    assert_eq!(eur["credit"]["amount"], "48.12");
    // Whatever else the seed left open for Acme, the balance is what is open less the credit.
    assert_eq!(cents(&eur["balance"]), cents(&eur["open"]) - 4812);

    // The rep reads the invoices of their customer; the other team does not.
    let list = "query($o: ID) { invoices(filter: {orderId: $o}) { totalCount edges { node { number } } } }";
    let d = app.ok(&rep, list, json!({"o": order["id"]})).await;
    assert_eq!(d["invoices"]["totalCount"], 3);
    let rep3 = app.login("rep3@demo.crm").await;
    let d = app.ok(&rep3, list, json!({"o": order["id"]})).await;
    assert_eq!(d["invoices"]["totalCount"], 0);
    let node = "query($id: ID!) { node(id: $id) { id } }";
    for id in [&order["id"], &first["id"], &p["id"]] {
        assert!(app.ok(&rep3, node, json!({"id": id})).await["node"].is_null());
        assert_eq!(
            app.ok(&rep, node, json!({"id": id})).await["node"]["id"],
            *id
        );
    }
    // Marketing has no grant on orders or invoices at all.
    let marketing = app.login("marketing@demo.crm").await;
    for q in [
        "{ orders { totalCount } }",
        "{ invoices { totalCount } }",
        "{ ageing { currency } }",
    ] {
        let v = app.gql(Some(&marketing), q, json!({})).await;
        assert_eq!(codes(&v), ["FORBIDDEN"], "{q}: {v}");
    }
    // Read-only reads everything and changes nothing.
    let ro = app.login("readonly@demo.crm").await;
    let d = app.ok(&ro, list, json!({"o": order["id"]})).await;
    assert_eq!(d["invoices"]["totalCount"], 3);
    let v = op(
        &app,
        &ro,
        "recordPayment",
        "RecordPaymentInput",
        "payment",
        "id",
        json!({
        "customerId": acme, "amount": "1", "currency": "EUR"}),
    )
    .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
}

#[tokio::test]
async fn a_dealers_order_has_its_own_flow_and_only_its_dealers_users_see_it() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let gear = product(&app, &admin, "D-GEAR", "10").await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let globex = account_id(&app, &admin, "Globex").await;
    let partner = app.login("partner@demo.crm").await;
    let input = json!({"kind": "DEALER", "customerId": globex, "dealerId": acme,
        "dealerReference": "PO-4711", "lines": [{"productId": gear, "quantity": "5"}]});
    let o = op_ok(
        &app,
        &admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        ORDER,
        input.clone(),
    )
    .await;
    assert_eq!(o["status"], "RECEIVED");
    assert_eq!(o["kind"], "DEALER");
    assert_eq!(o["dealerReference"], "PO-4711");
    assert_eq!(o["total"]["amount"], "60.00");
    assert_eq!(o["can"]["confirm"], true);
    assert_eq!(o["can"]["invoice"], false);
    // Not invoiced before it is confirmed.
    let admin_inv = op(
        &app,
        &admin,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        "id",
        json!({"orderId": o["id"]}),
    )
    .await;
    assert_eq!(codes(&admin_inv), ["BAD_USER_INPUT"]);
    let o = op_ok(
        &app,
        &admin,
        "confirmOrder",
        "OrderVersionInput",
        "order",
        ORDER,
        json!({"id": o["id"], "version": o["version"]}),
    )
    .await;
    assert_eq!(o["status"], "CONFIRMED");
    let o2 = op_ok(
        &app,
        &admin,
        "shipOrder",
        "OrderVersionInput",
        "order",
        ORDER,
        json!({"id": o["id"], "version": o["version"]}),
    )
    .await;
    assert_eq!(o2["status"], "SHIPPED");
    // A stale version is a conflict.
    let v = op(
        &app,
        &admin,
        "recordDelivery",
        "RecordDeliveryInput",
        "order",
        "id",
        json!({"id": o["id"], "version": o["version"]}),
    )
    .await;
    assert_eq!(codes(&v), ["CONFLICT"]);
    // Shipped is past cancelling.
    let v = op(
        &app,
        &admin,
        "cancelOrder",
        "OrderVersionInput",
        "order",
        "id",
        json!({"id": o2["id"], "version": o2["version"]}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    // A dealer's order needs its dealer and reference; every error names its field, nothing is written.
    let before = app.count_rows("orders").await;
    let v = op(
        &app,
        &admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        "id",
        json!({
        "kind": "DEALER", "customerId": globex, "currency": "EU",
        "lines": [{"productId": gear, "quantity": "x"}]}),
    )
    .await;
    let fields = v["errors"][0]["extensions"]["fields"].to_string();
    for f in ["dealerId", "dealerReference", "\"currency\""] {
        assert!(fields.contains(f), "{f} missing in {fields}");
    }
    assert_eq!(app.count_rows("orders").await, before);
    // The partner (a user of Stark Industrial) sees its own dealer's order only, not Acme's.
    let d = app
        .ok(
            &partner,
            "{ orders { totalCount nodes { dealerReference } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["orders"]["totalCount"], 1);
    assert_eq!(d["orders"]["nodes"][0]["dealerReference"], "STK-2026-118");
}

#[tokio::test]
async fn invoices_issued_concurrently_get_unique_numbers_without_gaps() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let gear = product(&app, &admin, "C-GEAR", "3.33").await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    const N: usize = 64;
    let o = op_ok(
        &app,
        &admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        ORDER,
        json!({
        "customerId": acme, "lines": [{"productId": gear, "quantity": N.to_string()}]}),
    )
    .await;
    let line = o["lines"][0]["id"].clone();
    let mut drafts = Vec::new();
    for _ in 0..N {
        drafts.push(
            op_ok(
                &app,
                &admin,
                "createInvoice",
                "CreateInvoiceInput",
                "invoice",
                "id version",
                json!({
            "orderId": o["id"], "lines": [{"lineId": line, "quantity": "1"}]}),
            )
            .await,
        );
    }
    // Nothing left: the line is invoiced in full by the drafts.
    let v = op(
        &app,
        &admin,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        "id",
        json!({"orderId": o["id"]}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    // 8 clients issue them at once; every other client also tries a stale version (refused, and
    // it must not use up a number).
    let mut tasks = Vec::new();
    for chunk in drafts.chunks(N / 8) {
        let chunk: Vec<Value> = chunk.to_vec();
        let (url, token, client) = (app.url.clone(), admin.clone(), app.client.clone());
        tasks.push(tokio::spawn(async move {
            let mut numbers = Vec::new();
            let q = "mutation($i: InvoiceVersionInput!) { issueInvoice(input: $i) { invoice { number } } }";
            for (k, d) in chunk.iter().enumerate() {
                let version = if k == 0 { d["version"].as_i64().unwrap() + 5 } else { d["version"].as_i64().unwrap() };
                let body = json!({"query": q, "variables": {"i": {"id": d["id"], "version": version}}});
                let v: Value = client.post(format!("{url}/graphql")).bearer_auth(&token).json(&body)
                    .send().await.unwrap().json().await.unwrap();
                if k == 0 {
                    assert!(v.get("errors").is_some(), "stale version issued: {v}");
                    let body = json!({"query": q, "variables": {"i": {"id": d["id"], "version": d["version"]}}});
                    let v: Value = client.post(format!("{url}/graphql")).bearer_auth(&token).json(&body)
                        .send().await.unwrap().json().await.unwrap();
                    numbers.push(v["data"]["issueInvoice"]["invoice"]["number"].as_str().unwrap().to_string());
                } else {
                    assert!(v.get("errors").is_none(), "{v}");
                    numbers.push(v["data"]["issueInvoice"]["invoice"]["number"].as_str().unwrap().to_string());
                }
            }
            numbers
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.extend(t.await.unwrap());
    }
    assert_eq!(numbers.len(), N);
    // Every issued INV number of the year, seed's included: 1..=count, each once.
    let d = app.ok(&admin, "{ invoices(first: 100, filter: {kind: INVOICE, statuses: [ISSUED]}) { totalCount edges { node { number } } } }", json!({})).await;
    let total = d["invoices"]["totalCount"].as_u64().unwrap() as usize;
    assert!((N..=100).contains(&total), "{total}");
    let mut seqs: Vec<u32> = d["invoices"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["number"].as_str().unwrap()[9..].parse().unwrap())
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=total as u32).collect::<Vec<_>>());
    let mut mine = numbers.clone();
    mine.sort();
    mine.dedup();
    assert_eq!(mine.len(), N, "duplicate numbers: {numbers:?}");
}

#[tokio::test]
async fn an_overdue_invoice_gets_reminders_as_durable_jobs_until_paid() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let gear = product(&app, &admin, "R-GEAR", "100").await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let o = op_ok(
        &app,
        &rep,
        "createOrder",
        "CreateOrderInput",
        "order",
        ORDER,
        json!({
        "customerId": acme, "lines": [{"productId": gear, "quantity": "1"}]}),
    )
    .await;
    let billing = app.login("billing@demo.crm").await;
    let draft = op_ok(
        &app,
        &billing,
        "createInvoice",
        "CreateInvoiceInput",
        "invoice",
        INVOICE,
        json!({"orderId": o["id"], "paymentDays": 0}),
    )
    .await;
    let jobs_before = server::jobs::pending(&app.state.db).await.unwrap().len();
    let inv = op_ok(
        &app,
        &billing,
        "issueInvoice",
        "InvoiceVersionInput",
        "invoice",
        INVOICE,
        json!({"id": draft["id"], "version": draft["version"]}),
    )
    .await;
    // Issuing wrote its first reminder in the same transaction.
    let pending = server::jobs::pending(&app.state.db).await.unwrap();
    assert_eq!(pending.len(), jobs_before + 1);
    let number = inv["number"].as_str().unwrap().to_string();
    let tasks = "{ myTasks { subject } }";
    let count_reminders = |d: &Value| {
        d["myTasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["subject"].as_str().unwrap_or("").contains(&number))
            .count()
    };
    assert_eq!(count_reminders(&app.ok(&rep, tasks, json!({})).await), 0);

    // Not yet due today: the worker finds nothing of it.
    let now = chrono::Utc::now();
    server::jobs::run_due(&app.state, now).await.unwrap();
    assert_eq!(count_reminders(&app.ok(&rep, tasks, json!({})).await), 0);

    // Three days on: level 1, a task for the owner, the next level enqueued.
    let later = now + chrono::Duration::days(3);
    let pass = server::jobs::run_due(&app.state, later).await.unwrap();
    assert!(pass.done >= 1, "{pass:?}");
    assert_eq!(pass.failed, 0);
    assert_eq!(count_reminders(&app.ok(&rep, tasks, json!({})).await), 1);
    let i = invoice(&app, &billing, inv["id"].as_str().unwrap()).await;
    assert_eq!(i["dunningLevel"], 1);
    // Run again the same day: nothing more.
    server::jobs::run_due(&app.state, later).await.unwrap();
    assert_eq!(count_reminders(&app.ok(&rep, tasks, json!({})).await), 1);
    // Two weeks on: level 2.
    server::jobs::run_due(&app.state, later + chrono::Duration::days(15))
        .await
        .unwrap();
    assert_eq!(count_reminders(&app.ok(&rep, tasks, json!({})).await), 2);
    assert_eq!(
        invoice(&app, &billing, inv["id"].as_str().unwrap()).await["dunningLevel"],
        2
    );

    // Paid: the chain ends.
    op_ok(
        &app,
        &billing,
        "recordPayment",
        "RecordPaymentInput",
        "payment",
        "id",
        json!({
        "customerId": acme, "amount": "120", "currency": "EUR",
        "allocations": [{"invoiceId": inv["id"], "amount": "120"}]}),
    )
    .await;
    server::jobs::run_due(&app.state, later + chrono::Duration::days(40))
        .await
        .unwrap();
    assert_eq!(count_reminders(&app.ok(&rep, tasks, json!({})).await), 2);
    assert_eq!(
        invoice(&app, &billing, inv["id"].as_str().unwrap()).await["dunningLevel"],
        2
    );
}

#[tokio::test]
async fn the_ageing_puts_open_amounts_in_buckets_under_the_callers_scope() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let billing = app.login("billing@demo.crm").await;
    let gear = product(&app, &admin, "A-GEAR", "10").await;
    let initech = account_id(&app, &admin, "Initech").await;
    let o = op_ok(
        &app,
        &admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        ORDER,
        json!({
        "customerId": initech, "currency": "USD",
        "lines": [{"productId": gear, "quantity": "5", "unitPrice": "10"}]}),
    )
    .await;
    let line = o["lines"][0]["id"].clone();
    let mut numbers = Vec::new();
    for _ in 0..5 {
        let d = op_ok(
            &app,
            &billing,
            "createInvoice",
            "CreateInvoiceInput",
            "invoice",
            "id version",
            json!({
            "orderId": o["id"], "lines": [{"lineId": line, "quantity": "1"}]}),
        )
        .await;
        let i = op_ok(
            &app,
            &billing,
            "issueInvoice",
            "InvoiceVersionInput",
            "invoice",
            "number",
            json!({"id": d["id"], "version": d["version"]}),
        )
        .await;
        numbers.push(i["number"].as_str().unwrap().to_string());
    }
    // Move the due dates back: 0 (current), 10, 45, 75 and 120 days past due.
    let today = chrono::Utc::now().date_naive();
    for (n, days) in numbers.iter().zip([-5_i64, 10, 45, 75, 120]) {
        let due = today - chrono::Duration::days(days);
        use sea_orm::ConnectionTrait;
        let sql = format!("UPDATE invoices SET due_date = '{due}' WHERE number = '{n}'");
        app.state.db.execute_unprepared(&sql).await.unwrap();
    }
    let q = "query($c: ID) { ageing(customerId: $c) { currency current { amount } days1To30 { amount } \
        days31To60 { amount } days61To90 { amount } over90 { amount } overdue { amount } total { amount } invoices } }";
    let d = app.ok(&billing, q, json!({"c": initech})).await;
    let usd = d["ageing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["currency"] == "USD")
        .unwrap()
        .clone();
    // Each invoice: 10.00 + 20 % = 12.00.
    assert_eq!(usd["current"]["amount"], "12.00");
    assert_eq!(usd["days1To30"]["amount"], "12.00");
    assert_eq!(usd["days31To60"]["amount"], "12.00");
    assert_eq!(usd["days61To90"]["amount"], "12.00");
    assert_eq!(usd["over90"]["amount"], "12.00");
    assert_eq!(usd["overdue"]["amount"], "48.00");
    assert_eq!(usd["total"]["amount"], "60.00");
    assert_eq!(usd["invoices"], 5);
    let bal = "query($c: ID!) { customerBalance(customerId: $c) { currency open { amount } overdue { amount } } }";
    let d = app.ok(&billing, bal, json!({"c": initech})).await;
    assert!(
        d["customerBalance"].as_array().unwrap().contains(
            &json!({"currency": "USD", "open": {"amount": "60.00"}, "overdue": {"amount": "48.00"}})
        ),
        "{d}"
    );
    // The overdue filter agrees.
    let d = app.ok(&billing, "query($c: ID) { invoices(filter: {customerId: $c, overdueOnly: true}) { edges { node { currency paymentStatus daysOverdue } } } }", json!({"c": initech})).await;
    let usd: Vec<&Value> = d["invoices"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["currency"] == "USD")
        .collect();
    assert_eq!(usd.len(), 4);
    assert!(usd.iter().all(|e| e["node"]["paymentStatus"] == "OVERDUE"));
    // The other team's rep sees none of the admin's order's invoices in the ledger.
    let rep3 = app.login("rep3@demo.crm").await;
    let d = app.ok(&rep3, q, json!({"c": initech})).await;
    assert!(
        d["ageing"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["currency"] != "USD"),
        "{d}"
    );
}

#[tokio::test]
async fn an_order_is_in_the_customers_preferred_currency_unless_another_is_given() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let wayne = app
        .ok(
            &admin,
            "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { party { id } } }",
            json!({"i": {"name": "Wayne Supplies", "preferredCurrency": "GBP"}}),
        )
        .await["createOrganization"]["party"]["id"]
        .clone();
    let line = json!([{"name": "Consulting day", "quantity": "2", "unitPrice": "750"}]);
    let o = op_ok(
        &app,
        &admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        ORDER,
        json!({"customerId": wayne, "lines": line}),
    )
    .await;
    assert_eq!(o["currency"], "GBP");
    assert_eq!(o["net"]["amount"], "1500.00");
    let o = op_ok(
        &app,
        &admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        ORDER,
        json!({"customerId": wayne, "currency": "USD", "lines": line}),
    )
    .await;
    assert_eq!(o["currency"], "USD");
}
