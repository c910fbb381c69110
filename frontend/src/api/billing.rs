//! Billing: orders (sales and dealers'), invoices and credit notes, payments, and the ageing.

use crate::api::accounts::Money;
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::leads::Named;
use crate::api::paging::Connection;
use crate::api::{fetch, fetch_node, request, ApiError};
use serde_json::{json, Value};

/// What the caller may do with an order now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderActions {
    /// Confirm a received dealer's order.
    pub confirm: bool,
    /// Mark it shipped.
    pub ship: bool,
    /// Record deliveries.
    pub deliver: bool,
    /// Cancel it.
    pub cancel: bool,
    /// Draft an invoice from it.
    pub invoice: bool,
}

impl FromJson for OrderActions {
    fn from_json(v: &Value) -> Self {
        Self {
            confirm: json::flag(v, "confirm"),
            ship: json::flag(v, "ship"),
            deliver: json::flag(v, "deliver"),
            cancel: json::flag(v, "cancel"),
            invoice: json::flag(v, "invoice"),
        }
    }
}

/// A line of an order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderLine {
    /// Opaque global id.
    pub id: String,
    /// Product code.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// Ordered quantity.
    pub quantity: String,
    /// Delivered so far.
    pub delivered: String,
    /// Not yet delivered.
    pub outstanding: String,
    /// Billed so far.
    pub invoiced: String,
    /// Unit price.
    pub unit_price: Option<Money>,
    /// Net plus tax.
    pub total: Option<Money>,
}

impl FromJson for OrderLine {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            code: json::opt_text(v, "code"),
            name: json::text(v, "name"),
            unit: json::text(v, "unit"),
            quantity: json::text(v, "quantity"),
            delivered: json::text(v, "delivered"),
            outstanding: json::text(v, "outstanding"),
            invoiced: json::text(v, "invoiced"),
            unit_price: json::object(v, "unitPrice"),
            total: json::object(v, "total"),
        }
    }
}

/// An order: in lists, or on its page (with lines and invoices).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Order {
    /// Opaque global id.
    pub id: String,
    /// `SO-000123`.
    pub number: String,
    /// `SALES` or `DEALER`.
    pub kind: String,
    /// `RECEIVED`, `CONFIRMED`, `SHIPPED`, `DELIVERED` or `CANCELLED`.
    pub status: String,
    /// Optimistic-lock version.
    pub version: i64,
    /// The customer the goods are for.
    pub customer: Option<Named>,
    /// The ordering dealer.
    pub dealer: Option<Named>,
    /// The dealer's reference.
    pub dealer_reference: Option<String>,
    /// The quote it came from.
    pub quote: Option<Named>,
    /// Order date.
    pub order_date: String,
    /// Before tax.
    pub net: Option<Money>,
    /// With tax.
    pub total: Option<Money>,
    /// What the caller may do now.
    pub can: OrderActions,
    /// Its lines (on its page).
    pub lines: Vec<OrderLine>,
    /// Its invoices and credit notes (on its page).
    pub invoices: Vec<Invoice>,
}

impl FromJson for Order {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            number: json::text(v, "number"),
            kind: json::text(v, "kind"),
            status: json::text(v, "status"),
            version: json::int(v, "version"),
            customer: json::object(v, "customer"),
            dealer: json::object(v, "dealer"),
            dealer_reference: json::opt_text(v, "dealerReference"),
            quote: v.get("quote").filter(|q| q.is_object()).map(|q| Named {
                id: json::text(q, "id"),
                name: json::text(q, "number"),
            }),
            order_date: json::text(v, "orderDate"),
            net: json::object(v, "net"),
            total: json::object(v, "total"),
            can: OrderActions::from_json(&v["can"]),
            lines: json::list(v, "lines"),
            invoices: json::list(v, "invoices"),
        }
    }
}

/// What the caller may do with an invoice now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InvoiceActions {
    /// Change the draft.
    pub edit: bool,
    /// Issue the draft.
    pub issue: bool,
    /// Delete the draft.
    pub delete: bool,
    /// Issue a credit note against it.
    pub credit: bool,
    /// Record a payment for it.
    pub record_payment: bool,
}

