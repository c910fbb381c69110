//! `/leads`: leads by status, source, owner and search, newest first.

use super::{can, choices, load_error, paging};
use crate::api::leads::{self, LeadFilter, LeadStatus};
use crate::api::opportunities::LeadSource;
use crate::api::{users, FieldErrors};
use crate::app::set_title;
use crate::components::debounce::Debouncer;
use crate::components::load::load_once;
use crate::components::select_field::SelectField;
use crate::format;
use leptos::prelude::*;
use std::time::Duration;

/// `/leads`.
#[component]
pub fn LeadList() -> impl IntoView {
    set_title("Leads");
    let errors = RwSignal::new(FieldErrors::default());
    let status = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let archived = RwSignal::new(false);
    let filter = Memo::new(move |_| LeadFilter {
        status: LeadStatus::parse(&status.get()),
        source: LeadSource::parse(&source.get()),
        owner_id: owner.get(),
        search: search.get(),
        archived: archived.get(),
    });
    let cursors = RwSignal::new(Vec::<String>::new());
    // A new filter starts again from the first page.
    Effect::watch(
        move || filter.track(),
        move |_, _, _| {
            if cursors.with_untracked(|c| !c.is_empty()) {
                cursors.set(Vec::new());
            }
        },
        false,
    );
    let page = LocalResource::new(move || {
        let f = filter.get();
        let after = cursors.with(|c| c.last().cloned());
        async move { leads::list(&f, after).await }
    });
    let next = Signal::derive(move || {
        page.with(|p| match p {
            Some(Ok(p)) => p.page_info.next_cursor().map(str::to_owned),
            _ => None,
        })
    });
    let people = load_once(users::assignable());
    let owners = Signal::derive(move || {
        let list = people.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|u| (u.id, u.display_name))
            .collect::<Vec<_>>()
    });
    let debouncer = Debouncer::new(Duration::from_millis(300));

    let rows = move || {
        page.with(|p| match p {
            None => view! { <tr class="table-message"><td colspan="7">"Loading leads…"</td></tr> }.into_any(),
            Some(Err(e)) => view! { <tr><td colspan="7">{load_error(e)}</td></tr> }.into_any(),
            Some(Ok(p)) if p.nodes.is_empty() => {
                view! { <tr class="table-message"><td colspan="7">"No leads match."</td></tr> }.into_any()
            }
            Some(Ok(p)) => p
                .nodes
                .iter()
                .map(|l| {
                    view! {
                        <tr class="lead-row" data-id=l.id.clone()>
                            <td class="code">{l.code.clone()}</td>
                            <td class="name">
                                <a href=format!("/leads/{}", l.id)>{l.display_name.clone()}</a>
                                {l.archived.then(|| view! { <span class="badge">"Archived"</span> })}
                            </td>
                            <td>{format::or_empty(Some(&l.text("organizationName")))}</td>
                            <td><span class="badge" data-status=l.status.as_str()>{l.status.label()}</span></td>
                            <td>{l.source.label()}</td>
                            <td>{format::or_empty(l.owner.as_ref().map(|o| o.display_name.as_str()))}</td>
                            <td>{format::date(&l.created_at)}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };

    view! {
        <div class="page-header">
            <h1>"Leads"</h1>
            {can("lead", "create").then(|| view! { <a class="btn btn-primary" id="new-lead" href="/leads/new">"New lead"</a> })}
        </div>
        <div class="toolbar board-filters">
            <form class="search" role="search" on:submit=move |ev| {
                ev.prevent_default();
                debouncer.cancel();
            }>
                <label for="lead-search" class="visually-hidden">"Search leads"</label>
                <input id="lead-search" type="search" placeholder="Search leads" autocomplete="off" on:input=move |ev| {
                    let text = event_target_value(&ev);
                    debouncer.schedule(move || search.set(text));
                } />
            </form>
            <SelectField name="status" label="Status" options=choices(LeadStatus::ALL, LeadStatus::as_str, LeadStatus::label) value=status errors empty="Any status" />
            <SelectField name="source" label="Source" options=choices(LeadSource::ALL, LeadSource::as_str, LeadSource::label) value=source errors empty="Any source" />
            <SelectField name="owner" label="Owner" options=owners value=owner errors empty="Anyone" />
            <label class="checkbox">
                <input id="show-archived" type="checkbox" on:change=move |ev| archived.set(event_target_checked(&ev)) />
                "Show archived"
            </label>
            <p class="total" id="leads-total" aria-live="polite">
                {move || page.with(|p| match p {
                    Some(Ok(p)) => format::count(p.total_count, "lead", "leads"),
                    _ => String::new(),
                })}
            </p>
        </div>
        <div class="table-wrap">
            <table class="data-table" id="leads-table">
                <thead>
                    <tr>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Organisation"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Source"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Created"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {paging(cursors, next)}
    }
}
