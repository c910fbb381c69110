//! GraphQL of orders, invoices, payments and the ledger: thin resolvers over the services.

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use entity::billing::{invoice_lines, invoices as invoice_rows, order_lines, orders as order_rows};
use entity::billing::{payment_allocations, payments as payment_rows};
use uuid::Uuid;

use super::invoices::{self, InvoiceBasis, InvoiceKind, InvoiceStatus, PaymentStatus};
use super::ledger;
use super::orders::{self, today, OrderKind, OrderStatus};
use super::payments::{self, PaymentMethod};
use super::policy::{ContractObject, InvoiceObject, OrderObject, PaymentObject};
use crate::domain::accounts::graphql::Money;
use crate::domain::documents::amounts;
use crate::domain::documents::graphql::{
    lines_in, money, party, user, Product, Quote, QuoteLineInput,
};
use crate::domain::parties::graphql::Party;
use crate::domain::parties::operations::party_id;
use crate::domain::users::graphql::User;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::Aggregate;
use crate::kit::ids::{optional_user_id, GlobalType};
use crate::kit::paging::{connection, Page, TotalCount};
use crate::kit::scalars::Decimal;
use crate::policy::{self, Action};

mod contract;
mod inputs;
mod invoice;
mod order;
mod payment;
mod revenue;
mod statement;

pub use contract::*;
pub use inputs::*;
pub use invoice::*;
pub use order::*;
pub use payment::*;
pub use revenue::*;
pub use statement::{CustomerStatement, StatementCurrency, StatementEntry};

fn may(req: &crate::auth::RequestCtx, object: &str, action: Action, owner: Uuid) -> bool {
    policy::check_reach(req, object, action, Some(owner), object).is_ok()
}

fn qty(milli: i64) -> Decimal {
    Decimal(amounts::format_quantity(milli))
}

fn order_filter(f: Option<OrderFilterInput>) -> AppResult<orders::OrderFilter> {
    let f = f.unwrap_or_default();
    Ok(orders::OrderFilter {
        search: f.search,
        kind: f.kind,
        statuses: f.statuses.unwrap_or_default(),
        customer_id: f
            .customer_id
            .map(|id| party_id(&id, "filter.customerId"))
            .transpose()?,
        dealer_id: f
            .dealer_id
            .map(|id| party_id(&id, "filter.dealerId"))
            .transpose()?,
        quote_id: Quote::decode_opt(f.quote_id.as_ref(), "filter.quoteId")?,
    })
}

fn invoice_filter(f: Option<InvoiceFilterInput>) -> AppResult<invoices::InvoiceFilter> {
    let f = f.unwrap_or_default();
    Ok(invoices::InvoiceFilter {
        search: f.search,
        kind: f.kind,
        statuses: f.statuses.unwrap_or_default(),
        customer_id: f
            .customer_id
            .map(|id| party_id(&id, "filter.customerId"))
            .transpose()?,
        order_id: Order::decode_opt(f.order_id.as_ref(), "filter.orderId")?,
        open_only: f.open_only.unwrap_or(false),
        overdue_only: f.overdue_only.unwrap_or(false),
    })
}

/// Order, invoice, payment and ledger queries.
#[derive(Default)]
pub struct BillingQuery;

