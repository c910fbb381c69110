//! Payments, their allocations, the ageing and a customer's balance.

use super::*;

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
