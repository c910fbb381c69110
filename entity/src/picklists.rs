//! Pick-lists: vocabularies administrators keep (opportunity types, …), one row a value.

/// One value of a pick-list.
pub mod picklist_values {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "picklist_values")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The list it belongs to (`opportunity_type`).
        pub list: String,
        /// The stored key (`new_business`): unique per list, never changes.
        pub key: String,
        pub label: String,
        pub position: i32,
        /// Archived values stay on the records that hold them but are offered no more.
        pub archived_at: Option<DateTimeUtc>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