#[Object]
impl BillingQuery {
    /// Orders you may see, newest first.
    async fn orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        filter: Option<OrderFilterInput>,
    ) -> AppResult<Connection<String, Order, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let filter = order_filter(filter)?;
        let (rows, more) = orders::list(&state.db, req, &filter, &page).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { orders::count(&db, &req, &f).await })
        });
        Ok(connection(
            rows,
            page.after.is_some(),
            more,
            total,
            orders::cursor,
            Order,
        ))
    }

    /// One order; `null` when it does not exist or is not visible to you.
    async fn order(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Order>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = Order::decode(&id, "id")?;
        Ok(orders::get(&state.db, req, uuid).await?.map(Order))
    }

    /// Invoices and credit notes you may see, newest first.
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        filter: Option<InvoiceFilterInput>,
    ) -> AppResult<Connection<String, Invoice, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let filter = invoice_filter(filter)?;
        let (rows, more) = invoices::list(&state.db, req, &filter, &page).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { invoices::count(&db, &req, &f).await })
        });
        Ok(connection(
            rows,
            page.after.is_some(),
            more,
            total,
            invoices::cursor,
            Invoice,
        ))
    }

    /// One invoice or credit note; `null` when it does not exist or is not visible to you.
    async fn invoice(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Invoice>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = Invoice::decode(&id, "id")?;
        Ok(invoices::get(&state.db, req, uuid).await?.map(Invoice))
    }

    /// Payments you may see, newest first.
    async fn payments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        customer_id: Option<ID>,
        #[graphql(default = false)] unallocated_only: bool,
    ) -> AppResult<Connection<String, Payment, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let filter = payments::PaymentFilter {
            customer_id: customer_id
                .map(|id| party_id(&id, "customerId"))
                .transpose()?,
            unallocated_only,
        };
        let (rows, more) = payments::list(&state.db, req, &filter, &page).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { payments::count(&db, &req, &f).await })
        });
        Ok(connection(
            rows,
            page.after.is_some(),
            more,
            total,
            payments::cursor,
            Payment,
        ))
    }

    /// One payment.
    async fn payment(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Payment>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = Payment::decode(&id, "id")?;
        Ok(payments::get(&state.db, req, uuid).await?.map(Payment))
    }

    /// What is owed by age today, per currency, over the invoices you may see; one customer's
    /// when `customerId` is given.
    async fn ageing(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<ID>,
    ) -> AppResult<Vec<AgeingRow>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let customer = customer_id
            .map(|id| party_id(&id, "customerId"))
            .transpose()?;
        Ok(ledger::ageing(&state.db, req, customer, today())
            .await?
            .into_iter()
            .map(AgeingRow::from)
            .collect())
    }

    /// Revenue by period, customer and product, over the issued invoices you may read; a
    /// role without the invoice read grant is refused.
    async fn revenue_report(
        &self,
        ctx: &Context<'_>,
        filter: Option<RevenueFilterInput>,
    ) -> AppResult<RevenueReport> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        policy::authorize(req, InvoiceObject::OBJECT, Action::Read)?;
        Ok(RevenueReport(
            revenue_scope(&state.db, filter.unwrap_or_default()).await?,
        ))
    }

    /// A customer's statement per currency from `from` (default: 90 days before `to`) to `to`
    /// (default: today): opening balance, the documents with a running balance, closing balance
    /// and overdue, over the invoices and payments you may read.
    async fn customer_statement(
        &self,
        ctx: &Context<'_>,
        customer_id: ID,
        from: Option<String>,
        to: Option<String>,
    ) -> AppResult<CustomerStatement> {
        statement::customer_statement(ctx, customer_id, from, to).await
    }

    /// A customer's balance per currency: open and overdue on the invoices you may see, less the
    /// unallocated payments you may see.
    async fn customer_balance(
        &self,
        ctx: &Context<'_>,
        customer_id: ID,
    ) -> AppResult<Vec<CustomerBalance>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let customer = party_id(&customer_id, "customerId")?;
        if crate::domain::parties::service::get(&state.db, req, customer)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound("no such customer".into()));
        }
        Ok(ledger::balance(&state.db, req, customer, today())
            .await?
            .into_iter()
            .map(|b| CustomerBalance {
                open: money(b.open, &b.currency),
                overdue: money(b.overdue, &b.currency),
                credit: money(b.credit, &b.currency),
                balance: money(b.balance(), &b.currency),
                currency: b.currency,
            })
            .collect())
    }
}

fn line_quantities<T: GlobalType>(
    list: Vec<LineQuantityInput>,
) -> AppResult<Vec<invoices::LineQuantity>> {
    list.into_iter()
        .enumerate()
        .map(|(i, l)| {
            Ok(invoices::LineQuantity {
                line_id: T::decode(&l.line_id, &format!("lines.{i}.lineId"))?,
                quantity: l.quantity.0,
            })
        })
        .collect()
}

fn allocations_in(
    list: Option<Vec<AllocationInput>>,
) -> AppResult<Option<Vec<payments::AllocationIn>>> {
    list.map(|l| {
        l.into_iter()
            .enumerate()
            .map(|(i, a)| {
                Ok(payments::AllocationIn {
                    invoice_id: Invoice::decode(
                        &a.invoice_id,
                        &format!("allocations.{i}.invoiceId"),
                    )?,
                    amount: a.amount.0,
                })
            })
            .collect()
    })
    .transpose()
}

/// Order, invoice and payment mutations.
#[derive(Default)]
pub struct BillingMutation;

