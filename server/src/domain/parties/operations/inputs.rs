//! Inputs and payloads of the party mutations.

use super::*;

/// A postal address as input.
#[derive(InputObject, Clone, Default)]
pub struct PostalAddressInput {
    /// The addressee line ("Attn. Accounts payable").
    pub attention: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

/// A contact mechanism as input: `value` for e-mail, phone and web; `address` for postal addresses.
#[derive(InputObject, Clone)]
pub struct ContactMechanismInput {
    pub kind: ContactMechanismKind,
    pub value: Option<String>,
    pub address: Option<PostalAddressInput>,
    #[graphql(default_with = "vec![ContactPurpose::Primary]")]
    pub purposes: Vec<ContactPurpose>,
    /// `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_to: Option<String>,
}

impl From<ContactMechanismInput> for MechanismInput {
    fn from(i: ContactMechanismInput) -> Self {
        MechanismInput {
            kind: i.kind,
            value: i.value,
            address: i.address.map(|a| AddressInput {
                attention: a.attention,
                street: a.street,
                city: a.city,
                postal_code: a.postal_code,
                region: a.region,
                country: a.country,
            }),
            purposes: i.purposes,
            valid_from: i.valid_from,
            valid_to: i.valid_to,
        }
    }
}

/// A new person.
#[derive(InputObject)]
pub struct CreatePersonInput {
    pub fore_name: String,
    pub middle_initial: Option<String>,
    pub surname: String,
    pub code: Option<String>,
    pub area: Option<String>,
    pub owner_id: Option<ID>,
    #[graphql(default_with = "vec![PartyRole::Contact]")]
    pub roles: Vec<PartyRole>,
    /// Every role by its `PARTY_ROLE` key (`account`, `vendor`, …): when given, these and no
    /// others (`roles` is then ignored).
    pub role_keys: Option<Vec<String>>,
    pub customer_type: Option<CustomerType>,
    pub payment_preference: Option<PaymentPreference>,
    /// An ISO 4217 code such as EUR.
    pub preferred_currency: Option<String>,
    pub contact_mechanisms: Option<Vec<ContactMechanismInput>>,
}

/// Changes to a person; omitted fields stay, `roles` replaces the roles when given.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    pub id: ID,
    pub version: i32,
    pub fore_name: Option<String>,
    pub middle_initial: Option<String>,
    pub surname: Option<String>,
    pub code: Option<String>,
    pub area: Option<String>,
    pub owner_id: Option<ID>,
    /// The roles the code acts upon, replacing those held (roles administrators added stay).
    pub roles: Option<Vec<PartyRole>>,
    /// Every role by its `PARTY_ROLE` key (`account`, `vendor`, …): when given, these and no
    /// others (`roles` is then ignored).
    pub role_keys: Option<Vec<String>>,
    pub customer_type: Option<CustomerType>,
    pub payment_preference: Option<PaymentPreference>,
    /// An ISO 4217 code; an empty string clears.
    pub preferred_currency: Option<String>,
}

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub name: String,
    pub code: Option<String>,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub owner_id: Option<ID>,
    #[graphql(default_with = "vec![PartyRole::Account]")]
    pub roles: Vec<PartyRole>,
    /// Every role by its `PARTY_ROLE` key (`account`, `vendor`, …): when given, these and no
    /// others (`roles` is then ignored).
    pub role_keys: Option<Vec<String>>,
    pub customer_type: Option<CustomerType>,
    /// An ISO 4217 code such as EUR.
    pub preferred_currency: Option<String>,
    pub contact_mechanisms: Option<Vec<ContactMechanismInput>>,
}

/// Changes to an organisation.
#[derive(InputObject)]
pub struct UpdateOrganizationInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub code: Option<String>,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub owner_id: Option<ID>,
    /// The roles the code acts upon, replacing those held (roles administrators added stay).
    pub roles: Option<Vec<PartyRole>>,
    /// Every role by its `PARTY_ROLE` key (`account`, `vendor`, …): when given, these and no
    /// others (`roles` is then ignored).
    pub role_keys: Option<Vec<String>>,
    pub customer_type: Option<CustomerType>,
    /// An ISO 4217 code; an empty string clears.
    pub preferred_currency: Option<String>,
}

/// Adds a contact mechanism to a party.
#[derive(InputObject)]
pub struct AddContactMechanismInput {
    pub party_id: ID,
    pub mechanism: ContactMechanismInput,
}

/// Removes a contact mechanism.
#[derive(InputObject)]
pub struct RemoveContactMechanismInput {
    pub id: ID,
}

/// Adds a tax id to a party.
#[derive(InputObject)]
pub struct AddTaxIdInput {
    pub party_id: ID,
    pub kind: TaxIdKind,
    /// ISO 3166-1 alpha-2 code of the issuing country (`DE`, `US`).
    pub country: String,
    /// The number; spaces, dots, dashes and a VAT number's country prefix may be given.
    pub value: String,
}

/// Records a party's id in another system.
#[derive(InputObject)]
pub struct AddExternalIdInput {
    pub party_id: ID,
    /// The other system's key (`erp`, `ofbiz`); stored lower-case.
    pub system: String,
    /// The id there, kept exactly (case included); one party per system and id.
    pub value: String,
}

/// Removes a tax id or an external id.
#[derive(InputObject)]
pub struct RemoveIdentifierInput {
    pub id: ID,
}

/// Links two parties ("from" is, e.g., the person `contact_of` the "to" organisation).
#[derive(InputObject)]
pub struct AddRelationshipInput {
    pub from_id: ID,
    pub to_id: ID,
    /// The key of a live value of the `RELATIONSHIP_TYPE` pick-list (`contact_of`,
    /// `supplier_of`, …); required unless `kind` is given.
    pub relationship_type: Option<String>,
    #[graphql(deprecation = "Use `relationshipType` (a key of the RELATIONSHIP_TYPE pick-list).")]
    pub kind: Option<RelationshipKind>,
    pub role_label: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    /// Free text about the relationship, several lines.
    pub comment: Option<String>,
}

/// Ends a relationship (default: today).
#[derive(InputObject)]
pub struct EndRelationshipInput {
    pub id: ID,
    pub valid_to: Option<String>,
}

/// A party after a mutation.
#[derive(SimpleObject)]
pub struct PartyPayload {
    pub party: Party,
}

impl From<entity::parties::parties::Model> for PartyPayload {
    fn from(m: entity::parties::parties::Model) -> Self {
        Self {
            party: Party::from_model(m),
        }
    }
}

/// The party whose contact details changed.
#[derive(SimpleObject)]
pub struct ContactMechanismPayload {
    pub party: Party,
}

/// A relationship after a mutation.
#[derive(SimpleObject)]
pub struct RelationshipPayload {
    pub relationship: PartyRelationship,
}
