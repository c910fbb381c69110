//! Forecasts and sales reports through the API: exact figures rolled up through the team hierarchy,
//! the role matrix (row scope on subjects and figures, money refused field by field), quotas and
//! calls with their history, the statistical forecast and its backtest on the seeded history, the
//! reports and their CSV, bad input, and statement counts.

use serde_json::{json, Value};
use tests::{codes, TestApp};

use crate::opportunities::{account_id, create, stages};

/// A quarter far from the demo data, so its figures are exactly what a test creates.
const Q: &str = r#"{kind: QUARTER, year: 2031, number: 2}"#;

async fn team_id(app: &TestApp, token: &str, name: &str) -> String {
    let d = app.ok(token, "{ teams { id name } }", json!({})).await;
    d["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no team {name}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

const FORECAST: &str = "counts { closedWon commit bestCase pipeline omitted } \
    figures { currency closedWon commit bestCase pipeline weightedPipeline quota attainment } \
    subject { kind name } period { label start end }";

async fn forecast(app: &TestApp, token: &str, subject: Value) -> Value {
    let q = format!(
        "query($s: ForecastSubjectInput!) {{ forecast(subject: $s, period: {Q}) {{ {FORECAST} \
         children {{ {FORECAST} }} latestSubmission {{ commit note }} latestAdjustment {{ commit note }} }} }}"
    );
    app.gql(Some(token), &q, json!({"s": subject})).await
}

fn figures<'a>(f: &'a Value, currency: &str) -> &'a Value {
    f["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["currency"] == currency)
        .unwrap_or_else(|| panic!("no {currency} figures in {f}"))
}

/// Creates an opportunity in the test quarter for `owner` in a stage, with an amount.
async fn deal(app: &TestApp, token: &str, owner: &str, stage: &str, amount: &str, currency: &str) {
    let st = stages(app, token).await;
    let acme = account_id(app, token, "Acme Corporation").await;
    create(
        app,
        token,
        json!({"name": format!("Forecast {stage} {amount}"), "accountId": acme, "ownerId": owner,
               "stageId": st[stage], "amount": {"amount": amount, "currency": currency},
               "closeDate": "2031-05-15"}),
    )
    .await;
}

#[tokio::test]
async fn figures_are_exact_per_category_and_roll_up_the_hierarchy() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rita = app.user_id(&admin, "rep@demo.crm").await;
    let rob = app.user_id(&admin, "rep2@demo.crm").await;
    let sam = app.user_id(&admin, "rep3@demo.crm").await;
    // Default stage categories: Prospecting 10% → PIPELINE, Needs analysis 40% → BEST_CASE,
    // Negotiation 80% → COMMIT.
    deal(&app, &admin, &rita, "Prospecting", "1000.10", "EUR").await;
    deal(&app, &admin, &rita, "Needs analysis", "2000.25", "EUR").await;
    deal(&app, &admin, &rita, "Negotiation", "3000.33", "EUR").await;
    deal(&app, &admin, &rita, "Closed won", "500.00", "EUR").await;
    deal(&app, &admin, &rita, "Closed lost", "9999.00", "EUR").await;
    deal(&app, &admin, &rob, "Negotiation", "100.00", "USD").await;
    deal(&app, &admin, &sam, "Proposal", "700.00", "EUR").await;

    let v = forecast(&app, &admin, json!({"ownerId": rita})).await;
    assert!(v.get("errors").is_none(), "{v}");
    let f = &v["data"]["forecast"];
    assert_eq!(f["period"]["label"], "FY2031 Q2");
    assert_eq!(f["period"]["start"], "2031-04-01");
    assert_eq!(f["period"]["end"], "2031-06-30");
    assert_eq!(
        f["counts"],
        json!({"closedWon": 1, "commit": 1, "bestCase": 1, "pipeline": 1, "omitted": 1})
    );
    let eur = figures(f, "EUR");
    assert_eq!(eur["closedWon"], "500.00");
    assert_eq!(eur["commit"], "3000.33");
    assert_eq!(eur["bestCase"], "2000.25");
    assert_eq!(eur["pipeline"], "1000.10");
    // 1000.10 × 10% + 2000.25 × 40% + 3000.33 × 80% = 100.01 + 800.10 + 2400.264 = 3300.374
    assert_eq!(eur["weightedPipeline"], "3300.37");

    // North = Rita + Rob; All sales = North + South (Sam); each deal once, currencies apart.
    let north = team_id(&app, &admin, "North").await;
    let top = team_id(&app, &admin, "All sales").await;
    let v = forecast(&app, &admin, json!({"teamId": north})).await;
    let f = &v["data"]["forecast"];
    assert_eq!(f["counts"]["commit"], 2);
    assert_eq!(figures(f, "USD")["commit"], "100.00");
    assert_eq!(figures(f, "EUR")["commit"], "3000.33");
    let names: Vec<&str> = f["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Rita Rep", "Rob Rep"]);
    let v = forecast(&app, &admin, json!({"teamId": top})).await;
    let f = &v["data"]["forecast"];
    assert_eq!(
        f["counts"]["bestCase"], 2,
        "Sam's proposal (60%) is best case"
    );
    assert_eq!(figures(f, "EUR")["bestCase"], "2700.25");
    let kids: Vec<&str> = f["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kids,
        vec!["TEAM", "TEAM"],
        "North and South under All sales"
    );
}

