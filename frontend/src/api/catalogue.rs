//! The catalogue's editing: one product with its cost, and price lists with their items.

use crate::api::accounts::Money;
use crate::api::documents::TaxCategory;
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::leads::Named;
use crate::api::{fetch_node, request, ApiError};
use serde_json::{json, Value};

/// A product with everything its page edits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProductDetail {
    /// Opaque global id.
    pub id: String,
    /// Unique code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Several lines.
    pub description: Option<String>,
    /// Unit of measure.
    pub unit: String,
    /// Tax category code.
    pub tax_category: String,
    /// Sold today.
    pub active: bool,
    /// List price per currency.
    pub prices: Vec<Money>,
    /// Cost per unit (with the `product.cost` grant).
    pub cost: Option<Money>,
    /// Optimistic-lock version.
    pub version: i64,
}

impl FromJson for ProductDetail {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            code: json::text(v, "code"),
            name: json::text(v, "name"),
            description: json::opt_text(v, "description"),
            unit: json::text(v, "unit"),
            tax_category: json::text(v, "taxCategory"),
            active: json::flag(v, "active"),
            prices: json::list(v, "prices"),
            cost: json::object(v, "cost"),
            version: json::int(v, "version"),
        }
    }
}

/// The document of [`product`]; the cost only with `cost`.
pub(crate) fn product_query(cost: bool) -> String {
    format!(
        "query Product($id: ID!) {{ product(id: $id) {{ id code name description unit taxCategory \
         active version prices {{ amount currency }}{} }} }}",
        if cost {
            " cost { amount currency }"
        } else {
            ""
        }
    )
}

/// One product.
pub async fn product(id: &str, cost: bool) -> Result<Option<ProductDetail>, ApiError> {
    let node = fetch_node(&product_query(cost), json!({ "id": id }), "product").await?;
    Ok(node.map(|(v, _)| ProductDetail::from_json(&v)))
}

/// The document of [`tax_categories`].
pub(crate) const TAX_QUERY: &str =
    "query TaxCategories { taxCategories { code name ratePercent } }";

/// The tax categories a product may name.
pub async fn tax_categories() -> Result<Vec<TaxCategory>, ApiError> {
    Ok(json::list(
        &request(TAX_QUERY, json!({})).await?,
        "taxCategories",
    ))
}

/// A product's price on a list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    /// The product's id.
    pub product_id: String,
    /// Its code and name.
    pub product: String,
    /// Unit price in the list's currency.
    pub price: String,
}

impl FromJson for Item {
    fn from_json(v: &Value) -> Self {
        let p = &v["product"];
        Self {
            product_id: json::text(p, "id"),
            product: format!("{} {}", json::text(p, "code"), json::text(p, "name")),
            price: json::text(&v["unitPrice"], "amount"),
        }
    }
}

/// A price list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriceList {
    /// Opaque global id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Currency code.
    pub currency: String,
    /// The customer it is for.
    pub customer: Option<Named>,
    /// `B2B` or `B2C`.
    pub customer_type: Option<String>,
    /// First day.
    pub valid_from: Option<String>,
    /// Last day.
    pub valid_to: Option<String>,
    /// For every customer without their own list.
    pub is_default: bool,
    /// In use.
    pub active: bool,
    /// Its products and prices (on the list's page only).
    pub items: Vec<Item>,
    /// Optimistic-lock version.
    pub version: i64,
}

impl FromJson for PriceList {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            currency: json::text(v, "currency"),
            customer: json::object(v, "customer"),
            customer_type: json::opt_text(v, "customerType"),
            valid_from: json::opt_text(v, "validFrom"),
            valid_to: json::opt_text(v, "validTo"),
            is_default: json::flag(v, "isDefault"),
            active: json::flag(v, "active"),
            items: json::list(v, "items"),
            version: json::int(v, "version"),
        }
    }
}

const LIST_FIELDS: &str =
    "id name currency customerType validFrom validTo isDefault active version \
    customer { ... on Person { id displayName } ... on Organization { id displayName } }";

/// The document of [`price_lists`].
pub(crate) fn price_lists_query() -> String {
    format!("query PriceLists {{ priceLists {{ {LIST_FIELDS} }} }}")
}

/// Every price list, the default first.
pub async fn price_lists() -> Result<Vec<PriceList>, ApiError> {
    Ok(json::list(
        &request(&price_lists_query(), json!({})).await?,
        "priceLists",
    ))
}

/// The document of [`price_list`].
pub(crate) fn price_list_query() -> String {
    format!(
        "query PriceList($id: ID!) {{ priceList(id: $id) {{ {LIST_FIELDS} \
         items {{ product {{ id code name }} unitPrice {{ amount }} }} }} }}"
    )
}

/// One price list with its items.
pub async fn price_list(id: &str) -> Result<Option<PriceList>, ApiError> {
    let node = fetch_node(&price_list_query(), json!({ "id": id }), "priceList").await?;
    Ok(node.map(|(v, _)| PriceList::from_json(&v)))
}

input_mutations! {
    /// The catalogue's mutations; each answers with the id and version of what it wrote.
    pub CatalogueWrite {
        CreateProduct = "createProduct", "CreateProductInput";
        UpdateProduct = "updateProduct", "UpdateProductInput";
        CreateList = "createPriceList", "CreatePriceListInput";
        UpdateList = "updatePriceList", "UpdatePriceListInput";
        SetItems = "setPriceListItems", "SetPriceListItemsInput";
    }
}

impl CatalogueWrite {
    fn object(self) -> &'static str {
        match self {
            Self::CreateProduct | Self::UpdateProduct => "product",
            _ => "priceList",
        }
    }

    /// The document.
    pub(crate) fn document(self) -> String {
        let selection = format!("{} {{ id version }}", self.object());
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs a catalogue mutation: the id and version written.
pub async fn save(mutation: CatalogueWrite, input: Value) -> Result<(String, i64), ApiError> {
    let data = request(&mutation.document(), json!({ "input": input })).await?;
    let v = &data[mutation.field()][mutation.object()];
    Ok((json::text(v, "id"), json::int(v, "version")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_list_reads_its_items() {
        let l = PriceList::from_json(&json!({
            "id": "L1", "name": "Acme", "currency": "EUR", "isDefault": false, "active": true,
            "customer": {"id": "P1", "displayName": "Acme Corporation"}, "version": 3,
            "items": [{"product": {"id": "X", "code": "WID-100", "name": "Widget"}, "unitPrice": {"amount": "17.50"}}]
        }));
        assert_eq!(
            l.customer.map(|c| c.name).as_deref(),
            Some("Acme Corporation")
        );
        assert_eq!(l.items[0].product, "WID-100 Widget");
        assert_eq!(l.items[0].price, "17.50");
    }
}
