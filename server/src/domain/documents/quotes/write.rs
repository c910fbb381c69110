//! Quote writes: create (from an opportunity or for a customer), change a draft, send, revise,
//! accept (optionally winning the opportunity in the same transaction) and reject. Every write is
//! validate → authorize → one transaction with its change-log row.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use entity::documents::{quote_lines, quote_revisions, quotes};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;

use super::super::amounts;
use super::super::policy::{QuoteObject, LARGE_DISCOUNT, QUOTE_AMOUNT};
use super::super::prices::PriceFor;
use super::super::products;
use super::lines::{self, LineIn, Pricing};
use super::{current_revision, get, status_on, today, QuoteStatus};
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::opportunities::service as opportunities;
use crate::domain::parties::service as parties;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::write::{conflict, Write};
use crate::policy::{self, Action};
use crate::state::AppState;

const OBJECT: &str = <QuoteObject as crate::kit::aggregate::Aggregate>::OBJECT;
/// How long a new quote is valid when no date is given.
const DEFAULT_VALIDITY_DAYS: u64 = 30;

/// A quote's header and lines for create or update. `None` leaves a field as it is; `lines`
/// replaces every line of the draft revision.
#[derive(Debug, Clone, Default)]
pub struct QuoteChanges {
    pub title: Option<String>,
    /// Create only: the customer (a person or an organisation); from the opportunity when absent.
    pub customer_id: Option<Uuid>,
    /// Create only.
    pub opportunity_id: Option<Uuid>,
    /// Create only: the open enquiry quoted (its customer, currency and lines, and it is marked
    /// quoted in the same transaction).
    pub enquiry_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub currency: Option<String>,
    pub valid_until: Option<String>,
    pub discount_percent: Option<String>,
    pub notes: Option<String>,
    pub terms: Option<String>,
    pub lines: Option<Vec<LineIn>>,
}

struct Header {
    title: Option<String>,
    currency: Option<String>,
    valid_until: Option<NaiveDate>,
    discount_bp: Option<i32>,
    notes: Option<Option<String>>,
    terms: Option<Option<String>>,
}

fn validate(c: &QuoteChanges) -> AppResult<Header> {
    let mut val = Validator::default();
    let title = val.given(c.title.as_deref(), |s| v::required_text("title", s, 200));
    let currency = val.given(c.currency.as_deref(), |s| v::currency("currency", s));
    let valid_until = match val.given(c.valid_until.as_deref(), |s| v::date("validUntil", s)) {
        Some(None) => {
            val.push("validUntil", "is required");
            None
        }
        other => other.flatten(),
    };
    if valid_until.is_some_and(|d| d < today()) {
        val.push("validUntil", "is in the past");
    }
    let discount_bp = val.given(c.discount_percent.as_deref(), |s| {
        amounts::parse_percent("discountPercent", s)
    });
    let notes = val.given(c.notes.as_deref(), |s| v::long_text("notes", s, 10_000));
    let terms = val.given(c.terms.as_deref(), |s| v::long_text("terms", s, 10_000));
    val.finish()?;
    Ok(Header {
        title,
        currency,
        valid_until,
        discount_bp,
        notes,
        terms,
    })
}

/// Tax rates by category.
pub async fn tax_rates(db: &impl ConnectionTrait) -> AppResult<HashMap<String, i32>> {
    Ok(products::tax_categories(db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.rate_bp))
        .collect())
}

