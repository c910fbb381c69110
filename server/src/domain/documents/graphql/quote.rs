//! Quotes, their revisions and lines.

use super::*;

/// A quote to a customer: its number, status and revisions.
#[derive(Clone)]
pub struct Quote(pub quote_rows::Model);

impl GlobalType for Quote {
    const TYPE_NAME: &'static str = "Quote";
}

#[Object]
impl Quote {
    /// Global id (type `Quote`).
    pub async fn id(&self) -> ID {
        Quote::global_id(self.0.id)
    }
    /// `Q-000123`, unique.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// As of today: a sent quote past its validity is `EXPIRED`.
    async fn status(&self) -> QuoteStatus {
        quotes::status_on(&self.0, quotes::today())
    }
    /// The current revision's number (1 for the first).
    async fn revision(&self) -> i32 {
        self.0.revision
    }
    /// The customer (`null` when you may not see them).
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, Some(self.0.customer_id)).await
    }
    /// The opportunity it quotes for (`null` when none or not visible to you).
    async fn opportunity(&self, ctx: &Context<'_>) -> AppResult<Option<Opportunity>> {
        let Some(id) = self.0.opportunity_id else {
            return Ok(None);
        };
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(
            crate::domain::opportunities::service::get(&state.db, req, id)
                .await?
                .map(Opportunity),
        )
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn valid_until(&self) -> NaiveDate {
        self.0.valid_until
    }
    /// The current revision's total before tax (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn net(&self) -> Money {
        money(self.0.net_minor, &self.0.currency)
    }
    /// The current revision's total with tax (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn total(&self) -> Money {
        money(self.0.total_minor, &self.0.currency)
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
    /// When the customer accepted or rejected it.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// The current revision.
    async fn current(&self, ctx: &Context<'_>) -> AppResult<QuoteRevision> {
        let state = crate::kit::resolve::state(ctx)?;
        quotes::current_revision(&state.db, &self.0)
            .await?
            .map(QuoteRevision)
            .ok_or_else(|| AppError::NotFound("the quote's revision is missing".into()))
    }
    /// Every revision, oldest first; sent ones never change.
    async fn revisions(&self, ctx: &Context<'_>) -> AppResult<Vec<QuoteRevision>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(quotes::revisions_of(&state.db, &[self.0.id])
            .await?
            .remove(&self.0.id)
            .unwrap_or_default()
            .into_iter()
            .map(QuoteRevision)
            .collect())
    }
    /// What the caller may do with it now.
    async fn can(&self, ctx: &Context<'_>) -> AppResult<QuoteActions> {
        let req = crate::kit::resolve::caller(ctx)?;
        let may_update = policy::check_reach(
            req,
            QuoteObject::OBJECT,
            Action::Update,
            Some(self.0.owner_id),
            "quote",
        )
        .is_ok();
        let status = quotes::status_on(&self.0, quotes::today());
        Ok(QuoteActions {
            edit: may_update && status == QuoteStatus::Draft,
            send: may_update && status == QuoteStatus::Draft,
            revise: may_update
                && matches!(
                    status,
                    QuoteStatus::Sent | QuoteStatus::Expired | QuoteStatus::Rejected
                ),
            accept: may_update && status == QuoteStatus::Sent,
            reject: may_update && matches!(status, QuoteStatus::Sent | QuoteStatus::Expired),
        })
    }
    /// The print view (HTML) for a bearer token: `GET` with `Authorization: Bearer …`.
    async fn print_path(&self) -> String {
        format!("/documents/quotes/{}.html", self.0.id)
    }
    /// The PDF for a bearer token.
    async fn pdf_path(&self) -> String {
        format!("/documents/quotes/{}.pdf", self.0.id)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The actions the caller may take on a quote now.
#[derive(SimpleObject)]
pub struct QuoteActions {
    pub edit: bool,
    pub send: bool,
    pub revise: bool,
    pub accept: bool,
    pub reject: bool,
}

/// One revision of a quote.
pub struct QuoteRevision(pub quote_revisions::Model);

#[Object]
impl QuoteRevision {
    async fn revision(&self) -> i32 {
        self.0.revision
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn valid_until(&self) -> NaiveDate {
        self.0.valid_until
    }
    /// The header discount, applied to every line (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn discount_percent(&self) -> Decimal {
        Decimal(amounts::format_percent(self.0.discount_bp))
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn terms(&self) -> Option<&str> {
        self.0.terms.as_deref()
    }
    /// Quantities × unit prices (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn gross(&self) -> Money {
        money(self.0.gross_minor, &self.0.currency)
    }
    /// Line and header discounts (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn discount(&self) -> Money {
        money(self.0.discount_minor, &self.0.currency)
    }
    /// Before tax (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn net(&self) -> Money {
        money(self.0.net_minor, &self.0.currency)
    }
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn tax(&self) -> Money {
        money(self.0.tax_minor, &self.0.currency)
    }
    /// Net plus tax: the sum of the lines' totals (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn total(&self) -> Money {
        money(self.0.total_minor, &self.0.currency)
    }
    /// Tax per category and rate (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn taxes(&self, ctx: &Context<'_>) -> AppResult<Vec<TaxLine>> {
        let lines = self.lines_of(ctx).await?;
        Ok(tax_lines(&lines, &self.0.currency))
    }
    /// Net less the cost of the lines whose product has a cost in this currency (guarded:
    /// `quote.margin`).
    #[graphql(guard = "FieldGuard::of(QUOTE_MARGIN)")]
    async fn margin(&self, ctx: &Context<'_>) -> AppResult<Option<Money>> {
        let lines = self.lines_of(ctx).await?;
        let costed: Vec<_> = lines.iter().filter(|l| l.cost_minor.is_some()).collect();
        if costed.is_empty() {
            return Ok(None);
        }
        let margin: i64 = costed
            .iter()
            .map(|l| l.net_minor - l.cost_minor.unwrap_or(0))
            .sum();
        Ok(Some(money(margin, &self.0.currency)))
    }
    async fn lines(&self, ctx: &Context<'_>) -> AppResult<Vec<QuoteLine>> {
        let currency = self.0.currency.clone();
        Ok(self
            .lines_of(ctx)
            .await?
            .into_iter()
            .map(|l| QuoteLine(l, currency.clone()))
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When this revision was sent (`null`: a draft, or superseded before sending).
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}

impl QuoteRevision {
    async fn lines_of(&self, ctx: &Context<'_>) -> AppResult<Vec<quote_lines::Model>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(quotes::lines_of(&state.db, &[self.0.id])
            .await?
            .remove(&self.0.id)
            .unwrap_or_default())
    }
}

