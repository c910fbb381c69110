//! Enquiries: what a customer asked for, with its lines, until a quote is made from it.

use crate::api::accounts::Money;
use crate::api::auth::User;
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::leads::Named;
use crate::api::paging::Connection;
use crate::api::{fetch, fetch_node, request, ApiError};
use serde_json::{json, Value};

/// A line of an enquiry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnquiryLine {
    /// The product's global id, for a product line.
    pub product_id: Option<String>,
    /// The product's code.
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
    /// Discount in percent (absent without the amount grant).
    pub discount_percent: Option<String>,
    /// The line's total (absent without the amount grant).
    pub total: Option<Money>,
}

impl FromJson for EnquiryLine {
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
            total: json::object(v, "total"),
        }
    }
}

/// An enquiry: in lists (without lines), or on its page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Enquiry {
    /// Opaque global id.
    pub id: String,
    /// `ENQ-000123`.
    pub number: String,
    /// The day it came in.
    pub date: String,
    /// `PHONE`, `FAX`, `TENDER`, `LETTER`, `EMAIL` or `WEB`.
    pub channel: String,
    /// `OPEN`, `QUOTED` or `CLOSED`.
    pub status: String,
    /// The customer, when visible.
    pub customer: Option<Named>,
    /// The lines' net (absent without the amount grant).
    pub net: Option<Money>,
    /// Optimistic-lock version.
    pub version: i64,
    /// Open and the caller may change, close or quote it.
    pub can_edit: bool,
    /// The address given (several lines).
    pub address: Option<String>,
    /// ISO 4217 code.
    pub currency: String,
    /// Delivery period asked for.
    pub delivery_period: Option<String>,
    /// Payment terms asked for.
    pub payment_terms: Option<String>,
    /// Days within which a quotation is wanted.
    pub lead_days: Option<i64>,
    /// The day a quotation is wanted by.
    pub wanted_by: Option<String>,
    /// Where to deliver.
    pub delivery_point: Option<String>,
    /// Remarks.
    pub remarks: Option<String>,
    /// Owner.
    pub owner: Option<User>,
    /// The quote made from it, when visible (`name` is its number).
    pub quote: Option<Named>,
    /// Its lines (on its page).
    pub lines: Vec<EnquiryLine>,
}

impl FromJson for Enquiry {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            number: json::text(v, "number"),
            date: json::text(v, "enquiryDate"),
            channel: json::text(v, "channel"),
            status: json::text(v, "status"),
            customer: json::object(v, "customer"),
            net: json::object(v, "net"),
            version: json::int(v, "version"),
            can_edit: json::flag(v, "canEdit"),
            address: json::opt_text(v, "address"),
            currency: json::text(v, "currency"),
            delivery_period: json::opt_text(v, "deliveryPeriod"),
            payment_terms: json::opt_text(v, "paymentTerms"),
            lead_days: v["quotationLeadDays"].as_i64(),
            wanted_by: json::opt_text(v, "quotationWantedBy"),
            delivery_point: json::opt_text(v, "deliveryPoint"),
            remarks: json::opt_text(v, "remarks"),
            owner: json::object(v, "owner"),
            quote: json::object(v, "quote"),
            lines: json::list(v, "lines"),
        }
    }
}

/// The channels, as stored and as shown.
pub const CHANNELS: &[(&str, &str)] = &[
    ("PHONE", "Phone"),
    ("FAX", "Fax"),
    ("TENDER", "Tender"),
    ("LETTER", "Letter"),
    ("EMAIL", "E-mail"),
    ("WEB", "Web"),
];

/// The statuses, as stored and as shown.
pub const STATUSES: &[(&str, &str)] =
    &[("OPEN", "Open"), ("QUOTED", "Quoted"), ("CLOSED", "Closed")];

/// The label of `value` in `pairs` (`value` itself when unknown).
pub fn label<'a>(pairs: &'static [(&'static str, &'static str)], value: &'a str) -> &'a str {
    pairs
        .iter()
        .find(|(v, _)| *v == value)
        .map_or(value, |(_, l)| l)
}

