//! The pages loaded on demand (route chunks of the split WebAssembly) in headless Chromium:
//! each opens by a click and by a deep link, back and forward move between them, and a chunk
//! that cannot be fetched shows an error with "Reload" instead of a blank page. Also times the
//! pipeline board's first cards. Run with `cargo test -p tests -- --ignored browser` after
//! building the SPA into `dist/` (the README's test command does both).

use crate::browser::{nav_to, sign_in};
use std::path::{Path, PathBuf};

use server::config::AppConfig;
use tests::webdriver::Browser;
use tests::TestApp;

/// Pages in the main navigation that load on demand: address and an element only that page has.
const NAV_PAGES: &[(&str, &str)] = &[
    ("/contacts", "#new-person"),
    ("/customers", "#customer-type-filter"),
    ("/leads", "#leads-total"),
    ("/lists", "#new-list"),
    ("/pipeline", "#board"),
    ("/calendar", "#calendar"),
    ("/tasks", ".page-header h1"),
    ("/web-forms", "#web-forms-table"),
    ("/settings/lead-mapping", "#mapping-table"),
    ("/settings/assignment-rules", "#new-rule"),
    (
        "/deletion-requests",
        "#deletion-requests-total, #deletion-requests-empty",
    ),
    ("/audit", "#audit"),
    ("/home", "#home .card"),
];

/// Pages reached from another page: where to start, what to click, what the address then
/// contains, and an element only the page has.
const RECORD_PAGES: &[(&str, &str, &str, &str)] = &[
    ("/accounts", "#new-account", "/accounts/new", "#field-name"),
    (
        "/accounts",
        "#accounts-table .account-row a",
        "/accounts/",
        "#profile-link",
    ),
    ("/contacts", "#new-person", "/people/new", "#field-foreName"),
    (
        "/customers",
        "#new-organization",
        "/organizations/new",
        "#field-name",
    ),
    (
        "/contacts",
        "#contacts-table .party-row a",
        "/parties/",
        "#profile-name",
    ),
    (
        "/pipeline",
        "#new-opportunity",
        "/opportunities/new",
        "#chosen-account, #field-accountId",
    ),
    (
        "/pipeline",
        "#board .board-card .card-name",
        "/opportunities/",
        "#opportunity-status",
    ),
    (
        "/leads",
        "#leads-table .lead-row a",
        "/leads/",
        "#lead-status",
    ),
    (
        "/lists",
        "#lists-table .list-row a",
        "/lists/",
        "#members-total",
    ),
    (
        "/web-forms",
        "#web-forms-table .web-form-row a",
        "/web-forms/",
        "#web-form-snippet",
    ),
];

