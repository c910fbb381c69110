//! Enquiries: what a customer asked for (channel, address, lines with their own specification,
//! delivery period, payment terms, the lead time a quotation is wanted in, delivery point,
//! remarks), until it is quoted. Grants on `enquiry`.
use sea_orm_migration::prelude::*;

use crate::access::{grant, ObjectGrant, Role};
use crate::columns::{at, big, date, id, index, int, long_text, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enquiries {
    Table,
    Id,
    Number,
    EnquiryDate,
    Channel,
    CustomerId,
    Address,
    OwnerId,
    Status,
    Currency,
    DeliveryPeriod,
    PaymentTerms,
    QuotationLeadDays,
    DeliveryPoint,
    Remarks,
    QuoteId,
    NetMinor,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum EnquiryLines {
    Table,
    Id,
    EnquiryId,
    Position,
    ProductId,
    Code,
    Name,
    Specification,
    Unit,
    QuantityMilli,
    UnitPriceMinor,
    DiscountBp,
    TaxCategory,
    NetMinor,
    TotalMinor,
}

const GRANTS: &[ObjectGrant] = &[
    (Role::Admin, "enquiry", "read", "all"),
    (Role::Admin, "enquiry", "create", "all"),
    (Role::Admin, "enquiry", "update", "all"),
    (Role::SalesManager, "enquiry", "read", "all"),
    (Role::SalesManager, "enquiry", "create", "all"),
    (Role::SalesManager, "enquiry", "update", "all"),
    (Role::SalesRep, "enquiry", "read", "team"),
    (Role::SalesRep, "enquiry", "create", "own"),
    (Role::SalesRep, "enquiry", "update", "own"),
    (Role::SupportAgent, "enquiry", "read", "all"),
    (Role::Billing, "enquiry", "read", "all"),
    (Role::ReadOnly, "enquiry", "read", "all"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Enquiries::Table)
                .col(id(Enquiries::Id))
                .col(text(Enquiries::Number, 24, false))
                .col(date(Enquiries::EnquiryDate, false))
                .col(text(Enquiries::Channel, 12, false))
                .col(uuid(Enquiries::CustomerId, false))
                .col(long_text(Enquiries::Address))
                .col(uuid(Enquiries::OwnerId, false))
                .col(text(Enquiries::Status, 12, false))
                .col(text(Enquiries::Currency, 3, false))
                .col(text(Enquiries::DeliveryPeriod, 200, true))
                .col(text(Enquiries::PaymentTerms, 200, true))
                .col(
                    ColumnDef::new(Enquiries::QuotationLeadDays)
                        .integer()
                        .null(),
                )
                .col(text(Enquiries::DeliveryPoint, 200, true))
                .col(long_text(Enquiries::Remarks))
                .col(uuid(Enquiries::QuoteId, true))
                .col(big(Enquiries::NetMinor, false))
                .col(int(Enquiries::Version))
                .col(at(Enquiries::CreatedAt, false))
                .col(at(Enquiries::UpdatedAt, false))
                .col(uuid(Enquiries::CreatedBy, true))
                .col(uuid(Enquiries::UpdatedBy, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_enquiries_number",
            Enquiries::Table,
            vec![Enquiries::Number.into_iden()],
            true,
        )
        .await?;
        for (name, col) in [
            ("idx_enquiries_customer", Enquiries::CustomerId),
            ("idx_enquiries_owner", Enquiries::OwnerId),
        ] {
            index(
                m,
                name,
                Enquiries::Table,
                vec![col.into_iden(), Enquiries::CreatedAt.into_iden()],
                false,
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(EnquiryLines::Table)
                .col(id(EnquiryLines::Id))
                .col(uuid(EnquiryLines::EnquiryId, false))
                .col(int(EnquiryLines::Position))
                .col(uuid(EnquiryLines::ProductId, true))
                .col(text(EnquiryLines::Code, 40, true))
                .col(text(EnquiryLines::Name, 200, false))
                .col(long_text(EnquiryLines::Specification))
                .col(text(EnquiryLines::Unit, 20, false))
                .col(big(EnquiryLines::QuantityMilli, false))
                .col(big(EnquiryLines::UnitPriceMinor, false))
                .col(int(EnquiryLines::DiscountBp))
                .col(text(EnquiryLines::TaxCategory, 20, false))
                .col(big(EnquiryLines::NetMinor, false))
                .col(big(EnquiryLines::TotalMinor, false))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_enquiry_lines_enquiry",
            EnquiryLines::Table,
            vec![
                EnquiryLines::EnquiryId.into_iden(),
                EnquiryLines::Position.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            m,
            "idx_enquiry_lines_product",
            EnquiryLines::Table,
            vec![
                EnquiryLines::ProductId.into_iden(),
                EnquiryLines::EnquiryId.into_iden(),
            ],
            false,
        )
        .await?;
        grant(m, GRANTS).await
    }
}
