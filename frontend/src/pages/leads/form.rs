//! `/leads/new` and `/leads/:id`: create and edit a lead, move it through
//! qualification, archive it, and convert it (see [`super::convert`]).

use super::convert::ConvertDialog;
use super::{can, choices, load_error, not_found};
use crate::api::leads::{self, Lead, LeadStatus, LeadWrite, Named, TEXT_FIELDS};
use crate::api::opportunities::LeadSource;
use crate::components::field::{FieldError, TextField};
use crate::components::load::load_once;
use crate::components::owner_field::OwnerField;
use crate::components::select_field::SelectField;
use crate::components::session::{set_title, use_session};
use crate::components::status::{Notice, Status, StatusMessages};
use crate::format;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::json;

/// `/leads/:id`, and `/leads/new` for a new lead.
#[component]
pub fn LeadPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    move || {
        let id = id.get();
        if id == "new" {
            set_title("New lead");
            return view! { <LeadEditor saved=None /> }.into_any();
        }
        let loaded = load_once(async move { leads::get(&id).await });
        (move || match loaded.get() {
            Some(Ok(Some(lead))) => view! { <LeadEditor saved=Some(lead) /> }.into_any(),
            Some(Ok(None)) => not_found("Lead", "/leads"),
            Some(Err(e)) => load_error(&e),
            None => view! { <p class="loading">"Loading lead…"</p> }.into_any(),
        })
        .into_any()
    }
}

/// Links to what a converted lead became.
pub fn converted_links(made: &[Option<Named>; 3]) -> impl IntoView {
    let link =
        |item: &Option<Named>, class: &'static str, what: &'static str, base: &'static str| {
            item.as_ref().map(|n| {
                view! {
                    <li>
                        {what} ": "
                        <a class=class href=format!("{base}{}", n.id)>{n.name.clone()}</a>
                    </li>
                }
            })
        };
    view! {
        <ul class="rows converted-links">
            {link(&made[0], "converted-account", "Account", "/accounts/")}
            {link(&made[1], "converted-contact", "Contact", "/parties/")}
            {link(&made[2], "converted-opportunity", "Opportunity", "/opportunities/")}
        </ul>
    }
}

