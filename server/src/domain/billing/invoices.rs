//! Invoices and credit notes. An invoice is drafted from an order (every outstanding quantity, or
//! what was delivered and not yet invoiced, or chosen quantities per line), may change while a
//! draft, and is issued: numbered from its series' counter for the year inside the issuing
//! transaction, and frozen. A credit note corrects an issued invoice (in whole or per line) and is
//! issued at once from its own series.

use std::collections::HashMap;

use async_graphql::Enum;
use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use entity::billing::{invoice_lines, invoices, order_lines, orders};
use entity::sequences;
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use super::orders::{self as order_svc, today, OrderStatus};
use super::policy::InvoiceObject;
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::documents::amounts::{self, LineInput};
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::jobs::{self, JobKind};
use crate::kit::aggregate;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::{conflict, Write};
use crate::policy::{self, Action};
use crate::state::AppState;

const OBJECT: &str = <InvoiceObject as aggregate::Aggregate>::OBJECT;
/// Days from issue to due when none are given.
pub const DEFAULT_PAYMENT_DAYS: i32 = 30;

stored_enum!(
    /// An invoice or a credit note.
    InvoiceKind {
        Invoice => "INVOICE",
        /// Corrects an issued invoice; its figures reduce what is open on it.
        CreditNote => "CREDIT_NOTE",
    }
);

stored_enum!(
    /// A draft (no number, may change) or issued (numbered, never changes).
    InvoiceStatus {
        Draft => "DRAFT",
        Issued => "ISSUED",
    }
);

stored_enum!(
    /// Where the money of an issued invoice stands today.
    PaymentStatus {
        /// A draft or a credit note: nothing to pay.
        None => "NONE",
        /// Not yet due, nothing paid.
        Open => "OPEN",
        /// Not yet due, part paid or credited.
        PartPaid => "PART_PAID",
        /// Settled in full.
        Paid => "PAID",
        /// Past its due date with an amount open.
        Overdue => "OVERDUE",
    }
);

stored_enum!(
    /// Which quantities of an order a new invoice bills.
    InvoiceBasis {
        /// Every quantity not yet invoiced.
        Outstanding => "OUTSTANDING",
        /// What was delivered and not yet invoiced.
        Delivered => "DELIVERED",
    }
);

crate::versioned!(invoices, OBJECT, stamps updated_by, kept [CreatedAt, CreatedBy], |m| vec![
    ("kind", json!(m.kind)),
    ("number", json!(m.number)),
    ("status", json!(m.status)),
    ("customerId", json!(m.customer_id)),
    ("ownerId", json!(m.owner_id)),
    ("issueDate", json!(m.issue_date)),
    ("dueDate", json!(m.due_date)),
    ("paymentDays", json!(m.payment_days)),
    ("total", json!(amounts::format_amount(m.total_minor, &m.currency))),
    ("paid", json!(amounts::format_amount(m.paid_minor, &m.currency))),
    ("credited", json!(amounts::format_amount(m.credited_minor, &m.currency))),
    ("open", json!(amounts::format_amount(m.open_minor, &m.currency))),
    ("dunningLevel", json!(m.dunning_level)),
    ("notes", json!(m.notes)),
]);

/// How an invoice's money stands on `today`.
pub fn payment_status(m: &invoices::Model, today: NaiveDate) -> PaymentStatus {
    if m.status != InvoiceStatus::Issued.as_str() || m.kind != InvoiceKind::Invoice.as_str() {
        return PaymentStatus::None;
    }
    if m.open_minor <= 0 {
        PaymentStatus::Paid
    } else if m.due_date.is_some_and(|d| d < today) {
        PaymentStatus::Overdue
    } else if m.open_minor < m.total_minor {
        PaymentStatus::PartPaid
    } else {
        PaymentStatus::Open
    }
}

/// Days past due on `today` (0 when not overdue).
pub fn days_overdue(m: &invoices::Model, today: NaiveDate) -> i64 {
    match m.due_date {
        Some(d) if m.open_minor > 0 && d < today => (today - d).num_days(),
        _ => 0,
    }
}

