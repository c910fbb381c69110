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
use super::policy::{InvoiceObject, OrderObject, PaymentObject};
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

fn may(req: &crate::auth::RequestCtx, object: &str, action: Action, owner: Uuid) -> bool {
    policy::check_reach(req, object, action, Some(owner), object).is_ok()
}

fn qty(milli: i64) -> Decimal {
    Decimal(amounts::format_quantity(milli))
}

/// A sales order or a dealer's purchase order.
#[derive(Clone)]
pub struct Order(pub order_rows::Model);

impl GlobalType for Order {
    const TYPE_NAME: &'static str = "Order";
}

#[Object]
impl Order {
    /// Global id (type `Order`).
    pub async fn id(&self) -> ID {
        Order::global_id(self.0.id)
    }
    /// `SO-000123`, unique.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn kind(&self) -> OrderKind {
        OrderKind::parse(&self.0.kind).unwrap_or(OrderKind::Sales)
    }
    async fn status(&self) -> OrderStatus {
        OrderStatus::parse(&self.0.status).unwrap_or(OrderStatus::Confirmed)
    }
    /// The customer the goods are for (`null` when you may not see them).
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, Some(self.0.customer_id)).await
    }
    /// The ordering dealer of a dealer's order.
    async fn dealer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, self.0.dealer_id).await
    }
    /// The dealer's own order reference.
    async fn dealer_reference(&self) -> Option<&str> {
        self.0.dealer_reference.as_deref()
    }
    /// The accepted quote it was made from.
    async fn quote(&self, ctx: &Context<'_>) -> AppResult<Option<Quote>> {
        let Some(id) = self.0.quote_id else {
            return Ok(None);
        };
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(crate::domain::documents::quotes::get(&state.db, req, id)
            .await?
            .map(Quote))
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn order_date(&self) -> NaiveDate {
        self.0.order_date
    }
    async fn net(&self) -> Money {
        money(self.0.net_minor, &self.0.currency)
    }
    async fn tax(&self) -> Money {
        money(self.0.tax_minor, &self.0.currency)
    }
    async fn total(&self) -> Money {
        money(self.0.total_minor, &self.0.currency)
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn lines(&self, ctx: &Context<'_>) -> AppResult<Vec<OrderLine>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(orders::lines(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(|l| OrderLine(l, self.0.currency.clone()))
            .collect())
    }
    /// Its invoices and credit notes you may see, newest first.
    async fn invoices(&self, ctx: &Context<'_>) -> AppResult<Vec<Invoice>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        if policy::authorize(req, InvoiceObject::OBJECT, Action::Read).is_err() {
            return Ok(Vec::new());
        }
        let filter = invoices::InvoiceFilter {
            order_id: Some(self.0.id),
            ..Default::default()
        };
        let page = Page::new(Some(100), None)?;
        Ok(invoices::list(&state.db, req, &filter, &page)
            .await?
            .0
            .into_iter()
            .map(Invoice)
            .collect())
    }
    /// What the caller may do with it now.
    async fn can(&self, ctx: &Context<'_>) -> AppResult<OrderActions> {
        let req = crate::kit::resolve::caller(ctx)?;
        let update = may(req, OrderObject::OBJECT, Action::Update, self.0.owner_id);
        let status = OrderStatus::parse(&self.0.status);
        let open = matches!(
            status,
            Some(OrderStatus::Confirmed | OrderStatus::Shipped | OrderStatus::Delivered)
        );
        Ok(OrderActions {
            confirm: update && status == Some(OrderStatus::Received),
            ship: update && status == Some(OrderStatus::Confirmed),
            deliver: update
                && matches!(status, Some(OrderStatus::Confirmed | OrderStatus::Shipped)),
            cancel: update
                && matches!(status, Some(OrderStatus::Received | OrderStatus::Confirmed)),
            invoice: open && may(req, InvoiceObject::OBJECT, Action::Create, self.0.owner_id),
        })
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// What the caller may do with an order now.
#[derive(SimpleObject)]
pub struct OrderActions {
    pub confirm: bool,
    pub ship: bool,
    pub deliver: bool,
    pub cancel: bool,
    /// Draft an invoice from it.
    pub invoice: bool,
}

/// One line of an order.
pub struct OrderLine(pub order_lines::Model, pub String);

impl GlobalType for OrderLine {
    const TYPE_NAME: &'static str = "OrderLine";
}

#[Object]
impl OrderLine {
    /// Global id (type `OrderLine`), for deliveries and invoices of chosen quantities.
    async fn id(&self) -> ID {
        OrderLine::global_id(self.0.id)
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn product(&self, ctx: &Context<'_>) -> AppResult<Option<Product>> {
        let Some(id) = self.0.product_id else {
            return Ok(None);
        };
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(crate::domain::documents::products::get(&state.db, req, id)
            .await?
            .map(Product))
    }
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    async fn quantity(&self) -> Decimal {
        qty(self.0.quantity_milli)
    }
    async fn delivered(&self) -> Decimal {
        qty(self.0.delivered_milli)
    }
    /// Ordered and not yet delivered.
    async fn outstanding(&self) -> Decimal {
        qty(self.0.quantity_milli - self.0.delivered_milli)
    }
    /// Billed on invoices (drafts included).
    async fn invoiced(&self) -> Decimal {
        qty(self.0.invoiced_milli)
    }
    async fn unit_price(&self) -> Money {
        money(self.0.unit_price_minor, &self.1)
    }
    async fn discount_percent(&self) -> Decimal {
        Decimal(amounts::format_percent(self.0.discount_bp))
    }
    async fn tax_category(&self) -> &str {
        &self.0.tax_category
    }
    async fn net(&self) -> Money {
        money(self.0.net_minor, &self.1)
    }
    async fn tax(&self) -> Money {
        money(self.0.tax_minor, &self.1)
    }
    async fn total(&self) -> Money {
        money(self.0.total_minor, &self.1)
    }
}

/// An invoice or a credit note.
#[derive(Clone)]
pub struct Invoice(pub invoice_rows::Model);

impl GlobalType for Invoice {
    const TYPE_NAME: &'static str = "Invoice";
}

#[Object]
impl Invoice {
    /// Global id (type `Invoice`).
    pub async fn id(&self) -> ID {
        Invoice::global_id(self.0.id)
    }
    async fn kind(&self) -> InvoiceKind {
        InvoiceKind::parse(&self.0.kind).unwrap_or(InvoiceKind::Invoice)
    }
    /// `INV-2026-000042` (credit notes `CN-…`) once issued; `null` on a draft.
    async fn number(&self) -> Option<&str> {
        self.0.number.as_deref()
    }
    async fn status(&self) -> InvoiceStatus {
        InvoiceStatus::parse(&self.0.status).unwrap_or(InvoiceStatus::Draft)
    }
    /// Where its money stands today.
    async fn payment_status(&self) -> PaymentStatus {
        invoices::payment_status(&self.0, today())
    }
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, Some(self.0.customer_id)).await
    }
    /// The order it bills (`null` when none or not visible to you).
    async fn order(&self, ctx: &Context<'_>) -> AppResult<Option<Order>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        if policy::authorize(req, OrderObject::OBJECT, Action::Read).is_err() {
            return Ok(None);
        }
        Ok(invoices::order_of(&state.db, req, &self.0)
            .await?
            .map(Order))
    }
    /// The invoice a credit note corrects.
    async fn credited_invoice(&self, ctx: &Context<'_>) -> AppResult<Option<Invoice>> {
        let Some(id) = self.0.credited_invoice_id else {
            return Ok(None);
        };
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(invoices::get(&state.db, req, id).await?.map(Invoice))
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn issue_date(&self) -> Option<NaiveDate> {
        self.0.issue_date
    }
    async fn due_date(&self) -> Option<NaiveDate> {
        self.0.due_date
    }
    async fn payment_days(&self) -> i32 {
        self.0.payment_days
    }
    async fn days_overdue(&self) -> i64 {
        invoices::days_overdue(&self.0, today())
    }
    async fn net(&self) -> Money {
        money(self.0.net_minor, &self.0.currency)
    }
    async fn tax(&self) -> Money {
        money(self.0.tax_minor, &self.0.currency)
    }
    async fn total(&self) -> Money {
        money(self.0.total_minor, &self.0.currency)
    }
    async fn paid(&self) -> Money {
        money(self.0.paid_minor, &self.0.currency)
    }
    /// Settled by credit notes.
    async fn credited(&self) -> Money {
        money(self.0.credited_minor, &self.0.currency)
    }
    /// Still owed.
    async fn open(&self) -> Money {
        money(self.0.open_minor, &self.0.currency)
    }
    /// Overdue reminders raised so far.
    async fn dunning_level(&self) -> i32 {
        self.0.dunning_level
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn lines(&self, ctx: &Context<'_>) -> AppResult<Vec<InvoiceLine>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(invoices::lines(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(|l| InvoiceLine(l, self.0.currency.clone()))
            .collect())
    }
    /// The payments settling it, oldest first.
    async fn allocations(&self, ctx: &Context<'_>) -> AppResult<Vec<PaymentAllocation>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(payments::allocations(&state.db, self.0.id, true)
            .await?
            .into_iter()
            .map(|a| PaymentAllocation(a, self.0.currency.clone()))
            .collect())
    }
    /// Its credit notes.
    async fn credit_notes(&self, ctx: &Context<'_>) -> AppResult<Vec<Invoice>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(Some(100), None)?;
        let filter = invoices::InvoiceFilter {
            kind: Some(InvoiceKind::CreditNote),
            order_id: self.0.order_id,
            ..Default::default()
        };
        Ok(invoices::list(&state.db, req, &filter, &page)
            .await?
            .0
            .into_iter()
            .filter(|m| m.credited_invoice_id == Some(self.0.id))
            .map(Invoice)
            .collect())
    }
    /// What the caller may do with it now.
    async fn can(&self, ctx: &Context<'_>) -> AppResult<InvoiceActions> {
        let req = crate::kit::resolve::caller(ctx)?;
        let update = may(req, InvoiceObject::OBJECT, Action::Update, self.0.owner_id);
        let draft = self.0.status == InvoiceStatus::Draft.as_str();
        let open_invoice =
            !draft && self.0.kind == InvoiceKind::Invoice.as_str() && self.0.open_minor > 0;
        Ok(InvoiceActions {
            edit: update && draft,
            issue: update && draft,
            delete: update && draft,
            credit: open_invoice
                && may(req, InvoiceObject::OBJECT, Action::Create, self.0.owner_id),
            record_payment: open_invoice
                && policy::authorize(req, PaymentObject::OBJECT, Action::Create).is_ok(),
        })
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// What the caller may do with an invoice now.
#[derive(SimpleObject)]
pub struct InvoiceActions {
    pub edit: bool,
    pub issue: bool,
    pub delete: bool,
    /// Issue a credit note against it.
    pub credit: bool,
    pub record_payment: bool,
}

/// One line of an invoice or credit note.
pub struct InvoiceLine(pub invoice_lines::Model, pub String);

impl GlobalType for InvoiceLine {
    const TYPE_NAME: &'static str = "InvoiceLine";
}

#[Object]
impl InvoiceLine {
    /// Global id (type `InvoiceLine`), for credit notes of chosen quantities.
    async fn id(&self) -> ID {
        InvoiceLine::global_id(self.0.id)
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    async fn quantity(&self) -> Decimal {
        qty(self.0.quantity_milli)
    }
    async fn unit_price(&self) -> Money {
        money(self.0.unit_price_minor, &self.1)
    }
    async fn discount_percent(&self) -> Decimal {
        Decimal(amounts::format_percent(self.0.discount_bp))
    }
    async fn tax_category(&self) -> &str {
        &self.0.tax_category
    }
    async fn tax_rate_percent(&self) -> Decimal {
        Decimal(amounts::format_percent(self.0.tax_rate_bp))
    }
    async fn net(&self) -> Money {
        money(self.0.net_minor, &self.1)
    }
    async fn tax(&self) -> Money {
        money(self.0.tax_minor, &self.1)
    }
    async fn total(&self) -> Money {
        money(self.0.total_minor, &self.1)
    }
}

/// A payment received.
#[derive(Clone)]
pub struct Payment(pub payment_rows::Model);

impl GlobalType for Payment {
    const TYPE_NAME: &'static str = "Payment";
}

#[Object]
impl Payment {
    /// Global id (type `Payment`).
    pub async fn id(&self) -> ID {
        Payment::global_id(self.0.id)
    }
    /// `PAY-000123`.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, Some(self.0.customer_id)).await
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn amount(&self) -> Money {
        money(self.0.amount_minor, &self.0.currency)
    }
    async fn allocated(&self) -> Money {
        money(self.0.allocated_minor, &self.0.currency)
    }
    /// Not yet allocated: the customer's credit.
    async fn unallocated(&self) -> Money {
        money(
            self.0.amount_minor - self.0.allocated_minor,
            &self.0.currency,
        )
    }
    async fn received_on(&self) -> NaiveDate {
        self.0.received_on
    }
    async fn method(&self) -> PaymentMethod {
        PaymentMethod::parse(&self.0.method).unwrap_or(PaymentMethod::Other)
    }
    async fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }
    async fn allocations(&self, ctx: &Context<'_>) -> AppResult<Vec<PaymentAllocation>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(payments::allocations(&state.db, self.0.id, false)
            .await?
            .into_iter()
            .map(|a| PaymentAllocation(a, self.0.currency.clone()))
            .collect())
    }
    /// Whether the caller may allocate what is left.
    async fn can_allocate(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let req = crate::kit::resolve::caller(ctx)?;
        Ok(self.0.allocated_minor < self.0.amount_minor
            && may(req, PaymentObject::OBJECT, Action::Update, self.0.owner_id))
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Part of a payment settling one invoice.
pub struct PaymentAllocation(pub payment_allocations::Model, pub String);

#[Object]
impl PaymentAllocation {
    async fn amount(&self) -> Money {
        money(self.0.amount_minor, &self.1)
    }
    /// The invoice (`null` when not visible to you).
    async fn invoice(&self, ctx: &Context<'_>) -> AppResult<Option<Invoice>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(invoices::get(&state.db, req, self.0.invoice_id)
            .await?
            .map(Invoice))
    }
    /// The payment (`null` when not visible to you).
    async fn payment(&self, ctx: &Context<'_>) -> AppResult<Option<Payment>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        if policy::authorize(req, PaymentObject::OBJECT, Action::Read).is_err() {
            return Ok(None);
        }
        Ok(payments::get(&state.db, req, self.0.payment_id)
            .await?
            .map(Payment))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Open amounts of one currency by age.
#[derive(SimpleObject)]
pub struct AgeingRow {
    pub currency: String,
    /// Not yet due.
    pub current: Money,
    #[graphql(name = "days1To30")]
    pub days_1_30: Money,
    #[graphql(name = "days31To60")]
    pub days_31_60: Money,
    #[graphql(name = "days61To90")]
    pub days_61_90: Money,
    #[graphql(name = "over90")]
    pub over_90: Money,
    pub overdue: Money,
    pub total: Money,
    /// Invoices with an amount open.
    pub invoices: i64,
}

impl From<ledger::Ageing> for AgeingRow {
    fn from(a: ledger::Ageing) -> Self {
        let c = a.currency.clone();
        AgeingRow {
            current: money(a.current, &c),
            days_1_30: money(a.days_1_30, &c),
            days_31_60: money(a.days_31_60, &c),
            days_61_90: money(a.days_61_90, &c),
            over_90: money(a.over_90, &c),
            overdue: money(a.overdue(), &c),
            total: money(a.total, &c),
            invoices: a.invoices,
            currency: c,
        }
    }
}

/// A customer's position in one currency.
#[derive(SimpleObject)]
pub struct CustomerBalance {
    pub currency: String,
    /// Open on issued invoices.
    pub open: Money,
    /// Of which past due.
    pub overdue: Money,
    /// Payments not yet allocated.
    pub credit: Money,
    /// Open less credit.
    pub balance: Money,
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

/// Filter of the order list.
#[derive(InputObject, Default)]
pub struct OrderFilterInput {
    /// Part of the number or the dealer's reference.
    pub search: Option<String>,
    pub kind: Option<OrderKind>,
    pub statuses: Option<Vec<OrderStatus>>,
    pub customer_id: Option<ID>,
    pub dealer_id: Option<ID>,
    pub quote_id: Option<ID>,
}

/// Filter of the invoice list.
#[derive(InputObject, Default)]
pub struct InvoiceFilterInput {
    /// Part of the number.
    pub search: Option<String>,
    pub kind: Option<InvoiceKind>,
    pub statuses: Option<Vec<InvoiceStatus>>,
    pub customer_id: Option<ID>,
    pub order_id: Option<ID>,
    /// Issued invoices with an amount open.
    pub open_only: Option<bool>,
    /// Open and past due.
    pub overdue_only: Option<bool>,
}

/// A new order entered directly.
#[derive(InputObject)]
pub struct CreateOrderInput {
    /// Default `SALES`.
    pub kind: Option<OrderKind>,
    /// The customer the goods are for (the dealer's end customer on a dealer's order).
    pub customer_id: ID,
    /// Required on a dealer's order: the ordering organisation.
    pub dealer_id: Option<ID>,
    /// Required on a dealer's order.
    pub dealer_reference: Option<String>,
    pub owner_id: Option<ID>,
    pub currency: Option<String>,
    pub notes: Option<String>,
    pub lines: Vec<QuoteLineInput>,
}

/// An order and its version.
#[derive(InputObject)]
pub struct OrderVersionInput {
    pub id: ID,
    pub version: i32,
}

/// A quantity of one line.
#[derive(InputObject)]
pub struct LineQuantityInput {
    pub line_id: ID,
    pub quantity: Decimal,
}

/// Deliveries of an order's lines; none given delivers everything outstanding.
#[derive(InputObject)]
pub struct RecordDeliveryInput {
    pub id: ID,
    pub version: i32,
    pub lines: Option<Vec<LineQuantityInput>>,
}

/// A new draft invoice from an order.
#[derive(InputObject)]
pub struct CreateInvoiceInput {
    pub order_id: ID,
    /// Default `OUTSTANDING`; ignored when `lines` is given.
    pub basis: Option<InvoiceBasis>,
    /// Chosen quantities of order lines.
    pub lines: Option<Vec<LineQuantityInput>>,
    /// Days from issue to due (default 30).
    pub payment_days: Option<i32>,
    pub notes: Option<String>,
}

/// Changes to a draft invoice.
#[derive(InputObject)]
pub struct UpdateInvoiceInput {
    pub id: ID,
    pub version: i32,
    pub payment_days: Option<i32>,
    /// An empty string clears it.
    pub notes: Option<String>,
}

/// An invoice and its version.
#[derive(InputObject)]
pub struct InvoiceVersionInput {
    pub id: ID,
    pub version: i32,
}

/// A credit note against an issued invoice; without `lines`, every line in full.
#[derive(InputObject)]
pub struct CreateCreditNoteInput {
    pub invoice_id: ID,
    /// The invoice's version.
    pub version: i32,
    pub lines: Option<Vec<LineQuantityInput>>,
    pub reason: String,
}

/// Part of a payment for one invoice.
#[derive(InputObject)]
pub struct AllocationInput {
    pub invoice_id: ID,
    pub amount: Decimal,
}

/// A payment received; without `allocations`, it settles the customer's open invoices in its
/// currency, oldest due first, and keeps the rest as credit.
#[derive(InputObject)]
pub struct RecordPaymentInput {
    pub customer_id: ID,
    pub amount: Decimal,
    pub currency: String,
    /// Default today.
    pub received_on: Option<String>,
    pub method: Option<PaymentMethod>,
    pub reference: Option<String>,
    pub allocations: Option<Vec<AllocationInput>>,
}

/// Allocates what a payment has left.
#[derive(InputObject)]
pub struct AllocatePaymentInput {
    pub id: ID,
    pub version: i32,
    pub allocations: Option<Vec<AllocationInput>>,
}

/// The order after a mutation.
#[derive(SimpleObject)]
pub struct OrderPayload {
    pub order: Order,
}

/// The invoice (or credit note) after a mutation.
#[derive(SimpleObject)]
pub struct InvoicePayload {
    pub invoice: Invoice,
}

/// The payment after a mutation.
#[derive(SimpleObject)]
pub struct PaymentPayload {
    pub payment: Payment,
}

/// The id of what a mutation deleted.
#[derive(SimpleObject)]
pub struct DeletedPayload {
    pub id: ID,
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
