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
        .wait_for_text("#contact-mechanisms", "Grace.Hopper@Navy.example", 10)
        .await
        .unwrap();

    // The contacts list, searched by its address, shows the e-mail beside the name.
    browser
        .goto(&format!("{}/contacts?q=Hopper", app.url))
        .await
        .unwrap();
    let row = browser
        .wait_for_text("#contacts-table", "Grace.Hopper@Navy.example", 15)
        .await
        .unwrap();
    assert!(row.contains("Grace Hopper"), "{row}");

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
    assert!(timeline.contains("Grace.Hopper@Navy.example"), "{timeline}");
    browser.snap("profile").await;

    // Removing a contact detail asks first; "Keep" keeps it.
    let details = browser.count(".contact-mechanism").await.unwrap();
    assert!(details >= 1);
    browser.click(".cm-remove").await.unwrap();
    browser.wait_for(".cm-remove-confirm", 5).await.unwrap();
    assert_eq!(browser.count(".contact-mechanism").await.unwrap(), details);
    browser.click(".cm-remove-cancel").await.unwrap();
    assert_eq!(browser.count(".cm-remove-confirm").await.unwrap(), 0);
    assert_eq!(browser.count(".contact-mechanism").await.unwrap(), details);
    browser.click(".cm-remove").await.unwrap();
    browser.click(".cm-remove-confirm").await.unwrap();
    for _ in 0..100 {
        if browser.count(".contact-mechanism").await.unwrap() < details {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        browser.count(".contact-mechanism").await.unwrap(),
        details - 1
    );
    browser.quit().await.unwrap();
}

/// Signs in through the login page and waits for the landing page, home.
pub(crate) async fn sign_in(browser: &Browser, app: &TestApp, email: &str) {
    browser.goto(&format!("{}/login", app.url)).await.unwrap();
    browser.type_into("#email", email).await.unwrap();
    browser
        .type_into("#password", tests::PASSWORD)
        .await
        .unwrap();
    browser.click("#login-submit").await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    assert!(browser.current_url().await.unwrap().ends_with("/home"));
}

