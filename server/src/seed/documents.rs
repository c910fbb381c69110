//! The demo company's catalogue, price lists and quotes in every status, made through the services.

use entity::documents::quotes as quote_rows;
use entity::parties::parties;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::domain::documents::prices::{self, PriceListChanges};
use crate::domain::documents::products::{self, MoneyIn, ProductChanges};
use crate::domain::documents::quotes::{self, Decision, LineIn, QuoteChanges};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::state::AppState;

/// `(code, name, unit, tax category, EUR price, USD price, EUR cost)`.
type DemoProduct = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const PRODUCTS: &[DemoProduct] = &[
    (
        "WID-100",
        "Widget 100",
        "each",
        "STANDARD",
        "19.99",
        "24.00",
        Some("12.00"),
    ),
    (
        "WID-200",
        "Widget 200 Pro",
        "each",
        "STANDARD",
        "49.00",
        "59.00",
        Some("30.00"),
    ),
    (
        "SVC-HOUR",
        "Consulting hour",
        "hour",
        "REDUCED",
        "120.00",
        "140.00",
        None,
    ),
    (
        "SUP-YEAR",
        "Support plan, one year",
        "year",
        "STANDARD",
        "2400.00",
        "2900.00",
        Some("900.00"),
    ),
    (
        "TRN-DAY",
        "Training day",
        "day",
        "EXEMPT",
        "950.00",
        "1100.00",
        None,
    ),
];

fn missing(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("demo {what} missing"))
}

async fn account(state: &AppState, name: &str) -> AppResult<parties::Model> {
    aggregate::unscoped::<crate::domain::parties::policy::PartyObject>("seeding the demo")
        .filter(parties::Column::GroupName.eq(name))
        .one(&state.db)
        .await?
        .ok_or_else(|| missing(name))
}

fn line(product: Uuid, quantity: &str) -> LineIn {
    LineIn {
        product_id: Some(product),
        quantity: quantity.to_string(),
        ..Default::default()
    }
}

/// Seeds products, a default and a customer price list, and quotes: a draft, a sent one, an
/// accepted, a rejected and an expired one.
pub async fn seed_demo_documents(
    state: &AppState,
    ctx: &RequestCtx,
    reps: [Uuid; 3],
) -> AppResult<()> {
    let mut ids = Vec::new();
    for (code, name, unit, tax, eur, usd, cost) in PRODUCTS {
        let p = products::create(
            state,
            ctx,
            ProductChanges {
                code: Some((*code).into()),
                name: Some((*name).into()),
                unit: Some((*unit).into()),
                tax_category: Some((*tax).into()),
                prices: Some(vec![
                    MoneyIn {
                        amount: (*eur).into(),
                        currency: "EUR".into(),
                    },
                    MoneyIn {
                        amount: (*usd).into(),
                        currency: "USD".into(),
                    },
                ]),
                cost: cost.map(|c| {
                    Some(MoneyIn {
                        amount: c.into(),
                        currency: "EUR".into(),
                    })
                }),
                ..Default::default()
            },
        )
        .await?;
        ids.push(p.id);
    }
    let [widget, widget_pro, hour, support, training] = ids[..] else {
        return Err(missing("products"));
    };
    let acme = account(state, "Acme Corporation").await?;
    let globex = account(state, "Globex").await?;
    let initech = account(state, "Initech").await?;
    let standard = prices::create(
        state,
        ctx,
        PriceListChanges {
            name: Some("Standard prices EUR".into()),
            currency: Some("EUR".into()),
            is_default: Some(true),
            ..Default::default()
        },
    )
    .await?;
    prices::set_items(
        state,
        ctx,
        standard.id,
        standard.version,
        vec![(widget, "18.99".into()), (widget_pro, "47.00".into())],
    )
    .await?;
    let contract = prices::create(
        state,
        ctx,
        PriceListChanges {
            name: Some("Acme contract prices".into()),
            currency: Some("EUR".into()),
            customer_id: Some(Some(acme.id)),
            ..Default::default()
        },
    )
    .await?;
    prices::set_items(
        state,
        ctx,
        contract.id,
        contract.version,
        vec![(widget, "17.50".into()), (support, "2100.00".into())],
    )
    .await?;

    let quote = |customer: Uuid, owner: Uuid, title: &str, lines: Vec<LineIn>| QuoteChanges {
        title: Some(title.into()),
        customer_id: Some(customer),
        owner_id: Some(owner),
        currency: Some("EUR".into()),
        terms: Some("Payment within 30 days of the invoice.\nPrices exclude delivery.".into()),
        lines: Some(lines),
        ..Default::default()
    };
    let [rita, rob, sam] = reps;
    quotes::create(
        state,
        ctx,
        quote(
            acme.id,
            rita,
            "Widgets for the spring roll-out",
            vec![line(widget, "40"), line(hour, "6")],
        ),
    )
    .await?;
    let sent = quotes::create(
        state,
        ctx,
        quote(
            acme.id,
            rita,
            "Support renewal",
            vec![line(support, "1"), line(training, "2")],
        ),
    )
    .await?;
    quotes::send(state, ctx, sent.id, sent.version).await?;
    let pilot = quotes::create(
        state,
        ctx,
        quote(
            acme.id,
            rita,
            "Pilot of Widget 200 Pro",
            vec![line(widget_pro, "10")],
        ),
    )
    .await?;
    let pilot = quotes::send(state, ctx, pilot.id, pilot.version).await?;
    let decided = |accepted: bool, note: &str| Decision {
        accepted,
        note: Some(note.into()),
        win_opportunity: false,
    };
    quotes::decide(
        state,
        ctx,
        pilot.id,
        pilot.version,
        decided(true, "Signed by Wile Coyote"),
    )
    .await?;
    let mut bulk = line(widget, "100");
    bulk.discount_percent = Some("5".into());
    let rejected = quotes::create(
        state,
        ctx,
        quote(globex.id, rob, "Bulk widgets", vec![bulk]),
    )
    .await?;
    let rejected = quotes::send(state, ctx, rejected.id, rejected.version).await?;
    quotes::decide(
        state,
        ctx,
        rejected.id,
        rejected.version,
        decided(false, "Went with a cheaper supplier"),
    )
    .await?;
    let expired = quotes::create(
        state,
        ctx,
        quote(initech.id, sam, "Consulting block", vec![line(hour, "20")]),
    )
    .await?;
    quotes::send(state, ctx, expired.id, expired.version).await?;
    // Sent a while ago: its validity has passed.
    let past = quotes::today() - chrono::Days::new(3);
    quote_rows::Entity::update_many()
        .col_expr(quote_rows::Column::ValidUntil, Expr::value(past))
        .filter(quote_rows::Column::Id.eq(expired.id))
        .exec(&state.db)
        .await?;
    entity::documents::quote_revisions::Entity::update_many()
        .col_expr(
            entity::documents::quote_revisions::Column::ValidUntil,
            Expr::value(past),
        )
        .filter(entity::documents::quote_revisions::Column::QuoteId.eq(expired.id))
        .exec(&state.db)
        .await?;
    Ok(())
}
