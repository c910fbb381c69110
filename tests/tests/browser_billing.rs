//! Billing in headless Chromium: a rep orders an accepted quote from its page and delivers it; the
//! billing clerk invoices what was delivered, issues the invoice (numbered), records a part
//! payment and then the rest, and reads the ageing. The rep is never offered invoicing. A rep writes
//! a contract with the form (the server's messages next to the fields), changes the draft and sends
//! it for review; a manager approves it from the review queue. Revenue shows
//! by period and customer, with CSV only for those who may export.
//! Run with `cargo test -p tests -- --ignored browser_billing` after building the SPA into
//! `dist/` (the README's test command does both).

use serde_json::{json, Value};
use tests::TestApp;

use crate::browser_documents::{choose, fill, signed_in};

/// A quote for Acme by the rep (4 × WID-100 at Acme's 17.50, 20 % tax: 84.00), sent and accepted.
async fn accepted_quote(app: &TestApp, rep: &str) -> String {
    let acme = crate::opportunities::account_id(app, rep, "Acme Corporation").await;
    let d = app
        .ok(
            rep,
            "{ products(search: \"WID-100\") { nodes { id } } }",
            json!({}),
        )
        .await;
    let widget = d["products"]["nodes"][0]["id"].clone();
    let q: Value = app
        .ok(
            rep,
            "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { id version } } }",
            json!({"i": {"customerId": acme, "lines": [{"productId": widget, "quantity": "4"}]}}),
        )
        .await["createQuote"]["quote"]
        .clone();
    let q: Value = app
        .ok(
            rep,
            "mutation($i: QuoteVersionInput!) { sendQuote(input: $i) { quote { id version } } }",
            json!({"i": {"id": q["id"], "version": q["version"]}}),
        )
        .await["sendQuote"]["quote"]
        .clone();
    app.ok(
        rep,
        "mutation($i: AcceptQuoteInput!) { acceptQuote(input: $i) { quote { id } } }",
        json!({"i": {"id": q["id"], "version": q["version"]}}),
    )
    .await;
    q["id"].as_str().unwrap().to_string()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_billing_an_accepted_quote_is_ordered_delivered_invoiced_and_paid() {
    let app = TestApp::new().await;
    let rep_token = app.login("rep@demo.crm").await;
    let quote = accepted_quote(&app, &rep_token).await;

    // The rep orders the accepted quote from its page and delivers everything.
    let rep = signed_in(&app, "rep@demo.crm", 1440).await;
    rep.wait_for("a[href=\"/orders\"]", 10).await.unwrap();
    assert_eq!(rep.count("a[href=\"/invoices\"]").await.unwrap(), 1);
    rep.goto(&format!("{}/quotes/{quote}", app.url))
        .await
        .unwrap();
    rep.wait_for("#create-order", 20).await.unwrap();
    rep.click("#create-order").await.unwrap();
    rep.wait_for_text("#order-status", "Confirmed", 20)
        .await
        .unwrap();
    assert_eq!(rep.text("#order-total").await.unwrap(), "84.00 EUR");
    // Invoicing is the billing staff's: the rep is not offered it.
    assert_eq!(rep.count("#invoice-delivered").await.unwrap(), 0);
    // One of the four delivered, typed on its line; then the rest.
    fill(&rep, ".deliver-qty", "1").await;
    rep.click("#deliver-lines").await.unwrap();
    rep.wait_for_text("#order-status", "Shipped", 20)
        .await
        .unwrap();
    assert_eq!(rep.text(".line-delivered").await.unwrap(), "1");
    rep.click("#deliver-all").await.unwrap();
    rep.wait_for_text("#order-status", "Delivered", 20)
        .await
        .unwrap();
    let order_url = rep.current_url().await.unwrap();
    // The quote now links to its order.
    rep.goto(&format!("{}/quotes/{quote}", app.url))
        .await
        .unwrap();
    rep.wait_for("#quote-order-link", 20).await.unwrap();
    rep.quit().await.unwrap();

    // The billing clerk invoices what was delivered, issues it and takes the payments.
    let clerk = signed_in(&app, "billing@demo.crm", 1440).await;
    clerk.goto(&order_url).await.unwrap();
    clerk.wait_for("#invoice-delivered", 20).await.unwrap();
    clerk.click("#invoice-delivered").await.unwrap();
    clerk
        .wait_for_text("#invoice-status", "Draft", 20)
        .await
        .unwrap();
    assert_eq!(clerk.text("#invoice-total").await.unwrap(), "84.00 EUR");
    clerk.click("#issue-invoice").await.unwrap();
    clerk
        .wait_for_text("#invoice-notice", "Issued as INV-", 20)
        .await
        .unwrap();
    clerk
        .wait_for_text("#invoice-status", "Open", 10)
        .await
        .unwrap();
    assert!(clerk
        .text("#invoice-number")
        .await
        .unwrap()
        .starts_with("INV-20"));
    assert_eq!(clerk.count("#issue-invoice").await.unwrap(), 0);
    assert_eq!(clerk.count("#delete-invoice").await.unwrap(), 0);

    clerk.click("#record-payment").await.unwrap();
    clerk.wait_for("#payment-amount", 10).await.unwrap();
    let prefilled = clerk
        .execute(
            "return document.querySelector('#payment-amount').value;",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(prefilled, "84.00");
    fill(&clerk, "#payment-amount", "50").await;
    fill(&clerk, "#payment-reference", "Bank transfer 1").await;
    clerk.click("#confirm-payment").await.unwrap();
    clerk
        .wait_for_text("#invoice-notice", "Payment PAY-", 20)
        .await
        .unwrap();
    clerk
        .wait_for_text("#invoice-status", "Part paid", 10)
        .await
        .unwrap();
    assert_eq!(clerk.text("#invoice-open").await.unwrap(), "34.00 EUR");
    assert_eq!(clerk.count(".allocation").await.unwrap(), 1);
    clerk.click("#record-payment").await.unwrap();
    clerk.click("#confirm-payment").await.unwrap();
    clerk
        .wait_for_text("#invoice-status", "Paid", 20)
        .await
        .unwrap();
    assert_eq!(clerk.text("#invoice-open").await.unwrap(), "0.00 EUR");
    assert_eq!(clerk.count("#record-payment").await.unwrap(), 0);

    // The customer's profile shows the invoice and the balance.
    let profile = clerk
        .execute(
            "return document.querySelector('.invoice-page p.muted a[href^=\"/parties/\"]').getAttribute('href');",
            json!([]),
        )
        .await
        .unwrap();
    clerk
        .goto(&format!("{}{}", app.url, profile.as_str().unwrap()))
        .await
        .unwrap();
    clerk
        .wait_for("#sales-documents .doc-invoice", 20)
        .await
        .unwrap();
    // Paid in full: nothing is owed (Acme has no other open invoice in the demo).
    clerk
        .wait_for_text("#customer-balance", "Nothing owed", 10)
        .await
        .unwrap();

    // The ageing lists what is still owed (the demo's overdue invoice among it).
    clerk.goto(&format!("{}/ageing", app.url)).await.unwrap();
    clerk
        .wait_for("#ageing-table .ageing-row", 20)
        .await
        .unwrap();
    clerk.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_billing_a_contract_is_sent_by_its_author_and_approved_by_a_second_user() {
    let app = TestApp::new().await;
    let today = chrono::Utc::now().date_naive();
    let (start, end) = (
        today.to_string(),
        (today + chrono::Duration::days(365)).to_string(),
    );

    // The rep writes the draft with the form, from the contract list.
    let rep = signed_in(&app, "rep@demo.crm", 1440).await;
    rep.goto(&format!("{}/contracts", app.url)).await.unwrap();
    rep.wait_for("#new-contract", 20).await.unwrap();
    rep.click("#new-contract").await.unwrap();
    rep.wait_for("#field-customerId", 20).await.unwrap();
    // Without a customer the form says so next to the field.
    rep.click("#save").await.unwrap();
    rep.wait_for("[data-field=customerId]", 10).await.unwrap();
    rep.type_into("#field-customerId", "Acme").await.unwrap();
    rep.wait_for_text(".search-hit", "Acme Corporation", 10)
        .await
        .unwrap();
    rep.click(".search-hit").await.unwrap();
    rep.wait_for_text("#contract-customer", "Acme Corporation", 10)
        .await
        .unwrap();
    fill(&rep, "#field-title", "Browser support contract").await;
    fill(&rep, "#field-startDate", &end).await;
    fill(&rep, "#field-endDate", &start).await;
    fill(&rep, "#field-valueAmount", "5,000.00").await;
    choose(&rep, "#field-renewal", "On notice").await;
    fill(&rep, "#field-noticeDays", "30").await;
    // The server's message about the dates goes next to the end date.
    rep.click("#save").await.unwrap();
    rep.wait_for("#field-endDate-error", 20).await.unwrap();
    fill(&rep, "#field-startDate", &start).await;
    fill(&rep, "#field-endDate", &end).await;
    rep.click("#save").await.unwrap();
    rep.wait_for("#contract-number", 20).await.unwrap();
    let url = rep.current_url().await.unwrap();
    let id = url.rsplit('/').next().unwrap().to_string();
    let number = rep.text("#contract-number").await.unwrap();
    assert!(number.starts_with("CT-"), "{number}");
    assert_eq!(rep.text("#contract-status").await.unwrap(), "Draft");

    // The draft is changed with the same form.
    rep.click("#edit-contract").await.unwrap();
    rep.wait_for("#field-title", 20).await.unwrap();
    fill(&rep, "#field-title", "Browser support contract 2027").await;
    rep.click("#save").await.unwrap();
    rep.wait_for("#edit-contract", 20).await.unwrap();
    rep.wait_for_text(".contract-page", "Browser support contract 2027", 20)
        .await
        .unwrap();
    let d = app
        .ok(
            &app.login("rep@demo.crm").await,
            "query($id: ID!) { contract(id: $id) { title value { amount currency } renewal noticeDays customer { ... on Organization { displayName } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        d["contract"],
        json!({"title": "Browser support contract 2027", "value": {"amount": "5000.00", "currency": "EUR"},
            "renewal": "NOTICE", "noticeDays": 30, "customer": {"displayName": "Acme Corporation"}})
    );

    // The author sends it for review and is offered no review.
    rep.wait_for("#submit-contract", 20).await.unwrap();
    rep.click("#submit-contract").await.unwrap();
    rep.wait_for_text("#contract-status", "In review", 20)
        .await
        .unwrap();
    assert_eq!(rep.count("#approve-contract").await.unwrap(), 0);
    assert_eq!(rep.count("#submit-contract").await.unwrap(), 0);
    rep.quit().await.unwrap();

    // The manager finds it in the review queue and approves it with a note.
    let manager = signed_in(&app, "manager@demo.crm", 1440).await;
    manager
        .goto(&format!("{}/contracts", app.url))
        .await
        .unwrap();
    manager.wait_for("#field-to-review", 20).await.unwrap();
    manager.click("#field-to-review").await.unwrap();
    manager
        .wait_for_text("#contracts-table", &number, 20)
        .await
        .unwrap();
    manager
        .goto(&format!("{}/contracts/{id}", app.url))
        .await
        .unwrap();
    manager.wait_for("#approve-contract", 20).await.unwrap();
    assert_eq!(
        manager.text("#contract-submitted-by").await.unwrap(),
        "Rita Rep"
    );
    fill(&manager, "#review-notes", "Checked against the price list").await;
    manager.click("#approve-contract").await.unwrap();
    manager
        .wait_for_text("#contract-status", "Approved", 20)
        .await
        .unwrap();
    assert_eq!(
        manager.text("#contract-reviewer").await.unwrap(),
        "Max Manager"
    );
    assert_eq!(
        manager.text("#contract-review-notes").await.unwrap(),
        "Checked against the price list"
    );
    assert_eq!(manager.count("#approve-contract").await.unwrap(), 0);
    manager.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_billing_revenue_by_period_and_customer_with_csv_for_those_who_may_export() {
    let app = TestApp::new().await;

    // The billing clerk reaches the revenue from the invoices, sees this month's invoicing in the
    // chart and the tables, and may download CSV.
    let clerk = signed_in(&app, "billing@demo.crm", 1440).await;
    clerk.goto(&format!("{}/invoices", app.url)).await.unwrap();
    clerk.wait_for("#revenue-link", 20).await.unwrap();
    clerk.click("#revenue-link").await.unwrap();
    clerk
        .wait_for("#revenue-periods .revenue-period", 20)
        .await
        .unwrap();
    clerk.wait_for("#chart-revenue svg rect", 10).await.unwrap();
    let months = clerk
        .count("#revenue-periods .revenue-period")
        .await
        .unwrap();
    assert!(months >= 12, "{months} period rows");
    // The demo's paid, part-paid and overdue invoices: Globex, Initech and Umbrella.
    let customers = clerk.text("#revenue-customers").await.unwrap();
    for name in ["Globex", "Initech", "Umbrella"] {
        assert!(customers.contains(name), "{customers}");
    }
    assert!(
        clerk
            .count("#revenue-products .revenue-product")
            .await
            .unwrap()
            >= 1
    );
    assert_eq!(clerk.count("#csv-revenue-by-customer").await.unwrap(), 1);
    // By year: fewer rows, the same customers.
    clerk
        .execute(
            "const s = document.querySelector('#revenue-group'); s.value = 'YEAR'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            json!([]),
        )
        .await
        .unwrap();
    let mut rows = months;
    for _ in 0..50 {
        rows = clerk
            .count("#revenue-periods .revenue-period")
            .await
            .unwrap();
        if rows > 0 && rows < months {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(rows > 0 && rows < months, "{rows} rows by year");
    clerk.quit().await.unwrap();

    // A rep reads revenue of their team's invoices but is offered no CSV.
    let rep = signed_in(&app, "rep@demo.crm", 390).await;
    rep.goto(&format!("{}/revenue", app.url)).await.unwrap();
    rep.wait_for("#revenue-by-period", 20).await.unwrap();
    assert_eq!(rep.count("#revenue-by-period .btn").await.unwrap(), 0);
    assert_eq!(rep.count("[id^=\"csv-revenue\"]").await.unwrap(), 0);
    rep.quit().await.unwrap();

    // Marketing is offered no revenue at all.
    let marketing = signed_in(&app, "marketing@demo.crm", 1440).await;
    marketing
        .goto(&format!("{}/reports", app.url))
        .await
        .unwrap();
    marketing.wait_for("#report-filter", 20).await.unwrap();
    assert_eq!(marketing.count("#revenue-report-link").await.unwrap(), 0);
    marketing
        .goto(&format!("{}/revenue", app.url))
        .await
        .unwrap();
    // The shell refuses the address before the page loads anything.
    marketing
        .wait_for_text("#not-allowed", "Not allowed", 20)
        .await
        .unwrap();
    assert_eq!(
        marketing
            .count("#revenue-filter, #revenue-not-allowed")
            .await
            .unwrap(),
        0
    );
    marketing.quit().await.unwrap();
}

/// Two issued GBP invoices for Acme by the clerk: 3 × 10.00 and 5 × 10.00 with 20 % tax
/// (36.00 and 60.00), the first due before the second.
async fn two_open_invoices(app: &TestApp) -> [String; 2] {
    let admin = app.login("admin@demo.crm").await;
    let clerk = app.login("billing@demo.crm").await;
    let acme = crate::opportunities::account_id(app, &admin, "Acme Corporation").await;
    let gear = crate::billing::product(app, &admin, "P-GEAR", "10").await;
    let o = crate::billing::op_ok(
        app,
        &admin,
        "createOrder",
        "CreateOrderInput",
        "order",
        crate::billing::ORDER,
        json!({"customerId": acme, "currency": "GBP",
            "lines": [{"productId": gear, "quantity": "8", "unitPrice": "10"}]}),
    )
    .await;
    let mut numbers = Vec::new();
    for qty in ["3", "5"] {
        let d = crate::billing::op_ok(
            app,
            &clerk,
            "createInvoice",
            "CreateInvoiceInput",
            "invoice",
            "id version",
            json!({"orderId": o["id"], "lines": [{"lineId": o["lines"][0]["id"], "quantity": qty}]}),
        )
        .await;
        let i = crate::billing::op_ok(
            app,
            &clerk,
            "issueInvoice",
            "InvoiceVersionInput",
            "invoice",
            "number",
            json!({"id": d["id"], "version": d["version"]}),
        )
        .await;
        numbers.push(i["number"].as_str().unwrap().to_string());
    }
    let due = chrono::Utc::now().date_naive() - chrono::Duration::days(3);
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE invoices SET due_date = '{due}' WHERE number = '{}'",
            numbers[0]
        ))
        .await
        .unwrap();
    [numbers[0].clone(), numbers[1].clone()]
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_billing_a_payment_is_allocated_across_invoices_and_shows_on_the_statement() {
    let app = TestApp::new().await;
    let [first, second] = two_open_invoices(&app).await;

    // The clerk records 50.00 GBP for Acme from the payment list.
    let clerk = signed_in(&app, "billing@demo.crm", 1440).await;
    clerk.goto(&format!("{}/invoices", app.url)).await.unwrap();
    clerk.wait_for("#payments-link", 20).await.unwrap();
    clerk.click("#payments-link").await.unwrap();
    clerk.wait_for("#record-payment", 20).await.unwrap();
    clerk.click("#record-payment").await.unwrap();
    clerk.wait_for("#field-customerId", 10).await.unwrap();
    clerk.type_into("#field-customerId", "Acme").await.unwrap();
    clerk
        .wait_for_text(".search-hit", "Acme Corporation", 10)
        .await
        .unwrap();
    clerk.click(".search-hit").await.unwrap();
    clerk
        .wait_for_text("#payment-customer", "Acme Corporation", 10)
        .await
        .unwrap();
    fill(&clerk, "#field-amount", "50").await;
    fill(&clerk, "#field-currency", "GBP").await;
    fill(&clerk, "#field-reference", "Transfer 7").await;
    clerk.click("#save-payment").await.unwrap();
    clerk.wait_for("#allocate-form", 20).await.unwrap();
    clerk
        .wait_for_text("#payment-unallocated", "50.00 GBP", 10)
        .await
        .unwrap();
    // Oldest due first: all of the first invoice, 14.00 of the second.
    clerk.wait_for("#alloc-1", 20).await.unwrap();
    let value = |css: &'static str| {
        let clerk = &clerk;
        async move {
            clerk
                .execute(
                    "return document.querySelector(arguments[0]).value;",
                    json!([css]),
                )
                .await
                .unwrap()
        }
    };
    assert_eq!(
        clerk
            .attribute("#open-invoices tbody tr:first-child", "data-number")
            .await
            .unwrap()
            .as_deref(),
        Some(first.as_str())
    );
    assert_eq!(value("#alloc-0").await, "36.00");
    assert_eq!(value("#alloc-1").await, "14.00");
    assert_eq!(clerk.text("#left-to-allocate").await.unwrap(), "0.00 GBP");
    // More than is open is refused by the server, next to the invoice.
    fill(&clerk, "#alloc-0", "40").await;
    assert_eq!(clerk.text("#left-to-allocate").await.unwrap(), "-4.00 GBP");
    clerk.click("#allocate").await.unwrap();
    clerk
        .wait_for_text("#open-invoices .field-error", "more than", 20)
        .await
        .unwrap();
    // All of the first and 10.00 of the second: 4.00 left.
    fill(&clerk, "#alloc-0", "36").await;
    fill(&clerk, "#alloc-1", "10").await;
    assert_eq!(clerk.text("#left-to-allocate").await.unwrap(), "4.00 GBP");
    clerk.click("#allocate").await.unwrap();
    clerk
        .wait_for_text("#payment-unallocated", "4.00 GBP", 20)
        .await
        .unwrap();
    assert_eq!(clerk.text("#payment-allocated").await.unwrap(), "46.00 GBP");
    assert_eq!(clerk.count(".allocation-row").await.unwrap(), 2);
    let allocations = clerk.text("#payment-allocations").await.unwrap();
    assert!(
        allocations.contains(&first) && allocations.contains(&second),
        "{allocations}"
    );
    // The second invoice is still open for the rest, the first no more.
    clerk
        .wait_for_text("#open-invoices", &second, 20)
        .await
        .unwrap();
    assert!(!clerk.text("#open-invoices").await.unwrap().contains(&first));
    let payment_url = clerk.current_url().await.unwrap();
    clerk
        .click("#payment-allocations a[href^=\"/invoices/\"]")
        .await
        .unwrap();
    clerk.wait_for("#invoice-open", 20).await.unwrap();
    let number = clerk.text("#invoice-number").await.unwrap();
    let open = clerk.text("#invoice-open").await.unwrap();
    let expected = if number == first {
        "0.00 GBP"
    } else {
        "50.00 GBP"
    };
    assert_eq!(open, expected, "{number}");

    // The statement from the customer's profile: both invoices and the payment, 46.00 owed.
    clerk.goto(&payment_url).await.unwrap();
    clerk.wait_for("#payment-number", 20).await.unwrap();
    clerk
        .click(".payment-page p.muted a[href^=\"/parties/\"]")
        .await
        .unwrap();
    clerk.wait_for("#statement-link", 20).await.unwrap();
    clerk.click("#statement-link").await.unwrap();
    let gbp = ".statement[data-currency=\"GBP\"]";
    clerk.wait_for(gbp, 20).await.unwrap();
    assert_eq!(
        clerk
            .count(&format!("{gbp} .statement-entry"))
            .await
            .unwrap(),
        3
    );
    let text = clerk.text(gbp).await.unwrap();
    assert!(
        text.contains(&first) && text.contains(&second) && text.contains("PAY-"),
        "{text}"
    );
    assert_eq!(
        clerk
            .text(&format!("{gbp} .statement-closing"))
            .await
            .unwrap(),
        "46.00"
    );
    assert_eq!(
        clerk
            .text(&format!("{gbp} .statement-overdue"))
            .await
            .unwrap(),
        "0.00"
    );
    assert_eq!(clerk.count("#print").await.unwrap(), 1);
    clerk.quit().await.unwrap();

    // A rep may read payments but not record them.
    let rep = signed_in(&app, "rep@demo.crm", 1440).await;
    rep.goto(&format!("{}/payments", app.url)).await.unwrap();
    rep.wait_for(".payment-row", 20).await.unwrap();
    assert_eq!(rep.count("#record-payment").await.unwrap(), 0);
    rep.quit().await.unwrap();
}
