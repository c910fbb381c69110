//! Lists that work like a CRM's, in headless Chromium: what a list shows (search, order, hidden
//! columns) is in its address and comes back by Back, a deep link or a saved view; ticked rows
//! are reassigned together; a role that may not change accounts gets no checkboxes.

use crate::browser::{nav_to, sign_in};
use serde_json::json;
use tests::webdriver::Browser;
use tests::TestApp;

/// The names of the accounts listed.
async fn names(browser: &Browser) -> Vec<String> {
    let v = browser
        .execute(
            "return [...document.querySelectorAll('#accounts-table .account-row td.name a')] \
               .map((a) => a.textContent.trim());",
            json!([]),
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// The table's column headers.
async fn headers(browser: &Browser) -> Vec<String> {
    let v = browser
        .execute(
            "return [...document.querySelectorAll('#accounts-table thead th')] \
               .map((t) => t.textContent.trim()).filter((t) => t);",
            json!([]),
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// Waits until the list shows exactly the accounts whose names contain `needle`.
async fn wait_for_only(browser: &Browser, needle: &str) -> Vec<String> {
    for _ in 0..100 {
        let n = names(browser).await;
        if !n.is_empty() && n.iter().all(|x| x.contains(needle)) {
            return n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the list never showed only {needle:?}: {:?}",
        names(browser).await
    );
}

async fn search_value(browser: &Browser) -> String {
    browser
        .execute(
            "return document.getElementById('account-search').value;",
            json!([]),
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_list_view_lives_in_the_address_and_comes_back_saved() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    nav_to(&browser, "/accounts").await;
    browser
        .wait_for_text("#accounts-total", "24 accounts", 20)
        .await
        .unwrap();

    // Search, order and a hidden column go into the address.
    browser
        .type_into("#account-search", "Corporation")
        .await
        .unwrap();
    browser.wait_for_url("q=Corporation", 10).await.unwrap();
    let corporations = wait_for_only(&browser, "Corporation").await;
    assert!(corporations.len() >= 2, "{corporations:?}");
    browser
        .click("button.sort[data-sort='Code']")
        .await
        .unwrap();
    browser.wait_for_url("sort=CODE", 10).await.unwrap();
    browser.click("#accounts-columns summary").await.unwrap();
    browser
        .click(".column-toggle[data-column='owner']")
        .await
        .unwrap();
    browser.wait_for_url("hide=owner", 10).await.unwrap();
    assert!(!headers(&browser).await.contains(&"Owner".to_owned()));
    let address = browser.current_url().await.unwrap();

    // Saved under a name, shared with the team.
    browser.click("#accounts-save-view").await.unwrap();
    browser
        .type_into("#accounts-view-name", "Corporations")
        .await
        .unwrap();
    browser.click("#accounts-view-shared").await.unwrap();
    browser
        .click(".save-view button[type='submit']")
        .await
        .unwrap();
    browser
        .wait_for_text("#accounts-views-message", "Saved the view", 10)
        .await
        .unwrap();
    browser.snap("saved-view").await;

    // The plain list again (from the navigation): every account, every column.
    nav_to(&browser, "/accounts").await;
    browser
        .wait_for_text("#accounts-total", "24 accounts", 20)
        .await
        .unwrap();
    assert_eq!(search_value(&browser).await, "");
    assert!(headers(&browser).await.contains(&"Owner".to_owned()));

    // Choosing the view brings back its search, order and columns.
    browser
        .choose("#accounts-view", "Corporations")
        .await
        .unwrap();
    browser.wait_for_url("q=Corporation", 10).await.unwrap();
    assert_eq!(wait_for_only(&browser, "Corporation").await, corporations);
    assert_eq!(search_value(&browser).await, "Corporation");
    assert!(!headers(&browser).await.contains(&"Owner".to_owned()));

    // Back returns to the plain list, Forward to the view.
    browser.back().await.unwrap();
    browser
        .wait_for_text("#accounts-total", "24 accounts", 20)
        .await
        .unwrap();
    browser.forward().await.unwrap();
    assert_eq!(wait_for_only(&browser, "Corporation").await, corporations);

    // A deep link to the view's address (a bookmark, a link sent by a colleague) shows it too,
    // and the view picker names it.
    browser.goto(&address).await.unwrap();
    assert_eq!(wait_for_only(&browser, "Corporation").await, corporations);
    assert_eq!(search_value(&browser).await, "Corporation");
    assert!(!headers(&browser).await.contains(&"Owner".to_owned()));
    let mut chosen = String::new();
    for _ in 0..100 {
        chosen = browser
            .execute(
                "const s = document.getElementById('accounts-view'); \
                 return s && s.selectedIndex >= 0 ? s.options[s.selectedIndex].textContent : '';",
                json!([]),
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if chosen == "Corporations" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(chosen, "Corporations", "the picker names the view shown");

    // Opening an account and coming Back keeps the view.
    browser
        .click("#accounts-table .account-row td.name a")
        .await
        .unwrap();
    browser.wait_for("#field-name", 10).await.unwrap();
    browser.back().await.unwrap();
    assert_eq!(wait_for_only(&browser, "Corporation").await, corporations);
    assert_eq!(search_value(&browser).await, "Corporation");

    // Removed, it is no longer offered.
    browser.click("#accounts-remove-view").await.unwrap();
    browser
        .wait_for_text("#accounts-views-message", "Removed the view", 10)
        .await
        .unwrap();
    assert_eq!(
        browser
            .count("#accounts-view option[value]:not([value=''])")
            .await
            .unwrap(),
        1,
        "only the unsaved current view is left"
    );
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_ticked_accounts_are_reassigned_together_and_readers_get_no_checkboxes() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser
        .goto(&format!("{}/accounts?q=Corporation", app.url))
        .await
        .unwrap();
    let corporations = wait_for_only(&browser, "Corporation").await;
    assert_eq!(
        browser.count("#accounts-bulk:not([hidden])").await.unwrap(),
        0
    );

    // Tick every row shown; the bar says how many.
    browser.click("#select-all").await.unwrap();
    browser
        .wait_for_text(
            "#accounts-selected",
            &format!("{} selected", corporations.len()),
            5,
        )
        .await
        .unwrap();
    // Assign without an owner chosen is refused by the bar itself.
    browser.click("#bulk-assign").await.unwrap();
    browser
        .wait_for_text("#accounts-bulk-message", "Choose the owner first", 5)
        .await
        .unwrap();
    browser
        .wait_for("#accounts-bulk-owner option:nth-child(2)", 10)
        .await
        .unwrap();
    browser
        .choose("#accounts-bulk-owner", "Rob Rep")
        .await
        .unwrap();
    browser.snap("bulk-bar").await;
    browser.click("#bulk-assign").await.unwrap();
    browser
        .wait_for_text(
            "#accounts-bulk-message",
            &format!("{} accounts reassigned", corporations.len()),
            10,
        )
        .await
        .unwrap();
    // The list loads again with the new owner, and nothing is ticked any more.
    for _ in 0..100 {
        let owners = browser
            .execute(
                "return [...document.querySelectorAll('#accounts-table td[data-label=\"Owner\"]')] \
                   .map((t) => t.textContent.trim());",
                json!([]),
            )
            .await
            .unwrap();
        let owners: Vec<String> = serde_json::from_value(owners).unwrap();
        if owners.len() == corporations.len() && owners.iter().all(|o| o == "Rob Rep") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let owners = browser.text("#accounts-table").await.unwrap();
    assert_eq!(
        owners.matches("Rob Rep").count(),
        corporations.len(),
        "{owners}"
    );
    assert_eq!(browser.count(".row-select:checked").await.unwrap(), 0);
    assert_eq!(
        browser.count("#accounts-bulk:not([hidden])").await.unwrap(),
        0
    );

    // What the server holds: every one of them is Rob's now.
    let token = app.login("manager@demo.crm").await;
    let d = app
        .ok(
            &token,
            "{ accounts(first: 50, filter: {search: \"Corporation\"}) { edges { node { owner { email } } } } }",
            json!({}),
        )
        .await;
    for e in d["accounts"]["edges"].as_array().unwrap() {
        assert_eq!(e["node"]["owner"]["email"], "rep2@demo.crm", "{d}");
    }
    browser.quit().await.unwrap();

    // The read-only role sees the list, with no checkboxes and no bulk bar.
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "readonly@demo.crm").await;
    nav_to(&browser, "/accounts").await;
    browser
        .wait_for("#accounts-table .account-row", 20)
        .await
        .unwrap();
    assert_eq!(browser.count(".row-select").await.unwrap(), 0);
    assert_eq!(browser.count("#select-all").await.unwrap(), 0);
    assert_eq!(browser.count("#accounts-bulk").await.unwrap(), 0);
    browser.quit().await.unwrap();
}

/// Sets an input's value as typing would (an `input` event).
async fn set_value(browser: &Browser, css: &str, value: &str) {
    browser.wait_for(css, 10).await.unwrap();
    browser
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            json!([css, value]),
        )
        .await
        .unwrap();
}

async fn value_of(browser: &Browser, css: &str) -> String {
    browser
        .execute(
            "return document.querySelector(arguments[0]).value;",
            json!([css]),
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_conflicting_save_merges_both_sides_and_asks_only_about_clashes() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser
        .goto(&format!("{}/accounts?q=Acme", app.url))
        .await
        .unwrap();
    wait_for_only(&browser, "Acme").await;
    browser
        .click("#accounts-table .account-row td.name a")
        .await
        .unwrap();
    browser.wait_for("#field-name", 10).await.unwrap();
    let id = browser
        .current_url()
        .await
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();

    // Someone else saves the account meanwhile: a new industry and area.
    let admin = app.login("admin@demo.crm").await;
    let version = app
        .ok(
            &admin,
            "query($id: ID!) { account(id: $id) { version } }",
            json!({"id": id}),
        )
        .await["account"]["version"]
        .clone();
    app.ok(
        &admin,
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
        json!({"i": {"id": id, "version": version, "industry": "Aerospace", "area": "Pacific"}}),
    )
    .await;

    // Here: another area (a clash) and a new website (only here).
    set_value(&browser, "#field-area", "Atlantic").await;
    set_value(&browser, "#field-website", "https://acme-new.example").await;
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#form-conflict", "Someone else changed this account", 10)
        .await
        .unwrap();
    browser.click("#merge").await.unwrap();
    let clashes = browser
        .wait_for_text("#form-clashes", "Area", 10)
        .await
        .unwrap();
    assert!(
        clashes.contains("Atlantic") && clashes.contains("Pacific"),
        "{clashes}"
    );
    assert!(
        !clashes.contains("Industry") && !clashes.contains("Website"),
        "{clashes}"
    );
    assert_eq!(
        value_of(&browser, "#field-industry").await,
        "Aerospace",
        "theirs came in"
    );
    assert_eq!(
        value_of(&browser, "#field-website").await,
        "https://acme-new.example",
        "mine is kept"
    );
    assert_eq!(
        value_of(&browser, "#field-area").await,
        "Atlantic",
        "mine until chosen"
    );
    browser.snap("merge").await;
    browser
        .click(".clash[data-label='Area'] .take-theirs")
        .await
        .unwrap();
    assert_eq!(value_of(&browser, "#field-area").await, "Pacific");
    assert_eq!(browser.count("#form-clashes").await.unwrap(), 0);
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Saved", 10)
        .await
        .unwrap();

    // Both sides' changes are saved.
    let d = app
        .ok(
            &admin,
            "query($id: ID!) { account(id: $id) { area industry website } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(d["account"]["area"], "Pacific");
    assert_eq!(d["account"]["industry"], "Aerospace");
    assert_eq!(d["account"]["website"], "https://acme-new.example");
    browser.quit().await.unwrap();
}

/// Marketing may export accounts but not change them: ticked rows offer only "Export CSV", and the
/// file saved holds those rows with the columns marketing may read (no annual revenue).
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_ticked_accounts_are_saved_as_csv_with_the_columns_the_role_may_read() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "marketing@demo.crm").await;
    browser
        .goto(&format!("{}/accounts?q=Corporation", app.url))
        .await
        .unwrap();
    let corporations = wait_for_only(&browser, "Corporation").await;
    // The file the app saves is read back from the blob it makes.
    browser
        .execute(
            "window.__saved = []; const make = URL.createObjectURL; \
             URL.createObjectURL = (b) => { window.__saved.push(b); return make.call(URL, b); };",
            json!([]),
        )
        .await
        .unwrap();
    browser.click("#select-all").await.unwrap();
    browser
        .wait_for_text(
            "#accounts-selected",
            &format!("{} selected", corporations.len()),
            5,
        )
        .await
        .unwrap();
    assert_eq!(browser.count("#bulk-assign").await.unwrap(), 0);
    assert_eq!(browser.count("#bulk-archive").await.unwrap(), 0);
    browser.click("#bulk-export").await.unwrap();
    browser
        .wait_for_text(
            "#accounts-bulk-message",
            &format!("{} accounts exported", corporations.len()),
            10,
        )
        .await
        .unwrap();
    let csv = browser
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             window.__saved.length ? window.__saved[0].text().then(done) : done('');",
            json!([]),
        )
        .await
        .unwrap();
    let csv = csv.as_str().unwrap_or_default();
    let mut lines = csv.lines();
    let header = lines.next().unwrap_or_default();
    assert!(header.starts_with("Code,Name,Area"), "{csv}");
    assert!(header.contains("E-mail"), "{header}");
    assert!(!header.contains("Annual revenue"), "{header}");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), corporations.len(), "{csv}");
    for name in &corporations {
        assert!(
            rows.iter().any(|r| r.contains(name.as_str())),
            "{name}: {csv}"
        );
    }
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_admin_makes_a_view_the_default_a_role_opens_the_list_with() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;
    nav_to(&browser, "/accounts").await;
    browser
        .wait_for_text("#accounts-total", "accounts", 20)
        .await
        .unwrap();
    browser
        .type_into("#account-search", "Corporation")
        .await
        .unwrap();
    browser.wait_for_url("q=Corporation", 10).await.unwrap();
    browser
        .choose("#accounts-default-role", "Sales representative")
        .await
        .unwrap();
    browser.click("#accounts-set-default").await.unwrap();
    browser
        .wait_for_text("#accounts-views-message", "now opens with this view", 10)
        .await
        .unwrap();
    browser.snap("role-default-view").await;

    // A sales rep opening the list gets that view; the choice stays theirs to change.
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 20).await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    nav_to(&browser, "/accounts").await;
    browser.wait_for_url("q=Corporation", 15).await.unwrap();
    wait_for_only(&browser, "Corporation").await;
    assert_eq!(search_value(&browser).await, "Corporation");
    assert_eq!(
        browser.count("#accounts-default-role").await.unwrap(),
        0,
        "only administrators set role defaults"
    );
    browser.quit().await.unwrap();
}

/// Each listed account's name and its cell under the column `label`, in the list's order.
async fn column_of(browser: &Browser, label: &str) -> Vec<(String, String)> {
    let v = browser
        .execute(
            "return [...document.querySelectorAll('#accounts-table .account-row')].map((r) => { \
               const c = r.querySelector(`td[data-label='${arguments[0]}']`); \
               return [r.querySelector('td.name a').textContent.trim(), c ? c.textContent.trim() : null]; });",
            json!([label]),
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// Waits until the first listed accounts' `label` cells read `want`.
async fn wait_for_column_start(
    browser: &Browser,
    label: &str,
    want: &[&str],
) -> Vec<(String, String)> {
    for _ in 0..100 {
        let got = column_of(browser, label).await;
        if got.len() >= want.len() && got.iter().zip(want).all(|((_, v), w)| v == w) {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "{label} never began with {want:?}: {:?}",
        column_of(browser, label).await
    );
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_account_custom_fields_are_columns_to_sort_by_for_those_who_may_read_them() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let define = "mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { key } }";
    app.ok(
        &admin,
        define,
        json!({"i": {"object": "ACCOUNT", "label": "Seats", "type": "NUMBER", "showInList": true,
               "access": [{"roleKey": "sales_manager", "read": true, "write": true}]}}),
    )
    .await;
    app.ok(
        &admin,
        define,
        json!({"i": {"object": "ACCOUNT", "label": "Segment", "type": "TEXT", "showInList": true}}),
    )
    .await;
    app.ok(
        &admin,
        define,
        json!({"i": {"object": "ACCOUNT", "label": "Board notes", "type": "TEXT"}}),
    )
    .await;
    let manager = app.login("manager@demo.crm").await;
    let d = app
        .ok(
            &manager,
            "{ accounts(first: 3, orderBy: {field: NAME}) { edges { node { id name } } } }",
            json!({}),
        )
        .await;
    let firsts: Vec<(String, String)> = d["accounts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["id"].as_str().unwrap().to_owned(),
                e["node"]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for ((id, _), (seats, segment)) in
        firsts
            .iter()
            .zip([(5, "Mid-market"), (300, "Enterprise"), (40, "Mid-market")])
    {
        app.ok(
            &admin,
            "mutation($r: ID!, $v: [CustomFieldValueInput!]!) { setCustomFieldValues(recordId: $r, values: $v) { key } }",
            json!({"r": id, "v": [{"key": "seats", "value": seats}, {"key": "segment", "value": segment}]}),
        )
        .await;
    }

    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    nav_to(&browser, "/accounts").await;
    browser
        .wait_for_text("#accounts-total", "24 accounts", 20)
        .await
        .unwrap();
    let shown = headers(&browser).await;
    assert!(shown.iter().any(|h| h.starts_with("Seats")), "{shown:?}");
    assert!(shown.iter().any(|h| h.starts_with("Segment")), "{shown:?}");
    assert!(
        !shown.iter().any(|h| h.starts_with("Board notes")),
        "not shown in lists"
    );

    // Sorted by seats, most first: 300, 40, 5, then the accounts without seats.
    browser
        .click("button.sort[data-sort='Seats']")
        .await
        .unwrap();
    browser.wait_for_url("sort=custom.seats", 10).await.unwrap();
    browser
        .click("button.sort[data-sort='Seats']")
        .await
        .unwrap();
    browser
        .wait_for_url("sort=custom.seats.desc", 10)
        .await
        .unwrap();
    let got = wait_for_column_start(&browser, "Seats", &["300", "40", "5"]).await;
    let name = |i: usize| firsts[i].1.clone();
    assert_eq!(
        got[..3].iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
        [name(1), name(2), name(0)]
    );
    assert_eq!(got.len(), 24);
    browser.snap("accounts-custom-columns").await;

    // The order is in the address: a reload keeps it.
    let address = browser.current_url().await.unwrap();
    browser.goto(&address).await.unwrap();
    wait_for_column_start(&browser, "Seats", &["300", "40", "5"]).await;
    // The account's page shows its custom fields beside the form, for the manager to change.
    browser
        .click("#accounts-table .account-row td.name a")
        .await
        .unwrap();
    browser
        .wait_for("#custom-values-form #custom-seats", 15)
        .await
        .unwrap();
    assert_eq!(value_of(&browser, "#custom-seats").await, "300");
    assert_eq!(value_of(&browser, "#custom-segment").await, "Enterprise");
    let label = browser.text("label[for='custom-seats']").await.unwrap();
    assert!(label.contains("Seats"), "{label}");
    browser.snap("account-custom-values").await;
    browser.back().await.unwrap();
    wait_for_column_start(&browser, "Seats", &["300", "40", "5"]).await;
    // By segment (text), A to Z: Enterprise before Mid-market; accounts without one first.
    browser
        .click("button.sort[data-sort='Segment']")
        .await
        .unwrap();
    browser
        .wait_for_url("sort=custom.segment", 10)
        .await
        .unwrap();
    // Accounts without a segment come first (the same placeholder in each), then A to Z.
    let empty = "\u{2014}";
    let by_segment = wait_for_column_start(&browser, "Segment", &[empty]).await;
    let shown: Vec<&str> = by_segment.iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(
        shown[21..],
        ["Enterprise", "Mid-market", "Mid-market"],
        "{by_segment:?}"
    );
    assert!(shown[..21].iter().all(|v| *v == empty), "{by_segment:?}");
    browser.quit().await.unwrap();

    // A rep may not read the seats: no such column, nothing to sort by; the segment is there.
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    nav_to(&browser, "/accounts").await;
    browser
        .wait_for("#accounts-table .account-row", 20)
        .await
        .unwrap();
    let shown = headers(&browser).await;
    assert!(shown.iter().any(|h| h.starts_with("Segment")), "{shown:?}");
    assert!(!shown.iter().any(|h| h.starts_with("Seats")), "{shown:?}");
    assert_eq!(
        browser
            .count("button.sort[data-sort='Seats']")
            .await
            .unwrap(),
        0
    );
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_contacts_and_leads_show_their_custom_fields_as_sortable_columns() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let define = "mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { key } }";
    let set = "mutation($r: ID!, $v: [CustomFieldValueInput!]!) { setCustomFieldValues(recordId: $r, values: $v) { key } }";
    for (object, label, ty) in [("PARTY", "Birthday", "DATE"), ("LEAD", "Budget", "NUMBER")] {
        app.ok(
            &admin,
            define,
            json!({"i": {"object": object, "label": label, "type": ty, "showInList": true}}),
        )
        .await;
    }
    let rep = app.login("rep@demo.crm").await;
    let d = app
        .ok(
            &rep,
            "{ contacts(first: 1, orderBy: {field: NAME, direction: DESC}) { edges { node { id displayName } } } \
               leads(first: 1, orderBy: NAME_ASC) { edges { node { id displayName } } } }",
            json!({}),
        )
        .await;
    let node = |list: &str, f: &str| d[list]["edges"][0]["node"][f].as_str().unwrap().to_owned();
    app.ok(
        &admin,
        set,
        json!({"r": node("contacts", "id"), "v": [{"key": "birthday", "value": "1990-05-01"}]}),
    )
    .await;
    app.ok(
        &admin,
        set,
        json!({"r": node("leads", "id"), "v": [{"key": "budget", "value": 25000}]}),
    )
    .await;

    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    for (path, table, label, sort, value, name) in [
        (
            "/contacts",
            "contacts",
            "Birthday",
            "custom.birthday",
            "1990-05-01",
            node("contacts", "displayName"),
        ),
        (
            "/leads",
            "leads",
            "Budget",
            "custom.budget",
            "25000",
            node("leads", "displayName"),
        ),
    ] {
        nav_to(&browser, path).await;
        // Sorted by it, most first: the record holding a value leads the list.
        let button = format!("button.sort[data-sort='{label}']");
        browser.wait_for(&button, 20).await.unwrap();
        browser.click(&button).await.unwrap();
        browser
            .wait_for_url(&format!("sort={sort}"), 10)
            .await
            .unwrap();
        browser.click(&button).await.unwrap();
        browser
            .wait_for_url(&format!("sort={sort}.desc"), 10)
            .await
            .unwrap();
        let first = format!("#{table}-table tbody tr:first-child");
        let row = browser.wait_for_text(&first, value, 15).await.unwrap();
        assert!(row.contains(&name), "{row} / {name}");
        let cell = browser
            .text(&format!("{first} td[data-label='{label}']"))
            .await
            .unwrap();
        assert_eq!(cell.trim(), value);
    }
    browser.snap("leads-custom-columns").await;
    // The lead's page shows it beside the form, for its owner to change.
    browser
        .click("#leads-table tbody tr:first-child td a")
        .await
        .unwrap();
    browser
        .wait_for("#custom-values-form #custom-budget", 15)
        .await
        .unwrap();
    assert_eq!(value_of(&browser, "#custom-budget").await, "25000");
    browser.quit().await.unwrap();
}
