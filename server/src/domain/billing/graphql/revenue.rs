//! The revenue report: each part is computed only when it is selected.

use super::*;
use crate::domain::billing::revenue::{self, RevenueScope};
use crate::domain::documents::products;
use crate::domain::forecasts::periods::PeriodKind;
use crate::domain::validation as v;
use chrono::{Datelike, Months};

/// What a revenue report covers. Without dates: the last twelve months, this one included.
#[derive(InputObject, Default)]
pub struct RevenueFilterInput {
    /// First issue date (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Last issue date (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// Periods of the fiscal year (default `MONTH`).
    pub group_by: Option<PeriodKind>,
    /// One customer's revenue.
    pub customer_id: Option<ID>,
    /// One currency (ISO code) only.
    pub currency: Option<String>,
}

/// The filter as a scope; errors name the field (`filter.from`, …).
pub async fn revenue_scope(
    db: &impl sea_orm::ConnectionTrait,
    f: RevenueFilterInput,
) -> AppResult<RevenueScope> {
    let mut errors = Vec::new();
    let mut date =
        |field: &str, s: &Option<String>| match v::date(field, s.as_deref().unwrap_or("")) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
    let from = date("filter.from", &f.from);
    let to = date("filter.to", &f.to);
    let customer = match f.customer_id.map(|id| party_id(&id, "filter.customerId")) {
        Some(Ok(id)) => Some(id),
        Some(Err(AppError::BadInput(e))) => {
            errors.extend(e);
            None
        }
        Some(Err(e)) => return Err(e),
        None => None,
    };
    let currency = f.currency.map(|c| c.trim().to_ascii_uppercase());
    if let Some(c) = &currency {
        if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(crate::error::FieldError::new(
                "filter.currency",
                "must be a three-letter currency code such as EUR",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::BadInput(errors));
    }
    let to = to.unwrap_or_else(today);
    let from = from.unwrap_or_else(|| {
        let start = to.with_day(1).unwrap_or(to);
        start.checked_sub_months(Months::new(11)).unwrap_or(start)
    });
    let fy = crate::domain::forecasts::service::fiscal_start(db).await?;
    RevenueScope::new(
        from,
        to,
        f.group_by.unwrap_or(PeriodKind::Month),
        fy,
        customer,
        currency,
    )
    .map_err(|e| match e {
        AppError::BadInput(list) => AppError::BadInput(
            list.into_iter()
                .map(|e| crate::error::FieldError::new(format!("filter.{}", e.field), e.message))
                .collect(),
        ),
        e => e,
    })
}

/// `top` checked: 1 to 100, default 10.
pub fn top_arg(top: Option<i32>) -> AppResult<u64> {
    match top {
        None => Ok(10),
        Some(n) if (1..=revenue::MAX_TOP as i32).contains(&n) => Ok(n as u64),
        Some(_) => Err(AppError::bad_input(
            "top",
            format!("must be between 1 and {}", revenue::MAX_TOP),
        )),
    }
}

/// Revenue from issued invoices less credit notes, over the invoices you may read.
pub struct RevenueReport(pub RevenueScope);

#[Object]
impl RevenueReport {
    async fn from(&self) -> NaiveDate {
        self.0.from
    }
    async fn to(&self) -> NaiveDate {
        self.0.to
    }
    async fn group_by(&self) -> PeriodKind {
        self.0.group
    }
    /// Net revenue per period and currency; every period of the range, zero when nothing was
    /// invoiced.
    async fn periods(&self, ctx: &Context<'_>) -> AppResult<Vec<RevenuePeriod>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(revenue::by_period(&state.db, req, &self.0)
            .await?
            .into_iter()
            .map(RevenuePeriod)
            .collect())
    }
    /// The customers with the most net revenue, largest first.
    async fn top_customers(
        &self,
        ctx: &Context<'_>,
        top: Option<i32>,
    ) -> AppResult<Vec<CustomerRevenue>> {
        let top = top_arg(top)?;
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(revenue::top_customers(&state.db, req, &self.0, top)
            .await?
            .into_iter()
            .map(CustomerRevenue)
            .collect())
    }
    /// Purchase trends: the customers whose net revenue moved most against the range just before
    /// (as many days), growing first.
    async fn trends(&self, ctx: &Context<'_>, top: Option<i32>) -> AppResult<Vec<CustomerTrend>> {
        let top = top_arg(top)?;
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(revenue::trends(&state.db, req, &self.0, top)
            .await?
            .into_iter()
            .map(CustomerTrend)
            .collect())
    }
    /// The range the trends compare with.
    async fn previous_from(&self) -> NaiveDate {
        self.0.previous().0
    }
    async fn previous_to(&self) -> NaiveDate {
        self.0.previous().1
    }
    /// The products (and free-text lines) with the most net revenue, largest first.
    async fn top_products(
        &self,
        ctx: &Context<'_>,
        top: Option<i32>,
    ) -> AppResult<Vec<ProductRevenue>> {
        let top = top_arg(top)?;
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(revenue::top_products(&state.db, req, &self.0, top)
            .await?
            .into_iter()
            .map(ProductRevenue)
            .collect())
    }
}

