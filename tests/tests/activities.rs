//! Activities: row scope and the guarded private note, calendar, tasks and reminders, completing
//! with a next step in one transaction, and bad input.

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::opportunities::account_id;

const CREATE: &str = "mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id version status kind subject privateNote overdue links { type recordId } attendees { type user { email } } } } }";

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.ok(token, CREATE, json!({"i": input})).await["createActivity"]["activity"].clone()
}

async fn user(app: &TestApp, token: &str, email: &str) -> Value {
    let d = app
        .ok(
            token,
            "{ users(first: 100) { edges { node { id email } } } }",
            json!({}),
        )
        .await;
    d["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["email"] == email)
        .unwrap()["node"]["id"]
        .clone()
}

async fn first_opportunity(app: &TestApp, token: &str) -> Value {
    app.ok(token, "{ opportunities(first: 1, filter: {status: OPEN}) { edges { node { id version nextStep nextStepDate } } } }", json!({}))
        .await["opportunities"]["edges"][0]["node"]
        .clone()
}

fn at(days: i64, hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days) + chrono::Duration::hours(hours))
        .to_rfc3339()
}

#[tokio::test]
async fn activities_follow_row_scope_and_guard_private_notes() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let south = app.login("rep3@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let marketing = app.login("marketing@demo.crm").await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let opp = first_opportunity(&app, &rep).await;
    let ada = user(&app, &rep, "rep2@demo.crm").await;
    let a = create(&app, &rep, json!({"kind": "CALL", "subject": "Pricing call", "startsAt": at(0, -1),
        "status": "DONE", "outcome": "Wants a discount", "privateNote": "also talking to competitor-7f3a",
        "links": [acme, opp["id"]], "attendees": [ada]})).await;
    assert_eq!(a["status"], "DONE");
    assert_eq!(a["links"].as_array().unwrap().len(), 2);
    assert_eq!(a["attendees"][0]["user"]["email"], "rep2@demo.crm");
    let q = "query($id: ID!, $r: ID!) { activity(id: $id) { subject privateNote } activitiesOf(recordId: $r) { id } }";
    let seen = app.ok(&manager, q, json!({"id": a["id"], "r": acme})).await;
    assert_eq!(
        seen["activity"]["privateNote"],
        "also talking to competitor-7f3a"
    );
    assert!(seen["activitiesOf"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == a["id"]));
    // Another team sees nothing of it.
    let r = app
        .gql(
            Some(&south),
            "query($id: ID!) { activity(id: $id) { id } node(id: $id) { id } }",
            json!({"id": a["id"]}),
        )
        .await;
    assert!(r["data"]["activity"].is_null());
    // Marketing reads the activity but not the private note.
    let r = app
        .gql(Some(&marketing), q, json!({"id": a["id"], "r": acme}))
        .await;
    assert_eq!(r["data"]["activity"]["subject"], "Pricing call");
    assert!(r["data"]["activity"]["privateNote"].is_null());
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    // The change log records that a note was written, not what it says.
    let log = app.count_rows("change_log").await;
    assert!(log > 0);
    let leaked: i64 = {
        use sea_orm::{ConnectionTrait, Statement};
        let row = app.state.db.query_one_raw(Statement::from_string(app.state.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM change_log WHERE CAST(changes AS TEXT) LIKE '%competitor-7f3a%'".to_string())).await.unwrap().unwrap();
        row.try_get("", "n").unwrap()
    };
    assert_eq!(leaked, 0);
}

#[tokio::test]
async fn calendar_tasks_and_reminders() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let rep2 = app.login("rep2@demo.crm").await;
    let meeting = create(
        &app,
        &rep,
        json!({"kind": "MEETING", "subject": "Demo", "startsAt": at(1, 0), "endsAt": at(1, 1)}),
    )
    .await;
    let late = create(
        &app,
        &rep,
        json!({"kind": "TASK", "subject": "Send offer", "dueAt": at(-1, 0)}),
    )
    .await;
    assert_eq!(late["overdue"], true);
    let soon = create(
        &app,
        &rep,
        json!({"kind": "TASK", "subject": "Call back", "dueAt": at(2, 0), "remindAt": at(0, -1)}),
    )
    .await;
    let other = create(
        &app,
        &rep2,
        json!({"kind": "MEETING", "subject": "Rob's meeting", "startsAt": at(1, 2)}),
    )
    .await;
    // The demo company has activities of its own; only the ones made here are compared.
    let made = [
        meeting["id"].clone(),
        late["id"].clone(),
        soon["id"].clone(),
        other["id"].clone(),
    ];
    let ours = |list: &Value| -> Vec<Value> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].clone())
            .filter(|id| made.contains(id))
            .collect()
    };
    let cal = "query($f: DateTime!, $t: DateTime!, $o: [ID!]) { calendar(from: $f, to: $t, ownerIds: $o) { id subject } }";
    let mine = app
        .ok(&rep, cal, json!({"f": at(0, -2), "t": at(7, 0)}))
        .await;
    assert_eq!(
        ours(&mine["calendar"]),
        vec![meeting["id"].clone(), soon["id"].clone()],
        "in time order, mine only"
    );
    // A teammate's calendar is within a rep's team scope; another team's is not.
    let rob = user(&app, &rep, "rep2@demo.crm").await;
    let sam = user(&app, &rep, "rep3@demo.crm").await;
    let team = app
        .ok(
            &rep,
            cal,
            json!({"f": at(0, -2), "t": at(7, 0), "o": [rob]}),
        )
        .await;
    assert_eq!(ours(&team["calendar"]), vec![other["id"].clone()]);
    let none = app
        .ok(
            &rep,
            cal,
            json!({"f": at(0, -2), "t": at(7, 0), "o": [sam]}),
        )
        .await;
    assert_eq!(
        none["calendar"],
        json!([]),
        "another team's calendar is out of scope"
    );
    let r = app
        .gql(Some(&rep), cal, json!({"f": at(7, 0), "t": at(0, 0)}))
        .await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"]);

    let tasks = app
        .ok(
            &rep,
            "{ all: myTasks { id } overdue: myTasks(overdueOnly: true) { id } myReminders { id } }",
            json!({}),
        )
        .await;
    assert_eq!(
        ours(&tasks["all"]),
        vec![late["id"].clone(), soon["id"].clone()]
    );
    assert_eq!(ours(&tasks["overdue"]), vec![late["id"].clone()]);
    assert_eq!(ours(&tasks["myReminders"]), vec![soon["id"].clone()]);
    // Done tasks leave the lists.
    app.ok(&rep, "mutation($i: CompleteActivityInput!) { completeActivity(input: $i) { activity { status } } }", json!({"i": {"id": late["id"], "version": late["version"], "outcome": "sent"}})).await;
    let tasks = app
        .ok(
            &rep,
            "{ overdue: myTasks(overdueOnly: true) { id } }",
            json!({}),
        )
        .await;
    assert!(ours(&tasks["overdue"]).is_empty());
}

