//! Payments received from customers and their allocation to issued invoices: in part (the invoice
//! stays open for the rest), in whole, or over several invoices; what a payment leaves unallocated
//! is the customer's credit, allocated later.

use std::collections::HashMap;

use async_graphql::Enum;
use entity::billing::{invoices, payment_allocations, payments};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::invoices::{InvoiceKind, InvoiceStatus};
use super::policy::{InvoiceObject, PaymentObject};
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::documents::amounts;
use crate::domain::parties::service as parties;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::{conflict, Write};
use crate::policy::{self, Action};
use crate::state::AppState;

const OBJECT: &str = <PaymentObject as aggregate::Aggregate>::OBJECT;

stored_enum!(
    /// How a payment was made.
    PaymentMethod {
        BankTransfer => "BANK_TRANSFER",
        Card => "CARD",
        Cash => "CASH",
        Cheque => "CHEQUE",
        Other => "OTHER",
    }
);

crate::versioned!(payments, OBJECT, stamps updated_by, kept [CreatedAt, CreatedBy, Number], |m| vec![
    ("customerId", json!(m.customer_id)),
    ("amount", json!(amounts::format_amount(m.amount_minor, &m.currency))),
    ("allocated", json!(amounts::format_amount(m.allocated_minor, &m.currency))),
    ("receivedOn", json!(m.received_on)),
    ("method", json!(m.method)),
    ("reference", json!(m.reference)),
]);

const ORDERING: &str = "CREATED_DESC";

/// Filter of the payment list.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    pub customer_id: Option<Uuid>,
    /// Payments with an amount not yet allocated.
    pub unallocated_only: bool,
}

fn condition(f: &PaymentFilter) -> Condition {
    let mut c = Condition::all();
    if let Some(id) = f.customer_id {
        c = c.add(payments::Column::CustomerId.eq(id));
    }
    if f.unallocated_only {
        c = c.add(
            sea_orm::sea_query::Expr::col(payments::Column::AllocatedMinor)
                .lt(sea_orm::sea_query::Expr::col(payments::Column::AmountMinor)),
        );
    }
    c
}

/// One page of the payments the caller may read, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &PaymentFilter,
    page: &Page,
) -> AppResult<(Vec<payments::Model>, bool)> {
    let q = aggregate::visible::<PaymentObject>(ctx, Action::Read)?.filter(condition(filter));
    db::newest_first(
        db,
        q,
        payments::Column::CreatedAt,
        payments::Column::Id,
        ORDERING,
        page,
    )
    .await
}

/// The cursor of a payment in the list.
pub fn cursor(m: &payments::Model) -> Cursor {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Time(m.created_at),
        id: m.id,
    }
}

/// How many payments the caller may read match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &PaymentFilter,
) -> AppResult<u64> {
    Ok(aggregate::visible::<PaymentObject>(ctx, Action::Read)?
        .filter(condition(filter))
        .count(db)
        .await?)
}