/// Prices `input` for `revision` and checks the grants the lines need.
async fn priced_lines(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    quote: &quotes::Model,
    revision: &quote_revisions::Model,
    customer_type: Option<&str>,
    input: &[LineIn],
) -> AppResult<Vec<quote_lines::Model>> {
    let ids: Vec<Uuid> = input.iter().filter_map(|l| l.product_id).collect();
    let catalogue = products::by_ids(db, ctx, &ids).await?;
    let rates = tax_rates(db).await?;
    let priced = lines::price(
        db,
        revision.id,
        input,
        &Pricing {
            price_for: PriceFor {
                customer: quote.customer_id,
                customer_type,
                currency: &revision.currency,
                on: today(),
            },
            header_discount_bp: revision.discount_bp,
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
        policy::check_field_write(actor, LARGE_DISCOUNT).map_err(|_| {
            AppError::Forbidden(format!(
                "your role may not give a discount above {} %",
                amounts::format_percent(super::super::policy::DISCOUNT_LIMIT_BP)
            ))
        })?;
    }
    Ok(priced.lines)
}

/// Writes `lines` as the revision's lines (replacing any) and its totals; returns the revision.
async fn store_lines(
    txn: &impl ConnectionTrait,
    revision: quote_revisions::Model,
    lines: &[quote_lines::Model],
    replacing: bool,
) -> AppResult<quote_revisions::Model> {
    if replacing {
        quote_lines::Entity::delete_many()
            .filter(quote_lines::Column::RevisionId.eq(revision.id))
            .exec(txn)
            .await?;
    }
    insert_lines(txn, lines).await?;
    let f = lines::figures(lines);
    let mut r = revision;
    r.gross_minor = f.gross;
    r.discount_minor = f.discount;
    r.net_minor = f.net;
    r.tax_minor = f.tax;
    r.total_minor = f.total;
    Ok(r)
}

/// The columns of `quote_lines` after `id` and `revision_id`, with their PostgreSQL types, in the
/// order of each line's JSON array.
const LINE_COLUMNS: [(&str, &str); 17] = [
    ("position", "int4"),
    ("product_id", "uuid"),
    ("code", "text"),
    ("name", "text"),
    ("specification", "text"),
    ("unit", "text"),
    ("quantity_milli", "int8"),
    ("unit_price_minor", "int8"),
    ("discount_bp", "int4"),
    ("tax_category", "text"),
    ("tax_rate_bp", "int4"),
    ("gross_minor", "int8"),
    ("discount_minor", "int8"),
    ("net_minor", "int8"),
    ("tax_minor", "int8"),
    ("total_minor", "int8"),
    ("cost_minor", "int8"),
];

/// Inserts a revision's lines (all of one revision) in one statement. On PostgreSQL the lines
/// travel as one compact JSON parameter (an array per line) read by `json_array_elements`: a
/// 200-line quote would otherwise bind 3,800 parameters (a message several times larger).
/// Elsewhere, one multi-row insert.
async fn insert_lines(txn: &impl ConnectionTrait, lines: &[quote_lines::Model]) -> AppResult<()> {
    let Some(first) = lines.first() else {
        return Ok(());
    };
    if txn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        quote_lines::Entity::insert_many(lines.iter().cloned().map(quote_lines::ActiveModel::from))
            .exec(txn)
            .await?;
        return Ok(());
    }
    let rows: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!([
                l.id,
                l.position,
                l.product_id,
                l.code,
                l.name,
                l.specification,
                l.unit,
                l.quantity_milli,
                l.unit_price_minor,
                l.discount_bp,
                l.tax_category,
                l.tax_rate_bp,
                l.gross_minor,
                l.discount_minor,
                l.net_minor,
                l.tax_minor,
                l.total_minor,
                l.cost_minor,
            ])
        })
        .collect();
    let names: Vec<&str> = LINE_COLUMNS.iter().map(|(n, _)| *n).collect();
    let values: Vec<String> = LINE_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| format!("(e->>{})::{ty}", i + 1))
        .collect();
    let sql = format!(
        "INSERT INTO quote_lines (id, revision_id, {}) SELECT (e->>0)::uuid, $2::uuid, {} \
         FROM json_array_elements($1::json) AS e",
        names.join(", "),
        values.join(", ")
    );
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        sql,
        [Value::Array(rows).into(), first.revision_id.into()],
    ))
    .await?;
    Ok(())
}

