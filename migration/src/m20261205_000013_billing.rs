//! Sales documents, second part: sales orders and dealer purchase orders with per-line delivery,
//! invoices and credit notes numbered without gaps per series and year, payments allocated to
//! invoices, and the durable job queue that background work (dunning reminders first) runs from.
//! Grants on `order`, `invoice` and `payment`.
use sea_orm_migration::prelude::*;

use crate::access::{grant, ObjectGrant, Role};
use crate::columns::{at, big, date, id, index, int, long_text, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Number,
    Kind,
    CustomerId,
    DealerId,
    DealerReference,
    QuoteId,
    OwnerId,
    Status,
    Currency,
    OrderDate,
    DiscountBp,
    NetMinor,
    TaxMinor,
    TotalMinor,
    Notes,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    Position,
    ProductId,
    Code,
    Name,
    Unit,
    QuantityMilli,
    DeliveredMilli,
    InvoicedMilli,
    UnitPriceMinor,
    DiscountBp,
    TaxCategory,
    TaxRateBp,
    NetMinor,
    TaxMinor,
    TotalMinor,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    Kind,
    Series,
    Year,
    Sequence,
    Number,
    Status,
    CustomerId,
    OrderId,
    CreditedInvoiceId,
    OwnerId,
    Currency,
    DiscountBp,
    IssueDate,
    DueDate,
    PaymentDays,
    NetMinor,
    TaxMinor,
    TotalMinor,
    PaidMinor,
    CreditedMinor,
    OpenMinor,
    DunningLevel,
    Notes,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum InvoiceLines {
    Table,
    Id,
    InvoiceId,
    Position,
    OrderLineId,
    ProductId,
    Code,
    Name,
    Unit,
    QuantityMilli,
    UnitPriceMinor,
    DiscountBp,
    TaxCategory,
    TaxRateBp,
    NetMinor,
    TaxMinor,
    TotalMinor,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    Number,
    CustomerId,
    OwnerId,
    Currency,
    AmountMinor,
    AllocatedMinor,
    ReceivedOn,
    Method,
    Reference,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum PaymentAllocations {
    Table,
    Id,
    PaymentId,
    InvoiceId,
    AmountMinor,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    RunAt,
    Attempts,
    LockedUntil,
    DoneAt,
    LastError,
    CreatedAt,
}

const GRANTS: &[ObjectGrant] = &[
    (Role::Admin, "order", "read", "all"),
    (Role::Admin, "order", "create", "all"),
    (Role::Admin, "order", "update", "all"),
    (Role::Admin, "invoice", "read", "all"),
    (Role::Admin, "invoice", "create", "all"),
    (Role::Admin, "invoice", "update", "all"),
    (Role::Admin, "invoice", "export", "all"),
    (Role::Admin, "payment", "read", "all"),
    (Role::Admin, "payment", "create", "all"),
    (Role::Admin, "payment", "update", "all"),
    (Role::SalesManager, "order", "read", "all"),
    (Role::SalesManager, "order", "create", "all"),
    (Role::SalesManager, "order", "update", "all"),
    (Role::SalesManager, "invoice", "read", "all"),
    (Role::SalesManager, "invoice", "export", "all"),
    (Role::SalesManager, "payment", "read", "all"),
    (Role::SalesRep, "order", "read", "team"),
    (Role::SalesRep, "order", "create", "own"),
    (Role::SalesRep, "order", "update", "own"),
    (Role::SalesRep, "invoice", "read", "team"),
    (Role::SalesRep, "payment", "read", "team"),
    (Role::SupportAgent, "order", "read", "all"),
    (Role::Partner, "order", "read", "own"),
    (Role::Partner, "order", "create", "own"),
    (Role::ReadOnly, "order", "read", "all"),
    (Role::ReadOnly, "invoice", "read", "all"),
    (Role::ReadOnly, "payment", "read", "all"),
    (Role::Billing, "order", "read", "all"),
    (Role::Billing, "order", "update", "all"),
    (Role::Billing, "invoice", "read", "all"),
    (Role::Billing, "invoice", "create", "all"),
    (Role::Billing, "invoice", "update", "all"),
    (Role::Billing, "invoice", "export", "all"),
    (Role::Billing, "payment", "read", "all"),
    (Role::Billing, "payment", "create", "all"),
    (Role::Billing, "payment", "update", "all"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Orders::Table)
                .col(id(Orders::Id))
                .col(text(Orders::Number, 24, false))
                .col(text(Orders::Kind, 8, false))
                .col(uuid(Orders::CustomerId, false))
                .col(uuid(Orders::DealerId, true))
                .col(text(Orders::DealerReference, 60, true))
                .col(uuid(Orders::QuoteId, true))
                .col(uuid(Orders::OwnerId, false))
                .col(text(Orders::Status, 12, false))
                .col(text(Orders::Currency, 3, false))
                .col(date(Orders::OrderDate, false))
                .col(int(Orders::DiscountBp))
                .col(big(Orders::NetMinor, false))
                .col(big(Orders::TaxMinor, false))
                .col(big(Orders::TotalMinor, false))
                .col(long_text(Orders::Notes))
                .col(int(Orders::Version))
                .col(at(Orders::CreatedAt, false))
                .col(at(Orders::UpdatedAt, false))
                .col(uuid(Orders::CreatedBy, true))
                .col(uuid(Orders::UpdatedBy, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_orders_number",
            Orders::Table,
            vec![Orders::Number.into_iden()],
            true,
        )
        .await?;
        for (name, col) in [
            ("idx_orders_customer", Orders::CustomerId),
            ("idx_orders_dealer", Orders::DealerId),
            ("idx_orders_quote", Orders::QuoteId),
            ("idx_orders_owner", Orders::OwnerId),
        ] {
            index(
                m,
                name,
                Orders::Table,
                vec![col.into_iden(), Orders::CreatedAt.into_iden()],
                false,
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(OrderLines::Table)
                .col(id(OrderLines::Id))
                .col(uuid(OrderLines::OrderId, false))
                .col(int(OrderLines::Position))
                .col(uuid(OrderLines::ProductId, true))
                .col(text(OrderLines::Code, 40, true))
                .col(text(OrderLines::Name, 200, false))
                .col(text(OrderLines::Unit, 20, false))
                .col(big(OrderLines::QuantityMilli, false))
                .col(big(OrderLines::DeliveredMilli, false))
                .col(big(OrderLines::InvoicedMilli, false))
                .col(big(OrderLines::UnitPriceMinor, false))
                .col(int(OrderLines::DiscountBp))
                .col(text(OrderLines::TaxCategory, 20, false))
                .col(int(OrderLines::TaxRateBp))
                .col(big(OrderLines::NetMinor, false))
                .col(big(OrderLines::TaxMinor, false))
                .col(big(OrderLines::TotalMinor, false))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_order_lines_order",
            OrderLines::Table,
            vec![
                OrderLines::OrderId.into_iden(),
                OrderLines::Position.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Invoices::Table)
                .col(id(Invoices::Id))
                .col(text(Invoices::Kind, 12, false))
                .col(text(Invoices::Series, 8, false))
                .col(ColumnDef::new(Invoices::Year).integer().null())
                .col(ColumnDef::new(Invoices::Sequence).integer().null())
                .col(text(Invoices::Number, 24, true))
                .col(text(Invoices::Status, 12, false))
                .col(uuid(Invoices::CustomerId, false))
                .col(uuid(Invoices::OrderId, true))
                .col(uuid(Invoices::CreditedInvoiceId, true))
                .col(uuid(Invoices::OwnerId, false))
                .col(text(Invoices::Currency, 3, false))
                .col(int(Invoices::DiscountBp))
                .col(date(Invoices::IssueDate, true))
                .col(date(Invoices::DueDate, true))
                .col(int(Invoices::PaymentDays))
                .col(big(Invoices::NetMinor, false))
                .col(big(Invoices::TaxMinor, false))
                .col(big(Invoices::TotalMinor, false))
                .col(big(Invoices::PaidMinor, false))
                .col(big(Invoices::CreditedMinor, false))
                .col(big(Invoices::OpenMinor, false))
                .col(int(Invoices::DunningLevel))
                .col(long_text(Invoices::Notes))
                .col(int(Invoices::Version))
                .col(at(Invoices::CreatedAt, false))
                .col(at(Invoices::UpdatedAt, false))
                .col(uuid(Invoices::CreatedBy, true))
                .col(uuid(Invoices::UpdatedBy, true))
                .to_owned(),
        )
        .await?;
        // Unique per series and year: the database itself refuses a number given twice.
        index(
            m,
            "idx_invoices_sequence",
            Invoices::Table,
            vec![
                Invoices::Series.into_iden(),
                Invoices::Year.into_iden(),
                Invoices::Sequence.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            m,
            "idx_invoices_number",
            Invoices::Table,
            vec![Invoices::Number.into_iden()],
            true,
        )
        .await?;
        // The ledger: one customer's open items, and every open item by due date.
        index(
            m,
            "idx_invoices_customer_due",
            Invoices::Table,
            vec![
                Invoices::CustomerId.into_iden(),
                Invoices::Status.into_iden(),
                Invoices::DueDate.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            m,
            "idx_invoices_status_due",
            Invoices::Table,
            vec![Invoices::Status.into_iden(), Invoices::DueDate.into_iden()],
            false,
        )
        .await?;
        for (name, col) in [
            ("idx_invoices_order", Invoices::OrderId),
            ("idx_invoices_owner", Invoices::OwnerId),
            ("idx_invoices_credited", Invoices::CreditedInvoiceId),
        ] {
            index(
                m,
                name,
                Invoices::Table,
                vec![col.into_iden(), Invoices::CreatedAt.into_iden()],
                false,
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(InvoiceLines::Table)
                .col(id(InvoiceLines::Id))
                .col(uuid(InvoiceLines::InvoiceId, false))
                .col(int(InvoiceLines::Position))
                .col(uuid(InvoiceLines::OrderLineId, true))
                .col(uuid(InvoiceLines::ProductId, true))
                .col(text(InvoiceLines::Code, 40, true))
                .col(text(InvoiceLines::Name, 200, false))
                .col(text(InvoiceLines::Unit, 20, false))
                .col(big(InvoiceLines::QuantityMilli, false))
                .col(big(InvoiceLines::UnitPriceMinor, false))
                .col(int(InvoiceLines::DiscountBp))
                .col(text(InvoiceLines::TaxCategory, 20, false))
                .col(int(InvoiceLines::TaxRateBp))
                .col(big(InvoiceLines::NetMinor, false))
                .col(big(InvoiceLines::TaxMinor, false))
                .col(big(InvoiceLines::TotalMinor, false))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_invoice_lines_invoice",
            InvoiceLines::Table,
            vec![
                InvoiceLines::InvoiceId.into_iden(),
                InvoiceLines::Position.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Payments::Table)
                .col(id(Payments::Id))
                .col(text(Payments::Number, 24, false))
                .col(uuid(Payments::CustomerId, false))
                .col(uuid(Payments::OwnerId, false))
                .col(text(Payments::Currency, 3, false))
                .col(big(Payments::AmountMinor, false))
                .col(big(Payments::AllocatedMinor, false))
                .col(date(Payments::ReceivedOn, false))
                .col(text(Payments::Method, 16, false))
                .col(text(Payments::Reference, 100, true))
                .col(int(Payments::Version))
                .col(at(Payments::CreatedAt, false))
                .col(at(Payments::UpdatedAt, false))
                .col(uuid(Payments::CreatedBy, true))
                .col(uuid(Payments::UpdatedBy, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_payments_number",
            Payments::Table,
            vec![Payments::Number.into_iden()],
            true,
        )
        .await?;
        index(
            m,
            "idx_payments_customer",
            Payments::Table,
            vec![
                Payments::CustomerId.into_iden(),
                Payments::ReceivedOn.into_iden(),
            ],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PaymentAllocations::Table)
                .col(id(PaymentAllocations::Id))
                .col(uuid(PaymentAllocations::PaymentId, false))
                .col(uuid(PaymentAllocations::InvoiceId, false))
                .col(big(PaymentAllocations::AmountMinor, false))
                .col(at(PaymentAllocations::CreatedAt, false))
                .col(uuid(PaymentAllocations::CreatedBy, true))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_allocations_payment", PaymentAllocations::PaymentId),
            ("idx_allocations_invoice", PaymentAllocations::InvoiceId),
        ] {
            index(
                m,
                name,
                PaymentAllocations::Table,
                vec![col.into_iden()],
                false,
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(id(Jobs::Id))
                .col(text(Jobs::Kind, 40, false))
                .col(ColumnDef::new(Jobs::Payload).text().not_null())
                .col(at(Jobs::RunAt, false))
                .col(int(Jobs::Attempts))
                .col(at(Jobs::LockedUntil, true))
                .col(at(Jobs::DoneAt, true))
                .col(text(Jobs::LastError, 2000, true))
                .col(at(Jobs::CreatedAt, false))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_jobs_due",
            Jobs::Table,
            vec![Jobs::DoneAt.into_iden(), Jobs::RunAt.into_iden()],
            false,
        )
        .await?;

        grant(m, GRANTS).await
    }
}
