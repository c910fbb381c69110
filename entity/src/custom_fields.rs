//! Custom fields: an administrator's typed field of an object, and the values records hold.

/// A custom field's definition.
#[allow(clippy::module_inception)]
pub mod custom_fields {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "custom_fields")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The object it extends (`opportunity`, `account`, `party`, `lead`, `activity`).
        pub object: String,
        /// camelCase key, unique per object; the field grant is `custom.<key>`.
        pub key: String,
        pub label: String,
        /// `text`, `long_text`, `number`, `decimal`, `money`, `date`, `date_time`, `boolean`,
        /// `pick`, `multi_pick`, `url`, `email`, `phone`, `party`, `user`.
        pub field_type: String,
        pub required: bool,
        pub is_unique: bool,
        /// Shown as a list column and on board cards.
        pub show_in_list: bool,
        /// The stored form of the default value, if any.
        pub default_value: Option<String>,
        /// The choices of a pick-list, as a JSON array of strings.
        pub options: Option<String>,
        pub position: i32,
        pub archived_at: Option<DateTimeUtc>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The value of one custom field on one record.
pub mod custom_field_values {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "custom_field_values")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub field_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub record_id: Uuid,
        /// The stored form: text as entered, numbers as exact decimals, dates ISO 8601,
        /// `true`/`false`, a JSON array for multi-picks, a global id for references.
        pub text_value: String,
        /// Numbers, decimals and money amounts, for ranges and order.
        pub num_value: Option<f64>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