/// Waits for `css`, failing with the page's text when a chunk error is shown instead.
async fn expect_page(browser: &Browser, css: &str, what: &str) {
    if let Err(e) = browser.wait_for(css, 20).await {
        let body = browser.text("body").await.unwrap_or_default();
        panic!("{what}: {e}; page: {body}");
    }
    assert_eq!(
        browser.count("#chunk-error").await.unwrap(),
        0,
        "{what}: chunk error shown"
    );
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_every_page_loaded_on_demand_opens_by_click_and_by_deep_link() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;

    for (path, css) in NAV_PAGES {
        nav_to(&browser, path).await;
        browser.wait_for_url(path, 10).await.unwrap();
        expect_page(&browser, css, &format!("click to {path}")).await;
        browser.goto(&format!("{}{path}", app.url)).await.unwrap();
        expect_page(&browser, css, &format!("deep link to {path}")).await;
    }
    // "My tasks" is the heading of the tasks page only.
    browser.goto(&format!("{}/tasks", app.url)).await.unwrap();
    browser
        .wait_for_text(".page-header h1", "My tasks", 20)
        .await
        .unwrap();

    for (start, link, address, css) in RECORD_PAGES {
        browser.goto(&format!("{}{start}", app.url)).await.unwrap();
        browser.click(link).await.unwrap();
        let url = browser.wait_for_url(address, 15).await.unwrap();
        expect_page(&browser, css, &format!("click on {link} in {start}")).await;
        browser.goto(&url).await.unwrap();
        expect_page(&browser, css, &format!("deep link to {url}")).await;
    }
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_back_and_forward_between_pages_loaded_on_demand() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;
    let steps = [
        ("/leads", "#leads-total"),
        ("/pipeline", "#board"),
        ("/web-forms", "#web-forms-table"),
    ];
    for (path, css) in steps {
        nav_to(&browser, path).await;
        browser.wait_for_url(path, 10).await.unwrap();
        expect_page(&browser, css, path).await;
    }
    for (path, css) in [steps[1], steps[0]] {
        browser.back().await.unwrap();
        browser.wait_for_url(path, 10).await.unwrap();
        expect_page(&browser, css, &format!("back to {path}")).await;
    }
    for (path, css) in [steps[1], steps[2]] {
        browser.forward().await.unwrap();
        browser.wait_for_url(path, 10).await.unwrap();
        expect_page(&browser, css, &format!("forward to {path}")).await;
    }
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_quick_clicks_through_pages_still_loading_end_on_the_last() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;
    // One click after another without waiting: each page's chunks are still on their way when
    // the next click comes, twice to the same page.
    let clicks = [
        "/pipeline",
        "/calendar",
        "/pipeline",
        "/web-forms",
        "/leads",
    ];
    let links = clicks
        .iter()
        .map(|path| format!(".main-nav a[href='{path}']"))
        .collect::<Vec<_>>();
    browser
        .execute(
            "for (const css of arguments[0]) document.querySelector(css).click();",
            serde_json::json!([links]),
        )
        .await
        .unwrap();
    browser.wait_for_url("/leads", 10).await.unwrap();
    expect_page(&browser, "#leads-total", "the last of quick clicks").await;
    // The app still runs: another page opens.
    nav_to(&browser, "/audit").await;
    expect_page(&browser, "#audit", "a page after quick clicks").await;
    browser.quit().await.unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The bundle of page group `group` (its module and shared chunks) in a built web app directory.
fn bundle_of(dist: &Path, group: &str) -> PathBuf {
    let app = std::fs::read_dir(dist)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("app-"))
        })
        .expect("dist/app-*/: build the SPA with trunk build --release");
    app.join(format!("bundle_{group}.bin"))
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_page_whose_code_cannot_be_fetched_offers_a_reload() {
    // A copy of the web app without the web forms' bundle, as after a deploy or offline.
    let dist = std::env::temp_dir().join(format!("crm-dist-{}", uuid::Uuid::new_v4()));
    copy_dir(&tests::workspace_root().join("dist"), &dist);
    let chunk = bundle_of(&dist, "web_forms");
    let saved = std::fs::read(&chunk).expect("the web forms' bundle");
    std::fs::remove_file(&chunk).unwrap();
    let app = TestApp::with_config(AppConfig {
        dist_dir: dist.clone(),
        ..AppConfig::default()
    })
    .await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;

    nav_to(&browser, "/web-forms").await;
    let error = browser
        .wait_for_text("#chunk-error", "could not be loaded", 20)
        .await
        .unwrap();
    assert!(error.contains("Reload"), "{error}");
    browser.snap("chunk-error").await;
    // The rest of the app still works.
    nav_to(&browser, "/leads").await;
    expect_page(&browser, "#leads-total", "leads after a failed chunk").await;
    // A deep link shows the same error, not a blank page.
    browser
        .goto(&format!("{}/web-forms", app.url))
        .await
        .unwrap();
    browser.wait_for("#chunk-reload", 20).await.unwrap();

    // Once the chunk can be fetched again, "Reload" opens the page.
    std::fs::write(&chunk, saved).unwrap();
    browser.click("#chunk-reload").await.unwrap();
    expect_page(&browser, "#web-forms-table", "web forms after reload").await;
    browser.quit().await.unwrap();
    let _ = std::fs::remove_dir_all(&dist);
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_board_first_cards_time_is_measured() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    let mut board = Vec::new();
    let mut mounted = Vec::new();
    for _ in 0..7 {
        // A full navigation each time: the main module, the board's chunk and the board query.
        browser
            .goto(&format!("{}/pipeline", app.url))
            .await
            .unwrap();
        browser.wait_for("#board .board-card", 20).await.unwrap();
        // The marks are taken in the next animation frame after the cards are rendered, which
        // may come after the cards are already found: wait for that frame.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let (app_mounted, cards) = loop {
            let marks = browser
                .execute(
                    "const at = (n) => performance.getEntriesByName(n).map((e) => e.startTime)[0];
                     return [at('crm:app-mounted'), at('crm:board-cards')];",
                    serde_json::json!([]),
                )
                .await
                .unwrap();
            if let (Some(mounted), Some(cards)) = (marks[0].as_f64(), marks[1].as_f64()) {
                break (mounted, cards);
            }
            assert!(
                std::time::Instant::now() < deadline,
                "marks missing 10 s after the cards were shown: {marks}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        assert!(
            0.0 < app_mounted && app_mounted < cards,
            "mounted {app_mounted} ms, cards {cards} ms"
        );
        mounted.push(app_mounted);
        board.push(cards);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    eprintln!(
        "board: navigation start -> app mounted median {:.0} ms, -> first cards median {:.0} ms (first visit {:.0} ms; all {:?})",
        median(&mut mounted.clone()),
        median(&mut board.clone()),
        board[0],
        board.iter().map(|t| t.round()).collect::<Vec<_>>(),
    );
    browser.quit().await.unwrap();
}
