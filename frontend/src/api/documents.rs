//! Sales documents: the product catalogue and quotes with their revisions.

use crate::api::accounts::Money;
use crate::api::auth::User;
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::leads::Named;
use crate::api::paging::Connection;
use crate::api::{fetch, fetch_node, request, session, ApiError};
use gloo_net::http::Request;
use serde_json::{json, Value};

/// A product of the catalogue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Product {
    /// Opaque global id.
    pub id: String,
    /// Unique code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// Tax category code.
    pub tax_category: String,
    /// List price per currency.
    pub prices: Vec<Money>,
    /// Sold today.
    pub active: bool,
}

impl FromJson for Product {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            code: json::text(v, "code"),
            name: json::text(v, "name"),
            unit: json::text(v, "unit"),
            tax_category: json::text(v, "taxCategory"),
            prices: json::list(v, "prices"),
            active: json::flag(v, "active"),
        }
    }
}

/// A tax category and its rate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaxCategory {
    /// Code, e.g. `STANDARD`.
    pub code: String,
    /// Name shown.
    pub name: String,
    /// Rate as a percentage, e.g. `"20"`.
    pub rate_percent: String,
}

impl FromJson for TaxCategory {
    fn from_json(v: &Value) -> Self {
        Self {
            code: json::text(v, "code"),
            name: json::text(v, "name"),
            rate_percent: json::text(v, "ratePercent"),
        }
    }
}

const PRODUCT_FIELDS: &str = "id code name unit taxCategory active prices { amount currency }";

/// The document of [`products`].
pub(crate) fn products_query() -> String {
    format!(
        "query Products($after: String, $search: String, $inactive: Boolean) {{ \
         products(first: 100, after: $after, search: $search, includeInactive: $inactive) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {PRODUCT_FIELDS} }} }} }} }}"
    )
}

/// One page of products by code.
pub async fn products(
    search: &str,
    inactive: bool,
    after: Option<String>,
) -> Result<Connection<Product>, ApiError> {
    let search = Some(search.trim()).filter(|s| !s.is_empty());
    let variables = json!({ "after": after, "search": search, "inactive": inactive });
    fetch(&products_query(), variables, "products").await
}

/// The document of [`catalogue`].
pub(crate) fn catalogue_query() -> String {
    format!(
        "query QuoteCatalogue {{ products(first: 100) {{ nodes {{ {PRODUCT_FIELDS} }} }} \
         taxCategories {{ code name ratePercent }} }}"
    )
}

/// What a line editor chooses from: the active products (first hundred) and the tax categories.
pub async fn catalogue() -> Result<(Vec<Product>, Vec<TaxCategory>), ApiError> {
    let data = request(&catalogue_query(), json!({})).await?;
    Ok((
        json::list(&data["products"], "nodes"),
        json::list(&data, "taxCategories"),
    ))
}

/// The document of [`resolve_price`].
pub(crate) const RESOLVE_QUERY: &str = "query ResolvePrice($customer: ID!, $currency: String!, $product: ID!) { \
    resolvePrices(customerId: $customer, currency: $currency, productIds: [$product]) { unitPrice { amount currency } source } }";

/// The unit price a new line of `product` gets for `customer` in `currency` today (from the
/// customer's price lists, else the product's price); `None` when it has none.
pub async fn resolve_price(
    customer: &str,
    currency: &str,
    product: &str,
) -> Result<Option<Money>, ApiError> {
    let data = request(
        RESOLVE_QUERY,
        json!({ "customer": customer, "currency": currency, "product": product }),
    )
    .await?;
    Ok(json::items(&data["resolvePrices"])
        .first()
        .map(|r| Money::from_json(&r["unitPrice"])))
}

/// What the caller may do with a quote now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuoteActions {
    /// Change the draft.
    pub edit: bool,
    /// Send the draft.
    pub send: bool,
    /// Start a new revision.
    pub revise: bool,
    /// Record the customer's acceptance.
    pub accept: bool,
    /// Record the customer's rejection.
    pub reject: bool,
}

impl FromJson for QuoteActions {
    fn from_json(v: &Value) -> Self {
        Self {
            edit: json::flag(v, "edit"),
            send: json::flag(v, "send"),
            revise: json::flag(v, "revise"),
            accept: json::flag(v, "accept"),
            reject: json::flag(v, "reject"),
        }
    }
}

/// A line of a quote revision.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuoteLine {
    /// The product's global id, for a product line.
    pub product_id: Option<String>,
    /// The product's code when priced.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// The customer's specification.
    pub specification: Option<String>,
    /// Unit of measure.
    pub unit: String,
    /// Quantity, a decimal.
    pub quantity: String,
    /// Unit price (absent without the amount grant).
    pub unit_price: Option<Money>,
    /// Line discount in percent.
    pub discount_percent: Option<String>,
    /// Tax category code.
    pub tax_category: String,
    /// Its rate in percent.
    pub tax_rate_percent: String,
    /// Net of the line.
    pub net: Option<Money>,
    /// Net plus tax.
    pub total: Option<Money>,
}

