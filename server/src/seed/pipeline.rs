//! Pipeline seed data: the demo company's opportunities (through the services, so history and
//! change log tell their story) and bulk opportunities with stage histories for benchmarks.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use entity::access::users;
use entity::opportunities::{opportunities, opportunity_history, pipeline_stages};
use entity::parties::{parties, party_roles};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::db;
use crate::domain::opportunities::kinds::{lead_source, StageOutcome};
use crate::domain::opportunities::pipelines::{self, Catalog, StageSpec};
use crate::domain::opportunities::rules;
use crate::domain::opportunities::service::{self, MoneyInput, Move, OpportunityChanges};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const PRODUCTS: &[&str] = &[
    "Platform licence",
    "Support renewal",
    "Onboarding package",
    "Data migration",
    "Analytics add-on",
    "Hardware refresh",
    "Training days",
];

/// The demo opportunities: one or two per account across the Sales pipeline, a Renewals pipeline
/// with a few more, each created and moved through the services.
pub async fn seed_demo_pipeline(state: &AppState, ctx: &RequestCtx) -> AppResult<()> {
    pipelines::create_pipeline(
        state,
        ctx,
        "Renewals",
        false,
        &[
            ("Upcoming", 50, StageOutcome::Open),
            ("In negotiation", 75, StageOutcome::Open),
            ("Renewed", 100, StageOutcome::Won),
            ("Churned", 0, StageOutcome::Lost),
        ]
        .map(|(name, probability, outcome)| StageSpec {
            name: name.to_string(),
            probability,
            outcome,
        }),
    )
    .await?;
    let catalog = Catalog::load(&state.db).await?;
    let sales = catalog
        .default_pipeline()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no default pipeline")))?
        .id;
    let renewals = catalog
        .pipelines
        .iter()
        .find(|p| p.name == "Renewals")
        .map(|p| p.id)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no renewals pipeline")))?;
    let sales_stages: Vec<Uuid> = catalog.stages_of(sales, false).map(|s| s.id).collect();
    let renewal_stages: Vec<Uuid> = catalog.stages_of(renewals, false).map(|s| s.id).collect();
    let accounts = parties::Entity::find()
        .filter(parties::Column::Kind.eq("ORGANIZATION"))
        .order_by_asc(parties::Column::Code)
        .all(&state.db)
        .await?;
    let today = db::now().date_naive();
    let sources = lead_source::ALL;
    for (i, a) in accounts.iter().enumerate() {
        let currency = a
            .annual_revenue_currency
            .clone()
            .unwrap_or_else(|| "EUR".into());
        let deals = if i % 3 == 0 { 2 } else { 1 };
        for d in 0..deals {
            let k = i * 2 + d;
            let (pipeline, stages) = if d == 1 && i % 6 == 0 {
                (renewals, &renewal_stages)
            } else {
                (sales, &sales_stages)
            };
            let amount = 5_000 + (k as i64 * 7_919) % 240_000;
            let m = service::create(
                state,
                ctx,
                OpportunityChanges {
                    name: Some(format!(
                        "{} – {}",
                        a.group_name.clone().unwrap_or_default(),
                        PRODUCTS[k % PRODUCTS.len()]
                    )),
                    account_id: Some(a.id),
                    owner_id: a.owner_id,
                    pipeline_id: Some(pipeline),
                    amount: Some(Some(MoneyInput {
                        amount: amount.to_string(),
                        currency: currency.clone(),
                    })),
                    close_date: Some(
                        (today + Duration::days(10 + (k as i64 * 11) % 150)).to_string(),
                    ),
                    next_step: Some("Call to agree the next meeting".into()),
                    lead_source: Some(Some(sources[k % sources.len()].to_string())),
                    opportunity_type: Some(
                        ["new_business", "new_business", "upgrade", "renewal"][k % 4].into(),
                    ),
                    ..Default::default()
                },
            )
            .await?;
            // Walk it forward stage by stage, so its history reads like a real deal; a closed deal
            // leaves from its last open stage.
            let target = (k * 5) % stages.len();
            let open = |id: &Uuid| catalog.stage(*id).is_some_and(|s| s.outcome == "OPEN");
            let mut path: Vec<Uuid> = stages[1..=target].iter().copied().filter(open).collect();
            if !open(&stages[target]) {
                path.push(stages[target]);
            }
            let mut version = m.version;
            let last = path.len();
            for (step, stage) in path.into_iter().enumerate() {
                let lost = catalog.stage(stage).is_some_and(|s| s.outcome == "LOST");
                let moved = service::move_to(
                    state,
                    ctx,
                    m.id,
                    version,
                    Move {
                        stage_id: stage,
                        after_id: None,
                        before_id: None,
                        lost_reason: lost.then(|| "Chose a competitor".to_string()),
                        note: (step + 1 == last).then(|| "Agreed in the weekly review".to_string()),
                    },
                )
                .await?;
                version = moved.version;
            }
        }
    }
    Ok(())
}

