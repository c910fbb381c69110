//! The product catalogue: products with a price per currency and a guarded cost, and the tax
//! categories they name. Every write is validate → authorize → one transaction with its change-log
//! row.

use std::collections::HashMap;

use entity::documents::{product_prices, products, tax_categories};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::amounts;
use super::policy::{PRODUCT, PRODUCT_COST};
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::{conflict, Write};
use crate::policy::{self, Action};
use crate::state::AppState;

crate::versioned!(products, PRODUCT, stamps updated_by, unique "code", kept [CreatedAt, CreatedBy], |m| vec![
    ("code", json!(m.code)),
    ("name", json!(m.name)),
    ("description", json!(m.description)),
    ("unit", json!(m.unit)),
    ("taxCategory", json!(m.tax_category)),
    ("active", json!(m.active)),
    ("cost", match (m.cost_minor, &m.cost_currency) {
        (Some(c), Some(cur)) => json!({"amount": amounts::format_amount(c, cur), "currency": cur}),
        _ => Value::Null,
    }),
]);

/// Money as a client gives it.
#[derive(Debug, Clone)]
pub struct MoneyIn {
    pub amount: String,
    pub currency: String,
}

/// A product's fields for create or update: `None` leaves a field as it is; `prices` replaces the
/// whole set; `cost: Some(None)` clears the cost.
#[derive(Debug, Clone, Default)]
pub struct ProductChanges {
    pub code: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub tax_category: Option<String>,
    pub active: Option<bool>,
    pub prices: Option<Vec<MoneyIn>>,
    pub cost: Option<Option<MoneyIn>>,
}

/// Filter of the product list.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub search: Option<String>,
    pub include_inactive: bool,
}

const ORDERING: &str = "CODE_ASC";

/// Checks the caller may read the catalogue.
pub fn authorize_read(ctx: &RequestCtx) -> AppResult<()> {
    policy::authorize(ctx, PRODUCT, Action::Read).map(|_| ())
}

/// The tax categories, in their order.
pub async fn tax_categories(db: &impl ConnectionTrait) -> AppResult<Vec<tax_categories::Model>> {
    Ok(tax_categories::Entity::find()
        .order_by_asc(tax_categories::Column::Position)
        .all(db)
        .await?)
}

fn condition(f: &ProductFilter) -> Condition {
    let mut c = Condition::all();
    if !f.include_inactive {
        c = c.add(products::Column::Active.eq(true));
    }
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let needle = s.to_lowercase().replace(['%', '_'], "");
        c = c.add(products::Column::SearchName.contains(needle));
    }
    c
}

/// One page of products by code, matching `filter`.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &ProductFilter,
    page: &Page,
) -> AppResult<(Vec<products::Model>, bool)> {
    authorize_read(ctx)?;
    let mut q = products::Entity::find().filter(condition(filter));
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, ORDERING)?;
        let SortValue::Text(code) = c.k else {
            return Err(AppError::bad_input("after", "is not a cursor of this list"));
        };
        q = q.filter(products::Column::Code.gt(code));
    }
    let mut rows = q
        .order_by_asc(products::Column::Code)
        .limit(page.first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more))
}

/// The cursor of a product in the list.
pub fn cursor(m: &products::Model) -> Cursor {
    Cursor {
        o: ORDERING.into(),
        k: SortValue::Text(m.code.clone()),
        id: m.id,
    }
}

/// How many products match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &ProductFilter,
) -> AppResult<u64> {
    authorize_read(ctx)?;
    Ok(products::Entity::find()
        .filter(condition(filter))
        .count(db)
        .await?)
}