fn lines_change(
    before: Option<&quote_revisions::Model>,
    after: &quote_revisions::Model,
    n: usize,
) -> Value {
    json!({
        "before": before.map(|b| amounts::format_amount(b.total_minor, &b.currency)),
        "after": format!("{n} lines, total {}", amounts::format_amount(after.total_minor, &after.currency)),
    })
}

/// Creates a draft quote (revision 1).
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: QuoteChanges,
) -> AppResult<quotes::Model> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let header = validate(&changes)?;
    let opportunity = match changes.opportunity_id {
        Some(id) => Some(
            opportunities::get(&state.db, ctx, id)
                .await?
                .ok_or_else(|| {
                    AppError::bad_input("opportunityId", "is not an opportunity you can see")
                })?,
        ),
        None => None,
    };
    let enquiry = match changes.enquiry_id {
        Some(id) => Some(super::super::enquiries::for_quote(&state.db, ctx, id).await?),
        None => None,
    };
    let customer_id = changes
        .customer_id
        .or(enquiry.as_ref().map(|(e, _)| e.customer_id))
        .or(opportunity.as_ref().map(|o| o.account_id))
        .ok_or_else(|| AppError::bad_input("customerId", "is required without an opportunity"))?;
    let customer = parties::get(&state.db, ctx, customer_id)
        .await?
        .ok_or_else(|| AppError::bad_input("customerId", "is not a customer you can see"))?;
    let owner = changes.owner_id.unwrap_or(actor.user_id);
    if !policy::owner_in_scope(actor, scope, Some(owner)) {
        return Err(AppError::Forbidden(
            "your role may not create quotes for that owner".into(),
        ));
    }
    parties::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
    if let (Some((e, _)), Some(c)) = (&enquiry, changes.customer_id) {
        if e.customer_id != c {
            return Err(AppError::bad_input(
                "customerId",
                format!("enquiry {} is another customer's", e.number),
            ));
        }
    }
    let currency = header
        .currency
        .or(enquiry.as_ref().map(|(e, _)| e.currency.clone()))
        .or(opportunity.as_ref().and_then(|o| o.currency.clone()))
        .or(customer.preferred_currency.clone())
        .unwrap_or_else(|| "EUR".to_string());
    let title = header
        .title
        .unwrap_or_else(|| match (&opportunity, &enquiry) {
            (Some(o), _) => o.name.clone(),
            (None, Some((e, _))) => format!("Enquiry {}", e.number),
            (None, None) => format!("Quote for {}", parties::display_name(&customer)),
        });
    let valid_until = header.valid_until.unwrap_or_else(|| {
        today()
            .checked_add_days(Days::new(DEFAULT_VALIDITY_DAYS))
            .unwrap_or_else(today)
    });
    let now = db::now();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let number = parties::next_number(w.txn(), "quote").await?;
    let mut quote = quotes::Model {
        id: Uuid::new_v4(),
        number: format!("Q-{number:06}"),
        customer_id,
        opportunity_id: opportunity.as_ref().map(|o| o.id),
        owner_id: owner,
        status: QuoteStatus::Draft.as_str().into(),
        revision: 1,
        title,
        currency: currency.clone(),
        valid_until,
        net_minor: 0,
        total_minor: 0,
        sent_at: None,
        decided_at: None,
        decision_note: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    let revision = quote_revisions::Model {
        id: Uuid::new_v4(),
        quote_id: quote.id,
        revision: 1,
        currency,
        valid_until,
        discount_bp: header.discount_bp.unwrap_or(0),
        notes: header.notes.flatten(),
        terms: header.terms.flatten(),
        gross_minor: 0,
        discount_minor: 0,
        net_minor: 0,
        tax_minor: 0,
        total_minor: 0,
        created_at: now,
        created_by: Some(actor.user_id),
        sent_at: None,
    };
    let (enquiry, enquiry_lines) = match enquiry {
        Some((e, l)) => (Some(e), Some(l)),
        None => (None, None),
    };
    let input = changes.lines.or(enquiry_lines).unwrap_or_default();
    let lines = priced_lines(
        w.txn(),
        ctx,
        &quote,
        &revision,
        customer.customer_type.as_deref(),
        &input,
    )
    .await?;
    let revision = store_lines(w.txn(), revision, &lines, false).await?;
    if revision.discount_bp > super::super::policy::DISCOUNT_LIMIT_BP {
        policy::check_field_write(actor, LARGE_DISCOUNT)?;
    }
    quote.net_minor = revision.net_minor;
    quote.total_minor = revision.total_minor;
    quote_revisions::ActiveModel::from(revision.clone())
        .insert(w.txn())
        .await?;
    // Inserted first so that the lines' revision exists (no foreign keys, but keep the order).
    let quote = w.insert(quote).await?;
    if let Some(e) = &enquiry {
        super::super::enquiries::mark_quoted(&mut w, e, quote.id).await?;
    }
    w.commit().await?;
    Ok(quote)
}

