//! The party mutations: create and update people and organisations, add and
//! remove contact mechanisms, add and end relationships.

use super::{
    ContactMechanism, ContactPurpose, CustomerType, MechanismKind, Party, PartyKind, PartyRole,
    PaymentPreference, Relationship, MECHANISM_FIELDS, PARTY_FIELDS,
};
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::FromJson;
use crate::api::{request, ApiError};
use serde::Serialize;
use serde_json::{json, Value};

/// `PostalAddressInput`; blank parts are left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddressInput {
    /// The addressee line ("Attn. Accounts payable").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention: Option<String>,
    /// Street and number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Region or state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// `ContactMechanismInput`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactMechanismInput {
    /// What it is.
    pub kind: MechanismKind,
    /// The e-mail, phone or URL (postal addresses use `address`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The parts of a postal address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<PostalAddressInput>,
    /// What it is used for.
    pub purposes: Vec<ContactPurpose>,
    /// First valid day, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
}

/// `CreatePersonInput` or `CreateOrganizationInput`: the fields of the other
/// kind stay `None` and are left out, like every blank optional field.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatePartyInput {
    /// Person: fore name (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fore_name: Option<String>,
    /// Person: middle initial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub middle_initial: Option<String>,
    /// Person: surname (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Organisation: name (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Code; the server generates one when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Area.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Organisation: industry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// Organisation: web site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Owner's user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Roles.
    pub roles: Vec<PartyRole>,
    /// Every role by its `PARTY_ROLE` key (replaces `roles`), when the party holds added ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_keys: Option<Vec<String>>,
    /// Customer type, for customers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<CustomerType>,
    /// Person: payment preference of a B2C customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_preference: Option<PaymentPreference>,
    /// Preferred currency (ISO 4217).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_currency: Option<String>,
    /// First contact details.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contact_mechanisms: Vec<ContactMechanismInput>,
}

/// `UpdatePersonInput` or `UpdateOrganizationInput`. An outer `None` leaves
/// the field out ("unchanged"); `Some(None)` sends `null`; an empty string
/// clears an optional text field.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePartyInput {
    /// Party id.
    pub id: String,
    /// Version the edit started from.
    pub version: i32,
    /// Person: new fore name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fore_name: Option<String>,
    /// Person: new middle initial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub middle_initial: Option<String>,
    /// Person: new surname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Organisation: new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// New area.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Organisation: new industry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// Organisation: new web site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// New owner; `Some(None)` removes the owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Option<String>>,
    /// The new set of roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<PartyRole>>,
    /// The new set of every role by its `PARTY_ROLE` key (replaces `roles`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_keys: Option<Vec<String>>,
    /// New customer type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<CustomerType>,
    /// Person: new payment preference; `Some(None)` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_preference: Option<Option<PaymentPreference>>,
    /// New preferred currency; an empty string clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_currency: Option<String>,
}

impl UpdatePartyInput {
    /// `true` when nothing but the id and version would be sent.
    pub fn is_noop(&self) -> bool {
        *self
            == UpdatePartyInput {
                id: self.id.clone(),
                version: self.version,
                ..UpdatePartyInput::default()
            }
    }
}

/// `AddRelationshipInput`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddRelationshipInput {
    /// The party the type reads from ("person" in "person `contact_of` org").
    pub from_id: String,
    /// The party the type reads to.
    pub to_id: String,
    /// The key of a `RELATIONSHIP_TYPE` pick-list value.
    pub relationship_type: String,
    /// Role label, e.g. "decision maker".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_label: Option<String>,
    /// First day, `YYYY-MM-DD`; the server takes today when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// Free text about it, several lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

input_mutations! {
    /// Creating and updating people and organisations; each answers with the party.
    pub(crate) PartyWrite {
        CreatePerson = "createPerson", "CreatePersonInput";
        CreateOrganization = "createOrganization", "CreateOrganizationInput";
        UpdatePerson = "updatePerson", "UpdatePersonInput";
        UpdateOrganization = "updateOrganization", "UpdateOrganizationInput";
    }
}

impl PartyWrite {
    /// The document, reading the party back.
    pub(crate) fn document(self) -> String {
        input_mutation::document(self.field(), self.input_type(), &party_selection())
    }
}

/// The whole party, as the party mutations read it back.
pub(super) fn party_selection() -> String {
    format!("party {{ {PARTY_FIELDS} }}")
}

input_mutations! {
    /// Adding and removing contact mechanisms; each answers with the party's
    /// contact details.
    pub(crate) MechanismWrite {
        Add = "addContactMechanism", "AddContactMechanismInput";
        Remove = "removeContactMechanism", "RemoveContactMechanismInput";
    }
}

