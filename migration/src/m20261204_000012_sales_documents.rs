//! Sales documents, first part: tax categories, products with a price per currency, price lists
//! (default, per customer type or per customer, dated), and quotes with immutable revisions and
//! their lines; the `billing` builtin role; grants on `product`, `price_list` and `quote` and the
//! field grants on a product's cost, a quote's margin and discounts above the limit.
use sea_orm_migration::prelude::*;

use crate::access::{add_role, grant, grant_fields, FieldGrant, ObjectGrant, Role};
use crate::columns::{at, big, date, flag, id, index, int, long_text, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TaxCategories {
    Table,
    Code,
    Name,
    RateBp,
    Position,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Code,
    Name,
    SearchName,
    Description,
    Unit,
    TaxCategory,
    Active,
    CostMinor,
    CostCurrency,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum ProductPrices {
    Table,
    ProductId,
    Currency,
    UnitPriceMinor,
}

#[derive(DeriveIden)]
enum PriceLists {
    Table,
    Id,
    Name,
    Currency,
    CustomerId,
    CustomerType,
    ValidFrom,
    ValidTo,
    IsDefault,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum PriceListItems {
    Table,
    PriceListId,
    ProductId,
    UnitPriceMinor,
}

#[derive(DeriveIden)]
enum Quotes {
    Table,
    Id,
    Number,
    CustomerId,
    OpportunityId,
    OwnerId,
    Status,
    Revision,
    Title,
    Currency,
    ValidUntil,
    NetMinor,
    TotalMinor,
    SentAt,
    DecidedAt,
    DecisionNote,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum QuoteRevisions {
    Table,
    Id,
    QuoteId,
    Revision,
    Currency,
    ValidUntil,
    DiscountBp,
    Notes,
    Terms,
    GrossMinor,
    DiscountMinor,
    NetMinor,
    TaxMinor,
    TotalMinor,
    CreatedAt,
    CreatedBy,
    SentAt,
}

#[derive(DeriveIden)]
enum QuoteLines {
    Table,
    Id,
    RevisionId,
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
    TaxRateBp,
    GrossMinor,
    DiscountMinor,
    NetMinor,
    TaxMinor,
    TotalMinor,
    CostMinor,
}

const GRANTS: &[ObjectGrant] = &[
    (Role::Admin, "product", "read", "all"),
    (Role::Admin, "product", "create", "all"),
    (Role::Admin, "product", "update", "all"),
    (Role::Admin, "product", "archive", "all"),
    (Role::Admin, "price_list", "read", "all"),
    (Role::Admin, "price_list", "create", "all"),
    (Role::Admin, "price_list", "update", "all"),
    (Role::Admin, "quote", "read", "all"),
    (Role::Admin, "quote", "create", "all"),
    (Role::Admin, "quote", "update", "all"),
    (Role::Admin, "quote", "export", "all"),
    (Role::SalesManager, "product", "read", "all"),
    (Role::SalesManager, "product", "create", "all"),
    (Role::SalesManager, "product", "update", "all"),
    (Role::SalesManager, "price_list", "read", "all"),
    (Role::SalesManager, "price_list", "create", "all"),
    (Role::SalesManager, "price_list", "update", "all"),
    (Role::SalesManager, "quote", "read", "all"),
    (Role::SalesManager, "quote", "create", "all"),
    (Role::SalesManager, "quote", "update", "all"),
    (Role::SalesManager, "quote", "export", "all"),
    (Role::SalesRep, "product", "read", "all"),
    (Role::SalesRep, "price_list", "read", "all"),
    (Role::SalesRep, "quote", "read", "team"),
    (Role::SalesRep, "quote", "create", "own"),
    (Role::SalesRep, "quote", "update", "own"),
    (Role::Marketing, "product", "read", "all"),
    (Role::SupportAgent, "product", "read", "all"),
    (Role::SupportAgent, "quote", "read", "all"),
    (Role::Partner, "product", "read", "all"),
    (Role::ReadOnly, "product", "read", "all"),
    (Role::ReadOnly, "price_list", "read", "all"),
    (Role::ReadOnly, "quote", "read", "all"),
    (Role::Billing, "product", "read", "all"),
    (Role::Billing, "price_list", "read", "all"),
    (Role::Billing, "quote", "read", "all"),
    (Role::Billing, "account", "read", "all"),
    (Role::Billing, "party", "read", "all"),
    (Role::Billing, "opportunity", "read", "all"),
    (Role::Billing, "activity", "read", "own"),
    (Role::Billing, "activity", "create", "own"),
    (Role::Billing, "activity", "update", "own"),
    (Role::Billing, "user", "read", "all"),
    (Role::Billing, "pipeline", "read", "all"),
];

const FIELD_GRANTS: &[FieldGrant] = &[
    (Role::Admin, "product", "cost", true, true),
    (Role::Admin, "quote", "margin", true, false),
    (Role::Admin, "quote", "largeDiscount", true, true),
    (Role::Admin, "quote", "amount", true, true),
    (Role::SalesManager, "product", "cost", true, true),
    (Role::SalesManager, "quote", "margin", true, false),
    (Role::SalesManager, "quote", "largeDiscount", true, true),
    (Role::SalesManager, "quote", "amount", true, true),
    (Role::SalesRep, "quote", "amount", true, true),
    (Role::SupportAgent, "quote", "amount", true, false),
    (Role::ReadOnly, "quote", "amount", true, false),
    (Role::Billing, "product", "cost", true, false),
    (Role::Billing, "quote", "amount", true, false),
    (Role::Billing, "account", "annualRevenue", true, false),
    (Role::Billing, "party", "contactMechanisms", true, false),
    (Role::Billing, "opportunity", "amount", true, false),
];

/// `(code, name, rate in basis points)`: the tax categories a product may name.
const TAX_CATEGORIES: &[(&str, &str, i32)] = &[
    ("STANDARD", "Standard rate", 2000),
    ("REDUCED", "Reduced rate", 700),
    ("ZERO", "Zero rate", 0),
    ("EXEMPT", "Exempt", 0),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TaxCategories::Table)
                .col(
                    ColumnDef::new(TaxCategories::Code)
                        .string_len(20)
                        .not_null()
                        .primary_key(),
                )
                .col(text(TaxCategories::Name, 100, false))
                .col(int(TaxCategories::RateBp))
                .col(int(TaxCategories::Position))
                .to_owned(),
        )
        .await?;
        let mut cats = Query::insert();
        cats.into_table(TaxCategories::Table).columns([
            TaxCategories::Code,
            TaxCategories::Name,
            TaxCategories::RateBp,
            TaxCategories::Position,
        ]);
        for (i, (code, name, rate)) in TAX_CATEGORIES.iter().enumerate() {
            cats.values_panic([
                (*code).into(),
                (*name).into(),
                (*rate).into(),
                (i as i32).into(),
            ]);
        }
        m.exec_stmt(cats).await?;

        m.create_table(
            Table::create()
                .table(Products::Table)
                .col(id(Products::Id))
                .col(text(Products::Code, 40, false))
                .col(text(Products::Name, 200, false))
                .col(text(Products::SearchName, 250, false))
                .col(long_text(Products::Description))
                .col(text(Products::Unit, 20, false))
                .col(text(Products::TaxCategory, 20, false))
                .col(flag(Products::Active))
                .col(big(Products::CostMinor, true))
                .col(text(Products::CostCurrency, 3, true))
                .col(int(Products::Version))
                .col(at(Products::CreatedAt, false))
                .col(at(Products::UpdatedAt, false))
                .col(uuid(Products::CreatedBy, true))
                .col(uuid(Products::UpdatedBy, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_products_code",
            Products::Table,
            vec![Products::Code.into_iden()],
            true,
        )
        .await?;
        index(
            m,
            "idx_products_search",
            Products::Table,
            vec![Products::SearchName.into_iden(), Products::Id.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ProductPrices::Table)
                .col(uuid(ProductPrices::ProductId, false))
                .col(text(ProductPrices::Currency, 3, false))
                .col(big(ProductPrices::UnitPriceMinor, false))
                .primary_key(
                    Index::create()
                        .col(ProductPrices::ProductId)
                        .col(ProductPrices::Currency),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PriceLists::Table)
                .col(id(PriceLists::Id))
                .col(text(PriceLists::Name, 200, false))
                .col(text(PriceLists::Currency, 3, false))
                .col(uuid(PriceLists::CustomerId, true))
                .col(text(PriceLists::CustomerType, 8, true))
                .col(date(PriceLists::ValidFrom, true))
                .col(date(PriceLists::ValidTo, true))
                .col(flag(PriceLists::IsDefault))
                .col(flag(PriceLists::Active))
                .col(int(PriceLists::Version))
                .col(at(PriceLists::CreatedAt, false))
                .col(at(PriceLists::UpdatedAt, false))
                .col(uuid(PriceLists::CreatedBy, true))
                .col(uuid(PriceLists::UpdatedBy, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_price_lists_customer",
            PriceLists::Table,
            vec![
                PriceLists::CustomerId.into_iden(),
                PriceLists::Currency.into_iden(),
            ],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PriceListItems::Table)
                .col(uuid(PriceListItems::PriceListId, false))
                .col(uuid(PriceListItems::ProductId, false))
                .col(big(PriceListItems::UnitPriceMinor, false))
                .primary_key(
                    Index::create()
                        .col(PriceListItems::PriceListId)
                        .col(PriceListItems::ProductId),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_price_list_items_product",
            PriceListItems::Table,
            vec![PriceListItems::ProductId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Quotes::Table)
                .col(id(Quotes::Id))
                .col(text(Quotes::Number, 24, false))
                .col(uuid(Quotes::CustomerId, false))
                .col(uuid(Quotes::OpportunityId, true))
                .col(uuid(Quotes::OwnerId, false))
                .col(text(Quotes::Status, 12, false))
                .col(int(Quotes::Revision))
                .col(text(Quotes::Title, 200, false))
                .col(text(Quotes::Currency, 3, false))
                .col(date(Quotes::ValidUntil, false))
                .col(big(Quotes::NetMinor, false))
                .col(big(Quotes::TotalMinor, false))
                .col(at(Quotes::SentAt, true))
                .col(at(Quotes::DecidedAt, true))
                .col(text(Quotes::DecisionNote, 2000, true))
                .col(int(Quotes::Version))
                .col(at(Quotes::CreatedAt, false))
                .col(at(Quotes::UpdatedAt, false))
                .col(uuid(Quotes::CreatedBy, true))
                .col(uuid(Quotes::UpdatedBy, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_quotes_number",
            Quotes::Table,
            vec![Quotes::Number.into_iden()],
            true,
        )
        .await?;
        for (name, col) in [
            ("idx_quotes_customer", Quotes::CustomerId),
            ("idx_quotes_opportunity", Quotes::OpportunityId),
            ("idx_quotes_owner", Quotes::OwnerId),
        ] {
            index(
                m,
                name,
                Quotes::Table,
                vec![col.into_iden(), Quotes::CreatedAt.into_iden()],
                false,
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(QuoteRevisions::Table)
                .col(id(QuoteRevisions::Id))
                .col(uuid(QuoteRevisions::QuoteId, false))
                .col(int(QuoteRevisions::Revision))
                .col(text(QuoteRevisions::Currency, 3, false))
                .col(date(QuoteRevisions::ValidUntil, false))
                .col(int(QuoteRevisions::DiscountBp))
                .col(long_text(QuoteRevisions::Notes))
                .col(long_text(QuoteRevisions::Terms))
                .col(big(QuoteRevisions::GrossMinor, false))
                .col(big(QuoteRevisions::DiscountMinor, false))
                .col(big(QuoteRevisions::NetMinor, false))
                .col(big(QuoteRevisions::TaxMinor, false))
                .col(big(QuoteRevisions::TotalMinor, false))
                .col(at(QuoteRevisions::CreatedAt, false))
                .col(uuid(QuoteRevisions::CreatedBy, true))
                .col(at(QuoteRevisions::SentAt, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_quote_revisions_quote",
            QuoteRevisions::Table,
            vec![
                QuoteRevisions::QuoteId.into_iden(),
                QuoteRevisions::Revision.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(QuoteLines::Table)
                .col(id(QuoteLines::Id))
                .col(uuid(QuoteLines::RevisionId, false))
                .col(int(QuoteLines::Position))
                .col(uuid(QuoteLines::ProductId, true))
                .col(text(QuoteLines::Code, 40, true))
                .col(text(QuoteLines::Name, 200, false))
                .col(long_text(QuoteLines::Specification))
                .col(text(QuoteLines::Unit, 20, false))
                .col(big(QuoteLines::QuantityMilli, false))
                .col(big(QuoteLines::UnitPriceMinor, false))
                .col(int(QuoteLines::DiscountBp))
                .col(text(QuoteLines::TaxCategory, 20, false))
                .col(int(QuoteLines::TaxRateBp))
                .col(big(QuoteLines::GrossMinor, false))
                .col(big(QuoteLines::DiscountMinor, false))
                .col(big(QuoteLines::NetMinor, false))
                .col(big(QuoteLines::TaxMinor, false))
                .col(big(QuoteLines::TotalMinor, false))
                .col(big(QuoteLines::CostMinor, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_quote_lines_revision",
            QuoteLines::Table,
            vec![
                QuoteLines::RevisionId.into_iden(),
                QuoteLines::Position.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            m,
            "idx_quote_lines_product",
            QuoteLines::Table,
            vec![
                QuoteLines::ProductId.into_iden(),
                QuoteLines::RevisionId.into_iden(),
            ],
            false,
        )
        .await?;

        add_role(m, Role::Billing.id(), Role::Billing.key(), "Billing").await?;
        grant(m, GRANTS).await?;
        grant_fields(m, FIELD_GRANTS).await
    }
}
