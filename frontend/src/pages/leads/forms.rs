//! `/web-forms`, `/web-forms/new` and `/web-forms/:id`: the forms that turn
//! visitors of a web site into leads — fields, where the leads go, the
//! snippet to embed, and what came in.

use super::{can, load_error, not_found, page_parts, paging, reload};
use crate::api::leads::forms::{self, FormDraft, FormField, LeadFormField, Submission, WebForm};
use crate::api::leads::{lists, settings};
use crate::components::field::{FieldError, TextField};
use crate::components::load::load_once;
use crate::components::owner_field::OwnerField;
use crate::components::select_field::SelectField;
use crate::components::session::{set_title, use_session};
use crate::components::status::{Notice, Status, StatusMessages};
use crate::components::table::{table, Cell, Column, Row};
use crate::format;
use crate::page::list::{list_page, rows_from, Create, Found, ListSpec};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

const FORM_COLUMNS: &[Column] = &[
    Column::new("Name"),
    Column::new("Address"),
    Column::new("Source"),
    Column::new("Active"),
    Column::new("Submissions"),
];

fn form_row(f: &WebForm) -> Row {
    Row {
        href: None,
        class: "web-form-row",
        id: f.id.clone(),
        cells: vec![
            Cell::Link(format!("/web-forms/{}", f.id), f.name.clone()),
            Cell::text(f.public_url.clone()),
            Cell::text(f.source.1.clone()),
            Cell::text(if f.active { "Yes" } else { "No" }),
            Cell::text(f.submission_count.to_string()),
        ],
    }
}

/// `/web-forms`.
#[component]
pub fn WebFormsPage() -> impl IntoView {
    let load = rows_from(|_| async {
        let all = forms::list().await?;
        Ok(Found {
            total: all.len() as i64,
            rows: all.iter().map(form_row).collect(),
            next: None,
        })
    });
    list_page(
        ListSpec::new(
            "Web forms",
            "web-forms",
            ("form", "forms"),
            FORM_COLUMNS,
            load,
        )
        .create(&[Create {
            id: "new-web-form",
            href: "/web-forms/new",
            label: "New form",
            grant: ("web_form", "create"),
        }])
        .empty("No web forms yet.")
        .unpaged(),
    )
}

/// `/web-forms/:id`, and `/web-forms/new` for a new form.
#[component]
pub fn WebFormPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    move || {
        let id = id.get();
        if id == "new" {
            set_title("New web form");
            return view! { <FormEditor saved=None /> }.into_any();
        }
        let loaded = load_once(async move { forms::get(&id, None).await });
        (move || match loaded.get() {
            Some(Ok(Some((form, _)))) => {
                let id = form.id.clone();
                view! { <FormEditor saved=Some(form) /> <Submissions id /> }.into_any()
            }
            Some(Ok(None)) => not_found("Web form", "/web-forms"),
            Some(Err(e)) => load_error(&e),
            None => view! { <p class="loading">"Loading form…"</p> }.into_any(),
        })
        .into_any()
    }
}