impl MechanismWrite {
    /// The document, reading the party's contact mechanisms back.
    pub(crate) fn document(self) -> String {
        let selection = format!("party {{ id contactMechanisms {{ {MECHANISM_FIELDS} }} }}");
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

input_mutations! {
    /// Adding and ending relationships; each answers with the relationship.
    pub(crate) RelationshipWrite {
        Add = "addRelationship", "AddRelationshipInput";
        End = "endRelationship", "EndRelationshipInput";
    }
}

impl RelationshipWrite {
    /// The document, reading the relationship back.
    pub(crate) fn document(self) -> String {
        input_mutation::document(self.field(), self.input_type(), RELATIONSHIP_FIELDS)
    }
}

/// Runs `document`, a mutation of root field `field`, and returns its payload.
pub(super) async fn mutate(field: &str, document: &str, input: Value) -> Result<Value, ApiError> {
    let mut data = request(document, json!({ "input": input })).await?;
    Ok(data[field].take())
}

fn to_json(input: &impl Serialize) -> Result<Value, ApiError> {
    serde_json::to_value(input).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Runs one of the [`PartyWrite`] mutations and reads the party back.
async fn party_mutation(mutation: PartyWrite, input: Value) -> Result<Party, ApiError> {
    let payload = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(Party::from_json(&payload["party"]))
}

/// Creates a person or an organisation.
pub async fn create(kind: PartyKind, input: &CreatePartyInput) -> Result<Party, ApiError> {
    let mutation = match kind {
        PartyKind::Person => PartyWrite::CreatePerson,
        PartyKind::Organization => PartyWrite::CreateOrganization,
    };
    party_mutation(mutation, to_json(input)?).await
}

/// Saves changes to a person or an organisation; fails with `CONFLICT` if
/// `input.version` is stale.
pub async fn update(kind: PartyKind, input: &UpdatePartyInput) -> Result<Party, ApiError> {
    let mutation = match kind {
        PartyKind::Person => PartyWrite::UpdatePerson,
        PartyKind::Organization => PartyWrite::UpdateOrganization,
    };
    party_mutation(mutation, to_json(input)?).await
}

/// Runs a contact-mechanism mutation and returns the party's contact details after it.
async fn mechanisms(
    mutation: MechanismWrite,
    input: Value,
) -> Result<Vec<ContactMechanism>, ApiError> {
    let payload = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(Vec::from_json(&payload["party"]["contactMechanisms"]))
}

/// Adds a contact mechanism to party `party_id`; returns all its contact details.
pub async fn add_contact_mechanism(
    party_id: &str,
    mechanism: &ContactMechanismInput,
) -> Result<Vec<ContactMechanism>, ApiError> {
    let input = json!({ "partyId": party_id, "mechanism": to_json(mechanism)? });
    mechanisms(MechanismWrite::Add, input).await
}

/// Removes contact mechanism `id`; returns the contact details left.
pub async fn remove_contact_mechanism(id: &str) -> Result<Vec<ContactMechanism>, ApiError> {
    mechanisms(MechanismWrite::Remove, json!({ "id": id })).await
}

const RELATIONSHIP_FIELDS: &str =
    "relationship { id relationshipType { key label } roleLabel comment direction validFrom validTo \
     other { id code kind displayName area } }";

/// Runs one of the [`RelationshipWrite`] mutations and reads the relationship back.
async fn relationship(mutation: RelationshipWrite, input: Value) -> Result<Relationship, ApiError> {
    let payload = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(Relationship::from_json(&payload["relationship"]))
}

/// Links two parties.
pub async fn add_relationship(input: &AddRelationshipInput) -> Result<Relationship, ApiError> {
    relationship(RelationshipWrite::Add, to_json(input)?).await
}

/// Ends relationship `id` today.
pub async fn end_relationship(id: &str) -> Result<Relationship, ApiError> {
    relationship(RelationshipWrite::End, json!({ "id": id })).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_input_leaves_out_what_is_not_there() -> Result<(), serde_json::Error> {
        let input = CreatePartyInput {
            fore_name: Some("Ada".into()),
            surname: Some("Lovelace".into()),
            roles: vec![PartyRole::Contact, PartyRole::Customer],
            customer_type: Some(CustomerType::B2c),
            contact_mechanisms: vec![ContactMechanismInput {
                kind: MechanismKind::Email,
                value: Some("ada@example.com".into()),
                purposes: vec![ContactPurpose::Primary],
                ..ContactMechanismInput::default()
            }],
            ..CreatePartyInput::default()
        };
        assert_eq!(
            serde_json::to_value(&input)?,
            json!({
                "foreName": "Ada", "surname": "Lovelace", "roles": ["CONTACT", "CUSTOMER"],
                "customerType": "B2C",
                "contactMechanisms": [{ "kind": "EMAIL", "value": "ada@example.com", "purposes": ["PRIMARY"] }]
            })
        );
        Ok(())
    }

    #[test]
    fn update_input_sends_null_to_clear() -> Result<(), serde_json::Error> {
        let input = UpdatePartyInput {
            id: "P1".into(),
            version: 2,
            payment_preference: Some(None),
            ..UpdatePartyInput::default()
        };
        assert_eq!(
            serde_json::to_value(&input)?,
            json!({ "id": "P1", "version": 2, "paymentPreference": null })
        );
        assert!(!input.is_noop());
        Ok(())
    }
}
