//! Leads and what feeds them: leads with their qualification and conversion,
//! contact lists, web forms, assignment rules and the conversion mapping.
//! Types and lead requests here; the rest in the submodules.

pub mod convert;
pub mod forms;
pub mod lists;
pub mod settings;

use super::auth::User;
use super::input_mutation::{self, input_mutations};
use super::json::{self, FromJson};
use super::paging::Connection;
use super::schema_enum::schema_enum;
use super::{fetch, fetch_node, request, ApiError};
use serde_json::{json, Value};

schema_enum! {
    /// `LeadStatus`.
    LeadStatus {
        New = "NEW", "New";
        Contacted = "CONTACTED", "Contacted";
        Qualified = "QUALIFIED", "Qualified";
        Converted = "CONVERTED", "Converted";
        Disqualified = "DISQUALIFIED", "Disqualified";
    }
}

impl LeadStatus {
    /// The statuses a user may move a lead with this status to (conversion
    /// aside, which has its own dialog): forward through qualification,
    /// disqualify any open lead, reopen a disqualified one.
    pub fn next(self) -> &'static [LeadStatus] {
        use LeadStatus::*;
        match self {
            New => &[Contacted, Qualified, Disqualified],
            Contacted => &[Qualified, Disqualified],
            Qualified => &[Disqualified],
            Disqualified => &[New],
            Converted => &[],
        }
    }

    /// The button that moves a lead to this status.
    pub fn action(self) -> &'static str {
        match self {
            LeadStatus::New => "Reopen",
            LeadStatus::Contacted => "Mark contacted",
            LeadStatus::Qualified => "Mark qualified",
            LeadStatus::Disqualified => "Disqualify…",
            LeadStatus::Converted => "Convert…",
        }
    }
}

/// A record named in another one: an owner's list, a converted account, a team.
/// `name` is read from `name`, else `displayName`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Named {
    /// Opaque global id.
    pub id: String,
    /// Name shown.
    pub name: String,
}

impl FromJson for Named {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::opt_text(v, "name").unwrap_or_else(|| json::text(v, "displayName")),
        }
    }
}

/// The text fields of a lead the form edits, with their labels and input types.
pub const TEXT_FIELDS: &[(&str, &str, &str)] = &[
    ("foreName", "Fore name", "text"),
    ("surname", "Surname", "text"),
    ("organizationName", "Organisation", "text"),
    ("jobTitle", "Job title", "text"),
    ("email", "E-mail", "email"),
    ("phone", "Phone", "tel"),
    ("website", "Website", "url"),
    ("industry", "Industry", "text"),
    ("area", "Area", "text"),
    ("description", "Description", "text"),
];

/// Selection of a lead in the list.
const ROW_FIELDS: &str = "id code displayName organizationName source { key label } status \
     owner { id email displayName } archived createdAt";

/// Selection of every lead field the lead page shows.
const LEAD_FIELDS: &str = "id code displayName organizationName foreName surname jobTitle \
     email phone website industry area description source { key label } status statusReason \
     owner { id email displayName } webFormName contactLists { id name } convertedAt \
     convertedAccount { id name } convertedContact { id displayName } \
     convertedOpportunity { id name } archived version createdAt \
     customFields { key label type value display showInList canWrite options }";

/// A lead: someone who may become a customer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lead {
    /// Opaque global id (it works as a party id too).
    pub id: String,
    /// Human code, e.g. `L-000001`.
    pub code: String,
    /// "Fore Surname", else the organisation.
    pub display_name: String,
    /// Where it came from: key and label of a value of the lead sources pick-list.
    pub source: (String, String),
    /// Where it is in qualification.
    pub status: LeadStatus,
    /// Why it was disqualified.
    pub status_reason: Option<String>,
    /// Owning user.
    pub owner: Option<User>,
    /// The web form it came through.
    pub web_form_name: Option<String>,
    /// Contact lists holding it.
    pub contact_lists: Vec<Named>,
    /// RFC 3339 time of conversion.
    pub converted_at: Option<String>,
    /// What conversion made of it (each `None` when not visible).
    pub converted: [Option<Named>; 3],
    /// Archived leads are left out of the list.
    pub archived: bool,
    /// Optimistic-lock version.
    pub version: i64,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// The record as read, for the text fields of [`TEXT_FIELDS`].
    pub raw: Value,
}

