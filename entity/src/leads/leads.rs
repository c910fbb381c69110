//! The lead fields of a party with the LEAD role (names, owner, contact mechanisms and archiving
//! live on the party). Conversion links the account, contact and opportunity it became.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub party_id: Uuid,
    pub organization_name: Option<String>,
    pub job_title: Option<String>,
    pub description: Option<String>,
    /// A `LeadSource` name.
    pub source: String,
    /// `NEW`, `CONTACTED`, `QUALIFIED`, `CONVERTED` or `DISQUALIFIED`.
    pub status: String,
    pub status_reason: Option<String>,
    pub campaign_id: Option<Uuid>,
    pub web_form_id: Option<Uuid>,
    pub converted_account_id: Option<Uuid>,
    pub converted_contact_id: Option<Uuid>,
    pub converted_opportunity_id: Option<Uuid>,
    pub converted_at: Option<DateTimeUtc>,
    pub converted_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::parties::parties::Entity",
        from = "Column::PartyId",
        to = "crate::parties::parties::Column::Id"
    )]
    Party,
}

impl Related<crate::parties::parties::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Party.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
