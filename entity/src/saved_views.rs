//! A saved view: a list's search, filters, order and columns under a name, owned by a user and
//! optionally shared with the user's team.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_views")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// Which list (`accounts`, `leads`, …).
    pub list: String,
    pub name: String,
    /// The list's address query (`q=acme&sort=name&cols=name,owner`), without `?`.
    pub query: String,
    /// Offered to the owner's team-mates too.
    pub shared: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
