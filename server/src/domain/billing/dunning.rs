//! Overdue reminders (dunning), run as durable jobs: issuing an invoice enqueues level 1 for the
//! day after its due date; each run that finds the invoice still open raises its dunning level,
//! gives the invoice's owner a task linked to the customer, and enqueues the next level
//! [`INTERVAL_DAYS`] later, up to [`MAX_LEVEL`]. A paid or credited invoice ends the chain; a run
//! for a level already reached does nothing, so a repeated job is harmless.

use chrono::{DateTime, Utc};
use entity::billing::invoices;
use sea_orm::{ColumnTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;

use super::invoices::{days_overdue, InvoiceKind, InvoiceStatus};
use super::policy::InvoiceObject;
use crate::domain::activities::system::{create_task, SystemTask};
use crate::domain::documents::amounts;
use crate::error::{AppError, AppResult};
use crate::jobs::{self, JobKind};
use crate::kit::aggregate;
use crate::kit::write::Write;

/// The highest reminder level.
pub const MAX_LEVEL: i32 = 3;
/// Days between reminders.
pub const INTERVAL_DAYS: i64 = 14;

/// Runs one reminder job (`{"invoiceId", "level"}`) at `now`, inside the job's transaction.
pub async fn run(w: &mut Write<'_>, payload: &Value, now: DateTime<Utc>) -> AppResult<()> {
    let id = payload
        .get("invoiceId")
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("dunning job without invoiceId")))?;
    let level = payload
        .get("level")
        .and_then(Value::as_i64)
        .and_then(|l| i32::try_from(l).ok())
        .unwrap_or(1);
    let Some(invoice) = aggregate::unscoped::<InvoiceObject>("a background job: dunning")
        .filter(invoices::Column::Id.eq(id))
        .one(w.txn())
        .await?
    else {
        return Ok(());
    };
    let today = now.date_naive();
    if invoice.kind != InvoiceKind::Invoice.as_str()
        || invoice.status != InvoiceStatus::Issued.as_str()
        || invoice.open_minor <= 0
        || invoice.dunning_level >= level
        || days_overdue(&invoice, today) == 0
    {
        return Ok(());
    }
    let mut next = invoice.clone();
    next.dunning_level = level;
    let number = invoice.number.clone().unwrap_or_default();
    w.save(&invoice, next, invoice.version, "dunning").await?;
    let open = amounts::display_amount(invoice.open_minor, &invoice.currency);
    let subject = format!(
        "Reminder {level}: invoice {number} is {} days overdue ({open} open)",
        days_overdue(&invoice, today)
    );
    create_task(
        w,
        SystemTask {
            owner: invoice.owner_id,
            party: invoice.customer_id,
            subject,
            description: format!(
                "Invoice {number} was due on {}. Contact the customer about the {open} still open.",
                invoice.due_date.map(|d| d.to_string()).unwrap_or_default()
            ),
            due_at: now,
            remind_at: None,
        },
        now,
    )
    .await?;
    if level < MAX_LEVEL {
        jobs::enqueue(
            w.txn(),
            JobKind::Dunning,
            json!({"invoiceId": invoice.id, "level": level + 1}),
            now + chrono::Duration::days(INTERVAL_DAYS),
        )
        .await?;
    }
    Ok(())
}
