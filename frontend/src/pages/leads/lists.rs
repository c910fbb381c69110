//! `/lists` and `/lists/:id`: contact lists, their members, and adding
//! parties or leads to them.

use super::{can, load_error, not_found, paging, reload};
use crate::api::leads::lists::{self, ContactList, ListWrite, Member};
use crate::api::leads::{self as lead_api, LeadFilter};
use crate::api::parties::Party;
use crate::components::field::TextField;
use crate::components::party_search::PartySearch;
use crate::components::session::set_title;
use crate::components::status::{Notice, Status, StatusMessages};
use crate::components::table::{table, Cell, Column, Row};
use crate::format;
use crate::page::list::{list_page, rows_from, Filter, Found, ListSpec};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::json;

fn list_row(l: &ContactList) -> Row {
    let mut name = l.name.clone();
    if l.archived {
        name.push_str(" (archived)");
    }
    Row {
        href: None,
        class: "list-row",
        id: l.id.clone(),
        cells: vec![
            Cell::Link(format!("/lists/{}", l.id), name),
            Cell::text(l.description.clone().unwrap_or_default()),
            Cell::text(l.member_count.to_string()),
            Cell::text(
                l.owner
                    .as_ref()
                    .map(|o| o.display_name.clone())
                    .unwrap_or_default(),
            ),
        ],
    }
}

fn member_row(m: &Member, removable: bool) -> Row {
    let kind = if m.lead.is_some() {
        "Lead"
    } else {
        m.kind.label()
    };
    let mut cells = vec![
        Cell::Link(m.href(), m.party.name.clone()),
        Cell::text(m.code.clone()),
        Cell::text(kind),
        Cell::text(m.consent_status.clone()),
        Cell::text(format::date(&m.added_at)),
    ];
    cells.push(if removable {
        Cell::Action("Remove", m.party.id.clone())
    } else {
        Cell::text("")
    });
    Row {
        href: None,
        class: "member-row",
        id: m.party.id.clone(),
        cells,
    }
}

const LIST_COLUMNS: &[Column] = &[
    Column::new("Name"),
    Column::new("Description"),
    Column::new("Members"),
    Column::new("Owner"),
];

/// `/lists`.
#[component]
pub fn ListsPage() -> impl IntoView {
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
            match lists::save(ListWrite::Create, input).await {
                Ok(list) => navigate(&format!("/lists/{}", list.id), Default::default()),
                Err(e) => status.fail(e, &["name"]),
            }
        });
    };
    let new_list = can("contact_list", "create").then(|| {
        view! {
            <form class="inline-form" id="new-list" on:submit=create>
                <TextField name="name" label="New list" value=name errors=status.fields required=true />
                <button type="submit" class="btn btn-primary" id="create-list">"Create"</button>
            </form>
        }
    });
    let load = rows_from(|q| {
        let (search, archived, after) = (q.search.clone(), q.checked("archived"), q.after());
        async move {
            Ok(Found::new(
                &lists::list(&search, archived, after).await?,
                list_row,
            ))
        }
    });
    list_page(
        ListSpec::new(
            "Contact lists",
            "lists",
            ("list", "lists"),
            LIST_COLUMNS,
            load,
        )
        .search("list-search")
        .filter(Filter::Check("archived", "show-archived", "Show archived"))
        .above(view! { <StatusMessages status /> }.into_any())
        .tools(new_list.into_any())
        .empty("No lists."),
    )
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
    let page = reload(move || {
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
        run(Box::pin(lists::save(ListWrite::Update, input)), "Saved");
    };
    let archive = move |_| {
        let archived = list.with_untracked(|l| l.as_ref().is_some_and(|l| l.archived));
        let input = json!({ "id": id.get_value(), "version": version(), "archived": !archived });
        run(
            Box::pin(lists::save(ListWrite::SetArchived, input)),
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
    let find_leads = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = lead_api::ListRead {
            filter: LeadFilter {
                search: lead_text.get_untracked(),
                ..LeadFilter::default()
            },
            ..Default::default()
        };
        spawn_local(async move {
            if let Ok(page) = lead_api::list(&read, None).await {
                lead_hits.set(page.nodes);
            }
        });
    };

    let member_rows = Signal::derive(move || {
        list.with(|l| {
            l.as_ref().map(|l| {
                l.members
                    .nodes
                    .iter()
                    .map(|m| member_row(m, may_update))
                    .collect()
            })
        })
    });
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
            <Notice status />
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
                <div class="inline-fields" id="add-members">
                    <PartySearch input_id="add-member" label="Add a person or organisation" on_pick class="search" />
                    <form class="inline-fields search" on:submit=find_leads>
                        <input id="lead-find" type="search" placeholder="Find a lead to add" aria-label="Find a lead to add" bind:value=lead_text />
                        <button type="submit" class="btn" id="lead-find-go">"Find"</button>
                    </form>
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
            {table("members-table", &["Name", "Code", "Kind", "Consent", "Added", ""], member_rows, "No members yet.", Some(Callback::new(move |party| members(false, party))))}
            {paging(cursors, next)}
        </Show>
    }
}
