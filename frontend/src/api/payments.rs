//! Payments with their allocations, a customer's open invoices to allocate to, and the
//! customer's statement.

use crate::api::accounts::Money;
use crate::api::json::{self, FromJson};
use crate::api::leads::Named;
use crate::api::paging::Connection;
use crate::api::{fetch, fetch_node, request, ApiError};
use serde_json::{json, Value};

/// A payment's part settling an invoice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Part {
    /// The amount.
    pub amount: Option<Money>,
    /// The invoice (id, number), when visible.
    pub invoice: Option<Named>,
}

impl FromJson for Part {
    fn from_json(v: &Value) -> Self {
        let i = &v["invoice"];
        Self {
            amount: json::object(v, "amount"),
            invoice: i.is_object().then(|| Named {
                id: json::text(i, "id"),
                name: json::text(i, "number"),
            }),
        }
    }
}

/// A payment received.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Payment {
    /// Opaque global id.
    pub id: String,
    /// `PAY-000123`.
    pub number: String,
    /// Optimistic-lock version.
    pub version: i64,
    /// Received on (date).
    pub received_on: String,
    /// `BANK_TRANSFER`, `CARD`, …
    pub method: String,
    /// The payer's reference.
    pub reference: Option<String>,
    /// The customer.
    pub customer: Option<Named>,
    /// The amount.
    pub amount: Option<Money>,
    /// Allocated to invoices.
    pub allocated: Option<Money>,
    /// Left to allocate.
    pub unallocated: Option<Money>,
    /// Whether the user may allocate what is left.
    pub can_allocate: bool,
    /// Its allocations.
    pub parts: Vec<Part>,
}

impl FromJson for Payment {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            number: json::text(v, "number"),
            version: json::int(v, "version"),
            received_on: json::text(v, "receivedOn"),
            method: json::text(v, "method"),
            reference: json::opt_text(v, "reference"),
            customer: json::object(v, "customer"),
            amount: json::object(v, "amount"),
            allocated: json::object(v, "allocated"),
            unallocated: json::object(v, "unallocated"),
            can_allocate: json::flag(v, "canAllocate"),
            parts: json::list(v, "allocations"),
        }
    }
}

/// The methods of payment, with their labels.
pub const METHODS: [(&str, &str); 5] = [
    ("BANK_TRANSFER", "Bank transfer"),
    ("CARD", "Card"),
    ("CASH", "Cash"),
    ("CHEQUE", "Cheque"),
    ("OTHER", "Other"),
];

/// The label of a method.
pub fn method_label(m: &str) -> &'static str {
    METHODS
        .iter()
        .find(|(k, _)| *k == m)
        .map_or("Other", |(_, l)| *l)
}

const M: &str = "{ amount currency }";
const PARTY: &str = "... on Person { id displayName } ... on Organization { id displayName }";

fn row() -> String {
    format!(
        "id number version receivedOn method amount {M} allocated {M} unallocated {M} customer {{ {PARTY} }}"
    )
}

/// The document of [`payments`].
pub(crate) fn payments_query() -> String {
    format!(
        "query Payments($after: String, $u: Boolean!) {{ payments(first: 25, after: $after, unallocatedOnly: $u) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {} }} }} }} }}",
        row()
    )
}

/// One page of payments, newest first; only those with something unallocated when `open`.
pub async fn payments(open: bool, after: Option<String>) -> Result<Connection<Payment>, ApiError> {
    fetch(
        &payments_query(),
        json!({ "after": after, "u": open }),
        "payments",
    )
    .await
}

/// The document of [`payment`].
pub(crate) fn payment_query() -> String {
    format!(
        "query Payment($id: ID!) {{ payment(id: $id) {{ {} reference canAllocate \
         allocations {{ amount {M} invoice {{ id number }} }} }} }}",
        row()
    )
}

/// One payment with its allocations.
pub async fn payment(id: &str) -> Result<Option<Payment>, ApiError> {
    let node = fetch_node(&payment_query(), json!({ "id": id }), "payment").await?;
    Ok(node.map(|(v, _)| Payment::from_json(&v)))
}

/// An open invoice to allocate to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenInvoice {
    /// Opaque global id.
    pub id: String,
    /// Its number.
    pub number: String,
    /// Due date.
    pub due: String,
    /// What is open on it.
    pub open: Option<Money>,
}

impl FromJson for OpenInvoice {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            number: json::text(v, "number"),
            due: json::text(v, "dueDate"),
            open: json::object(v, "open"),
        }
    }
}

/// The document of [`open_invoices`].
pub(crate) const OPEN_INVOICES_QUERY: &str = "query OpenInvoices($c: ID) { invoices(first: 100, \
    filter: {customerId: $c, kind: INVOICE, openOnly: true}) { nodes { id number dueDate open { amount currency } } } }";

