//! A party's tax id: its kind (`VAT`, `EIN`, …), the country that issued it and the number.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "party_tax_ids")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub party_id: Uuid,
    /// `VAT`, `GST`, `EIN`, `ABN` or `OTHER`.
    pub kind: String,
    /// ISO 3166-1 alpha-2 code of the issuing country.
    pub country: String,
    /// The number as entered.
    pub value: String,
    /// The number's letters and digits, upper-cased (for comparing and finding).
    pub value_key: String,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