impl FromJson for Lead {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            code: json::text(v, "code"),
            display_name: json::text(v, "displayName"),
            source: crate::api::picklists::chosen(v, "source").unwrap_or_default(),
            status: json::enumerated(v, "status", LeadStatus::parse).unwrap_or_default(),
            status_reason: json::opt_text(v, "statusReason"),
            owner: json::object(v, "owner"),
            web_form_name: json::opt_text(v, "webFormName"),
            contact_lists: json::list(v, "contactLists"),
            converted_at: json::opt_text(v, "convertedAt"),
            converted: [
                json::object(v, "convertedAccount"),
                json::object(v, "convertedContact"),
                json::object(v, "convertedOpportunity"),
            ],
            archived: json::flag(v, "archived"),
            version: json::int(v, "version"),
            created_at: json::text(v, "createdAt"),
            raw: v.clone(),
        }
    }
}

impl Lead {
    /// Text field `name` of [`TEXT_FIELDS`]; empty when none.
    pub fn text(&self, name: &str) -> String {
        json::text(&self.raw, name)
    }

    /// The shown values of its custom fields, as (key, value) pairs (when the list read them).
    pub fn custom(&self) -> Vec<(String, String)> {
        super::custom_fields::shown_values(&self.raw["customFields"])
    }
}

/// What the lead list shows: `LeadFilter` as chosen on the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LeadFilter {
    /// Only this status.
    pub status: Option<LeadStatus>,
    /// Only this source (a key of the lead sources pick-list); empty for any.
    pub source: String,
    /// Only this owner's; empty for anyone's.
    pub owner_id: String,
    /// Name, organisation or code contains this; blank for no search.
    pub search: String,
    /// Archived leads too.
    pub archived: bool,
}

impl LeadFilter {
    /// The `LeadFilter` input: only what narrows the list is sent.
    pub fn to_json(&self) -> Value {
        let mut f = json!({});
        if let Some(s) = self.status {
            f["statuses"] = json!([s]);
        }
        if !self.source.is_empty() {
            f["sources"] = json!([self.source]);
        }
        if !self.owner_id.is_empty() {
            f["ownerIds"] = json!([self.owner_id]);
        }
        let search = self.search.trim();
        if !search.is_empty() {
            f["search"] = json!(search);
        }
        if self.archived {
            f["includeArchived"] = json!(true);
        }
        f
    }
}

/// The document of [`list`]; with `custom`, the shown values of the custom fields too.
pub(crate) fn list_query(custom: bool) -> String {
    let custom = if custom {
        "customFields { key display }"
    } else {
        ""
    };
    format!(
        "query Leads($first: Int, $after: String, $filter: LeadFilter, $customOrder: CustomFieldOrder) {{ \
         leads(first: $first, after: $after, filter: $filter, customOrder: $customOrder) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {ROW_FIELDS} {custom} }} }} }} }}"
    )
}

/// How the lead list is read: its filter, the custom field it is sorted by (newest first when
/// none) and whether custom fields are shown as columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListRead {
    pub filter: LeadFilter,
    /// The custom field's key and direction.
    pub custom_order: Option<(String, super::paging::Direction)>,
    pub custom_columns: bool,
}

impl ListRead {
    /// The variables of [`list_query`] but the cursor.
    pub fn variables(&self) -> Value {
        let order = self
            .custom_order
            .as_ref()
            .map(|(key, direction)| json!({ "key": key, "direction": direction }));
        json!({ "first": 25, "filter": self.filter.to_json(), "customOrder": order })
    }
}

