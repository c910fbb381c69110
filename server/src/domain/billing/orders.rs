//! Orders: sales orders (from an accepted quote, or entered directly) and dealer purchase orders
//! (a partner organisation orders for its end customer, with its own reference). One status flow:
//! received → confirmed → shipped → delivered, or cancelled before anything was delivered or
//! invoiced. Deliveries are recorded per line, in part or whole.

use std::collections::HashMap;

use async_graphql::Enum;
use chrono::NaiveDate;
use entity::billing::{order_lines, orders};
use entity::documents::quote_lines;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::policy::OrderObject;
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::documents::amounts;
use crate::domain::documents::policy::{LARGE_DISCOUNT, QUOTE_AMOUNT};
use crate::domain::documents::prices::PriceFor;
use crate::domain::documents::products;
use crate::domain::documents::quotes::{self, lines, LineIn, QuoteStatus};
use crate::domain::parties::service as parties;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::{conflict, Write};
use crate::policy::{self, Action};
use crate::state::AppState;

const OBJECT: &str = <OrderObject as aggregate::Aggregate>::OBJECT;

stored_enum!(
    /// A sales order or a dealer's purchase order.
    OrderKind {
        Sales => "SALES",
        /// Placed by a partner (dealer) organisation for its end customer.
        Dealer => "DEALER",
    }
);

stored_enum!(
    /// Where an order stands.
    OrderStatus {
        /// A dealer's order, not yet confirmed.
        Received => "RECEIVED",
        Confirmed => "CONFIRMED",
        /// Shipped, or delivered in part.
        Shipped => "SHIPPED",
        /// Every line delivered in full.
        Delivered => "DELIVERED",
        Cancelled => "CANCELLED",
    }
);

crate::versioned!(orders, OBJECT, stamps updated_by, kept [CreatedAt, CreatedBy, Number], |m| vec![
    ("kind", json!(m.kind)),
    ("customerId", json!(m.customer_id)),
    ("dealerId", json!(m.dealer_id)),
    ("dealerReference", json!(m.dealer_reference)),
    ("ownerId", json!(m.owner_id)),
    ("status", json!(m.status)),
    ("currency", json!(m.currency)),
    ("orderDate", json!(m.order_date)),
    ("net", json!(amounts::format_amount(m.net_minor, &m.currency))),
    ("total", json!(amounts::format_amount(m.total_minor, &m.currency))),
    ("notes", json!(m.notes)),
]);

/// Filter of the order list.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Part of the number or of the dealer's reference.
    pub search: Option<String>,
    pub kind: Option<OrderKind>,
    pub statuses: Vec<OrderStatus>,
    pub customer_id: Option<Uuid>,
    pub dealer_id: Option<Uuid>,
    pub quote_id: Option<Uuid>,
}

const ORDERING: &str = "CREATED_DESC";

fn condition(f: &OrderFilter) -> Condition {
    let mut c = Condition::all();
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", s.to_lowercase().replace(['%', '_'], ""));
        c = c.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(orders::Column::Number)))
                        .like(pattern.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(orders::Column::DealerReference)))
                        .like(pattern),
                ),
        );
    }
    if let Some(k) = f.kind {
        c = c.add(orders::Column::Kind.eq(k.as_str()));
    }
    if !f.statuses.is_empty() {
        c = c.add(orders::Column::Status.is_in(f.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(id) = f.customer_id {
        c = c.add(orders::Column::CustomerId.eq(id));
    }
    if let Some(id) = f.dealer_id {
        c = c.add(orders::Column::DealerId.eq(id));
    }
    if let Some(id) = f.quote_id {
        c = c.add(orders::Column::QuoteId.eq(id));
    }
    c
}

/// One page of the orders the caller may read, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OrderFilter,
    page: &Page,
) -> AppResult<(Vec<orders::Model>, bool)> {
    let q = aggregate::visible::<OrderObject>(ctx, Action::Read)?.filter(condition(filter));
    db::newest_first(
        db,
        q,
        orders::Column::CreatedAt,
        orders::Column::Id,
        ORDERING,
        page,
    )
    .await
}

/// The cursor of an order in the list.
pub fn cursor(m: &orders::Model) -> Cursor {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Time(m.created_at),
        id: m.id,
    }
}

