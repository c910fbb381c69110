//! Parties — the customer master: people and organisations with their roles,
//! contact mechanisms, relationships and timeline. Types here; the requests are
//! in the submodules.

pub(crate) mod identifiers;
pub(crate) mod lifecycle;
pub(crate) mod list;
pub(crate) mod profile;
pub(crate) mod write;

pub use lifecycle::{decide, deletion_requests, duplicates, merge, request_deletion, Decision};
pub use list::{list, ListKind, ListQuery, Listed, OrderField, PartyOrder};
pub use profile::{get, profile, relationships, search, B2c, Profile};
pub use write::{
    add_contact_mechanism, add_relationship, create, end_relationship, remove_contact_mechanism,
    update, AddRelationshipInput, ContactMechanismInput, CreatePartyInput, PostalAddressInput,
    UpdatePartyInput,
};

use super::auth::User;
use super::json::{self, FromJson};
use super::schema_enum::schema_enum;
use serde_json::Value;

schema_enum! {
    /// `PartyKind`.
    PartyKind {
        Person = "PERSON", "Person";
        Organization = "ORGANIZATION", "Organisation";
    }
}

schema_enum! {
    /// `PartyRole`: a party holds several at once.
    PartyRole {
        Account = "ACCOUNT", "Account";
        Contact = "CONTACT", "Contact";
        Customer = "CUSTOMER", "Customer";
        Lead = "LEAD", "Lead";
        Partner = "PARTNER", "Partner";
        Competitor = "COMPETITOR", "Competitor";
        Supplier = "SUPPLIER", "Supplier";
    }
}

schema_enum! {
    /// `CustomerType`.
    CustomerType {
        B2b = "B2B", "B2B";
        B2c = "B2C", "B2C";
    }
}

schema_enum! {
    /// `PaymentPreference` of a B2C customer.
    PaymentPreference {
        Card = "CARD", "Card";
        CashOnDelivery = "CASH_ON_DELIVERY", "Cash on delivery";
        Instalments = "INSTALMENTS", "Instalments";
        Invoice = "INVOICE", "Invoice";
    }
}

schema_enum! {
    /// `PartyStatus`: where a party is in its life.
    PartyStatus {
        Active = "ACTIVE", "Active";
        DeletionRequested = "DELETION_REQUESTED", "Deletion requested";
        Archived = "ARCHIVED", "Archived";
        Merged = "MERGED", "Merged";
        Erased = "ERASED", "Personal data erased";
    }
}

schema_enum! {
    /// `DuplicateReason`: why a party looks like a duplicate.
    DuplicateReason {
        Email = "SAME_EMAIL", "Same e-mail address";
        NameAndOrganization = "SAME_NAME_AND_ORGANIZATION", "Same name and organisation";
        Name = "SAME_NAME", "Same name";
    }
}

schema_enum! {
    /// `ContactMechanismKind`.
    MechanismKind {
        Email = "EMAIL", "E-mail";
        Phone = "PHONE", "Phone";
        PostalAddress = "POSTAL_ADDRESS", "Postal address";
        Web = "WEB", "Web";
    }
}

schema_enum! {
    /// `ContactPurpose`.
    ContactPurpose {
        Primary = "PRIMARY", "Primary";
        Billing = "BILLING", "Billing";
        Shipping = "SHIPPING", "Shipping";
        Work = "WORK", "Work";
        Home = "HOME", "Home";
    }
}

/// Selection of every `Party` field the pages show, for both kinds.
pub(crate) const PARTY_FIELDS: &str = "id code kind displayName area \
     owner { id email displayName } roles customerType paymentPreference preferredCurrency \
     archived status deletionReason version createdAt updatedAt \
     ... on Person { foreName middleInitial surname } \
     ... on Organization { name industry website }";

/// Selection of a party named in another record (search hit, relationship).
pub(crate) const PARTY_REF_FIELDS: &str = "id code kind displayName area";

/// Selection of a `ContactMechanism`.
pub(crate) const MECHANISM_FIELDS: &str = "id kind value \
     address { attention street city postalCode region country } \
     phoneNumber { countryCode areaCode number extension } purposes validFrom validTo";

