//! The forecast and reports pages in headless Chromium, at a desktop width (1440 px) and a phone
//! width (390 px): a manager drilling down the team hierarchy, a rep submitting a call, the
//! marketing role's counts without money, the reports' funnel chart, and a role without the
//! forecast grant. Run with `cargo test -p tests -- --ignored browser_forecast` after building the
//! SPA into `dist/` (the README's test command does both).

use serde_json::json;
use tests::webdriver::Browser;
use tests::TestApp;

/// Desktop and phone widths.
const WIDTHS: [u32; 2] = [1440, 390];

/// A browser at `width` px, signed in as `email` (waits for the shell, not for a page's data:
/// not every role lands on a list of accounts).
async fn signed_in(app: &TestApp, email: &str, width: u32) -> Browser {
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

/// Chooses the option labelled `label` of the select `css`, as a user would (a change event).
async fn choose(browser: &Browser, css: &str, label: &str) {
    let chosen = browser
        .execute(
            "const s = document.querySelector(arguments[0]); \
             const o = [...s.options].find(o => o.textContent.trim() === arguments[1]); \
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
async fn fill(browser: &Browser, css: &str, text: &str) {
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

/// Asserts the chart `css` is an SVG with a title, a `viewBox` at 100 % width, a legend in
/// words, and no wider than the window.
async fn assert_chart(browser: &Browser, css: &str, title: &str) {
    let svg = format!("{css} svg");
    browser.wait_for(&svg, 20).await.unwrap();
    // Read in one script, so a chart redrawn meanwhile (new data) is never half read.
    let read = browser
        .execute(
            "const svg = document.querySelector(arguments[0] + ' svg'); \
             if (!svg) return null; \
             const r = svg.getBoundingClientRect(); \
             return { label: svg.getAttribute('aria-label') || '', \
                      viewBox: svg.getAttribute('viewBox'), width: svg.getAttribute('width'), \
                      titles: svg.querySelectorAll('title').length, \
                      legend: document.querySelectorAll(arguments[0] + ' .chart-legend li').length, \
                      fits: r.width > 0 && r.right <= window.innerWidth + 1 };",
            json!([css]),
        )
        .await
        .unwrap();
    assert!(read.is_object(), "{css}: no chart");
    let label = read["label"].as_str().unwrap_or_default();
    assert!(label.contains(title), "{label}");
    assert!(read["viewBox"].is_string(), "{read}");
    assert_eq!(read["width"], json!("100%"), "{read}");
    assert!(read["titles"].as_u64().unwrap_or(0) > 0, "{read}");
    assert!(read["legend"].as_u64().unwrap_or(0) > 0, "{read}");
    assert_eq!(read["fits"], json!(true), "{css} is wider than the window");
}

/// Waits until every part of the forecast page has answered (figures, history, statistics).
async fn forecast_loaded(browser: &Browser) {
    browser.wait_for("#forecast-counts", 20).await.unwrap();
    browser
        .wait_for("#forecast-submissions, #forecast-submissions-empty", 20)
        .await
        .unwrap();
    browser
        .wait_for("#statistical-basis, #statistical-insufficient", 30)
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_forecast_the_manager_drills_down_a_team_and_sees_the_chart() {
    let app = TestApp::new().await;
    for width in WIDTHS {
        let browser = signed_in(&app, "manager@demo.crm", width).await;
        browser.wait_for("a[href=\"/forecast\"]", 10).await.unwrap();
        assert_eq!(browser.count("a[href=\"/reports\"]").await.unwrap(), 1);
        crate::browser::nav_to(&browser, "/forecast").await;
        forecast_loaded(&browser).await;
        // The current quarter, the manager's own figures first.
        let period = browser
            .wait_for_text("#period-label", "FY", 10)
            .await
            .unwrap();
        assert!(period.contains(" Q"), "{period}");
        assert_eq!(
            browser.text("#forecast-subject-name").await.unwrap(),
            "Max Manager"
        );
        assert!(browser.count("#forecast-figures th").await.unwrap() >= 8);

        // The team, then one of its members, and back by the breadcrumb.
        choose(&browser, "#forecast-subject", "North").await;
        browser
            .wait_for_text("#forecast-subject-name", "North", 10)
            .await
            .unwrap();
        browser
            .wait_for("#forecast-children .child-row[data-kind=\"USER\"]", 20)
            .await
            .unwrap();
        let children = browser.text("#forecast-children").await.unwrap();
        assert!(children.contains("Rita Rep"), "{children}");
        // A team's call is adjusted, not submitted, by its manager.
        browser.wait_for("#forecast-adjust", 10).await.unwrap();
        assert_eq!(browser.count("#forecast-submit").await.unwrap(), 0);
        browser
            .click("#forecast-children .child-row[data-kind=\"USER\"]")
            .await
            .unwrap();
        browser
            .wait_for_text("#forecast-trail", "North", 10)
            .await
            .unwrap();
        let name = browser.text("#forecast-subject-name").await.unwrap();
        assert!(name.ends_with("Rep"), "{name}");
        browser.click("#forecast-trail .crumb").await.unwrap();
        browser
            .wait_for_text("#forecast-subject-name", "North", 10)
            .await
            .unwrap();

        // Forecast vs quota vs actual across the horizon, money in its currency.
        assert_chart(&browser, "#forecast-chart", "Forecast vs quota vs actual").await;
        let legend = browser.text("#forecast-chart .chart-legend").await.unwrap();
        assert!(
            legend.contains("solid") && legend.contains("hatched") && legend.contains("dotted"),
            "{legend}"
        );
        choose(&browser, "#forecast-horizon", "The next four quarters").await;
        browser.wait_for("#forecast-chart svg", 20).await.unwrap();
        assert_eq!(browser.count(".alert-error").await.unwrap(), 0);
        browser.snap(&format!("forecast-manager-{width}")).await;
        browser.quit().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_forecast_a_rep_submits_a_call_and_sees_it_in_the_history() {
    let app = TestApp::new().await;
    for width in WIDTHS {
        let browser = signed_in(&app, "rep@demo.crm", width).await;
        browser
            .goto(&format!("{}/forecast", app.url))
            .await
            .unwrap();
        forecast_loaded(&browser).await;
        assert_eq!(
            browser.text("#forecast-subject-name").await.unwrap(),
            "Rita Rep"
        );
        assert_chart(&browser, "#forecast-chart", "Forecast vs quota vs actual").await;
        // Their own call: submit, no adjusting.
        assert_eq!(browser.count("#forecast-adjust").await.unwrap(), 0);
        browser.click("#forecast-submit").await.unwrap();
        browser.wait_for("#forecast-call", 10).await.unwrap();
        fill(&browser, "#field-currency", "EUR").await;
        fill(&browser, "#field-commit", "12000").await;
        fill(&browser, "#field-bestCase", "18000").await;
        fill(&browser, "#field-note", &format!("Call at {width} px")).await;
        browser.click("#call-save").await.unwrap();
        browser
            .wait_for_text("#form-notice", "Forecast submitted", 15)
            .await
            .unwrap();
        let history = browser
            .wait_for_text("#forecast-submissions", &format!("Call at {width} px"), 15)
            .await
            .unwrap();
        assert!(history.contains("Submitted"), "{history}");
        assert!(history.contains("12,000.00 EUR"), "{history}");
        assert_eq!(browser.count("#forecast-call").await.unwrap(), 0);
        browser.snap(&format!("forecast-rep-{width}")).await;
        browser.quit().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_forecast_marketing_sees_counts_without_money_or_errors() {
    let app = TestApp::new().await;
    for width in WIDTHS {
        let browser = signed_in(&app, "marketing@demo.crm", width).await;
        browser.wait_for("a[href=\"/forecast\"]", 10).await.unwrap();
        crate::browser::nav_to(&browser, "/forecast").await;
        forecast_loaded(&browser).await;
        assert_eq!(
            browser.text("#forecast-subject-name").await.unwrap(),
            "Mia Marketing"
        );
        // Counts, and a word that the amounts are hidden: no money, no error banner.
        let counts = browser.text("#forecast-counts").await.unwrap();
        assert!(counts.chars().any(|c| c.is_ascii_digit()), "{counts}");
        browser
            .wait_for("#forecast-amounts-hidden", 10)
            .await
            .unwrap();
        assert_eq!(browser.count(".figures-row").await.unwrap(), 0);
        let table = browser.text("#forecast-figures").await.unwrap();
        assert!(
            !table.contains("EUR") && !table.contains("Quota"),
            "{table}"
        );
        assert_chart(&browser, "#forecast-chart", "Opportunities per period").await;
        assert_eq!(browser.count("#forecast-submit").await.unwrap(), 0);
        assert_eq!(browser.count("#forecast-adjust").await.unwrap(), 0);
        assert_eq!(browser.count("#backtest-chart").await.unwrap(), 0);
        assert_eq!(browser.count(".alert-error").await.unwrap(), 0);
        browser.snap(&format!("forecast-marketing-{width}")).await;
        browser.quit().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_forecast_the_reports_show_the_funnel_chart() {
    let app = TestApp::new().await;
    for width in WIDTHS {
        let browser = signed_in(&app, "manager@demo.crm", width).await;
        crate::browser::nav_to(&browser, "/reports").await;
        browser
            .wait_for("#report-pipeline-by-stage .stage-row", 20)
            .await
            .unwrap();
        assert_chart(&browser, "#chart-funnel", "Funnel").await;
        let funnel = browser.text("#chart-funnel").await.unwrap();
        assert!(funnel.contains("entered"), "{funnel}");
        for report in ["pipeline-by-stage", "performance", "funnel", "slippage"] {
            assert_eq!(
                browser.count(&format!("#csv-{report}")).await.unwrap(),
                1,
                "{report}"
            );
        }
        // Another grouping reads the reports again.
        choose(&browser, "#report-group", "Owner").await;
        browser
            .wait_for_text("#report-performance h2", "by owner", 20)
            .await
            .unwrap();
        browser.wait_for("#chart-funnel svg", 20).await.unwrap();
        // The CSV is fetched with the session's token and saved; nothing goes wrong.
        browser.click("#csv-funnel").await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(browser.count("#csv-error").await.unwrap(), 0);
        assert_eq!(browser.count(".alert-error").await.unwrap(), 0);
        browser.snap(&format!("reports-{width}")).await;
        browser.quit().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_forecast_a_role_without_the_grant_gets_no_link_and_a_not_allowed_page() {
    let app = TestApp::new().await;
    let browser = signed_in(&app, "support@demo.crm", 390).await;
    assert_eq!(browser.count("a[href=\"/forecast\"]").await.unwrap(), 0);
    browser
        .goto(&format!("{}/forecast", app.url))
        .await
        .unwrap();
    browser
        .wait_for_text("#not-allowed", "does not give access to this page", 20)
        .await
        .unwrap();
    assert_eq!(browser.count("#forecast-figures").await.unwrap(), 0);
    browser.quit().await.unwrap();
}

/// Dates the history of the first open deal the rep may read (their team's) six weeks back: its
/// stage has not moved since.
async fn a_stuck_deal_of_the_rep(app: &TestApp) -> String {
    let rep = app.login("rep@demo.crm").await;
    let data = app
        .ok(
            &rep,
            "{ opportunities(filter: {status: OPEN}, first: 1) { edges { node { id name } } } }",
            json!({}),
        )
        .await;
    let node = &data["opportunities"]["edges"][0]["node"];
    let id = server::kit::ids::parse_global_id(node["id"].as_str().unwrap())
        .unwrap()
        .1;
    use entity::opportunities::opportunity_history as h;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::ConnectionTrait;
    let stmt = Query::update()
        .table(h::Entity)
        .value(
            h::Column::OccurredAt,
            chrono::Utc::now() - chrono::Duration::days(45),
        )
        .and_where(Expr::col(h::Column::OpportunityId).eq(id))
        .to_owned();
    app.state.db.execute(&stmt).await.unwrap();
    node["name"].as_str().unwrap().to_owned()
}

/// Opens the home page from the navigation and waits for its cards.
async fn open_home(browser: &Browser) {
    browser
        .wait_for(".main-nav a[href=\"/home\"]", 10)
        .await
        .unwrap();
    crate::browser::nav_to(browser, "/home").await;
    browser.wait_for_url("/home", 10).await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
}

/// Asserts no card of the home page is wider than the window.
async fn home_fits(browser: &Browser) {
    let fits = browser
        .execute(
            "return [...document.querySelectorAll('#home .card')].every( \
             (c) => c.getBoundingClientRect().right <= window.innerWidth + 1);",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(fits, json!(true), "a home card is wider than the window");
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_home_the_manager_sees_the_team_against_quota_and_its_stuck_deal() {
    let app = TestApp::new().await;
    let stuck = a_stuck_deal_of_the_rep(&app).await;

    // The manager's home: the top team they manage ("All sales", over North and South) against
    // its quota, their own quarter, their tasks with the records they belong to, and the team's
    // stuck deal.
    let browser = signed_in(&app, "manager@demo.crm", 1440).await;
    open_home(&browser).await;
    let teams = browser
        .wait_for_text("#home-teams", "All sales", 20)
        .await
        .unwrap();
    assert!(teams.contains(" won") && teams.contains(" of "), "{teams}");
    assert!(teams.contains("Commit") && teams.contains("EUR"), "{teams}");
    assert!(browser.count("#home-teams meter").await.unwrap() > 0);
    let quarter = browser.text("#home-quarter").await.unwrap();
    assert!(quarter.contains("My quarter · FY"), "{quarter}");
    let deals = browser.text("#home-stuck").await.unwrap();
    assert!(deals.contains(&stuck), "{stuck} not in {deals}");
    // (Column headings are upper case on screen.)
    assert!(deals.to_lowercase().contains("amount"), "{deals}");
    assert!(browser.count("#home-tasks").await.unwrap() == 1);
    home_fits(&browser).await;
    browser.snap("home-manager").await;
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_home_a_rep_on_a_phone_sees_attainment_tasks_with_their_records() {
    let app = TestApp::new().await;
    let stuck = a_stuck_deal_of_the_rep(&app).await;

    // The rep on a phone: their quota attainment, the overdue task with its deal and account as
    // links, and the stuck deal their row scope reaches.
    let browser = signed_in(&app, "rep@demo.crm", 390).await;
    open_home(&browser).await;
    let quarter = browser
        .wait_for_text("#home-quarter", " won", 20)
        .await
        .unwrap();
    assert!(
        quarter.contains(" of ") && quarter.contains('%'),
        "{quarter}"
    );
    assert_eq!(browser.count("#home-teams").await.unwrap(), 0);
    let summary = browser.text("#home-tasks-summary").await.unwrap();
    assert!(summary.starts_with("1 overdue"), "{summary}");
    let tasks = browser.text("#home-task-list").await.unwrap();
    assert!(tasks.contains("Send the revised offer"), "{tasks}");
    assert!(
        browser
            .count("#home-task-list a[href^=\"/opportunities/\"]")
            .await
            .unwrap()
            > 0
    );
    assert!(browser.text("#home-stuck").await.unwrap().contains(&stuck));
    home_fits(&browser).await;
    browser.snap("home-rep-phone").await;
    // A linked record opens its page (clicked by script: the shell's reminders, arriving late,
    // may move the page under a pointer click).
    browser
        .execute(
            "document.querySelector('#home-task-list a[href^=\"/opportunities/\"]').click();",
            json!([]),
        )
        .await
        .unwrap();
    browser.wait_for_url("/opportunities/", 10).await.unwrap();
    browser.wait_for("#opportunity-status", 20).await.unwrap();
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_home_marketing_sees_no_money_and_no_error() {
    let app = TestApp::new().await;
    // Marketing: no money anywhere, no error, no own quarter (it sells nothing).
    let browser = signed_in(&app, "marketing@demo.crm", 1440).await;
    open_home(&browser).await;
    let home = browser.text("#home").await.unwrap();
    assert!(!home.contains("EUR") && !home.contains("USD"), "{home}");
    assert_eq!(browser.count("#home .alert-error").await.unwrap(), 0);
    assert_eq!(browser.count("#home-quarter").await.unwrap(), 0);
    browser.quit().await.unwrap();
}
