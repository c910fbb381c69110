//! Enquiries: what a customer asked for — number and date, channel, address, lines (product or free
//! text, the customer's specification, unit price, quantity, discount, total), delivery period,
//! payment terms, the lead time a quotation is wanted in, delivery point and remarks. Open until a
//! quote is made from it (`quotes::create` with `enquiry_id`, which copies its lines and marks it
//! quoted in the same transaction) or it is closed.

use async_graphql::Enum;
use chrono::NaiveDate;
use entity::documents::{enquiries, enquiry_lines, quote_lines};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::amounts;
use super::policy::{EnquiryObject, LARGE_DISCOUNT, QUOTE_AMOUNT};
use super::prices::PriceFor;
use super::products;
use super::quotes::{self, lines, LineIn};
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::parties::service as parties;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::{conflict, Write};
use crate::policy::{self, Action};
use crate::state::AppState;

const OBJECT: &str = <EnquiryObject as aggregate::Aggregate>::OBJECT;

stored_enum!(
    /// How an enquiry came in.
    EnquiryChannel {
        Phone => "PHONE",
        Fax => "FAX",
        Tender => "TENDER",
        Letter => "LETTER",
        Email => "EMAIL",
        Web => "WEB",
    }
);

stored_enum!(
    /// Where an enquiry stands.
    EnquiryStatus {
        Open => "OPEN",
        /// A quote was made from it.
        Quoted => "QUOTED",
        /// Closed without a quote.
        Closed => "CLOSED",
    }
);

crate::versioned!(enquiries, OBJECT, stamps updated_by, kept [CreatedAt, CreatedBy, Number], |m| vec![
    ("enquiryDate", json!(m.enquiry_date)),
    ("channel", json!(m.channel)),
    ("customerId", json!(m.customer_id)),
    ("address", json!(m.address)),
    ("ownerId", json!(m.owner_id)),
    ("status", json!(m.status)),
    ("currency", json!(m.currency)),
    ("deliveryPeriod", json!(m.delivery_period)),
    ("paymentTerms", json!(m.payment_terms)),
    ("quotationLeadDays", json!(m.quotation_lead_days)),
    ("deliveryPoint", json!(m.delivery_point)),
    ("remarks", json!(m.remarks)),
    ("quoteId", json!(m.quote_id)),
    ("net", json!(amounts::format_amount(m.net_minor, &m.currency))),
]);

/// Filter of the enquiry list.
#[derive(Debug, Clone, Default)]
pub struct EnquiryFilter {
    /// Part of the number.
    pub search: Option<String>,
    pub statuses: Vec<EnquiryStatus>,
    pub customer_id: Option<Uuid>,
    /// Enquiries with a line of this product.
    pub product_id: Option<Uuid>,
}

const ORDERING: &str = "CREATED_DESC";

fn condition(f: &EnquiryFilter) -> Condition {
    let mut c = Condition::all();
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", s.to_lowercase().replace(['%', '_'], ""));
        c = c.add(Expr::expr(Func::lower(Expr::col(enquiries::Column::Number))).like(pattern));
    }
    if !f.statuses.is_empty() {
        c = c.add(enquiries::Column::Status.is_in(f.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(id) = f.customer_id {
        c = c.add(enquiries::Column::CustomerId.eq(id));
    }
    if let Some(id) = f.product_id {
        c = c.add(
            enquiries::Column::Id.in_subquery(
                Query::select()
                    .column(enquiry_lines::Column::EnquiryId)
                    .from(enquiry_lines::Entity)
                    .and_where(enquiry_lines::Column::ProductId.eq(id))
                    .to_owned(),
            ),
        );
    }
    c
}

/// One page of the enquiries the caller may read, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &EnquiryFilter,
    page: &Page,
) -> AppResult<(Vec<enquiries::Model>, bool)> {
    let q = aggregate::visible::<EnquiryObject>(ctx, Action::Read)?.filter(condition(filter));
    db::newest_first(
        db,
        q,
        enquiries::Column::CreatedAt,
        enquiries::Column::Id,
        ORDERING,
        page,
    )
    .await
}

/// The cursor of an enquiry in the list.
pub fn cursor(m: &enquiries::Model) -> Cursor {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Time(m.created_at),
        id: m.id,
    }
}