impl FromJson for InvoiceActions {
    fn from_json(v: &Value) -> Self {
        Self {
            edit: json::flag(v, "edit"),
            issue: json::flag(v, "issue"),
            delete: json::flag(v, "delete"),
            credit: json::flag(v, "credit"),
            record_payment: json::flag(v, "recordPayment"),
        }
    }
}

/// A line of an invoice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InvoiceLine {
    /// Opaque global id.
    pub id: String,
    /// Product code.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Quantity billed.
    pub quantity: String,
    /// Unit of measure.
    pub unit: String,
    /// Unit price.
    pub unit_price: Option<Money>,
    /// Tax rate in percent.
    pub tax_rate_percent: String,
    /// Net plus tax.
    pub total: Option<Money>,
}

impl FromJson for InvoiceLine {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            code: json::opt_text(v, "code"),
            name: json::text(v, "name"),
            quantity: json::text(v, "quantity"),
            unit: json::text(v, "unit"),
            unit_price: json::object(v, "unitPrice"),
            tax_rate_percent: json::text(v, "taxRatePercent"),
            total: json::object(v, "total"),
        }
    }
}

/// A payment's part settling an invoice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Allocation {
    /// The amount.
    pub amount: Option<Money>,
    /// The payment's number, when visible.
    pub payment: Option<String>,
    /// When it was allocated.
    pub created_at: String,
}

impl FromJson for Allocation {
    fn from_json(v: &Value) -> Self {
        Self {
            amount: json::object(v, "amount"),
            payment: json::opt_text(&v["payment"], "number"),
            created_at: json::text(v, "createdAt"),
        }
    }
}

/// An invoice or credit note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Invoice {
    /// Opaque global id.
    pub id: String,
    /// `INVOICE` or `CREDIT_NOTE`.
    pub kind: String,
    /// `INV-2026-000042` once issued.
    pub number: Option<String>,
    /// `DRAFT` or `ISSUED`.
    pub status: String,
    /// `NONE`, `OPEN`, `PART_PAID`, `PAID` or `OVERDUE`.
    pub payment_status: String,
    /// Optimistic-lock version.
    pub version: i64,
    /// The customer.
    pub customer: Option<Named>,
    /// The order it bills.
    pub order: Option<Named>,
    /// Issue date.
    pub issue_date: Option<String>,
    /// Due date.
    pub due_date: Option<String>,
    /// Days past due.
    pub days_overdue: i64,
    /// Reminders raised.
    pub dunning_level: i64,
    /// Net, tax, total, paid, credited, open.
    pub net: Option<Money>,
    /// Tax.
    pub tax: Option<Money>,
    /// With tax.
    pub total: Option<Money>,
    /// Paid so far.
    pub paid: Option<Money>,
    /// Credited so far.
    pub credited: Option<Money>,
    /// Still owed.
    pub open: Option<Money>,
    /// What the caller may do now.
    pub can: InvoiceActions,
    /// Its lines (on its page).
    pub lines: Vec<InvoiceLine>,
    /// The payments settling it (on its page).
    pub allocations: Vec<Allocation>,
    /// Its credit notes (on its page).
    pub credit_notes: Vec<Invoice>,
}

impl FromJson for Invoice {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            kind: json::text(v, "kind"),
            number: json::opt_text(v, "number"),
            status: json::text(v, "status"),
            payment_status: json::text(v, "paymentStatus"),
            version: json::int(v, "version"),
            customer: json::object(v, "customer"),
            order: v.get("order").filter(|o| o.is_object()).map(|o| Named {
                id: json::text(o, "id"),
                name: json::text(o, "number"),
            }),
            issue_date: json::opt_text(v, "issueDate"),
            due_date: json::opt_text(v, "dueDate"),
            days_overdue: json::int(v, "daysOverdue"),
            dunning_level: json::int(v, "dunningLevel"),
            net: json::object(v, "net"),
            tax: json::object(v, "tax"),
            total: json::object(v, "total"),
            paid: json::object(v, "paid"),
            credited: json::object(v, "credited"),
            open: json::object(v, "open"),
            can: InvoiceActions::from_json(&v["can"]),
            lines: json::list(v, "lines"),
            allocations: json::list(v, "allocations"),
            credit_notes: json::list(v, "creditNotes"),
        }
    }
}

