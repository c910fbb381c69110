//! Enquiries and their lines.

use super::*;
use crate::domain::documents::enquiries::{self, EnquiryChannel, EnquiryStatus};
use entity::documents::{enquiries as enquiry_rows, enquiry_lines};

/// What a customer asked for.
#[derive(Clone)]
pub struct Enquiry(pub enquiry_rows::Model);

impl GlobalType for Enquiry {
    const TYPE_NAME: &'static str = "Enquiry";
}

#[Object]
impl Enquiry {
    /// Global id (type `Enquiry`).
    pub async fn id(&self) -> ID {
        Enquiry::global_id(self.0.id)
    }
    /// `ENQ-000123`.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn enquiry_date(&self) -> NaiveDate {
        self.0.enquiry_date
    }
    async fn channel(&self) -> EnquiryChannel {
        EnquiryChannel::parse(&self.0.channel).unwrap_or(EnquiryChannel::Email)
    }
    async fn status(&self) -> EnquiryStatus {
        EnquiryStatus::parse(&self.0.status).unwrap_or(EnquiryStatus::Open)
    }
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, Some(self.0.customer_id)).await
    }
    /// The address given with the enquiry (several lines).
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn delivery_period(&self) -> Option<&str> {
        self.0.delivery_period.as_deref()
    }
    async fn payment_terms(&self) -> Option<&str> {
        self.0.payment_terms.as_deref()
    }
    /// Days within which the customer wants the quotation.
    async fn quotation_lead_days(&self) -> Option<i32> {
        self.0.quotation_lead_days
    }
    /// The day the quotation is wanted by.
    async fn quotation_wanted_by(&self) -> Option<NaiveDate> {
        enquiries::wanted_by(&self.0)
    }
    async fn delivery_point(&self) -> Option<&str> {
        self.0.delivery_point.as_deref()
    }
    async fn remarks(&self) -> Option<&str> {
        self.0.remarks.as_deref()
    }
    /// The lines' net total (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn net(&self) -> Money {
        money(self.0.net_minor, &self.0.currency)
    }
    async fn lines(&self, ctx: &Context<'_>) -> AppResult<Vec<EnquiryLine>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(enquiries::lines(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(|l| EnquiryLine(l, self.0.currency.clone()))
            .collect())
    }
    /// The quote made from it (`null` when none or not visible to you).
    async fn quote(&self, ctx: &Context<'_>) -> AppResult<Option<Quote>> {
        let Some(id) = self.0.quote_id else {
            return Ok(None);
        };
        let (state, req) = crate::kit::resolve::request(ctx)?;
        if policy::authorize(req, QuoteObject::OBJECT, Action::Read).is_err() {
            return Ok(None);
        }
        Ok(quotes::get(&state.db, req, id).await?.map(Quote))
    }
    /// Whether the caller may change, close or quote it now.
    async fn can_edit(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let req = crate::kit::resolve::caller(ctx)?;
        Ok(self.0.status == EnquiryStatus::Open.as_str()
            && policy::check_reach(
                req,
                "enquiry",
                Action::Update,
                Some(self.0.owner_id),
                "enquiry",
            )
            .is_ok())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A line of an enquiry.
pub struct EnquiryLine(pub enquiry_lines::Model, pub String);

#[Object]
impl EnquiryLine {
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
    /// The product's code.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The customer's own specification.
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
    /// Net plus tax (guarded: `quote.amount`).
    #[graphql(guard = "FieldGuard::of(QUOTE_AMOUNT)")]
    async fn total(&self) -> Money {
        money(self.0.total_minor, &self.1)
    }
}

/// Filter of the enquiry list.
#[derive(InputObject, Default)]
pub struct EnquiryFilterInput {
    /// Part of the number.
    pub search: Option<String>,
    pub statuses: Option<Vec<EnquiryStatus>>,
    pub customer_id: Option<ID>,
    pub product_id: Option<ID>,
}

/// A new enquiry.
#[derive(InputObject)]
pub struct CreateEnquiryInput {
    pub customer_id: ID,
    pub channel: EnquiryChannel,
    /// Default today.
    pub enquiry_date: Option<String>,
    pub owner_id: Option<ID>,
    pub address: Option<String>,
    pub currency: Option<String>,
    pub delivery_period: Option<String>,
    pub payment_terms: Option<String>,
    pub quotation_lead_days: Option<i32>,
    pub delivery_point: Option<String>,
    pub remarks: Option<String>,
    pub lines: Option<Vec<QuoteLineInput>>,
}

/// Changes to an open enquiry; `lines` replaces every line; an empty string clears a text.
#[derive(InputObject)]
pub struct UpdateEnquiryInput {
    pub id: ID,
    pub version: i32,
    pub channel: Option<EnquiryChannel>,
    pub enquiry_date: Option<String>,
    pub owner_id: Option<ID>,
    pub address: Option<String>,
    pub currency: Option<String>,
    pub delivery_period: Option<String>,
    pub payment_terms: Option<String>,
    pub quotation_lead_days: Option<i32>,
    pub delivery_point: Option<String>,
    pub remarks: Option<String>,
    pub lines: Option<Vec<QuoteLineInput>>,
}

/// An enquiry and its version.
#[derive(InputObject)]
pub struct EnquiryVersionInput {
    pub id: ID,
    pub version: i32,
}

/// The enquiry after a mutation.
#[derive(SimpleObject)]
pub struct EnquiryPayload {
    pub enquiry: Enquiry,
}

/// Enquiry queries.
#[derive(Default)]
pub struct EnquiryQuery;

#[Object]
impl EnquiryQuery {
    /// Enquiries you may see, newest first.
    async fn enquiries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        filter: Option<EnquiryFilterInput>,
    ) -> AppResult<Connection<String, Enquiry, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = enquiries::EnquiryFilter {
            search: f.search,
            statuses: f.statuses.unwrap_or_default(),
            customer_id: f
                .customer_id
                .map(|id| party_id(&id, "filter.customerId"))
                .transpose()?,
            product_id: Product::decode_opt(f.product_id.as_ref(), "filter.productId")?,
        };
        let (rows, more) = enquiries::list(&state.db, req, &filter, &page).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { enquiries::count(&db, &req, &f).await })
        });
        Ok(connection(
            rows,
            page.after.is_some(),
            more,
            total,
            enquiries::cursor,
            Enquiry,
        ))
    }

    /// One enquiry.
    async fn enquiry(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Enquiry>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = Enquiry::decode(&id, "id")?;
        Ok(enquiries::get(&state.db, req, uuid).await?.map(Enquiry))
    }
}

