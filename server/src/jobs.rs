//! The durable job queue: the one way background work is done.
//!
//! A change that calls for later work [`enqueue`]s a job in its own transaction, so the job exists
//! exactly when the change does (an outbox). The server's worker ([`spawn_worker`]) runs due jobs:
//! it claims one with a conditional update (so two processes never run the same job at once),
//! runs its handler inside one write transaction that also marks the job done, and on failure
//! records the error and retries later with back-off, giving up after [`MAX_ATTEMPTS`] (the job
//! stays in the table, done, with its last error). Handlers are idempotent: a job whose lock
//! expired may run again after a crash between its effect and its commit only if the commit never
//! happened.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::jobs;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::kit::write::Write;
use crate::state::AppState;

/// Tries a job gets before it is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a claimed job is held before another worker may take it over.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// Jobs one pass of the worker runs at most.
const BATCH: u64 = 50;

/// The kinds of work, each with its handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// An invoice's next overdue reminder (`crate::domain::billing::dunning`).
    Dunning,
    /// A contract's renewal notice reminder (`crate::domain::billing::contracts`).
    ContractRenewal,
    /// A message to send through the SMTP relay (`crate::mail`).
    Mail,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Dunning => "dunning",
            JobKind::ContractRenewal => "contract_renewal",
            JobKind::Mail => "mail",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "dunning" => Some(JobKind::Dunning),
            "contract_renewal" => Some(JobKind::ContractRenewal),
            "mail" => Some(JobKind::Mail),
            _ => None,
        }
    }
}

/// Adds a job to run at `run_at`, inside the caller's transaction.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    kind: JobKind,
    payload: Value,
    run_at: DateTime<Utc>,
) -> AppResult<Uuid> {
    let id = Uuid::new_v4();
    jobs::ActiveModel {
        id: Set(id),
        kind: Set(kind.as_str().to_string()),
        payload: Set(payload.to_string()),
        run_at: Set(run_at),
        attempts: Set(0),
        locked_until: Set(None),
        done_at: Set(None),
        last_error: Set(None),
        created_at: Set(crate::db::now()),
    }
    .insert(txn)
    .await?;
    Ok(id)
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub done: usize,
    pub failed: usize,
}

fn free(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(jobs::Column::LockedUntil.is_null())
        .add(jobs::Column::LockedUntil.lt(now))
}

/// Runs the jobs due at `now` (the worker passes the clock; tests pass a later day).
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> AppResult<Pass> {
    let due = jobs::Entity::find()
        .filter(jobs::Column::DoneAt.is_null())
        .filter(jobs::Column::RunAt.lte(now))
        .filter(free(now))
        .order_by_asc(jobs::Column::RunAt)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    let mut pass = Pass::default();
    for job in due {
        // Claim it: only one worker's conditional update succeeds.
        let claimed = jobs::Entity::update_many()
            .col_expr(jobs::Column::LockedUntil, Expr::value(now + LEASE))
            .col_expr(
                jobs::Column::Attempts,
                Expr::col(jobs::Column::Attempts).add(1),
            )
            .filter(jobs::Column::Id.eq(job.id))
            .filter(jobs::Column::DoneAt.is_null())
            .filter(free(now))
            .exec(&state.db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        match run_one(state, &job, now).await {
            Ok(()) => pass.done += 1,
            Err(e) => {
                pass.failed += 1;
                let attempts = job.attempts + 1;
                tracing::warn!(job = %job.id, kind = %job.kind, attempts, error = %e.message(), "job failed");
                let backoff = chrono::Duration::minutes(1_i64 << std::cmp::min(attempts, 12));
                let mut am = jobs::ActiveModel {
                    id: Set(job.id),
                    locked_until: Set(None),
                    last_error: Set(Some(e.message().chars().take(2000).collect())),
                    run_at: Set(now + backoff),
                    ..Default::default()
                };
                if attempts >= MAX_ATTEMPTS {
                    am.done_at = Set(Some(now));
                }
                am.update(&state.db).await?;
            }
        }
    }
    Ok(pass)
}

async fn run_one(state: &AppState, job: &jobs::Model, now: DateTime<Utc>) -> AppResult<()> {
    let payload: Value = serde_json::from_str(&job.payload)
        .map_err(|e| AppError::internal(anyhow::anyhow!("job payload: {e}")))?;
    let mut w = Write::begin(state, None).await?;
    let mut kept = None;
    match JobKind::parse(&job.kind) {
        Some(JobKind::Dunning) => {
            crate::domain::billing::dunning::run(&mut w, &payload, now).await?;
        }
        Some(JobKind::ContractRenewal) => {
            crate::domain::billing::contracts::remind(&mut w, &payload, now).await?;
        }
        Some(JobKind::Mail) => {
            crate::mail::send(&state.config, &payload).await?;
            kept = Some(crate::mail::sent_payload(&payload).to_string());
        }
        None => {
            return Err(AppError::internal(anyhow::anyhow!(
                "unknown job kind {}",
                job.kind
            )))
        }
    }
    let mut done = jobs::ActiveModel {
        id: Set(job.id),
        done_at: Set(Some(now)),
        locked_until: Set(None),
        ..Default::default()
    };
    if let Some(p) = kept {
        done.payload = Set(p);
    }
    done.update(w.txn()).await?;
    w.commit().await
}

/// Jobs not yet done, for the admin's view and the tests.
pub async fn pending(db: &impl ConnectionTrait) -> AppResult<Vec<jobs::Model>> {
    Ok(jobs::Entity::find()
        .filter(jobs::Column::DoneAt.is_null())
        .order_by_asc(jobs::Column::RunAt)
        .all(db)
        .await?)
}

/// Runs due jobs every `every` for as long as the process lives.
pub fn spawn_worker(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_due(&state, crate::db::now()).await {
                Ok(p) if p.done + p.failed > 0 => {
                    tracing::info!(done = p.done, failed = p.failed, "jobs run");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e.message(), "job worker pass failed"),
            }
        }
    });
}