/// One page of leads.
pub async fn list(read: &ListRead, after: Option<String>) -> Result<Connection<Lead>, ApiError> {
    let mut variables = read.variables();
    variables["after"] = json!(after);
    fetch(&list_query(read.custom_columns), variables, "leads").await
}

/// The document of [`get`].
pub(crate) fn get_query() -> String {
    format!("query Lead($id: ID!) {{ lead(id: $id) {{ {LEAD_FIELDS} }} }}")
}

/// One lead; `None` when it does not exist or is not visible.
pub async fn get(id: &str) -> Result<Option<Lead>, ApiError> {
    let node = fetch_node(&get_query(), json!({ "id": id }), "lead").await?;
    Ok(node.map(|(v, _)| Lead::from_json(&v)))
}

/// Runs `document`, a mutation of root field `field`, and returns its payload.
pub(crate) async fn mutate(field: &str, document: &str, input: Value) -> Result<Value, ApiError> {
    let mut data = request(document, json!({ "input": input })).await?;
    Ok(data[field].take())
}

input_mutations! {
    /// The lead mutations; each answers with the lead.
    pub LeadWrite {
        Create = "createLead", "CreateLeadInput";
        Update = "updateLead", "UpdateLeadInput";
        SetArchived = "setLeadArchived", "SetLeadArchivedInput";
    }
}

impl LeadWrite {
    /// The document, reading the lead back.
    pub(crate) fn document(self) -> String {
        let selection = format!("lead {{ {LEAD_FIELDS} }}");
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs a lead mutation and reads the lead.
pub async fn save(mutation: LeadWrite, input: Value) -> Result<Lead, ApiError> {
    let answer = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(Lead::from_json(&answer["lead"]))
}

/// The text inputs of a create (`saved` is `None`: blank ones left out) or an
/// update (only those that differ from `saved`; an empty string clears).
pub fn text_input(typed: &[(&str, String)], saved: Option<&Lead>) -> Value {
    let mut input = json!({});
    for (name, value) in typed {
        let value = value.trim();
        let send = match saved {
            None => !value.is_empty(),
            Some(lead) => value != lead.text(name),
        };
        if send {
            input[*name] = json!(value);
        }
    }
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_sends_only_what_narrows() {
        assert_eq!(LeadFilter::default().to_json(), json!({}));
        let f = LeadFilter {
            status: Some(LeadStatus::Qualified),
            source: "web_form".into(),
            owner_id: "U1".into(),
            search: "  acme ".into(),
            archived: true,
        };
        assert_eq!(
            f.to_json(),
            json!({ "statuses": ["QUALIFIED"], "sources": ["web_form"], "ownerIds": ["U1"],
                    "search": "acme", "includeArchived": true })
        );
    }

    #[test]
    fn status_moves_offered() {
        assert!(LeadStatus::New.next().contains(&LeadStatus::Qualified));
        assert_eq!(LeadStatus::Qualified.next(), [LeadStatus::Disqualified]);
        assert_eq!(LeadStatus::Disqualified.next(), [LeadStatus::New]);
        assert!(LeadStatus::Converted.next().is_empty());
        assert!(!LeadStatus::Contacted.next().contains(&LeadStatus::New));
    }

    #[test]
    fn text_inputs_for_create_and_update() {
        let typed = [
            ("surname", " Doe ".to_owned()),
            ("email", String::new()),
            ("area", "North".to_owned()),
        ];
        assert_eq!(
            text_input(&typed, None),
            json!({ "surname": "Doe", "area": "North" })
        );
        let saved = Lead::from_json(&json!({ "surname": "Doe", "email": "d@x.example" }));
        assert_eq!(
            text_input(&typed, Some(&saved)),
            json!({ "email": "", "area": "North" })
        );
        assert_eq!(saved.converted, [None, None, None]);
    }
}
