//! GraphQL of the product catalogue, price lists and quotes: thin resolvers over the services.

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use entity::documents::{
    price_lists, products as product_rows, quote_lines, quote_revisions, quotes as quote_rows,
    tax_categories,
};
use uuid::Uuid;

use super::amounts;
use super::policy::{QuoteObject, PRODUCT_COST, QUOTE_AMOUNT, QUOTE_MARGIN};
use super::prices;
use super::products;
use super::quotes::{self, LineIn, QuoteStatus};
use crate::domain::accounts::graphql::{Money, MoneyInput};
use crate::domain::opportunities::graphql::Opportunity;
use crate::domain::parties::graphql::Party;
use crate::domain::parties::loaders::PartyLoader;
use crate::domain::parties::operations::party_id;
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::Aggregate;
use crate::kit::ids::{expect_global_id, optional_user_id, GlobalType};
use crate::kit::paging::{connection, prime, Loaded, Page, TotalCount};
use crate::kit::scalars::Decimal;
use crate::policy::{self, Action, FieldGuard};

mod catalogue;
mod enquiry;
mod quote;

pub use catalogue::*;
pub use enquiry::*;
pub use quote::*;

pub fn money(minor: i64, currency: &str) -> Money {
    Money {
        amount: Decimal(amounts::format_amount(minor, currency)),
        currency: currency.to_string(),
    }
}

fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("loading {what}: {e}"))
}

pub async fn party(ctx: &Context<'_>, id: Option<Uuid>) -> AppResult<Option<Party>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx
        .data::<Loaded<PartyLoader>>()?
        .load_one(id)
        .await
        .map_err(|e| internal("parties", e))?
        .map(Party::from_model))
}

pub async fn user(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<User>> {
    Ok(ctx
        .data::<Loaded<UserLoader>>()?
        .load_one(id)
        .await
        .map_err(|e| internal("users", e))?
        .map(User))
}

/// A page of quotes under the caller's scope, with customers and owners loaded in one batch each.
async fn quote_connection(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    filter: quotes::QuoteFilter,
) -> AppResult<Connection<String, Quote, TotalCount>> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    let page = Page::new(first, after)?;
    let (rows, more) = quotes::list(&state.db, req, &filter, &page).await?;
    let node = ctx.look_ahead().field("edges").field("node");
    prime::<PartyLoader>(
        ctx,
        node.field("customer").exists(),
        rows.iter().map(|q| q.customer_id),
    )
    .await?;
    prime::<UserLoader>(
        ctx,
        node.field("owner").exists(),
        rows.iter().map(|q| q.owner_id),
    )
    .await?;
    let (db, req2) = (state.db.clone(), req.clone());
    let total = TotalCount::lazy(move || {
        let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
        Box::pin(async move { quotes::count(&db, &req, &f).await })
    });
    Ok(connection(
        rows,
        page.after.is_some(),
        more,
        total,
        quotes::cursor,
        Quote,
    ))
}

fn opportunity_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "Opportunity", field)
}

/// Catalogue, price list and quote queries.
#[derive(Default)]
pub struct DocumentQuery;

