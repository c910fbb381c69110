//! Revenue: net invoiced revenue by period, the top customers, purchase trends and the top
//! products, over the invoices the user may read; and the same as CSV.

use crate::api::accounts::Money;
use crate::api::forecasts::reports::{csv_at, encode};
use crate::api::json::{self, FromJson};
use crate::api::{request, ApiError};
use serde_json::{json, Value};

/// How the periods are cut (the fiscal year's months, quarters or years).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    Month,
    Quarter,
    Year,
}

impl Grouping {
    /// All, in the order offered.
    pub const ALL: [Grouping; 3] = [Grouping::Month, Grouping::Quarter, Grouping::Year];

    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Month => "MONTH",
            Grouping::Quarter => "QUARTER",
            Grouping::Year => "YEAR",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Grouping::Month => "Month",
            Grouping::Quarter => "Quarter",
            Grouping::Year => "Year",
        }
    }

    /// From the API's name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// What the report covers; empty means the server's default (the last twelve months, every
/// currency).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevenueFilter {
    pub from: String,
    pub to: String,
    pub group: Grouping,
    pub currency: String,
}

impl RevenueFilter {
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("groupBy", self.group.as_str())];
        for (k, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("currency", &self.currency),
        ] {
            if !v.trim().is_empty() {
                out.push((k, v.trim()));
            }
        }
        out
    }

    fn variables(&self) -> Value {
        let mut f = serde_json::Map::new();
        for (k, v) in self.pairs() {
            f.insert(k.to_owned(), json!(v));
        }
        json!({ "f": f })
    }
}

/// One period's revenue in one currency.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PeriodRow {
    pub label: String,
    pub currency: String,
    pub net: Option<Money>,
    pub gross: Option<Money>,
    pub invoices: i64,
    pub credit_notes: i64,
}

impl FromJson for PeriodRow {
    fn from_json(v: &Value) -> Self {
        Self {
            label: json::text(v, "label"),
            currency: json::text(v, "currency"),
            net: json::object(v, "net"),
            gross: json::object(v, "gross"),
            invoices: json::int(v, "invoices"),
            credit_notes: json::int(v, "creditNotes"),
        }
    }
}

/// A customer as the report names it (`id` empty when the user may not see them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Customer {
    pub id: String,
    pub name: String,
}

fn customer(v: &Value) -> Customer {
    let c = &v["customer"];
    Customer {
        id: json::text(c, "id"),
        name: json::text(c, "displayName"),
    }
}

/// A top customer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerRow {
    pub customer: Customer,
    pub net: Option<Money>,
    pub invoices: i64,
    /// Percent of the currency's revenue.
    pub share: Option<f64>,
}

impl FromJson for CustomerRow {
    fn from_json(v: &Value) -> Self {
        Self {
            customer: customer(v),
            net: json::object(v, "net"),
            invoices: json::int(v, "invoices"),
            share: v["share"].as_f64(),
        }
    }
}

/// A customer's purchases against the range before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrendRow {
    pub customer: Customer,
    pub current: Option<Money>,
    pub previous: Option<Money>,
    pub change: Option<Money>,
    pub change_percent: Option<f64>,
}

impl FromJson for TrendRow {
    fn from_json(v: &Value) -> Self {
        Self {
            customer: customer(v),
            current: json::object(v, "current"),
            previous: json::object(v, "previous"),
            change: json::object(v, "change"),
            change_percent: v["changePercent"].as_f64(),
        }
    }
}

/// A top product.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProductRow {
    pub code: Option<String>,
    pub name: String,
    pub quantity: String,
    pub net: Option<Money>,
}

impl FromJson for ProductRow {
    fn from_json(v: &Value) -> Self {
        Self {
            code: json::opt_text(v, "code"),
            name: json::text(v, "name"),
            quantity: json::text(v, "quantity"),
            net: json::object(v, "net"),
        }
    }
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Revenue {
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub periods: Vec<PeriodRow>,
    pub customers: Vec<CustomerRow>,
    pub trends: Vec<TrendRow>,
    pub products: Vec<ProductRow>,
}

/// The document of [`revenue`].
pub(crate) const REVENUE_QUERY: &str = "query Revenue($f: RevenueFilterInput) { \
    revenueReport(filter: $f) { from to previousFrom previousTo \
    periods { label currency net { amount currency } gross { amount currency } invoices creditNotes } \
    topCustomers { customer { id displayName } net { amount currency } invoices share } \
    trends { customer { id displayName } current { amount currency } previous { amount currency } \
    change { amount currency } changePercent } \
    topProducts { code name quantity net { amount currency } } } }";

/// The revenue report for `filter`.
pub async fn revenue(filter: &RevenueFilter) -> Result<Revenue, ApiError> {
    let data = request(REVENUE_QUERY, filter.variables()).await?;
    let r = &data["revenueReport"];
    Ok(Revenue {
        from: json::text(r, "from"),
        to: json::text(r, "to"),
        previous_from: json::text(r, "previousFrom"),
        previous_to: json::text(r, "previousTo"),
        periods: json::list(r, "periods"),
        customers: json::list(r, "topCustomers"),
        trends: json::list(r, "trends"),
        products: json::list(r, "topProducts"),
    })
}

/// The report's parts that have a CSV form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevenueCsv {
    ByPeriod,
    ByCustomer,
    Trends,
    ByProduct,
}

impl RevenueCsv {
    /// The file name, without `.csv`.
    pub fn name(self) -> &'static str {
        match self {
            RevenueCsv::ByPeriod => "revenue-by-period",
            RevenueCsv::ByCustomer => "revenue-by-customer",
            RevenueCsv::Trends => "revenue-trends",
            RevenueCsv::ByProduct => "revenue-by-product",
        }
    }
}

/// One part of the report as CSV.
pub async fn csv(which: RevenueCsv, filter: &RevenueFilter) -> Result<String, ApiError> {
    let query = filter
        .pairs()
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    csv_at(&format!("/reports/{}.csv?{query}", which.name())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_sends_only_what_is_set() {
        let f = RevenueFilter {
            from: "2026-01-01".into(),
            to: " ".into(),
            group: Grouping::Quarter,
            currency: "EUR".into(),
        };
        assert_eq!(
            f.variables(),
            json!({"f": {"groupBy": "QUARTER", "from": "2026-01-01", "currency": "EUR"}})
        );
        assert_eq!(Grouping::parse("YEAR"), Some(Grouping::Year));
    }
}