/// Tax of one category and rate.
#[derive(SimpleObject)]
pub struct TaxLine {
    pub tax_category: String,
    pub rate_percent: Decimal,
    /// The net of the lines taxed at this rate.
    pub net: Money,
    pub tax: Money,
}

/// Tax lines per category and rate, in order of first appearance.
pub fn tax_lines(lines: &[quote_lines::Model], currency: &str) -> Vec<TaxLine> {
    let mut keys: Vec<(String, i32)> = Vec::new();
    for l in lines {
        let k = (l.tax_category.clone(), l.tax_rate_bp);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|(cat, rate)| {
            let of: Vec<_> = lines
                .iter()
                .filter(|l| l.tax_category == cat && l.tax_rate_bp == rate)
                .collect();
            TaxLine {
                tax_category: cat,
                rate_percent: Decimal(amounts::format_percent(rate)),
                net: money(of.iter().map(|l| l.net_minor).sum(), currency),
                tax: money(of.iter().map(|l| l.tax_minor).sum(), currency),
            }
        })
        .collect()
}

/// A line of a quote revision.
pub struct QuoteLine(pub quote_lines::Model, pub String);

#[Object]
impl QuoteLine {
    /// 0-based order.
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn product(&self, ctx: &Context<'_>) -> AppResult<Option<Product>> {
        let Some(id) = self.0.product_id else {
            return Ok(None);
        };
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(products::get(&state.db, req, id).await?.map(Product))
    }
    /// The product's code when the line was priced.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The customer's own specification (several lines).
    async fn specification(&self) -> Option<&str> {
        self.0.specification.as_deref()
    }
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    async fn quantity(&self) -> Decimal {
        Decimal(amounts::format_quantity(self.0.quantity_milli))
    }
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn unit_price(&self) -> Money {
        money(self.0.unit_price_minor, &self.1)
    }
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn discount_percent(&self) -> Decimal {
        Decimal(amounts::format_percent(self.0.discount_bp))
    }
    async fn tax_category(&self) -> &str {
        &self.0.tax_category
    }
    async fn tax_rate_percent(&self) -> Decimal {
        Decimal(amounts::format_percent(self.0.tax_rate_bp))
    }
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn gross(&self) -> Money {
        money(self.0.gross_minor, &self.1)
    }
    /// Line and header discount together.
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn discount(&self) -> Money {
        money(self.0.discount_minor, &self.1)
    }
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn net(&self) -> Money {
        money(self.0.net_minor, &self.1)
    }
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn tax(&self) -> Money {
        money(self.0.tax_minor, &self.1)
    }
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn total(&self) -> Money {
        money(self.0.total_minor, &self.1)
    }
    /// Net less the product's cost (guarded: `quote.margin`; `null` without a cost).
    #[graphql(guard = "FieldGuard::of(QUOTE_MARGIN)")]
    async fn margin(&self) -> Option<Money> {
        self.0
            .cost_minor
            .map(|c| money(self.0.net_minor - c, &self.1))
    }
}

