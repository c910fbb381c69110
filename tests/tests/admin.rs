//! Administration of users and teams through the API: invitations and resets by mail (a real
//! SMTP conversation with a local sink), deactivation, the last administrator, one's own password
//! and sessions, teams with a hierarchy, and who may do any of it.

use serde_json::{json, Value};
use server::config::{AppConfig, SmtpRelay};
use tests::smtp::SmtpSink;
use tests::{codes, fields, TestApp, PASSWORD};

/// An app that mails through a local SMTP sink.
async fn mail_app() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let app = TestApp::with_config(AppConfig {
        smtp: Some(SmtpRelay {
            host: "127.0.0.1".into(),
            port: sink.port,
        }),
        mail_from: "CRM <crm@demo.crm>".into(),
        public_url: "https://crm.example.test".into(),
        ..AppConfig::default()
    })
    .await;
    (app, sink)
}

/// Runs the due jobs (the mail among them), as the server's worker does.
async fn deliver(app: &TestApp) {
    let pass = server::jobs::run_due(&app.state, server::db::now())
        .await
        .unwrap();
    assert_eq!(pass.failed, 0, "a job failed: {pass:?}");
}

const INVITE: &str = "mutation($i: InviteUserInput!) { inviteUser(input: $i) { user { id email active invitationPending role { key } } } }";
const SET_PASSWORD: &str = "mutation($i: SetPasswordWithLinkInput!) { setPasswordWithLink(input: $i) { token me { user { email active } role { key } } } }";
const CREATE: &str = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id email displayName active version role { key name } } } }";
const DEACTIVATE: &str =
    "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { active } } }";
const REACTIVATE: &str =
    "mutation($id: ID!) { reactivateUser(input: {id: $id}) { user { active } } }";
const ME: &str = "{ me { user { email } role { key } } }";

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Value {
    app.gql(
        None,
        "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }",
        json!({"e": email, "p": password}),
    )
    .await
}

#[tokio::test]
async fn an_admin_invites_a_colleague_who_chooses_a_password_through_the_mailed_link() {
    let (app, sink) = mail_app().await;
    let admin = app.login("admin@demo.crm").await;
    let jobs_before = app.count_rows("jobs").await;
    let d = app
        .ok(
            &admin,
            INVITE,
            json!({"i": {"email": "Nora.New@Example.com", "displayName": "Nora New", "roleKey": "sales_rep"}}),
        )
        .await;
    let user = &d["inviteUser"]["user"];
    assert_eq!(user["email"], "nora.new@example.com");
    assert_eq!(user["active"], false);
    assert_eq!(user["invitationPending"], true);
    assert_eq!(user["role"]["key"], "sales_rep");
    // The mail waits in the job queue, written with the user; nothing is sent before the worker.
    assert_eq!(app.count_rows("jobs").await, jobs_before + 1);
    assert!(sink.messages().is_empty());
    // Before accepting, the invitee cannot sign in, whatever the password.
    assert_eq!(
        codes(&sign_in(&app, "nora.new@example.com", "").await),
        ["BAD_USER_INPUT"]
    );
    assert_eq!(
        codes(&sign_in(&app, "nora.new@example.com", "anything at all").await),
        ["UNAUTHENTICATED"]
    );

    deliver(&app).await;
    let mail = sink.to("nora.new@example.com");
    assert_eq!(mail.len(), 1, "one invitation: {:?}", sink.messages());
    let mail = &mail[0];
    assert_eq!(mail.from, "crm@demo.crm");
    assert!(mail.header("Subject").unwrap().contains("Ada Admin"));
    assert!(
        mail.text().contains("Sales representative"),
        "{}",
        mail.text()
    );
    let link = mail.link("/welcome").expect("a link in the mail");
    assert!(
        link.starts_with("https://crm.example.test/welcome?token="),
        "{link}"
    );
    let token = mail.link_param("/welcome", "token").unwrap();
    // The token is not kept in the database: neither in the links nor in the sent job.
    let pending = server::jobs::pending(&app.state.db).await.unwrap();
    assert!(pending.iter().all(|j| j.kind != "mail"), "{pending:?}");
    assert_eq!(
        app.count_rows(&format!("jobs WHERE payload LIKE '%{token}%'"))
            .await,
        0
    );

    // A too short password is refused and the link still works.
    let v = app
        .gql(
            None,
            SET_PASSWORD,
            json!({"i": {"token": token, "password": "short"}}),
        )
        .await;
    assert_eq!(fields(&v), ["password"]);
    let v = app
        .gql(
            None,
            SET_PASSWORD,
            json!({"i": {"token": token, "password": "a long new secret"}}),
        )
        .await;
    assert!(v.get("errors").is_none(), "{v}");
    let joined = &v["data"]["setPasswordWithLink"];
    assert_eq!(joined["me"]["user"]["active"], true);
    assert_eq!(joined["me"]["role"]["key"], "sales_rep");
    let session = joined["token"].as_str().unwrap();
    let me = app.ok(session, ME, json!({})).await;
    assert_eq!(me["me"]["user"]["email"], "nora.new@example.com");

    // Used once: the same link is refused now, and the password signs in.
    let again = app
        .gql(
            None,
            SET_PASSWORD,
            json!({"i": {"token": token, "password": "another secret!"}}),
        )
        .await;
    assert_eq!(fields(&again), ["token"]);
    let login = sign_in(&app, "nora.new@example.com", "a long new secret").await;
    assert!(login["data"]["login"]["token"].is_string(), "{login}");

    // The audit has the invitation and its acceptance.
    assert_eq!(
        app.count_rows("change_log WHERE action IN ('create', 'invite', 'invitation_accepted') AND object_id IN (SELECT id FROM users WHERE email = 'nora.new@example.com')")
            .await,
        3
    );
}

