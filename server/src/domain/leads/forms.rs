//! Web-to-lead forms: what admins define, the embeddable snippet, and what a public post does
//! (validate, drop honeypot posts, de-duplicate by e-mail, create the lead, record the submission).

use std::collections::HashMap;

use entity::leads::{web_form_submissions as subs, web_forms};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::fields::LeadValues;
use super::kinds::{LeadFormField, LeadSource, SubmissionOutcome};
use super::policy::WEB_FORM;
use super::service::{self, LeadRow, NewLead};
use super::{assignment, lists};
use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::ChangeEvent;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::kit::write::{Versioned, Write};
use crate::policy::{self, Action};
use crate::state::AppState;

/// The hidden input bots fill in and people don't see.
pub const HONEYPOT: &str = "nickname";

/// One field of a form, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    pub field: String,
    pub label: String,
    pub required: bool,
}

impl FormField {
    /// The lead field it asks for.
    pub fn kind(&self) -> Option<LeadFormField> {
        LeadFormField::parse(&self.field)
    }
}

/// The fields of a form, in order.
pub fn fields_of(m: &web_forms::Model) -> Vec<FormField> {
    serde_json::from_str::<Vec<FormField>>(&m.fields)
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.kind().is_some())
        .collect()
}

/// The path of a form's public page and post target.
pub fn public_path(key: &str) -> String {
    format!("/public/forms/{key}")
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The `<form>` element posting to `action`, with every field and the honeypot.
pub fn form_html(action: &str, fields: &[FormField], values: &HashMap<String, String>) -> String {
    let mut html = format!(
        "<form method=\"post\" action=\"{}\" accept-charset=\"utf-8\">\n",
        escape(action)
    );
    for f in fields {
        let Some(kind) = f.kind() else { continue };
        let name = kind.name();
        let req = if f.required { " required" } else { "" };
        let value = escape(values.get(name).map(String::as_str).unwrap_or_default());
        let input = match kind {
            LeadFormField::Description => {
                format!("<textarea name=\"{name}\" rows=\"4\"{req}>{value}</textarea>")
            }
            _ => {
                let ty = match kind {
                    LeadFormField::Email => "email",
                    LeadFormField::Phone => "tel",
                    LeadFormField::Website => "url",
                    _ => "text",
                };
                format!("<input type=\"{ty}\" name=\"{name}\" value=\"{value}\"{req}>")
            }
        };
        html.push_str(&format!(
            "  <p><label>{}{} {input}</label></p>\n",
            escape(&f.label),
            if f.required { " *" } else { "" }
        ));
    }
    html.push_str(&format!(
        "  <p style=\"position:absolute;left:-10000px\" aria-hidden=\"true\"><label>Leave this empty <input type=\"text\" name=\"{HONEYPOT}\" tabindex=\"-1\" autocomplete=\"off\"></label></p>\n"
    ));
    html.push_str("  <p><button type=\"submit\">Send</button></p>\n</form>");
    html
}

/// The HTML snippet to paste into a website: the form posting to the public URL.
pub fn snippet(base_url: &str, m: &web_forms::Model) -> String {
    form_html(
        &format!(
            "{}{}",
            base_url.trim_end_matches('/'),
            public_path(&m.form_key)
        ),
        &fields_of(m),
        &HashMap::new(),
    )
}

/// Every form, newest first.
pub async fn all(db: &impl ConnectionTrait, ctx: &RequestCtx) -> AppResult<Vec<web_forms::Model>> {
    policy::authorize(ctx, WEB_FORM, Action::Read)?;
    Ok(web_forms::Entity::find()
        .order_by_desc(web_forms::Column::CreatedAt)
        .order_by_desc(web_forms::Column::Id)
        .all(db)
        .await?)
}

/// One form, for readers of forms.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<web_forms::Model>> {
    policy::authorize(ctx, WEB_FORM, Action::Read)?;
    Ok(web_forms::Entity::find_by_id(id).one(db).await?)
}