/// A line as entered. With a product, the name, unit, tax category and unit price default to the
/// product's (the price resolved from the customer's price lists).
#[derive(InputObject)]
pub struct QuoteLineInput {
    pub product_id: Option<ID>,
    pub name: Option<String>,
    pub specification: Option<String>,
    pub unit: Option<String>,
    pub quantity: Decimal,
    /// In the quote's currency; needs `quote.amount`.
    pub unit_price: Option<Decimal>,
    /// 0 to 100; above 15 needs `quote.largeDiscount`.
    pub discount_percent: Option<Decimal>,
    pub tax_category: Option<String>,
}

/// A new draft quote: for a customer, or from an opportunity (its account, currency and name).
#[derive(InputObject)]
pub struct CreateQuoteInput {
    pub customer_id: Option<ID>,
    pub opportunity_id: Option<ID>,
    /// Quote an open enquiry: its customer, currency and lines (product lines priced again from
    /// the price lists); the enquiry reads quoted.
    pub enquiry_id: Option<ID>,
    pub title: Option<String>,
    pub owner_id: Option<ID>,
    pub currency: Option<String>,
    /// Default: 30 days from today.
    pub valid_until: Option<String>,
    pub discount_percent: Option<Decimal>,
    pub notes: Option<String>,
    pub terms: Option<String>,
    pub lines: Option<Vec<QuoteLineInput>>,
}

/// Changes to a draft quote; `lines` replaces every line.
#[derive(InputObject)]
pub struct UpdateQuoteInput {
    pub id: ID,
    pub version: i32,
    pub title: Option<String>,
    pub owner_id: Option<ID>,
    pub currency: Option<String>,
    pub valid_until: Option<String>,
    pub discount_percent: Option<Decimal>,
    /// An empty string clears it.
    pub notes: Option<String>,
    /// An empty string clears it.
    pub terms: Option<String>,
    pub lines: Option<Vec<QuoteLineInput>>,
}

/// A quote and its version, for send and revise.
#[derive(InputObject)]
pub struct QuoteVersionInput {
    pub id: ID,
    pub version: i32,
}

/// The customer accepted the sent quote.
#[derive(InputObject)]
pub struct AcceptQuoteInput {
    pub id: ID,
    pub version: i32,
    pub note: Option<String>,
    /// Also set the quote's opportunity won with the quote's net amount (same transaction).
    #[graphql(default = false)]
    pub win_opportunity: bool,
}

/// The customer rejected the sent quote.
#[derive(InputObject)]
pub struct RejectQuoteInput {
    pub id: ID,
    pub version: i32,
    pub note: Option<String>,
}

/// The quote after a mutation.
#[derive(SimpleObject)]
pub struct QuotePayload {
    pub quote: Quote,
}

/// Filter of the quote list.
#[derive(InputObject, Default)]
pub struct QuoteFilterInput {
    /// Number, title, customer name or code, or a line's product code or name.
    pub search: Option<String>,
    pub statuses: Option<Vec<QuoteStatus>>,
    pub customer_id: Option<ID>,
    pub opportunity_id: Option<ID>,
    pub product_id: Option<ID>,
}

pub fn lines_in(list: Option<Vec<QuoteLineInput>>) -> AppResult<Option<Vec<LineIn>>> {
    list.map(|l| {
        l.into_iter()
            .enumerate()
            .map(|(i, l)| {
                Ok(LineIn {
                    product_id: Product::decode_opt(
                        l.product_id.as_ref(),
                        &format!("lines.{i}.productId"),
                    )?,
                    name: l.name,
                    specification: l.specification,
                    unit: l.unit,
                    quantity: l.quantity.0,
                    unit_price: l.unit_price.map(|d| d.0),
                    discount_percent: l.discount_percent.map(|d| d.0),
                    tax_category: l.tax_category,
                })
            })
            .collect()
    })
    .transpose()
}