#[tokio::test]
async fn completing_sets_the_next_step_in_the_same_transaction() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let opp = first_opportunity(&app, &rep).await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let call = create(
        &app,
        &rep,
        json!({"kind": "CALL", "subject": "Follow-up", "startsAt": at(0, 1), "links": [opp["id"]]}),
    )
    .await;
    let done = "mutation($i: CompleteActivityInput!) { completeActivity(input: $i) { activity { status version } } }";
    // A next step aimed at an opportunity the call is not linked to changes nothing.
    let stray = create(
        &app,
        &rep,
        json!({"kind": "NOTE", "subject": "x", "links": [acme]}),
    )
    .await;
    let r = app.gql(Some(&rep), done, json!({"i": {"id": stray["id"], "version": stray["version"], "nextStep": {"nextStep": "Visit"}}})).await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"]);
    let r = app.gql(Some(&rep), done, json!({"i": {"id": call["id"], "version": call["version"], "nextStep": {"nextStep": "Send contract", "nextStepDate": "not a date"}}})).await;
    assert_eq!(codes(&r), vec!["BAD_USER_INPUT"]);
    let still = app
        .ok(
            &rep,
            "query($id: ID!) { activity(id: $id) { status version } }",
            json!({"id": call["id"]}),
        )
        .await;
    assert_eq!(
        still["activity"],
        json!({"status": "PLANNED", "version": 1})
    );
    let d = app.ok(&rep, done, json!({"i": {"id": call["id"], "version": 1, "outcome": "Agreed", "nextStep": {"nextStep": "Send contract", "nextStepDate": "2027-03-01"}}})).await;
    assert_eq!(d["completeActivity"]["activity"]["status"], "DONE");
    let o = app
        .ok(
            &rep,
            "query($id: ID!) { opportunity(id: $id) { nextStep nextStepDate version } }",
            json!({"id": opp["id"]}),
        )
        .await;
    assert_eq!(o["opportunity"]["nextStep"], "Send contract");
    assert_eq!(o["opportunity"]["nextStepDate"], "2027-03-01");
    assert_eq!(
        o["opportunity"]["version"],
        opp["version"].as_i64().unwrap() + 1
    );
    // A stale version is a conflict.
    let r = app
        .gql(
            Some(&rep),
            done,
            json!({"i": {"id": call["id"], "version": 1}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["CONFLICT"]);
}

#[tokio::test]
async fn a_call_logged_after_it_began_is_done_and_a_planned_one_stays_open() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let past = create(
        &app,
        &rep,
        json!({"kind": "CALL", "subject": "Spoke to Acme", "startsAt": at(0, -2)}),
    )
    .await;
    assert_eq!(past["status"], "DONE");
    let met = create(
        &app,
        &rep,
        json!({"kind": "MEETING", "subject": "Met Acme", "startsAt": at(-1, 0), "endsAt": at(-1, 1)}),
    )
    .await;
    assert_eq!(met["status"], "DONE");
    let planned = create(
        &app,
        &rep,
        json!({"kind": "CALL", "subject": "Call Acme", "startsAt": at(1, 0)}),
    )
    .await;
    assert_eq!(planned["status"], "PLANNED");
    // Said otherwise, it is as said.
    let open = create(
        &app,
        &rep,
        json!({"kind": "CALL", "subject": "Missed", "startsAt": at(0, -1), "status": "PLANNED"}),
    )
    .await;
    assert_eq!(open["status"], "PLANNED");
}