#[Object]
impl DocumentQuery {
    /// Products by code.
    async fn products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Part of the code or name.")] search: Option<String>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> AppResult<Connection<String, Product, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let filter = products::ProductFilter {
            search,
            include_inactive,
        };
        let (rows, more) = products::list(&state.db, req, &filter, &page).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { products::count(&db, &req, &f).await })
        });
        Ok(connection(
            rows,
            page.after.is_some(),
            more,
            total,
            products::cursor,
            Product,
        ))
    }

    /// One product; `null` when it does not exist.
    async fn product(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Product>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = Product::decode(&id, "id")?;
        Ok(products::get(&state.db, req, uuid).await?.map(Product))
    }

    /// The tax categories products and lines may name.
    async fn tax_categories(&self, ctx: &Context<'_>) -> AppResult<Vec<TaxCategory>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        products::authorize_read(req)?;
        Ok(products::tax_categories(&state.db)
            .await?
            .into_iter()
            .map(TaxCategory::from)
            .collect())
    }

    /// Price lists, the default first; only one customer's when `customerId` is given.
    async fn price_lists(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<ID>,
    ) -> AppResult<Vec<PriceList>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let customer = customer_id
            .map(|id| party_id(&id, "customerId"))
            .transpose()?;
        Ok(prices::list(&state.db, req, customer)
            .await?
            .into_iter()
            .map(PriceList)
            .collect())
    }

    /// One price list.
    async fn price_list(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<PriceList>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = PriceList::decode(&id, "id")?;
        Ok(prices::get(&state.db, req, uuid).await?.map(PriceList))
    }

    /// The unit prices a new quote line would get for a customer in a currency today.
    async fn resolve_prices(
        &self,
        ctx: &Context<'_>,
        customer_id: ID,
        currency: String,
        product_ids: Vec<ID>,
    ) -> AppResult<Vec<ResolvedPrice>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        prices::authorize_read(req)?;
        let customer = crate::domain::parties::service::get(
            &state.db,
            req,
            party_id(&customer_id, "customerId")?,
        )
        .await?
        .ok_or_else(|| AppError::bad_input("customerId", "is not a customer you can see"))?;
        let currency = crate::domain::validation::currency("currency", &currency)
            .map_err(|e| AppError::BadInput(vec![e]))?;
        let ids = product_ids
            .iter()
            .enumerate()
            .map(|(i, id)| Product::decode(id, &format!("productIds.{i}")))
            .collect::<AppResult<Vec<_>>>()?;
        let catalogue = products::by_ids(&state.db, req, &ids).await?;
        let found = prices::resolve(
            &state.db,
            prices::PriceFor {
                customer: customer.id,
                customer_type: customer.customer_type.as_deref(),
                currency: &currency,
                on: quotes::today(),
            },
            &ids,
        )
        .await?;
        Ok(catalogue
            .into_iter()
            .filter_map(|p| {
                let (price, source) = found.get(&p.id)?;
                Some(ResolvedPrice {
                    unit_price: money(*price, &currency),
                    source: source.as_str().to_string(),
                    product: Product(p),
                })
            })
            .collect())
    }

    /// Quotes you may see, newest first.
    async fn quotes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        filter: Option<QuoteFilterInput>,
    ) -> AppResult<Connection<String, Quote, TotalCount>> {
        let f = filter.unwrap_or_default();
        let filter = quotes::QuoteFilter {
            search: f.search,
            statuses: f.statuses.unwrap_or_default(),
            customer_id: f
                .customer_id
                .map(|id| party_id(&id, "filter.customerId"))
                .transpose()?,
            opportunity_id: f
                .opportunity_id
                .map(|id| opportunity_id(&id, "filter.opportunityId"))
                .transpose()?,
            product_id: Product::decode_opt(f.product_id.as_ref(), "filter.productId")?,
        };
        quote_connection(ctx, first, after, filter).await
    }

    /// One quote; `null` when it does not exist or is not visible to you.
    async fn quote(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Quote>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = Quote::decode(&id, "id")?;
        Ok(quotes::get(&state.db, req, uuid).await?.map(Quote))
    }
}

/// Catalogue, price list and quote mutations.
#[derive(Default)]
pub struct DocumentMutation;