/// A person or an organisation (the `Party` interface and the fields of both
/// implementations; those of the other kind stay `None`). Fields a query did
/// not select keep their default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Party {
    /// Opaque global id (`Person` or `Organization`).
    pub id: String,
    /// Short unique code, e.g. `C-000123`.
    pub code: String,
    /// Person or organisation.
    pub kind: PartyKind,
    /// Name as shown: "Ada M. Lovelace", "Acme Ltd".
    pub display_name: String,
    /// Sales area or territory.
    pub area: Option<String>,
    /// Owning user.
    pub owner: Option<User>,
    /// Roles held, several at once.
    pub roles: Vec<PartyRole>,
    /// The roles administrators added (`PARTY_ROLE` values beyond [`PartyRole`]) as
    /// `(key, label)`, in the pick-list's order; read by the profile and the form only
    /// (`profile::other_roles`).
    pub other_roles: Vec<(String, String)>,
    /// B2B or B2C, for customers.
    pub customer_type: Option<CustomerType>,
    /// How a B2C customer prefers to pay.
    pub payment_preference: Option<PaymentPreference>,
    /// The currency it prefers to be quoted and invoiced in (ISO 4217).
    pub preferred_currency: Option<String>,
    /// Archived parties are hidden from lists.
    pub archived: bool,
    /// Where the party is in its life.
    pub status: PartyStatus,
    /// Why deletion was requested, while a request is pending.
    pub deletion_reason: Option<String>,
    /// Optimistic-lock version, sent back with every write.
    pub version: i32,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
    /// Person: fore name.
    pub fore_name: Option<String>,
    /// Person: middle initial.
    pub middle_initial: Option<String>,
    /// Person: surname.
    pub surname: Option<String>,
    /// Organisation: name.
    pub name: Option<String>,
    /// Organisation: industry.
    pub industry: Option<String>,
    /// The primary e-mail (lists select it; `None` without the contact-data grant).
    pub email: Option<String>,
    /// The primary phone (lists select it; `None` without the contact-data grant).
    pub phone: Option<String>,
    /// Organisation: web site.
    pub website: Option<String>,
}

impl FromJson for Party {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            code: json::text(v, "code"),
            kind: json::enumerated(v, "kind", PartyKind::parse).unwrap_or_default(),
            display_name: json::text(v, "displayName"),
            area: json::opt_text(v, "area"),
            owner: json::object(v, "owner"),
            roles: json::enumerated_list(v, "roles", PartyRole::parse),
            other_roles: Vec::new(),
            customer_type: json::enumerated(v, "customerType", CustomerType::parse),
            payment_preference: json::enumerated(v, "paymentPreference", PaymentPreference::parse),
            preferred_currency: json::opt_text(v, "preferredCurrency"),
            archived: json::flag(v, "archived"),
            status: json::enumerated(v, "status", PartyStatus::parse).unwrap_or_default(),
            deletion_reason: json::opt_text(v, "deletionReason"),
            version: json::int(v, "version") as i32,
            created_at: json::text(v, "createdAt"),
            updated_at: json::text(v, "updatedAt"),
            fore_name: json::opt_text(v, "foreName"),
            middle_initial: json::opt_text(v, "middleInitial"),
            surname: json::opt_text(v, "surname"),
            name: json::opt_text(v, "name"),
            industry: json::opt_text(v, "industry"),
            website: json::opt_text(v, "website"),
            email: json::opt_text(v, "email"),
            phone: json::opt_text(v, "phone"),
        }
    }
}

impl Party {
    /// Holds `role`?
    pub fn has_role(&self, role: PartyRole) -> bool {
        self.roles.contains(&role)
    }

    /// Address of the profile page.
    pub fn profile_href(&self) -> String {
        format!("/parties/{}", self.id)
    }

    /// Address of the form that edits this party.
    pub fn edit_href(&self) -> String {
        edit_href(self.kind, &self.id)
    }
}

/// Address of the form that edits the party `id` of kind `kind`.
pub fn edit_href(kind: PartyKind, id: &str) -> String {
    match kind {
        PartyKind::Person => format!("/people/{id}/edit"),
        PartyKind::Organization => format!("/organizations/{id}/edit"),
    }
}

