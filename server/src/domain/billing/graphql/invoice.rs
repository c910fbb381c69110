//! Invoices, credit notes and their lines.

use super::*;

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