#[tokio::test]
async fn an_expired_or_unknown_link_is_refused_and_changes_nothing() {
    let (app, sink) = mail_app().await;
    let admin = app.login("admin@demo.crm").await;
    app.ok(
        &admin,
        INVITE,
        json!({"i": {"email": "late@example.com", "displayName": "Late Larry", "roleKey": "marketing"}}),
    )
    .await;
    deliver(&app).await;
    let token = sink.to("late@example.com")[0]
        .link_param("/welcome", "token")
        .unwrap();
    let v = app
        .gql(
            None,
            SET_PASSWORD,
            json!({"i": {"token": "crm_not-a-real-token", "password": "a long new secret"}}),
        )
        .await;
    assert_eq!(fields(&v), ["token"]);
    use sea_orm::ConnectionTrait;
    let past = if matches!(tests::engine(), tests::Engine::Postgres) {
        "NOW() - INTERVAL '1 hour'"
    } else {
        "'2000-01-01 00:00:00'"
    };
    app.state
        .db
        .execute_unprepared(&format!("UPDATE user_tokens SET expires_at = {past}"))
        .await
        .unwrap();
    let v = app
        .gql(
            None,
            SET_PASSWORD,
            json!({"i": {"token": token, "password": "a long new secret"}}),
        )
        .await;
    assert_eq!(fields(&v), ["token"]);
    assert_eq!(
        codes(&sign_in(&app, "late@example.com", "a long new secret").await),
        ["UNAUTHENTICATED"]
    );
    assert_eq!(
        app.count_rows("users WHERE email = 'late@example.com' AND active")
            .await,
        0
    );
}

