//! Web forms: the public forms that create leads, and their submissions.

use super::{mutate, Named};
use crate::api::auth::User;
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::paging::Connection;
use crate::api::schema_enum::schema_enum;
use crate::api::{fetch, fetch_node, ApiError};
use serde_json::{json, Value};

schema_enum! {
    /// `LeadFormField`: the lead fields a form may ask for.
    LeadFormField {
        OrganizationName = "ORGANIZATION_NAME", "Organisation";
        ForeName = "FORE_NAME", "Fore name";
        Surname = "SURNAME", "Surname";
        JobTitle = "JOB_TITLE", "Job title";
        Email = "EMAIL", "E-mail";
        Phone = "PHONE", "Phone";
        Website = "WEBSITE", "Website";
        Industry = "INDUSTRY", "Industry";
        Area = "AREA", "Area";
        Description = "DESCRIPTION", "Description";
    }
}

schema_enum! {
    /// `SubmissionOutcome`.
    SubmissionOutcome {
        Created = "CREATED", "Created";
        Duplicate = "DUPLICATE", "Duplicate";
        Spam = "SPAM", "Spam";
    }
}

/// Selection of a form without its submissions.
const FORM_FIELDS: &str = "id name key fields { field label required } targetList { id name } \
     source { key label } owner { id email displayName } assignmentRule { id name } redirectUrl active \
     publicUrl snippet submissionCount version";

/// One field of a form, as shown and edited.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormField {
    /// Which lead field.
    pub field: LeadFormField,
    /// Label shown on the form.
    pub label: String,
    /// The visitor must fill it.
    pub required: bool,
}

impl FromJson for FormField {
    fn from_json(v: &Value) -> Self {
        Self {
            field: json::enumerated(v, "field", LeadFormField::parse).unwrap_or_default(),
            label: json::text(v, "label"),
            required: json::flag(v, "required"),
        }
    }
}

/// `WebForm`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WebForm {
    /// Opaque global id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Public key in its URL.
    pub key: String,
    /// Fields, in order.
    pub fields: Vec<FormField>,
    /// List its leads join.
    pub target_list: Option<Named>,
    /// Source of its leads: key and label of a value of the lead sources pick-list.
    pub source: (String, String),
    /// Fixed owner of its leads.
    pub owner: Option<User>,
    /// Rule that picks owners.
    pub assignment_rule: Option<Named>,
    /// Where visitors go after sending.
    pub redirect_url: Option<String>,
    /// Accepting submissions.
    pub active: bool,
    /// `/public/forms/<key>`.
    pub public_url: String,
    /// Embeddable HTML.
    pub snippet: String,
    /// Submissions so far.
    pub submission_count: i64,
    /// Optimistic-lock version.
    pub version: i64,
}

impl FromJson for WebForm {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            key: json::text(v, "key"),
            fields: json::list(v, "fields"),
            target_list: json::object(v, "targetList"),
            source: crate::api::picklists::chosen(v, "source").unwrap_or_default(),
            owner: json::object(v, "owner"),
            assignment_rule: json::object(v, "assignmentRule"),
            redirect_url: json::opt_text(v, "redirectUrl"),
            active: json::flag(v, "active"),
            public_url: json::text(v, "publicUrl"),
            snippet: json::text(v, "snippet"),
            submission_count: json::int(v, "submissionCount"),
            version: json::int(v, "version"),
        }
    }
}

/// `WebFormSubmission`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Submission {
    /// RFC 3339 time.
    pub received_at: String,
    /// What became of it.
    pub outcome: SubmissionOutcome,
    /// The lead it made or joined, when visible.
    pub lead: Option<Named>,
}

impl FromJson for Submission {
    fn from_json(v: &Value) -> Self {
        Self {
            received_at: json::text(v, "receivedAt"),
            outcome: json::enumerated(v, "outcome", SubmissionOutcome::parse).unwrap_or_default(),
            lead: json::object(v, "lead"),
        }
    }
}

/// The document of [`list`].
pub(crate) fn list_query() -> String {
    format!("query WebForms {{ webForms {{ {FORM_FIELDS} }} }}")
}

/// Every form.
pub async fn list() -> Result<Vec<WebForm>, ApiError> {
    fetch(&list_query(), json!({}), "webForms").await
}

/// The document of [`get`].
pub(crate) fn get_query() -> String {
    format!(
        "query WebForm($id: ID!, $after: String) {{ webForm(id: $id) {{ {FORM_FIELDS} \
         submissions(first: 25, after: $after) {{ totalCount pageInfo {{ hasNextPage endCursor }} \
         edges {{ node {{ receivedAt outcome lead {{ id displayName }} }} }} }} }} }}"
    )
}

/// One form with a page of its submissions (newest first); `None` when not visible.
pub async fn get(
    id: &str,
    after: Option<String>,
) -> Result<Option<(WebForm, Connection<Submission>)>, ApiError> {
    let variables = json!({ "id": id, "after": after });
    let node = fetch_node(&get_query(), variables, "webForm").await?;
    Ok(node.map(|(v, _)| {
        (
            WebForm::from_json(&v),
            Connection::from_json(&v["submissions"]),
        )
    }))
}

