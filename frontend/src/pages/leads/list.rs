//! `/leads`: leads by status, source, owner and search, newest first.

use super::choices;
use crate::api::leads::{self, Lead, LeadFilter, LeadStatus};
use crate::api::users;
use crate::components::load::load_once;
use crate::components::table::{Cell, Column, Row};
use crate::page::list::{list_page, rows_from, Create, Filter, Found, ListSpec, Query};
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::new("Code"),
    Column::new("Name"),
    Column::new("Organisation"),
    Column::new("Status"),
    Column::new("Source"),
    Column::new("Owner"),
    Column::new("Created"),
];

fn filter(q: &Query) -> LeadFilter {
    LeadFilter {
        status: LeadStatus::parse(q.filter("status")),
        source: q.filter("source").to_owned(),
        owner_id: q.filter("owner").to_owned(),
        search: q.search.clone(),
        archived: q.checked("archived"),
    }
}

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
            Cell::text(l.source.1.clone()),
            Cell::or_empty(l.owner.as_ref().map(|o| o.display_name.as_str())),
            Cell::Date(l.created_at.clone()),
        ],
        href: None,
    }
}

/// `/leads`.
#[component]
pub fn LeadList() -> impl IntoView {
    let people = load_once(users::assignable());
    let owners = Signal::derive(move || {
        let list = people.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|u| (u.id, u.display_name))
            .collect::<Vec<_>>()
    });
    let load = rows_from(|q| {
        let (f, after) = (filter(q), q.after());
        async move { Ok(Found::new(&leads::list(&f, after).await?, row)) }
    });
    let statuses = choices(LeadStatus::ALL, LeadStatus::as_str, LeadStatus::label);
    let values = load_once(crate::api::picklists::values("LEAD_SOURCE", false));
    let sources = Signal::derive(move || {
        let list = values.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|v| (v.key, v.label))
            .collect::<Vec<_>>()
    });
    list_page(
        ListSpec::new("Leads", "leads", ("lead", "leads"), COLUMNS, load)
            .create(&[Create {
                id: "new-lead",
                href: "/leads/new",
                label: "New lead",
                grant: ("lead", "create"),
            }])
            .search("lead-search")
            .filter(Filter::Select(
                "status",
                "field-status",
                "Status",
                "Any status",
                Signal::stored(statuses),
            ))
            .filter(Filter::Select(
                "source",
                "field-source",
                "Source",
                "Any source",
                sources,
            ))
            .filter(Filter::Select(
                "owner",
                "field-owner",
                "Owner",
                "Anyone",
                owners,
            ))
            .filter(Filter::Check("archived", "show-archived", "Show archived")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_make_the_lead_filter() {
        let mut q = Query::new(None, &["status", "source", "owner", "archived"]);
        q.set_filter("status", "QUALIFIED".into());
        q.set_filter("owner", "U1".into());
        q.search_for("acme".into());
        let f = filter(&q);
        assert_eq!(f.status, Some(LeadStatus::Qualified));
        assert_eq!((f.source.as_str(), f.owner_id.as_str()), ("", "U1"));
        assert_eq!((f.search.as_str(), f.archived), ("acme", false));
    }
}
