//! Money in its currency's ISO 4217 minor units beyond documents: deal amounts, the board's sums
//! and amount filter, account revenue, forecasts, quotas and calls keep yen whole and dinars in
//! thousandths; a quote accepted in yen wins its deal with the same yen; amounts stored in
//! hundredths before move once.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use tests::{codes, fields, TestApp};

use crate::documents::quote_ok;
use crate::opportunities::{account_id, create};

const CREATE: &str =
    "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id } } }";

/// The stored minor units of the opportunity named `name`.
async fn stored(app: &TestApp, name: &str) -> Option<i64> {
    use entity::opportunities::opportunities::{Column, Entity};
    Entity::find()
        .filter(Column::Name.eq(name))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no opportunity {name}"))
        .amount_minor
}

/// Names of the board's cards in May 2031 with `filter` on top.
async fn names_within(app: &TestApp, token: &str, filter: Value) -> Vec<String> {
    let mut f = json!({"closeDateFrom": "2031-05-01", "closeDateTo": "2031-05-31"});
    f.as_object_mut()
        .unwrap()
        .extend(filter.as_object().unwrap().clone());
    let d = app
        .ok(
            token,
            "query($f: BoardFilter) { pipelineBoard(filter: $f) { columns { cards { edges { node { name } } } } } }",
            json!({"f": f}),
        )
        .await;
    let mut names: Vec<String> = d["pipelineBoard"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["cards"]["edges"].as_array().unwrap().clone())
        .map(|e| e["node"]["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn deal_amounts_sums_and_filters_keep_each_currency_s_decimals() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let deal = |name: &str, amount: &str, currency: &str| {
        json!({"name": name, "accountId": acme, "closeDate": "2031-05-15",
               "amount": {"amount": amount, "currency": currency}})
    };
    let yen = create(&app, &rep, deal("Yen deal", "1250000", "JPY")).await;
    assert_eq!(
        yen["amount"],
        json!({"amount": "1250000", "currency": "JPY"})
    );
    let dinar = create(&app, &rep, deal("Dinar deal", "1500.125", "KWD")).await;
    assert_eq!(
        dinar["amount"],
        json!({"amount": "1500.125", "currency": "KWD"})
    );
    let euro = create(&app, &rep, deal("Euro deal", "999999.99", "EUR")).await;
    assert_eq!(
        euro["amount"],
        json!({"amount": "999999.99", "currency": "EUR"})
    );
    // Stored in each currency's own minor units.
    assert_eq!(stored(&app, "Yen deal").await, Some(1_250_000));
    assert_eq!(stored(&app, "Dinar deal").await, Some(1_500_125));
    assert_eq!(stored(&app, "Euro deal").await, Some(99_999_999));

    // More decimals than the currency has are refused on the amount, naming the currency's rule;
    // a bad amount and a bad currency are named together; nothing is written.
    let before = app.count_rows("opportunities").await;
    for (amount, currency, wanted) in [
        ("1250.5", "JPY", "0 decimals in JPY"),
        ("1.2345", "KWD", "3 decimals in KWD"),
        ("1.234", "EUR", "2 decimals in EUR"),
    ] {
        let v = app
            .gql(
                Some(&rep),
                CREATE,
                json!({"i": deal("Refused", amount, currency)}),
            )
            .await;
        assert_eq!(codes(&v), ["BAD_USER_INPUT"], "{v}");
        assert_eq!(fields(&v), ["amount.amount"], "{v}");
        assert!(v.to_string().contains(wanted), "{wanted}: {v}");
    }
    let v = app
        .gql(
            Some(&rep),
            CREATE,
            json!({"i": deal("Refused", "12,5", "YENS")}),
        )
        .await;
    let mut named = fields(&v);
    named.sort();
    assert_eq!(named, ["amount.amount", "amount.currency"], "{v}");
    assert_eq!(app.count_rows("opportunities").await, before);

    // The board sums each currency in its decimals; weighted at Prospecting's 10 %.
    let d = app
        .ok(
            &rep,
            "{ pipelineBoard(filter: {closeDateFrom: \"2031-05-01\", closeDateTo: \"2031-05-31\"}) { columns { stage { name } sum { amount currency } weightedSum { amount currency } } } }",
            json!({}),
        )
        .await;
    let first = &d["pipelineBoard"]["columns"][0];
    assert_eq!(first["stage"]["name"], "Prospecting");
    assert_eq!(
        first["sum"],
        json!([{"amount": "999999.99", "currency": "EUR"},
               {"amount": "1250000", "currency": "JPY"},
               {"amount": "1500.125", "currency": "KWD"}])
    );
    assert_eq!(
        first["weightedSum"],
        json!([{"amount": "100000.00", "currency": "EUR"},
               {"amount": "125000", "currency": "JPY"},
               {"amount": "150.013", "currency": "KWD"}])
    );

    // An amount bound holds in every currency alike: 1,000,000 yen are not 1,000,000 euros.
    let at_least = |min: &str| json!({"amountMin": min});
    assert_eq!(
        names_within(&app, &rep, at_least("1000000")).await,
        ["Yen deal"]
    );
    assert_eq!(
        names_within(&app, &rep, at_least("999999.995")).await,
        ["Yen deal"],
        "999,999.99 euros are below 999,999.995"
    );
    assert_eq!(
        names_within(&app, &rep, at_least("1500.125")).await,
        ["Dinar deal", "Euro deal", "Yen deal"]
    );
    assert_eq!(
        names_within(&app, &rep, at_least("1500.126")).await,
        ["Euro deal", "Yen deal"]
    );
    assert_eq!(
        names_within(
            &app,
            &rep,
            json!({"amountMin": "1500.12", "amountMax": "1500.125"})
        )
        .await,
        ["Dinar deal"]
    );
    assert_eq!(
        names_within(&app, &rep, json!({"amountMax": "1249999.5"})).await,
        ["Dinar deal", "Euro deal"],
        "1,250,000 yen are above 1,249,999.5"
    );
    let v = app
        .gql(
            Some(&rep),
            "{ pipelineBoard(filter: {amountMin: \"1.2345\"}) { columns { count } } }",
            json!({}),
        )
        .await;
    assert_eq!(fields(&v), ["filter.amountMin"], "{v}");

    // The forecast sums the quarter per currency in its decimals.
    let admin = app.login("admin@demo.crm").await;
    let rita = app.user_id(&admin, "rep@demo.crm").await;
    let q = "{kind: QUARTER, year: 2031, number: 2}";
    let d = app
        .ok(
            &rep,
            &format!(
                "query($s: ForecastSubjectInput!) {{ forecast(subject: $s, period: {q}) {{ figures {{ currency pipeline weightedPipeline }} }} }}"
            ),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    let figures = d["forecast"]["figures"].as_array().unwrap();
    let of = |c: &str| figures.iter().find(|f| f["currency"] == c).cloned();
    assert_eq!(
        of("JPY"),
        Some(json!({"currency": "JPY", "pipeline": "1250000", "weightedPipeline": "125000"}))
    );
    assert_eq!(
        of("KWD"),
        Some(json!({"currency": "KWD", "pipeline": "1500.125", "weightedPipeline": "150.013"}))
    );
}

#[tokio::test]
async fn revenue_quotas_and_calls_keep_each_currency_s_decimals() {
    let app = TestApp::new().await;
    let admin = app.login("admin@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let rep = app.login("rep@demo.crm").await;
    let rita = app.user_id(&admin, "rep@demo.crm").await;

    // Account revenue.
    let create_account = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { annualRevenue { amount currency } } } }";
    let d = app
        .ok(
            &manager,
            create_account,
            json!({"i": {"name": "Tokyo Trading", "annualRevenue": {"amount": "5000000000", "currency": "jpy"}}}),
        )
        .await;
    assert_eq!(
        d["createAccount"]["account"]["annualRevenue"],
        json!({"amount": "5000000000", "currency": "JPY"})
    );
    let before = app.count_rows("parties").await;
    let v = app
        .gql(
            Some(&manager),
            create_account,
            json!({"i": {"name": "Osaka Trading", "annualRevenue": {"amount": "1.5", "currency": "JPY"}}}),
        )
        .await;
    assert_eq!(fields(&v), ["annualRevenue.amount"], "{v}");
    assert_eq!(app.count_rows("parties").await, before);

    // A quota in dinars, to the thousandth; in yen, whole only.
    let set = |amount: &str, currency: &str| {
        format!(
            "mutation($s: ForecastSubjectInput!) {{ setQuota(input: {{subject: $s, period: {{kind: QUARTER, year: 2031, number: 2}}, \
             currency: \"{currency}\", amount: \"{amount}\"}}) {{ quota {{ amount currency }} }} }}"
        )
    };
    let d = app
        .ok(
            &manager,
            &set("25000.250", "KWD"),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(
        d["setQuota"]["quota"],
        json!({"amount": "25000.250", "currency": "KWD"})
    );
    let quotas = app.count_rows("quotas").await;
    let v = app
        .gql(
            Some(&manager),
            &set("30000000.5", "JPY"),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(fields(&v), ["input.amount"], "{v}");
    assert_eq!(app.count_rows("quotas").await, quotas);
    let d = app
        .ok(
            &manager,
            &set("30000000", "JPY"),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(
        d["setQuota"]["quota"],
        json!({"amount": "30000000", "currency": "JPY"})
    );

    // A forecast call in yen, and its snapshot with the quota.
    let submit = |commit: &str| {
        format!(
            "mutation($s: ForecastSubjectInput!) {{ submitForecast(input: {{subject: $s, period: {{kind: QUARTER, year: 2031, number: 2}}, \
             currency: \"JPY\", commit: \"{commit}\", bestCase: \"2000000\"}}) {{ submission {{ commit bestCase currency snapshot {{ quota }} }} }} }}"
        )
    };
    let calls = app.count_rows("forecast_submissions").await;
    let v = app
        .gql(
            Some(&rep),
            &submit("1000000.25"),
            json!({"s": {"ownerId": rita}}),
        )
        .await;
    assert_eq!(fields(&v), ["input.commit"], "{v}");
    assert_eq!(app.count_rows("forecast_submissions").await, calls);
    let d = app
        .ok(&rep, &submit("1000000"), json!({"s": {"ownerId": rita}}))
        .await;
    assert_eq!(
        d["submitForecast"]["submission"],
        json!({"commit": "1000000", "bestCase": "2000000", "currency": "JPY",
               "snapshot": {"quota": "30000000"}})
    );
}

#[tokio::test]
async fn a_quote_accepted_in_yen_wins_its_deal_with_the_same_yen() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let acme = account_id(&app, &rep, "Acme Corporation").await;
    let opp = create(
        &app,
        &rep,
        json!({"name": "Yen licences", "accountId": acme,
               "amount": {"amount": "100000", "currency": "JPY"}}),
    )
    .await;
    let q = quote_ok(
        &app,
        &rep,
        "createQuote",
        "CreateQuoteInput",
        json!({"opportunityId": opp["id"], "lines": [
            {"name": "Licence", "unitPrice": "150000", "quantity": "2", "taxCategory": "ZERO"}]}),
    )
    .await;
    assert_eq!(q["currency"], "JPY");
    assert_eq!(q["net"]["amount"], "300000");
    let sent = quote_ok(
        &app,
        &rep,
        "sendQuote",
        "QuoteVersionInput",
        json!({"id": q["id"], "version": q["version"]}),
    )
    .await;
    let accepted = quote_ok(
        &app,
        &rep,
        "acceptQuote",
        "AcceptQuoteInput",
        json!({"id": sent["id"], "version": sent["version"], "winOpportunity": true}),
    )
    .await;
    assert_eq!(accepted["opportunity"]["status"], "WON");
    assert_eq!(
        accepted["opportunity"]["amount"],
        json!({"amount": "300000", "currency": "JPY"})
    );
    assert_eq!(stored(&app, "Yen licences").await, Some(300_000));
}

#[tokio::test]
async fn amounts_stored_in_hundredths_move_to_their_currency_s_minor_units() {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    // A database before the move, holding revenues written in hundredths.
    let (db, _) = server::db::connect("sqlite::memory:").await.unwrap();
    migration::Migrator::up(&db, Some(28)).await.unwrap();
    let backend = db.get_database_backend();
    let mut ids = Vec::new();
    for (i, (minor, currency)) in [
        (Some(123_456_i64), Some("JPY")),
        (Some(123_450), Some("JPY")),
        (Some(1_234), Some("KWD")),
        (Some(1_234), Some("EUR")),
        (None, None),
    ]
    .into_iter()
    .enumerate()
    {
        let id = uuid::Uuid::new_v4();
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            "INSERT INTO parties (id, kind, code, group_name, sort_name, status, version, created_at, updated_at, annual_revenue_minor, annual_revenue_currency)
             VALUES (?, 'ORGANIZATION', ?, 'Old Co', 'old co', 'ACTIVE', 1, ?, ?, ?, ?)",
            [
                id.into(),
                format!("A-00000{i}").into(),
                chrono::Utc::now().into(),
                chrono::Utc::now().into(),
                minor.into(),
                currency.map(str::to_string).into(),
            ],
        ))
        .await
        .unwrap();
        ids.push(id);
    }
    migration::Migrator::up(&db, None).await.unwrap();
    let mut got = Vec::new();
    for id in ids {
        let p = entity::parties::parties::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        got.push(p.annual_revenue_minor);
    }
    // 1,234.56 yen round to 1,235; 12.34 dinars are 12,340 thousandths; euros stay.
    assert_eq!(
        got,
        [Some(1_235), Some(1_235), Some(12_340), Some(1_234), None]
    );
}