/// `PostalAddress`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PostalAddress {
    /// The addressee line.
    pub attention: Option<String>,
    /// Street and number.
    pub street: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Region or state.
    pub region: Option<String>,
    /// Country.
    pub country: Option<String>,
}

impl FromJson for PostalAddress {
    fn from_json(v: &Value) -> Self {
        Self {
            attention: json::opt_text(v, "attention"),
            street: json::opt_text(v, "street"),
            city: json::opt_text(v, "city"),
            postal_code: json::opt_text(v, "postalCode"),
            region: json::opt_text(v, "region"),
            country: json::opt_text(v, "country"),
        }
    }
}

/// `PhoneNumber`: a phone number's parts as entered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhoneNumber {
    pub country_code: Option<String>,
    pub area_code: Option<String>,
    pub number: String,
    pub extension: Option<String>,
}

impl FromJson for PhoneNumber {
    fn from_json(v: &Value) -> Self {
        Self {
            country_code: json::opt_text(v, "countryCode"),
            area_code: json::opt_text(v, "areaCode"),
            number: json::text(v, "number"),
            extension: json::opt_text(v, "extension"),
        }
    }
}

impl PhoneNumber {
    /// As people write it: `+1 801 444-4444 ext. 12`; `value` is the normalised form (for its `+`).
    pub fn display(&self, value: &str) -> String {
        let mut parts = Vec::new();
        match &self.country_code {
            Some(cc) => parts.push(format!("+{cc}")),
            None if value.starts_with('+') => parts.push("+".to_owned()),
            None => {}
        }
        if let Some(area) = &self.area_code {
            parts.push(area.clone());
        }
        parts.push(self.number.clone());
        if let Some(ext) = &self.extension {
            parts.push(format!("ext. {ext}"));
        }
        parts.join(" ").replacen("+ ", "+", 1)
    }
}

/// `ContactMechanism`: an e-mail, phone, postal address or web address.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactMechanism {
    /// Opaque global id.
    pub id: String,
    /// What it is.
    pub kind: MechanismKind,
    /// The e-mail, phone, URL, or the address on one line.
    pub value: String,
    /// The parts of a postal address.
    pub address: Option<PostalAddress>,
    /// The parts of a phone number.
    pub phone: Option<PhoneNumber>,
    /// What it is used for.
    pub purposes: Vec<ContactPurpose>,
    /// First valid day, `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    /// Last valid day, `YYYY-MM-DD`.
    pub valid_to: Option<String>,
}

impl FromJson for ContactMechanism {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            kind: json::enumerated(v, "kind", MechanismKind::parse).unwrap_or_default(),
            value: json::text(v, "value"),
            address: json::object(v, "address"),
            phone: json::object(v, "phoneNumber"),
            purposes: json::enumerated_list(v, "purposes", ContactPurpose::parse),
            valid_from: json::opt_text(v, "validFrom"),
            valid_to: json::opt_text(v, "validTo"),
        }
    }
}

/// `PartyRelationship`, seen from the party whose profile lists it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Relationship {
    /// Opaque global id.
    pub id: String,
    /// The type's key (a `RELATIONSHIP_TYPE` pick-list value), read from the `from` party to
    /// the `to` party: "person `contact_of` organisation".
    pub type_key: String,
    /// The type's label ("Contact of").
    pub type_label: String,
    /// Role of the person in it, e.g. "decision maker".
    pub role_label: Option<String>,
    /// Free text about it.
    pub comment: Option<String>,
    /// The party at the other end; `None` when the user may not see it.
    pub other: Option<Party>,
    /// `OUTGOING` when this party is the `from` party, `INCOMING` otherwise.
    pub direction: String,
    /// First day, `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    /// Last day, `YYYY-MM-DD`; set once the relationship has ended.
    pub valid_to: Option<String>,
}

