//! Quotes in headless Chromium: a rep quotes a deal from its page, prices a line from the
//! customer's price list with live totals, sends, downloads the PDF and records the acceptance,
//! winning the deal; a read-only user reads quotes on a phone without being offered any action. A
//! manager adds a product with two prices and its cost, and a price list with one item; a rep reads
//! the product without edit controls or cost.
//! Run with `cargo test -p tests -- --ignored browser_documents` after building the SPA into
//! `dist/` (the README's test command does both).

use serde_json::json;
use tests::webdriver::Browser;
use tests::TestApp;

pub(crate) async fn signed_in(app: &TestApp, email: &str, width: u32) -> Browser {
    let browser = Browser::start().await.unwrap();
    browser.set_window_size(width, 900).await.unwrap();
    browser.goto(&format!("{}/login", app.url)).await.unwrap();
    browser.type_into("#email", email).await.unwrap();
    browser
        .type_into("#password", tests::PASSWORD)
        .await
        .unwrap();
    browser.click("#login-submit").await.unwrap();
    browser.wait_for("#current-user", 20).await.unwrap();
    browser
}

/// Chooses the option whose text starts with `label` in the select `css` (a change event).
pub(crate) async fn choose(browser: &Browser, css: &str, label: &str) {
    browser.wait_for(css, 10).await.unwrap();
    let chosen = browser
        .execute(
            "const s = document.querySelector(arguments[0]); \
             const o = [...s.options].find(o => o.textContent.trim().startsWith(arguments[1])); \
             if (!o) return null; \
             s.value = o.value; s.dispatchEvent(new Event('change', { bubbles: true })); \
             return o.value;",
            json!([css, label]),
        )
        .await
        .unwrap();
    assert!(chosen.is_string(), "{css} has no option {label:?}");
}

