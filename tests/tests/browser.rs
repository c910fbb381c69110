//! The SPA in headless Chromium. Run with `cargo test -p tests -- --ignored browser` after building
//! the SPA into `dist/` (the README's test command does both).

use tests::webdriver::Browser;
use tests::TestApp;

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_login_and_see_accounts() {
    assert!(
        tests::workspace_root().join("dist/index.html").exists(),
        "build the SPA first: trunk build --release --cargo-profile wasm-release"
    );
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();

    browser
        .goto(&format!("{}/accounts", app.url))
        .await
        .unwrap();
    // Not signed in: the app sends us to the login page.
    browser.wait_for("#email", 20).await.unwrap();
    browser.snap("login").await;
    browser.type_into("#email", "rep@demo.crm").await.unwrap();
    browser
        .type_into("#password", tests::PASSWORD)
        .await
        .unwrap();
    browser.click("#login-submit").await.unwrap();

    browser
        .wait_for("#accounts-table .account-row", 20)
        .await
        .unwrap();
    let user = browser
        .wait_for_text("#current-user", "Rita Rep", 10)
        .await
        .unwrap();
    assert!(user.contains("Rita Rep"));
    let total = browser
        .wait_for_text("#accounts-total", "12", 10)
        .await
        .unwrap();
    assert!(total.contains("12"), "{total}");
    assert_eq!(
        browser.count("#accounts-table .account-row").await.unwrap(),
        12
    );
    browser.snap("accounts").await;
    let table = browser.text("#accounts-table").await.unwrap();
    assert!(table.contains("Acme Corporation"), "{table}");
    assert!(
        !table.contains("Initech"),
        "another team's account leaked: {table}"
    );

    // Search narrows the list.
    browser.type_into("#account-search", "acme").await.unwrap();
    browser
        .wait_for_text("#accounts-total", "1 account", 10)
        .await
        .unwrap();
    assert_eq!(
        browser.count("#accounts-table .account-row").await.unwrap(),
        1
    );

    browser.snap("search").await;

    // Open an account: the edit form shows it; the rep may not see the revenue field.
    browser
        .click("#accounts-table .account-row a")
        .await
        .unwrap();
    browser.wait_for("#field-name", 10).await.unwrap();
    browser.snap("form").await;
    assert_eq!(
        browser.count("#field-annualRevenueAmount").await.unwrap(),
        0
    );

    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_create_contact_find_it_and_open_its_profile() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;

    // Create a contact with an e-mail.
    browser
        .goto(&format!("{}/contacts", app.url))
        .await
        .unwrap();
    browser.click("#new-person").await.unwrap();
    browser.type_into("#field-foreName", "Grace").await.unwrap();
    browser.type_into("#field-surname", "Hopper").await.unwrap();
    browser
        .type_into("#field-email", "Grace.Hopper@Navy.example")
        .await
        .unwrap();
    browser.snap("person-form").await;
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#profile-name", "Grace Hopper", 15)
        .await
        .unwrap();
    browser
        .wait_for_text("#contact-mechanisms", "grace.hopper@navy.example", 10)
        .await
        .unwrap();

    // Find it through the global search from another page, and open its profile.
    browser
        .goto(&format!("{}/accounts", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#accounts-table .account-row", 20)
        .await
        .unwrap();
    browser.type_into("#global-search", "hopp").await.unwrap();
    browser
        .wait_for_text(".search-hit", "Grace Hopper", 10)
        .await
        .unwrap();
    browser.snap("search").await;
    browser.click(".search-hit").await.unwrap();
    browser
        .wait_for_text("#profile-name", "Grace Hopper", 15)
        .await
        .unwrap();
    assert!(browser.current_url().await.unwrap().contains("/parties/"));
    let timeline = browser
        .wait_for_text("#timeline", "Created", 10)
        .await
        .unwrap();
    assert!(timeline.contains("grace.hopper@navy.example"), "{timeline}");
    browser.snap("profile").await;
    browser.quit().await.unwrap();
}

async fn sign_in(browser: &Browser, app: &TestApp, email: &str) {
    browser.goto(&format!("{}/login", app.url)).await.unwrap();
    browser.type_into("#email", email).await.unwrap();
    browser
        .type_into("#password", tests::PASSWORD)
        .await
        .unwrap();
    browser.click("#login-submit").await.unwrap();
    browser
        .wait_for("#accounts-table .account-row", 20)
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_deletion_is_requested_then_approved_by_a_manager() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    // Open a contact of the rep's through search and request its deletion.
    browser.type_into("#global-search", "potts").await.unwrap();
    browser
        .wait_for_text(".search-hit", "Pepper Potts", 10)
        .await
        .unwrap();
    browser.click(".search-hit").await.unwrap();
    browser
        .wait_for_text("#profile-name", "Pepper Potts", 15)
        .await
        .unwrap();
    browser.click("#request-deletion").await.unwrap();
    browser
        .type_into("#deletion-reason", "Left Stark Industrial")
        .await
        .unwrap();
    browser.click("#deletion-submit").await.unwrap();
    browser
        .wait_for_text("#party-status", "Left Stark Industrial", 10)
        .await
        .unwrap();
    browser.snap("deletion-requested").await;
    // The rep cannot approve.
    assert_eq!(browser.count("#approve-deletion").await.unwrap(), 0);
    browser.click("#sign-out").await.unwrap();

    // The manager approves from the list of requests; the contact leaves the contacts list.
    browser.wait_for("#email", 15).await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser
        .goto(&format!("{}/deletion-requests", app.url))
        .await
        .unwrap();
    browser
        .wait_for_text("#deletion-requests-table", "Pepper Potts", 15)
        .await
        .unwrap();
    browser.click(".approve-row").await.unwrap();
    browser
        .wait_for_text("#deletion-requests-total", "0", 10)
        .await
        .unwrap();
    browser
        .goto(&format!("{}/contacts", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#contacts-table .party-row", 15)
        .await
        .unwrap();
    let table = browser.text("#contacts-table").await.unwrap();
    assert!(!table.contains("Pepper Potts"), "{table}");
    browser.quit().await.unwrap();
}
