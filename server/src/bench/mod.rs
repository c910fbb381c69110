//! `crm bench <scenario>`: runs a named GraphQL operation many times in process, as a given user,
//! against an already seeded database, and reports latency percentiles and SQL statements per
//! request. Each request goes through token resolution and the schema, like an HTTP request.

pub mod billing;

use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{FromQueryResult, Statement};
use serde_json::{json, Value};

use crate::auth::sessions;
use crate::graphql::{build_schema, request_data, subscription_data};
use crate::http::context_for_token;
use crate::state::AppState;

/// A named operation and how to pick its variables.
pub struct Scenario {
    pub name: &'static str,
    pub query: &'static str,
    vars: fn(&Sample, &mut StdRng) -> Value,
}

/// Rows to draw variables from.
#[derive(Debug, FromQueryResult)]
pub struct SampleRow {
    pub id: uuid::Uuid,
    pub kind: String,
    pub code: String,
    pub sort_name: String,
    pub area: Option<String>,
}

/// A sample of parties visible to everyone (any owner), and the top team of the hierarchy.
pub struct Sample(Vec<SampleRow>, String);

fn pick<'a>(s: &'a Sample, rng: &mut StdRng) -> &'a SampleRow {
    &s.0[rng.gen_range(0..s.0.len())]
}

/// The forecast subject of the scenarios (the top team) and this calendar quarter.
fn forecast_vars(s: &Sample) -> Value {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    json!({"s": {"teamId": s.1}, "y": today.year(), "n": (today.month() as i32 - 1) / 3 + 1})
}

fn global(row: &SampleRow) -> String {
    let ty = if row.kind == "PERSON" {
        "Person"
    } else {
        "Organization"
    };
    crate::kit::ids::to_global_id(ty, row.id).0
}

/// `n` quote lines without products: mixed quantities, prices, discounts and tax categories.
fn quote_lines(n: usize) -> Value {
    let taxes = ["STANDARD", "REDUCED", "ZERO"];
    Value::Array(
        (0..n)
            .map(|i| {
                json!({"name": format!("Item {i}"), "quantity": format!("{}.{}", 1 + i % 9, i % 1000),
                       "unitPrice": format!("{}.{:02}", 10 + i * 7 % 990, i % 100),
                       "discountPercent": format!("{}", i % 12), "taxCategory": taxes[i % 3]})
            })
            .collect(),
    )
}