/// Adds `n` open opportunities (plus a tenth as many won and a twentieth lost) on existing accounts
/// of the default pipeline, each with the stage history that led it there. Deterministic.
pub async fn seed_opportunities(db: &DatabaseConnection, n: u64) -> AppResult<String> {
    let started = Instant::now();
    let catalog = Catalog::load(db).await?;
    let pipeline = catalog
        .default_pipeline()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no pipeline: run `crm seed` first")))?
        .id;
    let stages: Vec<pipeline_stages::Model> = catalog.stages_of(pipeline, false).cloned().collect();
    let open: Vec<usize> = (0..stages.len())
        .filter(|i| stages[*i].outcome == "OPEN")
        .collect();
    let won = stages.iter().position(|s| s.outcome == "WON");
    let lost = stages.iter().position(|s| s.outcome == "LOST");
    let sellers: Vec<Uuid> = users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|u| {
            matches!(
                u.email.as_str(),
                "rep@demo.crm" | "rep2@demo.crm" | "rep3@demo.crm" | "manager@demo.crm"
            ) || u.email.ends_with("@scale.crm")
        })
        .map(|u| u.id)
        .collect();
    let accounts: Vec<Uuid> = party_roles::Entity::find()
        .filter(party_roles::Column::Role.eq("ACCOUNT"))
        .select_only()
        .column(party_roles::Column::PartyId)
        .into_tuple()
        .all(db)
        .await?;
    if sellers.is_empty() || accounts.is_empty() || open.is_empty() {
        return Err(AppError::internal(anyhow::anyhow!(
            "seed the demo company first: no sellers, accounts or open stages"
        )));
    }
    let already = opportunities::Entity::find().count(db).await?;
    let mut rng = StdRng::seed_from_u64(already ^ 0x0bb0);
    // Which stage each new opportunity ends in.
    let total = n + n / 10 + n / 20;
    let mut plan: Vec<usize> = Vec::with_capacity(total as usize);
    for k in 0..total {
        let s = if k < n {
            open[rng.gen_range(0..open.len())]
        } else if k < n + n / 10 {
            won.unwrap_or(open[0])
        } else {
            lost.unwrap_or(open[0])
        };
        plan.push(s);
    }
    // Positions continue after what each column holds already.
    let mut keys: HashMap<usize, std::vec::IntoIter<String>> = HashMap::new();
    for (si, stage) in stages.iter().enumerate() {
        let count = plan.iter().filter(|s| **s == si).count();
        let last: Option<String> = opportunities::Entity::find()
            .filter(opportunities::Column::StageId.eq(stage.id))
            .order_by_desc(opportunities::Column::Position)
            .one(db)
            .await?
            .map(|m| m.position);
        let mut list = Vec::with_capacity(count);
        let mut prev = last;
        for _ in 0..count {
            let k = rules::key_between(prev.as_deref(), None);
            prev = Some(k.clone());
            list.push(k);
        }
        keys.insert(si, list.into_iter());
    }
    let now = db::now();
    let today = now.date_naive();
    let (mut n_opps, mut n_hist) = (0u64, 0u64);
    const BATCH: usize = 400;
    for (chunk_no, chunk) in plan.chunks(BATCH).enumerate() {
        let txn = db::begin_write(db).await?;
        let (mut os, mut hs) = (Vec::new(), Vec::new());
        for (j, si) in chunk.iter().enumerate() {
            let k = already + (chunk_no * BATCH + j) as u64 + 1;
            let id = Uuid::new_v4();
            let stage = &stages[*si];
            let amount: i64 = rng.gen_range(1_000..500_000) * 100;
            let currency = if rng.gen_ratio(1, 5) { "USD" } else { "EUR" };
            let created = now - Duration::days(rng.gen_range(20..400));
            let close: NaiveDate = today + Duration::days(rng.gen_range(-30..240));
            let closed = stage.outcome != "OPEN";
            os.push(opportunities::ActiveModel::from(opportunities::Model {
                id,
                code: format!("O-S{k:07}"),
                name: format!("Deal {k} – {}", PRODUCTS[rng.gen_range(0..PRODUCTS.len())]),
                account_id: accounts[rng.gen_range(0..accounts.len())],
                owner_id: sellers[rng.gen_range(0..sellers.len())],
                pipeline_id: pipeline,
                stage_id: stage.id,
                position: keys
                    .get_mut(si)
                    .and_then(Iterator::next)
                    .unwrap_or_else(|| rules::key_between(None, None)),
                probability: stage.probability,
                amount_minor: Some(amount),
                currency: Some(currency.into()),
                close_date: Some(close),
                next_step: None,
                next_step_date: None,
                lead_id: None,
                lead_source: Some(
                    lead_source::ALL[rng.gen_range(0..lead_source::ALL.len())].into(),
                ),
                campaign_id: None,
                status: match stage.outcome.as_str() {
                    "WON" => "WON",
                    "LOST" => "LOST",
                    _ => "OPEN",
                }
                .into(),
                lost_reason: (stage.outcome == "LOST").then(|| "Budget cut".into()),
                forecast_category: None,
                description: None,
                opportunity_type: None,
                closed_at: closed.then_some(now),
                archived_at: None,
                version: 1 + *si as i32,
                created_at: created,
                updated_at: now,
                created_by: None,
                updated_by: None,
            }));
            // The path: created in the first stage, then one move per stage up to this one (closed
            // deals jump from a random open stage).
            let path: Vec<usize> = if closed {
                let until = open[rng.gen_range(0..open.len())];
                (0..=until).chain(std::iter::once(*si)).collect()
            } else {
                (0..=*si).collect()
            };
            let mut at = created;
            let mut hist = |field: &str, from: Option<String>, to: Option<String>, at| {
                hs.push(opportunity_history::ActiveModel {
                    id: sea_orm::ActiveValue::NotSet,
                    opportunity_id: sea_orm::ActiveValue::Set(id),
                    occurred_at: sea_orm::ActiveValue::Set(at),
                    actor_id: sea_orm::ActiveValue::Set(None),
                    field: sea_orm::ActiveValue::Set(field.into()),
                    from_value: sea_orm::ActiveValue::Set(from),
                    to_value: sea_orm::ActiveValue::Set(to),
                    note: sea_orm::ActiveValue::Set(None),
                });
            };
            hist(
                "AMOUNT",
                None,
                crate::domain::money::to_text(Some(amount), &Some(currency.into())),
                at,
            );
            hist("CLOSE_DATE", None, Some(close.to_string()), at);
            let mut prev: Option<&pipeline_stages::Model> = None;
            for s in path {
                let st = &stages[s];
                hist(
                    "STAGE",
                    prev.map(|p| p.id.to_string()),
                    Some(st.id.to_string()),
                    at,
                );
                hist(
                    "PROBABILITY",
                    prev.map(|p| p.probability.to_string()),
                    Some(st.probability.to_string()),
                    at,
                );
                prev = Some(st);
                at += Duration::days(rng.gen_range(1..14));
            }
            // A closed deal closed when its last move happened (never later than now), and a won
            // one's close date became that day: the history shows how far it slipped.
            if closed {
                let when = (at - Duration::days(1)).min(now);
                if let Some(m) = os.last_mut() {
                    m.closed_at = sea_orm::ActiveValue::Set(Some(when));
                    if stage.outcome == "WON" && when.date_naive() != close {
                        m.close_date = sea_orm::ActiveValue::Set(Some(when.date_naive()));
                        hist(
                            "CLOSE_DATE",
                            Some(close.to_string()),
                            Some(when.date_naive().to_string()),
                            when,
                        );
                    }
                }
            }
        }
        n_opps += os.len() as u64;
        n_hist += hs.len() as u64;
        opportunities::Entity::insert_many(os).exec(&txn).await?;
        for part in hs.chunks(1_000) {
            opportunity_history::Entity::insert_many(part.to_vec())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
    }
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(format!(
        "added {n_opps} opportunities ({n} open) with {n_hist} history rows in {:.1} s",
        started.elapsed().as_secs_f64()
    ))
}

