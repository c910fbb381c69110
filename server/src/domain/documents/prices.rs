//! Price lists and price resolution. A line's unit price in a currency on a date comes from the
//! first of: an active list of the customer, an active list of the customer's type (`B2B`,
//! `B2C`), the active default list, each valid on that date and in that currency, holding the
//! product; else the product's own price in that currency. No price in the currency is an error
//! naming the product.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::documents::{price_list_items, price_lists, product_prices};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::amounts;
use super::policy::PRICE_LIST;
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::write::{conflict, Write};
use crate::policy::{self, Action};
use crate::state::AppState;

crate::versioned!(price_lists, PRICE_LIST, stamps updated_by, kept [CreatedAt, CreatedBy], |m| vec![
    ("name", json!(m.name)),
    ("currency", json!(m.currency)),
    ("customerId", json!(m.customer_id)),
    ("customerType", json!(m.customer_type)),
    ("validFrom", json!(m.valid_from)),
    ("validTo", json!(m.valid_to)),
    ("isDefault", json!(m.is_default)),
    ("active", json!(m.active)),
]);

/// Where a resolved price came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceSource {
    CustomerList,
    CustomerTypeList,
    DefaultList,
    ProductPrice,
}

impl PriceSource {
    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceSource::CustomerList => "CUSTOMER_LIST",
            PriceSource::CustomerTypeList => "CUSTOMER_TYPE_LIST",
            PriceSource::DefaultList => "DEFAULT_LIST",
            PriceSource::ProductPrice => "PRODUCT_PRICE",
        }
    }
}

/// A price list's fields for create or update (`None` leaves a field as it is; an empty date
/// clears it; `customer_id: Some(None)` makes it no customer's).
#[derive(Debug, Clone, Default)]
pub struct PriceListChanges {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub customer_id: Option<Option<Uuid>>,
    pub customer_type: Option<Option<String>>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub is_default: Option<bool>,
    pub active: Option<bool>,
}

/// Checks the caller may read price lists.
pub fn authorize_read(ctx: &RequestCtx) -> AppResult<()> {
    policy::authorize(ctx, PRICE_LIST, Action::Read).map(|_| ())
}

/// Every price list, default first, then by name.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    customer: Option<Uuid>,
) -> AppResult<Vec<price_lists::Model>> {
    authorize_read(ctx)?;
    let mut q = price_lists::Entity::find();
    if let Some(c) = customer {
        q = q.filter(price_lists::Column::CustomerId.eq(c));
    }
    Ok(q.order_by_desc(price_lists::Column::IsDefault)
        .order_by_asc(price_lists::Column::Name)
        .order_by_asc(price_lists::Column::Id)
        .all(db)
        .await?)
}

/// One price list.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<price_lists::Model>> {
    authorize_read(ctx)?;
    Ok(price_lists::Entity::find_by_id(id).one(db).await?)
}

