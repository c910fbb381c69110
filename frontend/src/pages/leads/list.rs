//! `/leads`: leads by status, source, owner and search, newest first.

use super::{can, choices, page_parts, paging, reload};
use crate::api::leads::{self, Lead, LeadFilter, LeadStatus};
use crate::api::opportunities::LeadSource;
use crate::api::{users, FieldErrors};
use crate::components::debounce::Debouncer;
use crate::components::load::load_once;
use crate::components::select_field::SelectField;
use crate::components::session::set_title;
use crate::components::table::{table, Cell, Row};
use crate::format;
use leptos::prelude::*;
use std::time::Duration;

fn row(l: &Lead) -> Row {
    let mut name = l.display_name.clone();
    if l.archived {
        name.push_str(" (archived)");
    }
    Row {
        class: "lead-row",
        id: l.id.clone(),
        cells: vec![
            Cell::text(l.code.clone()),
            Cell::Link(format!("/leads/{}", l.id), name),
            Cell::text(l.text("organizationName")),
            Cell::Badge(l.status.as_str(), l.status.label()),
            Cell::text(l.source.label()),
            Cell::text(
                l.owner
                    .as_ref()
                    .map(|o| o.display_name.clone())
                    .unwrap_or_default(),
            ),
            Cell::text(format::date(&l.created_at)),
        ],
    }
}

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
    Effect::new(move |seen: Option<()>| {
        filter.track();
        if seen.is_some() && cursors.with_untracked(|c| !c.is_empty()) {
            cursors.set(Vec::new());
        }
    });
    let page = reload(move || {
        let f = filter.get();
        let after = cursors.with(|c| c.last().cloned());
        async move { leads::list(&f, after).await }
    });
    let (rows, next, error) = page_parts(page, row);
    let people = load_once(users::assignable());
    let owners = Signal::derive(move || {
        let list = people.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|u| (u.id, u.display_name))
            .collect::<Vec<_>>()
    });
    let debouncer = Debouncer::new(Duration::from_millis(300));

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
        {error}
        {table("leads-table", &["Code", "Name", "Organisation", "Status", "Source", "Owner", "Created"], rows, "No leads match.", None)}
        {paging(cursors, next)}
    }
}