/// Revenue of one period in one currency.
pub struct RevenuePeriod(pub revenue::PeriodRevenue);

#[Object]
impl RevenuePeriod {
    /// First day of the period.
    async fn start(&self) -> Option<NaiveDate> {
        self.0.period.map(|p| p.start)
    }
    /// Last day of the period.
    async fn end(&self) -> Option<NaiveDate> {
        self.0.period.map(|p| p.end())
    }
    /// "Jul 2026" for a month; "FY2026 Q3", "FY2026" for quarters and years.
    async fn label(&self) -> String {
        period_label(&self.0)
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Net of tax, less credit notes.
    async fn net(&self) -> Money {
        money(self.0.net, &self.0.currency)
    }
    /// With tax, less credit notes.
    async fn gross(&self) -> Money {
        money(self.0.gross, &self.0.currency)
    }
    async fn invoices(&self) -> i64 {
        self.0.invoices
    }
    async fn credit_notes(&self) -> i64 {
        self.0.credit_notes
    }
}

/// A period's label as the report shows it.
pub fn period_label(r: &revenue::PeriodRevenue) -> String {
    match r.period {
        Some(p) if p.kind == PeriodKind::Month => p.start.format("%b %Y").to_string(),
        Some(p) => p.label(),
        None => String::new(),
    }
}

/// A customer's net revenue in one currency.
pub struct CustomerRevenue(pub revenue::CustomerRevenue);

#[Object]
impl CustomerRevenue {
    /// `null` when you may not see the customer.
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, Some(self.0.customer)).await
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn net(&self) -> Money {
        money(self.0.net, &self.0.currency)
    }
    async fn invoices(&self) -> i64 {
        self.0.invoices
    }
    /// Percentage of the currency's net revenue in the report (one decimal).
    async fn share(&self) -> Option<f64> {
        (self.0.of_total > 0)
            .then(|| (self.0.net as f64 * 1000.0 / self.0.of_total as f64).round() / 10.0)
    }
}

/// A customer's purchases in the range against the range before.
pub struct CustomerTrend(pub revenue::CustomerTrend);

#[Object]
impl CustomerTrend {
    /// `null` when you may not see the customer.
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, Some(self.0.customer)).await
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Net revenue in the report's range.
    async fn current(&self) -> Money {
        money(self.0.current, &self.0.currency)
    }
    /// Net revenue in the range before.
    async fn previous(&self) -> Money {
        money(self.0.previous, &self.0.currency)
    }
    async fn change(&self) -> Money {
        money(self.0.change(), &self.0.currency)
    }
    /// The change against the range before, in percent (one decimal); `null` when that range had
    /// nothing.
    async fn change_percent(&self) -> Option<f64> {
        self.0.change_percent().map(|p| (p * 10.0).round() / 10.0)
    }
}

/// A product's sales in one currency.
pub struct ProductRevenue(pub revenue::ProductRevenue);

#[Object]
impl ProductRevenue {
    /// `null` for a free-text line or a product you may not see.
    async fn product(&self, ctx: &Context<'_>) -> AppResult<Option<Product>> {
        let Some(id) = self.0.product else {
            return Ok(None);
        };
        let (state, req) = crate::kit::resolve::request(ctx)?;
        if products::authorize_read(req).is_err() {
            return Ok(None);
        }
        Ok(products::get(&state.db, req, id).await?.map(Product))
    }
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Units sold less units credited.
    async fn quantity(&self) -> Decimal {
        qty(self.0.quantity_milli)
    }
    async fn net(&self) -> Money {
        money(self.0.net, &self.0.currency)
    }
}
