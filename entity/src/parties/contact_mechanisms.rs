//! A way to reach a party: e-mail, phone, postal address or web address, with purposes and a
//! validity period. `purposes` is a comma-separated list (`PRIMARY,WORK`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_mechanisms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub party_id: Uuid,
    /// `EMAIL`, `PHONE`, `POSTAL_ADDRESS` or `WEB`.
    pub kind: String,
    /// The e-mail as entered, the normalised phone or URL, or the one-line form of an address.
    pub value: String,
    /// What an e-mail is compared by (lower-cased); `None` for other kinds.
    pub match_key: Option<String>,
    /// The addressee line of a postal address ("Attn. Accounts payable").
    pub attention: Option<String>,
    /// A phone number's parts as entered (the normalised form is `value`).
    pub phone_country_code: Option<String>,
    pub phone_area_code: Option<String>,
    pub phone_number: Option<String>,
    pub phone_extension: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub purposes: String,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
