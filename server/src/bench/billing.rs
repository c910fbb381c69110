//! Billing scenarios: issuing invoices from concurrent clients (numbers must come out unique and
//! without gaps), and the ageing, a customer's balance and the revenue report over a ledger of a
//! million invoice lines.

use std::time::Instant;

use chrono::Days;
use entity::billing::{invoice_lines, invoices};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{percentile, signed_in};
use crate::domain::billing::revenue::{self, RevenueScope};
use crate::domain::billing::{invoices as invoice_svc, ledger, orders};
use crate::domain::documents::quotes::LineIn;
use crate::domain::forecasts::periods::PeriodKind;
use crate::state::AppState;

fn fail(e: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!(e.message())
}

/// Drafts `n` one-unit invoices from one order, then issues them from `clients` concurrent
/// clients; checks the numbers and reports throughput and latency.
pub async fn invoice_issue(
    state: &AppState,
    n: usize,
    clients: usize,
    email: &str,
) -> anyhow::Result<String> {
    let ctx = signed_in(&state.db, email).await?;
    let customer = crate::bench::SampleRow::find_by_statement(sea_orm::Statement::from_string(
        state.db.get_database_backend(),
        "SELECT id, kind, code, sort_name, area FROM parties WHERE archived_at IS NULL LIMIT 1"
            .to_string(),
    ))
    .one(&state.db)
    .await?
    .ok_or_else(|| anyhow::anyhow!("the database has no parties; run `crm seed` first"))?;
    let order = orders::create(
        state,
        &ctx,
        orders::NewOrder {
            customer_id: customer.id,
            currency: Some("EUR".into()),
            lines: vec![LineIn {
                name: Some("Benchmark item".into()),
                quantity: n.to_string(),
                unit_price: Some("12.34".into()),
                ..Default::default()
            }],
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;
    let line = orders::lines(&state.db, order.id).await.map_err(fail)?[0].id;
    let mut drafts = Vec::with_capacity(n);
    for _ in 0..n {
        let d = invoice_svc::create_from_order(
            state,
            &ctx,
            invoice_svc::NewInvoice {
                order_id: order.id,
                lines: Some(vec![invoice_svc::LineQuantity {
                    line_id: line,
                    quantity: "1".into(),
                }]),
                ..Default::default()
            },
        )
        .await
        .map_err(fail)?;
        drafts.push((d.id, d.version));
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for chunk in drafts.chunks(n.div_ceil(clients.max(1))) {
        let (state, ctx, chunk) = (state.clone(), ctx.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::with_capacity(chunk.len());
            for (id, version) in chunk {
                let t = Instant::now();
                let m = invoice_svc::issue(&state, &ctx, id, version)
                    .await
                    .map_err(fail)?;
                out.push((m.sequence.unwrap_or(0), t.elapsed().as_secs_f64() * 1000.0));
            }
            anyhow::Ok(out)
        }));
    }
    let mut seqs = Vec::with_capacity(n);
    let mut times = Vec::with_capacity(n);
    for t in tasks {
        for (s, ms) in t.await?? {
            seqs.push(s);
            times.push(ms);
        }
    }
    let wall = started.elapsed().as_secs_f64();
    seqs.sort_unstable();
    let unique = seqs.windows(2).all(|w| w[0] != w[1]);
    let contiguous = seqs.windows(2).all(|w| w[1] == w[0] + 1);
    anyhow::ensure!(
        unique && contiguous && seqs.len() == n,
        "numbers not unique and gap-free"
    );
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(format!(
        "invoice-issue invoices={n} clients={clients} numbers {}..{} unique, no gaps  {:.0} invoices/s  median {:.2} ms  p90 {:.2} ms  p99 {:.2} ms",
        seqs.first().copied().unwrap_or(0),
        seqs.last().copied().unwrap_or(0),
        n as f64 / wall,
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
    ))
}

/// Invoices written per statement when the ledger is generated.
const BATCH: usize = 500;
/// Lines per generated invoice.
const LINES: usize = 10;

/// Fills the ledger up to `lines` invoice lines: issued EUR invoices of ten lines each, spread
/// over the parties, due over the last 200 days, some paid.
async fn generate(state: &AppState, lines: u64, owner: Uuid) -> anyhow::Result<u64> {
    let have = invoice_lines::Entity::find().count(&state.db).await?;
    if have >= lines {
        return Ok(0);
    }
    let parties: Vec<Uuid> = entity::parties::parties::Entity::find()
        .select_only()
        .column(entity::parties::parties::Column::Id)
        .limit(5_000)
        .into_tuple()
        .all(&state.db)
        .await?;
    anyhow::ensure!(!parties.is_empty(), "run `crm seed` first");
    let invoices_needed = (lines - have).div_ceil(LINES as u64) as usize;
    let today = orders::today();
    let now = crate::db::now();
    let mut made = 0;
    while made < invoices_needed {
        let k = BATCH.min(invoices_needed - made);
        let mut heads = Vec::with_capacity(k);
        let mut rows = Vec::with_capacity(k * LINES);
        for j in 0..k {
            let i = made + j;
            let id = Uuid::new_v4();
            let due = today - Days::new((i % 200) as u64);
            let net = 1_000 * LINES as i64;
            let total = net + net / 5;
            let paid = if i % 3 == 0 { total } else { 0 };
            heads.push(invoices::ActiveModel::from(invoices::Model {
                id,
                kind: "INVOICE".into(),
                series: "GEN".into(),
                year: Some(2026),
                sequence: Some(i as i32 + 1 + have as i32),
                number: Some(format!("GEN-{:09}", i + 1 + have as usize)),
                status: "ISSUED".into(),
                customer_id: parties[i % parties.len()],
                order_id: None,
                credited_invoice_id: None,
                owner_id: owner,
                currency: "EUR".into(),
                discount_bp: 0,
                issue_date: Some(due - Days::new(30)),
                due_date: Some(due),
                payment_days: 30,
                net_minor: net,
                tax_minor: net / 5,
                total_minor: total,
                paid_minor: paid,
                credited_minor: 0,
                open_minor: total - paid,
                dunning_level: 0,
                notes: None,
                version: 1,
                created_at: now,
                updated_at: now,
                created_by: None,
                updated_by: None,
            }));
            for p in 0..LINES {
                rows.push(invoice_lines::ActiveModel::from(invoice_lines::Model {
                    id: Uuid::new_v4(),
                    invoice_id: id,
                    position: p as i32,
                    order_line_id: None,
                    product_id: None,
                    code: None,
                    name: format!("Generated item {p}"),
                    unit: "each".into(),
                    quantity_milli: 1_000,
                    unit_price_minor: 1_000,
                    discount_bp: 0,
                    tax_category: "STANDARD".into(),
                    tax_rate_bp: 2000,
                    net_minor: 1_000,
                    tax_minor: 200,
                    total_minor: 1_200,
                }));
            }
        }
        invoices::Entity::insert_many(heads).exec(&state.db).await?;
        for chunk in rows.chunks(BATCH * 2) {
            invoice_lines::Entity::insert_many(chunk.to_vec())
                .exec(&state.db)
                .await?;
        }
        made += k;
    }
    Ok((invoices_needed * LINES) as u64)
}

/// The ageing of one customer and of the whole ledger, and one customer's balance, over at least
/// `lines` invoice lines (generated when missing), `iterations` times each.
pub async fn ledger(
    state: &AppState,
    iterations: usize,
    lines: u64,
    email: &str,
) -> anyhow::Result<String> {
    let ctx = signed_in(&state.db, email).await?;
    let owner = ctx.actor().map_err(fail)?.user_id;
    let t = Instant::now();
    let added = generate(state, lines, owner).await?;
    let gen = t.elapsed().as_secs_f64();
    let total_lines = invoice_lines::Entity::find().count(&state.db).await?;
    let total_invoices = invoices::Entity::find().count(&state.db).await?;
    let customer: Uuid = invoices::Entity::find()
        .select_only()
        .column(invoices::Column::CustomerId)
        .filter(invoices::Column::Series.eq("GEN"))
        .into_tuple()
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no generated invoices"))?;
    let today = orders::today();
    let mut out = vec![format!(
        "ledger       lines={total_lines} invoices={total_invoices} (generated {added} lines in {gen:.1} s)"
    )];
    for (name, who) in [("ageing-customer", Some(customer)), ("ageing-all", None)] {
        let mut times = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let t = Instant::now();
            ledger::ageing(&state.db, &ctx, who, today)
                .await
                .map_err(fail)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        out.push(format!(
            "{name:<16} median {:.2} ms  p90 {:.2} ms  p99 {:.2} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.9),
            percentile(&times, 0.99)
        ));
    }
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        ledger::balance(&state.db, &ctx, customer, today)
            .await
            .map_err(fail)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    out.push(format!(
        "balance          median {:.2} ms  p90 {:.2} ms  p99 {:.2} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99)
    ));
    // Revenue over the last twelve months of the whole ledger, and of one customer.
    let fy = crate::domain::forecasts::service::fiscal_start(&state.db)
        .await
        .map_err(fail)?;
    let from = today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(today);
    for (label, who) in [("all", None), ("customer", Some(customer))] {
        let scope =
            RevenueScope::new(from, today, PeriodKind::Month, fy, who, None).map_err(fail)?;
        for part in ["periods", "customers", "trends", "products"] {
            let mut times = Vec::with_capacity(iterations);
            for _ in 0..iterations {
                let t = Instant::now();
                match part {
                    "periods" => revenue::by_period(&state.db, &ctx, &scope)
                        .await
                        .map(|_| ()),
                    "customers" => revenue::top_customers(&state.db, &ctx, &scope, 10)
                        .await
                        .map(|_| ()),
                    "trends" => revenue::trends(&state.db, &ctx, &scope, 10)
                        .await
                        .map(|_| ()),
                    _ => revenue::top_products(&state.db, &ctx, &scope, 10)
                        .await
                        .map(|_| ()),
                }
                .map_err(fail)?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(|a, b| a.total_cmp(b));
            out.push(format!(
                "{:<16} median {:.2} ms  p90 {:.2} ms  p99 {:.2} ms",
                format!("revenue-{part}-{label}"),
                percentile(&times, 0.5),
                percentile(&times, 0.9),
                percentile(&times, 0.99)
            ));
        }
    }
    Ok(out.join("\n"))
}