/// How many orders the caller may read match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OrderFilter,
) -> AppResult<u64> {
    Ok(aggregate::visible::<OrderObject>(ctx, Action::Read)?
        .filter(condition(filter))
        .count(db)
        .await?)
}

/// One order the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<orders::Model>> {
    Ok(aggregate::visible::<OrderObject>(ctx, Action::Read)?
        .filter(orders::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// The lines of orders (already read under scope), in order, by order.
pub async fn lines_of(
    db: &impl ConnectionTrait,
    order_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<order_lines::Model>>> {
    let mut out: HashMap<Uuid, Vec<order_lines::Model>> = HashMap::new();
    if order_ids.is_empty() {
        return Ok(out);
    }
    for l in order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.is_in(order_ids.iter().copied()))
        .order_by_asc(order_lines::Column::OrderId)
        .order_by_asc(order_lines::Column::Position)
        .all(db)
        .await?
    {
        out.entry(l.order_id).or_default().push(l);
    }
    Ok(out)
}

/// The lines of one order.
pub async fn lines(db: &impl ConnectionTrait, order: Uuid) -> AppResult<Vec<order_lines::Model>> {
    Ok(lines_of(db, &[order])
        .await?
        .remove(&order)
        .unwrap_or_default())
}

fn totals(m: &mut orders::Model, lines: &[order_lines::Model]) {
    m.net_minor = lines.iter().map(|l| l.net_minor).sum();
    m.tax_minor = lines.iter().map(|l| l.tax_minor).sum();
    m.total_minor = lines.iter().map(|l| l.total_minor).sum();
}

fn new_order(
    kind: OrderKind,
    status: OrderStatus,
    customer_id: Uuid,
    owner_id: Uuid,
    currency: String,
    by: Uuid,
) -> orders::Model {
    let now = db::now();
    orders::Model {
        id: Uuid::new_v4(),
        number: String::new(),
        kind: kind.as_str().into(),
        customer_id,
        dealer_id: None,
        dealer_reference: None,
        quote_id: None,
        owner_id,
        status: status.as_str().into(),
        currency,
        order_date: now.date_naive(),
        discount_bp: 0,
        net_minor: 0,
        tax_minor: 0,
        total_minor: 0,
        notes: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(by),
        updated_by: Some(by),
    }
}

fn order_line(order: Uuid, l: quote_lines::Model) -> order_lines::Model {
    order_lines::Model {
        id: Uuid::new_v4(),
        order_id: order,
        position: l.position,
        product_id: l.product_id,
        code: l.code,
        name: l.name,
        unit: l.unit,
        quantity_milli: l.quantity_milli,
        delivered_milli: 0,
        invoiced_milli: 0,
        unit_price_minor: l.unit_price_minor,
        discount_bp: l.discount_bp,
        tax_category: l.tax_category,
        tax_rate_bp: l.tax_rate_bp,
        net_minor: l.net_minor,
        tax_minor: l.tax_minor,
        total_minor: l.total_minor,
    }
}

async fn insert(
    w: &mut Write<'_>,
    mut order: orders::Model,
    lines: Vec<order_lines::Model>,
) -> AppResult<orders::Model> {
    let number = parties::next_number(w.txn(), "order").await?;
    order.number = format!("SO-{number:06}");
    totals(&mut order, &lines);
    if !lines.is_empty() {
        order_lines::Entity::insert_many(lines.into_iter().map(order_lines::ActiveModel::from))
            .exec(w.txn())
            .await?;
    }
    w.insert(order).await
}

/// Makes the sales order of an accepted quote: the accepted revision's lines, prices and totals,
/// confirmed. A quote has at most one order.
pub async fn create_from_quote(
    state: &AppState,
    ctx: &RequestCtx,
    quote_id: Uuid,
) -> AppResult<orders::Model> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let quote = quotes::get(&state.db, ctx, quote_id)
        .await?
        .ok_or_else(|| AppError::bad_input("quoteId", "is not a quote you can see"))?;
    if quote.status != QuoteStatus::Accepted.as_str() {
        return Err(AppError::bad_input(
            "quoteId",
            format!("quote {} is not accepted", quote.number),
        ));
    }
    if !policy::owner_in_scope(actor, scope, Some(quote.owner_id)) {
        return Err(AppError::Forbidden(
            "your role may not create orders for this quote's owner".into(),
        ));
    }
    let existing = aggregate::unscoped::<OrderObject>("one order per quote: a uniqueness check")
        .filter(orders::Column::QuoteId.eq(quote.id))
        .one(&state.db)
        .await?;
    if let Some(o) = existing {
        return Err(AppError::bad_input(
            "quoteId",
            format!("quote {} is already ordered as {}", quote.number, o.number),
        ));
    }
    let revision = quotes::current_revision(&state.db, &quote)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("quote {quote_id} has no revision")))?;
    let mut order = new_order(
        OrderKind::Sales,
        OrderStatus::Confirmed,
        quote.customer_id,
        quote.owner_id,
        revision.currency.clone(),
        actor.user_id,
    );
    order.quote_id = Some(quote.id);
    order.discount_bp = revision.discount_bp;
    order.notes = Some(format!("{} — {}", quote.number, quote.title));
    let lines: Vec<order_lines::Model> = quotes::lines_of(&state.db, &[revision.id])
        .await?
        .remove(&revision.id)
        .unwrap_or_default()
        .into_iter()
        .map(|l| order_line(order.id, l))
        .collect();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let order = insert(&mut w, order, lines).await?;
    w.commit().await?;
    Ok(order)
}

