//! A web-to-lead form: its fields (JSON), where its leads go and who owns them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "web_forms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// The public key in the form's URL.
    #[sea_orm(unique)]
    pub form_key: String,
    /// `[{"field": "EMAIL", "label": "E-mail", "required": true}, …]`.
    pub fields: String,
    pub target_list_id: Option<Uuid>,
    pub source: String,
    pub owner_id: Option<Uuid>,
    pub assignment_rule_id: Option<Uuid>,
    pub redirect_url: Option<String>,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
