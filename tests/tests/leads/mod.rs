//! Leads: capture and qualification, row scope and the role matrix, contact lists, conversion into
//! account, contact and opportunity (all or nothing), the conversion mapping, web-to-lead forms on
//! the public endpoint, assignment rules, CSV import, and statement counts.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use tests::{codes, fields, TestApp};

use crate::opportunities::{account_id, stages};

const LEAD: &str = "id code displayName organizationName foreName surname jobTitle email phone \
    area industry source { key label } status statusReason owner { email } webFormName archived version \
    contactLists { id name } convertedAt convertedAccount { id name } \
    convertedContact { id displayName } convertedOpportunity { id name }";

const UPDATE: &str = "mutation($i: UpdateLeadInput!) { updateLead(input: $i) { lead { id version status statusReason jobTitle } } }";

const CONVERT: &str = "mutation($i: ConvertLeadInput!) { convertLead(input: $i) {
    lead { id status version convertedAt convertedAccount { id name } convertedContact { id displayName }
           convertedOpportunity { id name } }
    account { id name industry area website }
    contact { id displayName foreName surname contactMechanisms { kind value }
              relationships(first: 10) { edges { node { kind roleLabel direction other { displayName } } } } }
    opportunity { id name leadSource { key } leadId nextStep owner { email } stage { name } amount { amount currency } } } }";

const PREVIEW: &str = "query($id: ID!) { leadConversionPreview(leadId: $id) { convertible reason
    account { values { field sourceField value } matches { id code displayName reason } }
    contact { values { field sourceField value } matches { id code displayName reason } }
    opportunity { values { field sourceField value } matches { id displayName reason } } } }";

const MAPPING: &str = "{ leadConversionMapping { target targetField sourceField } }";

const SET_MAPPING: &str = "mutation($e: [LeadFieldMappingInput!]!) { setLeadConversionMapping(input: {entries: $e}) { target targetField sourceField } }";

const CREATE_LIST: &str = "mutation($i: CreateContactListInput!) { createContactList(input: $i) { contactList { id name kind owner { email } memberCount version } } }";

const ADD_MEMBERS: &str = "mutation($l: ID!, $p: [ID!]!) { addContactListMembers(input: {listId: $l, partyIds: $p}) { contactList { memberCount } } }";

const LIST: &str = "query($id: ID!) { contactList(id: $id) { id name memberCount
    members(first: 50) { totalCount nodes { consentStatus addedAt party { id displayName } lead { id displayName } } } } }";

const CREATE_FORM: &str = "mutation($i: CreateWebFormInput!) { createWebForm(input: $i) { webForm {
    id name key publicUrl snippet active version source { key } redirectUrl owner { email } targetList { id name }
    fields { field name label required } } } }";

const SUBMISSIONS: &str = "query($id: ID!) { webForm(id: $id) { submissionCount
    submissions(first: 20) { totalCount nodes { receivedAt outcome lead { id surname } } } } }";

const CREATE_RULE: &str =
    "mutation($i: CreateAssignmentRuleInput!) { createAssignmentRule(input: $i) { assignmentRule {
    id name kind team { name } areas { area user { email } } fallbackOwner { email } active } } }";

const IMPORT: &str = "mutation($i: ImportLeadsInput!) { importLeads(input: $i) { created duplicates leads { id surname email area owner { email } source { key } contactLists { id } } } }";

async fn create_lead(app: &TestApp, token: &str, input: Value) -> Value {
    let q = format!(
        "mutation($i: CreateLeadInput!) {{ createLead(input: $i) {{ lead {{ {LEAD} }} }} }}"
    );
    app.ok(token, &q, json!({"i": input})).await["createLead"]["lead"].clone()
}

async fn try_create_lead(app: &TestApp, token: &str, input: Value) -> Value {
    let q = "mutation($i: CreateLeadInput!) { createLead(input: $i) { lead { id } } }";
    app.gql(Some(token), q, json!({"i": input})).await
}

async fn lead(app: &TestApp, token: &str, id: &Value) -> Value {
    let q = format!("query($id: ID!) {{ lead(id: $id) {{ {LEAD} }} }}");
    app.ok(token, &q, json!({"id": id})).await["lead"].clone()
}

/// Leads whose name, organisation or code contains `text`, as the caller sees them.
async fn search(app: &TestApp, token: &str, text: &str) -> Value {
    let q = format!(
        "query($s: String) {{ leads(first: 100, filter: {{search: $s, includeArchived: true}}) {{ totalCount nodes {{ {LEAD} }} }} }}"
    );
    app.ok(token, &q, json!({"s": text})).await["leads"].clone()
}

/// Qualifies a lead and returns its new version.
async fn qualify(app: &TestApp, token: &str, lead: &Value) -> i64 {
    let d = app
        .ok(
            token,
            UPDATE,
            json!({"i": {"id": lead["id"], "version": lead["version"], "status": "QUALIFIED"}}),
        )
        .await;
    assert_eq!(d["updateLead"]["lead"]["status"], "QUALIFIED");
    d["updateLead"]["lead"]["version"].as_i64().unwrap()
}

async fn team_id(app: &TestApp, token: &str, name: &str) -> Value {
    let d = app.ok(token, "{ teams { id name } }", json!({})).await;
    d["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no team {name}"))["id"]
        .clone()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n[key].as_str().unwrap_or("").to_string())
        .collect()
}

/// A count straight from the database.
async fn count(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// Rows that a failed write must leave alone.
async fn footprint(app: &TestApp) -> [i64; 6] {
    [
        app.count_rows("leads").await,
        app.count_rows("parties").await,
        app.count_rows("opportunities").await,
        app.count_rows("party_relationships").await,
        app.count_rows("contact_list_members").await,
        app.count_rows("change_log").await,
    ]
}

// Web forms and the public endpoint

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|_| panic!("not JSON ({}): {}", self.status, self.body))
    }
}

async fn public_post_json(app: &TestApp, key: &str, body: Value) -> Reply {
    let resp = no_redirects()
        .post(format!("{}/public/forms/{key}", app.url))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    Reply {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body: resp.text().await.unwrap(),
    }
}

async fn public_post_form(app: &TestApp, key: &str, pairs: &[(&str, &str)]) -> Reply {
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let resp = no_redirects()
        .post(format!("{}/public/forms/{key}", app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    Reply {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body: resp.text().await.unwrap(),
    }
}

/// A form with a fixed owner: fore name, surname (required), e-mail (required), organisation.
async fn make_form(app: &TestApp, admin: &str, name: &str, extra: Value) -> Value {
    let mut input = json!({"name": name, "fields": [
        {"field": "FORE_NAME", "label": "First name"},
        {"field": "SURNAME", "label": "Last name", "required": true},
        {"field": "EMAIL", "label": "E-mail", "required": true},
        {"field": "ORGANIZATION_NAME", "label": "Company"}]});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    app.ok(admin, CREATE_FORM, json!({"i": input})).await["createWebForm"]["webForm"].clone()
}

mod assignment;
mod conversion;
mod forms;
mod lists;
mod mapping;
mod records;