#[tokio::test]
async fn the_role_matrix_holds_for_subjects_and_money() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rob = app.user_id(&admin, "rep2@demo.crm").await;
    let sam = app.user_id(&admin, "rep3@demo.crm").await;
    deal(&app, &admin, &sam, "Negotiation", "4000.00", "EUR").await;
    let south = team_id(&app, &admin, "South").await;
    let north = team_id(&app, &admin, "North").await;

    let rep = app.login("rep@demo.crm").await;
    // A rep reads their own team's forecasts, not another team's.
    assert!(forecast(&app, &rep, json!({"ownerId": rob}))
        .await
        .get("errors")
        .is_none());
    assert!(forecast(&app, &rep, json!({"teamId": north}))
        .await
        .get("errors")
        .is_none());
    assert_eq!(
        codes(&forecast(&app, &rep, json!({"teamId": south})).await),
        ["FORBIDDEN"]
    );
    assert_eq!(
        codes(&forecast(&app, &rep, json!({"ownerId": sam})).await),
        ["FORBIDDEN"]
    );
    // Support has no forecast grant at all.
    let support = app.login("support@demo.crm").await;
    assert_eq!(
        codes(&forecast(&app, &support, json!({"ownerId": sam})).await),
        ["FORBIDDEN"]
    );

    // Marketing reads counts; money is null with FORBIDDEN at its path, the record stays.
    let marketing = app.login("marketing@demo.crm").await;
    let v = forecast(&app, &marketing, json!({"teamId": south})).await;
    assert_eq!(v["data"]["forecast"]["counts"]["commit"], 1, "{v}");
    assert!(v["data"]["forecast"]["figures"].is_null());
    let paths: Vec<String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].to_string())
        .collect();
    assert!(
        paths.contains(&r#"["forecast","figures"]"#.to_string()),
        "{paths:?}"
    );
    assert!(codes(&v).iter().all(|c| c == "FORBIDDEN"));

    // The read-only role sees figures but may not submit or set quotas.
    let reader = app.login("readonly@demo.crm").await;
    let v = forecast(&app, &reader, json!({"teamId": south})).await;
    assert_eq!(figures(&v["data"]["forecast"], "EUR")["commit"], "4000.00");
    let me = app.user_id(&admin, "readonly@demo.crm").await;
    let v = app
        .gql(
            Some(&reader),
            &format!(
                "mutation($s: ForecastSubjectInput!) {{ submitForecast(input: {{subject: $s, period: {Q}, \
                 currency: \"EUR\", commit: \"1\", bestCase: \"2\"}}) {{ submission {{ id }} }} }}"
            ),
            json!({"s": {"ownerId": me}}),
        )
        .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    assert_eq!(
        app.count_rows("forecast_submissions").await,
        12,
        "only the seeded calls"
    );
}