/// Opens the page `path` from the main navigation, as a user would: opens the link's menu
/// (and, on a phone, the drawer) first when it is in a closed group.
pub(crate) async fn nav_to(browser: &Browser, path: &str) {
    let link = format!(".main-nav a[href='{path}']");
    browser
        .execute(
            "const a = document.querySelector(arguments[0]); \
             const toggle = document.getElementById('nav-toggle'); \
             if (a && toggle && toggle.offsetParent !== null \
                 && toggle.getAttribute('aria-expanded') !== 'true') toggle.click(); \
             const group = a && a.closest('details'); \
             if (group && !group.open) group.querySelector('summary').click();",
            serde_json::json!([link]),
        )
        .await
        .unwrap();
    browser.click(&link).await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_user_whose_account_was_locked_is_told_on_signing_in() {
    let app = TestApp::new().await;
    crate::auth::mark_locked_earlier(&app, "rep2@demo.crm").await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep2@demo.crm").await;
    let notice = browser.text("#sign-in-notice").await.unwrap();
    assert!(notice.contains("failed from many addresses"), "{notice}");
    // It stays over the pages until dismissed.
    nav_to(&browser, "/pipeline").await;
    browser.wait_for("#board", 20).await.unwrap();
    assert_eq!(browser.count("#sign-in-notice").await.unwrap(), 1);
    browser.click("#sign-in-notice-dismiss").await.unwrap();
    assert_eq!(browser.count("#sign-in-notice").await.unwrap(), 0);
    browser.quit().await.unwrap();
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

/// The board as the page shows it: each column's stage id with the ids of its cards.
async fn board_layout(browser: &Browser) -> Vec<(String, Vec<String>)> {
    let layout = browser
        .execute(
            "return [...document.querySelectorAll('#board .board-column')].map(c => \
             [c.dataset.stageId, [...c.querySelectorAll('.board-card')].map(k => k.dataset.id)]);",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    serde_json::from_value(layout).unwrap()
}

/// A card and the column right of its own, on a board with cards.
fn card_and_next_column(layout: &[(String, Vec<String>)]) -> (String, String) {
    layout
        .windows(2)
        .find_map(|pair| Some((pair[0].1.first()?.clone(), pair[1].0.clone())))
        .expect("the demo board has a card with a column to its right")
}

async fn open_board(browser: &Browser, app: &TestApp) {
    browser
        .goto(&format!("{}/pipeline", app.url))
        .await
        .unwrap();
    browser.wait_for("#board .board-card", 20).await.unwrap();
}

fn card_in(stage: &str, card: &str) -> String {
    format!(".board-column[data-stage-id=\"{stage}\"] .board-card[data-id=\"{card}\"]")
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_drag_a_card_to_the_next_stage_and_it_stays_after_reload() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    open_board(&browser, &app).await;
    browser.snap("pipeline").await;
    let layout = board_layout(&browser).await;
    let (card, stage) = card_and_next_column(&layout);
    let source = layout
        .iter()
        .find(|(_, cards)| cards.contains(&card))
        .unwrap()
        .0
        .clone();
    let source_sum_css = format!(".board-column[data-stage-id=\"{source}\"] .column-sum");
    let source_sum = browser.text(&source_sum_css).await.unwrap();
    let names = (
        column_name(&browser, &source).await,
        column_name(&browser, &stage).await,
    );
    let card_name = browser
        .text(&format!(".board-card[data-id=\"{card}\"] .card-name"))
        .await
        .unwrap();
    let version = browser
        .attribute(&format!(".board-card[data-id=\"{card}\"]"), "data-version")
        .await
        .unwrap()
        .unwrap_or_default();

    browser
        .drag(
            &format!(".board-card[data-id=\"{card}\"]"),
            &format!(".board-column[data-stage-id=\"{stage}\"] .column-head"),
        )
        .await
        .unwrap();
    // Shown there at once, then saved: the card comes back from the server in a new version.
    browser.wait_for(&card_in(&stage, &card), 10).await.unwrap();
    browser
        .wait_for(
            &format!(".board-card[data-id=\"{card}\"]:not([data-version=\"{version}\"])"),
            10,
        )
        .await
        .unwrap();
    assert_eq!(browser.count("#board-message").await.unwrap(), 0);
    // The column totals follow.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while browser.text(&source_sum_css).await.unwrap() == source_sum {
        assert!(
            std::time::Instant::now() < deadline,
            "the sum of {source} stayed {source_sum}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.snap("pipeline-moved").await;

    open_board(&browser, &app).await;
    browser.wait_for(&card_in(&stage, &card), 10).await.unwrap();
    let layout = board_layout(&browser).await;
    let column = layout.iter().find(|(s, _)| *s == stage).unwrap();
    assert!(column.1.contains(&card), "{layout:?}");

    // The card opens the opportunity; its history has the move.
    browser
        .click(&format!(".board-card[data-id=\"{card}\"] .card-name"))
        .await
        .unwrap();
    browser.wait_for("#field-name", 15).await.unwrap();
    let history = browser
        .wait_for_text("#history", &format!("{} → {}", names.0, names.1), 10)
        .await
        .unwrap();
    assert!(history.contains("Max Manager"), "{history}");
    browser.snap("opportunity").await;

    // Its account's profile lists it.
    browser.click("#chosen-account a").await.unwrap();
    browser
        .wait_for_text("#opportunities", &card_name, 15)
        .await
        .unwrap();
    assert_eq!(
        browser
            .count("#opportunities #new-opportunity")
            .await
            .unwrap(),
        1
    );
    browser.snap("profile-opportunities").await;
    browser.quit().await.unwrap();
}

async fn column_name(browser: &Browser, stage: &str) -> String {
    browser
        .text(&format!(
            ".board-column[data-stage-id=\"{stage}\"] .column-name"
        ))
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_card_moves_across_three_stages_by_keyboard_alone() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    open_board(&browser, &app).await;
    let layout = board_layout(&browser).await;
    assert!(
        layout.len() >= 4,
        "the demo pipeline has four stages or more"
    );
    let (start, card) = layout
        .iter()
        .enumerate()
        .take(layout.len() - 3)
        .find_map(|(i, (_, cards))| Some((i, cards.first()?.clone())))
        .expect("a card with three stages to its right");
    // Tab to the card: the focus lands on it, not on a link inside it.
    browser
        .execute(
            "document.querySelector(arguments[0]).focus();",
            serde_json::json!([format!(".board-card[data-id=\"{card}\"]")]),
        )
        .await
        .unwrap();
    for step in 1..=3 {
        let (stage, _) = &layout[start + step];
        let before = browser
            .attribute(&format!(".board-card[data-id=\"{card}\"]"), "data-version")
            .await
            .unwrap()
            .unwrap_or_default();
        // Alt + ArrowRight on whatever has the focus: the card, after each move too.
        browser.chord(&["\u{E00A}", "\u{E014}"]).await.unwrap();
        let here = card_in(stage, &card);
        browser
            .wait_for(&format!("{here}:focus"), 10)
            .await
            .unwrap_or_else(|e| panic!("step {step}: the moved card keeps the focus: {e}"));
        let name = column_name(&browser, stage).await;
        let said = browser
            .wait_for_text("#board-announce", &name, 10)
            .await
            .unwrap();
        assert!(said.starts_with("Moved"), "{said}");
        // Saved (a new version) before the next move: a move waits for the one before.
        browser
            .wait_for(&format!("{here}:not([data-version=\"{before}\"])"), 10)
            .await
            .unwrap();
        assert_eq!(browser.count("#board-message").await.unwrap(), 0);
    }
    // The arrow keys alone go from card to card (the board is one tab stop).
    assert!(
        layout[..start + 3]
            .iter()
            .any(|(_, cards)| cards.iter().any(|c| *c != card)),
        "the demo board has another card left of the moved one"
    );
    browser.chord(&["\u{E012}"]).await.unwrap();
    // The focus moves on the next frame.
    let mut focused = serde_json::Value::Null;
    for _ in 0..50 {
        focused = browser
            .execute(
                "const e = document.activeElement; \
                 return e && e.classList.contains('board-card') ? e.dataset.id : null;",
                serde_json::json!([]),
            )
            .await
            .unwrap();
        if focused.as_str().is_some_and(|f| f != card) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        focused.as_str().is_some_and(|f| f != card),
        "ArrowLeft focuses another card: {focused}"
    );
    assert_eq!(
        browser
            .count(".board-card a.card-name:not([tabindex='-1'])")
            .await
            .unwrap(),
        0,
        "a card's link is not a tab stop of its own"
    );
    // Saved: after a reload it is three stages on.
    let (last, _) = &layout[start + 3];
    open_board(&browser, &app).await;
    browser.wait_for(&card_in(last, &card), 10).await.unwrap();
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_the_read_only_role_is_offered_no_activity_to_log() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "readonly@demo.crm").await;
    // A contact's page: its timeline, and no buttons that would only be refused.
    browser.type_into("#global-search", "potts").await.unwrap();
    browser
        .wait_for_text(".search-hit", "Pepper Potts", 10)
        .await
        .unwrap();
    browser.click(".search-hit").await.unwrap();
    browser
        .wait_for_text("#timeline", "Created", 15)
        .await
        .unwrap();
    assert_eq!(browser.count("#log-activity").await.unwrap(), 0);
    assert_eq!(browser.count("#log-call").await.unwrap(), 0);
    // The board: no "+" on the cards, no moving, no new opportunity.
    open_board(&browser, &app).await;
    assert_eq!(browser.count(".board-card .card-log").await.unwrap(), 0);
    assert_eq!(browser.count(".board-card.movable").await.unwrap(), 0);
    assert_eq!(browser.count("#new-opportunity").await.unwrap(), 0);
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_the_board_hides_amounts_from_marketing() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "marketing@demo.crm").await;
    open_board(&browser, &app).await;
    assert_eq!(browser.text(".column-sum").await.unwrap(), "—");
    assert_eq!(browser.text(".column-weighted").await.unwrap(), "—");
    assert_eq!(browser.text(".board-card .card-amount").await.unwrap(), "—");
    let count: usize = browser
        .text(".column-count")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 0);
    // Read only: no new opportunity, no moving.
    assert_eq!(browser.count("#new-opportunity").await.unwrap(), 0);
    assert_eq!(browser.count(".board-card.movable").await.unwrap(), 0);
    // Marketing may log activities, so its cards offer "+".
    assert!(browser.count(".board-card .card-log").await.unwrap() > 0);
    // No filter on amounts it may not read (it would only be refused).
    browser.wait_for("#field-search", 10).await.unwrap();
    assert_eq!(browser.count("#field-amountMin").await.unwrap(), 0);
    browser.snap("pipeline-marketing").await;

    // A search narrows every column.
    let all = browser.count(".board-card").await.unwrap();
    browser.type_into("#field-search", "acme").await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let names = browser
            .execute(
                "return [...document.querySelectorAll('.board-card .card-account')].map(c => c.textContent);",
                serde_json::json!([]),
            )
            .await
            .unwrap();
        let names: Vec<String> = serde_json::from_value(names).unwrap();
        if !names.is_empty() && names.len() < all && names.iter().all(|n| n.contains("Acme")) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{names:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_move_on_one_board_shows_live_on_another() {
    let app = TestApp::new().await;
    let mover = Browser::start().await.unwrap();
    let watcher = Browser::start().await.unwrap();
    sign_in(&mover, &app, "manager@demo.crm").await;
    sign_in(&watcher, &app, "admin@demo.crm").await;
    open_board(&mover, &app).await;
    open_board(&watcher, &app).await;
    watcher
        .wait_for("#live-status[data-state=\"live\"]", 10)
        .await
        .unwrap();
    // The subscription is registered just after the acknowledgement.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let (card, stage) = card_and_next_column(&board_layout(&mover).await);
    // Alt + ArrowRight on the focused card.
    mover
        .press_keys(
            &format!(".board-card[data-id=\"{card}\"]"),
            &["\u{E00A}", "\u{E014}"],
        )
        .await
        .unwrap();
    mover.wait_for(&card_in(&stage, &card), 10).await.unwrap();

    // The other board follows without a reload.
    watcher.wait_for(&card_in(&stage, &card), 10).await.unwrap();
    watcher.snap("pipeline-live").await;

    // Alt + ArrowDown: one place down within the column, on both boards.
    let moved = card_in(&stage, &card);
    mover.wait_for(&format!("{moved}:focus"), 10).await.unwrap();
    let before = mover
        .attribute(&moved, "data-version")
        .await
        .unwrap()
        .unwrap_or_default();
    mover
        .press_keys(&moved, &["\u{E00A}", "\u{E015}"])
        .await
        .unwrap();
    let second = format!(
        ".board-column[data-stage-id=\"{stage}\"] .board-card:nth-child(2)[data-id=\"{card}\"]"
    );
    let saved = format!("{second}:not([data-version=\"{before}\"])");
    mover.wait_for(&saved, 10).await.unwrap();
    let version = mover
        .attribute(&second, "data-version")
        .await
        .unwrap()
        .unwrap_or_default();
    watcher
        .wait_for(&format!("{second}[data-version=\"{version}\"]"), 10)
        .await
        .unwrap();
    mover.quit().await.unwrap();
    watcher.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_create_an_opportunity_from_the_profile_then_edit_it() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser.type_into("#global-search", "acme").await.unwrap();
    browser
        .wait_for_text(".search-hit", "Acme Corporation", 10)
        .await
        .unwrap();
    browser.click(".search-hit").await.unwrap();
    browser
        .wait_for_text("#opportunities", "Platform licence", 15)
        .await
        .unwrap();
    browser
        .click("#opportunities #new-opportunity")
        .await
        .unwrap();
    browser
        .wait_for_text("#chosen-account", "Acme Corporation", 15)
        .await
        .unwrap();

    // The server's validation message sits next to its field.
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text(".field-error[data-field=\"name\"]", "required", 10)
        .await
        .unwrap();
    browser
        .type_into("#field-name", "Acme Corporation – Support plan")
        .await
        .unwrap();
    // Typed the way the app shows amounts.
    browser
        .type_into("#field-amountAmount", "12,000")
        .await
        .unwrap();
    browser
        .type_into("#field-amountCurrency", "eur")
        .await
        .unwrap();
    browser.snap("opportunity-new").await;
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Saved", 15)
        .await
        .unwrap();
    let url = browser.current_url().await.unwrap();
    let id = url.rsplit('/').next().unwrap().to_string();
    assert!(!id.is_empty() && id != "new", "{url}");
    let amount = browser
        .execute(
            "return document.getElementById('field-amountAmount').value;",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    assert_eq!(amount, "12000.00");

    // Edit: a new stage and a note; the history keeps both.
    browser
        .wait_for("#field-stageId option:nth-child(2)", 10)
        .await
        .unwrap();
    let stages = browser
        .execute(
            "return [...document.querySelectorAll('#field-stageId option')].map(o => [o.value, o.text]);",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    let (stage, label): (String, String) = serde_json::from_value(stages[1].clone()).unwrap();
    browser
        .execute(
            "const s = document.getElementById('field-stageId'); s.value = arguments[0]; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            serde_json::json!([stage]),
        )
        .await
        .unwrap();
    browser
        .type_into("#field-note", "Budget confirmed")
        .await
        .unwrap();
    browser.click("#save").await.unwrap();
    let stage_name = label.split(" (").next().unwrap().to_string();
    let history = browser
        .wait_for_text("#history", &format!("→ {stage_name}"), 15)
        .await
        .unwrap();
    assert!(history.contains("Budget confirmed"), "{history}");
    browser.snap("opportunity-edited").await;

    // Someone else saves meanwhile: the next save here is refused as a conflict.
    let token = app.login("admin@demo.crm").await;
    let current = app
        .ok(
            &token,
            "query($id: ID!) { opportunity(id: $id) { version } }",
            serde_json::json!({ "id": id }),
        )
        .await;
    app.ok(
        &token,
        "mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { id } } }",
        serde_json::json!({ "i": { "id": id, "version": current["opportunity"]["version"], "nextStep": "Call back" } }),
    )
    .await;
    browser.type_into("#field-nextStep", " now").await.unwrap();
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text(
            "#form-conflict",
            "Someone else changed this opportunity",
            10,
        )
        .await
        .unwrap();
    browser.click("#reload").await.unwrap();
    // The form shows the other user's version.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let next_step = loop {
        let value = browser
            .execute(
                "return document.getElementById('field-nextStep').value;",
                serde_json::json!([]),
            )
            .await
            .unwrap();
        if value == "Call back" || std::time::Instant::now() > deadline {
            break value;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(next_step, "Call back");
    browser.quit().await.unwrap();
}

/// Sets a `datetime-local` input as a person would (typing into one varies by browser).
async fn set_input(browser: &Browser, css: &str, value: &str) {
    browser.wait_for(css, 10).await.unwrap();
    browser
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            serde_json::json!([css, value]),
        )
        .await
        .unwrap();
}

/// Signs in as the rep and opens the first contact's profile.
async fn open_a_contact(browser: &Browser, app: &TestApp) {
    sign_in(browser, app, "rep@demo.crm").await;
    browser
        .goto(&format!("{}/contacts", app.url))
        .await
        .unwrap();
    browser.click("#contacts-table .party-row a").await.unwrap();
    if browser.wait_for("#log-activity", 15).await.is_err() {
        browser.snap("no-log-activity").await;
        panic!("no #log-activity at {:?}", browser.current_url().await);
    }
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_log_a_call_on_a_contact_and_see_it_on_top_of_the_timeline() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    open_a_contact(&browser, &app).await;

    // The dialog takes the focus, keeps Tab inside, and Esc closes it, giving the focus back.
    browser.click("#log-call").await.unwrap();
    browser.wait_for("#activity-dialog", 10).await.unwrap();
    let focus_in_dialog = "return !!document.activeElement.closest('#activity-dialog');";
    let mut inside = serde_json::Value::Null;
    for _ in 0..50 {
        inside = browser
            .execute(focus_in_dialog, serde_json::json!([]))
            .await
            .unwrap();
        if inside == serde_json::json!(true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(inside, serde_json::json!(true));
    browser
        .press_keys("#activity-cancel", &["\u{E004}"])
        .await
        .unwrap();
    assert_eq!(
        browser
            .execute(focus_in_dialog, serde_json::json!([]))
            .await
            .unwrap(),
        serde_json::json!(true)
    );
    browser
        .press_keys("#field-subject", &["\u{E00C}"])
        .await
        .unwrap();
    assert_eq!(browser.count("#activity-dialog").await.unwrap(), 0);
    let back = browser
        .execute("return document.activeElement.id;", serde_json::json!([]))
        .await
        .unwrap();
    assert_eq!(back, serde_json::json!("log-call"));

    browser.click("#log-call").await.unwrap();
    browser.wait_for("#activity-dialog", 10).await.unwrap();
    // A call starts now unless changed: the start is filled in (UTC, to the minute).
    let filled = browser
        .execute(
            "return document.querySelector('#field-startsAt').value;",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    let utc_now = chrono::Utc::now().format("%Y-%m-%dT%H:").to_string();
    assert!(
        filled
            .as_str()
            .unwrap_or_default()
            .starts_with(&utc_now[..11]),
        "{filled} vs {utc_now}"
    );
    // Without a start the server names the field.
    set_input(&browser, "#field-startsAt", "").await;
    browser
        .type_into("#field-subject", "Discussed the renewal")
        .await
        .unwrap();
    browser.click("#activity-save").await.unwrap();
    browser
        .wait_for(".field-error[data-field=\"startsAt\"]", 10)
        .await
        .unwrap();
    browser.snap("activity-dialog-error").await;
    let now = browser
        .execute(
            "return new Date(Date.now() + 60000).toISOString().slice(0, 16);",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    set_input(
        &browser,
        "#field-startsAt",
        now.as_str().unwrap_or_default(),
    )
    .await;
    browser
        .type_into("#field-outcome", "Wants a quote")
        .await
        .unwrap();
    browser.click("#activity-save").await.unwrap();

    let top = browser
        .wait_for_text(
            "#timeline .timeline > li:first-child",
            "Discussed the renewal",
            15,
        )
        .await
        .unwrap();
    assert!(top.contains("Call"), "{top}");
    assert!(top.contains("Wants a quote"), "{top}");
    assert_eq!(
        browser
            .attribute("#timeline .timeline > li:first-child", "data-planned")
            .await
            .unwrap(),
        Some("true".into())
    );
    assert_eq!(browser.count("#activity-dialog").await.unwrap(), 0);

    // A call logged as made (the start left as filled in) is done at once: no "Done" to press.
    browser.click("#log-call").await.unwrap();
    browser.wait_for("#activity-dialog", 10).await.unwrap();
    browser
        .type_into("#field-subject", "Called back")
        .await
        .unwrap();
    browser.click("#activity-save").await.unwrap();
    browser
        .wait_for_text("#timeline", "Called back", 15)
        .await
        .unwrap();
    let planned = browser
        .execute(
            "const e = [...document.querySelectorAll('#timeline .activity-entry')] \
               .find((e) => e.textContent.includes('Called back')); \
             return [e.dataset.planned, e.querySelectorAll('.activity-done').length];",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    assert_eq!(planned, serde_json::json!(["false", 0]));
    browser.snap("timeline-with-call").await;

    // Only changes: the call is left out.
    browser.click("#timeline-changes").await.unwrap();
    let mut activities = 1;
    for _ in 0..100 {
        activities = browser.count("#timeline .activity-entry").await.unwrap();
        if activities == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(activities, 0);
    assert!(browser.count("#timeline .timeline-entry").await.unwrap() > 0);
    browser.quit().await.unwrap();
}

/// Shows the calendar week holding `day` (from this week, by "Next ›").
async fn calendar_week_of(browser: &Browser, app: &TestApp, day: chrono::NaiveDate) {
    use chrono::Datelike;
    let monday = |d: chrono::NaiveDate| {
        d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
    };
    browser
        .goto(&format!("{}/calendar", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#calendar .calendar-day", 15)
        .await
        .unwrap();
    let weeks = (monday(day) - monday(chrono::Utc::now().date_naive())).num_days() / 7;
    for _ in 0..weeks {
        browser.click("#week-next").await.unwrap();
    }
    browser
        .wait_for_text("#week-range", &monday(day).to_string(), 10)
        .await
        .unwrap();
}

/// The calendar entry whose text holds `text` on `day`: its classes and whether it offers "Skip".
async fn calendar_entry(
    browser: &Browser,
    day: chrono::NaiveDate,
    text: &str,
) -> serde_json::Value {
    let css = format!("#calendar .calendar-day[data-day=\"{day}\"]");
    browser.wait_for_text(&css, text, 15).await.unwrap();
    browser
        .execute(
            "const e = [...document.querySelectorAll(arguments[0] + ' .calendar-item')] \
               .find((e) => e.textContent.includes(arguments[1])); \
             return [e.className, e.querySelectorAll('.repeats').length, \
                     e.querySelectorAll('.skip-occurrence').length];",
            serde_json::json!([css, text]),
        )
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_weekly_meeting_repeats_in_the_calendar_and_one_week_is_skipped() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    open_a_contact(&browser, &app).await;
    let first = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    let week = chrono::Duration::days(7);

    // A meeting every week, three times in all.
    browser.click("#log-meeting").await.unwrap();
    browser.wait_for("#activity-dialog", 10).await.unwrap();
    browser
        .type_into("#field-subject", "Weekly sync")
        .await
        .unwrap();
    set_input(&browser, "#field-startsAt", &format!("{first}T15:00")).await;
    browser
        .choose("#field-recurrence", "Every week")
        .await
        .unwrap();
    set_input(&browser, "#field-repeatTimes", "3").await;
    browser.snap("repeating-meeting").await;
    browser.click("#activity-save").await.unwrap();
    browser
        .wait_for_text("#timeline", "Weekly sync", 15)
        .await
        .unwrap();

    // The calendar shows it in each of three weeks, marked as repeating.
    calendar_week_of(&browser, &app, first).await;
    let entry = calendar_entry(&browser, first, "Weekly sync").await;
    assert_eq!(entry[1], 1, "marked as repeating: {entry}");
    browser.snap("calendar-repeating").await;

    // The second week's is skipped, on its own.
    calendar_week_of(&browser, &app, first + week).await;
    let entry = calendar_entry(&browser, first + week, "Weekly sync").await;
    assert_eq!(entry[2], 1, "offers Skip: {entry}");
    browser
        .execute(
            "[...document.querySelectorAll('#calendar .calendar-item')] \
               .find((e) => e.textContent.includes('Weekly sync')) \
               .querySelector('.skip-occurrence').click();",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    browser
        .wait_for_text("#calendar-notice", "Skipped", 10)
        .await
        .unwrap();
    let css = format!(
        "#calendar .calendar-day[data-day=\"{}\"] .calendar-item.cancelled",
        first + week
    );
    let cancelled = browser
        .wait_for_text(&css, "Weekly sync", 15)
        .await
        .unwrap();
    assert!(cancelled.contains("cancelled"), "{cancelled}");

    // The third stays planned, and so does the first.
    calendar_week_of(&browser, &app, first + week + week).await;
    let entry = calendar_entry(&browser, first + week + week, "Weekly sync").await;
    assert!(!entry[0].as_str().unwrap().contains("cancelled"), "{entry}");
    assert_eq!(entry[2], 1, "{entry}");
    calendar_week_of(&browser, &app, first).await;
    let entry = calendar_entry(&browser, first, "Weekly sync").await;
    assert!(!entry[0].as_str().unwrap().contains("cancelled"), "{entry}");
    browser.quit().await.unwrap();
}

/// Each open task on "My tasks" whose subject is `subject`: its id and the time shown.
async fn tasks_named(browser: &Browser, subject: &str) -> Vec<(String, String)> {
    let v = browser
        .execute(
            "return [...document.querySelectorAll('#tasks .activity-entry')] \
               .filter((e) => e.querySelector('.activity-subject').textContent.trim() === arguments[0]) \
               .map((e) => [e.dataset.id, e.querySelector('time').textContent.trim()]);",
            serde_json::json!([subject]),
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_weekly_task_is_followed_by_the_next_when_done() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    open_a_contact(&browser, &app).await;
    let due = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    let next = due + chrono::Duration::days(7);

    browser.click("#log-task").await.unwrap();
    browser.wait_for("#activity-dialog", 10).await.unwrap();
    browser
        .type_into("#field-subject", "Weekly pipeline report")
        .await
        .unwrap();
    set_input(&browser, "#field-dueAt", &format!("{due}T09:00")).await;
    browser
        .choose("#field-recurrence", "Every week")
        .await
        .unwrap();
    set_input(&browser, "#field-repeatTimes", "3").await;
    browser.wait_for("#recurrence-zone", 10).await.unwrap();
    let hint = browser.text("#recurrence-zone").await.unwrap();
    assert!(hint.starts_with("Keeps its time of day in "), "{hint}");
    browser.click("#activity-save").await.unwrap();
    browser
        .wait_for_text("#timeline", "Weekly pipeline report", 15)
        .await
        .unwrap();

    // One task on "My tasks", due tomorrow; done, the next is there, due a week later.
    browser.goto(&format!("{}/tasks", app.url)).await.unwrap();
    browser
        .wait_for_text("#tasks", "Weekly pipeline report", 15)
        .await
        .unwrap();
    let first = tasks_named(&browser, "Weekly pipeline report").await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].1, format!("{due} 09:00"));
    browser
        .execute(
            "[...document.querySelectorAll('#tasks .activity-entry')] \
               .find((e) => e.textContent.includes('Weekly pipeline report')) \
               .querySelector('.activity-done').click();",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    browser.click("#tasks .complete-save").await.unwrap();
    let mut now = Vec::new();
    for _ in 0..100 {
        now = tasks_named(&browser, "Weekly pipeline report").await;
        if now.len() == 1 && now[0].0 != first[0].0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now[0].0, first[0].0, "a new task follows");
    assert_eq!(now[0].1, format!("{next} 09:00"));
    browser.snap("repeating-task").await;
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_activity_s_custom_fields_open_under_more_fields() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    app.ok(
        &admin,
        "mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { key } }",
        serde_json::json!({"i": {"object": "ACTIVITY", "label": "Attendees expected", "type": "NUMBER"}}),
    )
    .await;
    let rep = app.login("rep@demo.crm").await;
    let due = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let task = app
        .ok(
            &rep,
            "mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id } } }",
            serde_json::json!({"i": {"kind": "TASK", "subject": "Book the room", "dueAt": due}}),
        )
        .await["createActivity"]["activity"]["id"]
        .clone();
    app.ok(
        &rep,
        "mutation($r: ID!, $v: [CustomFieldValueInput!]!) { setCustomFieldValues(recordId: $r, values: $v) { key } }",
        serde_json::json!({"r": task, "v": [{"key": "attendeesExpected", "value": 12}]}),
    )
    .await;

    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    browser.goto(&format!("{}/tasks", app.url)).await.unwrap();
    let entry = format!(
        "#tasks .activity-entry[data-id='{}']",
        task.as_str().unwrap()
    );
    browser.wait_for(&entry, 15).await.unwrap();
    browser
        .click(&format!("{entry} .activity-more summary"))
        .await
        .unwrap();
    let input = format!("{entry} #custom-attendeesExpected");
    assert_eq!(value_of(&browser, &input).await, "12");
    let label = browser
        .text(&format!("{entry} label[for='custom-attendeesExpected']"))
        .await
        .unwrap();
    assert!(label.contains("Attendees expected"), "{label}");
    browser.snap("activity-custom-fields").await;
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_overdue_task_shows_on_my_tasks_and_in_the_badge() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    open_a_contact(&browser, &app).await;

    browser.click("#log-task").await.unwrap();
    browser
        .type_into("#field-subject", "Send the signed contract")
        .await
        .unwrap();
    set_input(&browser, "#field-dueAt", "2021-03-01T09:00").await;
    browser.click("#activity-save").await.unwrap();
    browser
        .wait_for_text("#timeline", "Send the signed contract", 15)
        .await
        .unwrap();

    browser.goto(&format!("{}/tasks", app.url)).await.unwrap();
    let task = browser
        .wait_for_text("#tasks .overdue", "Send the signed contract", 15)
        .await
        .unwrap();
    assert!(task.contains("Overdue"), "{task}");
    let overdue = browser.count("#tasks .overdue").await.unwrap();
    let badge = browser
        .wait_for_text("#overdue-badge", &overdue.to_string(), 10)
        .await
        .unwrap();
    assert_eq!(badge.trim(), overdue.to_string());
    browser.snap("tasks").await;

    // Done: it leaves the list and the badge counts one fewer.
    browser
        .click("#tasks .overdue[data-planned=\"true\"] .activity-done")
        .await
        .unwrap();
    browser.click("#tasks .complete-save").await.unwrap();
    let mut left = overdue;
    for _ in 0..100 {
        left = browser.count("#tasks .overdue").await.unwrap();
        if left < overdue {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(left, overdue - 1);

    // The week calendar: seven days, Monday first.
    browser
        .goto(&format!("{}/calendar", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#calendar .calendar-day", 15)
        .await
        .unwrap();
    assert_eq!(browser.count("#calendar .calendar-day").await.unwrap(), 7);
    let first = browser.text("#calendar .calendar-day h2").await.unwrap();
    assert!(first.starts_with("Mon"), "{first}");
    browser.snap("calendar").await;
    if left > 0 {
        browser
            .wait_for_text("#overdue-badge", &left.to_string(), 10)
            .await
            .unwrap();
    }
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_the_audit_trail_is_for_admins() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    assert_eq!(browser.count("a[href=\"/audit\"]").await.unwrap(), 0);
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 15).await.unwrap();

    sign_in(&browser, &app, "admin@demo.crm").await;
    nav_to(&browser, "/audit").await;
    let rows = browser.wait_for_text("#audit", "login", 15).await.unwrap();
    assert!(rows.contains("admin@demo.crm"), "{rows}");
    browser
        .type_into("#audit-object", "opportunity")
        .await
        .unwrap();
    browser
        .click("#audit-filter button[type=\"submit\"]")
        .await
        .unwrap();
    browser
        .wait_for_text("#audit tbody tr:first-child", "opportunity", 15)
        .await
        .unwrap();
    browser.snap("audit").await;
    browser.quit().await.unwrap();
}

/// The value of the `<textarea>` or `<input>` `css`.
async fn value_of(browser: &Browser, css: &str) -> String {
    browser.wait_for(css, 10).await.unwrap();
    let value = browser
        .execute(
            "return document.querySelector(arguments[0]).value;",
            serde_json::json!([css]),
        )
        .await
        .unwrap();
    value.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_web_form_lead_is_qualified_and_converted() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();

    // A visitor of the web site, not signed in, sends the public form.
    browser
        .goto(&format!("{}/public/forms/contact-us", app.url))
        .await
        .unwrap();
    browser
        .type_into("input[name=foreName]", "Marie")
        .await
        .unwrap();
    browser
        .type_into("input[name=surname]", "Quillfeather")
        .await
        .unwrap();
    browser
        .type_into("input[name=email]", "marie@quillfeather.example")
        .await
        .unwrap();
    browser
        .type_into("input[name=organizationName]", "Quillfeather Instruments")
        .await
        .unwrap();
    browser.snap("public-form").await;
    browser.click("form [type=submit]").await.unwrap();
    browser
        .wait_for_text("body", "Thank you", 15)
        .await
        .unwrap();

    // A manager finds the new lead in the list and opens it.
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser.goto(&format!("{}/leads", app.url)).await.unwrap();
    browser
        .wait_for("#leads-table .lead-row", 20)
        .await
        .unwrap();
    browser
        .type_into("#lead-search", "Quillfeather")
        .await
        .unwrap();
    browser
        .wait_for_text("#leads-total", "1 lead", 15)
        .await
        .unwrap();
    let row = browser
        .wait_for_text("#leads-table .lead-row", "Marie Quillfeather", 10)
        .await
        .unwrap();
    assert!(row.contains("New"), "{row}");
    browser.snap("leads").await;
    browser.click("#leads-table .lead-row a").await.unwrap();
    browser
        .wait_for_text("#lead-status", "New", 15)
        .await
        .unwrap();
    let origin = browser.text("#lead-origin").await.unwrap();
    assert!(origin.contains("Contact us"), "{origin}");
    // The source is a value of the lead sources pick-list: its label here, its key in the form.
    assert!(origin.contains("Web form"), "{origin}");
    browser
        .wait_for_text("#field-source option:checked", "Web form", 10)
        .await
        .unwrap();
    assert_eq!(value_of(&browser, "#field-source").await, "web_form");
    assert_eq!(
        value_of(&browser, "#field-organizationName").await,
        "Quillfeather Instruments"
    );

    // Qualified, then converted: a new account, a new contact and an opportunity.
    browser.click("#lead-to-qualified").await.unwrap();
    browser
        .wait_for_text("#lead-status", "Qualified", 10)
        .await
        .unwrap();
    browser.click("#convert-open").await.unwrap();
    browser
        .wait_for_text("#convert-account", "Quillfeather Instruments", 15)
        .await
        .unwrap();
    browser.click("#convert-account-new").await.unwrap();
    browser.click("#convert-contact-new").await.unwrap();
    let with_opportunity = browser
        .execute(
            "return document.getElementById('convert-create-opportunity').checked;",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    if with_opportunity != serde_json::json!(true) {
        browser.click("#convert-create-opportunity").await.unwrap();
    }
    browser
        .type_into("[id='field-opportunity.name']", "Quillfeather – Gauges")
        .await
        .unwrap();
    browser
        .type_into("#convert-amountAmount", "25000")
        .await
        .unwrap();
    browser
        .type_into("#convert-amountCurrency", "EUR")
        .await
        .unwrap();
    browser.snap("convert-dialog").await;
    browser.click("#convert-submit").await.unwrap();
    let result = browser
        .wait_for_text("#convert-result", "Quillfeather – Gauges", 15)
        .await
        .unwrap();
    assert!(result.contains("Quillfeather Instruments"), "{result}");
    assert!(result.contains("Marie Quillfeather"), "{result}");
    for (link, path) in [
        ("converted-account", "/accounts/"),
        ("converted-contact", "/parties/"),
        ("converted-opportunity", "/opportunities/"),
    ] {
        let href = browser
            .attribute(&format!("#convert-result .{link}"), "href")
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(href.contains(path), "{link}: {href}");
    }
    browser
        .wait_for_text("#lead-status", "Converted", 10)
        .await
        .unwrap();
    browser.snap("converted").await;

    // The opportunity opens from the result.
    browser
        .click("#convert-result .converted-opportunity")
        .await
        .unwrap();
    let name = value_of(&browser, "#field-name").await;
    assert_eq!(name, "Quillfeather – Gauges");
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_admin_sees_the_snippet_of_a_web_form() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;
    nav_to(&browser, "/web-forms").await;
    browser
        .wait_for_text("#web-forms-table", "Contact us", 15)
        .await
        .unwrap();
    browser
        .click("#web-forms-table .web-form-row a")
        .await
        .unwrap();
    browser.wait_for("#web-form-snippet", 15).await.unwrap();
    let snippet = value_of(&browser, "#web-form-snippet").await;
    assert!(snippet.contains("/public/forms/contact-us"), "{snippet}");
    assert!(snippet.contains("<form"), "{snippet}");
    let url = browser.text("#web-form-url").await.unwrap();
    assert!(url.contains("/public/forms/contact-us"), "{url}");
    browser.snap("web-form").await;
    browser.quit().await.unwrap();
}

/// The id and name of the organisation the API finds first for `search`.
async fn organization(app: &TestApp, token: &str, search: &str) -> (String, String) {
    let d = app
        .ok(
            token,
            "query($f: PartyFilter) { parties(first: 5, filter: $f) { edges { node { id displayName } } } }",
            serde_json::json!({ "f": { "search": search, "kind": "ORGANIZATION" } }),
        )
        .await;
    let node = &d["parties"]["edges"][0]["node"];
    let id = node["id"].as_str().expect("an organisation");
    let name = node["displayName"].as_str().expect("its name");
    (id.to_string(), name.to_string())
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_relationship_of_an_added_type_is_linked_from_the_profile() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let added = app
        .add_picklist_value(&admin, "RELATIONSHIP_TYPE", "Reseller of")
        .await;
    assert_eq!(added["key"], "reseller_of");
    let (globex, globex_name) = organization(&app, &admin, "globex").await;
    assert_eq!(globex_name, "Globex");
    let (acme, acme_name) = organization(&app, &admin, "acme").await;
    assert!(acme_name.starts_with("Acme"), "{acme_name}");

    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser
        .goto(&format!("{}/parties/{globex}", app.url))
        .await
        .unwrap();
    browser
        .wait_for_text("#profile-name", "Globex", 15)
        .await
        .unwrap();
    browser.wait_for("section#relationships", 10).await.unwrap();
    // The live types, the added one both ways; the symmetric partner link only once.
    browser
        .wait_for("#rel-form #rel-kind option[value=\"reseller_of:IN\"]", 15)
        .await
        .unwrap();
    assert_eq!(
        browser
            .count("#rel-kind option[value=\"reseller_of\"]")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        browser
            .count("#rel-kind option[value=\"partner_of\"]")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        browser
            .count("#rel-kind option[value=\"partner_of:IN\"]")
            .await
            .unwrap(),
        0
    );

    // Globex is the reseller of nobody: Acme resells Globex's goods.
    browser
        .choose("#rel-kind", "Reseller of (reverse)")
        .await
        .unwrap();
    browser.type_into("#rel-party", "acme").await.unwrap();
    let hit = format!("#rel-party-results .search-hit[data-id=\"{acme}\"]");
    browser.wait_for(&hit, 10).await.unwrap();
    browser.click(&hit).await.unwrap();
    browser
        .wait_for_text("#rel-chosen", &acme_name, 10)
        .await
        .unwrap();
    browser
        .type_into("#rel-comment", "Resells in the EMEA region")
        .await
        .unwrap();
    browser.snap("relationship-form").await;
    browser.click("#rel-add").await.unwrap();

    let row = "li.relationship[data-kind=\"reseller_of\"]";
    browser.wait_for(row, 15).await.unwrap();
    browser.snap("relationship-added").await;
    assert_eq!(
        browser
            .text(&format!("{row} .rel-kind"))
            .await
            .unwrap()
            .trim(),
        "Reseller of (reverse)"
    );
    assert_eq!(
        browser
            .text(&format!("{row} .rel-other"))
            .await
            .unwrap()
            .trim(),
        acme_name
    );
    // Ended from this side, the row stays as Globex reads it.
    browser.click(&format!("{row} .rel-end")).await.unwrap();
    let ended = "li.relationship.ended[data-kind=\"reseller_of\"]";
    browser.wait_for(ended, 15).await.unwrap();
    assert_eq!(
        browser
            .text(&format!("{ended} .rel-kind"))
            .await
            .unwrap()
            .trim(),
        "Reseller of (reverse)"
    );
    assert_eq!(
        browser
            .text(&format!("{ended} .rel-other"))
            .await
            .unwrap()
            .trim(),
        acme_name
    );
    browser.quit().await.unwrap();

    // Stored as Acme → Globex: incoming from Globex's view, with its comment.
    let d = app
        .ok(
            &admin,
            "query($id: ID!) { partyProfile(id: $id) { relationships(first: 10) { edges { node { relationshipType { key } direction other { displayName } comment validTo } } } } }",
            serde_json::json!({ "id": globex }),
        )
        .await;
    let rels = d["partyProfile"]["relationships"]["edges"]
        .as_array()
        .unwrap();
    let reseller: Vec<&serde_json::Value> = rels
        .iter()
        .map(|e| &e["node"])
        .filter(|n| n["relationshipType"]["key"] == "reseller_of")
        .collect();
    assert_eq!(reseller.len(), 1, "{rels:?}");
    assert_eq!(reseller[0]["direction"], "INCOMING", "{rels:?}");
    assert_eq!(reseller[0]["other"]["displayName"], acme_name.as_str());
    assert_eq!(reseller[0]["comment"], "Resells in the EMEA region");
    assert!(reseller[0]["validTo"].is_string(), "ended: {rels:?}");
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_added_party_role_is_ticked_on_the_form_and_shown_on_the_profile() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let added = app
        .add_picklist_value(&admin, "PARTY_ROLE", "Distributor")
        .await;
    assert_eq!(added["key"], "distributor");
    // A known role renamed by an administrator reads its new label on the form.
    let d = app
        .ok(
            &admin,
            "{ picklists { key values { id key version } } }",
            serde_json::json!({}),
        )
        .await;
    let supplier = d["picklists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == "PARTY_ROLE")
        .and_then(|l| l["values"].as_array())
        .and_then(|v| v.iter().find(|v| v["key"] == "supplier"))
        .cloned()
        .unwrap();
    app.ok(
        &admin,
        "mutation($id: ID!, $v: Int!) { updatePicklistValue(id: $id, version: $v, label: \"Approved supplier\") { label } }",
        serde_json::json!({"id": supplier["id"], "v": supplier["version"]}),
    )
    .await;
    let (globex, _) = organization(&app, &admin, "globex").await;

    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser
        .goto(&format!("{}/organizations/{globex}/edit", app.url))
        .await
        .unwrap();
    browser.wait_for("#field-name", 15).await.unwrap();
    // The added role beside the known ones; the installed vendor role too.
    browser.wait_for("#role-distributor", 15).await.unwrap();
    assert_eq!(browser.count("#role-vendor").await.unwrap(), 1);
    assert_eq!(browser.count("#role-ACCOUNT").await.unwrap(), 1);
    let supplier_label = browser
        .execute(
            "return document.querySelector('#role-SUPPLIER').closest('label').textContent.trim();",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    assert_eq!(supplier_label, serde_json::json!("Approved supplier"));
    browser.click("#role-distributor").await.unwrap();
    browser.snap("party-roles-form").await;
    browser.click("#save").await.unwrap();
    browser
        .wait_for(".role-badge[data-role=\"DISTRIBUTOR\"]", 15)
        .await
        .unwrap();
    assert_eq!(
        browser
            .text(".role-badge[data-role=\"DISTRIBUTOR\"]")
            .await
            .unwrap()
            .trim(),
        "Distributor"
    );
    assert_eq!(
        browser
            .count(".role-badge[data-role=\"ACCOUNT\"]")
            .await
            .unwrap(),
        1
    );
    browser.quit().await.unwrap();

    // Saved: the account keeps its known role and gains the added one.
    let d = app
        .ok(
            &admin,
            "query($id: ID!) { partyProfile(id: $id) { roles partyRoles { key } } }",
            serde_json::json!({ "id": globex }),
        )
        .await;
    assert_eq!(d["partyProfile"]["roles"], serde_json::json!(["ACCOUNT"]));
    assert_eq!(
        d["partyProfile"]["partyRoles"],
        serde_json::json!([{"key": "account"}, {"key": "distributor"}])
    );
}