impl FromJson for QuoteLine {
    fn from_json(v: &Value) -> Self {
        Self {
            product_id: json::opt_text(&v["product"], "id"),
            code: json::opt_text(v, "code"),
            name: json::text(v, "name"),
            specification: json::opt_text(v, "specification"),
            unit: json::text(v, "unit"),
            quantity: json::text(v, "quantity"),
            unit_price: json::object(v, "unitPrice"),
            discount_percent: json::opt_text(v, "discountPercent"),
            tax_category: json::text(v, "taxCategory"),
            tax_rate_percent: json::text(v, "taxRatePercent"),
            net: json::object(v, "net"),
            total: json::object(v, "total"),
        }
    }
}

/// A revision of a quote.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Revision {
    /// 1 for the first.
    pub revision: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Last day it can be accepted.
    pub valid_until: String,
    /// Header discount in percent.
    pub discount_percent: Option<String>,
    /// Notes for the customer.
    pub notes: Option<String>,
    /// Terms.
    pub terms: Option<String>,
    /// Quantities × prices.
    pub gross: Option<Money>,
    /// Line and header discounts.
    pub discount: Option<Money>,
    /// Before tax.
    pub net: Option<Money>,
    /// Tax.
    pub tax: Option<Money>,
    /// Net plus tax.
    pub total: Option<Money>,
    /// When it was sent.
    pub sent_at: Option<String>,
    /// Its lines.
    pub lines: Vec<QuoteLine>,
}

impl FromJson for Revision {
    fn from_json(v: &Value) -> Self {
        Self {
            revision: json::int(v, "revision"),
            currency: json::text(v, "currency"),
            valid_until: json::text(v, "validUntil"),
            discount_percent: json::opt_text(v, "discountPercent"),
            notes: json::opt_text(v, "notes"),
            terms: json::opt_text(v, "terms"),
            gross: json::object(v, "gross"),
            discount: json::object(v, "discount"),
            net: json::object(v, "net"),
            tax: json::object(v, "tax"),
            total: json::object(v, "total"),
            sent_at: json::opt_text(v, "sentAt"),
            lines: json::list(v, "lines"),
        }
    }
}

/// A quote: in lists (without revisions), or on its page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quote {
    /// Opaque global id.
    pub id: String,
    /// `Q-000123`.
    pub number: String,
    /// Title.
    pub title: String,
    /// `DRAFT`, `SENT`, `ACCEPTED`, `REJECTED` or `EXPIRED`.
    pub status: String,
    /// The current revision's number.
    pub revision: i64,
    /// Optimistic-lock version.
    pub version: i64,
    /// Currency of the current revision.
    pub currency: String,
    /// Validity of the current revision.
    pub valid_until: String,
    /// Total with tax (absent without the amount grant).
    pub total: Option<Money>,
    /// The customer, when visible.
    pub customer: Option<Named>,
    /// The opportunity, when visible.
    pub opportunity: Option<Named>,
    /// Owner.
    pub owner: Option<User>,
    /// What the caller may do now.
    pub can: QuoteActions,
    /// The customer's note on the decision.
    pub decision_note: Option<String>,
    /// The current revision (on the quote's page).
    pub current: Revision,
    /// Every revision, oldest first (on the quote's page).
    pub revisions: Vec<Revision>,
}

impl FromJson for Quote {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            number: json::text(v, "number"),
            title: json::text(v, "title"),
            status: json::text(v, "status"),
            revision: json::int(v, "revision"),
            version: json::int(v, "version"),
            currency: json::text(v, "currency"),
            valid_until: json::text(v, "validUntil"),
            total: json::object(v, "total"),
            customer: json::object(v, "customer"),
            opportunity: json::object(v, "opportunity"),
            owner: json::object(v, "owner"),
            can: QuoteActions::from_json(&v["can"]),
            decision_note: json::opt_text(v, "decisionNote"),
            current: Revision::from_json(&v["current"]),
            revisions: json::list(v, "revisions"),
        }
    }
}

/// The label of a quote status.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "DRAFT" => "Draft",
        "SENT" => "Sent",
        "ACCEPTED" => "Accepted",
        "REJECTED" => "Rejected",
        "EXPIRED" => "Expired",
        _ => "Unknown",
    }
}

/// Quote statuses, in flow order.
pub const STATUSES: &[&str] = &["DRAFT", "SENT", "ACCEPTED", "REJECTED", "EXPIRED"];

const PARTY: &str = "... on Person { id displayName } ... on Organization { id displayName }";

fn row_fields(amounts: bool) -> String {
    let total = if amounts {
        "total { amount currency }"
    } else {
        ""
    };
    format!(
        "id number title status revision version currency validUntil {total} \
         customer {{ {PARTY} }} owner {{ id email displayName }}"
    )
}