impl FromJson for Relationship {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            type_key: json::text(&v["relationshipType"], "key"),
            type_label: json::text(&v["relationshipType"], "label"),
            role_label: json::opt_text(v, "roleLabel"),
            comment: json::opt_text(v, "comment"),
            other: json::object(v, "other"),
            direction: json::text(v, "direction"),
            valid_from: json::opt_text(v, "validFrom"),
            valid_to: json::opt_text(v, "validTo"),
        }
    }
}

impl Relationship {
    /// Is this party the `from` end?
    pub fn is_outgoing(&self) -> bool {
        self.direction != "INCOMING"
    }
}

/// `FieldChange`: one field of a timeline entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldChange {
    /// Field name as in the schema.
    pub field: String,
    /// Value before the change.
    pub before: Option<String>,
    /// Value after the change.
    pub after: Option<String>,
}

impl FromJson for FieldChange {
    fn from_json(v: &Value) -> Self {
        Self {
            field: json::text(v, "field"),
            before: json::opt_text(v, "before"),
            after: json::opt_text(v, "after"),
        }
    }
}

/// A user named in a record (timeline actor).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Actor {
    /// Opaque global id.
    pub id: String,
    /// Name shown.
    pub display_name: String,
}

impl FromJson for Actor {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            display_name: json::text(v, "displayName"),
        }
    }
}

/// `TimelineEntry`: one thing that happened to the party.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineEntry {
    /// Opaque id.
    pub id: String,
    /// RFC 3339 time.
    pub at: String,
    /// Who did it; `None` for the system.
    pub actor: Option<Actor>,
    /// What happened: `create`, `update`, `roles`, `contact_mechanism_added`, …
    pub action: String,
    /// Fields changed, with before and after values.
    pub changes: Vec<FieldChange>,
}

impl FromJson for TimelineEntry {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            at: json::text(v, "at"),
            actor: json::object(v, "actor"),
            action: json::text(v, "action"),
            changes: json::list(v, "changes"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PhoneNumber;

    #[test]
    fn phones_read_as_entered() {
        let p = PhoneNumber {
            country_code: Some("1".into()),
            area_code: Some("801".into()),
            number: "444-4444".into(),
            extension: Some("12".into()),
        };
        assert_eq!(p.display("+18014444444;ext=12"), "+1 801 444-4444 ext. 12");
        let bare = PhoneNumber {
            number: "4930123456".into(),
            ..PhoneNumber::default()
        };
        assert_eq!(bare.display("+4930123456"), "+4930123456");
        assert_eq!(bare.display("4930123456"), "4930123456");
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn enums_round_trip_their_schema_names() -> Result<(), serde_json::Error> {
        for role in PartyRole::ALL {
            assert_eq!(serde_json::to_value(role)?, json!(role.as_str()));
            assert_eq!(PartyRole::parse(role.as_str()), Some(*role));
        }
        assert_eq!(
            PaymentPreference::parse("CASH_ON_DELIVERY"),
            Some(PaymentPreference::CashOnDelivery)
        );
        assert_eq!(PartyKind::Organization.label(), "Organisation");
        assert_eq!(CustomerType::parse("B2X"), None);
        Ok(())
    }

    #[test]
    fn a_person_decodes_with_the_fields_of_its_kind() {
        let party = Party::from_json(&json!({
            "id": "P1", "code": "C-000001", "kind": "PERSON", "displayName": "Ada Lovelace",
            "area": null, "owner": null, "roles": ["CONTACT", "CUSTOMER"],
            "customerType": "B2C", "paymentPreference": null, "archived": false,
            "version": 2, "createdAt": "2024-05-01T10:00:00Z", "updatedAt": "2024-05-01T10:00:00Z",
            "foreName": "Ada", "middleInitial": null, "surname": "Lovelace"
        }));
        assert_eq!(party.customer_type, Some(CustomerType::B2c));
        assert_eq!(party.kind, PartyKind::Person);
        assert_eq!(party.roles, [PartyRole::Contact, PartyRole::Customer]);
        assert_eq!(party.version, 2);
        assert_eq!(party.fore_name.as_deref(), Some("Ada"));
        assert_eq!(party.name, None);
        assert_eq!(party.edit_href(), "/people/P1/edit");
        assert_eq!(party.profile_href(), "/parties/P1");
    }
}