/// Every scenario.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "search-name",
        query: "query($t: String!) { search(text: $t, first: 10) { rank party { id displayName } } }",
        vars: |s, rng| {
            let row = pick(s, rng);
            let word = row.sort_name.split(' ').next_back().unwrap_or_default().to_string();
            json!({"t": word})
        },
    },
    Scenario {
        name: "search-code",
        query: "query($t: String!) { search(text: $t, first: 10) { rank party { id displayName } } }",
        vars: |s, rng| json!({"t": pick(s, rng).code}),
    },
    Scenario {
        name: "search-area",
        query: "query($t: String!) { search(text: $t, first: 10) { rank party { id displayName } } }",
        vars: |s, rng| json!({"t": pick(s, rng).area.clone().unwrap_or_default()}),
    },
    Scenario {
        name: "profile",
        query: "query($id: ID!) { partyProfile(id: $id) { id code displayName kind roles owner { displayName }
            contactMechanisms { kind value purposes }
            relationships(first: 10) { totalCount edges { node { kind roleLabel direction other { id displayName roles } } } }
            timeline(first: 10) { totalCount edges { node { at action actor { displayName } changes { field before after } } } } } }",
        vars: |s, rng| json!({"id": global(pick(s, rng))}),
    },
    Scenario {
        name: "accounts",
        query: "{ accounts(first: 25) { totalCount edges { node { id code name area owner { displayName } } } } }",
        vars: |_, _| json!({}),
    },
    Scenario {
        name: "board",
        query: "{ pipelineBoard(first: 25) { columns { stage { id name } count sum { amount currency } weightedSum { amount currency }
            cards { totalCount edges { cursor node { id name probability closeDate version position amount { amount currency } owner { displayName } account { name } } } } } } }",
        vars: |_, _| json!({}),
    },
    Scenario {
        name: "board-filtered",
        query: "query($from: String, $to: String) { pipelineBoard(first: 25, filter: {closeDateFrom: $from, closeDateTo: $to, amountMin: \"10000\"}) {
            columns { stage { id } count sum { amount currency } weightedSum { amount currency }
            cards { edges { node { id name closeDate amount { amount currency } owner { displayName } account { name } } } } } } }",
        vars: |_, _| {
            let today = chrono::Utc::now().date_naive();
            json!({"from": today.to_string(), "to": (today + chrono::Duration::days(90)).to_string()})
        },
    },
    Scenario {
        name: "timeline",
        query: "query($id: ID!) { recordTimeline(recordId: $id, first: 20) { totalCount edges { cursor node { __typename
            ... on TimelineEntry { at action actor { displayName } changes { field before after } }
            ... on Activity { kind subject startsAt dueAt status owner { displayName } } } } } }",
        vars: |s, rng| json!({"id": global(pick(s, rng))}),
    },
    Scenario {
        name: "leads",
        query: "{ leads(first: 25, filter: {statuses: [NEW, CONTACTED, QUALIFIED]}) { totalCount edges { cursor node { id code displayName
            organizationName status source email owner { displayName } contactLists { name } webFormName } } } }",
        vars: |_, _| json!({}),
    },
    Scenario {
        name: "leads-search",
        query: "query($t: String!) { leads(first: 25, filter: {search: $t}) { edges { node { id code displayName status owner { displayName } } } } }",
        vars: |s, rng| {
            let row = pick(s, rng);
            let word = row.sort_name.split(' ').next_back().unwrap_or_default().to_string();
            json!({"t": word})
        },
    },
    Scenario {
        name: "forecast-team",
        query: "query($s: ForecastSubjectInput!, $y: Int!, $n: Int) { forecast(subject: $s, period: {kind: QUARTER, year: $y, number: $n}) {
            counts { closedWon commit bestCase pipeline omitted }
            figures { currency closedWon commit bestCase pipeline weightedPipeline quota attainment }
            children { subject { name } counts { commit } figures { currency commit quota attainment } }
            latestSubmission { commit } latestAdjustment { commit } } }",
        vars: |s, _| forecast_vars(s),
    },
    Scenario {
        name: "forecast-statistical",
        query: "query($s: ForecastSubjectInput!, $y: Int!, $n: Int) { statisticalForecast(subject: $s, period: {kind: QUARTER, year: $y, number: $n}, trials: 10000) {
            status closedCount wonCount currencies { currency openCount p10 p50 p90 } } }",
        vars: |s, _| forecast_vars(s),
    },
    Scenario {
        name: "report-stage",
        query: "{ salesReport { pipelineByStage { stageName count amounts { currency sum weighted } } } }",
        vars: |_, _| json!({}),
    },
    Scenario {
        name: "report-performance",
        query: "{ salesReport { performance(groupBy: OWNER) { label won lost winRate averageCycleDays amounts { currency won averageDealSize } } } }",
        vars: |_, _| json!({}),
    },
    Scenario {
        name: "report-funnel",
        query: "{ salesReport { funnel { stageName entered won lost advanced conversion } } }",
        vars: |_, _| json!({}),
    },
    Scenario {
        name: "report-slippage",
        query: "{ salesReport { slippage(groupBy: QUARTER) { label opportunities slipped pushes averageSlipDays } } }",
        vars: |_, _| json!({}),
    },
    Scenario {
        name: "quote-save",
        query: "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { id number version
            current { gross { amount } discount { amount } net { amount } tax { amount } total { amount } } } } }",
        vars: |s, rng| {
            let row = pick(s, rng);
            json!({"i": {"customerId": global(row), "currency": "EUR", "lines": quote_lines(200)}})
        },
    },
    Scenario {
        name: "node",
        query: "query($id: ID!) { node(id: $id) { id ... on Person { displayName } ... on Organization { displayName } } }",
        vars: |s, rng| json!({"id": global(pick(s, rng))}),
    },
];