/// Open amounts of one currency by age.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgeingRow {
    /// ISO 4217 code.
    pub currency: String,
    /// Current, 1–30, 31–60, 61–90, over 90, overdue and total.
    pub buckets: [Option<Money>; 7],
    /// Invoices open.
    pub invoices: i64,
}

/// The ageing columns, in order: the API field and its heading.
pub const AGEING_COLUMNS: [(&str, &str); 7] = [
    ("current", "Not yet due"),
    ("days1To30", "1–30 days"),
    ("days31To60", "31–60 days"),
    ("days61To90", "61–90 days"),
    ("over90", "Over 90 days"),
    ("overdue", "Overdue"),
    ("total", "Total open"),
];

impl FromJson for AgeingRow {
    fn from_json(v: &Value) -> Self {
        Self {
            currency: json::text(v, "currency"),
            buckets: AGEING_COLUMNS.map(|(k, _)| json::object(v, k)),
            invoices: json::int(v, "invoices"),
        }
    }
}

/// The label of an order status.
pub fn order_status_label(status: &str) -> &'static str {
    match status {
        "RECEIVED" => "Received",
        "CONFIRMED" => "Confirmed",
        "SHIPPED" => "Shipped",
        "DELIVERED" => "Delivered",
        "CANCELLED" => "Cancelled",
        _ => "Unknown",
    }
}

/// Order statuses, in flow order.
pub const ORDER_STATUSES: &[&str] = &["RECEIVED", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED"];

/// The label of where an invoice's money stands (a draft reads "Draft").
pub fn invoice_status_label(status: &str, payment: &str) -> &'static str {
    match (status, payment) {
        ("DRAFT", _) => "Draft",
        (_, "OPEN") => "Open",
        (_, "PART_PAID") => "Part paid",
        (_, "PAID") => "Paid",
        (_, "OVERDUE") => "Overdue",
        _ => "Issued",
    }
}

const PARTY: &str = "... on Person { id displayName } ... on Organization { id displayName }";
const MONEY: &str = "{ amount currency }";

fn order_row() -> String {
    format!(
        "id number kind status version orderDate dealerReference total {MONEY} \
         customer {{ {PARTY} }} dealer {{ {PARTY} }}"
    )
}

fn invoice_row() -> String {
    format!(
        "id kind number status paymentStatus version issueDate dueDate daysOverdue dunningLevel \
         total {MONEY} open {MONEY} customer {{ {PARTY} }}"
    )
}

fn order_page() -> String {
    format!(
        "{} net {MONEY} quote {{ id number }} can {{ confirm ship deliver cancel invoice }} \
         lines {{ id code name unit quantity delivered outstanding invoiced unitPrice {MONEY} total {MONEY} }} \
         invoices {{ {} }}",
        order_row(),
        invoice_row()
    )
}

fn invoice_page() -> String {
    format!(
        "{} net {MONEY} tax {MONEY} paid {MONEY} credited {MONEY} order {{ id number }} \
         can {{ edit issue delete credit recordPayment }} \
         lines {{ id code name quantity unit unitPrice {MONEY} taxRatePercent total {MONEY} }} \
         allocations {{ amount {MONEY} createdAt payment {{ number }} }} \
         creditNotes {{ id number total {MONEY} }}",
        invoice_row()
    )
}

/// The document of [`orders`].
pub(crate) fn orders_query() -> String {
    format!(
        "query Orders($after: String, $filter: OrderFilterInput) {{ \
         orders(first: 25, after: $after, filter: $filter) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {} }} }} }} }}",
        order_row()
    )
}

/// One page of orders matching `search` and `status` (empty: any), newest first.
pub async fn orders(
    search: &str,
    status: &str,
    after: Option<String>,
) -> Result<Connection<Order>, ApiError> {
    let mut filter = json!({});
    if !search.trim().is_empty() {
        filter["search"] = json!(search.trim());
    }
    if !status.is_empty() {
        filter["statuses"] = json!([status]);
    }
    fetch(
        &orders_query(),
        json!({ "after": after, "filter": filter }),
        "orders",
    )
    .await
}

/// The document of [`order`].
pub(crate) fn order_query() -> String {
    format!(
        "query Order($id: ID!) {{ order(id: $id) {{ {} }} }}",
        order_page()
    )
}

