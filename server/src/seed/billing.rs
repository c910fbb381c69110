//! The demo company's orders, invoices and payments, made through the services: the accepted
//! quote's order awaiting its invoice, a dealer's purchase order just received, and invoices paid,
//! part paid and overdue (its first reminder due, for the worker to raise).

use chrono::Days;
use entity::billing::invoices as invoice_rows;
use entity::documents::{products as product_rows, quotes as quote_rows};
use entity::jobs;
use entity::parties::parties;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::domain::billing::invoices::{self, InvoiceBasis, NewInvoice};
use crate::domain::billing::orders::{self, NewOrder, OrderKind};
use crate::domain::billing::payments::{self, AllocationIn, NewPayment, PaymentMethod};
use crate::domain::documents::quotes::{LineIn, QuoteStatus};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::state::AppState;

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

async fn product(state: &AppState, code: &str) -> AppResult<Uuid> {
    Ok(product_rows::Entity::find()
        .filter(product_rows::Column::Code.eq(code))
        .one(&state.db)
        .await?
        .ok_or_else(|| missing(code))?
        .id)
}

fn line(product: Uuid, quantity: &str) -> LineIn {
    LineIn {
        product_id: Some(product),
        quantity: quantity.to_string(),
        ..Default::default()
    }
}

/// A delivered sales order for `customer`, invoiced and issued; returns the invoice.
async fn invoiced(
    state: &AppState,
    ctx: &RequestCtx,
    customer: Uuid,
    owner: Uuid,
    lines: Vec<LineIn>,
) -> AppResult<entity::billing::invoices::Model> {
    let order = orders::create(
        state,
        ctx,
        NewOrder {
            kind: Some(OrderKind::Sales),
            customer_id: customer,
            owner_id: Some(owner),
            currency: Some("EUR".into()),
            lines,
            ..Default::default()
        },
    )
    .await?;
    let order = orders::deliver(state, ctx, order.id, order.version, &[]).await?;
    let draft = invoices::create_from_order(
        state,
        ctx,
        NewInvoice {
            order_id: order.id,
            basis: Some(InvoiceBasis::Delivered),
            ..Default::default()
        },
    )
    .await?;
    invoices::issue(state, ctx, draft.id, draft.version).await
}

