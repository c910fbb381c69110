//! One party: for its forms (`party`), for its profile page (`partyProfile`,
//! with the sections in the same request), the sections' next pages, and the
//! global `search`.

use super::identifiers::{ExternalId, TaxId, EXTERNAL_ID_FIELDS, TAX_ID_FIELDS};
use super::{
    ContactMechanism, Party, PaymentPreference, Relationship, TimelineEntry, MECHANISM_FIELDS,
    PARTY_FIELDS, PARTY_REF_FIELDS,
};
use crate::api::json::{self, FromJson};
use crate::api::paging::Connection;
use crate::api::{fetch_node, request, ApiError, GqlError};
use serde_json::{json, Value};

/// Rows per page of the profile's relationships and timeline.
pub const SECTION_PAGE: u32 = 20;

/// Selection of a relationship connection.
const RELATIONSHIP_CONNECTION: &str = "totalCount pageInfo { hasNextPage endCursor } \
     edges { node { id relationshipType { key label } roleLabel comment direction validFrom validTo other { id code kind displayName area } } }";

/// Selection of a timeline connection.
const TIMELINE_CONNECTION: &str = "totalCount pageInfo { hasNextPage endCursor } \
     edges { node { id at action actor { id displayName } changes { field before after } } }";

/// Journey entries shown on the profile.
pub const JOURNEY_PAGE: u32 = 5;

/// The B2C part of a customer (`B2cProfile`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct B2c {
    /// How the consumer prefers to pay.
    pub payment_preference: Option<PaymentPreference>,
    /// The first shipping address; `None` when there is none or it is hidden.
    pub shipping_address: Option<ContactMechanism>,
    /// Number of orders.
    pub orders: i64,
    /// Number of feedback entries.
    pub feedback: i64,
    /// The latest steps of the customer journey, newest first.
    pub journey: Connection<TimelineEntry>,
}

impl FromJson for B2c {
    fn from_json(v: &Value) -> Self {
        Self {
            payment_preference: json::enumerated(v, "paymentPreference", PaymentPreference::parse),
            shipping_address: json::object(v, "shippingAddress"),
            orders: json::int(&v["orders"], "totalCount"),
            feedback: json::int(&v["feedback"], "totalCount"),
            journey: Connection::from_json(&v["journey"]),
        }
    }
}

/// The document of [`get`].
pub(crate) fn get_query() -> String {
    format!("query Party($id: ID!) {{ party(id: $id) {{ {PARTY_FIELDS} {OTHER_ROLE_FIELDS} }} }}")
}

/// The selection of every role a party holds, for [`other_roles`]: asked by the profile and the
/// form, not by lists.
const OTHER_ROLE_FIELDS: &str = "partyRoles { key label }";

/// The `partyRoles` of `v` that are not [`PartyRole`](super::PartyRole)s, as `(key, label)`.
pub fn other_roles(v: &Value) -> Vec<(String, String)> {
    json::items(&v["partyRoles"])
        .iter()
        .map(|r| (json::text(r, "key"), json::text(r, "label")))
        .filter(|(k, _)| super::PartyRole::parse(&k.to_ascii_uppercase()).is_none())
        .collect()
}

/// Loads one party; `None` when it does not exist or is not visible.
pub async fn get(id: &str) -> Result<Option<Party>, ApiError> {
    let node = fetch_node(&get_query(), json!({ "id": id }), "party").await?;
    Ok(node.map(|(v, _)| Party {
        other_roles: other_roles(&v),
        ..Party::from_json(&v)
    }))
}

/// Everything the profile page shows, from one request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    /// The party.
    pub party: Party,
    /// Contact details; `None` when hidden from the user (see `mechanisms_forbidden`).
    pub contact_mechanisms: Option<Vec<ContactMechanism>>,
    /// The first page of related parties.
    pub relationships: Connection<Relationship>,
    /// The first page of the timeline, newest first.
    pub timeline: Connection<TimelineEntry>,
    /// The server refused the contact details to this user.
    pub mechanisms_forbidden: bool,
    /// The B2C part; `None` unless the party is a B2C customer.
    pub b2c: Option<B2c>,
    /// The custom fields the user may read, as the API gave them.
    pub custom: Value,
    /// Tax ids; `None` unless asked for (the user holds the `party.taxIds` read grant).
    pub tax_ids: Option<Vec<TaxId>>,
    /// Ids in other systems.
    pub external_ids: Vec<ExternalId>,
}

impl FromJson for Profile {
    fn from_json(v: &Value) -> Self {
        Self {
            party: Party {
                other_roles: other_roles(v),
                ..Party::from_json(v)
            },
            contact_mechanisms: json::object(v, "contactMechanisms"),
            relationships: Connection::from_json(&v["relationships"]),
            timeline: Connection::from_json(&v["timeline"]),
            mechanisms_forbidden: false,
            b2c: json::object(v, "b2c"),
            custom: v["customFields"].clone(),
            tax_ids: json::object(v, "taxIds"),
            external_ids: Vec::from_json(&v["externalIds"]),
        }
    }
}

/// Selection of a record's custom values.
const CUSTOM_FIELDS: &str = crate::api::custom_fields::VALUE_FIELDS;

