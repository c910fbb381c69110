//! Contact lists and their members.

use super::{mutate, Named};
use crate::api::auth::User;
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::paging::Connection;
use crate::api::parties::PartyKind;
use crate::api::{fetch, fetch_node, request, ApiError};
use serde_json::{json, Value};

/// Selection of a list without its members.
const LIST_FIELDS: &str =
    "id name description kind owner { id email displayName } memberCount archived version createdAt";

/// Members shown per page.
pub const MEMBERS_PAGE: u32 = 25;

/// `ContactList`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactList {
    /// Opaque global id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What it is for.
    pub description: Option<String>,
    /// Owning user.
    pub owner: Option<User>,
    /// Members the user may see.
    pub member_count: i64,
    /// Archived lists are left out by default.
    pub archived: bool,
    /// Optimistic-lock version.
    pub version: i64,
    /// One page of members, when asked for.
    pub members: Connection<Member>,
}

impl FromJson for ContactList {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            description: json::opt_text(v, "description"),
            owner: json::object(v, "owner"),
            member_count: json::int(v, "memberCount"),
            archived: json::flag(v, "archived"),
            version: json::int(v, "version"),
            members: Connection::from_json(&v["members"]),
        }
    }
}

/// `ContactListMember`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Member {
    /// The party (a person, an organisation, or a lead's party).
    pub party: Named,
    /// Its code.
    pub code: String,
    /// Person or organisation.
    pub kind: PartyKind,
    /// The lead, when the member is one.
    pub lead: Option<Named>,
    /// RFC 3339 time it was added.
    pub added_at: String,
    /// Marketing consent, e.g. `UNKNOWN`.
    pub consent_status: String,
}

impl FromJson for Member {
    fn from_json(v: &Value) -> Self {
        let party = &v["party"];
        Self {
            party: Named::from_json(party),
            code: json::text(party, "code"),
            kind: json::enumerated(party, "kind", PartyKind::parse).unwrap_or_default(),
            lead: json::object(v, "lead"),
            added_at: json::text(v, "addedAt"),
            consent_status: json::text(v, "consentStatus"),
        }
    }
}

impl Member {
    /// Where the member opens: its lead, else its profile.
    pub fn href(&self) -> String {
        match &self.lead {
            Some(lead) => format!("/leads/{}", lead.id),
            None => format!("/parties/{}", self.party.id),
        }
    }
}

/// The document of [`list`].
pub(crate) fn list_query() -> String {
    format!(
        "query ContactLists($after: String, $search: String, $archived: Boolean) {{ \
         contactLists(first: 25, after: $after, search: $search, includeArchived: $archived) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {LIST_FIELDS} }} }} }} }}"
    )
}

/// One page of lists, by name.
pub async fn list(
    search: &str,
    archived: bool,
    after: Option<String>,
) -> Result<Connection<ContactList>, ApiError> {
    let search = Some(search.trim()).filter(|s| !s.is_empty());
    let variables = json!({ "after": after, "search": search, "archived": archived });
    fetch(&list_query(), variables, "contactLists").await
}

/// The document of [`choices`].
pub(crate) const CHOICES_QUERY: &str =
    "query ContactListChoices { contactLists(first: 100) { nodes { id name } } }";

/// Lists to choose from (the first hundred), e.g. a web form's target.
pub async fn choices() -> Result<Vec<Named>, ApiError> {
    let data = request(CHOICES_QUERY, json!({})).await?;
    Ok(json::list(&data["contactLists"], "nodes"))
}

/// The document of [`get`].
pub(crate) fn get_query() -> String {
    format!(
        "query ContactList($id: ID!, $first: Int, $after: String) {{ contactList(id: $id) {{ {LIST_FIELDS} \
         members(first: $first, after: $after) {{ totalCount pageInfo {{ hasNextPage endCursor }} \
         edges {{ node {{ party {{ id code kind displayName }} lead {{ id code }} addedAt consentStatus }} }} }} }} }}"
    )
}

/// One list with a page of its members; `None` when not visible.
pub async fn get(id: &str, after: Option<String>) -> Result<Option<ContactList>, ApiError> {
    let variables = json!({ "id": id, "first": MEMBERS_PAGE, "after": after });
    let node = fetch_node(&get_query(), variables, "contactList").await?;
    Ok(node.map(|(v, _)| ContactList::from_json(&v)))
}

input_mutations! {
    /// The contact list mutations; each answers with the list.
    pub ListWrite {
        Create = "createContactList", "CreateContactListInput";
        Update = "updateContactList", "UpdateContactListInput";
        SetArchived = "setContactListArchived", "SetContactListArchivedInput";
        AddMembers = "addContactListMembers", "ContactListMembersInput";
        RemoveMembers = "removeContactListMembers", "ContactListMembersInput";
    }
}

impl ListWrite {
    /// The document, reading the list back.
    pub(crate) fn document(self) -> String {
        let selection = format!("contactList {{ {LIST_FIELDS} }}");
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs a list mutation and reads the list.
pub async fn save(mutation: ListWrite, input: Value) -> Result<ContactList, ApiError> {
    let answer = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(ContactList::from_json(&answer["contactList"]))
}

/// Adds (`add`) or removes parties (or leads) to or from list `list_id`.
pub async fn members(add: bool, list_id: &str, ids: &[String]) -> Result<ContactList, ApiError> {
    let mutation = if add {
        ListWrite::AddMembers
    } else {
        ListWrite::RemoveMembers
    };
    let input = json!({ "listId": list_id, "partyIds": ids });
    save(mutation, input).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_member_opens_its_lead() {
        let m = Member::from_json(&json!({
            "party": { "id": "P1", "code": "L-1", "kind": "PERSON", "displayName": "Ann Lee" },
            "lead": { "id": "L1", "code": "L-1" }, "addedAt": "2026-01-01T00:00:00Z",
            "consentStatus": "UNKNOWN"
        }));
        assert_eq!(m.href(), "/leads/L1");
        assert_eq!(m.party.name, "Ann Lee");
        let m = Member::from_json(&json!({ "party": { "id": "P2", "name": "Acme" } }));
        assert_eq!(m.href(), "/parties/P2");
        assert_eq!(m.party.name, "Acme");
    }
}
