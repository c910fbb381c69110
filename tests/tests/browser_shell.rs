//! The frame around every page in headless Chromium: signing in lands on home or comes back to
//! the page asked for, the grouped navigation shows only what the role may open, a forbidden
//! address shows "Not allowed" without loading the page, the phone's drawer, the skip link and
//! the `/` and Esc keys. Run with `cargo test -p tests -- --ignored browser` after building the
//! SPA into `dist/` (the README's test command does both).

use crate::browser::{nav_to, sign_in};
use serde_json::json;
use tests::webdriver::Browser;
use tests::TestApp;

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

/// The labels of the navigation's groups, in order.
async fn group_labels(browser: &Browser) -> Vec<String> {
    let v = browser
        .execute(
            "return [...document.querySelectorAll('.main-nav .nav-group > summary')] \
               .map((s) => s.textContent.trim());",
            json!([]),
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// Is the element `css` visible (present, not in a closed menu, not hidden)?
async fn shown(browser: &Browser, css: &str) -> bool {
    browser
        .execute(
            "const e = document.querySelector(arguments[0]); \
             return !!e && e.checkVisibility({ visibilityProperty: true });",
            json!([css]),
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap()
}

/// The `id` (or tag) of the focused element.
async fn focused(browser: &Browser) -> String {
    browser
        .execute(
            "const e = document.activeElement; return e.id || e.className || e.tagName;",
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
async fn browser_the_navigation_is_grouped_and_shows_only_what_the_role_may_open() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;
    assert_eq!(
        group_labels(&browser).await,
        ["Sales", "Billing", "Marketing", "Reports", "Settings"]
    );
    // Daily work is always in view; the groups' pages are in menus, closed until clicked.
    assert!(shown(&browser, ".main-nav a[href='/tasks']").await);
    assert!(!shown(&browser, ".main-nav a[href='/pipeline']").await);
    browser.click("#nav-sales > summary").await.unwrap();
    assert!(shown(&browser, ".main-nav a[href='/pipeline']").await);
    browser.snap("nav-sales-open").await;
    // One menu at a time; Esc closes it; so does a click elsewhere.
    browser.click("#nav-settings > summary").await.unwrap();
    assert!(shown(&browser, ".main-nav a[href='/audit']").await);
    assert!(!shown(&browser, ".main-nav a[href='/pipeline']").await);
    browser.type_keys(&[ESCAPE]).await.unwrap();
    assert!(!shown(&browser, ".main-nav a[href='/audit']").await);
    browser.click("#nav-reports > summary").await.unwrap();
    assert!(shown(&browser, ".main-nav a[href='/forecast']").await);
    browser.click("#home").await.unwrap();
    assert!(!shown(&browser, ".main-nav a[href='/forecast']").await);
    // Choosing a page closes its menu and marks its group as the current one.
    nav_to(&browser, "/pipeline").await;
    browser.wait_for("#board", 20).await.unwrap();
    assert!(!shown(&browser, ".main-nav a[href='/pipeline']").await);
    let current = browser
        .execute(
            "return document.querySelector('#nav-sales > summary').matches(\
               '.nav-group:has(a[aria-current=\"page\"]) > summary');",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(current, json!(true));
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 15).await.unwrap();

    // Read-only: no settings and no billing; sales shows what it may read.
    sign_in(&browser, &app, "readonly@demo.crm").await;
    let labels = group_labels(&browser).await;
    assert!(!labels.iter().any(|l| l == "Settings"), "{labels:?}");
    assert_eq!(
        browser.count(".main-nav a[href='/audit']").await.unwrap(),
        0
    );
    assert_eq!(
        browser
            .count(".main-nav a[href='/settings/lead-mapping']")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        browser
            .count(".main-nav a[href='/pipeline']")
            .await
            .unwrap(),
        1
    );
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_forbidden_address_says_not_allowed_without_loading_the_page() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    for path in ["/audit", "/deletion-requests"] {
        browser.goto(&format!("{}{path}", app.url)).await.unwrap();
        let text = browser
            .wait_for_text("#not-allowed", "Not allowed", 20)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(text.contains("ask an administrator"), "{path}: {text}");
        // The page itself never started: no filter, no user picker, no table.
        assert_eq!(browser.count("#audit-filter, #audit").await.unwrap(), 0);
        assert_eq!(browser.count("select").await.unwrap(), 0, "{path}");
        assert_eq!(browser.count("#chunk-error").await.unwrap(), 0, "{path}");
    }
    browser.snap("not-allowed").await;
    // The navigation still works from there, and an allowed page opens as usual.
    nav_to(&browser, "/pipeline").await;
    browser.wait_for("#board", 20).await.unwrap();
    assert_eq!(browser.count("#not-allowed").await.unwrap(), 0);
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_signing_in_comes_back_to_the_page_asked_for() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    browser
        .goto(&format!("{}/pipeline?owner=me", app.url))
        .await
        .unwrap();
    browser.wait_for("#email", 20).await.unwrap();
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .contains("/login?next=%2Fpipeline%3Fowner%3Dme"));
    browser.type_into("#email", "rep@demo.crm").await.unwrap();
    browser
        .type_into("#password", tests::PASSWORD)
        .await
        .unwrap();
    browser.click("#login-submit").await.unwrap();
    browser.wait_for("#board", 20).await.unwrap();
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .ends_with("/pipeline?owner=me"));
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 15).await.unwrap();

    // Another site is never where signing in leads.
    browser
        .goto(&format!("{}/login?next=%2F%2Fevil.example%2F", app.url))
        .await
        .unwrap();
    browser.type_into("#email", "rep@demo.crm").await.unwrap();
    browser
        .type_into("#password", tests::PASSWORD)
        .await
        .unwrap();
    browser.click("#login-submit").await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    let url = browser.current_url().await.unwrap();
    assert!(url.starts_with(&app.url) && url.ends_with("/home"), "{url}");
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_keyboard_skip_link_slash_to_search_and_escape() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    // A fresh page: the first Tab reaches the skip link, Enter moves the focus to the page.
    browser.goto(&format!("{}/home", app.url)).await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    browser.type_keys(&[TAB]).await.unwrap();
    assert_eq!(focused(&browser).await, "skip-link");
    assert!(shown(&browser, ".skip-link").await);
    browser.type_keys(&[ENTER]).await.unwrap();
    assert_eq!(focused(&browser).await, "main");
    // `/` goes to the search, and typing there is not taken as a shortcut.
    browser.type_keys(&["/"]).await.unwrap();
    assert_eq!(focused(&browser).await, "global-search");
    browser.type_keys(&["a", "/"]).await.unwrap();
    let typed = browser
        .execute(
            "return document.getElementById('global-search').value;",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(typed, json!("a/"));
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_on_a_phone_the_navigation_is_a_drawer_and_nothing_pans_sideways() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    browser.set_window_size(390, 844).await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;
    let fits = "return document.documentElement.scrollWidth <= window.innerWidth;";
    assert_eq!(browser.execute(fits, json!([])).await.unwrap(), json!(true));
    assert!(!shown(&browser, ".main-nav").await);
    browser.snap("phone-home").await;
    browser.click("#nav-toggle").await.unwrap();
    assert!(shown(&browser, ".main-nav a[href='/tasks']").await);
    assert_eq!(browser.execute(fits, json!([])).await.unwrap(), json!(true));
    browser.click("#nav-sales > summary").await.unwrap();
    browser.snap("phone-drawer").await;
    assert_eq!(browser.execute(fits, json!([])).await.unwrap(), json!(true));
    // Choosing a page closes the drawer.
    browser
        .click(".main-nav a[href='/contacts']")
        .await
        .unwrap();
    browser.wait_for("#new-person", 20).await.unwrap();
    assert!(!shown(&browser, ".main-nav").await);
    assert_eq!(
        browser
            .attribute("#nav-toggle", "aria-expanded")
            .await
            .unwrap(),
        Some("false".into())
    );
    assert_eq!(browser.execute(fits, json!([])).await.unwrap(), json!(true));
    browser.quit().await.unwrap();
}

const CONTROL: &str = "\u{E009}";
const ARROW_DOWN: &str = "\u{E015}";

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_the_command_palette_opens_pages_actions_and_records() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;

    // Ctrl+K opens it with the focus in its box; Esc closes it and gives the focus back.
    browser.press_keys("#main", &[CONTROL, "k"]).await.unwrap();
    browser.wait_for("#palette-input", 5).await.unwrap();
    assert_eq!(focused(&browser).await, "palette-input");
    assert_eq!(
        browser.attribute("#palette", "aria-modal").await.unwrap(),
        Some("true".into())
    );
    // Tab does not leave the dialog.
    browser.type_keys(&[TAB]).await.unwrap();
    assert_eq!(focused(&browser).await, "palette-input");
    browser.type_keys(&[ESCAPE]).await.unwrap();
    assert_eq!(browser.count("#palette").await.unwrap(), 0);
    assert_eq!(focused(&browser).await, "main");

    // A page by part of its name, chosen with Enter.
    browser.press_keys("#main", &[CONTROL, "k"]).await.unwrap();
    browser.type_into("#palette-input", "pipel").await.unwrap();
    let first = browser.text("#palette-item-0").await.unwrap();
    assert!(
        first.contains("Pipeline") && first.contains("Page"),
        "{first}"
    );
    browser.type_keys(&[ENTER]).await.unwrap();
    browser.wait_for("#board", 20).await.unwrap();
    assert!(browser.current_url().await.unwrap().ends_with("/pipeline"));
    assert_eq!(browser.count("#palette").await.unwrap(), 0);

    // A record by name, found through the search: the arrow keys move to it.
    browser.press_keys("#main", &[CONTROL, "k"]).await.unwrap();
    browser.type_into("#palette-input", "acme").await.unwrap();
    let list = browser
        .wait_for_text("#palette-list", "Acme Corporation", 10)
        .await
        .unwrap();
    assert!(list.contains("Organisation"), "{list}");
    let index = browser
        .execute(
            "return [...document.querySelectorAll('.palette-item')] \
               .findIndex((e) => e.textContent.includes('Acme Corporation'));",
            json!([]),
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    for _ in 0..index {
        browser.type_keys(&[ARROW_DOWN]).await.unwrap();
    }
    assert_eq!(
        browser
            .attribute(&format!("#palette-item-{index}"), "aria-selected")
            .await
            .unwrap(),
        Some("true".into())
    );
    browser.type_keys(&[ENTER]).await.unwrap();
    browser
        .wait_for_text("#profile-name", "Acme Corporation", 20)
        .await
        .unwrap();
    // Home lists it among the records opened last, and the palette offers it before any typing.
    nav_to(&browser, "/home").await;
    let recent = browser
        .wait_for_text("#home-recent", "Acme Corporation", 20)
        .await
        .unwrap();
    assert!(recent.contains("Organisation"), "{recent}");
    browser.press_keys("#main", &[CONTROL, "k"]).await.unwrap();
    let first = browser.text("#palette-item-0").await.unwrap();
    assert!(
        first.contains("Acme Corporation") && first.contains("Recent"),
        "{first}"
    );
    browser.type_keys(&[ESCAPE]).await.unwrap();
    // An action the manager may take.
    browser.press_keys("#main", &[CONTROL, "k"]).await.unwrap();
    browser
        .type_into("#palette-input", "new opp")
        .await
        .unwrap();
    browser
        .wait_for_text("#palette-item-0", "New opportunity", 5)
        .await
        .unwrap();
    browser.snap("palette").await;
    browser.click("#palette-item-0").await.unwrap();
    browser
        .wait_for_url("/opportunities/new", 10)
        .await
        .unwrap();
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 15).await.unwrap();

    // Read-only is offered no action and no page it may not open.
    sign_in(&browser, &app, "readonly@demo.crm").await;
    browser.press_keys("#main", &[CONTROL, "k"]).await.unwrap();
    browser.type_into("#palette-input", "new").await.unwrap();
    let offered = browser.text("#palette").await.unwrap();
    assert!(!offered.contains("New "), "{offered}");
    browser.type_keys(&[ESCAPE]).await.unwrap();
    browser.press_keys("#main", &[CONTROL, "k"]).await.unwrap();
    browser.type_into("#palette-input", "audit").await.unwrap();
    assert!(browser
        .text("#palette")
        .await
        .unwrap()
        .contains("Nothing matches"));
    browser.quit().await.unwrap();
}

/// axe-core's script, installed by `scripts/ensure-tools.sh --browser` (or `$CRM_AXE`).
fn axe_script() -> String {
    let path = std::env::var("CRM_AXE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/crm-tools/axe/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; install it with scripts/ensure-tools.sh --browser",
            path.display()
        )
    })
}