/// The outcome of a run.
pub struct Report {
    pub scenario: &'static str,
    pub iterations: usize,
    pub median_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub statements: (u64, u64),
    pub errors: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<12} n={:<5} median {:>7.2} ms  p90 {:>7.2} ms  p99 {:>7.2} ms  statements/request {}{}  errors {}",
            self.scenario,
            self.iterations,
            self.median_ms,
            self.p90_ms,
            self.p99_ms,
            self.statements.0,
            if self.statements.0 == self.statements.1 { String::new() } else { format!("–{}", self.statements.1) },
            self.errors
        )
    }
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Runs `scenario` `iterations` times as the user with `email`.
pub async fn run(
    state: &AppState,
    scenario: &str,
    iterations: usize,
    email: &str,
) -> anyhow::Result<Report> {
    let sc = SCENARIOS
        .iter()
        .find(|s| s.name == scenario)
        .ok_or_else(|| anyhow::anyhow!("unknown scenario {scenario}; known: {}", names()))?;
    let db = &state.db;
    let backend = db.get_database_backend();
    let rows = SampleRow::find_by_statement(Statement::from_string(
        backend,
        "SELECT id, kind, code, sort_name, area FROM parties WHERE archived_at IS NULL ORDER BY random() LIMIT 500".to_string(),
    ))
    .all(db)
    .await?;
    if rows.is_empty() {
        anyhow::bail!(
            "the database has no parties; run `crm seed` (and `crm seed --scale N`) first"
        );
    }
    let top: Option<(uuid::Uuid,)> = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        entity::access::teams::Entity::find()
            .filter(entity::access::teams::Column::ParentId.is_null())
            .select_only()
            .column(entity::access::teams::Column::Id)
            .into_tuple()
            .one(db)
            .await?
    };
    let sample = Sample(
        rows,
        top.map(|t| crate::kit::ids::to_global_id("Team", t.0).0)
            .unwrap_or_default(),
    );
    let user = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::access::users::Entity::find()
            .filter(entity::access::users::Column::Email.eq(email))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no user {email}"))?
    };
    let token = sessions::open_session(db, user.id, 1)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    let schema = build_schema(state);
    let mut rng = StdRng::seed_from_u64(7);
    let mut times = Vec::with_capacity(iterations);
    let (mut smin, mut smax, mut errors) = (u64::MAX, 0u64, 0usize);
    // Warm-up: caches, pool connections, prepared statements.
    for _ in 0..iterations.min(20) {
        let ctx = context_for_token(state, Some(&token))
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        let mut req = async_graphql::Request::new(sc.query).variables(
            async_graphql::Variables::from_json((sc.vars)(&sample, &mut rng)),
        );
        req.data = request_data(state, ctx);
        let _ = schema.execute(req).await;
    }
    for _ in 0..iterations {
        let vars = (sc.vars)(&sample, &mut rng);
        let before = state.statements.get();
        let t = Instant::now();
        let ctx = context_for_token(state, Some(&token))
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        let mut req = async_graphql::Request::new(sc.query)
            .variables(async_graphql::Variables::from_json(vars));
        req.data = request_data(state, ctx);
        let resp = schema.execute(req).await;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let n = state.statements.get() - before;
        smin = smin.min(n);
        smax = smax.max(n);
        if !resp.errors.is_empty() {
            errors += 1;
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(Report {
        scenario: sc.name,
        iterations,
        median_ms: percentile(&times, 0.5),
        p90_ms: percentile(&times, 0.9),
        p99_ms: percentile(&times, 0.99),
        statements: (smin, smax),
        errors,
    })
}

/// Subscription fan-out: `subscribers` live `opportunityChanges` streams (as the manager and the
/// North reps in turn), then `moves` moves of one opportunity; reports the time from the start of
/// each move until the last subscriber has its event.
pub async fn fanout(state: &AppState, subscribers: usize, moves: usize) -> anyhow::Result<String> {
    use futures_util::StreamExt;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let db = &state.db;
    let schema = build_schema(state);
    let user = |email: &'static str| async move {
        entity::access::users::Entity::find()
            .filter(entity::access::users::Column::Email.eq(email))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no user {email}: run `crm seed` first"))
    };
    let manager = user("manager@demo.crm").await?;
    let rep = user("rep@demo.crm").await?;
    let rep2 = user("rep2@demo.crm").await?;
    let mut tokens = Vec::new();
    for u in [&manager, &rep, &rep2] {
        tokens.push(
            sessions::open_session(db, u.id, 1)
                .await
                .map_err(|e| anyhow::anyhow!(e.message()))?,
        );
    }
    let opp = entity::opportunities::opportunities::Entity::find()
        .filter(entity::opportunities::opportunities::Column::OwnerId.eq(rep.id))
        .filter(entity::opportunities::opportunities::Column::Status.eq("OPEN"))
        .order_by_asc(entity::opportunities::opportunities::Column::Code)
        .one(db)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!("no open opportunity of rep@demo.crm: run `crm seed` first")
        })?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    for i in 0..subscribers {
        let ctx = context_for_token(state, Some(&tokens[i % tokens.len()]))
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        let mut req = async_graphql::Request::new(
            "subscription { opportunityChanges { cursor kind opportunity { id name version stage { name } amount { amount currency } owner { displayName } } } }",
        );
        req.data = subscription_data(state, ctx);
        let mut stream = schema.execute_stream(req);
        let tx = tx.clone();
        tokio::spawn(async move {
            while stream.next().await.is_some() {
                if tx.send(Instant::now()).is_err() {
                    break;
                }
            }
        });
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let actor = sessions::load_actor(db, manager.clone())
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    let ctx = crate::auth::RequestCtx {
        actor: Some(std::sync::Arc::new(actor)),
        token_state: crate::auth::TokenState::Valid,
        token_hash: None,
    };
    let catalog = crate::domain::opportunities::pipelines::Catalog::load(db)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    let stages: Vec<uuid::Uuid> = catalog
        .stages_of(opp.pipeline_id, false)
        .filter(|s| s.outcome == "OPEN")
        .map(|s| s.id)
        .collect();
    let mut version = opp.version;
    let (mut last, mut first) = (Vec::new(), Vec::new());
    for round in 0..moves {
        let t0 = Instant::now();
        let moved = crate::domain::opportunities::service::move_to(
            state,
            &ctx,
            opp.id,
            version,
            crate::domain::opportunities::service::Move {
                stage_id: stages[round % stages.len()],
                after_id: None,
                before_id: None,
                lost_reason: None,
                note: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
        version = moved.version;
        let mut got = Vec::with_capacity(subscribers);
        while got.len() < subscribers {
            match tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv()).await {
                Ok(Some(t)) => got.push(t.duration_since(t0).as_secs_f64() * 1000.0),
                _ => anyhow::bail!(
                    "only {} of {subscribers} subscribers got move {round}",
                    got.len()
                ),
            }
        }
        got.sort_by(|a, b| a.total_cmp(b));
        first.push(got[0]);
        last.push(got[got.len() - 1]);
    }
    last.sort_by(|a, b| a.total_cmp(b));
    first.sort_by(|a, b| a.total_cmp(b));
    Ok(format!(
        "fanout       subscribers={subscribers} moves={moves}  first delivery median {:.1} ms  all delivered median {:.1} ms  p90 {:.1} ms  max {:.1} ms",
        percentile(&first, 0.5),
        percentile(&last, 0.5),
        percentile(&last, 0.9),
        percentile(&last, 1.0),
    ))
}

/// The request context of `email` signed in, for scenarios that call the services directly.
pub(crate) async fn signed_in(
    db: &sea_orm::DatabaseConnection,
    email: &str,
) -> anyhow::Result<crate::auth::RequestCtx> {
    sessions::context_of(db, email)
        .await
        .map_err(|e| anyhow::anyhow!("{}: run `crm seed` first", e.message()))
}

/// A quote of 200 lines rendered as a PDF `iterations` times (document read under the caller's
/// scope, then the PDF made): the time a `GET /documents/quotes/{id}.pdf` spends in the server.
pub async fn quote_pdf(state: &AppState, iterations: usize, email: &str) -> anyhow::Result<String> {
    let db = &state.db;
    let ctx = signed_in(db, email).await?;
    let customer = SampleRow::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT id, kind, code, sort_name, area FROM parties WHERE archived_at IS NULL LIMIT 1"
            .to_string(),
    ))
    .one(db)
    .await?
    .ok_or_else(|| anyhow::anyhow!("the database has no parties; run `crm seed` first"))?;
    let lines: Vec<crate::domain::documents::quotes::LineIn> = (0..200)
        .map(|i| crate::domain::documents::quotes::LineIn {
            name: Some(format!(
                "Item {i} with a longer description that wraps in the table"
            )),
            quantity: format!("{}", 1 + i % 9),
            unit_price: Some(format!("{}.{:02}", 10 + i * 7 % 990, i % 100)),
            discount_percent: Some(format!("{}", i % 12)),
            ..Default::default()
        })
        .collect();
    let quote = crate::domain::documents::quotes::create(
        state,
        &ctx,
        crate::domain::documents::quotes::QuoteChanges {
            customer_id: Some(customer.id),
            currency: Some("EUR".into()),
            lines: Some(lines),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!(e.message()))?;
    let mut times = Vec::with_capacity(iterations);
    let mut size = 0;
    for _ in 0..iterations {
        let t = Instant::now();
        let doc = crate::domain::documents::quote_print::document(db, &ctx, quote.id, None)
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        size = crate::domain::documents::print::pdf(&doc).len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(format!(
        "quote-pdf    iterations={iterations} lines=200 bytes={size}  median {:.2} ms  p90 {:.2} ms  p99 {:.2} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
    ))
}

/// The scenario names.
pub fn names() -> String {
    SCENARIOS
        .iter()
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join(", ")
}
