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
use super::kinds::{lead_source, LeadFormField, SubmissionOutcome};
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
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

mod submissions;

pub use submissions::*;

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
    /// A key of the `lead_source` pick-list.
    pub source: Option<String>,
    pub owner_id: Option<Option<Uuid>>,
    pub assignment_rule_id: Option<Option<Uuid>>,
    pub redirect_url: Option<String>,
    pub active: Option<bool>,
}

pub(super) async fn apply(
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
    if let Some(s) = &input.source {
        let kept = m.source.clone();
        if let Some(k) =
            val.absorb(super::service::check_source(db, "source", s, Some(kept.as_str())).await)?
        {
            m.source = k;
        }
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

crate::versioned!(web_forms, WEB_FORM, kept [], |m| {
    vec![
        ("name", json!(m.name)),
        ("fields", json!(fields_of(m))),
        ("targetListId", json!(m.target_list_id)),
        ("source", json!(m.source)),
        ("ownerId", json!(m.owner_id)),
        ("assignmentRuleId", json!(m.assignment_rule_id)),
        ("redirectUrl", json!(m.redirect_url)),
        ("active", json!(m.active)),
    ]
});

/// A fresh public key: ten lower-case letters and digits.
pub(super) fn new_key() -> String {
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
        source: lead_source::WEB_FORM.to_string(),
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