const ROW: &str =
    "id number enquiryDate channel status version canEdit currency customer { id displayName }";

fn row_fields(amounts: bool) -> String {
    format!(
        "{ROW} {}",
        if amounts {
            "net { amount currency }"
        } else {
            ""
        }
    )
}

fn page_fields(amounts: bool) -> String {
    let money = if amounts {
        "unitPrice { amount currency } discountPercent total { amount currency }"
    } else {
        ""
    };
    format!(
        "{} address deliveryPeriod paymentTerms quotationLeadDays quotationWantedBy deliveryPoint \
         remarks owner {{ id email displayName }} quote {{ id name: number }} \
         lines {{ product {{ id }} code name specification unit quantity {money} }}",
        row_fields(amounts)
    )
}

/// The document of [`list`].
pub(crate) fn list_query(amounts: bool) -> String {
    format!(
        "query Enquiries($after: String, $filter: EnquiryFilterInput) {{ \
         enquiries(after: $after, filter: $filter) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {} }} }} }} }}",
        row_fields(amounts)
    )
}

/// One page of enquiries, newest first, whose number matches `search`, in `status` (empty: any).
pub async fn list(
    search: &str,
    status: &str,
    product: Option<&str>,
    amounts: bool,
    after: Option<String>,
) -> Result<Connection<Enquiry>, ApiError> {
    let mut filter = json!({});
    if let Some(p) = product {
        filter["productId"] = json!(p);
    }
    if !search.trim().is_empty() {
        filter["search"] = json!(search.trim());
    }
    if !status.is_empty() {
        filter["statuses"] = json!([status]);
    }
    let variables = json!({ "after": after, "filter": filter });
    fetch(&list_query(amounts), variables, "enquiries").await
}

/// The document of [`get`].
pub(crate) fn get_query(amounts: bool) -> String {
    format!(
        "query Enquiry($id: ID!) {{ enquiry(id: $id) {{ {} }} }}",
        page_fields(amounts)
    )
}

/// One enquiry with its lines; `None` when it is not visible.
pub async fn get(id: &str, amounts: bool) -> Result<Option<Enquiry>, ApiError> {
    let node = fetch_node(&get_query(amounts), json!({ "id": id }), "enquiry").await?;
    Ok(node.map(|(v, _)| Enquiry::from_json(&v)))
}

input_mutations! {
    /// The enquiry mutations; each answers with the enquiry.
    pub EnquiryWrite {
        Create = "createEnquiry", "CreateEnquiryInput";
        Update = "updateEnquiry", "UpdateEnquiryInput";
        Close = "closeEnquiry", "EnquiryVersionInput";
    }
}

impl EnquiryWrite {
    /// The document, reading back what the page needs next (its id and version).
    pub(crate) fn document(self) -> String {
        input_mutation::document(
            self.field(),
            self.input_type(),
            "enquiry { id version status canEdit }",
        )
    }
}

/// Runs an enquiry mutation; the enquiry's id, version, status and `canEdit`.
pub async fn save(mutation: EnquiryWrite, input: Value) -> Result<Enquiry, ApiError> {
    let mut data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(Enquiry::from_json(
        &data[mutation.field()]["enquiry"].take(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enquiry_reads_its_quote_and_lines() {
        let e = Enquiry::from_json(&json!({
            "id": "E1", "number": "ENQ-000001", "status": "QUOTED", "channel": "FAX",
            "quotationLeadDays": 7, "quote": {"id": "Q1", "name": "Q-000002"},
            "lines": [{"product": {"id": "P1"}, "name": "Widget", "quantity": "4"}]
        }));
        assert_eq!(e.lead_days, Some(7));
        assert_eq!(e.quote.as_ref().map(|q| q.name.as_str()), Some("Q-000002"));
        assert_eq!(e.lines[0].product_id.as_deref(), Some("P1"));
        assert_eq!(label(CHANNELS, &e.channel), "Fax");
        assert_eq!(label(STATUSES, "OPEN"), "Open");
        assert!(Enquiry::from_json(&json!({"quote": null})).quote.is_none());
    }
}