/// The editor of one form.
#[component]
fn FormEditor(saved: Option<WebForm>) -> impl IntoView {
    let session = use_session();
    let is_new = saved.is_none();
    let d = saved
        .as_ref()
        .map_or_else(FormDraft::new, FormDraft::from_form);
    let name = RwSignal::new(d.name);
    let fields = RwSignal::new(d.fields);
    let list_id = RwSignal::new(d.target_list_id);
    let source = RwSignal::new(d.source);
    let owner = RwSignal::new(d.owner_id);
    let rule_id = RwSignal::new(d.rule_id);
    let redirect = RwSignal::new(d.redirect_url);
    let active = RwSignal::new(d.active);
    let adding = RwSignal::new(String::new());
    let saved = RwSignal::new(saved);
    let status = Status::new(session.take_flash());
    let errors = status.fields;
    let may_save = can("web_form", if is_new { "create" } else { "update" });
    let read_only = Signal::derive(move || !may_save || status.busy.get());
    let list_options = load_once(lists::choices());
    let rule_options = load_once(settings::rules());
    // The live sources, and the saved one when it has been archived since.
    let source_values = load_once(crate::api::picklists::values("LEAD_SOURCE", true));
    let source_options = Signal::derive(move || {
        let all = source_values.get().and_then(Result::ok).unwrap_or_default();
        crate::api::picklists::options(&all, &source.get())
            .into_iter()
            .skip(1)
            .collect::<Vec<_>>()
    });
    let navigate = use_navigate();
    if let Some(f) = saved.get_untracked() {
        set_title(&f.name);
    }

    let draft = move || FormDraft {
        name: name.get_untracked(),
        fields: fields.get_untracked(),
        target_list_id: list_id.get_untracked(),
        source: source.get_untracked(),
        owner_id: owner.get_untracked(),
        rule_id: rule_id.get_untracked(),
        redirect_url: redirect.get_untracked(),
        active: active.get_untracked(),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let d = draft();
        let current = saved.get_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            match forms::save(&d, current.as_ref()).await {
                Ok(f) if is_new => {
                    session.flash.set(Some("Saved".into()));
                    navigate(&format!("/web-forms/{}", f.id), Default::default());
                }
                Ok(f) => {
                    saved.set(Some(f));
                    status.succeed("Saved");
                }
                Err(e) => status.fail(
                    e,
                    &[
                        "name",
                        "fields",
                        "targetListId",
                        "source",
                        "ownerId",
                        "assignmentRuleId",
                        "redirectUrl",
                    ],
                ),
            }
        });
    };
    let update = move |i: usize, change: &dyn Fn(&mut FormField)| {
        fields.update(|f| {
            if let Some(f) = f.get_mut(i) {
                change(f);
            }
        })
    };
    let shift = move |i: usize, up: bool| {
        let mut d = FormDraft {
            fields: fields.get_untracked(),
            ..FormDraft::default()
        };
        d.shift(i, up);
        fields.set(d.fields);
    };
    let field_rows = move || {
        let all = fields.get();
        let n = all.len();
        all.into_iter()
            .enumerate()
            .map(|(i, f)| {
                let kinds = LeadFormField::ALL
                    .iter()
                    .map(|k| view! { <option value=k.as_str() selected=*k == f.field>{k.label()}</option> })
                    .collect_view();
                view! {
                    <tr class="form-field-row">
                        <td>
                            <select aria-label="Field" disabled=read_only on:change=move |ev| {
                                if let Some(k) = LeadFormField::parse(&event_target_value(&ev)) {
                                    update(i, &|f| f.field = k);
                                }
                            }>{kinds}</select>
                        </td>
                        <td><input aria-label="Label" class="field-label" prop:value=f.label disabled=read_only
                            on:change=move |ev| { let v = event_target_value(&ev); update(i, &|f| f.label = v.clone()); } /></td>
                        <td><input type="checkbox" aria-label="Required" prop:checked=f.required disabled=read_only
                            on:change=move |ev| { let v = event_target_checked(&ev); update(i, &|f| f.required = v); } /></td>
                        <td class="actions">
                            <button type="button" class="btn btn-small" aria-label="Move up" disabled=move || i == 0 || read_only.get() on:click=move |_| shift(i, true)>"↑"</button>
                            <button type="button" class="btn btn-small" aria-label="Move down" disabled=move || i + 1 == n || read_only.get() on:click=move |_| shift(i, false)>"↓"</button>
                            <button type="button" class="btn btn-small" aria-label="Remove" disabled=read_only on:click=move |_| fields.update(|f| { f.remove(i); })>"✕"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let unused = Signal::derive(move || {
        let d = FormDraft {
            fields: fields.get(),
            ..FormDraft::default()
        };
        d.unused()
            .into_iter()
            .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let add = move |_| {
        if let Some(field) = LeadFormField::parse(&adding.get_untracked()) {
            fields.update(|f| {
                f.push(FormField {
                    field,
                    label: field.label().to_owned(),
                    required: false,
                })
            });
            adding.set(String::new());
        }
    };
    let named = |list: Vec<crate::api::leads::Named>| {
        list.into_iter().map(|n| (n.id, n.name)).collect::<Vec<_>>()
    };
    let snippet = move || {
        saved.get().map(|f| {
            let text = f.snippet.clone();
            view! {
                <section class="card profile-section" id="web-form-embed">
                    <h2>"Embed"</h2>
                    <p>"Public address: " <a id="web-form-url" href=f.public_url.clone() target="_blank" rel="noopener">{f.public_url.clone()}</a></p>
                    <label for="web-form-snippet">"Snippet for your web site"</label>
                    <textarea id="web-form-snippet" rows="8" readonly prop:value=f.snippet></textarea>
                    <button type="button" class="btn" id="copy-snippet" on:click=move |_| {
                        let _ = window().navigator().clipboard().write_text(&text);
                        status.notice.set(Some("Copied".into()));
                    }>"Copy"</button>
                </section>
            }
        })
    };

    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/web-forms">"Web forms"</a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{move || saved.with(|s| s.as_ref().map_or_else(|| "New form".to_owned(), |f| f.name.clone()))}</span>
        </nav>
        <Notice status />
        <StatusMessages status />
        <form class="card record-form" id="web-form-editor" on:submit=on_submit novalidate>
            <div class="form-grid">
                <TextField name="name" label="Name" value=name errors required=true disabled=read_only />
                <SelectField name="source" label="Lead source" options=source_options value=source errors disabled=read_only />
                <SelectField name="targetListId" label="Add leads to list" options=Signal::derive(move || named(list_options.get().and_then(Result::ok).unwrap_or_default())) value=list_id errors empty="No list" disabled=read_only />
                <OwnerField value=owner current=Signal::derive(move || saved.with(|s| s.as_ref().and_then(|f| f.owner.clone()))) errors disabled=read_only />
                <SelectField name="assignmentRuleId" label="Assignment rule (when no owner)" options=Signal::derive(move || {
                    let rules = rule_options.get().and_then(Result::ok).unwrap_or_default();
                    rules.into_iter().map(|r| (r.id, r.name)).collect::<Vec<_>>()
                }) value=rule_id errors empty="No rule" disabled=read_only />
                <TextField name="redirectUrl" label="Redirect after sending" value=redirect errors input_type="url" hint=Some("Leave empty to show a thank-you page.") disabled=read_only />
                <label class="checkbox">
                    <input type="checkbox" id="field-active" prop:checked=move || active.get() disabled=read_only on:change=move |ev| active.set(event_target_checked(&ev)) />
                    "Active (accepts submissions)"
                </label>
            </div>
            <h2>"Fields"</h2>
            <table class="data-table" id="form-fields">
                <thead><tr><th>"Field"</th><th>"Label"</th><th>"Required"</th><th></th></tr></thead>
                <tbody>{field_rows}</tbody>
            </table>
            <FieldError name="fields" errors />
            <div class="inline-form">
                <SelectField name="addField" label="Add a field" options=unused value=adding errors empty="Choose…" disabled=read_only />
                <button type="button" class="btn" id="add-field" disabled=read_only on:click=add>"Add field"</button>
            </div>
            <div class="form-actions">
                {may_save.then(|| view! { <button type="submit" class="btn btn-primary" id="save" disabled=move || status.busy.get()>"Save"</button> })}
                <a class="btn" href="/web-forms">"Back"</a>
            </div>
        </form>
        {snippet}
    }
}

/// The submissions of form `id`, newest first.
fn submission_row(s: &Submission) -> Row {
    let lead = match &s.lead {
        Some(l) => Cell::Link(format!("/leads/{}", l.id), l.name.clone()),
        None => Cell::text(""),
    };
    Row {
        href: None,
        class: "submission-row",
        id: String::new(),
        cells: vec![
            Cell::text(format::date_time(&s.received_at)),
            Cell::Badge(s.outcome.as_str(), s.outcome.label()),
            lead,
        ],
    }
}

/// The submissions of form `id`, newest first.
#[component]
fn Submissions(id: String) -> impl IntoView {
    let cursors = RwSignal::new(Vec::<String>::new());
    let id = StoredValue::new(id);
    let page = reload(move || {
        let after = cursors.with(|c| c.last().cloned());
        async move {
            let form = forms::get(&id.get_value(), after).await?;
            Ok::<_, crate::api::ApiError>(form.map(|(_, subs)| subs).unwrap_or_default())
        }
    });
    let (rows, next, error) = page_parts(page, submission_row);
    view! {
        <section class="card profile-section" id="submissions">
            <h2>"Submissions"</h2>
            {error}
            {table("submissions-table", &["Received", "Outcome", "Lead"], rows, "None yet.", None)}
            {paging(cursors, next)}
        </section>
    }
}