/// One payment the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<payments::Model>> {
    Ok(aggregate::visible::<PaymentObject>(ctx, Action::Read)?
        .filter(payments::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// The allocations of a payment, or of an invoice (`by_invoice`), oldest first.
pub async fn allocations(
    db: &impl ConnectionTrait,
    id: Uuid,
    by_invoice: bool,
) -> AppResult<Vec<payment_allocations::Model>> {
    let col = if by_invoice {
        payment_allocations::Column::InvoiceId
    } else {
        payment_allocations::Column::PaymentId
    };
    Ok(payment_allocations::Entity::find()
        .filter(col.eq(id))
        .order_by_asc(payment_allocations::Column::CreatedAt)
        .all(db)
        .await?)
}

/// A part of a payment for one invoice.
#[derive(Debug, Clone)]
pub struct AllocationIn {
    pub invoice_id: Uuid,
    pub amount: String,
}

/// A payment received.
#[derive(Debug, Clone, Default)]
pub struct NewPayment {
    pub customer_id: Uuid,
    pub amount: String,
    pub currency: String,
    pub received_on: Option<String>,
    pub method: Option<PaymentMethod>,
    pub reference: Option<String>,
    /// `None`: settle the customer's open invoices in this currency, oldest due first.
    pub allocations: Option<Vec<AllocationIn>>,
}

/// The customer's issued invoices in `currency` with an amount open, oldest due first (the
/// caller's scope governs the payment, not each invoice: billing staff reach every invoice).
async fn open_invoices(
    db: &impl ConnectionTrait,
    customer: Uuid,
    currency: &str,
) -> AppResult<Vec<invoices::Model>> {
    Ok(aggregate::unscoped::<InvoiceObject>(
        "a payment's allocation: the payment's customer, authorized on the payment",
    )
    .filter(invoices::Column::CustomerId.eq(customer))
    .filter(invoices::Column::Kind.eq(InvoiceKind::Invoice.as_str()))
    .filter(invoices::Column::Status.eq(InvoiceStatus::Issued.as_str()))
    .filter(invoices::Column::Currency.eq(currency))
    .filter(invoices::Column::OpenMinor.gt(0))
    .order_by_asc(invoices::Column::DueDate)
    .order_by_asc(invoices::Column::Sequence)
    .all(db)
    .await?)
}

/// Validates allocations against the customer's open invoices and what the payment has left.
fn plan(
    open: &[invoices::Model],
    given: Option<&[AllocationIn]>,
    currency: &str,
    available: i64,
) -> AppResult<Vec<(invoices::Model, i64)>> {
    let mut out: Vec<(invoices::Model, i64)> = Vec::new();
    match given {
        None => {
            let mut left = available;
            for inv in open {
                if left <= 0 {
                    break;
                }
                let take = std::cmp::min(left, inv.open_minor);
                out.push((inv.clone(), take));
                left -= take;
            }
        }
        Some(given) => {
            let mut val = Validator::default();
            let mut total = 0_i64;
            for (i, a) in given.iter().enumerate() {
                let f = |n: &str| format!("allocations.{i}.{n}");
                let Some(amount) =
                    val.check(amounts::parse_amount(&f("amount"), &a.amount, currency))
                else {
                    continue;
                };
                if amount <= 0 {
                    val.push(&f("amount"), "must be more than 0");
                    continue;
                }
                let Some(inv) = open.iter().find(|m| m.id == a.invoice_id) else {
                    val.push(
                        &f("invoiceId"),
                        format!("is not an open invoice of this customer in {currency}"),
                    );
                    continue;
                };
                let already: i64 = out
                    .iter()
                    .filter(|(m, _)| m.id == inv.id)
                    .map(|(_, a)| *a)
                    .sum();
                if amount + already > inv.open_minor {
                    val.push(
                        &f("amount"),
                        format!(
                            "is more than the {} open on invoice {}",
                            amounts::format_amount(inv.open_minor - already, currency),
                            inv.number.as_deref().unwrap_or("")
                        ),
                    );
                    continue;
                }
                total += amount;
                out.push((inv.clone(), amount));
            }
            if total > available {
                val.push(
                    "allocations",
                    format!(
                        "allocate at most {}, what the payment has left",
                        amounts::format_amount(available, currency)
                    ),
                );
            }
            val.finish()?;
        }
    }
    Ok(out)
}

/// Applies allocations: each invoice's paid and open amounts, the allocation rows.
async fn apply(
    w: &mut Write<'_>,
    payment: &payments::Model,
    plan: Vec<(invoices::Model, i64)>,
) -> AppResult<i64> {
    let mut by_invoice: HashMap<Uuid, (invoices::Model, i64)> = HashMap::new();
    let mut order = Vec::new();
    for (inv, amount) in plan {
        let e = by_invoice.entry(inv.id).or_insert_with(|| {
            order.push(inv.id);
            (inv, 0)
        });
        e.1 += amount;
    }
    let mut total = 0;
    for id in order {
        let (inv, amount) = by_invoice.remove(&id).unwrap_or_else(|| unreachable!());
        let mut next = inv.clone();
        next.paid_minor += amount;
        next.open_minor -= amount;
        w.save(&inv, next, inv.version, "pay").await?;
        payment_allocations::ActiveModel::from(payment_allocations::Model {
            id: Uuid::new_v4(),
            payment_id: payment.id,
            invoice_id: id,
            amount_minor: amount,
            created_at: db::now(),
            created_by: w.by(),
        })
        .insert(w.txn())
        .await?;
        total += amount;
    }
    Ok(total)
}

/// Records a payment and allocates it (as given, or oldest due first).
pub async fn record(
    state: &AppState,
    ctx: &RequestCtx,
    input: NewPayment,
) -> AppResult<payments::Model> {
    let (actor, _) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let mut val = Validator::default();
    let currency = val.check(v::currency("currency", &input.currency));
    let amount = currency
        .as_deref()
        .and_then(|c| val.check(amounts::parse_amount("amount", &input.amount, c)));
    if amount.is_some_and(|a| a <= 0) {
        val.push("amount", "must be more than 0");
    }
    let received_on = match val.given(input.received_on.as_deref(), |s| v::date("receivedOn", s)) {
        Some(Some(d)) => d,
        _ => super::orders::today(),
    };
    if received_on > super::orders::today() {
        val.push("receivedOn", "is in the future");
    }
    let reference = val
        .given(input.reference.as_deref(), |s| {
            v::optional_text("reference", s, 100)
        })
        .flatten();
    val.finish()?;
    let (Some(currency), Some(amount)) = (currency, amount) else {
        return Err(AppError::bad_input("amount", "is required"));
    };
    let customer = parties::get(&state.db, ctx, input.customer_id)
        .await?
        .ok_or_else(|| AppError::bad_input("customerId", "is not a customer you can see"))?;
    let open = open_invoices(&state.db, customer.id, &currency).await?;
    let plan = plan(&open, input.allocations.as_deref(), &currency, amount)?;
    let now = db::now();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let number = parties::next_number(w.txn(), "payment").await?;
    let mut payment = payments::Model {
        id: Uuid::new_v4(),
        number: format!("PAY-{number:06}"),
        customer_id: customer.id,
        owner_id: customer.owner_id.unwrap_or(actor.user_id),
        currency,
        amount_minor: amount,
        allocated_minor: 0,
        received_on,
        method: input
            .method
            .unwrap_or(PaymentMethod::BankTransfer)
            .as_str()
            .into(),
        reference,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    payment.allocated_minor = plan.iter().map(|(_, a)| a).sum();
    let payment = w.insert(payment).await?;
    apply(&mut w, &payment, plan).await?;
    w.commit().await?;
    Ok(payment)
}

/// Allocates what a payment has left to the customer's open invoices.
pub async fn allocate(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    allocations: Option<Vec<AllocationIn>>,
) -> AppResult<payments::Model> {
    let current = get(&state.db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such payment".into()))?;
    policy::check_reach(
        ctx,
        OBJECT,
        Action::Update,
        Some(current.owner_id),
        "payment",
    )?;
    let available = current.amount_minor - current.allocated_minor;
    if available <= 0 {
        return Err(AppError::bad_input(
            "id",
            format!("payment {} is allocated in full", current.number),
        ));
    }
    let open = open_invoices(&state.db, current.customer_id, &current.currency).await?;
    let plan = plan(&open, allocations.as_deref(), &current.currency, available)?;
    if plan.is_empty() {
        return Err(AppError::bad_input(
            "allocations",
            "the customer has no open invoice in this currency",
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let added = apply(&mut w, &current, plan).await?;
    let mut next = current.clone();
    next.allocated_minor += added;
    let m = w.save(&current, next, version, "allocate").await?;
    w.commit().await?;
    Ok(m)
}