/// Filter of the invoice list.
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    /// Part of the number.
    pub search: Option<String>,
    pub kind: Option<InvoiceKind>,
    pub statuses: Vec<InvoiceStatus>,
    pub customer_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    /// Issued invoices with an amount open.
    pub open_only: bool,
    /// Issued invoices past their due date with an amount open.
    pub overdue_only: bool,
}

const ORDERING: &str = "CREATED_DESC";

fn condition(f: &InvoiceFilter, today: NaiveDate) -> Condition {
    let mut c = Condition::all();
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", s.to_lowercase().replace(['%', '_'], ""));
        c = c.add(Expr::expr(Func::lower(Expr::col(invoices::Column::Number))).like(pattern));
    }
    if let Some(k) = f.kind {
        c = c.add(invoices::Column::Kind.eq(k.as_str()));
    }
    if !f.statuses.is_empty() {
        c = c.add(invoices::Column::Status.is_in(f.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(id) = f.customer_id {
        c = c.add(invoices::Column::CustomerId.eq(id));
    }
    if let Some(id) = f.order_id {
        c = c.add(invoices::Column::OrderId.eq(id));
    }
    if f.open_only || f.overdue_only {
        c = c
            .add(invoices::Column::Status.eq(InvoiceStatus::Issued.as_str()))
            .add(invoices::Column::OpenMinor.gt(0));
    }
    if f.overdue_only {
        c = c.add(invoices::Column::DueDate.lt(today));
    }
    c
}

/// One page of the invoices and credit notes the caller may read, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &InvoiceFilter,
    page: &Page,
) -> AppResult<(Vec<invoices::Model>, bool)> {
    let q =
        aggregate::visible::<InvoiceObject>(ctx, Action::Read)?.filter(condition(filter, today()));
    db::newest_first(
        db,
        q,
        invoices::Column::CreatedAt,
        invoices::Column::Id,
        ORDERING,
        page,
    )
    .await
}

/// The cursor of an invoice in the list.
pub fn cursor(m: &invoices::Model) -> Cursor {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Time(m.created_at),
        id: m.id,
    }
}

/// How many invoices the caller may read match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &InvoiceFilter,
) -> AppResult<u64> {
    Ok(aggregate::visible::<InvoiceObject>(ctx, Action::Read)?
        .filter(condition(filter, today()))
        .count(db)
        .await?)
}