/// The editor's state of a form: what `createWebForm`/`updateWebForm` take.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormDraft {
    /// Name.
    pub name: String,
    /// Fields in order.
    pub fields: Vec<FormField>,
    /// Target list id; empty for none.
    pub target_list_id: String,
    /// Lead source: a key of the lead sources pick-list.
    pub source: String,
    /// Owner id; empty for none.
    pub owner_id: String,
    /// Assignment rule id; empty for none.
    pub rule_id: String,
    /// Redirect URL; blank for none.
    pub redirect_url: String,
    /// Accepting submissions.
    pub active: bool,
}

impl FormDraft {
    /// A new form asks for a name and an e-mail.
    pub fn new() -> Self {
        let field = |field, required| FormField {
            field,
            label: field.label().to_owned(),
            required,
        };
        Self {
            fields: vec![
                field(LeadFormField::Surname, true),
                field(LeadFormField::Email, true),
            ],
            source: "web_form".into(),
            active: true,
            ..Self::default()
        }
    }

    /// The editor filled with a saved form.
    pub fn from_form(f: &WebForm) -> Self {
        let id = |n: &Option<Named>| n.as_ref().map(|n| n.id.clone()).unwrap_or_default();
        Self {
            name: f.name.clone(),
            fields: f.fields.clone(),
            target_list_id: id(&f.target_list),
            source: f.source.0.clone(),
            owner_id: f.owner.as_ref().map(|o| o.id.clone()).unwrap_or_default(),
            rule_id: id(&f.assignment_rule),
            redirect_url: f.redirect_url.clone().unwrap_or_default(),
            active: f.active,
        }
    }

    /// The fields not on the form yet, offered for "Add field".
    pub fn unused(&self) -> Vec<LeadFormField> {
        LeadFormField::ALL
            .iter()
            .copied()
            .filter(|f| !self.fields.iter().any(|x| x.field == *f))
            .collect()
    }

    /// Moves field `i` one place up (`up`) or down; nothing at the ends.
    pub fn shift(&mut self, i: usize, up: bool) {
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        if let Some(j) = j.filter(|j| *j < self.fields.len() && i < self.fields.len()) {
            self.fields.swap(i, j);
        }
    }

    /// The create input, or the update input for `saved` (all settings
    /// sent; an emptied choice is sent as `null`, which clears it).
    pub fn to_input(&self, saved: Option<&WebForm>) -> Value {
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|f| json!({ "field": f.field, "label": f.label.trim(), "required": f.required }))
            .collect();
        let mut input = json!({
            "name": self.name.trim(), "fields": fields, "source": self.source, "active": self.active,
        });
        for (key, value) in [
            ("targetListId", &self.target_list_id),
            ("ownerId", &self.owner_id),
            ("assignmentRuleId", &self.rule_id),
            ("redirectUrl", &self.redirect_url),
        ] {
            let value = value.trim();
            if !value.is_empty() {
                input[key] = json!(value);
            } else if saved.is_some() {
                // On update `null` clears a choice; an empty text clears the URL.
                input[key] = if key == "redirectUrl" {
                    json!("")
                } else {
                    Value::Null
                };
            }
        }
        if let Some(f) = saved {
            input["id"] = json!(f.id);
            input["version"] = json!(f.version);
        }
        input
    }
}

input_mutations! {
    /// The web form mutations; each answers with the form.
    pub(crate) FormWrite {
        Create = "createWebForm", "CreateWebFormInput";
        Update = "updateWebForm", "UpdateWebFormInput";
    }
}

impl FormWrite {
    /// The document, reading the form back.
    pub(crate) fn document(self) -> String {
        let selection = format!("webForm {{ {FORM_FIELDS} }}");
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Creates (`saved` is `None`) or updates a form.
pub async fn save(draft: &FormDraft, saved: Option<&WebForm>) -> Result<WebForm, ApiError> {
    let mutation = match saved {
        None => FormWrite::Create,
        Some(_) => FormWrite::Update,
    };
    let input = draft.to_input(saved);
    let answer = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(WebForm::from_json(&answer["webForm"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_move_and_unused_ones_are_offered() {
        let mut d = FormDraft::new();
        assert_eq!(d.fields[0].field, LeadFormField::Surname);
        d.shift(1, true);
        assert_eq!(d.fields[0].field, LeadFormField::Email);
        d.shift(0, true);
        d.shift(1, false);
        assert_eq!(d.fields[1].field, LeadFormField::Surname);
        assert_eq!(d.unused().len(), LeadFormField::ALL.len() - 2);
        assert!(!d.unused().contains(&LeadFormField::Email));
    }

    #[test]
    fn create_leaves_out_empty_choices_update_clears_them() {
        let mut d = FormDraft::new();
        d.name = " Contact us ".into();
        d.target_list_id = "CL1".into();
        let create = d.to_input(None);
        assert_eq!(create["name"], "Contact us");
        assert_eq!(create["targetListId"], "CL1");
        assert_eq!(
            create["fields"][1],
            json!({ "field": "EMAIL", "label": "E-mail", "required": true })
        );
        assert!(create.get("ownerId").is_none());
        let saved = WebForm {
            id: "F1".into(),
            version: 2,
            ..WebForm::default()
        };
        let update = d.to_input(Some(&saved));
        assert_eq!(update["ownerId"], Value::Null);
        assert_eq!(update["redirectUrl"], "");
        assert_eq!(update["version"], 2);
        assert_eq!(update["source"], "web_form");
    }
}