/// The items of price lists, by list.
pub async fn items_of(
    db: &impl ConnectionTrait,
    lists: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<price_list_items::Model>>> {
    let mut out: HashMap<Uuid, Vec<price_list_items::Model>> = HashMap::new();
    if lists.is_empty() {
        return Ok(out);
    }
    for i in price_list_items::Entity::find()
        .filter(price_list_items::Column::PriceListId.is_in(lists.iter().copied()))
        .all(db)
        .await?
    {
        out.entry(i.price_list_id).or_default().push(i);
    }
    Ok(out)
}

struct Clean {
    name: Option<String>,
    currency: Option<String>,
    customer_type: Option<Option<String>>,
    valid_from: Option<Option<NaiveDate>>,
    valid_to: Option<Option<NaiveDate>>,
}

fn validate(c: &PriceListChanges, creating: bool) -> AppResult<Clean> {
    let mut val = Validator::default();
    let name = match (&c.name, creating) {
        (Some(n), _) => val.check(v::required_text("name", n, 200)),
        (None, true) => {
            val.push("name", "is required");
            None
        }
        (None, false) => None,
    };
    let currency = match (&c.currency, creating) {
        (Some(s), _) => val.check(v::currency("currency", s)),
        (None, true) => {
            val.push("currency", "is required");
            None
        }
        (None, false) => None,
    };
    let customer_type = match &c.customer_type {
        None => None,
        Some(None) => Some(None),
        Some(Some(t)) => match t.trim().to_ascii_uppercase().as_str() {
            "" => Some(None),
            t @ ("B2B" | "B2C") => Some(Some(t.to_string())),
            _ => {
                val.push("customerType", "must be B2B or B2C");
                None
            }
        },
    };
    let valid_from = val.given(c.valid_from.as_deref(), |s| v::date("validFrom", s));
    let valid_to = val.given(c.valid_to.as_deref(), |s| v::date("validTo", s));
    val.finish()?;
    Ok(Clean {
        name,
        currency,
        customer_type,
        valid_from,
        valid_to,
    })
}

fn check_shape(m: &price_lists::Model) -> AppResult<()> {
    if let (Some(f), Some(t)) = (m.valid_from, m.valid_to) {
        if t < f {
            return Err(AppError::bad_input("validTo", "is before validFrom"));
        }
    }
    if m.is_default && (m.customer_id.is_some() || m.customer_type.is_some()) {
        return Err(AppError::bad_input(
            "isDefault",
            "a default list is for every customer: it has no customer and no customer type",
        ));
    }
    if m.customer_id.is_some() && m.customer_type.is_some() {
        return Err(AppError::bad_input(
            "customerType",
            "a list is either one customer's or one customer type's",
        ));
    }
    Ok(())
}

fn apply(m: &mut price_lists::Model, clean: Clean, c: &PriceListChanges) {
    if let Some(n) = clean.name {
        m.name = n;
    }
    if let Some(cur) = clean.currency {
        m.currency = cur;
    }
    if let Some(t) = clean.customer_type {
        m.customer_type = t;
    }
    if let Some(f) = clean.valid_from {
        m.valid_from = f;
    }
    if let Some(t) = clean.valid_to {
        m.valid_to = t;
    }
    if let Some(cu) = c.customer_id {
        m.customer_id = cu;
    }
    if let Some(d) = c.is_default {
        m.is_default = d;
    }
    if let Some(a) = c.active {
        m.active = a;
    }
}

/// Creates a price list (with no items yet).
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: PriceListChanges,
) -> AppResult<price_lists::Model> {
    let (actor, _) = policy::authorize(ctx, PRICE_LIST, Action::Create)?;
    let clean = validate(&changes, true)?;
    let now = db::now();
    let mut m = price_lists::Model {
        id: Uuid::new_v4(),
        name: String::new(),
        currency: String::new(),
        customer_id: None,
        customer_type: None,
        valid_from: None,
        valid_to: None,
        is_default: false,
        active: true,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    apply(&mut m, clean, &changes);
    check_shape(&m)?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.insert(m).await?;
    w.commit().await?;
    Ok(m)
}

/// Updates a price list if `version` is current.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: PriceListChanges,
) -> AppResult<price_lists::Model> {
    policy::authorize(ctx, PRICE_LIST, Action::Update)?;
    let current = get(&state.db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such price list".into()))?;
    let clean = validate(&changes, false)?;
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    apply(&mut next, clean, &changes);
    check_shape(&next)?;
    if next.currency != current.currency
        && !items_of(&state.db, &[id])
            .await?
            .get(&id)
            .is_none_or(|i| i.is_empty())
    {
        return Err(AppError::bad_input(
            "currency",
            "cannot change while the list has prices; clear its items first",
        ));
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.save(&current, next, version, "update").await?;
    w.commit().await?;
    Ok(m)
}

/// Replaces the items of a price list: `(product, unit price as entered)`.
pub async fn set_items(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    items: Vec<(Uuid, String)>,
) -> AppResult<price_lists::Model> {
    policy::authorize(ctx, PRICE_LIST, Action::Update)?;
    let current = get(&state.db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such price list".into()))?;
    let mut val = Validator::default();
    let mut clean: Vec<(Uuid, i64)> = Vec::new();
    for (i, (product, amount)) in items.iter().enumerate() {
        if clean.iter().any(|(p, _)| p == product) {
            val.push(&format!("items.{i}.productId"), "is listed twice");
            continue;
        }
        if let Some(a) = val.check(amounts::parse_amount(
            &format!("items.{i}.unitPrice"),
            amount,
            &current.currency,
        )) {
            clean.push((*product, a));
        }
    }
    val.finish()?;
    let ids: Vec<Uuid> = clean.iter().map(|(p, _)| *p).collect();
    let known = super::products::by_ids(&state.db, ctx, &ids).await?;
    if let Some(i) = ids.iter().position(|p| !known.iter().any(|k| k.id == *p)) {
        return Err(AppError::bad_input(
            format!("items.{i}.productId"),
            "is not a product",
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let before = items_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (m, mut diff) = w.save_quietly(&current, current.clone(), version).await?;
    price_list_items::Entity::delete_many()
        .filter(price_list_items::Column::PriceListId.eq(id))
        .exec(w.txn())
        .await?;
    for (product, amount) in &clean {
        price_list_items::ActiveModel::from(price_list_items::Model {
            price_list_id: id,
            product_id: *product,
            unit_price_minor: *amount,
        })
        .insert(w.txn())
        .await?;
    }
    let as_json = |items: &mut dyn Iterator<Item = (Uuid, i64)>| -> Value {
        Value::Array(
            items
                .map(|(p, a)| {
                    json!({"productId": p, "unitPrice": amounts::format_amount(a, &current.currency)})
                })
                .collect(),
        )
    };
    if let Value::Object(map) = &mut diff {
        map.insert(
            "items".into(),
            json!({
                "before": as_json(&mut before.iter().map(|i| (i.product_id, i.unit_price_minor))),
                "after": as_json(&mut clean.iter().copied()),
            }),
        );
    }
    w.log(PRICE_LIST, id, "update", diff).await?;
    w.commit().await?;
    Ok(m)
}

/// The customer a price is resolved for.
#[derive(Debug, Clone, Copy)]
pub struct PriceFor<'a> {
    pub customer: Uuid,
    pub customer_type: Option<&'a str>,
    pub currency: &'a str,
    pub on: NaiveDate,
}

/// Resolves the unit price of each product for a customer, currency and date (three statements
/// whatever the number of products). Products without any price in the currency are absent.
pub async fn resolve(
    db: &impl ConnectionTrait,
    at: PriceFor<'_>,
    products: &[Uuid],
) -> AppResult<HashMap<Uuid, (i64, PriceSource)>> {
    let mut out = HashMap::new();
    if products.is_empty() {
        return Ok(out);
    }
    let valid = Condition::all()
        .add(price_lists::Column::Active.eq(true))
        .add(price_lists::Column::Currency.eq(at.currency))
        .add(
            Condition::any()
                .add(price_lists::Column::ValidFrom.is_null())
                .add(price_lists::Column::ValidFrom.lte(at.on)),
        )
        .add(
            Condition::any()
                .add(price_lists::Column::ValidTo.is_null())
                .add(price_lists::Column::ValidTo.gte(at.on)),
        );
    let mut whose = Condition::any()
        .add(price_lists::Column::CustomerId.eq(at.customer))
        .add(price_lists::Column::IsDefault.eq(true));
    if let Some(t) = at.customer_type {
        whose = whose.add(
            Condition::all()
                .add(price_lists::Column::CustomerId.is_null())
                .add(price_lists::Column::CustomerType.eq(t)),
        );
    }
    let lists = price_lists::Entity::find()
        .filter(valid)
        .filter(whose)
        .order_by_asc(price_lists::Column::CreatedAt)
        .all(db)
        .await?;
    let rank = |l: &price_lists::Model| {
        if l.customer_id == Some(at.customer) {
            PriceSource::CustomerList
        } else if l.customer_type.is_some() {
            PriceSource::CustomerTypeList
        } else {
            PriceSource::DefaultList
        }
    };
    let ids: Vec<Uuid> = lists.iter().map(|l| l.id).collect();
    let items = if ids.is_empty() {
        Vec::new()
    } else {
        price_list_items::Entity::find()
            .filter(price_list_items::Column::PriceListId.is_in(ids))
            .filter(price_list_items::Column::ProductId.is_in(products.iter().copied()))
            .all(db)
            .await?
    };
    for source in [
        PriceSource::CustomerList,
        PriceSource::CustomerTypeList,
        PriceSource::DefaultList,
    ] {
        // The newest list of a kind wins over older ones.
        for list in lists.iter().rev().filter(|l| rank(l) == source) {
            for item in items.iter().filter(|i| i.price_list_id == list.id) {
                out.entry(item.product_id)
                    .or_insert((item.unit_price_minor, source));
            }
        }
    }
    let missing: Vec<Uuid> = products
        .iter()
        .copied()
        .filter(|p| !out.contains_key(p))
        .collect();
    if !missing.is_empty() {
        for p in product_prices::Entity::find()
            .filter(product_prices::Column::ProductId.is_in(missing))
            .filter(product_prices::Column::Currency.eq(at.currency))
            .all(db)
            .await?
        {
            out.insert(
                p.product_id,
                (p.unit_price_minor, PriceSource::ProductPrice),
            );
        }
    }
    Ok(out)
}