#[tokio::test]
async fn an_admin_creates_edits_deactivates_and_reactivates_a_user() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let d = app
        .ok(
            &admin,
            CREATE,
            json!({"i": {"email": "carl@example.com", "displayName": "Carl Closer", "roleKey": "sales_rep", "password": "carl's secret"}}),
        )
        .await;
    let carl = d["createUser"]["user"].clone();
    assert_eq!(carl["active"], true);
    assert_eq!(carl["role"]["name"], "Sales representative");
    let id = carl["id"].as_str().unwrap();
    let token = sign_in(&app, "carl@example.com", "carl's secret").await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.ok(&token, ME, json!({})).await["me"]["role"]["key"],
        "sales_rep"
    );

    // A new role holds from Carl's next request; a stale version is a conflict.
    let update = "mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { displayName version role { key } } } }";
    let d = app
        .ok(
            &admin,
            update,
            json!({"i": {"id": id, "version": carl["version"], "displayName": "Carl C. Closer", "roleKey": "read_only"}}),
        )
        .await;
    assert_eq!(d["updateUser"]["user"]["role"]["key"], "read_only");
    assert_eq!(d["updateUser"]["user"]["displayName"], "Carl C. Closer");
    assert_eq!(
        app.ok(&token, ME, json!({})).await["me"]["role"]["key"],
        "read_only"
    );
    let stale = app
        .gql(
            Some(&admin),
            update,
            json!({"i": {"id": id, "version": carl["version"], "displayName": "Carl"}}),
        )
        .await;
    assert_eq!(codes(&stale), ["CONFLICT"]);

    // Deactivated: the open session stops working at once and signing in is refused.
    let d = app.ok(&admin, DEACTIVATE, json!({"id": id})).await;
    assert_eq!(d["deactivateUser"]["user"]["active"], false);
    assert_eq!(
        codes(&app.gql(Some(&token), ME, json!({})).await),
        ["UNAUTHENTICATED"]
    );
    assert_eq!(
        app.count_rows(
            "sessions WHERE user_id IN (SELECT id FROM users WHERE email = 'carl@example.com')"
        )
        .await,
        0
    );
    assert_eq!(
        codes(&sign_in(&app, "carl@example.com", "carl's secret").await),
        ["UNAUTHENTICATED"]
    );
    // Not in the owner pickers, but in the administration's list.
    let pick = app
        .ok(
            &admin,
            "{ users(first: 100) { edges { node { email } } } }",
            json!({}),
        )
        .await;
    assert!(!pick.to_string().contains("carl@example.com"));
    let all = app
        .ok(
            &admin,
            "{ users(first: 100, includeInactive: true) { edges { node { email active lastLoginAt } } } }",
            json!({}),
        )
        .await;
    let row = all["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["email"] == "carl@example.com")
        .unwrap();
    assert_eq!(row["node"]["active"], false);
    assert!(row["node"]["lastLoginAt"].is_string(), "{row}");

    app.ok(&admin, REACTIVATE, json!({"id": id})).await;
    assert!(
        sign_in(&app, "carl@example.com", "carl's secret").await["data"]["login"]["token"]
            .is_string()
    );
    assert_eq!(
        app.count_rows("change_log WHERE action IN ('create', 'update', 'deactivate', 'reactivate') AND object_id IN (SELECT id FROM users WHERE email = 'carl@example.com')")
            .await,
        4
    );
}

#[tokio::test]
async fn bad_user_input_names_the_field_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let users = app.count_rows("users").await;
    let jobs = app.count_rows("jobs").await;
    let v = app
        .gql(
            Some(&admin),
            CREATE,
            json!({"i": {"email": "not an address", "displayName": " ", "roleKey": "emperor", "password": "short"}}),
        )
        .await;
    let mut f = fields(&v);
    f.sort();
    assert_eq!(f, ["displayName", "email", "password", "roleKey"]);
    let v = app
        .gql(
            Some(&admin),
            CREATE,
            json!({"i": {"email": "REP@demo.crm", "displayName": "Copy", "roleKey": "sales_rep", "password": "long enough"}}),
        )
        .await;
    assert_eq!(fields(&v), ["email"]);
    let v = app
        .gql(
            Some(&admin),
            INVITE,
            json!({"i": {"email": "", "displayName": "Nobody", "roleKey": "sales_rep"}}),
        )
        .await;
    assert_eq!(fields(&v), ["email"]);
    let rep = app.user_id(&admin, "rep@demo.crm").await;
    let v = app
        .gql(
            Some(&admin),
            "mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id } } }",
            json!({"i": {"id": rep, "version": 1, "email": "manager@demo.crm"}}),
        )
        .await;
    assert_eq!(fields(&v), ["email"]);
    assert_eq!(app.count_rows("users").await, users);
    assert_eq!(app.count_rows("jobs").await, jobs);
    assert_eq!(
        app.count_rows("users WHERE email = 'rep@demo.crm'").await,
        1
    );
}