/// Loads a quote the caller may `action`, with its current revision.
async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
) -> AppResult<(quotes::Model, quote_revisions::Model)> {
    let quote = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such quote".into()))?;
    policy::check_reach(ctx, OBJECT, action, Some(quote.owner_id), "quote")?;
    let revision = current_revision(db, &quote)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("quote {id} has no revision")))?;
    Ok((quote, revision))
}

fn not_draft(quote: &quotes::Model) -> AppError {
    AppError::bad_input(
        "id",
        format!(
            "quote {} is {} and cannot change; revise it to make a new draft revision",
            quote.number,
            status_on(quote, today()).as_str().to_lowercase()
        ),
    )
}

/// Changes a draft quote (header and, when given, all its lines) if `version` is current.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: QuoteChanges,
) -> AppResult<quotes::Model> {
    let (current, revision) = load_for(&state.db, ctx, id, Action::Update).await?;
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Update)?;
    if changes.customer_id.is_some() || changes.opportunity_id.is_some() {
        return Err(AppError::bad_input(
            "customerId",
            "a quote's customer and opportunity are set when it is created",
        ));
    }
    let header = validate(&changes)?;
    if current.status != QuoteStatus::Draft.as_str() {
        return Err(not_draft(&current));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    if let Some(owner) = changes.owner_id {
        if owner != current.owner_id {
            parties::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
        }
        next.owner_id = owner;
    }
    if let Some(t) = header.title {
        next.title = t;
    }
    let mut rev = revision.clone();
    if let Some(c) = header.currency {
        rev.currency = c;
    }
    if let Some(d) = header.valid_until {
        rev.valid_until = d;
    }
    if let Some(d) = header.discount_bp {
        if d > super::super::policy::DISCOUNT_LIMIT_BP {
            policy::check_field_write(actor, LARGE_DISCOUNT)?;
        }
        if d != rev.discount_bp {
            policy::check_field_write(actor, QUOTE_AMOUNT)?;
        }
        rev.discount_bp = d;
    }
    if let Some(n) = header.notes {
        rev.notes = n;
    }
    if let Some(t) = header.terms {
        rev.terms = t;
    }
    let repricing = changes.lines.is_some()
        || rev.currency != revision.currency
        || rev.discount_bp != revision.discount_bp;
    if rev.currency != revision.currency && changes.lines.is_none() {
        return Err(AppError::bad_input(
            "currency",
            "changing the currency needs the lines again, priced in the new currency",
        ));
    }
    let customer = parties::get(&state.db, ctx, current.customer_id).await?;
    let customer_type = customer.as_ref().and_then(|c| c.customer_type.clone());
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut extra = json!({});
    if repricing {
        let input = match changes.lines {
            Some(l) => l,
            // Same lines, new header discount: keep each line's entered values.
            None => stored_as_input(w.txn(), &revision, &rev.currency).await?,
        };
        let lines =
            priced_lines(w.txn(), ctx, &next, &rev, customer_type.as_deref(), &input).await?;
        let n = lines.len();
        rev = store_lines(w.txn(), rev, &lines, true).await?;
        if let Value::Object(map) = &mut extra {
            map.insert("lines".into(), lines_change(Some(&revision), &rev, n));
        }
    }
    if let Value::Object(map) = &mut extra {
        let pct = |bp: i32| json!(amounts::format_percent(bp));
        for (field, before, after) in [
            (
                "discountPercent",
                pct(revision.discount_bp),
                pct(rev.discount_bp),
            ),
            ("notes", json!(revision.notes), json!(rev.notes)),
            ("terms", json!(revision.terms), json!(rev.terms)),
        ] {
            if before != after {
                map.insert(field.into(), json!({"before": before, "after": after}));
            }
        }
    }
    next.currency = rev.currency.clone();
    next.valid_until = rev.valid_until;
    next.net_minor = rev.net_minor;
    next.total_minor = rev.total_minor;
    quote_revisions::ActiveModel::from(rev)
        .reset_all()
        .update(w.txn())
        .await?;
    let (next, mut diff) = w.save_quietly(&current, next, version).await?;
    if let (Value::Object(map), Value::Object(extra)) = (&mut diff, extra) {
        map.extend(extra);
    }
    w.log(OBJECT, id, "update", diff).await?;
    w.commit().await?;
    Ok(next)
}

