//! Contracts with a customer: terms, period, value, renewal (automatic or by notice, with a notice
//! period) and the four-eyes review (draft → in review → approved / rejected with the reviewer's
//! notes). Grants on `contract`; the field grant `contract.review` marks who may review.
use sea_orm_migration::prelude::*;

use crate::access::{grant, grant_fields, FieldGrant, ObjectGrant, Role};
use crate::columns::{at, big, date, id, index, int, long_text, text, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Id,
    Number,
    CustomerId,
    OwnerId,
    Title,
    Terms,
    StartDate,
    EndDate,
    Currency,
    ValueMinor,
    Renewal,
    NoticeDays,
    Status,
    SubmittedBy,
    SubmittedAt,
    ReviewerId,
    ReviewedAt,
    ReviewNotes,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

const GRANTS: &[ObjectGrant] = &[
    (Role::Admin, "contract", "read", "all"),
    (Role::Admin, "contract", "create", "all"),
    (Role::Admin, "contract", "update", "all"),
    (Role::SalesManager, "contract", "read", "all"),
    (Role::SalesManager, "contract", "create", "all"),
    (Role::SalesManager, "contract", "update", "all"),
    (Role::SalesRep, "contract", "read", "team"),
    (Role::SalesRep, "contract", "create", "own"),
    (Role::SalesRep, "contract", "update", "own"),
    (Role::Billing, "contract", "read", "all"),
    (Role::SupportAgent, "contract", "read", "all"),
    (Role::ReadOnly, "contract", "read", "all"),
];

const FIELD_GRANTS: &[FieldGrant] = &[
    (Role::Admin, "contract", "review", true, true),
    (Role::SalesManager, "contract", "review", true, true),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Contracts::Table)
                .col(id(Contracts::Id))
                .col(text(Contracts::Number, 24, false))
                .col(uuid(Contracts::CustomerId, false))
                .col(uuid(Contracts::OwnerId, false))
                .col(text(Contracts::Title, 200, false))
                .col(long_text(Contracts::Terms))
                .col(date(Contracts::StartDate, false))
                .col(date(Contracts::EndDate, false))
                .col(text(Contracts::Currency, 3, false))
                .col(big(Contracts::ValueMinor, false))
                .col(text(Contracts::Renewal, 12, false))
                .col(int(Contracts::NoticeDays))
                .col(text(Contracts::Status, 12, false))
                .col(uuid(Contracts::SubmittedBy, true))
                .col(at(Contracts::SubmittedAt, true))
                .col(uuid(Contracts::ReviewerId, true))
                .col(at(Contracts::ReviewedAt, true))
                .col(text(Contracts::ReviewNotes, 4000, true))
                .col(int(Contracts::Version))
                .col(at(Contracts::CreatedAt, false))
                .col(at(Contracts::UpdatedAt, false))
                .col(uuid(Contracts::CreatedBy, true))
                .col(uuid(Contracts::UpdatedBy, true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_contracts_number",
            Contracts::Table,
            vec![Contracts::Number.into_iden()],
            true,
        )
        .await?;
        for (name, col) in [
            ("idx_contracts_customer", Contracts::CustomerId),
            ("idx_contracts_owner", Contracts::OwnerId),
            ("idx_contracts_status", Contracts::Status),
        ] {
            index(
                m,
                name,
                Contracts::Table,
                vec![col.into_iden(), Contracts::CreatedAt.into_iden()],
                false,
            )
            .await?;
        }
        grant(m, GRANTS).await?;
        grant_fields(m, FIELD_GRANTS).await
    }
}