#[tokio::test]
async fn nobody_deactivates_themselves_or_the_last_administrator() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let me = app.user_id(&admin, "admin@demo.crm").await;
    let v = app.gql(Some(&admin), DEACTIVATE, json!({"id": me})).await;
    assert_eq!(fields(&v), ["id"]);
    let version = app
        .ok(&admin, "{ me { user { version } } }", json!({}))
        .await["me"]["user"]["version"]
        .clone();
    let v = app
        .gql(
            Some(&admin),
            "mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id } } }",
            json!({"i": {"id": me, "version": version, "roleKey": "sales_manager"}}),
        )
        .await;
    assert_eq!(fields(&v), ["roleKey"]);
    // With a second administrator, the first may step down.
    let d = app
        .ok(
            &admin,
            CREATE,
            json!({"i": {"email": "second@example.com", "displayName": "Second Admin", "roleKey": "admin", "password": "second's secret"}}),
        )
        .await;
    let second = d["createUser"]["user"]["id"].as_str().unwrap().to_owned();
    app.ok(
        &admin,
        "mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id } } }",
        json!({"i": {"id": me, "version": version, "roleKey": "sales_manager"}}),
    )
    .await;
    // Now the second is the last one: the first (no longer an admin) may not touch users at all.
    assert_eq!(
        codes(
            &app.gql(Some(&admin), DEACTIVATE, json!({"id": second}))
                .await
        ),
        ["FORBIDDEN"]
    );
    let token = sign_in(&app, "second@example.com", "second's secret").await["data"]["login"]
        ["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let v = app
        .gql(Some(&token), DEACTIVATE, json!({"id": second}))
        .await;
    assert_eq!(fields(&v), ["id"]);
}

#[tokio::test]
async fn only_administrators_administer_users_and_teams() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep_id = app.user_id(&admin, "rep@demo.crm").await;
    let north = app.ok(&admin, "{ teams { id name } }", json!({})).await["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "North")
        .unwrap()["id"]
        .clone();
    let users = app.count_rows("users").await;
    let teams = app.count_rows("teams").await;
    for who in [
        "manager@demo.crm",
        "rep@demo.crm",
        "marketing@demo.crm",
        "readonly@demo.crm",
        "billing@demo.crm",
    ] {
        let t = app.login(who).await;
        for (q, vars) in [
            (CREATE, json!({"i": {"email": "x@example.com", "displayName": "X", "roleKey": "admin", "password": "long enough"}})),
            (INVITE, json!({"i": {"email": "x@example.com", "displayName": "X", "roleKey": "admin"}})),
            ("mutation($id: ID!) { updateUser(input: {id: $id, version: 1, roleKey: \"admin\"}) { user { id } } }", json!({"id": rep_id})),
            (DEACTIVATE, json!({"id": rep_id})),
            ("mutation($id: ID!) { sendPasswordReset(input: {id: $id}) { user { id } } }", json!({"id": rep_id})),
            ("mutation { createTeam(input: {name: \"Rogue\"}) { team { id } } }", json!({})),
            ("mutation($id: ID!) { updateTeam(input: {id: $id, name: \"Renamed\"}) { team { id } } }", json!({"id": north})),
            ("mutation($id: ID!) { archiveTeam(input: {id: $id}) { team { id } } }", json!({"id": north})),
            ("{ roles { key } }", json!({})),
        ] {
            let v = app.gql(Some(&t), q, vars).await;
            let c = codes(&v);
            assert!(
                c == ["FORBIDDEN"] || c == ["NOT_FOUND"],
                "{who} ran {q}: {v}"
            );
        }
        // Nor do they see when colleagues last signed in.
        let v = app
            .gql(
                Some(&t),
                "{ users(first: 5) { edges { node { email lastLoginAt } } } }",
                json!({}),
            )
            .await;
        let c = codes(&v);
        assert!(!c.is_empty() && c.iter().all(|c| c == "FORBIDDEN"), "{v}");
    }
    assert_eq!(app.count_rows("users").await, users);
    assert_eq!(app.count_rows("teams").await, teams);
    assert_eq!(app.count_rows("users WHERE active").await, users);
}