/// Sets an input's text, as typing would (an input event).
pub(crate) async fn fill(browser: &Browser, css: &str, text: &str) {
    browser.wait_for(css, 10).await.unwrap();
    browser
        .execute(
            "const i = document.querySelector(arguments[0]); i.value = arguments[1]; \
             i.dispatchEvent(new Event('input', { bubbles: true }));",
            json!([css, text]),
        )
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_documents_a_rep_quotes_a_deal_sends_it_and_wins_it_on_acceptance() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let acme = crate::opportunities::account_id(&app, &rep, "Acme Corporation").await;
    let deal = crate::opportunities::create(
        &app,
        &rep,
        json!({"name": "Browser quote deal", "accountId": acme, "amount": {"amount": "500", "currency": "EUR"}}),
    )
    .await;
    let deal_id = deal["id"].as_str().unwrap().to_string();

    let browser = signed_in(&app, "rep@demo.crm", 1440).await;
    browser.wait_for("a[href=\"/quotes\"]", 10).await.unwrap();
    browser
        .goto(&format!("{}/opportunities/{deal_id}", app.url))
        .await
        .unwrap();
    browser.wait_for("#new-quote", 20).await.unwrap();
    browser.click("#new-quote").await.unwrap();
    browser.wait_for("#create-quote", 20).await.unwrap();
    browser.click("#create-quote").await.unwrap();
    browser.wait_for("#line-editor", 20).await.unwrap();
    assert_eq!(browser.text("#quote-status").await.unwrap(), "Draft");

    // A product line: the price comes from Acme's contract list (17.50), the totals live.
    browser.click("#add-line").await.unwrap();
    browser.wait_for(".edit-line", 10).await.unwrap();
    choose(&browser, ".edit-line .line-product", "WID-100").await;
    browser
        .wait_for_text("#live-net", "17.50", 20)
        .await
        .unwrap();
    fill(&browser, ".edit-line .line-quantity", "4").await;
    browser
        .wait_for_text("#live-total", "84.00 EUR", 10)
        .await
        .unwrap();
    // A free line typed the way the app shows amounts.
    browser.click("#add-line").await.unwrap();
    fill(&browser, ".edit-line:nth-child(2) .line-name", "Set-up").await;
    fill(&browser, ".edit-line:nth-child(2) .line-price", "1,000.00").await;
    choose(&browser, ".edit-line:nth-child(2) .line-tax", "Zero").await;
    browser
        .wait_for_text("#live-total", "1,084.00 EUR", 10)
        .await
        .unwrap();
    browser.click("#save-quote").await.unwrap();
    browser
        .wait_for_text("#quote-notice", "Saved", 20)
        .await
        .unwrap();

    // Sent: the editor gives way to the frozen lines and the stored totals.
    browser.click("#send-quote").await.unwrap();
    browser
        .wait_for_text("#quote-status", "Sent", 20)
        .await
        .unwrap();
    assert_eq!(browser.count("#line-editor").await.unwrap(), 0);
    assert_eq!(browser.text("#quote-total").await.unwrap(), "1,084.00 EUR");
    assert_eq!(browser.count(".quote-line").await.unwrap(), 2);
    browser.click("#quote-pdf").await.unwrap();
    browser
        .wait_for_text("#quote-notice", "PDF downloaded", 20)
        .await
        .unwrap();

    // The customer accepted: the deal is won with the quote's net amount.
    browser.click("#accept-quote").await.unwrap();
    browser.wait_for("#win-opportunity", 10).await.unwrap();
    browser.click("#confirm-accept").await.unwrap();
    browser
        .wait_for_text("#quote-status", "Accepted", 20)
        .await
        .unwrap();
    assert_eq!(browser.count(".alert-error").await.unwrap(), 0);
    browser.snap("quote-accepted-1440").await;
    browser.quit().await.unwrap();

    let d = app
        .ok(
            &rep,
            "query($id: ID!) { opportunity(id: $id) { status amount { amount currency } } }",
            json!({"id": deal_id}),
        )
        .await;
    assert_eq!(d["opportunity"]["status"], "WON");
    assert_eq!(
        d["opportunity"]["amount"],
        json!({"amount": "1070.00", "currency": "EUR"})
    );
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_documents_read_only_reads_quotes_on_a_phone_without_actions() {
    let app = TestApp::new().await;
    let browser = signed_in(&app, "readonly@demo.crm", 390).await;
    browser.goto(&format!("{}/quotes", app.url)).await.unwrap();
    browser.wait_for(".quote-row", 20).await.unwrap();
    assert_eq!(browser.count("#new-quote").await.unwrap(), 0);
    // The seeded quotes in every status, totals included.
    let table = browser.text("#quotes-table").await.unwrap();
    for status in ["Draft", "Sent", "Accepted", "Rejected", "Expired"] {
        assert!(table.contains(status), "{status} missing: {table}");
    }
    browser.click(".quote-row a").await.unwrap();
    browser.wait_for("#quote-number", 20).await.unwrap();
    browser
        .wait_for("#quote-revisions .revision", 10)
        .await
        .unwrap();
    for action in [
        "#send-quote",
        "#accept-quote",
        "#reject-quote",
        "#revise-quote",
        "#line-editor",
    ] {
        assert_eq!(browser.count(action).await.unwrap(), 0, "{action} offered");
    }
    assert_eq!(browser.count("#quote-pdf").await.unwrap(), 1);
    browser.snap("quote-read-only-390").await;
    browser.quit().await.unwrap();

    // Marketing has no quotes: no link, and the page refuses without showing any.
    let browser = signed_in(&app, "marketing@demo.crm", 1440).await;
    assert_eq!(browser.count("a[href=\"/quotes\"]").await.unwrap(), 0);
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_documents_a_manager_adds_a_product_and_a_price_list_a_rep_only_reads_it() {
    let app = TestApp::new().await;
    let manager = signed_in(&app, "manager@demo.crm", 1440).await;
    manager
        .goto(&format!("{}/products", app.url))
        .await
        .unwrap();
    manager.wait_for("#new-product", 20).await.unwrap();
    manager.click("#new-product").await.unwrap();
    manager.wait_for("#field-code", 20).await.unwrap();
    fill(&manager, "#field-code", "BRW-1").await;
    fill(&manager, "#field-name", "Browser widget").await;
    fill(&manager, "#field-unit", "box").await;
    choose(&manager, "#field-taxCategory", "Reduced").await;
    fill(&manager, "#price-0-amount", "12.50").await;
    manager.click("#add-price").await.unwrap();
    fill(&manager, "#price-1-amount", "14").await;
    fill(&manager, "#price-1-currency", "usd").await;
    fill(&manager, "#field-costAmount", "7.25").await;
    manager.click("#save").await.unwrap();
    manager
        .wait_for_text("#form-notice", "Saved", 20)
        .await
        .unwrap();
    let url = manager.current_url().await.unwrap();
    let product = url.rsplit('/').next().unwrap().to_string();
    assert_ne!(product, "new");
    let token = app.login("manager@demo.crm").await;
    let d = app
        .ok(
            &token,
            "query($id: ID!) { product(id: $id) { code unit taxCategory prices { amount currency } cost { amount currency } } }",
            json!({"id": product}),
        )
        .await;
    assert_eq!(d["product"]["code"], "BRW-1");
    assert_eq!(d["product"]["unit"], "box");
    assert_eq!(d["product"]["taxCategory"], "REDUCED");
    assert_eq!(
        d["product"]["prices"],
        json!([{"amount": "12.50", "currency": "EUR"}, {"amount": "14.00", "currency": "USD"}])
    );
    assert_eq!(
        d["product"]["cost"],
        json!({"amount": "7.25", "currency": "EUR"})
    );

    // A price list from the product's page, then its one item.
    manager.click("#price-lists-link").await.unwrap();
    manager.wait_for("#new-price-list", 20).await.unwrap();
    manager.click("#new-price-list").await.unwrap();
    manager.wait_for("#field-name", 20).await.unwrap();
    fill(&manager, "#field-name", "Browser list").await;
    manager.click("#save").await.unwrap();
    manager.wait_for("#item-search", 20).await.unwrap();
    manager.type_into("#item-search", "BRW").await.unwrap();
    manager
        .wait_for_text(".product-hit", "BRW-1", 10)
        .await
        .unwrap();
    manager.click(".product-hit").await.unwrap();
    fill(&manager, "#item-0-price", "11").await;
    manager.click("#save").await.unwrap();
    manager
        .wait_for_text("#form-notice", "Saved", 20)
        .await
        .unwrap();
    let list = manager.current_url().await.unwrap();
    let list = list.rsplit('/').next().unwrap().to_string();
    let d = app
        .ok(
            &token,
            "query($id: ID!) { priceList(id: $id) { name currency items { product { code } unitPrice { amount } } } }",
            json!({"id": list}),
        )
        .await;
    assert_eq!(
        d["priceList"],
        json!({"name": "Browser list", "currency": "EUR",
            "items": [{"product": {"code": "BRW-1"}, "unitPrice": {"amount": "11.00"}}]})
    );
    manager
        .goto(&format!("{}/price-lists", app.url))
        .await
        .unwrap();
    manager
        .wait_for_text("#price-lists-table", "Browser list", 20)
        .await
        .unwrap();
    manager.quit().await.unwrap();

    // A rep reads the product without any edit control or its cost.
    let rep = signed_in(&app, "rep@demo.crm", 1440).await;
    rep.goto(&format!("{}/products", app.url)).await.unwrap();
    rep.wait_for_text("#products-table", "BRW-1", 20)
        .await
        .unwrap();
    assert_eq!(rep.count("#new-product").await.unwrap(), 0);
    rep.goto(&format!("{}/products/{product}", app.url))
        .await
        .unwrap();
    rep.wait_for("#field-code", 20).await.unwrap();
    assert!(rep
        .attribute("#field-code", "disabled")
        .await
        .unwrap()
        .is_some());
    for control in ["#save", "#add-price", ".remove-price", "#field-costAmount"] {
        assert_eq!(rep.count(control).await.unwrap(), 0, "{control} offered");
    }
    rep.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_documents_a_rep_records_an_enquiry_finds_it_and_quotes_it() {
    let app = TestApp::new().await;
    let browser = signed_in(&app, "rep@demo.crm", 1440).await;
    browser.goto(&format!("{}/quotes", app.url)).await.unwrap();
    browser.wait_for("#enquiries-link", 20).await.unwrap();
    browser.click("#enquiries-link").await.unwrap();
    browser.wait_for("#new-enquiry", 20).await.unwrap();
    browser.click("#new-enquiry").await.unwrap();

    // The customer is found by name; the other fields as the customer gave them.
    browser.wait_for("#field-customerId", 20).await.unwrap();
    browser
        .type_into("#field-customerId", "Acme")
        .await
        .unwrap();
    browser
        .wait_for_text(
            "#field-customerId-results .search-hit",
            "Acme Corporation",
            10,
        )
        .await
        .unwrap();
    browser
        .click("#field-customerId-results .search-hit")
        .await
        .unwrap();
    browser
        .wait_for_text("#enquiry-customer", "Acme Corporation", 10)
        .await
        .unwrap();
    choose(&browser, "#field-channel", "Tender").await;
    fill(&browser, "#field-address", "1 Desert Road\nPhoenix").await;
    fill(&browser, "#field-deliveryPeriod", "Weeks 10 to 12").await;
    fill(&browser, "#field-paymentTerms", "30 days net").await;
    fill(&browser, "#field-deliveryPoint", "Dock B").await;
    fill(&browser, "#field-remarks", "Samples wanted").await;
    fill(&browser, "#field-quotationLeadDays", "900").await;

    // A product line priced from Acme's price list, the net live.
    browser.click("#add-line").await.unwrap();
    browser.wait_for(".edit-line", 10).await.unwrap();
    choose(&browser, ".edit-line .line-product", "WID-100").await;
    browser
        .wait_for_text(".edit-line .line-net", "17.50", 20)
        .await
        .unwrap();
    fill(&browser, ".edit-line .line-quantity", "4").await;
    fill(&browser, ".edit-line .line-spec", "Blue, anodised").await;
    browser
        .wait_for_text("#live-net", "70.00 EUR", 10)
        .await
        .unwrap();

    // The server's message sits next to its field.
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text(".field-error[data-field=\"quotationLeadDays\"]", "365", 20)
        .await
        .unwrap();
    fill(&browser, "#field-quotationLeadDays", "7").await;
    browser.click("#save").await.unwrap();
    browser.wait_for("#enquiry-number", 20).await.unwrap();
    let number = browser.text("#enquiry-number").await.unwrap();
    assert!(number.starts_with("ENQ-"), "{number}");
    assert_eq!(browser.text("#enquiry-status").await.unwrap(), "Open");
    assert_eq!(browser.text("#enquiry-net").await.unwrap(), "70.00 EUR");
    assert_eq!(browser.count(".enquiry-line").await.unwrap(), 1);
    let lines = browser.text("#enquiry-lines").await.unwrap();
    for part in ["WID-100", "Blue, anodised", "17.50 EUR"] {
        assert!(lines.contains(part), "{part} missing: {lines}");
    }
    let facts = browser.text("#enquiry-facts").await.unwrap();
    for part in [
        "Tender",
        "Phoenix",
        "Weeks 10 to 12",
        "30 days net",
        "7 days",
        "Dock B",
    ] {
        assert!(facts.contains(part), "{part} missing: {facts}");
    }
    let page = browser.current_url().await.unwrap();

    // Found by its number in the list.
    browser
        .goto(&format!("{}/enquiries", app.url))
        .await
        .unwrap();
    browser.wait_for(".enquiry-row", 20).await.unwrap();
    browser.type_into("#enquiry-search", &number).await.unwrap();
    browser
        .wait_for_text("#enquiries-total", "1 enquiry", 10)
        .await
        .unwrap();
    assert_eq!(browser.count(".enquiry-row").await.unwrap(), 1);
    assert!(browser
        .text("#enquiries-table")
        .await
        .unwrap()
        .contains("70.00 EUR"));

    // Listed from the product's page: the enquiries naming WID-100.
    let token = app.login("rep@demo.crm").await;
    let widget = app
        .ok(
            &token,
            "{ products(search: \"WID-100\") { nodes { id } } }",
            json!({}),
        )
        .await["products"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    browser
        .goto(&format!("{}/products/{widget}", app.url))
        .await
        .unwrap();
    browser.wait_for("#product-enquiries", 20).await.unwrap();
    browser.click("#product-enquiries").await.unwrap();
    browser
        .wait_for_text("#enquiries-table", &number, 20)
        .await
        .unwrap();

    // Opened from the customer's profile.
    browser.goto(&page).await.unwrap();
    browser.wait_for("#enquiry-customer", 20).await.unwrap();
    browser.click("#enquiry-customer").await.unwrap();
    browser
        .wait_for_text("#sales-documents .doc-enquiry", &number, 20)
        .await
        .unwrap();
    browser
        .execute(
            "[...document.querySelectorAll('#sales-documents .doc-enquiry a')] \
             .find(a => a.textContent.trim() === arguments[0]).click();",
            json!([number]),
        )
        .await
        .unwrap();
    browser
        .wait_for_text("#enquiry-number", &number, 20)
        .await
        .unwrap();

    // Edited with the same form.
    browser.click("#edit-enquiry").await.unwrap();
    browser.wait_for("#field-remarks", 20).await.unwrap();
    fill(&browser, "#field-remarks", "Samples sent").await;
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#enquiry-remarks", "Samples sent", 20)
        .await
        .unwrap();
    assert_eq!(browser.text("#enquiry-notice").await.unwrap(), "Saved");
    browser.snap("enquiry-1440").await;

    // Quoted: the quote has its line, the enquiry links to it and no longer changes.
    browser.click("#quote-enquiry").await.unwrap();
    browser.wait_for("#line-editor", 20).await.unwrap();
    assert_eq!(browser.count(".edit-line").await.unwrap(), 1);
    browser.goto(&page).await.unwrap();
    browser
        .wait_for_text("#enquiry-status", "Quoted", 20)
        .await
        .unwrap();
    browser.wait_for("#enquiry-quote", 10).await.unwrap();
    for action in ["#edit-enquiry", "#close-enquiry", "#quote-enquiry"] {
        assert_eq!(browser.count(action).await.unwrap(), 0, "{action} offered");
    }
    browser.quit().await.unwrap();

    // A read-only user reads it, without being offered any action.
    let browser = signed_in(&app, "readonly@demo.crm", 390).await;
    browser
        .goto(&format!("{}/enquiries", app.url))
        .await
        .unwrap();
    browser.wait_for(".enquiry-row", 20).await.unwrap();
    assert_eq!(browser.count("#new-enquiry").await.unwrap(), 0);
    browser.goto(&page).await.unwrap();
    browser
        .wait_for_text("#enquiry-number", &number, 20)
        .await
        .unwrap();
    assert_eq!(browser.count(".enquiry-line").await.unwrap(), 1);
    for action in ["#edit-enquiry", "#close-enquiry", "#quote-enquiry"] {
        assert_eq!(browser.count(action).await.unwrap(), 0, "{action} offered");
    }
    browser.snap("enquiry-read-only-390").await;
    browser.quit().await.unwrap();
}