/// One order with its lines and invoices.
pub async fn order(id: &str) -> Result<Option<Order>, ApiError> {
    let node = fetch_node(&order_query(), json!({ "id": id }), "order").await?;
    Ok(node.map(|(v, _)| Order::from_json(&v)))
}

/// The document of [`invoices`].
pub(crate) fn invoices_query() -> String {
    format!(
        "query Invoices($after: String, $filter: InvoiceFilterInput) {{ \
         invoices(first: 25, after: $after, filter: $filter) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {} }} }} }} }}",
        invoice_row()
    )
}

/// One page of invoices: `state` is empty (all), `open`, `overdue` or `draft`.
pub async fn invoices(
    search: &str,
    state: &str,
    after: Option<String>,
) -> Result<Connection<Invoice>, ApiError> {
    let mut filter = json!({});
    if !search.trim().is_empty() {
        filter["search"] = json!(search.trim());
    }
    match state {
        "open" => filter["openOnly"] = json!(true),
        "overdue" => filter["overdueOnly"] = json!(true),
        "draft" => filter["statuses"] = json!(["DRAFT"]),
        _ => {}
    }
    fetch(
        &invoices_query(),
        json!({ "after": after, "filter": filter }),
        "invoices",
    )
    .await
}

/// The document of [`invoice`].
pub(crate) fn invoice_query() -> String {
    format!(
        "query Invoice($id: ID!) {{ invoice(id: $id) {{ {} }} }}",
        invoice_page()
    )
}

/// One invoice with its lines, payments and credit notes.
pub async fn invoice(id: &str) -> Result<Option<Invoice>, ApiError> {
    let node = fetch_node(&invoice_query(), json!({ "id": id }), "invoice").await?;
    Ok(node.map(|(v, _)| Invoice::from_json(&v)))
}

/// The document of [`ageing`].
pub(crate) const AGEING_QUERY: &str = "query Ageing { ageing { currency invoices \
    current { amount currency } days1To30 { amount currency } days31To60 { amount currency } \
    days61To90 { amount currency } over90 { amount currency } overdue { amount currency } \
    total { amount currency } } }";

/// What is owed by age, per currency.
pub async fn ageing() -> Result<Vec<AgeingRow>, ApiError> {
    let data = request(AGEING_QUERY, json!({})).await?;
    Ok(json::list(&data, "ageing"))
}

/// The document of [`order_of_quote`].
pub(crate) const QUOTE_ORDER_QUERY: &str =
    "query QuoteOrder($id: ID!) { orders(first: 1, filter: {quoteId: $id}) { nodes { id number } } }";

/// The order made from a quote, if any (and visible).
pub async fn order_of_quote(quote: &str) -> Result<Option<Named>, ApiError> {
    let data = request(QUOTE_ORDER_QUERY, json!({ "id": quote })).await?;
    Ok(json::items(&data["orders"]["nodes"])
        .first()
        .map(|o| Named {
            id: json::text(o, "id"),
            name: json::text(o, "number"),
        }))
}

/// The document of [`order_quote`].
pub(crate) fn order_quote_query() -> String {
    format!(
        "mutation OrderQuote($quote: ID!) {{ createOrderFromQuote(quoteId: $quote) {{ order {{ {} }} }} }}",
        order_page()
    )
}

/// Makes the order of an accepted quote.
pub async fn order_quote(quote: &str) -> Result<Order, ApiError> {
    let mut data = request(&order_quote_query(), json!({ "quote": quote })).await?;
    Ok(Order::from_json(
        &data["createOrderFromQuote"]["order"].take(),
    ))
}

input_mutations! {
    /// The order mutations; each answers with the order.
    pub OrderWrite {
        Confirm = "confirmOrder", "OrderVersionInput";
        Ship = "shipOrder", "OrderVersionInput";
        Cancel = "cancelOrder", "OrderVersionInput";
        Deliver = "recordDelivery", "RecordDeliveryInput";
    }
}