/// Enquiry mutations.
#[derive(Default)]
pub struct EnquiryMutation;

#[Object]
impl EnquiryMutation {
    /// Records an enquiry.
    async fn create_enquiry(
        &self,
        ctx: &Context<'_>,
        input: CreateEnquiryInput,
    ) -> AppResult<EnquiryPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let m = enquiries::create(
            state,
            req,
            enquiries::EnquiryChanges {
                customer_id: Some(party_id(&input.customer_id, "customerId")?),
                owner_id: optional_user_id(input.owner_id, "ownerId")?,
                channel: Some(input.channel),
                enquiry_date: input.enquiry_date,
                address: input.address,
                currency: input.currency,
                delivery_period: input.delivery_period,
                payment_terms: input.payment_terms,
                quotation_lead_days: input.quotation_lead_days,
                delivery_point: input.delivery_point,
                remarks: input.remarks,
                lines: lines_in(input.lines)?,
            },
        )
        .await?;
        Ok(EnquiryPayload {
            enquiry: Enquiry(m),
        })
    }

    /// Changes an open enquiry.
    async fn update_enquiry(
        &self,
        ctx: &Context<'_>,
        input: UpdateEnquiryInput,
    ) -> AppResult<EnquiryPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Enquiry::decode(&input.id, "id")?;
        let m = enquiries::update(
            state,
            req,
            id,
            input.version,
            enquiries::EnquiryChanges {
                customer_id: None,
                owner_id: optional_user_id(input.owner_id, "ownerId")?,
                channel: input.channel,
                enquiry_date: input.enquiry_date,
                address: input.address,
                currency: input.currency,
                delivery_period: input.delivery_period,
                payment_terms: input.payment_terms,
                quotation_lead_days: input.quotation_lead_days,
                delivery_point: input.delivery_point,
                remarks: input.remarks,
                lines: lines_in(input.lines)?,
            },
        )
        .await?;
        Ok(EnquiryPayload {
            enquiry: Enquiry(m),
        })
    }

    /// Closes an open enquiry without a quote.
    async fn close_enquiry(
        &self,
        ctx: &Context<'_>,
        input: EnquiryVersionInput,
    ) -> AppResult<EnquiryPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Enquiry::decode(&input.id, "id")?;
        let m = enquiries::close(state, req, id, input.version).await?;
        Ok(EnquiryPayload {
            enquiry: Enquiry(m),
        })
    }
}