/// One invoice the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<invoices::Model>> {
    Ok(aggregate::visible::<InvoiceObject>(ctx, Action::Read)?
        .filter(invoices::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// Invoices the caller may read, by id.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    ids: &[Uuid],
) -> AppResult<Vec<invoices::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(aggregate::visible::<InvoiceObject>(ctx, Action::Read)?
        .filter(invoices::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The lines of one invoice (already read under scope), in order.
pub async fn lines(
    db: &impl ConnectionTrait,
    invoice: Uuid,
) -> AppResult<Vec<invoice_lines::Model>> {
    Ok(invoice_lines::Entity::find()
        .filter(invoice_lines::Column::InvoiceId.eq(invoice))
        .order_by_asc(invoice_lines::Column::Position)
        .all(db)
        .await?)
}

/// The lines of many invoices, by invoice.
pub async fn lines_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<invoice_lines::Model>>> {
    let mut out: HashMap<Uuid, Vec<invoice_lines::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for l in invoice_lines::Entity::find()
        .filter(invoice_lines::Column::InvoiceId.is_in(ids.iter().copied()))
        .order_by_asc(invoice_lines::Column::InvoiceId)
        .order_by_asc(invoice_lines::Column::Position)
        .all(db)
        .await?
    {
        out.entry(l.invoice_id).or_default().push(l);
    }
    Ok(out)
}

fn price(
    invoice: Uuid,
    position: i32,
    quantity_milli: i64,
    header_discount_bp: i32,
    src: &invoice_lines::Model,
) -> invoice_lines::Model {
    let f = amounts::price_line(
        LineInput {
            quantity_milli,
            unit_price_minor: src.unit_price_minor,
            discount_bp: src.discount_bp,
            tax_rate_bp: src.tax_rate_bp,
        },
        header_discount_bp,
    );
    invoice_lines::Model {
        id: Uuid::new_v4(),
        invoice_id: invoice,
        position,
        quantity_milli,
        net_minor: f.net,
        tax_minor: f.tax,
        total_minor: f.total,
        ..src.clone()
    }
}

fn from_order_line(l: &order_lines::Model) -> invoice_lines::Model {
    invoice_lines::Model {
        id: l.id,
        invoice_id: Uuid::nil(),
        position: l.position,
        order_line_id: Some(l.id),
        product_id: l.product_id,
        code: l.code.clone(),
        name: l.name.clone(),
        unit: l.unit.clone(),
        quantity_milli: l.quantity_milli,
        unit_price_minor: l.unit_price_minor,
        discount_bp: l.discount_bp,
        tax_category: l.tax_category.clone(),
        tax_rate_bp: l.tax_rate_bp,
        net_minor: l.net_minor,
        tax_minor: l.tax_minor,
        total_minor: l.total_minor,
    }
}

fn set_totals(m: &mut invoices::Model, lines: &[invoice_lines::Model]) {
    m.net_minor = lines.iter().map(|l| l.net_minor).sum();
    m.tax_minor = lines.iter().map(|l| l.tax_minor).sum();
    m.total_minor = lines.iter().map(|l| l.total_minor).sum();
}

/// A quantity of one line (of an order, or of an invoice being credited).
#[derive(Debug, Clone)]
pub struct LineQuantity {
    pub line_id: Uuid,
    pub quantity: String,
}

/// What a new invoice bills of its order.
#[derive(Debug, Clone, Default)]
pub struct NewInvoice {
    pub order_id: Uuid,
    /// Ignored when `lines` is given.
    pub basis: Option<InvoiceBasis>,
    /// Chosen quantities per order line.
    pub lines: Option<Vec<LineQuantity>>,
    pub payment_days: Option<i32>,
    pub notes: Option<String>,
}

fn check_days(val: &mut Validator, days: Option<i32>) {
    if days.is_some_and(|d| !(0..=365).contains(&d)) {
        val.push("paymentDays", "must be between 0 and 365");
    }
}

/// Drafts an invoice from an order; the quantities it bills are reserved on the order's lines.
pub async fn create_from_order(
    state: &AppState,
    ctx: &RequestCtx,
    input: NewInvoice,
) -> AppResult<invoices::Model> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let mut val = Validator::default();
    check_days(&mut val, input.payment_days);
    let notes = val
        .given(input.notes.as_deref(), |s| v::long_text("notes", s, 10_000))
        .flatten();
    val.finish()?;
    let order = order_svc::get(&state.db, ctx, input.order_id)
        .await?
        .ok_or_else(|| AppError::bad_input("orderId", "is not an order you can see"))?;
    if !matches!(
        OrderStatus::parse(&order.status),
        Some(OrderStatus::Confirmed | OrderStatus::Shipped | OrderStatus::Delivered)
    ) {
        return Err(AppError::bad_input(
            "orderId",
            format!(
                "order {} is {}; only a confirmed order is invoiced",
                order.number,
                order.status.to_ascii_lowercase()
            ),
        ));
    }
    if !policy::owner_in_scope(actor, scope, Some(order.owner_id)) {
        return Err(AppError::Forbidden(
            "your role may not invoice this order".into(),
        ));
    }
    let order_lines = order_svc::lines(&state.db, order.id).await?;
    let mut wanted: Vec<(usize, i64)> = Vec::new();
    let mut val = Validator::default();
    match &input.lines {
        Some(given) => {
            for (i, q) in given.iter().enumerate() {
                let f = |n: &str| format!("lines.{i}.{n}");
                let Some(qty) = val.check(amounts::parse_quantity(&f("quantity"), &q.quantity))
                else {
                    continue;
                };
                let Some(at) = order_lines.iter().position(|l| l.id == q.line_id) else {
                    val.push(&f("lineId"), "is not a line of this order");
                    continue;
                };
                let l = &order_lines[at];
                let left = l.quantity_milli - l.invoiced_milli;
                if qty > left {
                    val.push(
                        &f("quantity"),
                        format!(
                            "is more than the {} not yet invoiced",
                            amounts::format_quantity(left)
                        ),
                    );
                    continue;
                }
                if qty > 0 {
                    wanted.push((at, qty));
                }
            }
        }
        None => {
            let basis = input.basis.unwrap_or(InvoiceBasis::Outstanding);
            for (at, l) in order_lines.iter().enumerate() {
                let upto = match basis {
                    InvoiceBasis::Outstanding => l.quantity_milli,
                    InvoiceBasis::Delivered => l.delivered_milli,
                };
                let qty = upto - l.invoiced_milli;
                if qty > 0 {
                    wanted.push((at, qty));
                }
            }
        }
    }
    if wanted.is_empty() {
        val.push("lines", "nothing of the order is left to invoice");
    }
    val.finish()?;
    let now = db::now();
    let mut invoice = invoices::Model {
        id: Uuid::new_v4(),
        kind: InvoiceKind::Invoice.as_str().into(),
        series: "INV".into(),
        year: None,
        sequence: None,
        number: None,
        status: InvoiceStatus::Draft.as_str().into(),
        customer_id: order.customer_id,
        order_id: Some(order.id),
        credited_invoice_id: None,
        owner_id: order.owner_id,
        currency: order.currency.clone(),
        discount_bp: order.discount_bp,
        issue_date: None,
        due_date: None,
        payment_days: input.payment_days.unwrap_or(DEFAULT_PAYMENT_DAYS),
        net_minor: 0,
        tax_minor: 0,
        total_minor: 0,
        paid_minor: 0,
        credited_minor: 0,
        open_minor: 0,
        dunning_level: 0,
        notes,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    let mut lines = Vec::new();
    for (n, (at, qty)) in wanted.iter().enumerate() {
        let l = &order_lines[*at];
        let src = from_order_line(l);
        let line = if *qty == l.quantity_milli {
            // The whole line: the order's own figures.
            invoice_lines::Model {
                id: Uuid::new_v4(),
                invoice_id: invoice.id,
                position: n as i32,
                ..src
            }
        } else {
            price(invoice.id, n as i32, *qty, order.discount_bp, &src)
        };
        lines.push(line);
    }
    set_totals(&mut invoice, &lines);
    let mut w = Write::begin(state, Some(ctx)).await?;
    for (at, qty) in &wanted {
        reserve(w.txn(), order_lines[*at].id, *qty).await?;
    }
    invoice_lines::Entity::insert_many(lines.into_iter().map(invoice_lines::ActiveModel::from))
        .exec(w.txn())
        .await?;
    let invoice = w.insert(invoice).await?;
    w.commit().await?;
    Ok(invoice)
}

/// Adds `qty` to an order line's invoiced quantity, refusing when a concurrent invoice took it.
async fn reserve(txn: &impl ConnectionTrait, line: Uuid, qty: i64) -> AppResult<()> {
    let res = order_lines::Entity::update_many()
        .col_expr(
            order_lines::Column::InvoicedMilli,
            Expr::col(order_lines::Column::InvoicedMilli).add(qty),
        )
        .filter(order_lines::Column::Id.eq(line))
        .filter(
            Expr::col(order_lines::Column::InvoicedMilli)
                .add(qty)
                .lte(Expr::col(order_lines::Column::QuantityMilli)),
        )
        .exec(txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::bad_input(
            "lines",
            "the order was invoiced meanwhile; try again",
        ));
    }
    Ok(())
}

async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<invoices::Model> {
    let m = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such invoice".into()))?;
    policy::check_reach(ctx, OBJECT, Action::Update, Some(m.owner_id), "invoice")?;
    Ok(m)
}

fn frozen(m: &invoices::Model) -> AppError {
    AppError::bad_input(
        "id",
        format!(
            "{} {} is issued and never changes; correct it with a credit note",
            if m.kind == InvoiceKind::CreditNote.as_str() {
                "credit note"
            } else {
                "invoice"
            },
            m.number.as_deref().unwrap_or("")
        ),
    )
}

/// Changes a draft's payment days or notes.
pub async fn update_draft(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    payment_days: Option<i32>,
    notes: Option<String>,
) -> AppResult<invoices::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    let mut val = Validator::default();
    check_days(&mut val, payment_days);
    let notes = val.given(notes.as_deref(), |s| v::long_text("notes", s, 10_000));
    val.finish()?;
    if current.status != InvoiceStatus::Draft.as_str() {
        return Err(frozen(&current));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    if let Some(d) = payment_days {
        next.payment_days = d;
    }
    if let Some(n) = notes {
        next.notes = n;
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.save(&current, next, version, "update").await?;
    w.commit().await?;
    Ok(m)
}

/// Deletes a draft, releasing the order quantities it reserved.
pub async fn delete_draft(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<()> {
    let current = load_for(&state.db, ctx, id).await?;
    if current.status != InvoiceStatus::Draft.as_str() {
        return Err(frozen(&current));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let lines = lines(&state.db, id).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    for l in &lines {
        if let Some(ol) = l.order_line_id {
            order_lines::Entity::update_many()
                .col_expr(
                    order_lines::Column::InvoicedMilli,
                    Expr::col(order_lines::Column::InvoicedMilli).sub(l.quantity_milli),
                )
                .filter(order_lines::Column::Id.eq(ol))
                .exec(w.txn())
                .await?;
        }
    }
    invoice_lines::Entity::delete_many()
        .filter(invoice_lines::Column::InvoiceId.eq(id))
        .exec(w.txn())
        .await?;
    let res = invoices::Entity::delete_many()
        .filter(invoices::Column::Id.eq(id))
        .filter(invoices::Column::Version.eq(version))
        .exec(w.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(conflict(current.version));
    }
    w.log(OBJECT, id, "delete", json!({})).await?;
    w.commit().await?;
    Ok(())
}

/// The counter of a series and year; created (committed on its own) before the issuing
/// transaction, so that concurrent first issues of a year do not collide.
async fn ensure_counter(db: &impl ConnectionTrait, name: &str) -> AppResult<()> {
    sequences::Entity::insert(sequences::ActiveModel {
        name: Set(name.to_string()),
        next_value: Set(1),
    })
    .on_conflict(
        OnConflict::column(sequences::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn counter_name(series: &str, year: i32) -> String {
    format!("invoice:{series}:{year}")
}

/// Gives `m` the next number of its series for `on`'s year, inside the caller's transaction:
/// the counter row stays locked until commit, so numbers are handed out one issue at a time, and
/// a rollback returns the number.
async fn number(w: &Write<'_>, m: &mut invoices::Model, on: NaiveDate) -> AppResult<()> {
    let year = on.year();
    let seq = crate::domain::parties::service::next_number(w.txn(), &counter_name(&m.series, year))
        .await?;
    let seq = i32::try_from(seq).map_err(|_| AppError::internal(anyhow::anyhow!("counter")))?;
    m.year = Some(year);
    m.sequence = Some(seq);
    m.number = Some(format!("{}-{year}-{seq:06}", m.series));
    m.issue_date = Some(on);
    m.status = InvoiceStatus::Issued.as_str().into();
    Ok(())
}

/// The moment an invoice's first reminder is due: the start of the day after its due date (UTC).
pub fn first_reminder_at(due: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    due.checked_add_days(Days::new(1))
        .unwrap_or(due)
        .and_time(NaiveTime::MIN)
        .and_utc()
}

/// Issues a draft: numbered without gaps, due after its payment days, frozen from now on; its
/// first overdue reminder is enqueued in the same transaction.
pub async fn issue(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<invoices::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    if current.status != InvoiceStatus::Draft.as_str() {
        return Err(frozen(&current));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let on = today();
    ensure_counter(&state.db, &counter_name(&current.series, on.year())).await?;
    let mut next = current.clone();
    let due = on
        .checked_add_days(Days::new(u64::try_from(current.payment_days).unwrap_or(0)))
        .unwrap_or(on);
    next.due_date = Some(due);
    next.open_minor = next.total_minor - next.paid_minor - next.credited_minor;
    let mut w = Write::begin(state, Some(ctx)).await?;
    number(&w, &mut next, on).await?;
    let m = w.save(&current, next, version, "issue").await?;
    if m.open_minor > 0 {
        jobs::enqueue(
            w.txn(),
            JobKind::Dunning,
            json!({"invoiceId": m.id, "level": 1}),
            first_reminder_at(due),
        )
        .await?;
    }
    w.commit().await?;
    Ok(m)
}

/// Issues a credit note against an issued invoice: every line in full, or the given quantities of
/// its lines; it may not exceed what is open on the invoice.
pub async fn credit(
    state: &AppState,
    ctx: &RequestCtx,
    invoice_id: Uuid,
    version: i32,
    given: Option<Vec<LineQuantity>>,
    reason: String,
) -> AppResult<invoices::Model> {
    let (actor, _) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let current = load_for(&state.db, ctx, invoice_id).await?;
    let reason =
        v::required_long_text("reason", &reason, 2000).map_err(|e| AppError::BadInput(vec![e]))?;
    if current.kind != InvoiceKind::Invoice.as_str()
        || current.status != InvoiceStatus::Issued.as_str()
    {
        return Err(AppError::bad_input(
            "invoiceId",
            "only an issued invoice is credited",
        ));
    }
    let src = lines(&state.db, invoice_id).await?;
    let now = db::now();
    let mut note = invoices::Model {
        id: Uuid::new_v4(),
        kind: InvoiceKind::CreditNote.as_str().into(),
        series: "CN".into(),
        credited_invoice_id: Some(current.id),
        order_id: current.order_id,
        payment_days: 0,
        due_date: None,
        paid_minor: 0,
        credited_minor: 0,
        open_minor: 0,
        dunning_level: 0,
        notes: Some(reason),
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
        ..current.clone()
    };
    let mut val = Validator::default();
    let mut out = Vec::new();
    match given {
        None => {
            for l in &src {
                out.push(invoice_lines::Model {
                    id: Uuid::new_v4(),
                    invoice_id: note.id,
                    order_line_id: None,
                    ..l.clone()
                });
            }
        }
        Some(given) => {
            for (i, q) in given.iter().enumerate() {
                let f = |n: &str| format!("lines.{i}.{n}");
                let Some(qty) = val.check(amounts::parse_quantity(&f("quantity"), &q.quantity))
                else {
                    continue;
                };
                let Some(l) = src.iter().find(|l| l.id == q.line_id) else {
                    val.push(&f("lineId"), "is not a line of this invoice");
                    continue;
                };
                if qty > l.quantity_milli || qty == 0 {
                    val.push(
                        &f("quantity"),
                        format!(
                            "must be more than 0 and at most the {} invoiced",
                            amounts::format_quantity(l.quantity_milli)
                        ),
                    );
                    continue;
                }
                let mut line = if qty == l.quantity_milli {
                    invoice_lines::Model {
                        id: Uuid::new_v4(),
                        invoice_id: note.id,
                        ..l.clone()
                    }
                } else {
                    price(note.id, 0, qty, current.discount_bp, l)
                };
                line.position = out.len() as i32;
                line.order_line_id = None;
                out.push(line);
            }
            if given.is_empty() {
                val.push(
                    "lines",
                    "name at least one line, or none to credit the whole invoice",
                );
            }
        }
    }
    val.finish()?;
    set_totals(&mut note, &out);
    if note.total_minor > current.open_minor {
        return Err(AppError::bad_input(
            "lines",
            format!(
                "the credit of {} is more than the {} open on invoice {}",
                amounts::format_amount(note.total_minor, &note.currency),
                amounts::format_amount(current.open_minor, &current.currency),
                current.number.as_deref().unwrap_or("")
            ),
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let on = today();
    ensure_counter(&state.db, &counter_name("CN", on.year())).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    number(&w, &mut note, on).await?;
    let mut next = current.clone();
    next.credited_minor += note.total_minor;
    next.open_minor -= note.total_minor;
    w.save(&current, next, version, "credit").await?;
    invoice_lines::Entity::insert_many(out.into_iter().map(invoice_lines::ActiveModel::from))
        .exec(w.txn())
        .await?;
    let note = w.insert(note).await?;
    w.commit().await?;
    Ok(note)
}

/// The order an invoice bills (for the invoice page), if the caller may see it.
pub async fn order_of(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    m: &invoices::Model,
) -> AppResult<Option<orders::Model>> {
    match m.order_id {
        Some(id) => order_svc::get(db, ctx, id).await,
        None => Ok(None),
    }
}
