//! `/lists` and `/lists/:id`: contact lists, their members, and adding
//! parties or leads to them.

use super::{can, load_error, not_found, paging};
use crate::api::leads::lists::{self, ContactList};
use crate::api::leads::{self as lead_api, LeadFilter};
use crate::api::parties::Party;
use crate::app::set_title;
use crate::components::field::TextField;
use crate::components::party_search::PartySearch;
use crate::components::status::{Status, StatusMessages};
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::json;

/// `/lists`.
#[component]
pub fn ListsPage() -> impl IntoView {
    set_title("Contact lists");
    let archived = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    let cursors = RwSignal::new(Vec::<String>::new());
    let page = LocalResource::new(move || {
        let (s, a) = (search.get(), archived.get());
        let after = cursors.with(|c| c.last().cloned());
        async move { lists::list(&s, a, after).await }
    });
    let next = Signal::derive(move || {
        page.with(|p| match p {
            Some(Ok(p)) => p.page_info.next_cursor().map(str::to_owned),
            _ => None,
        })
    });
    let status = Status::new(None);
    let name = RwSignal::new(String::new());
    let navigate = use_navigate();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let input = json!({ "name": name.get_untracked().trim() });
        let navigate = navigate.clone();
        spawn_local(async move {
            match lists::save("createContactList", "CreateContactListInput", input).await {
                Ok(list) => navigate(&format!("/lists/{}", list.id), Default::default()),
                Err(e) => status.fail(e, &["name"]),
            }
        });
    };
    let rows = move || {
        page.with(|p| match p {
            None => view! { <tr class="table-message"><td colspan="4">"Loading lists…"</td></tr> }.into_any(),
            Some(Err(e)) => view! { <tr><td colspan="4">{load_error(e)}</td></tr> }.into_any(),
            Some(Ok(p)) => p
                .nodes
                .iter()
                .map(|l| {
                    view! {
                        <tr class="list-row">
                            <td class="name">
                                <a href=format!("/lists/{}", l.id)>{l.name.clone()}</a>
                                {l.archived.then(|| view! { <span class="badge">"Archived"</span> })}
                            </td>
                            <td>{format::or_empty(l.description.as_deref())}</td>
                            <td class="num">{l.member_count}</td>
                            <td>{format::or_empty(l.owner.as_ref().map(|o| o.display_name.as_str()))}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };
    view! {
        <div class="page-header"><h1>"Contact lists"</h1></div>
        <StatusMessages status />
        <div class="toolbar">
            <input id="list-search" type="search" placeholder="Search lists" aria-label="Search lists" on:change=move |ev| {
                cursors.set(Vec::new());
                search.set(event_target_value(&ev));
            } />
            <label class="checkbox">
                <input type="checkbox" id="show-archived" on:change=move |ev| {
                    cursors.set(Vec::new());
                    archived.set(event_target_checked(&ev));
                } />
                "Show archived"
            </label>
            {can("contact_list", "create").then(|| view! {
                <form class="inline-form" id="new-list" on:submit=create>
                    <TextField name="name" label="New list" value=name errors=status.fields required=true />
                    <button type="submit" class="btn btn-primary" id="create-list">"Create"</button>
                </form>
            })}
        </div>
        <table class="data-table" id="lists-table">
            <thead><tr><th>"Name"</th><th>"Description"</th><th class="num">"Members"</th><th>"Owner"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {paging(cursors, next)}
    }
}

/// `/lists/:id`.
#[component]
pub fn ListPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    move || {
        let id = id.get();
        view! { <ListEditor id /> }
    }
}

#[component]
fn ListEditor(id: String) -> impl IntoView {
    let cursors = RwSignal::new(Vec::<String>::new());
    // Bumped to read the list again after a change of members.
    let generation = RwSignal::new(0_u32);
    let id = StoredValue::new(id);
    let page = LocalResource::new(move || {
        generation.track();
        let after = cursors.with(|c| c.last().cloned());
        async move { lists::get(&id.get_value(), after).await }
    });
    let list = RwSignal::new(None::<ContactList>);
    let status = Status::new(None);
    let errors = status.fields;
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(Some(l))) = page.get() {
            if list.with_untracked(|old| old.as_ref().is_none_or(|o| o.version != l.version)) {
                name.set(l.name.clone());
                description.set(l.description.clone().unwrap_or_default());
                set_title(&l.name);
            }
            list.set(Some(l));
        }
    });
    let next = Signal::derive(move || {
        list.with(|l| {
            l.as_ref()
                .and_then(|l| l.members.page_info.next_cursor().map(str::to_owned))
        })
    });
    let may_update = can("contact_list", "update");
    let version = move || list.with_untracked(|l| l.as_ref().map_or(0, |l| l.version));

    // Runs a list mutation, then reads the list again.
    let run = move |fut: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<ContactList, crate::api::ApiError>>>,
    >,
                    notice: &'static str| {
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match fut.await {
                Ok(_) => {
                    status.succeed(notice);
                    generation.update(|g| *g += 1);
                }
                Err(e) => status.fail(e, &["name", "description"]),
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = json!({ "id": id.get_value(), "version": version(),
            "name": name.get_untracked().trim(), "description": description.get_untracked().trim() });
        run(
            Box::pin(lists::save(
                "updateContactList",
                "UpdateContactListInput",
                input,
            )),
            "Saved",
        );
    };
    let archive = move |_| {
        let archived = list.with_untracked(|l| l.as_ref().is_some_and(|l| l.archived));
        let input = json!({ "id": id.get_value(), "version": version(), "archived": !archived });
        run(
            Box::pin(lists::save(
                "setContactListArchived",
                "SetContactListArchivedInput",
                input,
            )),
            "Saved",
        );
    };
    let members = move |add: bool, party: String| {
        let list_id = id.get_value();
        run(
            Box::pin(async move { lists::members(add, &list_id, &[party]).await }),
            if add { "Added" } else { "Removed" },
        );
    };
    let on_pick = Callback::new(move |p: Party| members(true, p.id));

    // Leads are found by the lead search and added by their id.
    let lead_text = RwSignal::new(String::new());
    let lead_hits = RwSignal::new(Vec::new());
    let find_leads = move |_| {
        let filter = LeadFilter {
            search: lead_text.get_untracked(),
            ..LeadFilter::default()
        };
        spawn_local(async move {
            if let Ok(page) = lead_api::list(&filter, None).await {
                lead_hits.set(page.nodes);
            }
        });
    };

    let member_rows = move || {
        list.with(|l| {
            l.as_ref().map(|l| {
                l.members
                    .nodes
                    .iter()
                    .map(|m| {
                        let party = m.party.id.clone();
                        view! {
                            <tr class="member-row" data-id=m.party.id.clone()>
                                <td class="name"><a href=m.href()>{m.party.name.clone()}</a></td>
                                <td class="code">{m.code.clone()}</td>
                                <td>{if m.lead.is_some() { "Lead" } else { m.kind.label() }}</td>
                                <td class="consent">{m.consent_status.clone()}</td>
                                <td>{format::date(&m.added_at)}</td>
                                <td>{may_update.then(|| view! {
                                    <button type="button" class="btn btn-small remove-member" on:click=move |_| members(false, party.clone())>"Remove"</button>
                                })}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };

    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/lists">"Contact lists"</a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{move || list.with(|l| l.as_ref().map(|l| l.name.clone()))}</span>
        </nav>
        {move || match page.get() {
            Some(Ok(None)) => Some(not_found("List", "/lists")),
            Some(Err(e)) => Some(load_error(&e)),
            _ => None,
        }}
        <Show when=move || list.with(Option::is_some)>
            <div class="page-header">
                <h1 id="list-name">
                    {move || list.with(|l| l.as_ref().map(|l| l.name.clone()))}
                    {move || list.with(|l| l.as_ref().is_some_and(|l| l.archived)).then(|| view! { <span class="badge">"Archived"</span> })}
                </h1>
            </div>
            {move || status.notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="form-notice">{n}</p> })}
            <StatusMessages status />
            <form class="card record-form" on:submit=save>
                <div class="form-grid">
                    <TextField name="name" label="Name" value=name errors required=true disabled=!may_update />
                    <TextField name="description" label="Description" value=description errors disabled=!may_update />
                </div>
                {may_update.then(|| view! {
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" id="save">"Save"</button>
                        <span class="spacer"></span>
                        {can("contact_list", "archive").then(|| view! {
                            <button type="button" class="btn btn-danger" id="archive" on:click=archive>
                                {move || if list.with(|l| l.as_ref().is_some_and(|l| l.archived)) { "Restore" } else { "Archive" }}
                            </button>
                        })}
                    </div>
                })}
            </form>
            {may_update.then(|| view! {
                <div class="toolbar" id="add-members">
                    <PartySearch input_id="add-member" label="Add a person or organisation" on_pick />
                    <input id="lead-find" type="search" placeholder="Find a lead" aria-label="Find a lead" bind:value=lead_text />
                    <button type="button" class="btn" id="lead-find-go" on:click=find_leads>"Find"</button>
                </div>
                <ul class="rows" id="lead-hits">
                    {move || lead_hits.get().into_iter().map(|l| {
                        let id = l.id.clone();
                        view! {
                            <li>
                                {l.display_name} " " <span class="muted">{l.code}</span> " "
                                <button type="button" class="btn btn-small add-lead" on:click=move |_| {
                                    lead_hits.set(Vec::new());
                                    members(true, id.clone());
                                }>"Add"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <h2>"Members " <span class="muted" id="members-total">{move || list.with(|l| l.as_ref().map_or(0, |l| l.members.total_count))}</span></h2>
            <table class="data-table" id="members-table">
                <thead><tr><th>"Name"</th><th>"Code"</th><th>"Kind"</th><th>"Consent"</th><th>"Added"</th><th></th></tr></thead>
                <tbody>{member_rows}</tbody>
            </table>
            {paging(cursors, next)}
        </Show>
    }
}