impl OrderWrite {
    /// The document, reading the order back.
    pub(crate) fn document(self) -> String {
        let selection = format!("order {{ {} }}", order_page());
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs an order mutation and reads the order.
pub async fn save_order(mutation: OrderWrite, input: Value) -> Result<Order, ApiError> {
    let mut data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(Order::from_json(&data[mutation.field()]["order"].take()))
}

input_mutations! {
    /// The invoice mutations; each answers with an invoice (a credit note for `Credit`).
    pub InvoiceWrite {
        Create = "createInvoice", "CreateInvoiceInput";
        Issue = "issueInvoice", "InvoiceVersionInput";
        Credit = "createCreditNote", "CreateCreditNoteInput";
    }
}

impl InvoiceWrite {
    /// The document, reading the invoice back.
    pub(crate) fn document(self) -> String {
        let selection = format!("invoice {{ {} }}", invoice_page());
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs an invoice mutation and reads the invoice.
pub async fn save_invoice(mutation: InvoiceWrite, input: Value) -> Result<Invoice, ApiError> {
    let mut data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(Invoice::from_json(
        &data[mutation.field()]["invoice"].take(),
    ))
}

/// The document of [`delete_invoice`].
pub(crate) const DELETE_INVOICE_QUERY: &str =
    "mutation DeleteInvoice($input: InvoiceVersionInput!) { deleteInvoice(input: $input) { id } }";

/// Deletes a draft invoice.
pub async fn delete_invoice(id: &str, version: i64) -> Result<(), ApiError> {
    request(
        DELETE_INVOICE_QUERY,
        json!({ "input": { "id": id, "version": version } }),
    )
    .await?;
    Ok(())
}

/// The document of [`record_payment`].
pub(crate) const RECORD_PAYMENT_QUERY: &str = "mutation RecordPayment($input: RecordPaymentInput!) { \
    recordPayment(input: $input) { payment { id number allocated { amount currency } unallocated { amount currency } } } }";

/// Records a payment; returns its number.
pub async fn record_payment(input: Value) -> Result<String, ApiError> {
    let data = request(RECORD_PAYMENT_QUERY, json!({ "input": input })).await?;
    Ok(json::text(&data["recordPayment"]["payment"], "number"))
}

/// Which of a customer's documents the user may see (each asked only when granted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CustomerParts {
    /// `enquiry` read.
    pub enquiries: bool,
    /// `quote` read.
    pub quotes: bool,
    /// `quote.amount`: quotes' and enquiries' money.
    pub quote_amounts: bool,
    /// `order` read.
    pub orders: bool,
    /// `contract` read.
    pub contracts: bool,
    /// `invoice` read: invoices and the balance.
    pub invoices: bool,
}

impl CustomerParts {
    /// Whether anything is to be asked.
    pub fn any(self) -> bool {
        self.enquiries || self.quotes || self.orders || self.contracts || self.invoices
    }
}

/// A document in a customer's list: number, status, an amount and its date.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocRow {
    /// Opaque global id.
    pub id: String,
    /// Its number (a draft invoice has none).
    pub number: Option<String>,
    /// The stored status.
    pub status: String,
    /// Its amount, when shown.
    pub amount: Option<Money>,
    /// Its date.
    pub date: String,
}

impl FromJson for DocRow {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            number: json::opt_text(v, "number"),
            status: json::text(v, "status"),
            amount: json::object(v, "amount"),
            date: json::text(v, "date"),
        }
    }
}

/// A customer's position in one currency.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Balance {
    /// Open on issued invoices.
    pub open: Option<Money>,
    /// Of which overdue.
    pub overdue: Option<Money>,
    /// Open less unallocated payments.
    pub balance: Option<Money>,
}

impl FromJson for Balance {
    fn from_json(v: &Value) -> Self {
        Self {
            open: json::object(v, "open"),
            overdue: json::object(v, "overdue"),
            balance: json::object(v, "balance"),
        }
    }
}

/// A customer's documents: the latest of each kind, and the balance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerDocs {
    /// Latest enquiries.
    pub enquiries: Vec<DocRow>,
    /// Latest quotes.
    pub quotes: Vec<DocRow>,
    /// Latest orders.
    pub orders: Vec<DocRow>,
    /// Latest contracts.
    pub contracts: Vec<DocRow>,
    /// Latest invoices.
    pub invoices: Vec<DocRow>,
    /// The balance per currency.
    pub balance: Vec<Balance>,
}

const MONEY_OF: &str = "{ amount currency }";

