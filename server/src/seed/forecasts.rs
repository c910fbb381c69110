//! The demo company's forecasting data: a team hierarchy (both sales teams under "All sales"), two
//! years of closed opportunities with their stage, amount and close-date history, quotas for every
//! rep and team for the last two years and the next year, and the reps' calls at the start of each
//! past quarter. Written in bulk: history has to be dated in the past, which no service does.

use chrono::{Duration, NaiveTime};
use entity::access::{teams, users};
use entity::forecasts::{forecast_submissions, quotas};
use entity::opportunities::{opportunities, opportunity_history};
use entity::parties::party_roles;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::db;
use crate::domain::forecasts::periods::{Period, PeriodKind};
use crate::domain::money;
use crate::domain::opportunities::pipelines::Catalog;
use crate::domain::opportunities::rules;
use crate::error::{AppError, AppResult};

/// Closed opportunities in the demo history.
const CLOSED: usize = 160;

/// The chance of moving on from each open stage of the default pipeline (else the deal is lost).
const ADVANCE: [f64; 5] = [0.75, 0.7, 0.65, 0.7, 0.75];

/// Seeds the forecasting data (after the demo users, teams, accounts and pipeline).
pub async fn seed_demo_forecasts(db: &DatabaseConnection) -> AppResult<()> {
    let missing = |what: &str| AppError::internal(anyhow::anyhow!("demo {what} missing"));
    let user = |email: &'static str| async move {
        users::Entity::find()
            .filter(users::Column::Email.eq(email))
            .one(db)
            .await
    };
    let manager = user("manager@demo.crm")
        .await?
        .ok_or_else(|| missing("manager"))?;
    let admin = user("admin@demo.crm")
        .await?
        .ok_or_else(|| missing("admin"))?;
    let reps: Vec<users::Model> = vec![
        user("rep@demo.crm").await?.ok_or_else(|| missing("rep"))?,
        user("rep2@demo.crm")
            .await?
            .ok_or_else(|| missing("rep2"))?,
        user("rep3@demo.crm")
            .await?
            .ok_or_else(|| missing("rep3"))?,
    ];
    let accounts: Vec<Uuid> = party_roles::Entity::find()
        .filter(party_roles::Column::Role.eq("ACCOUNT"))
        .select_only()
        .column(party_roles::Column::PartyId)
        .into_tuple()
        .all(db)
        .await?;
    let catalog = Catalog::load(db).await?;
    let pipeline = catalog
        .default_pipeline()
        .ok_or_else(|| missing("pipeline"))?
        .id;
    let stages: Vec<_> = catalog.stages_of(pipeline, false).cloned().collect();
    let open: Vec<_> = stages.iter().filter(|s| s.outcome == "OPEN").collect();
    let won = stages
        .iter()
        .find(|s| s.outcome == "WON")
        .ok_or_else(|| missing("won stage"))?;
    let lost = stages
        .iter()
        .find(|s| s.outcome == "LOST")
        .ok_or_else(|| missing("lost stage"))?;
    if accounts.is_empty() || open.is_empty() {
        return Err(missing("accounts or open stages"));
    }

    let txn = db::begin_write(db).await?;
    // The hierarchy: North and South under "All sales", which the sales manager leads.
    let top = Uuid::new_v4();
    teams::ActiveModel {
        id: Set(top),
        name: Set("All sales".into()),
        manager_id: Set(Some(manager.id)),
        parent_id: Set(None),
        created_at: Set(db::now()),
        archived_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let existing: Vec<teams::Model> = teams::Entity::find()
        .filter(teams::Column::Id.ne(top))
        .all(&txn)
        .await?;
    for t in &existing {
        let mut am = t.clone().into_active_model();
        am.parent_id = Set(Some(top));
        am.update(&txn).await?;
    }

    let mut rng = StdRng::seed_from_u64(0xF0_CA57);
    let now = db::now();
    let fy = 1;
    let (mut os, mut hs) = (Vec::new(), Vec::new());
    let mut last_key: Option<String> = None;
    for k in 0..CLOSED {
        let id = Uuid::new_v4();
        let owner = if k % 7 == 6 {
            manager.id
        } else {
            reps[k % 3].id
        };
        let created = now - Duration::days(rng.gen_range(60..760));
        let amount: i64 = rng.gen_range(20..400) * 50_000;
        let currency = if k % 5 == 4 { "USD" } else { "EUR" };
        let expected = (created + Duration::days(rng.gen_range(45..120))).date_naive();
        let mut at = created;
        let mut hist = |field: &str, from: Option<String>, to: Option<String>, at| {
            hs.push(opportunity_history::ActiveModel {
                id: NotSet,
                opportunity_id: Set(id),
                occurred_at: Set(at),
                actor_id: Set(Some(owner)),
                field: Set(field.into()),
                from_value: Set(from),
                to_value: Set(to),
                note: Set(None),
            });
        };
        hist(
            "AMOUNT",
            None,
            money::to_text(Some(amount), &Some(currency.into())),
            at,
        );
        hist("CLOSE_DATE", None, Some(expected.to_string()), at);
        let mut prev: Option<Uuid> = None;
        let mut outcome = lost;
        for (i, s) in open.iter().enumerate() {
            hist(
                "STAGE",
                prev.map(|p| p.to_string()),
                Some(s.id.to_string()),
                at,
            );
            prev = Some(s.id);
            at += Duration::days(rng.gen_range(4..25));
            if !rng.gen_bool(ADVANCE[i.min(ADVANCE.len() - 1)]) {
                break;
            }
            if i + 1 == open.len() {
                outcome = won;
            }
        }
        // Older deals closed long ago; a closing in the future is pulled back to yesterday.
        let closed_at = at.min(now - Duration::days(1));
        let close_day = closed_at.date_naive();
        hist(
            "STAGE",
            prev.map(|p| p.to_string()),
            Some(outcome.id.to_string()),
            closed_at,
        );
        if close_day != expected {
            hist(
                "CLOSE_DATE",
                Some(expected.to_string()),
                Some(close_day.to_string()),
                closed_at,
            );
        }
        let key = rules::key_between(last_key.as_deref(), None);
        last_key = Some(key.clone());
        let is_won = outcome.outcome == "WON";
        os.push(
            opportunities::Model {
                id,
                code: format!("O-H{k:05}"),
                name: format!("History deal {}", k + 1),
                account_id: accounts[k % accounts.len()],
                owner_id: owner,
                pipeline_id: pipeline,
                stage_id: outcome.id,
                position: key,
                probability: outcome.probability,
                amount_minor: Some(amount),
                currency: Some(currency.into()),
                close_date: Some(close_day),
                next_step: None,
                next_step_date: None,
                lead_id: None,
                lead_source: None,
                campaign_id: None,
                status: if is_won { "WON" } else { "LOST" }.into(),
                lost_reason: (!is_won).then(|| "Went with a competitor".into()),
                forecast_category: None,
                description: None,
                opportunity_type: None,
                closed_at: Some(closed_at),
                archived_at: None,
                version: 1,
                created_at: created,
                updated_at: closed_at,
                created_by: Some(owner),
                updated_by: Some(owner),
            }
            .into_active_model(),
        );
    }
    opportunities::Entity::insert_many(os).exec(&txn).await?;
    for part in hs.chunks(500) {
        opportunity_history::Entity::insert_many(part.to_vec())
            .exec(&txn)
            .await?;
    }

    // Quotas: last two years and the next one, per quarter, for every rep and team.
    let this = Period::containing(PeriodKind::Quarter, now.date_naive(), fy);
    let mut qs = Vec::new();
    let subjects: Vec<(&str, Uuid, i64)> = reps
        .iter()
        .map(|r| ("USER", r.id, 30_000_000))
        .chain(std::iter::once(("USER", manager.id, 15_000_000)))
        .chain(existing.iter().map(|t| ("TEAM", t.id, 70_000_000)))
        .chain(std::iter::once(("TEAM", top, 140_000_000)))
        .collect();
    for q in -8..=4 {
        let p = this.shifted(q, fy);
        for (kind, id, amount) in &subjects {
            qs.push(
                quotas::Model {
                    id: Uuid::new_v4(),
                    subject_kind: (*kind).into(),
                    subject_id: *id,
                    period_kind: p.kind.as_str().into(),
                    period_start: p.start,
                    currency: "EUR".into(),
                    amount_minor: *amount,
                    version: 1,
                    note: None,
                    set_by: Some(admin.id),
                    set_at: p.start.and_time(NaiveTime::MIN).and_utc() - Duration::days(10),
                }
                .into_active_model(),
            );
        }
    }
    quotas::Entity::insert_many(qs).exec(&txn).await?;

    // The reps' calls two days into each of the last four quarters.
    let mut calls = Vec::new();
    for q in -4..=-1 {
        let p: Period = this.shifted(q, fy);
        for (i, r) in reps.iter().enumerate() {
            let commit = 18_000_000 + 2_000_000 * i as i64 + 1_000_000 * i64::from(q);
            calls.push(
                forecast_submissions::Model {
                    id: Uuid::new_v4(),
                    kind: "SUBMISSION".into(),
                    subject_kind: "USER".into(),
                    subject_id: r.id,
                    period_kind: p.kind.as_str().into(),
                    period_start: p.start,
                    currency: "EUR".into(),
                    commit_minor: commit,
                    best_case_minor: commit + 8_000_000,
                    closed_won_minor: 0,
                    snapshot_commit_minor: commit - 2_000_000,
                    snapshot_best_case_minor: commit + 5_000_000,
                    snapshot_pipeline_minor: commit + 20_000_000,
                    snapshot_weighted_minor: commit + 1_000_000,
                    quota_minor: Some(30_000_000),
                    note: Some("Weekly call".into()),
                    submitted_by: r.id,
                    submitted_at: p.start.and_time(NaiveTime::MIN).and_utc() + Duration::days(2),
                }
                .into_active_model(),
            );
        }
    }
    forecast_submissions::Entity::insert_many(calls)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
