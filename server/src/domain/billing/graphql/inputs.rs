//! The inputs and payloads of the order, invoice and payment mutations.

use super::*;

/// Filter of the order list.
#[derive(InputObject, Default)]
pub struct OrderFilterInput {
    /// Part of the number or the dealer's reference.
    pub search: Option<String>,
    pub kind: Option<OrderKind>,
    pub statuses: Option<Vec<OrderStatus>>,
    pub customer_id: Option<ID>,
    pub dealer_id: Option<ID>,
    pub quote_id: Option<ID>,
}

/// Filter of the invoice list.
#[derive(InputObject, Default)]
pub struct InvoiceFilterInput {
    /// Part of the number.
    pub search: Option<String>,
    pub kind: Option<InvoiceKind>,
    pub statuses: Option<Vec<InvoiceStatus>>,
    pub customer_id: Option<ID>,
    pub order_id: Option<ID>,
    /// Issued invoices with an amount open.
    pub open_only: Option<bool>,
    /// Open and past due.
    pub overdue_only: Option<bool>,
}

/// A new order entered directly.
#[derive(InputObject)]
pub struct CreateOrderInput {
    /// Default `SALES`.
    pub kind: Option<OrderKind>,
    /// The customer the goods are for (the dealer's end customer on a dealer's order).
    pub customer_id: ID,
    /// Required on a dealer's order: the ordering organisation.
    pub dealer_id: Option<ID>,
    /// Required on a dealer's order.
    pub dealer_reference: Option<String>,
    pub owner_id: Option<ID>,
    pub currency: Option<String>,
    pub notes: Option<String>,
    pub lines: Vec<QuoteLineInput>,
}

/// An order and its version.
#[derive(InputObject)]
pub struct OrderVersionInput {
    pub id: ID,
    pub version: i32,
}

/// A quantity of one line.
#[derive(InputObject)]
pub struct LineQuantityInput {
    pub line_id: ID,
    pub quantity: Decimal,
}

/// Deliveries of an order's lines; none given delivers everything outstanding.
#[derive(InputObject)]
pub struct RecordDeliveryInput {
    pub id: ID,
    pub version: i32,
    pub lines: Option<Vec<LineQuantityInput>>,
}

/// A new draft invoice from an order.
#[derive(InputObject)]
pub struct CreateInvoiceInput {
    pub order_id: ID,
    /// Default `OUTSTANDING`; ignored when `lines` is given.
    pub basis: Option<InvoiceBasis>,
    /// Chosen quantities of order lines.
    pub lines: Option<Vec<LineQuantityInput>>,
    /// Days from issue to due (default 30).
    pub payment_days: Option<i32>,
    pub notes: Option<String>,
}

/// Changes to a draft invoice.
#[derive(InputObject)]
pub struct UpdateInvoiceInput {
    pub id: ID,
    pub version: i32,
    pub payment_days: Option<i32>,
    /// An empty string clears it.
    pub notes: Option<String>,
}

/// An invoice and its version.
#[derive(InputObject)]
pub struct InvoiceVersionInput {
    pub id: ID,
    pub version: i32,
}

/// A credit note against an issued invoice; without `lines`, every line in full.
#[derive(InputObject)]
pub struct CreateCreditNoteInput {
    pub invoice_id: ID,
    /// The invoice's version.
    pub version: i32,
    pub lines: Option<Vec<LineQuantityInput>>,
    pub reason: String,
}

/// Part of a payment for one invoice.
#[derive(InputObject)]
pub struct AllocationInput {
    pub invoice_id: ID,
    pub amount: Decimal,
}

/// A payment received; without `allocations`, it settles the customer's open invoices in its
/// currency, oldest due first, and keeps the rest as credit.
#[derive(InputObject)]
pub struct RecordPaymentInput {
    pub customer_id: ID,
    pub amount: Decimal,
    pub currency: String,
    /// Default today.
    pub received_on: Option<String>,
    pub method: Option<PaymentMethod>,
    pub reference: Option<String>,
    pub allocations: Option<Vec<AllocationInput>>,
}

/// Allocates what a payment has left.
#[derive(InputObject)]
pub struct AllocatePaymentInput {
    pub id: ID,
    pub version: i32,
    pub allocations: Option<Vec<AllocationInput>>,
}

/// The order after a mutation.
#[derive(SimpleObject)]
pub struct OrderPayload {
    pub order: Order,
}

/// The invoice (or credit note) after a mutation.
#[derive(SimpleObject)]
pub struct InvoicePayload {
    pub invoice: Invoice,
}

/// The payment after a mutation.
#[derive(SimpleObject)]
pub struct PaymentPayload {
    pub payment: Payment,
}

/// The id of what a mutation deleted.
#[derive(SimpleObject)]
pub struct DeletedPayload {
    pub id: ID,
}
