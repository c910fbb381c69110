//! Products, tax categories and price lists.

use super::*;

/// A product or service that quotes sell.
#[derive(Clone)]
pub struct Product(pub product_rows::Model);

impl GlobalType for Product {
    const TYPE_NAME: &'static str = "Product";
}

#[Object]
impl Product {
    /// Global id (type `Product`).
    pub async fn id(&self) -> ID {
        Product::global_id(self.0.id)
    }
    /// Unique code (upper case).
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Several lines of text.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Unit of measure (`each`, `hour`, `kg`, …).
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    /// The code of its tax category.
    async fn tax_category(&self) -> &str {
        &self.0.tax_category
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    /// The list price in each currency it is sold in.
    async fn prices(&self, ctx: &Context<'_>) -> AppResult<Vec<Money>> {
        let state = crate::kit::resolve::state(ctx)?;
        Ok(products::prices_of(&state.db, &[self.0.id])
            .await?
            .remove(&self.0.id)
            .unwrap_or_default()
            .into_iter()
            .map(|p| money(p.unit_price_minor, &p.currency))
            .collect())
    }
    /// Cost per unit (guarded: `product.cost`).
    #[graphql(guard = "FieldGuard::of(PRODUCT_COST)")]
    async fn cost(&self) -> Option<Money> {
        match (self.0.cost_minor, &self.0.cost_currency) {
            (Some(c), Some(cur)) => Some(money(c, cur)),
            _ => None,
        }
    }
    /// Quotes with this product on a line (any revision), newest first.
    async fn quotes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, Quote, TotalCount>> {
        quote_connection(
            ctx,
            first,
            after,
            quotes::QuoteFilter {
                product_id: Some(self.0.id),
                ..Default::default()
            },
        )
        .await
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A tax category and its rate.
#[derive(SimpleObject)]
pub struct TaxCategory {
    pub code: String,
    pub name: String,
    /// The rate as a percentage (`"20"`).
    pub rate_percent: Decimal,
}

impl From<tax_categories::Model> for TaxCategory {
    fn from(m: tax_categories::Model) -> Self {
        TaxCategory {
            code: m.code,
            name: m.name,
            rate_percent: Decimal(amounts::format_percent(m.rate_bp)),
        }
    }
}

/// A price list in one currency: the default one, one for a customer type, or one customer's.
#[derive(Clone)]
pub struct PriceList(pub price_lists::Model);

impl GlobalType for PriceList {
    const TYPE_NAME: &'static str = "PriceList";
}

/// A product's price on a price list.
#[derive(SimpleObject)]
pub struct PriceListItem {
    pub product: Product,
    pub unit_price: Money,
}

#[Object]
impl PriceList {
    /// Global id (type `PriceList`).
    pub async fn id(&self) -> ID {
        PriceList::global_id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// The customer it is for (`null` for other lists, or when you may not see the customer).
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, self.0.customer_id).await
    }
    /// `B2B` or `B2C` for a list of a customer type.
    async fn customer_type(&self) -> Option<&str> {
        self.0.customer_type.as_deref()
    }
    async fn valid_from(&self) -> Option<NaiveDate> {
        self.0.valid_from
    }
    async fn valid_to(&self) -> Option<NaiveDate> {
        self.0.valid_to
    }
    /// The list for every customer without a list of their own.
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    /// Its products and prices, by product code.
    async fn items(&self, ctx: &Context<'_>) -> AppResult<Vec<PriceListItem>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let items = prices::items_of(&state.db, &[self.0.id])
            .await?
            .remove(&self.0.id)
            .unwrap_or_default();
        let ids: Vec<Uuid> = items.iter().map(|i| i.product_id).collect();
        let mut catalogue = products::by_ids(&state.db, req, &ids).await?;
        catalogue.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(catalogue
            .into_iter()
            .filter_map(|p| {
                let item = items.iter().find(|i| i.product_id == p.id)?;
                Some(PriceListItem {
                    unit_price: money(item.unit_price_minor, &self.0.currency),
                    product: Product(p),
                })
            })
            .collect())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A product's unit price for a customer, and where it came from.
#[derive(SimpleObject)]
pub struct ResolvedPrice {
    pub product: Product,
    pub unit_price: Money,
    /// `CUSTOMER_LIST`, `CUSTOMER_TYPE_LIST`, `DEFAULT_LIST` or `PRODUCT_PRICE`.
    pub source: String,
}

/// A new product.
#[derive(InputObject)]
pub struct CreateProductInput {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// Default `each`.
    pub unit: Option<String>,
    /// Default `STANDARD`.
    pub tax_category: Option<String>,
    /// One list price per currency.
    pub prices: Option<Vec<MoneyInput>>,
    /// Needs `product.cost`.
    pub cost: Option<MoneyInput>,
}

/// Changes to a product (absent fields stay; `prices` replaces them all).
#[derive(InputObject)]
pub struct UpdateProductInput {
    pub id: ID,
    pub version: i32,
    pub code: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub tax_category: Option<String>,
    pub active: Option<bool>,
    pub prices: Option<Vec<MoneyInput>>,
    /// `null` clears it; needs `product.cost`.
    pub cost: MaybeUndefined<MoneyInput>,
}

/// The product after a mutation.
#[derive(SimpleObject)]
pub struct ProductPayload {
    pub product: Product,
}

/// A new price list.
#[derive(InputObject)]
pub struct CreatePriceListInput {
    pub name: String,
    pub currency: String,
    /// A customer's own list (a person or an organisation).
    pub customer_id: Option<ID>,
    /// `B2B` or `B2C`: the list of a customer type.
    pub customer_type: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    #[graphql(default = false)]
    pub is_default: bool,
}

/// Changes to a price list.
#[derive(InputObject)]
pub struct UpdatePriceListInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub currency: Option<String>,
    pub customer_id: MaybeUndefined<ID>,
    pub customer_type: MaybeUndefined<String>,
    /// An empty string clears it.
    pub valid_from: Option<String>,
    /// An empty string clears it.
    pub valid_to: Option<String>,
    pub is_default: Option<bool>,
    pub active: Option<bool>,
}

/// A product's price on a list.
#[derive(InputObject)]
pub struct PriceListItemInput {
    pub product_id: ID,
    /// In the list's currency.
    pub unit_price: Decimal,
}

/// Replaces every item of a price list.
#[derive(InputObject)]
pub struct SetPriceListItemsInput {
    pub id: ID,
    pub version: i32,
    pub items: Vec<PriceListItemInput>,
}

/// The price list after a mutation.
#[derive(SimpleObject)]
pub struct PriceListPayload {
    pub price_list: PriceList,
}

pub(super) fn money_in(list: Option<Vec<MoneyInput>>) -> Option<Vec<products::MoneyIn>> {
    list.map(|l| {
        l.into_iter()
            .map(|m| products::MoneyIn {
                amount: m.amount.0,
                currency: m.currency,
            })
            .collect()
    })
}

pub(super) fn one_money_in(m: MoneyInput) -> products::MoneyIn {
    products::MoneyIn {
        amount: m.amount.0,
        currency: m.currency,
    }
}
