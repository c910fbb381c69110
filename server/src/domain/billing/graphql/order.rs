//! Orders and their lines.

use super::*;

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
