//! A dated, typed link from one party to another (a person `contact_of` an organisation, …).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "party_relationships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub from_party_id: Uuid,
    pub to_party_id: Uuid,
    /// A key of the `relationship_type` pick-list (`contact_of`, `employee_of`, …).
    pub kind: String,
    pub role_label: Option<String>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    /// Free text about the relationship.
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