/// How many enquiries the caller may read match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &EnquiryFilter,
) -> AppResult<u64> {
    Ok(aggregate::visible::<EnquiryObject>(ctx, Action::Read)?
        .filter(condition(filter))
        .count(db)
        .await?)
}

/// One enquiry the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<enquiries::Model>> {
    Ok(aggregate::visible::<EnquiryObject>(ctx, Action::Read)?
        .filter(enquiries::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// The lines of an enquiry (read under scope), in order.
pub async fn lines(
    db: &impl ConnectionTrait,
    enquiry: Uuid,
) -> AppResult<Vec<enquiry_lines::Model>> {
    Ok(enquiry_lines::Entity::find()
        .filter(enquiry_lines::Column::EnquiryId.eq(enquiry))
        .order_by_asc(enquiry_lines::Column::Position)
        .all(db)
        .await?)
}

/// An enquiry's fields for create or update; `None` leaves a field as it is (an empty string
/// clears a text).
#[derive(Debug, Clone, Default)]
pub struct EnquiryChanges {
    /// Create only.
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub channel: Option<EnquiryChannel>,
    pub enquiry_date: Option<String>,
    pub address: Option<String>,
    pub currency: Option<String>,
    pub delivery_period: Option<String>,
    pub payment_terms: Option<String>,
    pub quotation_lead_days: Option<i32>,
    pub delivery_point: Option<String>,
    pub remarks: Option<String>,
    /// Replaces every line.
    pub lines: Option<Vec<LineIn>>,
}

fn apply(m: &mut enquiries::Model, c: &EnquiryChanges) -> AppResult<()> {
    let mut val = Validator::default();
    if let Some(ch) = c.channel {
        m.channel = ch.as_str().into();
    }
    match val.given(c.enquiry_date.as_deref(), |s| v::date("enquiryDate", s)) {
        Some(Some(d)) if d > quotes::today() => val.push("enquiryDate", "is in the future"),
        Some(Some(d)) => m.enquiry_date = d,
        Some(None) => val.push("enquiryDate", "is required"),
        None => {}
    }
    if let Some(a) = val.given(c.address.as_deref(), |s| v::long_text("address", s, 1000)) {
        m.address = a;
    }
    if let Some(cur) = val.given(c.currency.as_deref(), |s| v::currency("currency", s)) {
        m.currency = cur;
    }
    for (field, given, slot) in [
        ("deliveryPeriod", &c.delivery_period, &mut m.delivery_period),
        ("paymentTerms", &c.payment_terms, &mut m.payment_terms),
        ("deliveryPoint", &c.delivery_point, &mut m.delivery_point),
    ] {
        if let Some(t) = val.given(given.as_deref(), |s| v::optional_text(field, s, 200)) {
            *slot = t;
        }
    }
    if let Some(d) = c.quotation_lead_days {
        if (0..=365).contains(&d) {
            m.quotation_lead_days = Some(d);
        } else {
            val.push("quotationLeadDays", "must be between 0 and 365");
        }
    }
    if let Some(r) = val.given(c.remarks.as_deref(), |s| v::long_text("remarks", s, 10_000)) {
        m.remarks = r;
    }
    val.finish()
}

/// Validates and prices `input` for `m` (prices resolved from the customer's lists where none is
/// given), checking the grants hand-set prices and discounts need.
async fn priced(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    m: &enquiries::Model,
    customer_type: Option<&str>,
    input: &[LineIn],
) -> AppResult<Vec<enquiry_lines::Model>> {
    let ids: Vec<Uuid> = input.iter().filter_map(|l| l.product_id).collect();
    let catalogue = products::by_ids(db, ctx, &ids).await?;
    let rates = quotes::tax_rates(db).await?;
    let priced = lines::price(
        db,
        m.id,
        input,
        &lines::Pricing {
            price_for: PriceFor {
                customer: m.customer_id,
                customer_type,
                currency: &m.currency,
                on: m.enquiry_date,
            },
            header_discount_bp: 0,
            products: &catalogue,
            tax_rates: &rates,
        },
    )
    .await?;
    let actor = ctx.actor()?;
    if priced.manual_price || priced.lines.iter().any(|l| l.discount_bp > 0) {
        policy::check_field_write(actor, QUOTE_AMOUNT)?;
    }
    if priced.large_discount {
        policy::check_field_write(actor, LARGE_DISCOUNT)?;
    }
    Ok(priced.lines.into_iter().map(|l| line(m.id, l)).collect())
}

fn line(enquiry: Uuid, l: quote_lines::Model) -> enquiry_lines::Model {
    enquiry_lines::Model {
        id: Uuid::new_v4(),
        enquiry_id: enquiry,
        position: l.position,
        product_id: l.product_id,
        code: l.code,
        name: l.name,
        specification: l.specification,
        unit: l.unit,
        quantity_milli: l.quantity_milli,
        unit_price_minor: l.unit_price_minor,
        discount_bp: l.discount_bp,
        tax_category: l.tax_category,
        net_minor: l.net_minor,
        total_minor: l.total_minor,
    }
}

async fn store(
    txn: &impl ConnectionTrait,
    id: Uuid,
    lines: Vec<enquiry_lines::Model>,
) -> AppResult<()> {
    enquiry_lines::Entity::delete_many()
        .filter(enquiry_lines::Column::EnquiryId.eq(id))
        .exec(txn)
        .await?;
    if !lines.is_empty() {
        enquiry_lines::Entity::insert_many(lines.into_iter().map(enquiry_lines::ActiveModel::from))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Records an enquiry.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: EnquiryChanges,
) -> AppResult<enquiries::Model> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let now = db::now();
    let mut m = enquiries::Model {
        id: Uuid::new_v4(),
        number: String::new(),
        enquiry_date: now.date_naive(),
        channel: EnquiryChannel::Email.as_str().into(),
        customer_id: Uuid::nil(),
        address: None,
        owner_id: changes.owner_id.unwrap_or(actor.user_id),
        status: EnquiryStatus::Open.as_str().into(),
        currency: "EUR".into(),
        delivery_period: None,
        payment_terms: None,
        quotation_lead_days: None,
        delivery_point: None,
        remarks: None,
        quote_id: None,
        net_minor: 0,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    apply(&mut m, &changes)?;
    let customer = match changes.customer_id {
        Some(id) => parties::get(&state.db, ctx, id).await?,
        None => None,
    }
    .ok_or_else(|| AppError::bad_input("customerId", "is not a customer you can see"))?;
    m.customer_id = customer.id;
    if !policy::owner_in_scope(actor, scope, Some(m.owner_id)) {
        return Err(AppError::Forbidden(
            "your role may not record enquiries for that owner".into(),
        ));
    }
    parties::check_owner(&state.db, actor, scope, m.owner_id, OBJECT).await?;
    let input = changes.lines.clone().unwrap_or_default();
    let lines = priced(
        &state.db,
        ctx,
        &m,
        customer.customer_type.as_deref(),
        &input,
    )
    .await?;
    m.net_minor = lines.iter().map(|l| l.net_minor).sum();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let n = parties::next_number(w.txn(), "enquiry").await?;
    m.number = format!("ENQ-{n:06}");
    store(w.txn(), m.id, lines).await?;
    let m = w.insert(m).await?;
    w.commit().await?;
    Ok(m)
}

async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<enquiries::Model> {
    let m = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such enquiry".into()))?;
    policy::check_reach(ctx, OBJECT, Action::Update, Some(m.owner_id), "enquiry")?;
    Ok(m)
}

fn not_open(m: &enquiries::Model) -> AppError {
    AppError::bad_input(
        "id",
        format!(
            "enquiry {} is {} and no longer changes",
            m.number,
            m.status.to_ascii_lowercase()
        ),
    )
}

/// Changes an open enquiry.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: EnquiryChanges,
) -> AppResult<enquiries::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    if changes.customer_id.is_some() {
        return Err(AppError::bad_input(
            "customerId",
            "an enquiry's customer is set when it is recorded",
        ));
    }
    let mut next = current.clone();
    apply(&mut next, &changes)?;
    if current.status != EnquiryStatus::Open.as_str() {
        return Err(not_open(&current));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    if let Some(owner) = changes.owner_id.filter(|o| *o != current.owner_id) {
        let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Update)?;
        parties::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
    }
    let lines = match &changes.lines {
        Some(input) => {
            let customer = parties::get(&state.db, ctx, current.customer_id).await?;
            let t = customer.and_then(|c| c.customer_type);
            Some(priced(&state.db, ctx, &next, t.as_deref(), input).await?)
        }
        None => None,
    };
    if let Some(l) = &lines {
        next.net_minor = l.iter().map(|l| l.net_minor).sum();
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    if let Some(l) = lines {
        store(w.txn(), id, l).await?;
    }
    let m = w.save(&current, next, version, "update").await?;
    w.commit().await?;
    Ok(m)
}

/// Closes an open enquiry without a quote.
pub async fn close(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<enquiries::Model> {
    let current = load_for(&state.db, ctx, id).await?;
    if current.status != EnquiryStatus::Open.as_str() {
        return Err(not_open(&current));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    next.status = EnquiryStatus::Closed.as_str().into();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.save(&current, next, version, "close").await?;
    w.commit().await?;
    Ok(m)
}

/// An open enquiry a quote is being made from, and its lines as a quote's input: product lines
/// priced again from the price lists, free lines at the enquiry's price.
pub async fn for_quote(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<(enquiries::Model, Vec<LineIn>)> {
    let m = load_for(db, ctx, id)
        .await
        .map_err(|_| AppError::bad_input("enquiryId", "is not an enquiry you may quote"))?;
    if m.status != EnquiryStatus::Open.as_str() {
        return Err(AppError::bad_input(
            "enquiryId",
            format!("enquiry {} is {}", m.number, m.status.to_ascii_lowercase()),
        ));
    }
    let input = lines(db, id)
        .await?
        .into_iter()
        .map(|l| LineIn {
            product_id: l.product_id,
            name: Some(l.name),
            specification: l.specification,
            unit: Some(l.unit),
            quantity: amounts::format_quantity(l.quantity_milli),
            unit_price: l
                .product_id
                .is_none()
                .then(|| amounts::format_amount(l.unit_price_minor, &m.currency)),
            discount_percent: (l.discount_bp > 0).then(|| amounts::format_percent(l.discount_bp)),
            tax_category: Some(l.tax_category),
        })
        .collect();
    Ok((m, input))
}

/// Marks the enquiry quoted by `quote`, inside the quote's transaction.
pub async fn mark_quoted(
    w: &mut Write<'_>,
    current: &enquiries::Model,
    quote: Uuid,
) -> AppResult<()> {
    let mut next = current.clone();
    next.status = EnquiryStatus::Quoted.as_str().into();
    next.quote_id = Some(quote);
    w.save(current, next, current.version, "quote").await?;
    Ok(())
}

/// The default validity date of an enquiry's quotation: the enquiry date plus its lead time.
pub fn wanted_by(m: &enquiries::Model) -> Option<NaiveDate> {
    m.quotation_lead_days.and_then(|d| {
        m.enquiry_date
            .checked_add_days(chrono::Days::new(u64::try_from(d).unwrap_or(0)))
    })
}
