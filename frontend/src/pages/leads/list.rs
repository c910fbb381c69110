//! `/leads`: leads by status, source, owner and search, newest first, with a column for each
//! lead custom field shown in lists that the caller may read (the list sorts by those).

use super::choices;
use crate::api::custom_fields::{self, ListColumn};
use crate::api::leads::{self, Lead, LeadFilter, LeadStatus, ListRead};
use crate::api::users;
use crate::components::load::load_once;
use crate::components::table::{Cell, Column, Row};
use crate::page::columns::{custom_cells, custom_key, with_custom};
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

/// Where the custom fields' columns go: before "Created".
const CUSTOM_AT: usize = 6;

fn filter(q: &Query) -> LeadFilter {
    LeadFilter {
        status: LeadStatus::parse(q.filter("status")),
        source: q.filter("source").to_owned(),
        owner_id: q.filter("owner").to_owned(),
        search: q.search.clone(),
        archived: q.checked("archived"),
    }
}

/// How the list is read: its filter, and the custom field it is sorted by (newest first else).
fn read(q: &Query, custom_columns: bool) -> ListRead {
    ListRead {
        filter: filter(q),
        custom_order: q
            .sort
            .and_then(|(key, direction)| Some((custom_key(key)?.to_owned(), direction))),
        custom_columns,
    }
}

fn row(l: &Lead, custom: &[ListColumn]) -> Row {
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
        ]
        .into_iter()
        .chain(custom_cells(&l.custom(), custom))
        .chain([Cell::Date(l.created_at.clone())])
        .collect(),
        href: None,
    }
}

/// `/leads`: its columns first (the lead custom fields shown in lists), then the list.
#[component]
pub fn LeadList() -> impl IntoView {
    let custom = LocalResource::new(|| custom_fields::list_columns("LEAD"));
    move || {
        // Without the custom fields (not loaded), the list still works with its own columns.
        let custom: Vec<ListColumn> = custom.get()?.unwrap_or_default();
        Some(lead_list(custom))
    }
}

fn lead_list(custom: Vec<ListColumn>) -> AnyView {
    let columns = with_custom(COLUMNS, CUSTOM_AT, &custom);
    let custom = StoredValue::new(custom);
    let people = load_once(users::assignable());
    let owners = Signal::derive(move || {
        let list = people.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|u| (u.id, u.display_name))
            .collect::<Vec<_>>()
    });
    let load = rows_from(move |q| {
        let shown = custom.get_value();
        let (read, after) = (read(q, !shown.is_empty()), q.after());
        async move {
            let page = leads::list(&read, after).await?;
            Ok(Found::new(&page, |l| row(l, &shown)))
        }
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
        ListSpec::new("Leads", "leads", ("lead", "leads"), columns, load)
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
        assert_eq!(read(&q, false).custom_order, None, "newest first");
    }

    #[test]
    fn a_custom_column_sorts_the_list_both_ways() {
        use crate::api::paging::Direction;
        let custom = [ListColumn {
            key: "budget".into(),
            label: "Budget".into(),
            numeric: true,
        }];
        let columns = with_custom(COLUMNS, CUSTOM_AT, &custom);
        let mut q = Query::new(None, &["status"]);
        let budget = columns[CUSTOM_AT].sort.unwrap_or_default();
        q.sort_by(budget);
        let r = read(&q, true);
        assert_eq!(r.custom_order, Some(("budget".into(), Direction::Asc)));
        assert_eq!(r.variables()["customOrder"]["direction"], "ASC");
        q.sort_by(budget);
        assert_eq!(
            read(&q, true).custom_order,
            Some(("budget".into(), Direction::Desc))
        );
        let lead = Lead {
            raw: serde_json::json!({"customFields": [{"key": "budget", "display": "25000"}]}),
            created_at: "2026-12-07T10:00:00Z".into(),
            ..Lead::default()
        };
        let cells = row(&lead, &custom).cells;
        assert_eq!(cells.len(), COLUMNS.len() + 1);
        assert_eq!(cells[CUSTOM_AT], Cell::Text("25000".into()));
        assert!(matches!(cells[CUSTOM_AT + 1], Cell::Date(_)));
    }
}