#[Object]
impl BillingMutation {
    /// Makes the sales order of an accepted quote (its lines and prices, confirmed).
    async fn create_order_from_quote(
        &self,
        ctx: &Context<'_>,
        quote_id: ID,
    ) -> AppResult<OrderPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Quote::decode(&quote_id, "quoteId")?;
        let m = orders::create_from_quote(state, req, id).await?;
        Ok(OrderPayload { order: Order(m) })
    }

    /// Enters an order: a sales order (confirmed) or a dealer's purchase order (received).
    async fn create_order(
        &self,
        ctx: &Context<'_>,
        input: CreateOrderInput,
    ) -> AppResult<OrderPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let m = orders::create(
            state,
            req,
            orders::NewOrder {
                kind: input.kind,
                customer_id: party_id(&input.customer_id, "customerId")?,
                dealer_id: input
                    .dealer_id
                    .map(|id| party_id(&id, "dealerId"))
                    .transpose()?,
                dealer_reference: input.dealer_reference,
                owner_id: optional_user_id(input.owner_id, "ownerId")?,
                currency: input.currency,
                notes: input.notes,
                lines: lines_in(Some(input.lines))?.unwrap_or_default(),
            },
        )
        .await?;
        Ok(OrderPayload { order: Order(m) })
    }

    /// Confirms a received dealer's order.
    async fn confirm_order(
        &self,
        ctx: &Context<'_>,
        input: OrderVersionInput,
    ) -> AppResult<OrderPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Order::decode(&input.id, "id")?;
        let m = orders::confirm(state, req, id, input.version).await?;
        Ok(OrderPayload { order: Order(m) })
    }

    /// Marks a confirmed order shipped.
    async fn ship_order(
        &self,
        ctx: &Context<'_>,
        input: OrderVersionInput,
    ) -> AppResult<OrderPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Order::decode(&input.id, "id")?;
        let m = orders::ship(state, req, id, input.version).await?;
        Ok(OrderPayload { order: Order(m) })
    }

    /// Cancels an order nothing of which was delivered or invoiced.
    async fn cancel_order(
        &self,
        ctx: &Context<'_>,
        input: OrderVersionInput,
    ) -> AppResult<OrderPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Order::decode(&input.id, "id")?;
        let m = orders::cancel(state, req, id, input.version).await?;
        Ok(OrderPayload { order: Order(m) })
    }

    /// Records delivered quantities (all outstanding when no lines are given).
    async fn record_delivery(
        &self,
        ctx: &Context<'_>,
        input: RecordDeliveryInput,
    ) -> AppResult<OrderPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Order::decode(&input.id, "id")?;
        let deliveries: Vec<orders::Delivery> =
            line_quantities::<OrderLine>(input.lines.unwrap_or_default())?
                .into_iter()
                .map(|l| orders::Delivery {
                    line_id: l.line_id,
                    quantity: l.quantity,
                })
                .collect();
        let m = orders::deliver(state, req, id, input.version, &deliveries).await?;
        Ok(OrderPayload { order: Order(m) })
    }

    /// Drafts an invoice from an order.
    async fn create_invoice(
        &self,
        ctx: &Context<'_>,
        input: CreateInvoiceInput,
    ) -> AppResult<InvoicePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let m = invoices::create_from_order(
            state,
            req,
            invoices::NewInvoice {
                order_id: Order::decode(&input.order_id, "orderId")?,
                basis: input.basis,
                lines: input.lines.map(line_quantities::<OrderLine>).transpose()?,
                payment_days: input.payment_days,
                notes: input.notes,
            },
        )
        .await?;
        Ok(InvoicePayload {
            invoice: Invoice(m),
        })
    }

    /// Changes a draft invoice; an issued one is refused (credit it instead).
    async fn update_invoice(
        &self,
        ctx: &Context<'_>,
        input: UpdateInvoiceInput,
    ) -> AppResult<InvoicePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Invoice::decode(&input.id, "id")?;
        let m = invoices::update_draft(
            state,
            req,
            id,
            input.version,
            input.payment_days,
            input.notes,
        )
        .await?;
        Ok(InvoicePayload {
            invoice: Invoice(m),
        })
    }

    /// Issues a draft: numbered without gaps in its series and year, and frozen.
    async fn issue_invoice(
        &self,
        ctx: &Context<'_>,
        input: InvoiceVersionInput,
    ) -> AppResult<InvoicePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Invoice::decode(&input.id, "id")?;
        let m = invoices::issue(state, req, id, input.version).await?;
        Ok(InvoicePayload {
            invoice: Invoice(m),
        })
    }

    /// Deletes a draft invoice (an issued one never goes).
    async fn delete_invoice(
        &self,
        ctx: &Context<'_>,
        input: InvoiceVersionInput,
    ) -> AppResult<DeletedPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Invoice::decode(&input.id, "id")?;
        invoices::delete_draft(state, req, id, input.version).await?;
        Ok(DeletedPayload { id: input.id })
    }

    /// Issues a credit note against an issued invoice.
    async fn create_credit_note(
        &self,
        ctx: &Context<'_>,
        input: CreateCreditNoteInput,
    ) -> AppResult<InvoicePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Invoice::decode(&input.invoice_id, "invoiceId")?;
        let lines = input
            .lines
            .map(line_quantities::<InvoiceLine>)
            .transpose()?;
        let m = invoices::credit(state, req, id, input.version, lines, input.reason).await?;
        Ok(InvoicePayload {
            invoice: Invoice(m),
        })
    }

    /// Records a payment and allocates it.
    async fn record_payment(
        &self,
        ctx: &Context<'_>,
        input: RecordPaymentInput,
    ) -> AppResult<PaymentPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let m = payments::record(
            state,
            req,
            payments::NewPayment {
                customer_id: party_id(&input.customer_id, "customerId")?,
                amount: input.amount.0,
                currency: input.currency,
                received_on: input.received_on,
                method: input.method,
                reference: input.reference,
                allocations: allocations_in(input.allocations)?,
            },
        )
        .await?;
        Ok(PaymentPayload {
            payment: Payment(m),
        })
    }

    /// Allocates what a payment has left (oldest due first when no allocations are given).
    async fn allocate_payment(
        &self,
        ctx: &Context<'_>,
        input: AllocatePaymentInput,
    ) -> AppResult<PaymentPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Payment::decode(&input.id, "id")?;
        let m = payments::allocate(
            state,
            req,
            id,
            input.version,
            allocations_in(input.allocations)?,
        )
        .await?;
        Ok(PaymentPayload {
            payment: Payment(m),
        })
    }
}