/// The lead form, for a new lead (`saved` is `None`) or a saved one.
#[component]
fn LeadEditor(saved: Option<Lead>) -> impl IntoView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let navigate = use_navigate();
    let is_new = saved.is_none();
    let contact_data = me.can_read_field("party", "contactMechanisms");
    let inputs: Vec<_> = TEXT_FIELDS
        .iter()
        .filter(|(name, ..)| contact_data || !matches!(*name, "email" | "phone"))
        .map(|&(name, label, kind)| {
            let text = saved.as_ref().map(|l| l.text(name)).unwrap_or_default();
            (name, label, kind, RwSignal::new(text))
        })
        .collect();
    let inputs = StoredValue::new(inputs);
    let source = RwSignal::new(
        saved
            .as_ref()
            .map_or(LeadSource::Other, |l| l.source)
            .as_str()
            .to_owned(),
    );
    let owner = RwSignal::new(
        saved
            .as_ref()
            .and_then(|l| l.owner.as_ref().map(|o| o.id.clone()))
            .unwrap_or_default(),
    );
    let saved = RwSignal::new(saved);
    let status = Status::new(session.take_flash());
    let errors = status.fields;
    let can_save = can("lead", if is_new { "create" } else { "update" });
    let read_only = Signal::derive(move || !can_save || status.busy.get());
    let reason = RwSignal::new(String::new());
    let asking_reason = RwSignal::new(false);
    let converting = RwSignal::new(false);
    let shown = StoredValue::new({
        let mut shown: Vec<&str> = TEXT_FIELDS.iter().map(|f| f.0).collect();
        shown.extend(["source", "ownerId", "statusReason"]);
        shown
    });
    Effect::new(move |_| saved.with(|s| s.as_ref().map(|l| set_title(&l.display_name))));

    let show = move |lead: Lead, notice: &str| {
        inputs.with_value(|i| i.iter().for_each(|(name, _, _, v)| v.set(lead.text(name))));
        saved.set(Some(lead));
        asking_reason.set(false);
        status.succeed(notice);
    };
    // Sends `input` as a create, or as an update of the saved lead.
    let send = move |mutation: LeadWrite, mut input: serde_json::Value, notice: &'static str| {
        if !status.start() {
            return;
        }
        if let Some(l) = saved.get_untracked() {
            input["id"] = json!(l.id);
            input["version"] = json!(l.version);
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            match leads::save(mutation, input).await {
                Ok(lead) if is_new => {
                    session.flash.set(Some(notice.to_owned()));
                    navigate(&format!("/leads/{}", lead.id), Default::default());
                }
                Ok(lead) => show(lead, notice),
                Err(e) => status.fail(e, &shown.get_value()),
            }
        });
    };
    let send = StoredValue::new(send);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed: Vec<(&str, String)> = inputs.with_value(|i| {
            i.iter()
                .map(|(n, _, _, v)| (*n, v.get_untracked()))
                .collect()
        });
        let current = saved.get_untracked();
        let mut input = leads::text_input(&typed, current.as_ref());
        let (src, own) = (source.get_untracked(), owner.get_untracked());
        if current.as_ref().is_none_or(|l| l.source.as_str() != src) {
            input["source"] = json!(src);
        }
        let saved_owner = current
            .as_ref()
            .and_then(|l| l.owner.as_ref())
            .map(|o| o.id.clone());
        if !own.is_empty() && saved_owner.as_deref() != Some(&own) {
            input["ownerId"] = json!(own);
        }
        let mutation = if is_new {
            LeadWrite::Create
        } else {
            LeadWrite::Update
        };
        send.with_value(|send| send(mutation, input, "Saved"));
    };
    let move_to = move |to: LeadStatus| {
        if to == LeadStatus::Disqualified && !asking_reason.get_untracked() {
            asking_reason.set(true);
            return;
        }
        let mut input = json!({ "status": to });
        if to == LeadStatus::Disqualified {
            input["statusReason"] = json!(reason.get_untracked().trim());
        }
        send.with_value(|send| send(LeadWrite::Update, input, to.label()));
    };
    let on_archive = move |_| {
        let archived = saved.with_untracked(|s| s.as_ref().is_some_and(|l| l.archived));
        let notice = if archived { "Restored" } else { "Archived" };
        send.with_value(|send| {
            send(
                LeadWrite::SetArchived,
                json!({ "archived": !archived }),
                notice,
            )
        });
    };

    let lead = move || saved.get();
    let heading = move || {
        saved.with(|s| {
            s.as_ref()
                .map_or_else(|| "New lead".to_owned(), |l| l.display_name.clone())
        })
    };
    let actions = move || {
        let l = lead()?;
        if !can("lead", "update") || l.archived {
            return None;
        }
        let buttons = l
            .status
            .next()
            .iter()
            .map(|&to| {
                let id = format!("lead-to-{}", to.as_str().to_ascii_lowercase());
                view! { <button type="button" class="btn" id=id disabled=move || status.busy.get() on:click=move |_| move_to(to)>{to.action()}</button> }
            })
            .collect_view();
        let convert = (l.status == LeadStatus::Qualified).then(|| {
            view! { <button type="button" class="btn btn-primary" id="convert-open" on:click=move |_| converting.set(true)>"Convert…"</button> }
        });
        Some(view! {
            <div class="toolbar" id="lead-actions">{buttons} {convert}</div>
        })
    };
    let facts = move || {
        let l = lead()?;
        let lists = l
            .contact_lists
            .iter()
            .map(|n| view! { <li><a href=format!("/lists/{}", n.id)>{n.name.clone()}</a></li> })
            .collect_view();
        Some(view! {
            <aside class="card profile-section" id="lead-facts">
                <h2>"Origin"</h2>
                <p id="lead-origin">
                    {l.source.label()}
                    {l.web_form_name.clone().map(|f| format!(" · form “{f}”"))}
                    " · " {format::date(&l.created_at)}
                </p>
                {l.status_reason.clone().map(|r| view! { <p id="lead-reason">"Reason: " {r}</p> })}
                <h2>"Contact lists"</h2>
                <ul class="rows" id="lead-lists">{lists}</ul>
                {l.converted_at.clone().map(|at| view! {
                    <h2>"Converted " {format::date(&at)}</h2>
                    {converted_links(&l.converted)}
                })}
            </aside>
        })
    };

    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/leads">"Leads"</a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{heading}</span>
        </nav>
        <div class="page-header">
            <h1>
                {heading}
                {move || lead().map(|l| view! {
                    <span class="record-code">{l.code}</span>
                    <span class="badge" id="lead-status" data-status=l.status.as_str()>{l.status.label()}</span>
                    {l.archived.then(|| view! { <span class="badge">"Archived"</span> })}
                })}
            </h1>
        </div>
        <Notice status />
        <StatusMessages status />
        {actions}
        <Show when=move || asking_reason.get()>
            <div class="inline-form" id="disqualify">
                <TextField name="statusReason" label="Why is it disqualified?" value=reason errors required=true />
                <button type="button" class="btn btn-danger" id="disqualify-submit" on:click=move |_| move_to(LeadStatus::Disqualified)>"Disqualify"</button>
                <button type="button" class="btn" on:click=move |_| asking_reason.set(false)>"Cancel"</button>
            </div>
        </Show>
        {move || converting.get().then(|| saved.get_untracked().map(|l| view! {
            <ConvertDialog
                lead=l
                on_converted=Callback::new(move |l: Lead| show(l, "Converted"))
                on_close=Callback::new(move |()| converting.set(false))
            />
        }))}
        <div class="profile-grid">
            <form class="card record-form profile-main" on:submit=on_submit novalidate>
                <div class="form-grid">
                    {inputs.with_value(|i| i.iter().map(|&(name, label, kind, value)| {
                        if name == "description" {
                            view! {
                                <div class="field span-2">
                                    <label for="field-description">{label}</label>
                                    <textarea id="field-description" rows="3" disabled=read_only bind:value=value></textarea>
                                    <FieldError name="description" errors />
                                </div>
                            }.into_any()
                        } else {
                            view! { <TextField name label value errors input_type=kind disabled=read_only /> }.into_any()
                        }
                    }).collect_view())}
                    <SelectField name="source" label="Source" options=choices(LeadSource::ALL, LeadSource::as_str, LeadSource::label) value=source errors disabled=read_only />
                    <OwnerField value=owner current=Signal::derive(move || saved.with(|s| s.as_ref().and_then(|l| l.owner.clone()))) errors disabled=read_only />
                </div>
                <div class="form-actions">
                    {can_save.then(|| view! {
                        <button type="submit" id="save" class="btn btn-primary" disabled=move || status.busy.get()>"Save"</button>
                    })}
                    <a class="btn" href="/leads">"Back"</a>
                    <span class="spacer"></span>
                    {(!is_new && can("lead", "archive")).then(|| view! {
                        <button type="button" id="archive" class="btn btn-danger" disabled=move || status.busy.get() on:click=on_archive>
                            {move || if saved.with(|s| s.as_ref().is_some_and(|l| l.archived)) { "Restore" } else { "Archive" }}
                        </button>
                    })}
                </div>
            </form>
            {facts}
        </div>
    }
}