/// The document of [`customer_docs`]: each part only when granted.
pub(crate) fn customer_query(p: CustomerParts) -> String {
    let mut f = Vec::new();
    let filter = "(first: 5, filter: {customerId: $c})";
    let quote_amount = |field: &str| {
        if p.quote_amounts {
            format!("amount: {field} {MONEY_OF}")
        } else {
            String::new()
        }
    };
    if p.enquiries {
        f.push(format!(
            "enquiries{filter} {{ nodes {{ id number status date: enquiryDate {} }} }}",
            quote_amount("net")
        ));
    }
    if p.quotes {
        f.push(format!(
            "quotes{filter} {{ nodes {{ id number status date: validUntil {} }} }}",
            quote_amount("total")
        ));
    }
    if p.orders {
        f.push(format!(
            "orders{filter} {{ nodes {{ id number status date: orderDate amount: total {MONEY_OF} }} }}"
        ));
    }
    if p.contracts {
        f.push(format!(
            "contracts{filter} {{ nodes {{ id number status date: endDate amount: value {MONEY_OF} }} }}"
        ));
    }
    if p.invoices {
        f.push(format!(
            "invoices{filter} {{ nodes {{ id number status: paymentStatus date: dueDate amount: total {MONEY_OF} }} }} \
             customerBalance(customerId: $c) {{ open {MONEY_OF} overdue {MONEY_OF} balance {MONEY_OF} }}"
        ));
    }
    format!("query CustomerDocuments($c: ID!) {{ {} }}", f.join(" "))
}

/// A customer's latest documents and balance, as far as the user may see them.
pub async fn customer_docs(party: &str, parts: CustomerParts) -> Result<CustomerDocs, ApiError> {
    let data = request(&customer_query(parts), json!({ "c": party })).await?;
    Ok(CustomerDocs {
        enquiries: json::list(&data["enquiries"], "nodes"),
        quotes: json::list(&data["quotes"], "nodes"),
        orders: json::list(&data["orders"], "nodes"),
        contracts: json::list(&data["contracts"], "nodes"),
        invoices: json::list(&data["invoices"], "nodes"),
        balance: json::list(&data, "customerBalance"),
    })
}

/// What the caller may do with a contract now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContractActions {
    /// Change it.
    pub edit: bool,
    /// Send it for review.
    pub submit: bool,
    /// Approve or reject it.
    pub review: bool,
}

/// A contract with a customer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contract {
    /// Opaque global id.
    pub id: String,
    /// `CT-000123`.
    pub number: String,
    /// Title.
    pub title: String,
    /// `DRAFT`, `IN_REVIEW`, `APPROVED` or `REJECTED`.
    pub status: String,
    /// Optimistic-lock version.
    pub version: i64,
    /// The customer.
    pub customer: Option<Named>,
    /// Its value.
    pub value: Option<Money>,
    /// Start and end dates.
    pub start_date: String,
    /// End date.
    pub end_date: String,
    /// `NONE`, `AUTOMATIC` or `NOTICE`.
    pub renewal: String,
    /// Days of notice before the end.
    pub notice_days: i64,
    /// The last day notice can be given.
    pub notice_date: Option<String>,
    /// Terms.
    pub terms: Option<String>,
    /// Who sent it for review.
    pub submitted_by: Option<String>,
    /// Who reviewed it.
    pub reviewer: Option<String>,
    /// The reviewer's notes.
    pub review_notes: Option<String>,
    /// What the caller may do now.
    pub can: ContractActions,
}

impl FromJson for Contract {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            number: json::text(v, "number"),
            title: json::text(v, "title"),
            status: json::text(v, "status"),
            version: json::int(v, "version"),
            customer: json::object(v, "customer"),
            value: json::object(v, "value"),
            start_date: json::text(v, "startDate"),
            end_date: json::text(v, "endDate"),
            renewal: json::text(v, "renewal"),
            notice_days: json::int(v, "noticeDays"),
            notice_date: json::opt_text(v, "noticeDate"),
            terms: json::opt_text(v, "terms"),
            submitted_by: json::opt_text(&v["submittedBy"], "displayName"),
            reviewer: json::opt_text(&v["reviewer"], "displayName"),
            review_notes: json::opt_text(v, "reviewNotes"),
            can: ContractActions {
                edit: json::flag(&v["can"], "edit"),
                submit: json::flag(&v["can"], "submit"),
                review: json::flag(&v["can"], "review"),
            },
        }
    }
}

