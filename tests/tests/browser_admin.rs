//! Administration in the app, in headless Chromium: an administrator invites a colleague and
//! puts them in a new sub-team; the colleague joins through the link mailed to a local SMTP sink,
//! chooses a password and lands signed in with the role given; a sales rep finds neither page.

use crate::browser::{nav_to, sign_in};
use serde_json::json;
use server::config::{AppConfig, SmtpRelay};
use tests::smtp::SmtpSink;
use tests::webdriver::Browser;
use tests::TestApp;

/// Ticks the checkbox of the `label` whose text contains `text` inside `css`.
async fn tick(browser: &Browser, css: &str, text: &str) {
    let found = browser
        .execute(
            "const l = [...document.querySelectorAll(arguments[0] + ' label')] \
               .find((l) => l.textContent.includes(arguments[1])); \
             if (!l) return false; l.querySelector('input').click(); return true;",
            json!([css, text]),
        )
        .await
        .unwrap();
    assert_eq!(found, json!(true), "no choice {text:?} in {css}");
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_admin_invites_a_colleague_into_a_new_sub_team_and_they_join_by_the_mailed_link()
{
    let sink = SmtpSink::start().await;
    let app = TestApp::with_config(AppConfig {
        smtp: Some(SmtpRelay {
            host: "127.0.0.1".into(),
            port: sink.port,
        }),
        ..AppConfig::default()
    })
    .await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;

    // Invite Nina as a sales rep.
    nav_to(&browser, "/settings/users").await;
    browser
        .wait_for("#users-table .user-row", 20)
        .await
        .unwrap();
    browser.click("#invite-user").await.unwrap();
    browser.wait_for("#user-dialog", 10).await.unwrap();
    // A bad address is refused next to its field, and nothing is sent.
    browser
        .type_into("#field-email", "nina at example")
        .await
        .unwrap();
    browser
        .type_into("#field-displayName", "Nina Newcomer")
        .await
        .unwrap();
    browser
        .choose("#field-roleKey", "Sales representative")
        .await
        .unwrap();
    browser.click("#save-user").await.unwrap();
    browser
        .wait_for_text("#field-email-error", "not a valid e-mail", 10)
        .await
        .unwrap();
    browser
        .execute(
            "const e = document.getElementById('field-email'); e.value = ''; \
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            json!([]),
        )
        .await
        .unwrap();
    browser
        .type_into("#field-email", "nina@example.com")
        .await
        .unwrap();
    browser.click("#save-user").await.unwrap();
    browser
        .wait_for_text(
            "#form-notice",
            "invitation was sent to nina@example.com",
            10,
        )
        .await
        .unwrap();
    browser
        .wait_for_text("#users-table", "Nina Newcomer", 10)
        .await
        .unwrap();
    let state = browser
        .execute(
            "const r = [...document.querySelectorAll('#users-table .user-row')] \
               .find((r) => r.textContent.includes('Nina Newcomer')); \
             return r.querySelector('.badge').textContent.trim();",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(state, json!("Invited"));
    browser.snap("admin-users").await;

    // A new team under North, with Nina in it.
    nav_to(&browser, "/settings/teams").await;
    browser
        .wait_for("#teams-table .team-row", 20)
        .await
        .unwrap();
    browser.click("#new-team").await.unwrap();
    browser.wait_for("#team-dialog", 10).await.unwrap();
    browser
        .type_into("#field-name", "North East")
        .await
        .unwrap();
    browser.choose("#field-parentId", "North").await.unwrap();
    browser
        .choose("#field-managerId", "Max Manager")
        .await
        .unwrap();
    // Invited users are not members yet: only active users are offered.
    let offered = browser.text("#team-members").await.unwrap();
    assert!(!offered.contains("Nina"), "{offered}");
    tick(&browser, "#team-members", "Rita Rep").await;
    browser.click("#save-team").await.unwrap();
    browser
        .wait_for_text("#form-notice", "North East is saved", 10)
        .await
        .unwrap();
    // The list reloads after the notice.
    browser
        .wait_for_text("#teams-table", "North East", 10)
        .await
        .unwrap();
    let row = browser
        .execute(
            "const r = [...document.querySelectorAll('#teams-table .team-row')] \
               .find((r) => r.textContent.includes('North East')); return r.textContent;",
            json!([]),
        )
        .await
        .unwrap();
    let row = row.as_str().unwrap();
    assert!(
        row.contains("Max Manager") && row.contains("Rita Rep") && row.contains("North"),
        "{row}"
    );
    browser.snap("admin-teams").await;

    // The invitation goes out through the job queue to the SMTP sink.
    let pass = server::jobs::run_due(&app.state, server::db::now())
        .await
        .unwrap();
    assert_eq!(pass.failed, 0);
    let mails = sink.to("nina@example.com");
    assert_eq!(mails.len(), 1, "{:?}", sink.messages());
    let link = mails[0].link("/welcome").unwrap();
    let path = &link[link.find("/welcome").unwrap()..];

    // Nina follows the link (signed out), chooses her password and is signed in.
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 20).await.unwrap();
    browser.goto(&format!("{}{path}", app.url)).await.unwrap();
    browser.wait_for("#welcome-form", 20).await.unwrap();
    browser
        .type_into("#field-password", "nina's own secret")
        .await
        .unwrap();
    browser
        .type_into("#field-repeat", "nina's own secret")
        .await
        .unwrap();
    browser.click("#welcome-submit").await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    browser
        .wait_for_text("#current-user", "Nina Newcomer", 10)
        .await
        .unwrap();
    let role = browser.text("#current-role").await.unwrap();
    assert_eq!(role, "Sales representative");
    // A sales rep's navigation has no administration, and the address says so.
    assert_eq!(
        browser
            .count(".main-nav a[href='/settings/users']")
            .await
            .unwrap(),
        0
    );
    browser
        .goto(&format!("{}/settings/users", app.url))
        .await
        .unwrap();
    browser.wait_for("#not-allowed", 20).await.unwrap();
    assert_eq!(browser.count("#users-table").await.unwrap(), 0);

    // Her own account page lists this session and changes her password.
    browser.click("#current-user").await.unwrap();
    browser
        .wait_for("#sessions-table .session-row", 20)
        .await
        .unwrap();
    browser
        .type_into("#field-currentPassword", "nina's own secret")
        .await
        .unwrap();
    browser
        .type_into("#field-newPassword", "an even better one")
        .await
        .unwrap();
    browser
        .type_into("#field-repeat", "an even better one")
        .await
        .unwrap();
    browser.click("#change-password").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Your password is changed", 10)
        .await
        .unwrap();
    let v = app
        .gql(
            None,
            "mutation { login(input: {email: \"nina@example.com\", password: \"an even better one\"}) { me { role { key } } } }",
            json!({}),
        )
        .await;
    assert_eq!(v["data"]["login"]["me"]["role"]["key"], "sales_rep", "{v}");
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_admin_makes_a_role_from_a_builtin_one_changes_its_matrix_and_previews_it() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let rep_id = app.user_id(&rep, "rep@demo.crm").await;
    let d = app
        .ok(
            &admin,
            "query($o: ID!) { accounts(first: 1, filter: {ownerId: $o}) { edges { node { id name } } } }",
            json!({"o": rep_id}),
        )
        .await;
    let account = &d["accounts"]["edges"][0]["node"];
    let (account_id, account_name) = (
        account["id"].as_str().unwrap(),
        account["name"].as_str().unwrap(),
    );
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;
    // The admin opened an account lately: the preview offers it.
    browser
        .goto(&format!("{}/accounts/{account_id}", app.url))
        .await
        .unwrap();
    browser.wait_for_text("h1", account_name, 20).await.unwrap();

    nav_to(&browser, "/settings/roles").await;
    browser
        .wait_for("#permission-matrix select", 20)
        .await
        .unwrap();
    // A builtin role is shown as it is: nothing in its matrix can be changed.
    browser
        .click(".role-choice[data-key='sales_rep']")
        .await
        .unwrap();
    browser.wait_for("#builtin-hint", 10).await.unwrap();
    browser
        .wait_for_text("#role-title", "Sales representative", 10)
        .await
        .unwrap();
    assert_eq!(
        browser
            .count("#permission-matrix select:not([disabled])")
            .await
            .unwrap(),
        0
    );
    assert_eq!(browser.count("#save-role").await.unwrap(), 0);

    // A new role, copied from the sales rep's.
    browser.click("#new-role").await.unwrap();
    browser.wait_for("#role-dialog", 10).await.unwrap();
    browser
        .type_into("#field-name", "Key account reps")
        .await
        .unwrap();
    browser
        .choose("#field-copyFromId", "Sales representative")
        .await
        .unwrap();
    browser.click("#create-role").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Key account reps is created", 10)
        .await
        .unwrap();
    browser
        .wait_for_text("#role-title", "Key account reps", 10)
        .await
        .unwrap();
    let read = "#permission-matrix select[data-object='account'][data-action='read']";
    browser
        .wait_for(&format!("{read}:not([disabled])"), 10)
        .await
        .unwrap();
    assert_eq!(
        browser
            .attribute(read, "data-scope")
            .await
            .unwrap()
            .as_deref(),
        Some("team"),
        "the copy starts with the rep's grants"
    );
    // Every account, and their revenue, for this role.
    browser.choose(read, "All").await.unwrap();
    browser
        .click("#field-grants input.field-read[aria-label='Account · Annual revenue: read']")
        .await
        .unwrap();
    browser.click("#save-role").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Key account reps is saved", 10)
        .await
        .unwrap();
    let saved = app
        .ok(
            &admin,
            "{ roles { key grants { object action scope } fieldGrants { object field read write } } }",
            json!({}),
        )
        .await;
    let role = saved["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "key_account_reps")
        .unwrap()
        .clone();
    assert!(role["grants"]
        .as_array()
        .unwrap()
        .contains(&json!({"object": "account", "action": "read", "scope": "all"})));
    assert!(role["fieldGrants"].as_array().unwrap().contains(
        &json!({"object": "account", "field": "annualRevenue", "read": true, "write": false})
    ));

    // The preview: a newcomer of this role sees the rep's account and its revenue…
    browser
        .choose("#field-recordId", account_name)
        .await
        .unwrap();
    browser.click("#run-preview").await.unwrap();
    browser
        .wait_for("#preview-result[data-visible='true']", 10)
        .await
        .unwrap();
    let text = browser.text("#preview-result").await.unwrap();
    assert!(text.contains("Annual revenue: read only"), "{text}");
    assert!(text.contains("Read: every record"), "{text}");
    browser.snap("admin-roles").await;
    // …a newcomer of the builtin sales rep role does not.
    browser
        .click(".role-choice[data-key='sales_rep']")
        .await
        .unwrap();
    browser
        .wait_for_text("#role-title", "Sales representative", 10)
        .await
        .unwrap();
    browser.click("#run-preview").await.unwrap();
    browser
        .wait_for("#preview-result[data-visible='false']", 10)
        .await
        .unwrap();

    // A sales rep has no such page.
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 20).await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    assert_eq!(
        browser
            .count(".main-nav a[href='/settings/roles']")
            .await
            .unwrap(),
        0
    );
    browser
        .goto(&format!("{}/settings/roles", app.url))
        .await
        .unwrap();
    browser.wait_for("#not-allowed", 20).await.unwrap();
    browser.quit().await.unwrap();
}

/// Whether `css` matches nothing once the board has loaded (the count, for messages).
async fn count(browser: &Browser, css: &str) -> u64 {
    browser.count(css).await.unwrap() as u64
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_admin_sets_up_a_colleague_with_a_custom_role_team_and_field_and_their_board_obeys(
) {
    let sink = SmtpSink::start().await;
    let app = TestApp::with_config(AppConfig {
        smtp: Some(SmtpRelay {
            host: "127.0.0.1".into(),
            port: sink.port,
        }),
        ..AppConfig::default()
    })
    .await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;

    // A custom role, copied from the sales rep's.
    nav_to(&browser, "/settings/roles").await;
    browser
        .wait_for("#permission-matrix select", 20)
        .await
        .unwrap();
    browser.click("#new-role").await.unwrap();
    browser.wait_for("#role-dialog", 10).await.unwrap();
    browser
        .type_into("#field-name", "Field reps")
        .await
        .unwrap();
    browser
        .choose("#field-copyFromId", "Sales representative")
        .await
        .unwrap();
    browser.click("#create-role").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Field reps is created", 10)
        .await
        .unwrap();

    // Nina is invited with that role and joins by the mailed link.
    nav_to(&browser, "/settings/users").await;
    browser
        .wait_for("#users-table .user-row", 20)
        .await
        .unwrap();
    browser.click("#invite-user").await.unwrap();
    browser.wait_for("#user-dialog", 10).await.unwrap();
    browser
        .type_into("#field-email", "nina@example.com")
        .await
        .unwrap();
    browser
        .type_into("#field-displayName", "Nina Newcomer")
        .await
        .unwrap();
    browser
        .choose("#field-roleKey", "Field reps")
        .await
        .unwrap();
    browser.click("#save-user").await.unwrap();
    browser
        .wait_for_text("#form-notice", "invitation was sent", 10)
        .await
        .unwrap();
    server::jobs::run_due(&app.state, server::db::now())
        .await
        .unwrap();
    let link = sink.to("nina@example.com")[0].link("/welcome").unwrap();
    let path = link[link.find("/welcome").unwrap()..].to_string();
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 20).await.unwrap();
    browser.goto(&format!("{}{path}", app.url)).await.unwrap();
    browser.wait_for("#welcome-form", 20).await.unwrap();
    browser
        .type_into("#field-password", "nina's own secret")
        .await
        .unwrap();
    browser
        .type_into("#field-repeat", "nina's own secret")
        .await
        .unwrap();
    browser.click("#welcome-submit").await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 20).await.unwrap();

    // The administrator puts her in a new sub-team of North with Rita.
    sign_in(&browser, &app, "admin@demo.crm").await;
    nav_to(&browser, "/settings/teams").await;
    browser
        .wait_for("#teams-table .team-row", 20)
        .await
        .unwrap();
    browser.click("#new-team").await.unwrap();
    browser.wait_for("#team-dialog", 10).await.unwrap();
    browser
        .type_into("#field-name", "North East")
        .await
        .unwrap();
    browser.choose("#field-parentId", "North").await.unwrap();
    tick(&browser, "#team-members", "Nina Newcomer").await;
    tick(&browser, "#team-members", "Rita Rep").await;
    browser.click("#save-team").await.unwrap();
    browser
        .wait_for_text("#form-notice", "North East is saved", 10)
        .await
        .unwrap();

    // Two fields of opportunities: a region everyone reads, a discount code Field reps may not.
    nav_to(&browser, "/settings/custom-fields").await;
    browser.wait_for("#custom-fields-table", 20).await.unwrap();
    let add = |label: &'static str, ty: &'static str| {
        let browser = &browser;
        async move {
            browser.click("#new-custom-field").await.unwrap();
            browser.wait_for("#custom-field-dialog", 10).await.unwrap();
            browser.type_into("#field-label", label).await.unwrap();
            browser.choose("#field-type", ty).await.unwrap();
            browser.click("#field-showInList").await.unwrap();
        }
    };
    // Bad input first: a pick-list without choices is refused next to its field.
    add("Region", "Pick-list").await;
    browser.click("#save-custom-field").await.unwrap();
    browser
        .wait_for_text("#field-options-error", "choices", 10)
        .await
        .unwrap();
    browser
        .type_into("#field-options", "EMEA\nAPAC")
        .await
        .unwrap();
    browser.click("#save-custom-field").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Region is saved", 10)
        .await
        .unwrap();
    add("Discount code", "Text").await;
    browser.click("#field-everyone").await.unwrap();
    browser
        .wait_for("#field-access tr[data-role='field_reps']", 10)
        .await
        .unwrap();
    // Sales reps and managers read and change it; Field reps get nothing.
    for role in ["sales_rep", "sales_manager"] {
        browser
            .click(&format!(
                "#field-access tr[data-role='{role}'] .access-read"
            ))
            .await
            .unwrap();
        browser
            .click(&format!(
                "#field-access tr[data-role='{role}'] .access-write"
            ))
            .await
            .unwrap();
    }
    browser.click("#save-custom-field").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Discount code is saved", 10)
        .await
        .unwrap();
    // The table lists it once it has loaded again.
    let row = browser
        .wait_for_text("#custom-fields-table", "discountCode", 10)
        .await
        .unwrap();
    assert!(row.contains("Discount code"), "{row}");
    browser.snap("admin-custom-fields").await;

    // The administrator fills both on one of Rita's deals, on its page.
    let admin = app.login("admin@demo.crm").await;
    let rita = app.login("rep@demo.crm").await;
    let rita_id = app.user_id(&rita, "rep@demo.crm").await;
    // The first of Rita's cards on the default pipeline's board.
    let d = app
        .ok(
            &admin,
            "query($o: [ID!]) { pipelineBoard(first: 1, filter: {ownerIds: $o}) { columns { cards { edges { node { id name } } } } } }",
            json!({"o": [rita_id]}),
        )
        .await;
    let deal = d["pipelineBoard"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| c["cards"]["edges"].get(0).map(|e| e["node"].clone()))
        .expect("a card of Rita's");
    let (deal_id, deal_name) = (deal["id"].as_str().unwrap(), deal["name"].as_str().unwrap());
    browser
        .goto(&format!("{}/opportunities/{deal_id}", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#custom-values-form #custom-discountCode", 20)
        .await
        .unwrap();
    browser.choose("#custom-region", "EMEA").await.unwrap();
    browser
        .type_into("#custom-discountCode", "VIP-40")
        .await
        .unwrap();
    browser.click("#save-custom-values").await.unwrap();
    browser
        .wait_for_text("#custom-values-notice", "saved", 10)
        .await
        .unwrap();
    let card = format!(".board-card[data-id='{deal_id}']");
    nav_to(&browser, "/pipeline").await;
    browser.wait_for(&card, 20).await.unwrap();
    let shown = browser.text(&card).await.unwrap();
    assert!(
        shown.contains("Region: EMEA") && shown.contains("Discount code: VIP-40"),
        "{shown}"
    );
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 20).await.unwrap();

    // Nina's board: her team's deals only, the region shown, the discount code nowhere.
    browser.goto(&format!("{}/login", app.url)).await.unwrap();
    browser
        .type_into("#email", "nina@example.com")
        .await
        .unwrap();
    browser
        .type_into("#password", "nina's own secret")
        .await
        .unwrap();
    browser.click("#login-submit").await.unwrap();
    browser.wait_for("#home .card", 20).await.unwrap();
    assert_eq!(
        count(&browser, ".main-nav a[href='/settings/custom-fields']").await,
        0
    );
    nav_to(&browser, "/pipeline").await;
    browser.wait_for(&card, 20).await.unwrap();
    let shown = browser.text(&card).await.unwrap();
    assert!(shown.contains(deal_name), "{shown}");
    assert!(shown.contains("Region: EMEA"), "{shown}");
    assert!(!shown.contains("VIP-40"), "{shown}");
    assert_eq!(
        count(&browser, ".card-custom[data-key='discountCode']").await,
        0
    );
    let owners = browser
        .execute(
            "return [...document.querySelectorAll('.board-card .card-owner')].map((o) => o.textContent.trim());",
            json!([]),
        )
        .await
        .unwrap();
    let owners: Vec<String> = serde_json::from_value(owners).unwrap();
    assert!(!owners.is_empty());
    assert!(
        owners
            .iter()
            .all(|o| o == "Rita Rep" || o == "Nina Newcomer"),
        "only her team's deals: {owners:?}"
    );
    browser.snap("custom-field-board").await;
    // Her copy of the deal's page shows the region and not the code, read-only as her role says.
    browser.click(&format!("{card} .card-name")).await.unwrap();
    browser.wait_for(".custom-values", 20).await.unwrap();
    let panel = browser.text(".custom-values").await.unwrap();
    assert!(
        panel.contains("Region") && !panel.contains("Discount"),
        "{panel}"
    );
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_admin_keeps_the_opportunity_types_and_a_deal_takes_one() {
    let app = TestApp::new().await;
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;

    nav_to(&browser, "/settings/picklists").await;
    browser
        .wait_for("#picklist-table .picklist-row", 20)
        .await
        .unwrap();
    // An empty value is refused next to its field.
    browser.click("#add-value").await.unwrap();
    browser
        .wait_for_text("#field-label-error", "required", 10)
        .await
        .unwrap();
    browser
        .type_into("#field-label", "Partner resale")
        .await
        .unwrap();
    browser.click("#add-value").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Partner resale is added", 10)
        .await
        .unwrap();
    // Moved up one place, then renamed; its key stays.
    let row = "#picklist-table .picklist-row:last-child";
    browser
        .wait_for_text(row, "partner_resale", 10)
        .await
        .unwrap();
    browser.click(&format!("{row} .move-up")).await.unwrap();
    browser
        .wait_for_text("#form-notice", "Partner resale is moved", 10)
        .await
        .unwrap();
    let second_last = "#picklist-table .picklist-row:nth-last-child(2)";
    browser
        .wait_for_text(second_last, "partner_resale", 10)
        .await
        .unwrap();
    browser
        .click(&format!("{second_last} .rename-value"))
        .await
        .unwrap();
    browser.wait_for("#rename-value-dialog", 10).await.unwrap();
    browser
        .execute(
            "document.querySelector('#rename-value-dialog #field-label').value = '';",
            json!([]),
        )
        .await
        .unwrap();
    browser
        .type_into("#rename-value-dialog #field-label", "Resale via partner")
        .await
        .unwrap();
    browser.click("#save-value").await.unwrap();
    browser
        .wait_for_text("#form-notice", "renamed to Resale via partner", 10)
        .await
        .unwrap();
    // "Services" archived: no longer offered.
    let services = browser
        .execute(
            "const r = [...document.querySelectorAll('#picklist-table .picklist-row')] \
               .find((r) => r.textContent.includes('services')); \
             r.querySelector('.archive-value').click(); return true;",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(services, json!(true));
    browser
        .wait_for_text("#form-notice", "Services is archived", 10)
        .await
        .unwrap();
    browser.snap("admin-picklists").await;

    // A deal takes the renamed type on its page; the archived one is not offered.
    let admin = app.login("admin@demo.crm").await;
    let d = app
        .ok(
            &admin,
            "{ opportunities(first: 1, filter: {status: OPEN}) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let deal_id = d["opportunities"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    browser
        .goto(&format!("{}/opportunities/{deal_id}", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#field-opportunityType option[value='partner_resale']", 20)
        .await
        .unwrap();
    assert_eq!(
        count(&browser, "#field-opportunityType option[value='services']").await,
        0
    );
    browser
        .choose("#field-opportunityType", "Resale via partner")
        .await
        .unwrap();
    browser
        .type_into("#field-description", "Through the Gotham reseller.")
        .await
        .unwrap();
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Saved", 10)
        .await
        .unwrap();
    let d = app
        .ok(
            &admin,
            "query($id: ID!) { opportunity(id: $id) { description opportunityType { key label } } }",
            json!({"id": deal_id}),
        )
        .await;
    assert_eq!(
        d["opportunity"]["opportunityType"]["label"],
        "Resale via partner"
    );
    assert!(d["opportunity"]["description"]
        .as_str()
        .unwrap()
        .ends_with("Through the Gotham reseller."));
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("#email", 20).await.unwrap();

    // A sales rep reads the types in the form but finds no Pick-lists page.
    sign_in(&browser, &app, "rep@demo.crm").await;
    assert_eq!(count(&browser, ".main-nav a[href='/pipeline']").await, 1);
    assert_eq!(
        count(&browser, ".main-nav a[href='/settings/picklists']").await,
        0
    );
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_person_page_shows_and_saves_their_custom_fields() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    app.ok(
        &admin,
        "mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { id } }",
        json!({"i": {"object": "PARTY", "label": "Preferred language", "type": "TEXT"}}),
    )
    .await;
    let d = app
        .ok(
            &admin,
            "{ parties(first: 1, filter: {search: \"coyote\"}) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let person = d["parties"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "manager@demo.crm").await;
    browser
        .goto(&format!("{}/parties/{person}", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#custom-values-form #custom-preferredLanguage", 20)
        .await
        .unwrap();
    browser
        .type_into("#custom-preferredLanguage", "Portuguese")
        .await
        .unwrap();
    browser.click("#save-custom-values").await.unwrap();
    browser
        .wait_for_text("#custom-values-notice", "saved", 10)
        .await
        .unwrap();
    let d = app
        .ok(
            &admin,
            "query($id: ID!) { party(id: $id) { ... on Person { customFields { key value } } } }",
            json!({"id": person}),
        )
        .await;
    assert_eq!(
        d["party"]["customFields"][0],
        json!({"key": "preferredLanguage", "value": "Portuguese"})
    );
    browser.quit().await.unwrap();
}

/// A rep keeps an organisation's tax ids and its ids in other systems on its page (a bad number
/// refused next to its field, removal confirmed); support, who may edit parties but not read tax
/// ids, sees no tax part at all.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_a_rep_keeps_an_organisations_tax_and_external_ids() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let org = app
        .ok(
            &rep,
            "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { party { id } } }",
            json!({"i": {"name": "Initrode AG"}}),
        )
        .await["createOrganization"]["party"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "rep@demo.crm").await;
    browser
        .goto(&format!("{}/parties/{org}", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#identifiers #tax-form", 20)
        .await
        .unwrap();

    // An EIN is American: the country is refused next to its field and nothing is written.
    browser
        .choose("#field-kind", "EIN (United States)")
        .await
        .unwrap();
    browser.type_into("#field-country", "de").await.unwrap();
    browser
        .type_into("#field-taxValue", "12-3456789")
        .await
        .unwrap();
    browser.click("#tax-add").await.unwrap();
    browser
        .wait_for_text("#field-country-error", "United States", 10)
        .await
        .unwrap();
    assert_eq!(app.count_rows("party_tax_ids").await, 0);
    browser.choose("#field-kind", "VAT number").await.unwrap();
    browser.click("#tax-add").await.unwrap();
    browser
        .wait_for_text("#tax-ids .tax-id", "VAT number · DE · 12-3456789", 10)
        .await
        .unwrap();

    browser.type_into("#field-system", "ERP").await.unwrap();
    browser
        .type_into("#field-externalValue", "C-10010")
        .await
        .unwrap();
    browser.click("#external-add").await.unwrap();
    browser
        .wait_for_text("#external-ids .external-id", "erp: C-10010", 10)
        .await
        .unwrap();
    browser.snap("identifiers").await;
    let by = "query { partyByExternalId(system: \"erp\", value: \"C-10010\") { id taxIds { kind country value } } }";
    let d = app.ok(&rep, by, json!({})).await;
    assert_eq!(d["partyByExternalId"]["id"], org.as_str());
    assert_eq!(
        d["partyByExternalId"]["taxIds"],
        json!([{"kind": "VAT", "country": "DE", "value": "12-3456789"}])
    );

    // Removing asks first.
    browser.click("#tax-ids .id-remove").await.unwrap();
    browser.click("#tax-ids .id-remove-confirm").await.unwrap();
    browser
        .wait_for_text("#tax-ids", "No tax ids yet", 10)
        .await
        .unwrap();
    assert_eq!(app.count_rows("party_tax_ids").await, 0);
    browser.quit().await.unwrap();

    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "support@demo.crm").await;
    browser
        .goto(&format!("{}/parties/{org}", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#identifiers #external-form", 20)
        .await
        .unwrap();
    assert_eq!(browser.count("#tax-ids").await.unwrap(), 0);
    assert_eq!(browser.count("#tax-form").await.unwrap(), 0);
    browser
        .wait_for_text("#external-ids", "erp: C-10010", 10)
        .await
        .unwrap();
    browser.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and a built dist/; run by scripts/test.sh"]
async fn browser_an_admin_maps_a_lead_custom_field_into_the_account_a_conversion_creates() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    for (object, label, ty, options) in [
        ("LEAD", "Budget", "MONEY", json!([])),
        ("ACCOUNT", "Budget", "MONEY", json!([])),
        ("ACCOUNT", "Segment", "PICK", json!(["smb", "enterprise"])),
    ] {
        app.ok(
            &admin,
            "mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { id } }",
            json!({"i": {"object": object, "label": label, "type": ty, "options": options}}),
        )
        .await;
    }
    let browser = Browser::start().await.unwrap();
    sign_in(&browser, &app, "admin@demo.crm").await;
    nav_to(&browser, "/settings/lead-mapping").await;
    let rows = "#mapping-table .mapping-row";
    browser.wait_for(rows, 20).await.unwrap();
    let before = count(&browser, rows).await;

    // Two rows: a lead's budget into the account's budget, and (wrongly) into its segment.
    for target_field in ["Budget (custom)", "Segment (custom)"] {
        browser.click("#add-mapping").await.unwrap();
        let row = "#mapping-table .mapping-row:last-child";
        browser
            .choose(&format!("{row} .mapping-target"), "Account")
            .await
            .unwrap();
        browser
            .choose(&format!("{row} .mapping-target-field"), target_field)
            .await
            .unwrap();
        browser
            .choose(&format!("{row} .mapping-source-field"), "Budget (custom)")
            .await
            .unwrap();
    }
    assert_eq!(count(&browser, rows).await, before + 2);
    browser.click("#save").await.unwrap();
    // The wrong row is refused on its own line, saying why; nothing is saved.
    browser
        .wait_for_text(
            "#mapping-table .mapping-row:last-child .row-error",
            "holds MONEY",
            10,
        )
        .await
        .unwrap();
    let mapping = "{ leadConversionMapping { target targetField sourceField } }";
    let has_budget = |d: &serde_json::Value| {
        d["leadConversionMapping"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["targetField"] == "custom.budget" && l["sourceField"] == "custom.budget")
    };
    assert!(!has_budget(&app.ok(&admin, mapping, json!({})).await));
    browser.snap("lead-mapping-custom-fields").await;

    // Without it, the mapping is saved with the custom line.
    browser
        .click("#mapping-table .mapping-row:last-child button[aria-label='Remove']")
        .await
        .unwrap();
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#form-notice", "Saved", 10)
        .await
        .unwrap();
    assert!(has_budget(&app.ok(&admin, mapping, json!({})).await));
    // After a reload the line reads as the field's label.
    browser
        .goto(&format!("{}/settings/lead-mapping", app.url))
        .await
        .unwrap();
    browser.wait_for(rows, 20).await.unwrap();
    let shown = browser
        .execute(
            "const s = [...document.querySelectorAll('#mapping-table .mapping-target-field')] \
               .find((s) => s.value === 'custom.budget'); \
             return s ? s.options[s.selectedIndex].textContent : null;",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(shown, json!("Budget (custom)"));
}