/// The serious and critical WCAG 2.2 A/AA violations axe finds in the page, one line each.
async fn serious_violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser.execute(axe, json!([])).await.unwrap();
    // axe ran and checked something: its rules passed somewhere on every page.
    let passes = browser
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document).then((r) => done(r.passes.length)).catch(() => done(0));",
            json!([]),
        )
        .await
        .unwrap();
    assert!(passes.as_u64().unwrap() > 5, "axe did not run: {passes}");
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, { runOnly: { type: 'tag', values: \
               ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }) \
               .then((r) => done(r.violations \
                 .filter((v) => v.impact === 'serious' || v.impact === 'critical') \
                 .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' \
                   + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')))) \
               .catch((e) => done(['axe failed: ' + e]));",
            json!([]),
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// Main pages and an element each shows once loaded.
const MAIN_PAGES: &[(&str, &str)] = &[
    ("/home", "#home .card"),
    ("/accounts", "#accounts-table .account-row"),
    ("/contacts", "#contacts-table .party-row"),
    ("/customers", "#customer-type-filter"),
    ("/leads", "#leads-table .lead-row"),
    ("/pipeline", "#board .board-card"),
    ("/tasks", ".page-header h1"),
    ("/calendar", "#calendar"),
    ("/quotes", ".page-header h1"),
    ("/invoices", ".page-header h1"),
    ("/forecast", ".page-header h1"),
    ("/reports", ".page-header h1"),
    ("/audit", "#audit"),
    ("/settings/users", "#users-table .user-row"),
    ("/settings/teams", "#teams-table .team-row"),
    ("/settings/roles", "#permission-matrix select"),
    ("/account", "#sessions-table .session-row"),
];

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_main_pages_pass_an_accessibility_scan_and_fit_at_both_widths() {
    let axe = axe_script();
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    let mut found = Vec::new();
    browser.goto(&format!("{}/login", app.url)).await.unwrap();
    browser.wait_for("#email", 20).await.unwrap();
    for v in serious_violations(&browser, &axe).await {
        found.push(format!("/login: {v}"));
    }
    sign_in(&browser, &app, "admin@demo.crm").await;
    for width in [1280, 390] {
        browser.set_window_size(width, 900).await.unwrap();
        for (path, ready) in MAIN_PAGES {
            browser.goto(&format!("{}{path}", app.url)).await.unwrap();
            browser
                .wait_for(ready, 20)
                .await
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            for v in serious_violations(&browser, &axe).await {
                found.push(format!("{path} at {width} px: {v}"));
            }
            // Nothing pans sideways: the page is no wider than the window.
            let wide = browser
                .execute(
                    "return document.documentElement.scrollWidth - window.innerWidth;",
                    json!([]),
                )
                .await
                .unwrap();
            if wide.as_i64().unwrap_or(0) > 0 {
                found.push(format!(
                    "{path} at {width} px: {wide} px wider than the window"
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_leaving_a_form_with_unsaved_edits_asks_first() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser
        .goto(&format!("{}/accounts", app.url))
        .await
        .unwrap();
    browser
        .click("#accounts-table .account-row a")
        .await
        .unwrap();
    browser.wait_for("#field-name", 15).await.unwrap();
    let form = browser.current_url().await.unwrap();
    // Untouched, a link just leaves.
    browser.click(".main-nav a[href='/home']").await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    assert_eq!(browser.alert_text().await, None);
    browser.back().await.unwrap();
    browser.wait_for("#field-name", 15).await.unwrap();

    browser
        .type_into("#field-name", " (renamed)")
        .await
        .unwrap();
    browser.click(".main-nav a[href='/home']").await.unwrap();
    let asked = browser.alert_text().await.unwrap_or_default();
    assert!(asked.contains("not saved"), "{asked:?}");
    // "Cancel": the page and the edit stay.
    browser.answer_alert(false).await.unwrap();
    assert_eq!(browser.current_url().await.unwrap(), form);
    let typed = browser
        .execute(
            "return document.getElementById('field-name').value;",
            json!([]),
        )
        .await
        .unwrap();
    assert!(typed.as_str().unwrap().ends_with(" (renamed)"), "{typed}");
    // "OK": the link is followed and the edit dropped.
    browser.click(".main-nav a[href='/home']").await.unwrap();
    browser.answer_alert(true).await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    // Saved edits ask nothing.
    browser.back().await.unwrap();
    browser.wait_for("#field-name", 15).await.unwrap();
    browser.type_into("#field-name", " Ltd").await.unwrap();
    browser.click("#save").await.unwrap();
    browser.wait_for("#form-notice, #home", 15).await.unwrap();
    browser.click(".main-nav a[href='/home']").await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    assert_eq!(browser.alert_text().await, None);
    browser.quit().await.unwrap();
}

/// Waits until the page has settled: no "Loading" left in the main column and its text
/// unchanged for half a second.
async fn settle(browser: &Browser) {
    let mut last = String::new();
    let mut stable = 0;
    for _ in 0..100 {
        let text = browser
            .execute(
                "const m = document.querySelector('main'); return m ? m.innerText : '';",
                json!([]),
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if !text.is_empty() && !text.contains("Loading") && text == last {
            stable += 1;
            if stable >= 3 {
                return;
            }
        } else {
            stable = 0;
        }
        last = text;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// The visible buttons and links of the main column that would write something.
async fn write_actions(browser: &Browser) -> Vec<String> {
    let v = browser
        .execute(
            "const write = /^(new|save|log|archive|delete|remove|assign|convert|add|edit|record|create|move|submit|send|approve|reject|merge|restore|qualify|import|invoice\\b|order\\b|allocate|complete|mark|set quota|adjust|deliver|issue|accept|decline|win|lose|request|erase|upload|renew|duplicate|\\+)/i; \
             return [...document.querySelectorAll('main button, main a.btn, main input[type=submit]')] \
               .filter((e) => e.checkVisibility({ visibilityProperty: true })) \
               .map((e) => (e.textContent || e.value || '').trim()) \
               .filter((t) => write.test(t) && !/\\bview\\b/i.test(t));",
            json!([]),
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_the_read_only_role_sees_no_write_action_on_any_page_or_record() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "readonly@demo.crm").await;
    let pages: Vec<String> = serde_json::from_value(
        browser
            .execute(
                "return [...document.querySelectorAll('.main-nav a[href]')].map((a) => a.getAttribute('href'));",
                json!([]),
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(pages.len() >= 10, "{pages:?}");
    let mut seen = Vec::new();
    let mut found = Vec::new();
    for page in &pages {
        browser.goto(&format!("{}{page}", app.url)).await.unwrap();
        settle(&browser).await;
        seen.push(page.clone());
        for action in write_actions(&browser).await {
            found.push(format!("{page}: {action}"));
        }
        // The page's first record, as its first row or card leads to it.
        let record = browser
            .execute(
                "const r = document.querySelector('main tbody tr[data-href]'); \
                 if (r) return r.dataset.href; \
                 const a = document.querySelector('main .board-card a.card-name, main tbody td.name a'); \
                 return a ? a.getAttribute('href') : null;",
                json!([]),
            )
            .await
            .unwrap();
        if let Some(record) = record.as_str() {
            browser.goto(&format!("{}{record}", app.url)).await.unwrap();
            settle(&browser).await;
            seen.push(record.to_owned());
            for action in write_actions(&browser).await {
                found.push(format!("{record} (from {page}): {action}"));
            }
        }
    }
    assert!(
        seen.iter().any(|p| p.starts_with("/accounts/"))
            && seen.iter().any(|p| p.starts_with("/parties/")),
        "record pages were visited: {seen:?}"
    );
    assert!(
        found.is_empty(),
        "write actions offered to the read-only role:\n{}",
        found.join("\n")
    );
    browser.quit().await.unwrap();
}