#[tokio::test]
async fn bad_activity_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let read_only = app.login("readonly@demo.crm").await;
    let umbrella = account_id(&app, &manager, "Umbrella Health").await;
    let before = (
        app.count_rows("activities").await,
        app.count_rows("change_log").await,
    );
    let cases = [
        (json!({"kind": "MEETING", "subject": "x"}), vec!["startsAt"]),
        (
            json!({"kind": "CALL", "subject": "x", "startsAt": at(1, 0), "endsAt": at(0, 0)}),
            vec!["endsAt"],
        ),
        (
            json!({"kind": "TASK", "subject": "", "dueAt": at(1, 0), "remindAt": at(2, 0)}),
            vec!["subject", "remindAt"],
        ),
        (
            json!({"kind": "NOTE", "subject": "x", "links": [umbrella]}),
            vec!["links.0"],
        ),
        (
            json!({"kind": "NOTE", "subject": "x", "links": ["garbage"]}),
            vec!["links.0"],
        ),
        (
            json!({"kind": "NOTE", "subject": "x".repeat(201)}),
            vec!["subject"],
        ),
    ];
    for (input, fields) in cases {
        let r = app.gql(Some(&rep), CREATE, json!({"i": input})).await;
        assert_eq!(codes(&r), vec!["BAD_USER_INPUT"], "{input} → {r}");
        let got: Vec<_> = r["errors"][0]["extensions"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, fields, "{input}");
    }
    let r = app
        .gql(
            Some(&read_only),
            CREATE,
            json!({"i": {"kind": "NOTE", "subject": "x"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);
    let after = (
        app.count_rows("activities").await,
        app.count_rows("change_log").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn reminders_arrive_live_when_they_come_due() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let rep2 = app.login("rep2@demo.crm").await;
    let mut ws = crate::live::connect(&app, &rep).await;
    let sub = json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { reminderDue { id subject } }"}});
    ws.send(Message::Text(sub.to_string().into()))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let soon = |secs: i64| (chrono::Utc::now() + chrono::Duration::seconds(secs)).to_rfc3339();
    let mine = create(
        &app,
        &rep,
        json!({"kind": "TASK", "subject": "Ring Acme", "dueAt": at(1, 0), "remindAt": soon(2)}),
    )
    .await;
    create(
        &app,
        &rep2,
        json!({"kind": "TASK", "subject": "Not yours", "dueAt": at(1, 0), "remindAt": soon(2)}),
    )
    .await;
    let mut got = None;
    for _ in 0..8 {
        if let Some(m) = crate::live::next(&mut ws).await {
            got = Some(m);
            break;
        }
    }
    let m = got.expect("the reminder arrived");
    assert_eq!(m["payload"]["data"]["reminderDue"]["id"], mine["id"]);
    assert!(
        crate::live::next(&mut ws).await.is_none(),
        "only the subscriber's own reminder"
    );
}

#[tokio::test]
async fn managers_see_a_teams_calendar_and_failed_sign_ins_are_audited() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let rep3 = app.login("rep3@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let admin = app.login("admin@demo.crm").await;
    create(
        &app,
        &rep,
        json!({"kind": "MEETING", "subject": "North meeting", "startsAt": at(1, 0)}),
    )
    .await;
    create(
        &app,
        &rep3,
        json!({"kind": "MEETING", "subject": "South meeting", "startsAt": at(1, 0)}),
    )
    .await;
    let teams = app
        .ok(
            &manager,
            "{ teams { id name members { email } manager { email } } }",
            json!({}),
        )
        .await;
    let north = teams["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "North")
        .unwrap()
        .clone();
    assert_eq!(north["manager"]["email"], "manager@demo.crm");
    let cal = "query($f: DateTime!, $t: DateTime!, $team: ID) { calendar(from: $f, to: $t, teamId: $team) { subject } }";
    let d = app
        .ok(
            &manager,
            cal,
            json!({"f": at(0, 0), "t": at(3, 0), "team": north["id"]}),
        )
        .await;
    let subjects: Vec<&str> = d["calendar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["subject"].as_str().unwrap())
        .collect();
    assert!(
        subjects.contains(&"North meeting") && !subjects.contains(&"South meeting"),
        "{subjects:?}"
    );
    // A rep sees only their own team.
    let mine = app.ok(&rep, "{ teams { name } }", json!({})).await;
    assert_eq!(mine["teams"], json!([{"name": "North"}]));
    // A refused sign-in is in the audit trail.
    let r = app
        .gql(
            None,
            "mutation { login(input: {email: \"rep@demo.crm\", password: \"wrong\"}) { token } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&r), vec!["UNAUTHENTICATED"]);
    let d = app.ok(&admin, "{ auditLog(filter: {action: \"login_failed\"}) { edges { node { objectType changes { field after } } } } }", json!({})).await;
    assert_eq!(d["auditLog"]["edges"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn descriptions_outcomes_and_notes_keep_their_line_breaks() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let text = "Agenda:\n- prices\n- dates\twith a tab";
    let d = app
        .ok(
            &rep,
            "mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { description outcome } } }",
            json!({"i": {"kind": "CALL", "subject": "Spoke to Acme", "startsAt": at(0, -2),
                         "description": text, "outcome": "Agreed.\r\nSend the quote."}}),
        )
        .await;
    let a = &d["createActivity"]["activity"];
    assert_eq!(a["description"], text);
    assert_eq!(
        a["outcome"], "Agreed.\nSend the quote.",
        "line endings are stored as \\n"
    );
    // Other control characters are still refused, naming the field.
    let v = app
        .gql(
            Some(&rep),
            "mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id } } }",
            json!({"i": {"kind": "CALL", "subject": "Bell", "startsAt": at(0, -2), "description": "ring\u{7}"}}),
        )
        .await;
    assert_eq!(codes(&v), vec!["BAD_USER_INPUT"], "{v}");
    let field = v["errors"][0]["extensions"]["fields"][0]["field"]
        .as_str()
        .unwrap_or_default();
    assert!(field.ends_with("description"), "{v}");
}

const CALENDAR: &str = "query($f: DateTime!, $t: DateTime!) { calendar(from: $f, to: $t) { id seriesId occurrenceAt startsAt endsAt subject status recurrence links { recordId } } }";
const EDIT_OCCURRENCE: &str = "mutation($i: EditOccurrenceInput!) { editOccurrence(input: $i) { activity { id seriesId occurrenceAt startsAt endsAt subject status recurrence links { recordId } } } }";

fn time(v: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// The calendar entries of `series` (its occurrences and those changed on their own), by start.
async fn entries_of(
    app: &TestApp,
    token: &str,
    series: &Value,
    from: chrono::DateTime<chrono::Utc>,
) -> Vec<Value> {
    let d = app
        .ok(
            token,
            CALENDAR,
            json!({"f": from.to_rfc3339(), "t": (from + chrono::Duration::days(14)).to_rfc3339()}),
        )
        .await;
    d["calendar"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["seriesId"] == *series || a["id"] == *series)
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_repeating_meeting_fills_the_calendar_and_one_occurrence_changes_on_its_own() {
    use chrono::{Duration, DurationRound, Utc};
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let account = account_id(&app, &rep, "Acme Corporation").await;
    let start = (Utc::now() + Duration::days(1))
        .duration_trunc(Duration::hours(1))
        .unwrap();
    let day = |n: i64| start + Duration::days(n);
    let series = app
        .ok(
            &rep,
            "mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id version status recurrence } } }",
            json!({"i": {"kind": "MEETING", "subject": "Standup", "startsAt": start.to_rfc3339(),
                   "endsAt": (start + Duration::minutes(30)).to_rfc3339(),
                   "recurrence": "RRULE:freq=daily;count=5", "links": [account]}}),
        )
        .await["createActivity"]["activity"]
        .clone();
    assert_eq!(series["recurrence"], "FREQ=DAILY;COUNT=5");
    assert_eq!(series["status"], "PLANNED");
    let id = series["id"].clone();

    // The calendar expands it: five starts a day apart, each half an hour, each naming its series.
    let from = start - Duration::hours(1);
    let all = entries_of(&app, &rep, &id, from).await;
    assert_eq!(
        all.iter().map(|a| time(&a["startsAt"])).collect::<Vec<_>>(),
        (0..5).map(day).collect::<Vec<_>>()
    );
    for a in &all {
        assert_eq!(a["seriesId"], id);
        assert_eq!(time(&a["occurrenceAt"]), time(&a["startsAt"]));
        assert_eq!(
            time(&a["endsAt"]) - time(&a["startsAt"]),
            Duration::minutes(30)
        );
        assert_eq!(a["recurrence"], "FREQ=DAILY;COUNT=5");
    }
    // A range that starts after the second occurrence holds the last three.
    let later = entries_of(&app, &rep, &id, day(1) + Duration::minutes(1)).await;
    assert_eq!(later.len(), 3);

    // This occurrence only: the third moves three hours later under a new subject.
    let moved = app
        .ok(
            &rep,
            EDIT_OCCURRENCE,
            json!({"i": {"seriesId": id, "occurrenceAt": day(2).to_rfc3339(),
                   "subject": "Standup (moved)", "startsAt": (day(2) + Duration::hours(3)).to_rfc3339(),
                   "endsAt": (day(2) + Duration::hours(4)).to_rfc3339()}}),
        )
        .await["editOccurrence"]["activity"]
        .clone();
    assert_ne!(moved["id"], id);
    assert_eq!(moved["seriesId"], id);
    assert_eq!(time(&moved["occurrenceAt"]), day(2));
    assert_eq!(moved["recurrence"], Value::Null);
    let series_links = app
        .ok(
            &rep,
            "query($id: ID!) { activity(id: $id) { links { recordId } } }",
            json!({"id": id}),
        )
        .await["activity"]["links"]
        .clone();
    assert_eq!(series_links.as_array().unwrap().len(), 1);
    assert_eq!(moved["links"], series_links, "the series' links come along");
    // Cancelling another takes it out of the series.
    let cancelled = app
        .ok(
            &rep,
            EDIT_OCCURRENCE,
            json!({"i": {"seriesId": id, "occurrenceAt": day(3).to_rfc3339(), "status": "CANCELLED"}}),
        )
        .await["editOccurrence"]["activity"]
        .clone();
    assert_eq!(cancelled["status"], "CANCELLED");
    let all = entries_of(&app, &rep, &id, from).await;
    let shown: Vec<(chrono::DateTime<Utc>, String, String)> = all
        .iter()
        .map(|a| {
            (
                time(&a["startsAt"]),
                a["subject"].as_str().unwrap().to_string(),
                a["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let row = |t, s: &str, st: &str| (t, s.to_string(), st.to_string());
    assert_eq!(
        shown,
        [
            row(day(0), "Standup", "PLANNED"),
            row(day(1), "Standup", "PLANNED"),
            row(day(2) + Duration::hours(3), "Standup (moved)", "PLANNED"),
            row(day(3), "Standup", "CANCELLED"),
            row(day(4), "Standup", "PLANNED"),
        ]
    );

    // Refusals name their field and write nothing.
    let rows = app.count_rows("activities").await;
    for (input, field) in [
        (
            json!({"seriesId": id, "occurrenceAt": day(2).to_rfc3339(), "subject": "Again"}),
            "occurrenceAt",
        ),
        (
            json!({"seriesId": id, "occurrenceAt": (day(1) + Duration::minutes(5)).to_rfc3339()}),
            "occurrenceAt",
        ),
        (
            json!({"seriesId": moved["id"], "occurrenceAt": day(2).to_rfc3339()}),
            "seriesId",
        ),
    ] {
        let r = app
            .gql(Some(&rep), EDIT_OCCURRENCE, json!({"i": input}))
            .await;
        assert_eq!(tests::fields(&r), [field], "{r}");
    }
    for (input, field) in [
        (
            json!({"kind": "NOTE", "subject": "Daily note", "recurrence": "FREQ=DAILY"}),
            "recurrence",
        ),
        (
            json!({"kind": "TASK", "subject": "Undated daily task", "recurrence": "FREQ=DAILY"}),
            "dueAt",
        ),
        (
            json!({"kind": "CALL", "subject": "Zoned", "startsAt": start.to_rfc3339(), "recurrence": "FREQ=DAILY", "timeZone": "Mars/Olympus"}),
            "timeZone",
        ),
        (
            json!({"kind": "CALL", "subject": "Hourly", "startsAt": start.to_rfc3339(), "recurrence": "FREQ=HOURLY;BYMINUTE=0"}),
            "recurrence",
        ),
        (
            json!({"kind": "CALL", "subject": "Endless", "startsAt": start.to_rfc3339(), "recurrence": "FREQ=DAILY;COUNT=5000"}),
            "recurrence",
        ),
        (
            json!({"kind": "CALL", "subject": "Garbled", "startsAt": start.to_rfc3339(), "recurrence": "EVERY MONDAY"}),
            "recurrence",
        ),
    ] {
        let r = app.gql(Some(&rep), CREATE, json!({"i": input})).await;
        assert_eq!(tests::fields(&r), [field], "{r}");
    }
    let done = app
        .gql(
            Some(&rep),
            "mutation($i: CompleteActivityInput!) { completeActivity(input: $i) { activity { id } } }",
            json!({"i": {"id": id, "version": series["version"]}}),
        )
        .await;
    assert_eq!(tests::fields(&done), ["status"], "{done}");
    // Another team's series is out of reach; the read-only role changes nothing.
    let south = app.login("rep3@demo.crm").await;
    let r = app
        .gql(
            Some(&south),
            EDIT_OCCURRENCE,
            json!({"i": {"seriesId": id, "occurrenceAt": day(4).to_rfc3339(), "subject": "Mine now"}}),
        )
        .await;
    assert_eq!(codes(&r), ["NOT_FOUND"], "{r}");
    let viewer = app.login("readonly@demo.crm").await;
    let r = app
        .gql(
            Some(&viewer),
            EDIT_OCCURRENCE,
            json!({"i": {"seriesId": id, "occurrenceAt": day(4).to_rfc3339(), "subject": "Viewed"}}),
        )
        .await;
    assert!(
        matches!(codes(&r).as_slice(), [c] if c == "FORBIDDEN" || c == "NOT_FOUND"),
        "{r}"
    );
    assert_eq!(app.count_rows("activities").await, rows);

    // Every occurrence: the series stops repeating; what was changed on its own stays.
    app.ok(
        &rep,
        "mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { activity { id } } }",
        json!({"i": {"id": id, "version": series["version"], "recurrence": ""}}),
    )
    .await;
    let all = entries_of(&app, &rep, &id, from).await;
    assert_eq!(
        all.iter().map(|a| time(&a["startsAt"])).collect::<Vec<_>>(),
        [day(0), day(2) + Duration::hours(3), day(3)]
    );
    assert_eq!(all[0]["seriesId"], Value::Null);
}

/// A daily call whose first start was yesterday and whose next is `ahead` from now, reminded
/// `lead` before each start.
async fn daily_call(
    app: &TestApp,
    token: &str,
    ahead: chrono::Duration,
    lead: chrono::Duration,
) -> (Value, chrono::DateTime<chrono::Utc>) {
    use chrono::{Duration, DurationRound, Utc};
    let next = (Utc::now() + ahead)
        .duration_trunc(Duration::seconds(1))
        .unwrap();
    let first = next - Duration::days(1);
    let series = create(
        app,
        token,
        json!({"kind": "CALL", "subject": "Daily check", "status": "PLANNED",
               "startsAt": first.to_rfc3339(), "remindAt": (first - lead).to_rfc3339(),
               "recurrence": "FREQ=DAILY;COUNT=5"}),
    )
    .await;
    (series, next)
}

#[tokio::test]
async fn a_repeating_call_reminds_of_each_occurrence_in_turn() {
    use chrono::Duration;
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let (series, next) = daily_call(&app, &rep, Duration::minutes(10), Duration::minutes(15)).await;
    // Yesterday's reminder gave way to today's: the occurrence ten minutes ahead.
    let reminders = |d: Value| -> Vec<Value> {
        d["myReminders"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["seriesId"] == series["id"] || a["id"] == series["id"])
            .cloned()
            .collect()
    };
    let q = "{ myReminders { id seriesId occurrenceAt startsAt remindAt subject } }";
    let got = reminders(app.ok(&rep, q, json!({})).await);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["seriesId"], series["id"]);
    assert_eq!(time(&got[0]["occurrenceAt"]), next);
    assert_eq!(time(&got[0]["startsAt"]), next);
    assert_eq!(time(&got[0]["remindAt"]), next - Duration::minutes(15));
    // Another user's reminders hold none of it.
    let rep2 = app.login("rep2@demo.crm").await;
    assert!(reminders(app.ok(&rep2, q, json!({})).await).is_empty());

    // Skipped, the occurrence reminds no more; the next one's time has not come.
    app.ok(
        &rep,
        EDIT_OCCURRENCE,
        json!({"i": {"seriesId": series["id"], "occurrenceAt": next.to_rfc3339(), "status": "CANCELLED"}}),
    )
    .await;
    assert!(reminders(app.ok(&rep, q, json!({})).await).is_empty());
}

#[tokio::test]
async fn a_repeating_call_s_next_reminder_arrives_live() {
    use chrono::Duration;
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let mut ws = crate::live::connect(&app, &rep).await;
    let sub = json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { reminderDue { id seriesId occurrenceAt } }"}});
    ws.send(Message::Text(sub.to_string().into()))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (series, next) = daily_call(&app, &rep, Duration::seconds(4), Duration::seconds(2)).await;
    let mut got = None;
    for _ in 0..8 {
        if let Some(m) = crate::live::next(&mut ws).await {
            got = Some(m);
            break;
        }
    }
    let m = got.expect("the occurrence's reminder arrived");
    let due = &m["payload"]["data"]["reminderDue"];
    assert_eq!(due["seriesId"], series["id"], "{m}");
    assert_eq!(time(&due["occurrenceAt"]), next);
    assert!(crate::live::next(&mut ws).await.is_none(), "announced once");
}

const TASK_FIELDS: &str =
    "id version status subject dueAt remindAt recurrence timeZone completedAt links { recordId }";

/// The caller's planned tasks named `subject`.
async fn tasks_named(app: &TestApp, token: &str, subject: &str) -> Vec<Value> {
    let q = format!("{{ myTasks {{ {TASK_FIELDS} }} }}");
    app.ok(token, &q, json!({})).await["myTasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["subject"] == subject)
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_repeating_task_is_followed_by_the_next_when_done() {
    use chrono::{Duration, DurationRound, Utc};
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let account = account_id(&app, &rep, "Acme Corporation").await;
    let due = (Utc::now() + Duration::days(1))
        .duration_trunc(Duration::hours(1))
        .unwrap();
    let create_q = format!(
        "mutation($i: CreateActivityInput!) {{ createActivity(input: $i) {{ activity {{ {TASK_FIELDS} }} }} }}"
    );
    let first = app
        .ok(
            &rep,
            &create_q,
            json!({"i": {"kind": "TASK", "subject": "Weekly report", "dueAt": due.to_rfc3339(),
                   "remindAt": (due - Duration::hours(1)).to_rfc3339(),
                   "recurrence": "freq=weekly;count=3", "timeZone": "Europe/Berlin",
                   "links": [account]}}),
        )
        .await["createActivity"]["activity"]
        .clone();
    assert_eq!(first["recurrence"], "FREQ=WEEKLY;COUNT=3");
    assert_eq!(first["timeZone"], "Europe/Berlin");
    // One task at a time: the list and the calendar hold the task itself, not its repeats.
    assert_eq!(tasks_named(&app, &rep, "Weekly report").await.len(), 1);
    let in_calendar = entries_of(&app, &rep, &first["id"], due - Duration::hours(2)).await;
    assert_eq!(in_calendar.len(), 1, "{in_calendar:?}");
    assert_eq!(in_calendar[0]["seriesId"], Value::Null);

    // Done, it hands its rule on to the next, due a week later with its reminder, links and zone.
    let complete = "mutation($i: CompleteActivityInput!) { completeActivity(input: $i) { activity { id status recurrence version } } }";
    let (rows, logged) = (
        app.count_rows("activities").await,
        app.count_rows("change_log").await,
    );
    let done = app
        .ok(
            &rep,
            complete,
            json!({"i": {"id": first["id"], "version": first["version"], "outcome": "Sent"}}),
        )
        .await["completeActivity"]["activity"]
        .clone();
    assert_eq!(done["status"], "DONE");
    assert_eq!(done["recurrence"], Value::Null, "the rule moved on");
    let open = tasks_named(&app, &rep, "Weekly report").await;
    assert_eq!(open.len(), 1, "{open:?}");
    let second = open[0].clone();
    assert_ne!(second["id"], first["id"]);
    assert_eq!(time(&second["dueAt"]), due + Duration::days(7));
    assert_eq!(
        time(&second["remindAt"]),
        due + Duration::days(7) - Duration::hours(1)
    );
    assert_eq!(second["recurrence"], "FREQ=WEEKLY;COUNT=2");
    assert_eq!(second["timeZone"], "Europe/Berlin");
    assert_eq!(second["status"], "PLANNED");
    assert_eq!(second["completedAt"], Value::Null);
    assert_eq!(second["links"], first["links"]);
    // One more task, and both writes logged (the update and the follower's creation).
    assert_eq!(app.count_rows("activities").await, rows + 1);
    assert_eq!(app.count_rows("change_log").await, logged + 2);

    // Reopened and closed again, the first makes no second follower.
    let reopened = app
        .ok(
            &rep,
            "mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { activity { id version status } } }",
            json!({"i": {"id": first["id"], "version": done["version"], "status": "PLANNED"}}),
        )
        .await["updateActivity"]["activity"]
        .clone();
    app.ok(
        &rep,
        complete,
        json!({"i": {"id": first["id"], "version": reopened["version"]}}),
    )
    .await;
    assert_eq!(
        tasks_named(&app, &rep, "Weekly report").await,
        std::slice::from_ref(&second)
    );

    // Cancelled (skipped), the second is followed by the third, the last: it repeats no more.
    app.ok(
        &rep,
        "mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { activity { id } } }",
        json!({"i": {"id": second["id"], "version": second["version"], "status": "CANCELLED"}}),
    )
    .await;
    let open = tasks_named(&app, &rep, "Weekly report").await;
    assert_eq!(open.len(), 1, "{open:?}");
    let third = open[0].clone();
    assert_eq!(time(&third["dueAt"]), due + Duration::days(14));
    assert_eq!(third["recurrence"], Value::Null);
    let rows = app.count_rows("activities").await;
    app.ok(
        &rep,
        complete,
        json!({"i": {"id": third["id"], "version": third["version"]}}),
    )
    .await;
    assert!(tasks_named(&app, &rep, "Weekly report").await.is_empty());
    assert_eq!(
        app.count_rows("activities").await,
        rows,
        "nothing follows the last"
    );

    // Another team's rep sees none of the series.
    let south = app.login("rep3@demo.crm").await;
    let r = app
        .gql(
            Some(&south),
            "query($id: ID!) { activity(id: $id) { id } }",
            json!({"id": third["id"]}),
        )
        .await;
    assert!(r["data"]["activity"].is_null(), "{r}");
}

#[tokio::test]
async fn a_weekly_meeting_keeps_its_local_time_across_daylight_saving_in_its_zone() {
    use chrono::{TimeZone, Utc};
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let utc = |m: u32, d: u32, h: u32| Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap();
    // Monday 19 October 2026 at 9:00 in Berlin (UTC+2); winter time (UTC+1) from the 25th.
    let series = app
        .ok(
            &rep,
            "mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id version status timeZone } } }",
            json!({"i": {"kind": "MEETING", "subject": "Berlin weekly", "startsAt": utc(10, 19, 7).to_rfc3339(),
                   "recurrence": "FREQ=WEEKLY;COUNT=4", "timeZone": "Europe/Berlin"}}),
        )
        .await["createActivity"]["activity"]
        .clone();
    assert_eq!(series["timeZone"], "Europe/Berlin");
    assert_eq!(
        series["status"], "PLANNED",
        "a series is not done as a whole"
    );
    let id = series["id"].clone();
    let starts = |entries: Vec<Value>| -> Vec<chrono::DateTime<Utc>> {
        entries.iter().map(|a| time(&a["startsAt"])).collect()
    };
    let from = utc(10, 18, 0);
    let mut seen = entries_of(&app, &rep, &id, from).await;
    seen.extend(entries_of(&app, &rep, &id, from + chrono::Duration::days(14)).await);
    assert_eq!(
        starts(seen),
        [utc(10, 19, 7), utc(10, 26, 8), utc(11, 2, 8), utc(11, 9, 8)],
        "9:00 in Berlin each Monday"
    );
    // This occurrence is the one at 8:00 UTC; 7:00 UTC is no start of the series.
    let r = app
        .gql(
            Some(&rep),
            EDIT_OCCURRENCE,
            json!({"i": {"seriesId": id, "occurrenceAt": utc(10, 26, 7).to_rfc3339(), "subject": "No"}}),
        )
        .await;
    assert_eq!(tests::fields(&r), ["occurrenceAt"], "{r}");
    let moved = app
        .ok(
            &rep,
            EDIT_OCCURRENCE,
            json!({"i": {"seriesId": id, "occurrenceAt": utc(10, 26, 8).to_rfc3339(), "subject": "Berlin weekly (moved)",
                   "startsAt": utc(10, 26, 10).to_rfc3339()}}),
        )
        .await["editOccurrence"]["activity"]
        .clone();
    assert_eq!(time(&moved["occurrenceAt"]), utc(10, 26, 8));
    // Back to UTC (an empty zone): 7:00 UTC each week; the moved one stays where it went.
    app.ok(
        &rep,
        "mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { activity { id } } }",
        json!({"i": {"id": id, "version": series["version"], "timeZone": ""}}),
    )
    .await;
    let mut seen = entries_of(&app, &rep, &id, from).await;
    seen.extend(entries_of(&app, &rep, &id, from + chrono::Duration::days(14)).await);
    assert_eq!(
        starts(seen),
        [
            utc(10, 19, 7),
            utc(10, 26, 7),
            utc(10, 26, 10),
            utc(11, 2, 7),
            utc(11, 9, 7)
        ]
    );
}