/// Products by id (the caller's read grant checked).
pub async fn by_ids(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    ids: &[Uuid],
) -> AppResult<Vec<products::Model>> {
    authorize_read(ctx)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(products::Entity::find()
        .filter(products::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// One product.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<products::Model>> {
    Ok(by_ids(db, ctx, &[id]).await?.into_iter().next())
}

/// The list prices of products, per product, by currency.
pub async fn prices_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<product_prices::Model>>> {
    let mut out: HashMap<Uuid, Vec<product_prices::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for p in product_prices::Entity::find()
        .filter(product_prices::Column::ProductId.is_in(ids.iter().copied()))
        .order_by_asc(product_prices::Column::Currency)
        .all(db)
        .await?
    {
        out.entry(p.product_id).or_default().push(p);
    }
    Ok(out)
}

struct Clean {
    code: Option<String>,
    name: Option<String>,
    description: Option<Option<String>>,
    unit: Option<String>,
    tax_category: Option<String>,
    prices: Option<Vec<(String, i64)>>,
    cost: Option<Option<(i64, String)>>,
}

async fn validate(
    db: &impl ConnectionTrait,
    c: &ProductChanges,
    creating: bool,
) -> AppResult<Clean> {
    let mut val = Validator::default();
    let code = match (&c.code, creating) {
        (Some(s), _) => match val.check(v::code("code", s)) {
            Some(None) => {
                val.push("code", "is required");
                None
            }
            other => other.flatten(),
        },
        (None, true) => {
            val.push("code", "is required");
            None
        }
        (None, false) => None,
    };
    let name = match (&c.name, creating) {
        (Some(n), _) => val.check(v::required_text("name", n, 200)),
        (None, true) => {
            val.push("name", "is required");
            None
        }
        (None, false) => None,
    };
    let description = val.given(c.description.as_deref(), |s| {
        v::long_text("description", s, 10_000)
    });
    let unit = match &c.unit {
        Some(u) => val.check(v::required_text("unit", u, 20)),
        None if creating => Some("each".to_string()),
        None => None,
    };
    let categories = tax_categories(db).await?;
    let tax_category = match &c.tax_category {
        Some(t) => {
            let t = t.trim().to_ascii_uppercase();
            if categories.iter().any(|c| c.code == t) {
                Some(t)
            } else {
                val.push(
                    "taxCategory",
                    format!(
                        "must be one of {}",
                        categories
                            .iter()
                            .map(|c| c.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                None
            }
        }
        None if creating => Some("STANDARD".to_string()),
        None => None,
    };
    let prices = c.prices.as_ref().map(|list| {
        let mut out: Vec<(String, i64)> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (i, p) in list.iter().enumerate() {
            let Some(cur) = val.check(v::currency(&format!("prices.{i}.currency"), &p.currency))
            else {
                continue;
            };
            if seen.contains(&cur) {
                val.push(
                    &format!("prices.{i}.currency"),
                    "is given twice; a product has one price per currency",
                );
                continue;
            }
            seen.push(cur.clone());
            if let Some(a) = val.check(amounts::parse_amount(
                &format!("prices.{i}.amount"),
                &p.amount,
                &cur,
            )) {
                out.push((cur, a));
            }
        }
        out
    });
    let cost = match &c.cost {
        None => None,
        Some(None) => Some(None),
        Some(Some(m)) => {
            let cur = val.check(v::currency("cost.currency", &m.currency));
            cur.and_then(|cur| {
                val.check(amounts::parse_amount("cost.amount", &m.amount, &cur))
                    .map(|a| Some((a, cur)))
            })
        }
    };
    val.finish()?;
    Ok(Clean {
        code,
        name,
        description,
        unit,
        tax_category,
        prices,
        cost,
    })
}

fn search_name(code: &str, name: &str) -> String {
    format!("{} {}", code.to_lowercase(), name.to_lowercase())
}

fn prices_json(prices: &[(String, i64)]) -> Value {
    Value::Array(
        prices
            .iter()
            .map(|(c, a)| json!({"amount": amounts::format_amount(*a, c), "currency": c}))
            .collect(),
    )
}

async fn replace_prices(
    txn: &impl ConnectionTrait,
    product: Uuid,
    prices: &[(String, i64)],
) -> AppResult<()> {
    product_prices::Entity::delete_many()
        .filter(product_prices::Column::ProductId.eq(product))
        .exec(txn)
        .await?;
    for (currency, amount) in prices {
        product_prices::ActiveModel::from(product_prices::Model {
            product_id: product,
            currency: currency.clone(),
            unit_price_minor: *amount,
        })
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn add_change(changes: &mut Value, field: &str, before: Value, after: Value) {
    if let Value::Object(map) = changes {
        map.insert(field.to_string(), json!({"before": before, "after": after}));
    }
}

/// Creates a product.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: ProductChanges,
) -> AppResult<products::Model> {
    let (actor, _) = policy::authorize(ctx, PRODUCT, Action::Create)?;
    let clean = validate(&state.db, &changes, true).await?;
    if matches!(clean.cost, Some(Some(_))) {
        policy::check_field_write(actor, PRODUCT_COST)?;
    }
    let now = db::now();
    let code = clean.code.unwrap_or_default();
    let name = clean.name.unwrap_or_default();
    let cost = clean.cost.flatten();
    let m = products::Model {
        id: Uuid::new_v4(),
        search_name: search_name(&code, &name),
        code,
        name,
        description: clean.description.flatten(),
        unit: clean.unit.unwrap_or_else(|| "each".into()),
        tax_category: clean.tax_category.unwrap_or_else(|| "STANDARD".into()),
        active: changes.active.unwrap_or(true),
        cost_minor: cost.as_ref().map(|(a, _)| *a),
        cost_currency: cost.map(|(_, c)| c),
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let taken = products::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(products::Column::Code)))
                .eq(m.code.to_ascii_lowercase()),
        )
        .count(w.txn())
        .await?;
    if taken > 0 {
        return Err(AppError::bad_input("code", "is already in use"));
    }
    products::ActiveModel::from(m.clone())
        .insert(w.txn())
        .await?;
    let prices = clean.prices.unwrap_or_default();
    replace_prices(w.txn(), m.id, &prices).await?;
    let mut changes =
        crate::changelog::diff_snapshots(None, crate::kit::write::Versioned::snapshot(&m));
    add_change(&mut changes, "prices", Value::Null, prices_json(&prices));
    w.log(PRODUCT, m.id, "create", changes).await?;
    w.commit().await?;
    Ok(m)
}

/// Updates a product if `version` is current.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: ProductChanges,
) -> AppResult<products::Model> {
    let (actor, _) = policy::authorize(ctx, PRODUCT, Action::Update)?;
    let current = get(&state.db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such product".into()))?;
    let clean = validate(&state.db, &changes, false).await?;
    if clean.cost.is_some() {
        policy::check_field_write(actor, PRODUCT_COST)?;
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    if let Some(c) = clean.code {
        next.code = c;
    }
    if let Some(n) = clean.name {
        next.name = n;
    }
    next.search_name = search_name(&next.code, &next.name);
    if let Some(d) = clean.description {
        next.description = d;
    }
    if let Some(u) = clean.unit {
        next.unit = u;
    }
    if let Some(t) = clean.tax_category {
        next.tax_category = t;
    }
    if let Some(a) = changes.active {
        next.active = a;
    }
    if let Some(c) = clean.cost {
        next.cost_minor = c.as_ref().map(|(a, _)| *a);
        next.cost_currency = c.map(|(_, c)| c);
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (next, mut diff) = w.save_quietly(&current, next, version).await?;
    if let Some(prices) = &clean.prices {
        let before: Vec<(String, i64)> = prices_of(w.txn(), &[id])
            .await?
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.currency, p.unit_price_minor))
            .collect();
        if before != *prices {
            replace_prices(w.txn(), id, prices).await?;
            add_change(
                &mut diff,
                "prices",
                prices_json(&before),
                prices_json(prices),
            );
        }
    }
    w.log(PRODUCT, id, "update", diff).await?;
    w.commit().await?;
    Ok(next)
}