#[tokio::test]
async fn a_user_changes_their_own_password_and_ends_their_other_sessions() {
    let app = TestApp::new().await;
    let here = app.login("rep@demo.crm").await;
    let there = app.login("rep@demo.crm").await;
    let other = app.login("rep2@demo.crm").await;
    let sessions = app
        .ok(&here, "{ mySessions { id current } }", json!({}))
        .await["mySessions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let change = "mutation($i: ChangePasswordInput!) { changePassword(input: $i) }";
    let v = app
        .gql(
            Some(&here),
            change,
            json!({"i": {"currentPassword": "wrong", "newPassword": "a brand new one"}}),
        )
        .await;
    assert_eq!(fields(&v), ["currentPassword"]);
    let v = app
        .gql(
            Some(&here),
            change,
            json!({"i": {"currentPassword": PASSWORD, "newPassword": "2short"}}),
        )
        .await;
    assert_eq!(fields(&v), ["newPassword"]);
    assert!(app
        .gql(Some(&there), ME, json!({}))
        .await
        .get("errors")
        .is_none());

    app.ok(
        &here,
        change,
        json!({"i": {"currentPassword": PASSWORD, "newPassword": "a brand new one"}}),
    )
    .await;
    assert!(app
        .gql(Some(&here), ME, json!({}))
        .await
        .get("errors")
        .is_none());
    assert_eq!(
        codes(&app.gql(Some(&there), ME, json!({})).await),
        ["UNAUTHENTICATED"]
    );
    assert_eq!(
        codes(&sign_in(&app, "rep@demo.crm", PASSWORD).await),
        ["UNAUTHENTICATED"]
    );
    let again = sign_in(&app, "rep@demo.crm", "a brand new one").await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();

    // One's own sessions may be ended one by one; another user's are not found.
    let mine = app
        .ok(&here, "{ mySessions { id current } }", json!({}))
        .await["mySessions"]
        .as_array()
        .unwrap()
        .clone();
    let away = mine.iter().find(|s| s["current"] == false).unwrap()["id"].clone();
    let revoke = "mutation($id: ID!) { revokeSession(input: {id: $id}) }";
    let theirs =
        app.ok(&other, "{ mySessions { id } }", json!({})).await["mySessions"][0]["id"].clone();
    assert_eq!(
        codes(&app.gql(Some(&here), revoke, json!({"id": theirs})).await),
        ["NOT_FOUND"]
    );
    assert!(app
        .gql(Some(&other), ME, json!({}))
        .await
        .get("errors")
        .is_none());
    app.ok(&here, revoke, json!({"id": away})).await;
    assert_eq!(
        codes(&app.gql(Some(&again), ME, json!({})).await),
        ["UNAUTHENTICATED"]
    );
}

#[tokio::test]
async fn an_admin_sends_a_password_reset_that_works_once_and_ends_old_sessions() {
    let (app, sink) = mail_app().await;
    let admin = app.login("admin@demo.crm").await;
    let old = app.login("marketing@demo.crm").await;
    let id = app.user_id(&admin, "marketing@demo.crm").await;
    let reset = "mutation($id: ID!) { sendPasswordReset(input: {id: $id}) { user { email } } }";
    app.ok(&admin, reset, json!({"id": id})).await;
    // A second request replaces the first link.
    app.ok(&admin, reset, json!({"id": id})).await;
    deliver(&app).await;
    let mails = sink.to("marketing@demo.crm");
    assert_eq!(mails.len(), 2);
    let first = mails[0].link_param("/welcome", "token").unwrap();
    let second = mails[1].link_param("/welcome", "token").unwrap();
    // Until the link is used, the old password still works.
    assert!(
        sign_in(&app, "marketing@demo.crm", PASSWORD).await["data"]["login"]["token"].is_string()
    );
    let v = app
        .gql(
            None,
            SET_PASSWORD,
            json!({"i": {"token": first, "password": "fresh password"}}),
        )
        .await;
    assert_eq!(fields(&v), ["token"]);
    let v = app
        .gql(
            None,
            SET_PASSWORD,
            json!({"i": {"token": second, "password": "fresh password"}}),
        )
        .await;
    assert!(v.get("errors").is_none(), "{v}");
    assert_eq!(
        codes(&app.gql(Some(&old), ME, json!({})).await),
        ["UNAUTHENTICATED"]
    );
    assert_eq!(
        codes(&sign_in(&app, "marketing@demo.crm", PASSWORD).await),
        ["UNAUTHENTICATED"]
    );
    assert!(
        sign_in(&app, "marketing@demo.crm", "fresh password").await["data"]["login"]["token"]
            .is_string()
    );
}

const ACCOUNT_COUNT: &str = "{ accounts(first: 1) { totalCount } }";

#[tokio::test]
async fn teams_form_a_hierarchy_without_loops_and_archiving_one_ends_its_reach() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let rep_id = app.user_id(&admin, "rep@demo.crm").await;
    let rep3_id = app.user_id(&admin, "rep3@demo.crm").await;
    let manager_id = app.user_id(&admin, "manager@demo.crm").await;
    let before = app.ok(&rep, ACCOUNT_COUNT, json!({})).await["accounts"]["totalCount"]
        .as_i64()
        .unwrap();

    let create = "mutation($i: CreateTeamInput!) { createTeam(input: $i) { team { id name archived manager { email } members { email } parent { name } } } }";
    let d = app
        .ok(
            &admin,
            create,
            json!({"i": {"name": "East", "managerId": manager_id, "memberIds": [rep_id, rep3_id, rep_id]}}),
        )
        .await;
    let east = d["createTeam"]["team"].clone();
    assert_eq!(east["manager"]["email"], "manager@demo.crm");
    assert_eq!(east["members"].as_array().unwrap().len(), 2);
    // Rep now shares a team with rep3: their accounts come into reach on the next request.
    let with_east = app.ok(&rep, ACCOUNT_COUNT, json!({})).await["accounts"]["totalCount"]
        .as_i64()
        .unwrap();
    assert!(with_east > before, "{with_east} > {before}");

    let d = app
        .ok(
            &admin,
            create,
            json!({"i": {"name": "East Coast", "parentId": east["id"]}}),
        )
        .await;
    let coast = d["createTeam"]["team"].clone();
    assert_eq!(coast["parent"]["name"], "East");
    let update = "mutation($i: UpdateTeamInput!) { updateTeam(input: $i) { team { name parent { name } manager { email } } } }";
    // A loop is refused, naming the field; so is a taken name.
    let v = app
        .gql(
            Some(&admin),
            update,
            json!({"i": {"id": east["id"], "parentId": coast["id"]}}),
        )
        .await;
    assert_eq!(fields(&v), ["parentId"]);
    let v = app
        .gql(
            Some(&admin),
            update,
            json!({"i": {"id": east["id"], "parentId": east["id"]}}),
        )
        .await;
    assert_eq!(fields(&v), ["parentId"]);
    let v = app
        .gql(
            Some(&admin),
            update,
            json!({"i": {"id": coast["id"], "name": "North"}}),
        )
        .await;
    assert_eq!(fields(&v), ["name"]);
    let v = app
        .gql(
            Some(&admin),
            create,
            json!({"i": {"name": "", "memberIds": ["not-an-id"]}}),
        )
        .await;
    let mut f = fields(&v);
    f.sort();
    assert!(f == ["memberIds.0"] || f == ["name"], "{v}");
    // Renaming and clearing the manager (null) while the parent is kept (left out).
    let d = app
        .ok(
            &admin,
            update,
            json!({"i": {"id": coast["id"], "name": "Eastern seaboard", "managerId": null}}),
        )
        .await;
    assert_eq!(d["updateTeam"]["team"]["name"], "Eastern seaboard");
    assert_eq!(d["updateTeam"]["team"]["parent"]["name"], "East");

    // A team with a sub-team is not archived; once the sub-team is, it is.
    let archive = "mutation($id: ID!) { archiveTeam(input: {id: $id}) { team { archived } } }";
    let v = app
        .gql(Some(&admin), archive, json!({"id": east["id"]}))
        .await;
    assert_eq!(fields(&v), ["id"]);
    app.ok(&admin, archive, json!({"id": coast["id"]})).await;
    let d = app.ok(&admin, archive, json!({"id": east["id"]})).await;
    assert_eq!(d["archiveTeam"]["team"]["archived"], true);
    let after = app.ok(&rep, ACCOUNT_COUNT, json!({})).await["accounts"]["totalCount"]
        .as_i64()
        .unwrap();
    assert_eq!(after, before);
    let names = app
        .ok(&admin, "{ teams { name } }", json!({}))
        .await
        .to_string();
    assert!(!names.contains("East"), "{names}");
    let all = app
        .ok(
            &admin,
            "{ teams(includeArchived: true) { name archived } }",
            json!({}),
        )
        .await
        .to_string();
    assert!(all.contains("Eastern seaboard"), "{all}");
    assert_eq!(
        app.count_rows("change_log WHERE action IN ('create', 'update', 'archive') AND object_id IN (SELECT id FROM teams WHERE name IN ('East', 'Eastern seaboard'))")
            .await,
        5
    );
}
