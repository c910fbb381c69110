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
