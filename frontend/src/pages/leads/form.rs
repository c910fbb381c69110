//! `/leads/new` and `/leads/:id`: create and edit a lead, move it through
//! qualification, archive it, and convert it (see [`super::convert`]).

use super::can;
use super::convert::{convert_dialog, ConvertProps};
use crate::api::leads::{self, Lead, LeadStatus, LeadWrite, Named, TEXT_FIELDS};
use crate::components::custom_values::{custom_values, CustomValuesProps};
use crate::components::field::TextField;
use crate::components::load::load_once;
use crate::components::recent;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use crate::format;
use crate::page::form::{record_form, run, start, Field, FormSpec, Saved};
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use serde_json::json;

/// `/leads/:id`, and `/leads/new` for a new lead.
#[component]
pub fn LeadPage() -> impl IntoView {
    record_page(
        |id| async move {
            if id == "new" {
                return Ok(Some(None));
            }
            Ok(leads::get(&id).await?.map(Some))
        },
        Missing::new("Lead not found", ("/leads", "Back"), "Loading lead…"),
        lead_editor,
    )
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
fn lead_editor(saved: Option<Lead>) -> AnyView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let is_new = saved.is_none();
    if is_new {
        set_title("New lead");
    }
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
            .map_or_else(|| "other".to_owned(), |l| l.source.0.clone()),
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
    let reason = RwSignal::new(String::new());
    let asking_reason = RwSignal::new(false);
    let converting = RwSignal::new(false);
    Effect::new(move |_| {
        saved.with(|s| {
            if let Some(l) = s {
                set_title(&l.display_name);
                recent::visited("Lead", &l.display_name, &format!("/leads/{}", l.id));
            }
        })
    });

    let show = move |lead: Lead| {
        inputs.with_value(|i| i.iter().for_each(|(name, _, _, v)| v.set(lead.text(name))));
        saved.set(Some(lead));
        asking_reason.set(false);
    };
    // Sends `input` as an update of the saved lead, then shows it with `notice`.
    let send = move |mutation: LeadWrite, mut input: serde_json::Value, notice: &'static str| {
        if let Some(l) = saved.get_untracked() {
            input["id"] = json!(l.id);
            input["version"] = json!(l.version);
        }
        start(
            status,
            move || leads::save(mutation, input),
            move |answer| match answer {
                Ok(lead) => {
                    show(lead);
                    status.succeed(notice);
                }
                Err(e) => status.fail(e, &["statusReason"]),
            },
        );
    };

    let save = run(move || {
        let typed: Vec<(&str, String)> = inputs.with_value(|i| {
            i.iter()
                .map(|(n, _, _, v)| (*n, v.get_untracked()))
                .collect()
        });
        let current = saved.get_untracked();
        let mut input = leads::text_input(&typed, current.as_ref());
        let (src, own) = (source.get_untracked(), owner.get_untracked());
        if current.as_ref().is_none_or(|l| l.source.0 != src) {
            input["source"] = json!(src);
        }
        let saved_owner = current
            .as_ref()
            .and_then(|l| l.owner.as_ref())
            .map(|o| o.id.clone());
        if !own.is_empty() && saved_owner.as_deref() != Some(&own) {
            input["ownerId"] = json!(own);
        }
        if let Some(l) = &current {
            input["id"] = json!(l.id);
            input["version"] = json!(l.version);
        }
        async move {
            let mutation = if current.is_some() {
                LeadWrite::Update
            } else {
                LeadWrite::Create
            };
            let lead = leads::save(mutation, input).await?;
            if current.is_none() {
                return Ok(Saved::Go(format!("/leads/{}", lead.id)));
            }
            show(lead);
            Ok(Saved::Stay("Saved"))
        }
    });
    let move_to = move |to: LeadStatus| {
        if to == LeadStatus::Disqualified && !asking_reason.get_untracked() {
            asking_reason.set(true);
            return;
        }
        let mut input = json!({ "status": to });
        if to == LeadStatus::Disqualified {
            input["statusReason"] = json!(reason.get_untracked().trim());
        }
        send(LeadWrite::Update, input, to.label());
    };
    let on_archive = move |_| {
        let archived = saved.with_untracked(|s| s.as_ref().is_some_and(|l| l.archived));
        let notice = if archived { "Restored" } else { "Archived" };
        send(
            LeadWrite::SetArchived,
            json!({ "archived": !archived }),
            notice,
        );
    };

    let lead = move || saved.get();
    let heading = Signal::derive(move || {
        saved.with(|s| {
            s.as_ref()
                .map_or_else(|| "New lead".to_owned(), |l| l.display_name.clone())
        })
    });
    let badges = move || {
        lead().map(|l| {
            view! {
                <span class="record-code">{l.code}</span>
                <span class="badge" id="lead-status" data-status=l.status.as_str()>{l.status.label()}</span>
                {l.archived.then(|| view! { <span class="badge">"Archived"</span> })}
            }
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
    let before = view! {
        {actions}
        <Show when=move || asking_reason.get()>
            <div class="inline-form" id="disqualify">
                <TextField name="statusReason" label="Why is it disqualified?" value=reason errors required=true />
                <button type="button" class="btn btn-danger" id="disqualify-submit" on:click=move |_| move_to(LeadStatus::Disqualified)>"Disqualify"</button>
                <button type="button" class="btn" on:click=move |_| asking_reason.set(false)>"Cancel"</button>
            </div>
        </Show>
        {move || converting.get().then(|| saved.get_untracked().map(|l| convert_dialog(ConvertProps {
            lead: l,
            on_converted: Callback::new(move |l: Lead| {
                show(l);
                status.succeed("Converted");
            }),
            on_close: Callback::new(move |()| converting.set(false)),
        })))}
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
                    {l.source.1.clone()}
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
    // The custom fields, with their own form (fetched when first shown).
    let custom = saved.get_untracked().map(|l| {
        custom_values(CustomValuesProps {
            record_id: l.id.clone(),
            values: l.raw["customFields"].clone(),
        })
    });
    let archive = (!is_new && can("lead", "archive")).then(|| {
        view! {
            <button type="button" id="archive" class="btn btn-danger" disabled=move || status.busy.get() on:click=on_archive>
                {move || if saved.with(|s| s.as_ref().is_some_and(|l| l.archived)) { "Restore" } else { "Archive" }}
            </button>
        }
    });
    let mut fields: Vec<Field> = inputs.with_value(|i| {
        i.iter()
            .map(|&(name, label, kind, value)| {
                if name == "description" {
                    Field::area(name, label, value)
                } else {
                    Field::input(name, label, kind, value)
                }
            })
            .collect()
    });
    // The live sources, and the saved one when it has been archived since.
    let values = load_once(crate::api::picklists::values("LEAD_SOURCE", true));
    let sources = Signal::derive(move || {
        let all = values.get().and_then(Result::ok).unwrap_or_default();
        crate::api::picklists::options(&all, &source.get())
            .into_iter()
            .skip(1)
            .collect::<Vec<_>>()
    });
    fields.extend([
        Field::select("source", "Source", sources, source, ""),
        Field::owner(
            owner,
            Signal::derive(move || saved.with(|s| s.as_ref().and_then(|l| l.owner.clone()))),
        ),
    ]);
    record_form(FormSpec {
        crumb: ("/leads", "Leads"),
        heading,
        badges: Some(badges.into_any()),
        actions: None,
        noun: "lead",
        status,
        fields,
        can_save,
        cancel: Signal::stored("/leads".to_owned()),
        more: archive.map(IntoAny::into_any),
        before: Some(before.into_any()),
        side: Some(view! { <div class="profile-side">{facts}{custom}</div> }.into_any()),
        save,
        reload: Some(run(move || {
            let id = saved.with_untracked(|s| s.as_ref().map(|l| l.id.clone()));
            async move {
                if let Some(lead) = leads::get(&id.unwrap_or_default()).await? {
                    show(lead);
                }
                Ok(())
            }
        })),
    })
}