/// A new order entered directly: a sales order, or a dealer's purchase order.
#[derive(Debug, Clone, Default)]
pub struct NewOrder {
    pub kind: Option<OrderKind>,
    pub customer_id: Uuid,
    pub dealer_id: Option<Uuid>,
    pub dealer_reference: Option<String>,
    pub owner_id: Option<Uuid>,
    pub currency: Option<String>,
    pub notes: Option<String>,
    pub lines: Vec<LineIn>,
}

/// Creates an order with priced lines: a sales order is confirmed at once; a dealer's order is
/// received, awaiting confirmation.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    input: NewOrder,
) -> AppResult<orders::Model> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let mut val = Validator::default();
    // A dealer's user places their own organisation's purchase orders, and only those.
    let (kind, dealer_id) = match actor.organization_id {
        Some(org) => {
            if input.kind == Some(OrderKind::Sales) {
                val.push("kind", "a dealer's user places dealer's orders only");
            }
            if input.dealer_id.is_some_and(|d| d != org) {
                val.push("dealerId", "must be your own organisation");
            }
            (OrderKind::Dealer, Some(org))
        }
        None => (input.kind.unwrap_or(OrderKind::Sales), input.dealer_id),
    };
    let currency = val.given(input.currency.as_deref(), |s| v::currency("currency", s));
    let reference = val
        .given(input.dealer_reference.as_deref(), |s| {
            v::optional_text("dealerReference", s, 60)
        })
        .flatten();
    let notes = val
        .given(input.notes.as_deref(), |s| v::long_text("notes", s, 10_000))
        .flatten();
    if input.lines.is_empty() {
        val.push("lines", "an order needs at least one line");
    }
    match kind {
        OrderKind::Dealer => {
            if dealer_id.is_none() {
                val.push("dealerId", "is required on a dealer's order");
            }
            if reference.is_none() {
                val.push("dealerReference", "is required on a dealer's order");
            }
        }
        OrderKind::Sales => {
            if dealer_id.is_some() {
                val.push("dealerId", "applies to a dealer's order only");
            }
        }
    }
    val.finish()?;
    let customer = parties::get(&state.db, ctx, input.customer_id)
        .await?
        .ok_or_else(|| AppError::bad_input("customerId", "is not a customer you can see"))?;
    if let Some(d) = dealer_id.filter(|d| actor.organization_id != Some(*d)) {
        let dealer = parties::get(&state.db, ctx, d).await?;
        if dealer.is_none_or(|p| p.kind != "ORGANIZATION") {
            return Err(AppError::bad_input(
                "dealerId",
                "is not an organisation you can see",
            ));
        }
    }
    let owner = input.owner_id.unwrap_or(actor.user_id);
    if !policy::owner_in_scope(actor, scope, Some(owner)) {
        return Err(AppError::Forbidden(
            "your role may not create orders for that owner".into(),
        ));
    }
    parties::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
    // Unless given: the customer's preferred currency, as quotes do.
    let currency = currency
        .or(customer.preferred_currency.clone())
        .unwrap_or_else(|| "EUR".to_string());
    let status = match kind {
        OrderKind::Sales => OrderStatus::Confirmed,
        OrderKind::Dealer => OrderStatus::Received,
    };
    let mut order = new_order(kind, status, customer.id, owner, currency, actor.user_id);
    order.dealer_id = dealer_id;
    order.dealer_reference = reference;
    order.notes = notes;
    let ids: Vec<Uuid> = input.lines.iter().filter_map(|l| l.product_id).collect();
    let catalogue = products::by_ids(&state.db, ctx, &ids).await?;
    let rates = quotes::tax_rates(&state.db).await?;
    let priced = lines::price(
        &state.db,
        order.id,
        &input.lines,
        &lines::Pricing {
            price_for: PriceFor {
                customer: customer.id,
                customer_type: customer.customer_type.as_deref(),
                currency: &order.currency,
                on: order.order_date,
            },
            header_discount_bp: 0,
            products: &catalogue,
            tax_rates: &rates,
        },
    )
    .await?;
    if priced.manual_price || priced.lines.iter().any(|l| l.discount_bp > 0) {
        policy::check_field_write(actor, QUOTE_AMOUNT).map_err(|_| {
            AppError::Forbidden("your role may not set prices or discounts by hand".into())
        })?;
    }
    if priced.large_discount {
        policy::check_field_write(actor, LARGE_DISCOUNT)?;
    }
    let lines = priced
        .lines
        .into_iter()
        .map(|l| order_line(order.id, l))
        .collect();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let order = insert(&mut w, order, lines).await?;
    w.commit().await?;
    Ok(order)
}