/// Forms by id, for anyone who may read leads (a lead names the form it came from).
pub async fn names(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<HashMap<Uuid, String>> {
    Ok(web_forms::Entity::find()
        .filter(web_forms::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect())
}

/// A form as given (update: `None` unchanged; `Some(None)` clears).
#[derive(Debug, Clone, Default)]
pub struct FormInput {
    pub name: Option<String>,
    pub fields: Option<Vec<(LeadFormField, Option<String>, bool)>>,
    pub target_list_id: Option<Option<Uuid>>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<Option<Uuid>>,
    pub assignment_rule_id: Option<Option<Uuid>>,
    pub redirect_url: Option<String>,
    pub active: Option<bool>,
}

async fn apply(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    m: &mut web_forms::Model,
    input: &FormInput,
) -> AppResult<()> {
    let mut val = Validator::default();
    if let Some(n) = &input.name {
        if let Some(n) = val.check(v::required_text("name", n, 200)) {
            m.name = n;
        }
    }
    if let Some(list) = &input.fields {
        let mut out: Vec<FormField> = Vec::new();
        for (i, (f, label, required)) in list.iter().enumerate() {
            if out.iter().any(|x| x.field == f.as_str()) {
                val.push(&format!("fields.{i}.field"), "is on the form twice");
                continue;
            }
            let label = match label {
                Some(l) => val
                    .check(v::optional_text(&format!("fields.{i}.label"), l, 100))
                    .flatten(),
                None => None,
            };
            out.push(FormField {
                field: f.as_str().to_string(),
                label: label.unwrap_or_else(|| f.default_label().to_string()),
                required: *required,
            });
        }
        let identifies = out.iter().any(|f| {
            f.required
                && matches!(
                    f.kind(),
                    Some(LeadFormField::Surname | LeadFormField::OrganizationName)
                )
        });
        if !identifies {
            val.push(
                "fields",
                "a form must require a surname or an organisation name (a lead needs one)",
            );
        }
        m.fields = serde_json::to_string(&out).unwrap_or_else(|_| "[]".into());
    }
    if let Some(list) = input.target_list_id {
        if let Some(id) = list {
            if lists::get(db, ctx, id).await?.is_none() {
                val.push("targetListId", "is not a contact list you can see");
            }
        }
        m.target_list_id = list;
    }
    if let Some(s) = input.source {
        m.source = s.as_str().to_string();
    }
    if let Some(owner) = input.owner_id {
        if let Some(o) = owner {
            if !crate::domain::users::service::is_active(db, o).await? {
                val.push("ownerId", "is not an active user");
            }
        }
        m.owner_id = owner;
    }
    if let Some(rule) = input.assignment_rule_id {
        if let Some(r) = rule {
            use entity::leads::assignment_rules as rules;
            if rules::Entity::find_by_id(r).one(db).await?.is_none() {
                val.push("assignmentRuleId", "is not an assignment rule");
            }
        }
        m.assignment_rule_id = rule;
    }
    if let Some(u) = &input.redirect_url {
        if let Some(u) = val.check(v::website("redirectUrl", u)) {
            m.redirect_url = u;
        }
    }
    if let Some(a) = input.active {
        m.active = a;
    }
    val.finish()
}

impl Versioned for web_forms::Model {
    type Entity = web_forms::Entity;
    const OBJECT: &'static str = WEB_FORM;
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> i32 {
        self.version
    }
    fn stamp(&mut self, version: i32, at: chrono::DateTime<chrono::Utc>, _by: Option<Uuid>) {
        self.version = version;
        self.updated_at = at;
    }
    fn id_column() -> web_forms::Column {
        web_forms::Column::Id
    }
    fn version_column() -> web_forms::Column {
        web_forms::Column::Version
    }
    fn snapshot(&self) -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("name", json!(self.name)),
            ("fields", json!(fields_of(self))),
            ("targetListId", json!(self.target_list_id)),
            ("source", json!(self.source)),
            ("ownerId", json!(self.owner_id)),
            ("assignmentRuleId", json!(self.assignment_rule_id)),
            ("redirectUrl", json!(self.redirect_url)),
            ("active", json!(self.active)),
        ]
    }
}

/// A fresh public key: ten lower-case letters and digits.
fn new_key() -> String {
    const CHARS: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// Creates a form (with a given public key, or a fresh one).
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    input: FormInput,
    key: Option<&str>,
) -> AppResult<web_forms::Model> {
    let (actor, _) = policy::authorize(ctx, WEB_FORM, Action::Create)?;
    let mut val = Validator::default();
    if input.name.is_none() {
        val.push("name", "is required");
    }
    if input.fields.is_none() {
        val.push("fields", "is required");
    }
    val.finish()?;
    let now = db::now();
    let mut m = web_forms::Model {
        id: Uuid::new_v4(),
        name: String::new(),
        form_key: key.map_or_else(new_key, str::to_string),
        fields: "[]".into(),
        target_list_id: None,
        source: LeadSource::WebForm.as_str().to_string(),
        owner_id: None,
        assignment_rule_id: None,
        redirect_url: None,
        active: true,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
    };
    apply(&state.db, ctx, &mut m, &input).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = w.insert(m).await?;
    w.commit().await?;
    Ok(m)
}