fn page_fields(amounts: bool) -> String {
    let money = if amounts {
        "discountPercent gross { amount currency } discount { amount currency } \
         net { amount currency } tax { amount currency } total { amount currency }"
    } else {
        ""
    };
    let line_money = if amounts {
        "unitPrice { amount currency } discountPercent net { amount currency } total { amount currency }"
    } else {
        ""
    };
    format!(
        "{} decisionNote opportunity {{ id name }} can {{ edit send revise accept reject }} \
         current {{ revision currency validUntil notes terms sentAt {money} \
           lines {{ product {{ id }} code name specification unit quantity taxCategory taxRatePercent {line_money} }} }} \
         revisions {{ revision currency validUntil sentAt {} }}",
        row_fields(amounts),
        if amounts { "total { amount currency }" } else { "" }
    )
}

/// The document of [`list`].
pub(crate) fn list_query(amounts: bool) -> String {
    format!(
        "query Quotes($after: String, $filter: QuoteFilterInput) {{ \
         quotes(first: 25, after: $after, filter: $filter) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {} }} }} }} }}",
        row_fields(amounts)
    )
}

/// One page of quotes, newest first, matching `search` and `status` (empty: any).
pub async fn list(
    search: &str,
    status: &str,
    amounts: bool,
    after: Option<String>,
) -> Result<Connection<Quote>, ApiError> {
    let mut filter = json!({});
    if !search.trim().is_empty() {
        filter["search"] = json!(search.trim());
    }
    if !status.is_empty() {
        filter["statuses"] = json!([status]);
    }
    let variables = json!({ "after": after, "filter": filter });
    fetch(&list_query(amounts), variables, "quotes").await
}

/// The document of [`get`].
pub(crate) fn get_query(amounts: bool) -> String {
    format!(
        "query Quote($id: ID!) {{ quote(id: $id) {{ {} }} }}",
        page_fields(amounts)
    )
}

/// One quote with its revisions; `None` when it is not visible.
pub async fn get(id: &str, amounts: bool) -> Result<Option<Quote>, ApiError> {
    let node = fetch_node(&get_query(amounts), json!({ "id": id }), "quote").await?;
    Ok(node.map(|(v, _)| Quote::from_json(&v)))
}

input_mutations! {
    /// The quote mutations; each answers with the quote.
    pub QuoteWrite {
        Create = "createQuote", "CreateQuoteInput";
        Update = "updateQuote", "UpdateQuoteInput";
        Send = "sendQuote", "QuoteVersionInput";
        Revise = "reviseQuote", "QuoteVersionInput";
        Accept = "acceptQuote", "AcceptQuoteInput";
        Reject = "rejectQuote", "RejectQuoteInput";
    }
}

impl QuoteWrite {
    /// The document, reading the quote back (the callers of quote mutations see amounts).
    pub(crate) fn document(self) -> String {
        let selection = format!("quote {{ {} }}", page_fields(true));
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs a quote mutation and reads the quote.
pub async fn save(mutation: QuoteWrite, input: Value) -> Result<Quote, ApiError> {
    let mut data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(Quote::from_json(&data[mutation.field()]["quote"].take()))
}

/// The PDF of a quote (its current revision, or `revision`), as bytes.
pub async fn pdf(id: &str, revision: Option<i64>) -> Result<Vec<u8>, ApiError> {
    let uuid = quote_uuid(id).ok_or_else(|| ApiError::Decode("not a quote id".into()))?;
    let mut address = format!("/documents/quotes/{uuid}.pdf");
    if let Some(r) = revision {
        address.push_str(&format!("?revision={r}"));
    }
    let mut req = Request::get(&address).header("Accept", "application/pdf");
    if let Some(token) = session::token() {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let response = req
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    match response.status() {
        200 => response
            .binary()
            .await
            .map_err(|e| ApiError::Decode(e.to_string())),
        401 => {
            session::expire();
            Err(ApiError::Unauthenticated)
        }
        status => Err(ApiError::Http(status)),
    }
}

/// The record id inside a quote's global id (`base64url("Quote:<uuid>")`).
pub fn quote_uuid(id: &str) -> Option<String> {
    let bytes = base64url_decode(id)?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("Quote:").map(str::to_owned)
}

fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_id_gives_its_record_id() {
        // base64url("Quote:7a110000-0000-4000-8000-000000000001"), unpadded.
        let id = "UXVvdGU6N2ExMTAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAx";
        assert_eq!(
            quote_uuid(id).as_deref(),
            Some("7a110000-0000-4000-8000-000000000001")
        );
        assert_eq!(quote_uuid("bm90IGEgcXVvdGU"), None);
    }

    #[test]
    fn a_quote_reads_its_lines_and_actions() {
        let q = Quote::from_json(&json!({
            "id": "Q1", "number": "Q-000001", "status": "SENT", "version": 3,
            "can": {"revise": true, "accept": true},
            "current": {"revision": 2, "lines": [{"product": {"id": "P1"}, "name": "Widget",
                "quantity": "2.5", "unitPrice": {"amount": "10.00", "currency": "EUR"}}]}
        }));
        assert_eq!(q.current.revision, 2);
        assert_eq!(q.current.lines[0].product_id.as_deref(), Some("P1"));
        assert!(q.can.revise && q.can.accept && !q.can.edit);
        assert_eq!(status_label(&q.status), "Sent");
    }
}