/// The label of a contract status.
pub fn contract_status_label(status: &str) -> &'static str {
    match status {
        "DRAFT" => "Draft",
        "IN_REVIEW" => "In review",
        "APPROVED" => "Approved",
        "REJECTED" => "Rejected",
        _ => "Unknown",
    }
}

fn contract_fields() -> String {
    format!(
        "id number title status version startDate endDate renewal noticeDays noticeDate terms reviewNotes \
         value {MONEY_OF} customer {{ {PARTY} }} submittedBy {{ displayName }} reviewer {{ displayName }} \
         can {{ edit submit review }}"
    )
}

/// The document of [`contracts`].
pub(crate) fn contracts_query() -> String {
    format!(
        "query Contracts($after: String, $filter: ContractFilterInput) {{ \
         contracts(first: 25, after: $after, filter: $filter) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {} }} }} }} }}",
        contract_fields()
    )
}

/// One page of contracts; only those waiting for the user's review with `to_review`.
pub async fn contracts(
    to_review: bool,
    after: Option<String>,
) -> Result<Connection<Contract>, ApiError> {
    let filter = if to_review {
        json!({ "toReview": true })
    } else {
        json!({})
    };
    fetch(
        &contracts_query(),
        json!({ "after": after, "filter": filter }),
        "contracts",
    )
    .await
}

/// The document of [`contract`].
pub(crate) fn contract_query() -> String {
    format!(
        "query Contract($id: ID!) {{ contract(id: $id) {{ {} }} }}",
        contract_fields()
    )
}

/// One contract.
pub async fn contract(id: &str) -> Result<Option<Contract>, ApiError> {
    let node = fetch_node(&contract_query(), json!({ "id": id }), "contract").await?;
    Ok(node.map(|(v, _)| Contract::from_json(&v)))
}

input_mutations! {
    /// The contract mutations; each answers with the contract.
    pub ContractWrite {
        Create = "createContract", "CreateContractInput";
        Update = "updateContract", "UpdateContractInput";
        Submit = "submitContract", "ContractVersionInput";
        Review = "reviewContract", "ReviewContractInput";
    }
}

impl ContractWrite {
    /// The document, reading the contract back.
    pub(crate) fn document(self) -> String {
        let selection = format!("contract {{ {} }}", contract_fields());
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs a contract mutation and reads the contract.
pub async fn save_contract(mutation: ContractWrite, input: Value) -> Result<Contract, ApiError> {
    let mut data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(Contract::from_json(
        &data[mutation.field()]["contract"].take(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_reads_its_state_and_actions() {
        let i = Invoice::from_json(&json!({
            "id": "I1", "kind": "INVOICE", "number": "INV-2026-000001", "status": "ISSUED",
            "paymentStatus": "PART_PAID", "version": 4, "order": {"id": "O1", "number": "SO-000001"},
            "open": {"amount": "45.95", "currency": "EUR"},
            "can": {"recordPayment": true, "credit": true},
            "allocations": [{"amount": {"amount": "50.00", "currency": "EUR"}, "payment": {"number": "PAY-000001"}}]
        }));
        assert_eq!(
            invoice_status_label(&i.status, &i.payment_status),
            "Part paid"
        );
        assert_eq!(i.order.as_ref().map(|o| o.name.as_str()), Some("SO-000001"));
        assert!(i.can.record_payment && i.can.credit && !i.can.issue);
        assert_eq!(i.allocations[0].payment.as_deref(), Some("PAY-000001"));
        assert_eq!(invoice_status_label("DRAFT", "NONE"), "Draft");
    }

    #[test]
    fn an_ageing_row_reads_every_bucket_in_order() {
        let r = AgeingRow::from_json(&json!({
            "currency": "EUR", "invoices": 3,
            "current": {"amount": "1.00", "currency": "EUR"}, "over90": {"amount": "5.00", "currency": "EUR"}
        }));
        assert_eq!(
            r.buckets[0].as_ref().map(|m| m.amount.as_str()),
            Some("1.00")
        );
        assert_eq!(
            r.buckets[4].as_ref().map(|m| m.amount.as_str()),
            Some("5.00")
        );
        assert!(r.buckets[1].is_none());
    }
}