/// The document of [`profile`].
pub(crate) fn profile_query() -> String {
    format!(
        "query Profile($id: ID!, $first: Int, $journey: Int, $taxIds: Boolean!) {{ \
         partyProfile(id: $id) {{ {PARTY_FIELDS} {OTHER_ROLE_FIELDS} \
         externalIds {{ {EXTERNAL_ID_FIELDS} }} taxIds @include(if: $taxIds) {{ {TAX_ID_FIELDS} }} \
         ... on Person {{ customFields {{ {CUSTOM_FIELDS} }} }} \
         ... on Organization {{ customFields {{ {CUSTOM_FIELDS} }} }} \
         contactMechanisms {{ {MECHANISM_FIELDS} }} \
         relationships(first: $first) {{ {RELATIONSHIP_CONNECTION} }} \
         timeline(first: $first) {{ {TIMELINE_CONNECTION} }} \
         b2c {{ paymentPreference shippingAddress {{ {MECHANISM_FIELDS} }} \
         orders {{ totalCount }} feedback {{ totalCount }} \
         journey(first: $journey) {{ {TIMELINE_CONNECTION} }} }} }} }}"
    )
}

/// Loads a party with every section of its profile; `None` when it does not
/// exist or is not visible. Refused contact details do not fail the page: they
/// come back as `None` with `mechanisms_forbidden` set.
/// `tax_ids`: whether to read the tax ids (only for a user who may).
pub async fn profile(id: &str, tax_ids: bool) -> Result<Option<Profile>, ApiError> {
    let variables =
        json!({ "id": id, "first": SECTION_PAGE, "journey": JOURNEY_PAGE, "taxIds": tax_ids });
    let node = fetch_node(&profile_query(), variables, "partyProfile").await?;
    Ok(node.map(|(value, errors)| read_profile(&value, &errors)))
}

/// The profile in `value`. Contact details missing next to a `FORBIDDEN`
/// error were refused (the error need not say which field it is about).
fn read_profile(value: &Value, errors: &[GqlError]) -> Profile {
    let mut profile = Profile::from_json(value);
    profile.mechanisms_forbidden = profile.contact_mechanisms.is_none()
        && errors.iter().any(|e| e.code() == Some("FORBIDDEN"));
    profile
}

/// Loads one page of a profile section with `document`, which reads it as
/// `party(id: $id) { page: <section>(first: $first, after: $after) { … } }`.
async fn section<T: FromJson>(
    document: &str,
    id: &str,
    after: Option<&str>,
) -> Result<Connection<T>, ApiError> {
    let variables = json!({ "id": id, "first": SECTION_PAGE, "after": after });
    let node = fetch_node(document, variables, "party").await?;
    Ok(node
        .map(|(party, _)| Connection::from_json(&party["page"]))
        .unwrap_or_default())
}

/// The document of [`relationships`].
pub(crate) fn relationships_query() -> String {
    format!(
        "query Relationships($id: ID!, $first: Int, $after: String) {{ party(id: $id) {{ \
         page: relationships(first: $first, after: $after) {{ {RELATIONSHIP_CONNECTION} }} }} }}"
    )
}

/// The related parties of party `id`, from the start or after `after`.
pub async fn relationships(
    id: &str,
    after: Option<&str>,
) -> Result<Connection<Relationship>, ApiError> {
    section(&relationships_query(), id, after).await
}

/// The document of [`search`].
pub(crate) fn search_query() -> String {
    format!(
        "query Search($text: String!, $first: Int!) {{ search(text: $text, first: $first) {{ \
         party {{ {PARTY_REF_FIELDS} }} }} }}"
    )
}

/// The best `first` parties for `text`, best first (id, code, kind, name and
/// area of each).
pub async fn search(text: &str, first: u32) -> Result<Vec<Party>, ApiError> {
    let variables = json!({ "text": text, "first": first });
    let data = request(&search_query(), variables).await?;
    Ok(json::items(&data["search"])
        .iter()
        .map(|hit| Party::from_json(&hit["party"]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_with_refused_contact_details_reads() {
        let value = json!({
            "id": "O1", "code": "C-1", "kind": "ORGANIZATION", "displayName": "Acme",
            "roles": ["ACCOUNT"], "name": "Acme",
            "relationships": { "totalCount": 0, "pageInfo": { "hasNextPage": false, "endCursor": null }, "edges": [] },
            "timeline": { "totalCount": 1, "pageInfo": { "hasNextPage": false, "endCursor": "c1" },
                "edges": [{ "cursor": "c1", "node": { "id": "T1", "at": "2024-05-01T10:00:00Z", "actor": null,
                    "action": "create", "changes": [{ "field": "name", "before": null, "after": "Acme" }] } }] }
        });
        let refusal = GqlError::from_json(&json!({
            "message": "your role may not read party.contactMechanisms",
            "extensions": { "code": "FORBIDDEN" }
        }));
        let profile = read_profile(&value, &[refusal]);
        assert!(profile.mechanisms_forbidden);
        assert_eq!(profile.party.name.as_deref(), Some("Acme"));
        assert_eq!(profile.contact_mechanisms, None);
        assert_eq!(profile.timeline.nodes.len(), 1);
        assert_eq!(
            profile.timeline.nodes[0].changes[0].after.as_deref(),
            Some("Acme")
        );
        assert!(!read_profile(&value, &[]).mechanisms_forbidden);
    }
}