#[tokio::test]
async fn quotas_are_versioned_and_guarded() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let rita = app.user_id(&admin, "rep@demo.crm").await;
    let set = |amount: &'static str, currency: &'static str| {
        format!(
            "mutation($s: ForecastSubjectInput!) {{ setQuota(input: {{subject: $s, period: {Q}, \
             currency: \"{currency}\", amount: \"{amount}\", note: \"plan\"}}) {{ quota {{ amount version currency setBy {{ email }} }} }} }}"
        )
    };
    let before = app.count_rows("quotas").await;
    // Bad input names every field and writes nothing.
    let v = app
        .gql(
            Some(&manager),
            &set("12,5", "EURO"),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    let fields = v["errors"][0]["extensions"]["fields"].to_string();
    assert!(
        fields.contains("input.amount") && fields.contains("input.currency"),
        "{v}"
    );
    let v = app
        .gql(
            Some(&manager),
            &set("1000", "EUR"),
            json!({"s": {"ownerId": rita, "teamId": "x"}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    // A rep may not set quotas.
    let v = app
        .gql(
            Some(&rep),
            &set("1000", "EUR"),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
    assert_eq!(app.count_rows("quotas").await, before);

    // The manager sets a quota for a member of a team they lead, then changes it.
    let d = app
        .ok(
            &manager,
            &set("250000", "EUR"),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(d["setQuota"]["quota"]["version"], 1);
    assert_eq!(d["setQuota"]["quota"]["setBy"]["email"], "manager@demo.crm");
    let d = app
        .ok(
            &manager,
            &set("300000.50", "EUR"),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(d["setQuota"]["quota"]["version"], 2);
    let v = forecast(&app, &rep, json!({"ownerId": rita})).await;
    let eur = figures(&v["data"]["forecast"], "EUR");
    assert_eq!(eur["quota"], "300000.50");
    assert_eq!(eur["closedWon"], "0.00");
    assert_eq!(eur["attainment"], 0.0);
    let d = app
        .ok(
            &rep,
            &format!(
                "query($s: ForecastSubjectInput!) {{ quotaHistory(subject: $s, period: {Q}) {{ amount version }} }}"
            ),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(
        d["quotaHistory"],
        json!([{"amount": "300000.50", "version": 2}, {"amount": "250000.00", "version": 1}])
    );
    // Every quota change is in the audit trail.
    assert!(
        app.count_rows("change_log WHERE object_type = 'quota'")
            .await
            >= 2
    );
}

#[tokio::test]
async fn calls_keep_snapshots_and_answer_what_was_called_when() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rita = app.user_id(&admin, "rep@demo.crm").await;
    deal(&app, &admin, &rita, "Negotiation", "5000.00", "EUR").await;
    let rep = app.login("rep@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let call = |mutation: &str, note: Option<&str>| {
        let note = note.map(|n| format!(", note: \"{n}\"")).unwrap_or_default();
        format!(
            "mutation($s: ForecastSubjectInput!) {{ {mutation}(input: {{subject: $s, period: {Q}, \
             currency: \"EUR\", commit: \"4500\", bestCase: \"6000\"{note}}}) {{ submission {{ kind commit \
             snapshot {{ commit closedWon }} submittedBy {{ email }} }} }} }}"
        )
    };
    let s = json!({"s": {"ownerId": rita}});
    let d = app
        .ok(&rep, &call("submitForecast", Some("solid")), s.clone())
        .await;
    let sub = &d["submitForecast"]["submission"];
    assert_eq!(sub["kind"], "SUBMISSION");
    assert_eq!(sub["snapshot"]["commit"], "5000.00");
    // A rep may not adjust; a manager must say why; a manager adjusts.
    assert_eq!(
        codes(
            &app.gql(Some(&rep), &call("adjustForecast", Some("x")), s.clone())
                .await
        ),
        ["FORBIDDEN"]
    );
    let v = app
        .gql(Some(&manager), &call("adjustForecast", None), s.clone())
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    assert!(v["errors"][0]["extensions"]["fields"]
        .to_string()
        .contains("input.note"));
    let cut = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    app.ok(
        &manager,
        &call("adjustForecast", Some("haircut for risk")),
        s.clone(),
    )
    .await;
    let v = forecast(&app, &rep, json!({"ownerId": rita})).await;
    assert_eq!(v["data"]["forecast"]["latestSubmission"]["note"], "solid");
    assert_eq!(
        v["data"]["forecast"]["latestAdjustment"]["note"],
        "haircut for risk"
    );
    // What was called by `cut`: only the submission; and what has been won since.
    let q = format!(
        "query($s: ForecastSubjectInput!, $t: DateTime) {{ forecastSubmissions(subject: $s, period: {Q}, asOf: $t) \
         {{ kind note actualClosedWon }} }}"
    );
    let d = app
        .ok(
            &manager,
            &q,
            json!({"s": {"ownerId": rita}, "t": cut.to_rfc3339()}),
        )
        .await;
    assert_eq!(
        d["forecastSubmissions"],
        json!([{"kind": "SUBMISSION", "note": "solid", "actualClosedWon": "0.00"}])
    );
    let d = app
        .ok(&manager, &q, json!({"s": {"ownerId": rita}, "t": null}))
        .await;
    assert_eq!(d["forecastSubmissions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_owner_overrides_a_category_and_teams_refuse_cycles() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let rita = app.user_id(&admin, "rep@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let st = stages(&app, &rep).await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let o = create(
        &app,
        &rep,
        json!({"name": "Override me", "accountId": acme, "stageId": st["Prospecting"],
               "amount": {"amount": "10", "currency": "EUR"}, "closeDate": "2031-05-01"}),
    )
    .await;
    let o = &o;
    let m = "mutation($i: SetForecastCategoryInput!) { setForecastCategory(input: $i) \
             { opportunity { version forecastCategory forecastCategoryOverridden } } }";
    let d = app
        .ok(
            &rep,
            m,
            json!({"i": {"id": o["id"], "version": o["version"], "category": "COMMIT"}}),
        )
        .await;
    let after = &d["setForecastCategory"]["opportunity"];
    assert_eq!(after["forecastCategory"], "COMMIT");
    assert_eq!(after["forecastCategoryOverridden"], true);
    let v = forecast(&app, &rep, json!({"ownerId": rita})).await;
    assert_eq!(v["data"]["forecast"]["counts"]["commit"], 1);
    assert_eq!(v["data"]["forecast"]["counts"]["pipeline"], 0);
    let v = app
        .gql(
            Some(&rep),
            m,
            json!({"i": {"id": o["id"], "version": after["version"], "category": "CLOSED"}}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    let v = app
        .gql(
            Some(&rep),
            m,
            json!({"i": {"id": o["id"], "version": 1, "category": null}}),
        )
        .await;
    assert_eq!(codes(&v), ["CONFLICT"]);

    // The hierarchy: putting All sales below North would loop.
    let north = team_id(&app, &admin, "North").await;
    let top = team_id(&app, &admin, "All sales").await;
    let p = "mutation($t: ID!, $p: ID) { setTeamParent(input: {teamId: $t, parentId: $p}) { team { name parent { name } children { name } } } }";
    let v = app
        .gql(Some(&admin), p, json!({"t": top, "p": north}))
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
    assert!(v["errors"][0]["extensions"]["fields"]
        .to_string()
        .contains("input.parentId"));
    assert_eq!(
        codes(&app.gql(Some(&rep), p, json!({"t": north, "p": null})).await),
        ["FORBIDDEN"]
    );
    let d = app.ok(&admin, p, json!({"t": north, "p": top})).await;
    assert_eq!(d["setTeamParent"]["team"]["parent"]["name"], "All sales");
    let d = app
        .ok(&admin, "{ teams { name children { name } } }", json!({}))
        .await;
    let all = d["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "All sales")
        .unwrap();
    assert_eq!(
        all["children"],
        json!([{"name": "North"}, {"name": "South"}])
    );
}

const STAT: &str = "status basis closedCount wonCount minimumClosed minimumWon \
    stages { stageName samples winRate } slippage { samples p50Days } \
    currencies { currency openCount closedWon p10 p50 p90 }";

#[tokio::test]
async fn the_statistical_forecast_runs_on_history_and_says_when_there_is_too_little() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let top = team_id(&app, &admin, "All sales").await;
    let q = format!(
        "query($s: ForecastSubjectInput!, $p: ID) {{ statisticalForecast(subject: $s, pipelineId: $p, \
         period: {{kind: YEAR, year: 2031}}, trials: 2000, seed: 7) {{ {STAT} }} }}"
    );
    let d = app.ok(&admin, &q, json!({"s": {"teamId": top}})).await;
    let s = &d["statisticalForecast"];
    assert_eq!(s["status"], "OK", "{s}");
    assert!(s["closedCount"].as_u64().unwrap() >= 30);
    assert!(s["wonCount"].as_u64().unwrap() >= 10);
    // The first stage's win rate is the share of all closed deals that were won.
    let first = &s["stages"][0];
    assert_eq!(first["stageName"], "Prospecting");
    let rate = first["winRate"].as_f64().unwrap();
    let expected = s["wonCount"].as_f64().unwrap() / s["closedCount"].as_f64().unwrap();
    assert!((rate - expected).abs() < 0.05, "{rate} vs {expected}");
    // Seeded: the same request gives the same quantiles.
    let again = app.ok(&admin, &q, json!({"s": {"teamId": top}})).await;
    assert_eq!(again, d);

    // A new pipeline has no history: the counts, never a guess.
    let d = app
        .ok(
            &admin,
            "mutation { createPipeline(input: {name: \"Fresh\", stages: [{name: \"Open\", probability: 50, outcome: OPEN}, \
             {name: \"Won\", probability: 100, outcome: WON}, {name: \"Lost\", probability: 0, outcome: LOST}]}) { id } }",
            json!({}),
        )
        .await;
    let fresh = d["createPipeline"]["id"].clone();
    let d = app
        .ok(&admin, &q, json!({"s": {"teamId": top}, "p": fresh}))
        .await;
    let s = &d["statisticalForecast"];
    assert_eq!(s["status"], "INSUFFICIENT_HISTORY");
    assert_eq!(s["closedCount"], 0);
    assert_eq!(s["minimumClosed"], 30);
    assert_eq!(s["currencies"], json!([]));

    // Marketing gets the model but not the money.
    let marketing = app.login("marketing@demo.crm").await;
    let v = app
        .gql(Some(&marketing), &q, json!({"s": {"teamId": top}}))
        .await;
    assert_eq!(v["data"]["statisticalForecast"]["status"], "OK");
    assert!(codes(&v).iter().all(|c| c == "FORBIDDEN") && !codes(&v).is_empty());

    // The backtest replays past quarters and reports its calibration.
    let d = app
        .ok(
            &admin,
            "query($s: ForecastSubjectInput!) { forecastBacktest(subject: $s, currency: \"EUR\", periods: 6) \
             { evaluated calibration periods { status p10 p90 actual inside period { label } } } }",
            json!({"s": {"teamId": top}}),
        )
        .await;
    let b = &d["forecastBacktest"];
    assert_eq!(b["periods"].as_array().unwrap().len(), 6);
    let evaluated = b["evaluated"].as_u64().unwrap();
    assert!(evaluated >= 1, "{b}");
    let inside = b["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["inside"] == true)
        .count() as f64;
    assert_eq!(
        b["calibration"].as_f64().unwrap(),
        inside / evaluated as f64
    );
}

#[tokio::test]
async fn reports_follow_row_scope_and_field_grants_and_stream_as_csv() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let q = "query($f: ReportFilter) { salesReport(filter: $f) { \
             pipelineByStage { stageName count amounts { currency sum } } \
             performance(groupBy: OWNER) { label won lost winRate averageCycleDays amounts { currency won averageDealSize } } \
             funnel { stageName entered won lost advanced conversion } \
             slippage(groupBy: QUARTER) { label opportunities slipped pushes averageSlipDays } } }";
    let d = app.ok(&admin, q, json!({})).await;
    let r = &d["salesReport"];
    let staged: u64 = r["pipelineByStage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert!(
        staged >= 160,
        "the seeded history is in the report: {staged}"
    );
    let closed: u64 = r["performance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["won"].as_u64().unwrap() + p["lost"].as_u64().unwrap())
        .sum();
    assert!(closed >= 160);
    let funnel = r["funnel"].as_array().unwrap();
    assert_eq!(funnel[0]["stageName"], "Prospecting");
    assert!(funnel[0]["entered"].as_u64().unwrap() >= funnel[1]["entered"].as_u64().unwrap());
    assert!(r["slippage"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["pushes"].as_u64().unwrap() > 0));

    // A rep's report covers only what the rep may list.
    let rep = app.login("rep@demo.crm").await;
    let d = app.ok(&rep, q, json!({})).await;
    let labels: Vec<&str> = d["salesReport"]["performance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert!(!labels.contains(&"Sam South"), "{labels:?}");
    assert!(labels.contains(&"Rita Rep"));

    // Marketing gets counts, and amounts as null with FORBIDDEN, never totals.
    let marketing = app.login("marketing@demo.crm").await;
    let v = app.gql(Some(&marketing), q, json!({})).await;
    assert!(v["data"]["salesReport"]["pipelineByStage"][0]["count"].is_u64());
    assert!(v["data"]["salesReport"]["pipelineByStage"][0]["amounts"].is_null());
    assert!(v["data"]["salesReport"]["performance"][0]["amounts"].is_null());
    assert!(codes(&v).iter().all(|c| c == "FORBIDDEN"));

    // Bad filters name the field.
    let v = app
        .gql(Some(&admin), q, json!({"f": {"from": "2026-13-01"}}))
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);

    // CSV: the same rows; money columns left out for marketing; a token is required.
    let get = |name: &str, token: Option<&str>| {
        let mut r = app
            .client
            .get(format!("{}/reports/{name}?groupBy=OWNER", app.url));
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.send()
    };
    let resp = get("performance.csv", Some(&admin)).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = resp.text().await.unwrap();
    assert!(text.starts_with("group,won,lost,win_rate,average_cycle_days,currency,won_amount"));
    let text = get("performance.csv", Some(&marketing))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.starts_with("group,won,lost,win_rate,average_cycle_days\n"),
        "{text}"
    );
    assert!(!text.contains("EUR"));
    assert_eq!(get("performance.csv", None).await.unwrap().status(), 401);
    assert_eq!(
        get("nothing.csv", Some(&admin)).await.unwrap().status(),
        404
    );
    let rows = get("opportunities.csv", Some(&rep))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rows.lines().count() > 1);
    assert!(
        rows.lines().skip(1).all(|l| !l.contains("History deal 3,")),
        "Sam's deals are not the rep's"
    );
}

#[tokio::test]
async fn a_team_forecast_takes_a_fixed_number_of_statements() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let top = team_id(&app, &admin, "All sales").await;
    let count = |app: &TestApp| app.statements();
    // Warm the session.
    forecast(&app, &admin, json!({"teamId": top})).await;
    let before = count(&app);
    forecast(&app, &admin, json!({"teamId": top})).await;
    let few = count(&app) - before;
    let rita = app.user_id(&admin, "rep@demo.crm").await;
    for i in 0..12 {
        deal(
            &app,
            &admin,
            &rita,
            "Proposal",
            &format!("{}.00", 100 + i),
            "EUR",
        )
        .await;
    }
    let before = count(&app);
    forecast(&app, &admin, json!({"teamId": top})).await;
    let many = count(&app) - before;
    assert_eq!(few, many, "statements grow with the data");
    assert!(many <= 9, "{many} statements");
}

#[tokio::test]
async fn stuck_deals_are_those_without_a_stage_change_for_a_while_under_row_scope() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let sam = app.user_id(&admin, "rep3@demo.crm").await;
    let st = stages(&app, &admin).await;
    let acme = account_id(&app, &admin, "Acme Corporation").await;
    let o = create(
        &app,
        &admin,
        json!({"name": "Stuck at Acme", "accountId": acme, "ownerId": sam, "stageId": st["Proposal"]}),
    )
    .await;
    let q = "{ stuckOpportunities(days: 30) { name owner { email } } }";
    let names = |d: &Value| -> Vec<String> {
        d["stuckOpportunities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!names(&app.ok(&admin, q, json!({})).await).contains(&"Stuck at Acme".to_string()));
    // Its stage last changed 40 days ago.
    let id = server::kit::ids::parse_global_id(o["id"].as_str().unwrap())
        .unwrap()
        .1;
    let past = chrono::Utc::now() - chrono::Duration::days(40);
    use entity::opportunities::opportunity_history as h;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let stmt = Query::update()
        .table(h::Entity)
        .value(h::Column::OccurredAt, past)
        .and_where(Expr::col(h::Column::OpportunityId).eq(id))
        .to_owned();
    app.state.db.execute(&stmt).await.unwrap();
    assert!(names(&app.ok(&admin, q, json!({})).await).contains(&"Stuck at Acme".to_string()));
    // Sam's deal is not Rita's to see.
    let rep = app.login("rep@demo.crm").await;
    assert!(!names(&app.ok(&rep, q, json!({})).await).contains(&"Stuck at Acme".to_string()));
    let v = app
        .gql(
            Some(&rep),
            "{ stuckOpportunities(days: 0) { name } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&v), ["BAD_USER_INPUT"]);
}

/// Every role against every forecast path: reading a team's forecast (and whether money shows),
/// setting a quota, submitting one's own call, adjusting a rep's, the reports and their CSV.
#[tokio::test]
async fn the_role_matrix_covers_every_forecast_and_report_path() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let top = team_id(&app, &admin, "All sales").await;
    let rita = app.user_id(&admin, "rep@demo.crm").await;
    // (role's user, reads the top team, sees money, sets quotas, submits, adjusts, reports)
    let matrix = [
        ("admin@demo.crm", true, true, true, true, true, true),
        ("manager@demo.crm", true, true, true, true, true, true),
        ("rep@demo.crm", false, true, false, true, false, true),
        ("marketing@demo.crm", true, false, false, false, false, true),
        ("support@demo.crm", false, false, false, false, false, true),
        ("partner@demo.crm", false, false, false, false, false, false),
        (
            "customer@demo.crm",
            false,
            false,
            false,
            false,
            false,
            false,
        ),
        ("readonly@demo.crm", true, true, false, false, false, true),
    ];
    let ok = |v: &Value| v.get("errors").is_none();
    for (email, reads, money, quotas, submits, adjusts, reports) in matrix {
        let t = app.login(email).await;
        let me = app.user_id(&admin, email).await;
        let v = app
            .gql(
                Some(&t),
                &format!("query($s: ForecastSubjectInput!) {{ forecast(subject: $s, period: {Q}) {{ counts {{ commit }} figures {{ commit }} }} }}"),
                json!({"s": {"teamId": top}}),
            )
            .await;
        if !reads {
            assert_eq!(codes(&v), ["FORBIDDEN"], "{email} read the top team: {v}");
        } else {
            assert!(v["data"]["forecast"]["counts"].is_object(), "{email}: {v}");
            assert_eq!(
                v["data"]["forecast"]["figures"].is_array(),
                money,
                "{email}: {v}"
            );
        }
        let v = app
            .gql(
                Some(&t),
                &format!("mutation($s: ForecastSubjectInput!) {{ setQuota(input: {{subject: $s, period: {Q}, currency: \"EUR\", amount: \"1\"}}) {{ quota {{ version }} }} }}"),
                json!({"s": {"ownerId": rita}}),
            )
            .await;
        assert_eq!(ok(&v), quotas, "{email} set a quota: {v}");
        let call = |m: &str| {
            format!("mutation($s: ForecastSubjectInput!) {{ {m}(input: {{subject: $s, period: {Q}, currency: \"EUR\", commit: \"1\", bestCase: \"2\", note: \"n\"}}) {{ submission {{ kind }} }} }}")
        };
        let v = app
            .gql(
                Some(&t),
                &call("submitForecast"),
                json!({"s": {"ownerId": me}}),
            )
            .await;
        assert_eq!(ok(&v), submits, "{email} submitted: {v}");
        let v = app
            .gql(
                Some(&t),
                &call("adjustForecast"),
                json!({"s": {"ownerId": rita}}),
            )
            .await;
        assert_eq!(
            ok(&v),
            adjusts && email != "rep@demo.crm",
            "{email} adjusted: {v}"
        );
        let v = app
            .gql(
                Some(&t),
                "{ salesReport { funnel { entered } performance { won } } }",
                json!({}),
            )
            .await;
        assert_eq!(ok(&v), reports, "{email} read the reports: {v}");
        let status = app
            .client
            .get(format!("{}/reports/funnel.csv", app.url))
            .header("authorization", format!("Bearer {t}"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(
            status,
            if reports { 200 } else { 403 },
            "{email} funnel.csv"
        );
    }
}