async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<orders::Model> {
    let order = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such order".into()))?;
    policy::check_reach(ctx, OBJECT, Action::Update, Some(order.owner_id), "order")?;
    Ok(order)
}

fn refuse(order: &orders::Model, what: &str) -> AppError {
    AppError::bad_input(
        "id",
        format!(
            "order {} is {} and cannot be {what}",
            order.number,
            order.status.to_ascii_lowercase()
        ),
    )
}

/// Moves an order to `to` if it is in one of `from` and `version` is current.
async fn transition(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    from: &[OrderStatus],
    to: OrderStatus,
    action: &str,
) -> AppResult<orders::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    if !from.iter().any(|s| s.as_str() == current.status) {
        return Err(refuse(&current, &to.as_str().to_ascii_lowercase()));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    next.status = to.as_str().into();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.save(&current, next, version, action).await?;
    w.commit().await?;
    Ok(m)
}

/// Confirms a received (dealer's) order.
pub async fn confirm(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<orders::Model> {
    transition(
        state,
        ctx,
        id,
        version,
        &[OrderStatus::Received],
        OrderStatus::Confirmed,
        "confirm",
    )
    .await
}

/// Marks a confirmed order shipped.
pub async fn ship(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<orders::Model> {
    transition(
        state,
        ctx,
        id,
        version,
        &[OrderStatus::Confirmed],
        OrderStatus::Shipped,
        "ship",
    )
    .await
}

/// Cancels an order nothing of which was delivered or invoiced.
pub async fn cancel(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<orders::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    let lines = lines(&state.db, id).await?;
    if lines
        .iter()
        .any(|l| l.delivered_milli > 0 || l.invoiced_milli > 0)
    {
        return Err(AppError::bad_input(
            "id",
            format!(
                "order {} is delivered or invoiced in part and cannot be cancelled",
                current.number
            ),
        ));
    }
    transition(
        state,
        ctx,
        id,
        version,
        &[OrderStatus::Received, OrderStatus::Confirmed],
        OrderStatus::Cancelled,
        "cancel",
    )
    .await
}

/// A delivered quantity of one order line.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub line_id: Uuid,
    pub quantity: String,
}

/// Records deliveries: the given quantities of the given lines, or everything still outstanding
/// when `deliveries` is empty. The order reads shipped while lines are outstanding, delivered once
/// every line is delivered in full.
pub async fn deliver(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    deliveries: &[Delivery],
) -> AppResult<orders::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    if !matches!(
        OrderStatus::parse(&current.status),
        Some(OrderStatus::Confirmed | OrderStatus::Shipped)
    ) {
        return Err(refuse(&current, "delivered"));
    }
    let mut lines = lines(&state.db, id).await?;
    let mut val = Validator::default();
    let mut changed = Vec::new();
    if deliveries.is_empty() {
        for l in &mut lines {
            if l.delivered_milli < l.quantity_milli {
                l.delivered_milli = l.quantity_milli;
                changed.push(l.clone());
            }
        }
        if changed.is_empty() {
            val.push("lines", "nothing is outstanding");
        }
    }
    for (i, d) in deliveries.iter().enumerate() {
        let f = |n: &str| format!("lines.{i}.{n}");
        let Some(q) = val.check(amounts::parse_quantity(&f("quantity"), &d.quantity)) else {
            continue;
        };
        let Some(l) = lines.iter_mut().find(|l| l.id == d.line_id) else {
            val.push(&f("lineId"), "is not a line of this order");
            continue;
        };
        let outstanding = l.quantity_milli - l.delivered_milli;
        if q > outstanding {
            val.push(
                &f("quantity"),
                format!(
                    "is more than the {} outstanding",
                    amounts::format_quantity(outstanding)
                ),
            );
            continue;
        }
        l.delivered_milli += q;
        changed.retain(|c: &order_lines::Model| c.id != l.id);
        changed.push(l.clone());
    }
    val.finish()?;
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    next.status = if lines.iter().all(|l| l.delivered_milli >= l.quantity_milli) {
        OrderStatus::Delivered
    } else {
        OrderStatus::Shipped
    }
    .as_str()
    .into();
    let mut w = Write::begin(state, Some(ctx)).await?;
    for l in &changed {
        order_lines::ActiveModel::from(l.clone())
            .reset_all()
            .update(w.txn())
            .await?;
    }
    let (next, mut diff) = w.save_quietly(&current, next, version).await?;
    if let serde_json::Value::Object(map) = &mut diff {
        map.insert(
            "delivered".into(),
            json!({"before": null, "after": changed.iter().map(|l| format!("{} × {}", amounts::format_quantity(l.delivered_milli), l.name)).collect::<Vec<_>>()}),
        );
    }
    w.log(OBJECT, id, "deliver", diff).await?;
    w.commit().await?;
    Ok(next)
}

/// Today, as orders and invoices count it (UTC).
pub fn today() -> NaiveDate {
    db::now().date_naive()
}