/// A revision's stored lines as input again (prices as stored, so nothing is re-resolved).
async fn stored_as_input(
    db: &impl ConnectionTrait,
    revision: &quote_revisions::Model,
    currency: &str,
) -> AppResult<Vec<LineIn>> {
    Ok(super::lines_of(db, &[revision.id])
        .await?
        .remove(&revision.id)
        .unwrap_or_default()
        .into_iter()
        .map(|l| LineIn {
            product_id: l.product_id,
            name: Some(l.name),
            specification: l.specification,
            unit: Some(l.unit),
            quantity: amounts::format_quantity(l.quantity_milli),
            unit_price: Some(amounts::format_amount(l.unit_price_minor, currency)),
            discount_percent: Some(amounts::format_percent(l.discount_bp)),
            tax_category: Some(l.tax_category),
        })
        .collect())
}

/// Sends a draft quote: its revision is frozen from now on.
pub async fn send(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<quotes::Model> {
    let (current, revision) = load_for(&state.db, ctx, id, Action::Update).await?;
    if current.status != QuoteStatus::Draft.as_str() {
        return Err(not_draft(&current));
    }
    let lines = super::lines_of(&state.db, &[revision.id]).await?;
    if lines.get(&revision.id).is_none_or(|l| l.is_empty()) {
        return Err(AppError::bad_input(
            "lines",
            "a quote needs at least one line to be sent",
        ));
    }
    if revision.valid_until < today() {
        return Err(AppError::bad_input(
            "validUntil",
            "is in the past; change it before sending",
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let now = db::now();
    let mut next = current.clone();
    next.status = QuoteStatus::Sent.as_str().into();
    next.sent_at = Some(now);
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut rev = revision;
    rev.sent_at = Some(now);
    quote_revisions::ActiveModel::from(rev)
        .reset_all()
        .update(w.txn())
        .await?;
    let m = w.save(&current, next, version, "send").await?;
    w.commit().await?;
    Ok(m)
}

/// Starts a new draft revision of a sent, expired or rejected quote, copying the current one's
/// header and lines (prices as they were). Returns the quote.
pub async fn revise(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
) -> AppResult<quotes::Model> {
    let (current, revision) = load_for(&state.db, ctx, id, Action::Update).await?;
    match QuoteStatus::parse(&current.status) {
        Some(QuoteStatus::Sent | QuoteStatus::Rejected) => {}
        Some(QuoteStatus::Draft) => {
            return Err(AppError::bad_input(
                "id",
                "the quote is a draft already; change it directly",
            ))
        }
        _ => {
            return Err(AppError::bad_input(
                "id",
                "an accepted quote cannot be revised",
            ))
        }
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let now = db::now();
    let valid_until = if revision.valid_until < today() {
        today()
            .checked_add_days(Days::new(DEFAULT_VALIDITY_DAYS))
            .unwrap_or_else(today)
    } else {
        revision.valid_until
    };
    let new_rev = quote_revisions::Model {
        id: Uuid::new_v4(),
        revision: revision.revision + 1,
        valid_until,
        created_at: now,
        created_by: Some(ctx.actor()?.user_id),
        sent_at: None,
        ..revision.clone()
    };
    let lines: Vec<quote_lines::Model> = super::lines_of(&state.db, &[revision.id])
        .await?
        .remove(&revision.id)
        .unwrap_or_default()
        .into_iter()
        .map(|l| quote_lines::Model {
            id: Uuid::new_v4(),
            revision_id: new_rev.id,
            ..l
        })
        .collect();
    let mut w = Write::begin(state, Some(ctx)).await?;
    quote_revisions::ActiveModel::from(new_rev.clone())
        .insert(w.txn())
        .await?;
    insert_lines(w.txn(), &lines).await?;
    let mut next = current.clone();
    next.status = QuoteStatus::Draft.as_str().into();
    next.revision = new_rev.revision;
    next.valid_until = valid_until;
    next.sent_at = None;
    next.decided_at = None;
    next.decision_note = None;
    let m = w.save(&current, next, version, "revise").await?;
    w.commit().await?;
    Ok(m)
}

/// The customer's decision on a sent quote.
#[derive(Debug, Clone)]
pub struct Decision {
    pub accepted: bool,
    pub note: Option<String>,
    /// On acceptance: set the quote's opportunity won with the quote's net amount.
    pub win_opportunity: bool,
}

/// Records the customer's acceptance or rejection of the sent revision; accepting may win the
/// opportunity in the same transaction.
pub async fn decide(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    decision: Decision,
) -> AppResult<quotes::Model> {
    let (current, revision) = load_for(&state.db, ctx, id, Action::Update).await?;
    let note = match decision.note.as_deref() {
        Some(s) => v::long_text("note", s, 2000).map_err(|e| AppError::BadInput(vec![e]))?,
        None => None,
    };
    match status_on(&current, today()) {
        QuoteStatus::Sent => {}
        QuoteStatus::Expired if decision.accepted => {
            return Err(AppError::bad_input(
                "id",
                format!(
                    "quote {} expired on {}; revise it and send it again",
                    current.number, current.valid_until
                ),
            ))
        }
        QuoteStatus::Expired => {}
        s => {
            return Err(AppError::bad_input(
                "id",
                format!(
                    "only a sent quote can be accepted or rejected; this one is {}",
                    s.as_str().to_lowercase()
                ),
            ))
        }
    }
    if decision.win_opportunity && !decision.accepted {
        return Err(AppError::bad_input(
            "winOpportunity",
            "applies to an accepted quote only",
        ));
    }
    if decision.win_opportunity && current.opportunity_id.is_none() {
        return Err(AppError::bad_input(
            "winOpportunity",
            "the quote has no opportunity",
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    next.status = if decision.accepted {
        QuoteStatus::Accepted
    } else {
        QuoteStatus::Rejected
    }
    .as_str()
    .into();
    next.decided_at = Some(db::now());
    next.decision_note = note;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let action = if decision.accepted {
        "accept"
    } else {
        "reject"
    };
    let m = w.save(&current, next, version, action).await?;
    if let (true, Some(opp)) = (decision.win_opportunity, current.opportunity_id) {
        opportunities::win_in(
            &mut w,
            ctx,
            opp,
            revision.net_minor,
            &revision.currency,
            &format!(
                "Won by quote {} (revision {})",
                current.number, revision.revision
            ),
        )
        .await?;
    }
    w.commit().await?;
    Ok(m)
}