async fn pay(
    state: &AppState,
    ctx: &RequestCtx,
    invoice: &entity::billing::invoices::Model,
    amount: &str,
) -> AppResult<()> {
    payments::record(
        state,
        ctx,
        NewPayment {
            customer_id: invoice.customer_id,
            amount: amount.into(),
            currency: invoice.currency.clone(),
            method: Some(PaymentMethod::BankTransfer),
            reference: invoice.number.clone(),
            allocations: Some(vec![AllocationIn {
                invoice_id: invoice.id,
                amount: amount.into(),
            }]),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// A support contract in review (for a manager's queue) and an approved one that renews
/// automatically; an open enquiry from a tender.
async fn contracts_and_enquiries(
    state: &AppState,
    ctx: &RequestCtx,
    reps: [Uuid; 3],
) -> AppResult<()> {
    use crate::domain::billing::contracts::{self, ContractChanges, Renewal};
    use crate::domain::documents::enquiries::{self, EnquiryChanges, EnquiryChannel};
    let [rita, rob, _] = reps;
    let acme = account(state, "Acme Corporation").await?;
    let globex = account(state, "Globex").await?;
    let initech = account(state, "Initech").await?;
    let today = orders::today();
    let contract =
        |customer: Uuid, owner: Uuid, title: &str, start: i64, months: i64| ContractChanges {
            customer_id: Some(customer),
            owner_id: Some(owner),
            title: Some(title.into()),
            terms: Some(
                "Support on working days, 9:00 to 17:00.\nResponse within four hours.".into(),
            ),
            start_date: Some((today + chrono::Duration::days(start)).to_string()),
            end_date: Some((today + chrono::Duration::days(start + months * 30)).to_string()),
            currency: Some("EUR".into()),
            value: Some("24000".into()),
            renewal: Some(Renewal::Automatic),
            notice_days: Some(60),
        };
    let review = contracts::create(
        state,
        ctx,
        contract(acme.id, rita, "Acme support 2027", 30, 12),
    )
    .await?;
    contracts::submit(state, ctx, review.id, review.version).await?;
    let running = contracts::create(
        state,
        ctx,
        contract(globex.id, rob, "Globex maintenance", -200, 12),
    )
    .await?;
    contracts::submit(state, ctx, running.id, running.version).await?;
    // Approved by a second user, as the review requires.
    let manager = crate::auth::sessions::context_of(&state.db, "manager@demo.crm").await?;
    let running = contracts::get(&state.db, ctx, running.id)
        .await?
        .ok_or_else(|| missing("contract"))?;
    contracts::review(
        state,
        &manager,
        running.id,
        running.version,
        contracts::Review {
            approve: true,
            notes: Some("Terms as last year".into()),
        },
    )
    .await?;
    let hour = product(state, "SVC-HOUR").await?;
    let widget = product(state, "WID-200").await?;
    enquiries::create(
        state,
        ctx,
        EnquiryChanges {
            customer_id: Some(initech.id),
            owner_id: Some(reps[2]),
            channel: Some(EnquiryChannel::Tender),
            address: Some("Initech\n4120 Freidrich Lane\nAustin".into()),
            delivery_period: Some("Within six weeks of the order".into()),
            payment_terms: Some("30 days net".into()),
            quotation_lead_days: Some(10),
            delivery_point: Some("Initech head office, goods-in".into()),
            remarks: Some("Public tender 2027/03; prices fixed for a year.".into()),
            lines: Some(vec![
                LineIn {
                    specification: Some("With the extended warranty".into()),
                    ..line(widget, "25")
                },
                line(hour, "16"),
            ]),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Seeds the order of the accepted quote, a dealer's order, and invoices paid, part paid and
/// overdue.
pub async fn seed_demo_billing(
    state: &AppState,
    ctx: &RequestCtx,
    reps: [Uuid; 3],
) -> AppResult<()> {
    let [_, rob, sam] = reps;
    let accepted = quote_rows::Entity::find()
        .filter(quote_rows::Column::Status.eq(QuoteStatus::Accepted.as_str()))
        .one(&state.db)
        .await?
        .ok_or_else(|| missing("accepted quote"))?;
    orders::create_from_quote(state, ctx, accepted.id).await?;

    let widget = product(state, "WID-100").await?;
    let hour = product(state, "SVC-HOUR").await?;
    let training = product(state, "TRN-DAY").await?;
    let globex = account(state, "Globex").await?;
    let initech = account(state, "Initech").await?;
    let umbrella = account(state, "Umbrella Health").await?;
    let stark = account(state, "Stark Industrial").await?;

    orders::create(
        state,
        ctx,
        NewOrder {
            kind: Some(OrderKind::Dealer),
            customer_id: globex.id,
            dealer_id: Some(stark.id),
            dealer_reference: Some("STK-2026-118".into()),
            owner_id: Some(rob),
            currency: Some("EUR".into()),
            lines: vec![line(widget, "250")],
            ..Default::default()
        },
    )
    .await?;
    // Pat Partner works for the dealer: its purchase orders are theirs to follow.
    let partner = crate::kit::aggregate::unscoped::<crate::domain::users::service::UserObject>(
        "the seed's own demo user",
    )
    .filter(entity::access::users::Column::Email.eq("partner@demo.crm"))
    .one(&state.db)
    .await?
    .ok_or_else(|| missing("partner user"))?;
    crate::domain::users::service::set_organization(state, ctx, partner.id, Some(stark.id)).await?;

    let paid = invoiced(
        state,
        ctx,
        globex.id,
        rob,
        vec![line(widget, "30"), line(training, "2")],
    )
    .await?;
    pay(
        state,
        ctx,
        &paid,
        &crate::domain::documents::amounts::format_amount(paid.total_minor, &paid.currency),
    )
    .await?;
    let part = invoiced(state, ctx, initech.id, sam, vec![line(hour, "20")]).await?;
    pay(state, ctx, &part, "1000.00").await?;
    let overdue = invoiced(state, ctx, umbrella.id, sam, vec![line(training, "3")]).await?;
    // Issued six weeks ago, due two weeks later: overdue, its first reminder due now.
    let today = orders::today();
    let issued = today - Days::new(42);
    let due = today - Days::new(12);
    invoice_rows::Entity::update_many()
        .col_expr(invoice_rows::Column::IssueDate, Expr::value(issued))
        .col_expr(invoice_rows::Column::DueDate, Expr::value(due))
        .filter(invoice_rows::Column::Id.eq(overdue.id))
        .exec(&state.db)
        .await?;
    jobs::Entity::update_many()
        .col_expr(
            jobs::Column::RunAt,
            Expr::value(invoices::first_reminder_at(due)),
        )
        .filter(jobs::Column::Payload.contains(overdue.id.to_string()))
        .exec(&state.db)
        .await?;
    contracts_and_enquiries(state, ctx, reps).await
}