/// Demo activities: for each seller a call logged yesterday, a meeting tomorrow, an overdue task, a
/// task with a reminder, a note and a weekly call, linked to their accounts and opportunities.
pub async fn seed_demo_activities(state: &AppState, ctx: &RequestCtx) -> AppResult<()> {
    use crate::domain::activities::kinds::{ActivityKind, ActivityStatus, LinkType};
    use crate::domain::activities::service::{self as acts, ActivityChanges};
    let opps = opportunities::Entity::find()
        .filter(opportunities::Column::Status.eq("OPEN"))
        .order_by_asc(opportunities::Column::Code)
        .all(&state.db)
        .await?;
    let now = db::now();
    let day = |d: i64, h: u32| {
        let date = (now + Duration::days(d)).date_naive();
        date.and_hms_opt(h, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(now)
    };
    let mut seen = std::collections::HashSet::new();
    for (i, o) in opps.iter().enumerate() {
        if !seen.insert(o.owner_id) {
            continue;
        }
        let links = Some(vec![
            (LinkType::Opportunity, o.id),
            (LinkType::Party, o.account_id),
        ]);
        let plans = [
            (
                ActivityKind::Call,
                "Discovery call",
                Some(day(-1, 10)),
                None,
                ActivityStatus::Done,
                Some("Interested; wants a proposal"),
            ),
            (
                ActivityKind::Meeting,
                "Proposal walkthrough",
                Some(day(1, 14)),
                None,
                ActivityStatus::Planned,
                None,
            ),
            (
                ActivityKind::Task,
                "Send the revised offer",
                None,
                Some(day(-1, 17)),
                ActivityStatus::Planned,
                None,
            ),
            (
                ActivityKind::Task,
                "Check in on the decision",
                None,
                Some(day(3, 9)),
                ActivityStatus::Planned,
                None,
            ),
            (
                ActivityKind::Note,
                "Budget confirmed for next quarter",
                None,
                None,
                ActivityStatus::Done,
                None,
            ),
        ];
        for (k, (kind, subject, starts, due, status, outcome)) in plans.into_iter().enumerate() {
            acts::create(
                state,
                ctx,
                ActivityChanges {
                    kind: Some(kind),
                    subject: Some(subject.to_string()),
                    starts_at: starts.map(Some),
                    ends_at: starts.map(|s| Some(s + Duration::hours(1))),
                    due_at: due.map(Some),
                    remind_at: (k == 3).then(|| Some(now - Duration::hours(1))),
                    status: Some(status),
                    outcome: outcome.map(str::to_string),
                    owner_id: Some(o.owner_id),
                    links: links.clone(),
                    description: (i % 2 == 0)
                        .then(|| "Prepared with the account team.".to_string()),
                    location: (kind == ActivityKind::Meeting)
                        .then(|| "At the customer's office".to_string()),
                    ..Default::default()
                },
            )
            .await?;
        }
        // A standing weekly call with the account, for twelve weeks from tomorrow.
        acts::create(
            state,
            ctx,
            ActivityChanges {
                kind: Some(ActivityKind::Call),
                subject: Some("Weekly account check-in".to_string()),
                starts_at: Some(Some(day(1, 8))),
                ends_at: Some(Some(day(1, 8) + Duration::minutes(30))),
                owner_id: Some(o.owner_id),
                links: links.clone(),
                recurrence: Some("FREQ=WEEKLY;COUNT=12".to_string()),
                meeting_url: Some("https://meet.example/check-in".to_string()),
                ..Default::default()
            },
        )
        .await?;
    }
    Ok(())
}