/// Changes a form at `version`.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    input: FormInput,
) -> AppResult<web_forms::Model> {
    policy::authorize(ctx, WEB_FORM, Action::Update)?;
    let current = web_forms::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such web form".into()))?;
    let mut next = current.clone();
    apply(&state.db, ctx, &mut next, &input).await?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let next = w.save(&current, next, version, "update").await?;
    w.commit().await?;
    Ok(next)
}

const SUB_ORDERING: &str = "SUBMISSION_RECEIVED_DESC";

/// The cursor of a submission.
pub fn submission_cursor(s: &subs::Model) -> String {
    Cursor {
        o: SUB_ORDERING.into(),
        k: SortValue::Time(s.received_at),
        id: s.id,
    }
    .encode()
}

/// A page of a form's submissions, newest first (readers of forms).
pub async fn submissions(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    form: Uuid,
    page: &Page,
) -> AppResult<(Vec<subs::Model>, bool)> {
    policy::authorize(ctx, WEB_FORM, Action::Read)?;
    db::newest_first(
        db,
        subs::Entity::find().filter(subs::Column::FormId.eq(form)),
        subs::Column::ReceivedAt,
        subs::Column::Id,
        SUB_ORDERING,
        page,
    )
    .await
}

/// How many submissions each form has.
pub async fn submission_counts(
    db: &impl ConnectionTrait,
    forms: &[Uuid],
) -> AppResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = subs::Entity::find()
        .select_only()
        .column(subs::Column::FormId)
        .column_as(subs::Column::Id.count(), "n")
        .filter(subs::Column::FormId.is_in(forms.iter().copied()))
        .group_by(subs::Column::FormId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The active form with this public key.
pub async fn by_key(db: &impl ConnectionTrait, key: &str) -> AppResult<Option<web_forms::Model>> {
    Ok(web_forms::Entity::find()
        .filter(web_forms::Column::FormKey.eq(key))
        .filter(web_forms::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// What became of a public post.
#[derive(Debug)]
pub enum Submitted {
    /// Taken (a new lead, a duplicate, or dropped as spam): the page to send the visitor to.
    Accepted { redirect: Option<String> },
    /// Refused: every bad field, and the form's fields to show it again.
    Invalid(Vec<FieldError>, Vec<FormField>),
    /// No active form has this key.
    NotFound,
}

/// Validates a post against the form's fields: required ones present, each as its kind requires.
pub fn read_post(
    fields: &[FormField],
    data: &HashMap<String, String>,
) -> Result<LeadValues, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut values = LeadValues::default();
    for f in fields {
        let Some(kind) = f.kind() else { continue };
        let raw = data
            .get(kind.name())
            .map(String::as_str)
            .unwrap_or_default();
        match service::check_field("", kind, raw) {
            Ok(None) if f.required => errors.push(FieldError::new(kind.name(), "is required")),
            Ok(v) => values.set(kind, v),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() && values.surname.is_none() && values.organization_name.is_none() {
        errors.push(FieldError::new(
            "surname",
            "give a surname or an organisation name",
        ));
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

async fn record(
    txn: &impl ConnectionTrait,
    form: Uuid,
    outcome: SubmissionOutcome,
    lead: Option<Uuid>,
) -> AppResult<()> {
    subs::ActiveModel::from(subs::Model {
        id: Uuid::new_v4(),
        form_id: form,
        received_at: db::now(),
        outcome: outcome.as_str().to_string(),
        lead_id: lead,
    })
    .insert(txn)
    .await?;
    Ok(())
}

/// Takes a public post to the form with `key` (no signed-in user): honeypot posts are recorded as
/// spam and dropped; a post whose e-mail an open lead holds joins that lead; any other valid post
/// creates a lead owned by the form's owner, else its rule's pick, else the form's creator.
pub async fn submit(
    state: &AppState,
    key: &str,
    data: &HashMap<String, String>,
) -> AppResult<Submitted> {
    let Some(form) = by_key(&state.db, key).await? else {
        return Ok(Submitted::NotFound);
    };
    let accepted = Submitted::Accepted {
        redirect: form.redirect_url.clone(),
    };
    if data.get(HONEYPOT).is_some_and(|v| !v.trim().is_empty()) {
        let txn = db::begin_write(&state.db).await?;
        record(&txn, form.id, SubmissionOutcome::Spam, None).await?;
        txn.commit().await?;
        return Ok(accepted);
    }
    let fields = fields_of(&form);
    let values = match read_post(&fields, data) {
        Ok(v) => v,
        Err(e) => return Ok(Submitted::Invalid(e, fields)),
    };
    let lists: Vec<Uuid> = form.target_list_id.into_iter().collect();
    let txn = db::begin_write(&state.db).await?;
    let existing = match &values.email {
        Some(e) => service::open_lead_with_email(&txn, e).await?,
        None => None,
    };
    let event = match existing {
        Some(lead) => {
            for l in &lists {
                lists::add_member_in(&txn, None, *l, lead.party.id).await?;
            }
            record(
                &txn,
                form.id,
                SubmissionOutcome::Duplicate,
                Some(lead.party.id),
            )
            .await?;
            let cursor = changelog::record(
                &txn,
                None,
                service::OBJECT,
                lead.party.id,
                "web_form_submission",
                json!({"webForm": {"before": null, "after": form.name}}),
            )
            .await?;
            ChangeEvent::new(
                cursor,
                service::OBJECT,
                lead.party.id,
                "web_form_submission",
            )
        }
        None => {
            let picked = match (form.owner_id, form.assignment_rule_id) {
                (Some(o), _) => Some(o),
                (None, Some(r)) => assignment::pick_owner(&txn, r, values.area.as_deref()).await?,
                (None, None) => None,
            };
            let owner = picked.or(form.created_by).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("web form {} has no owner", form.id))
            })?;
            let (row, event): (LeadRow, ChangeEvent) = service::insert_in(
                &txn,
                None,
                NewLead {
                    values,
                    source: LeadSource::parse(&form.source).unwrap_or(LeadSource::WebForm),
                    owner,
                    web_form_id: Some(form.id),
                    list_ids: lists,
                },
            )
            .await?;
            record(
                &txn,
                form.id,
                SubmissionOutcome::Created,
                Some(row.party.id),
            )
            .await?;
            event
        }
    };
    txn.commit().await?;
    state.events.publish(event);
    Ok(accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(field: LeadFormField, required: bool) -> FormField {
        FormField {
            field: field.as_str().into(),
            label: field.default_label().into(),
            required,
        }
    }

    #[test]
    fn posts_are_checked_against_the_form() {
        let fields = [
            f(LeadFormField::Surname, true),
            f(LeadFormField::Email, true),
            f(LeadFormField::Phone, false),
        ];
        let mut data = HashMap::new();
        data.insert("surname".to_string(), "Doe".to_string());
        data.insert("email".to_string(), "not-an-email".to_string());
        data.insert("shoeSize".to_string(), "44".to_string());
        let e = read_post(&fields, &data).err().unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "email");
        data.insert("email".to_string(), "Jo@Example.org".to_string());
        let v = read_post(&fields, &data).unwrap_or_default();
        assert_eq!(v.email.as_deref(), Some("jo@example.org"));
        data.remove("surname");
        let e = read_post(&fields, &data).err().unwrap_or_default();
        assert_eq!(e[0].field, "surname");
    }

    #[test]
    fn the_snippet_escapes_labels_and_hides_the_honeypot() {
        let mut field = f(LeadFormField::Email, true);
        field.label = "E-mail <b>".into();
        let m = web_forms::Model {
            id: Uuid::nil(),
            name: "x".into(),
            form_key: "abc".into(),
            fields: serde_json::to_string(&vec![field]).unwrap_or_default(),
            target_list_id: None,
            source: "WEB_FORM".into(),
            owner_id: None,
            assignment_rule_id: None,
            redirect_url: None,
            active: true,
            version: 1,
            created_at: db::now(),
            updated_at: db::now(),
            created_by: None,
        };
        let s = snippet("https://crm.example.com/", &m);
        assert!(s.contains("action=\"https://crm.example.com/public/forms/abc\""));
        assert!(s.contains("E-mail &lt;b&gt; *"));
        assert!(s.contains("type=\"email\" name=\"email\""));
        assert!(s.contains("name=\"nickname\" tabindex=\"-1\""));
    }
}