#[Object]
impl DocumentMutation {
    /// Adds a product to the catalogue.
    async fn create_product(
        &self,
        ctx: &Context<'_>,
        input: CreateProductInput,
    ) -> AppResult<ProductPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let m = products::create(
            state,
            req,
            products::ProductChanges {
                code: Some(input.code),
                name: Some(input.name),
                description: input.description,
                unit: input.unit,
                tax_category: input.tax_category,
                active: None,
                prices: money_in(input.prices),
                cost: input.cost.map(|c| Some(one_money_in(c))),
            },
        )
        .await?;
        Ok(ProductPayload {
            product: Product(m),
        })
    }

    /// Changes a product if `version` is current.
    async fn update_product(
        &self,
        ctx: &Context<'_>,
        input: UpdateProductInput,
    ) -> AppResult<ProductPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Product::decode(&input.id, "id")?;
        let cost = match input.cost {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(c) => Some(Some(one_money_in(c))),
        };
        let m = products::update(
            state,
            req,
            id,
            input.version,
            products::ProductChanges {
                code: input.code,
                name: input.name,
                description: input.description,
                unit: input.unit,
                tax_category: input.tax_category,
                active: input.active,
                prices: money_in(input.prices),
                cost,
            },
        )
        .await?;
        Ok(ProductPayload {
            product: Product(m),
        })
    }

    /// Adds a price list.
    async fn create_price_list(
        &self,
        ctx: &Context<'_>,
        input: CreatePriceListInput,
    ) -> AppResult<PriceListPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let customer = input
            .customer_id
            .map(|id| party_id(&id, "customerId"))
            .transpose()?;
        if let Some(c) = customer {
            if crate::domain::parties::service::get(&state.db, req, c)
                .await?
                .is_none()
            {
                return Err(AppError::bad_input(
                    "customerId",
                    "is not a customer you can see",
                ));
            }
        }
        let m = prices::create(
            state,
            req,
            prices::PriceListChanges {
                name: Some(input.name),
                currency: Some(input.currency),
                customer_id: Some(customer),
                customer_type: input.customer_type.map(Some),
                valid_from: input.valid_from,
                valid_to: input.valid_to,
                is_default: Some(input.is_default),
                active: None,
            },
        )
        .await?;
        Ok(PriceListPayload {
            price_list: PriceList(m),
        })
    }

    /// Changes a price list if `version` is current.
    async fn update_price_list(
        &self,
        ctx: &Context<'_>,
        input: UpdatePriceListInput,
    ) -> AppResult<PriceListPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = PriceList::decode(&input.id, "id")?;
        let customer_id = match input.customer_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(c) => {
                let c = party_id(&c, "customerId")?;
                if crate::domain::parties::service::get(&state.db, req, c)
                    .await?
                    .is_none()
                {
                    return Err(AppError::bad_input(
                        "customerId",
                        "is not a customer you can see",
                    ));
                }
                Some(Some(c))
            }
        };
        let customer_type = match input.customer_type {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(t) => Some(Some(t)),
        };
        let m = prices::update(
            state,
            req,
            id,
            input.version,
            prices::PriceListChanges {
                name: input.name,
                currency: input.currency,
                customer_id,
                customer_type,
                valid_from: input.valid_from,
                valid_to: input.valid_to,
                is_default: input.is_default,
                active: input.active,
            },
        )
        .await?;
        Ok(PriceListPayload {
            price_list: PriceList(m),
        })
    }

    /// Replaces every item of a price list.
    async fn set_price_list_items(
        &self,
        ctx: &Context<'_>,
        input: SetPriceListItemsInput,
    ) -> AppResult<PriceListPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = PriceList::decode(&input.id, "id")?;
        let items = input
            .items
            .into_iter()
            .enumerate()
            .map(|(i, it)| {
                Ok((
                    Product::decode(&it.product_id, &format!("items.{i}.productId"))?,
                    it.unit_price.0,
                ))
            })
            .collect::<AppResult<Vec<_>>>()?;
        let m = prices::set_items(state, req, id, input.version, items).await?;
        Ok(PriceListPayload {
            price_list: PriceList(m),
        })
    }

    /// Creates a draft quote (revision 1).
    async fn create_quote(
        &self,
        ctx: &Context<'_>,
        input: CreateQuoteInput,
    ) -> AppResult<QuotePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = quotes::QuoteChanges {
            title: input.title,
            customer_id: input
                .customer_id
                .map(|id| party_id(&id, "customerId"))
                .transpose()?,
            opportunity_id: input
                .opportunity_id
                .map(|id| opportunity_id(&id, "opportunityId"))
                .transpose()?,
            enquiry_id: input
                .enquiry_id
                .map(|id| Enquiry::decode(&id, "enquiryId"))
                .transpose()?,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            currency: input.currency,
            valid_until: input.valid_until,
            discount_percent: input.discount_percent.map(|d| d.0),
            notes: input.notes,
            terms: input.terms,
            lines: lines_in(input.lines)?,
        };
        let m = quotes::create(state, req, changes).await?;
        Ok(QuotePayload { quote: Quote(m) })
    }

    /// Changes a draft quote if `version` is current; a sent quote is refused (revise it).
    async fn update_quote(
        &self,
        ctx: &Context<'_>,
        input: UpdateQuoteInput,
    ) -> AppResult<QuotePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Quote::decode(&input.id, "id")?;
        let changes = quotes::QuoteChanges {
            title: input.title,
            customer_id: None,
            opportunity_id: None,
            enquiry_id: None,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            currency: input.currency,
            valid_until: input.valid_until,
            discount_percent: input.discount_percent.map(|d| d.0),
            notes: input.notes,
            terms: input.terms,
            lines: lines_in(input.lines)?,
        };
        let m = quotes::update(state, req, id, input.version, changes).await?;
        Ok(QuotePayload { quote: Quote(m) })
    }

    /// Sends a draft quote: its revision is frozen.
    async fn send_quote(
        &self,
        ctx: &Context<'_>,
        input: QuoteVersionInput,
    ) -> AppResult<QuotePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Quote::decode(&input.id, "id")?;
        let m = quotes::send(state, req, id, input.version).await?;
        Ok(QuotePayload { quote: Quote(m) })
    }

    /// Starts a new draft revision of a sent, expired or rejected quote.
    async fn revise_quote(
        &self,
        ctx: &Context<'_>,
        input: QuoteVersionInput,
    ) -> AppResult<QuotePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Quote::decode(&input.id, "id")?;
        let m = quotes::revise(state, req, id, input.version).await?;
        Ok(QuotePayload { quote: Quote(m) })
    }

    /// Records the customer's acceptance; may win the opportunity in the same transaction.
    async fn accept_quote(
        &self,
        ctx: &Context<'_>,
        input: AcceptQuoteInput,
    ) -> AppResult<QuotePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Quote::decode(&input.id, "id")?;
        let m = quotes::decide(
            state,
            req,
            id,
            input.version,
            quotes::Decision {
                accepted: true,
                note: input.note,
                win_opportunity: input.win_opportunity,
            },
        )
        .await?;
        Ok(QuotePayload { quote: Quote(m) })
    }

    /// Records the customer's rejection.
    async fn reject_quote(
        &self,
        ctx: &Context<'_>,
        input: RejectQuoteInput,
    ) -> AppResult<QuotePayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Quote::decode(&input.id, "id")?;
        let m = quotes::decide(
            state,
            req,
            id,
            input.version,
            quotes::Decision {
                accepted: false,
                note: input.note,
                win_opportunity: false,
            },
        )
        .await?;
        Ok(QuotePayload { quote: Quote(m) })
    }
}