/// The customer's open invoices in `currency`, oldest due first.
pub async fn open_invoices(customer: &str, currency: &str) -> Result<Vec<OpenInvoice>, ApiError> {
    let data = request(OPEN_INVOICES_QUERY, json!({ "c": customer })).await?;
    let mut list: Vec<OpenInvoice> = json::list(&data["invoices"], "nodes");
    list.retain(|i| i.open.as_ref().is_some_and(|m| m.currency == currency));
    list.sort_by(|a, b| (&a.due, &a.number).cmp(&(&b.due, &b.number)));
    Ok(list)
}

/// The document of [`record`].
pub(crate) const RECORD_QUERY: &str = "mutation Record($input: RecordPaymentInput!) { \
    recordPayment(input: $input) { payment { id } } }";

/// Records a payment (allocated as `input` says); its id.
pub async fn record(input: Value) -> Result<String, ApiError> {
    let data = request(RECORD_QUERY, json!({ "input": input })).await?;
    Ok(json::text(&data["recordPayment"]["payment"], "id"))
}

/// The document of [`allocate`].
pub(crate) const ALLOCATE_QUERY: &str = "mutation Allocate($input: AllocatePaymentInput!) { \
    allocatePayment(input: $input) { payment { id } } }";

/// Allocates what a payment has left.
pub async fn allocate(input: Value) -> Result<(), ApiError> {
    request(ALLOCATE_QUERY, json!({ "input": input })).await?;
    Ok(())
}

/// One document of a statement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// Its date.
    pub date: String,
    /// `INVOICE`, `CREDIT_NOTE` or `PAYMENT`.
    pub kind: String,
    /// Its number.
    pub number: String,
    /// The invoice's or the payment's id.
    pub id: String,
    /// Due date (invoices).
    pub due: Option<String>,
    /// Debit, credit and the balance after it (amounts).
    pub figures: [String; 3],
}

impl FromJson for Entry {
    fn from_json(v: &Value) -> Self {
        let a = |k: &str| json::text(&v[k], "amount");
        Self {
            date: json::text(v, "date"),
            kind: json::text(v, "kind"),
            number: json::text(v, "number"),
            id: json::text(v, "id"),
            due: json::opt_text(v, "dueDate"),
            figures: [a("debit"), a("credit"), a("balance")],
        }
    }
}

/// The statement of one currency.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Account {
    /// The currency.
    pub currency: String,
    /// Opening, closing and overdue (amounts).
    pub figures: [String; 3],
    /// The documents in date order.
    pub entries: Vec<Entry>,
}

impl FromJson for Account {
    fn from_json(v: &Value) -> Self {
        let a = |k: &str| json::text(&v[k], "amount");
        Self {
            currency: json::text(v, "currency"),
            figures: [a("opening"), a("closing"), a("overdue")],
            entries: json::list(v, "entries"),
        }
    }
}

/// A customer's statement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Statement {
    /// The customer's name.
    pub name: String,
    /// The range.
    pub from: String,
    /// The range's end.
    pub to: String,
    /// Per currency.
    pub accounts: Vec<Account>,
}

/// The document of [`statement`].
pub(crate) fn statement_query() -> String {
    format!(
        "query Statement($c: ID!, $f: String, $t: String) {{ party(id: $c) {{ {PARTY} }} \
         customerStatement(customerId: $c, from: $f, to: $t) {{ from to currencies {{ currency \
         opening {{ amount }} closing {{ amount }} overdue {{ amount }} entries {{ date kind number id \
         dueDate debit {{ amount }} credit {{ amount }} balance {{ amount }} }} }} }} }}"
    )
}

/// The statement of `customer` from `from` to `to` (empty: the server's defaults).
pub async fn statement(customer: &str, from: &str, to: &str) -> Result<Statement, ApiError> {
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let data = request(
        &statement_query(),
        json!({ "c": customer, "f": opt(from), "t": opt(to) }),
    )
    .await?;
    let s = &data["customerStatement"];
    Ok(Statement {
        name: json::text(&data["party"], "displayName"),
        from: json::text(s, "from"),
        to: json::text(s, "to"),
        accounts: json::list(s, "currencies"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_reads_its_allocations() {
        let p = Payment::from_json(&json!({
            "id": "P1", "number": "PAY-000001", "canAllocate": true,
            "unallocated": {"amount": "5.00", "currency": "EUR"},
            "allocations": [{"amount": {"amount": "1.00", "currency": "EUR"}, "invoice": {"id": "I1", "number": "INV-1"}}]
        }));
        assert!(p.can_allocate);
        assert_eq!(
            p.parts[0].invoice.as_ref().map(|i| i.name.as_str()),
            Some("INV-1")
        );
        assert_eq!(method_label("CARD"), "Card");
    }

    #[test]
    fn a_statement_entry_reads_its_figures() {
        let e = Entry::from_json(&json!({"kind": "PAYMENT", "debit": {"amount": "0.00"},
            "credit": {"amount": "2.00"}, "balance": {"amount": "-2.00"}}));
        assert_eq!(e.figures, ["0.00", "2.00", "-2.00"]);
    }
}
