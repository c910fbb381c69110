//! `/accounts`: search, filter, sort and page through accounts, with a column for each account
//! custom field shown in lists that the caller may read (sortable like the others).

use crate::api::accounts::{self, Account, AccountOrder, Direction, ListQuery, OrderField};
use crate::api::custom_fields::{self, ListColumn};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::columns::{custom_cells, custom_key, with_custom};
use crate::page::list::{
    bulk_run, list_page, rows_from, BulkAction, Create, Filter, Found, ListSpec, Query,
};
use leptos::prelude::*;

/// Rows per page.
const PAGE_SIZE: u32 = 25;

/// Where the custom fields' columns go: before "Updated".
const CUSTOM_AT: usize = 6;

// The API cannot sort by owner (no OWNER in AccountOrderField).
const COLUMNS: &[Column] = &[
    Column::sorted("Code", "CODE").class("code"),
    Column::sorted("Name", "NAME").class("name"),
    Column::sorted("Area", "AREA"),
    Column::sorted("Industry", "INDUSTRY"),
    Column::new("Owner"),
    Column::new("Annual revenue").class("num revenue"),
    Column::sorted("Updated", "UPDATED_AT"),
];

/// The API's query for the list's query; `custom`: custom fields are shown as columns.
fn list_query(q: &Query, custom: bool) -> ListQuery {
    let key = q.sort_key("NAME");
    let field = match key {
        "CODE" => OrderField::Code,
        "AREA" => OrderField::Area,
        "INDUSTRY" => OrderField::Industry,
        "UPDATED_AT" => OrderField::UpdatedAt,
        k if custom_key(k).is_some() => OrderField::Custom,
        _ => OrderField::Name,
    };
    ListQuery {
        search: q.search.clone(),
        archived: q.checked("archived"),
        order: AccountOrder {
            field,
            direction: q.direction(),
            custom_key: custom_key(key).map(str::to_owned),
        },
        after: q.after(),
        first: PAGE_SIZE,
        custom_columns: custom,
    }
}

/// One account, with the values of `custom` columns; a click anywhere on the row opens it, the
/// name is the link.
fn row(a: &Account, custom: &[ListColumn]) -> Row {
    let href = format!("/accounts/{}", a.id);
    let name = if a.archived {
        Cell::Tagged(href.clone(), a.name.clone(), "Archived")
    } else {
        Cell::Link(href.clone(), a.name.clone())
    };
    Row {
        class: "account-row",
        id: a.id.clone(),
        cells: vec![
            Cell::Text(a.code.clone()),
            name,
            Cell::or_empty(a.area.as_deref()),
            Cell::or_empty(a.industry.as_deref()),
            Cell::or_empty(a.owner.as_ref().map(|o| o.display_name.as_str())),
            Cell::Text(
                a.annual_revenue
                    .as_ref()
                    .map_or_else(|| format::EMPTY.to_owned(), format::money),
            ),
        ]
        .into_iter()
        .chain(custom_cells(
            &custom_fields::shown_values(&a.custom_fields),
            custom,
        ))
        .chain([Cell::Date(a.updated_at.clone())])
        .collect(),
        href: Some(href),
    }
}

/// The accounts list: its columns first (the custom fields shown in lists), then the list.
#[component]
pub fn AccountList() -> impl IntoView {
    let custom = LocalResource::new(|| custom_fields::list_columns("ACCOUNT"));
    move || {
        // Without the custom fields (not loaded), the list still works with its own columns.
        let custom: Vec<ListColumn> = custom.get()?.unwrap_or_default();
        Some(account_list(custom))
    }
}

fn account_list(custom: Vec<ListColumn>) -> AnyView {
    let columns = with_custom(COLUMNS, CUSTOM_AT, &custom);
    let custom = StoredValue::new(custom);
    let load = rows_from(move |q| {
        let shown = custom.get_value();
        let query = list_query(q, !shown.is_empty());
        async move {
            Ok(Found::new(&accounts::list(&query).await?, |a| {
                row(a, &shown)
            }))
        }
    });
    list_page(
        ListSpec::new(
            "Accounts",
            "accounts",
            ("account", "accounts"),
            columns,
            load,
        )
        .create(&[Create {
            id: "new-account",
            href: "/accounts/new",
            label: "New account",
            grant: ("account", "create"),
        }])
        .search("account-search")
        .filter(Filter::Check("archived", "show-archived", "Show archived"))
        .sort("NAME", Direction::Asc)
        .views()
        .bulk(vec![
            BulkAction {
                id: "bulk-assign",
                label: "Assign",
                grant: ("account", "update"),
                to_user: true,
                done: "reassigned",
                confirm: None,
                run: bulk_run(accounts::reassign),
            },
            BulkAction {
                id: "bulk-export",
                label: "Export CSV",
                grant: ("account", "export"),
                to_user: false,
                done: "exported",
                confirm: None,
                run: bulk_run(|ids, _| accounts::export_selected(ids)),
            },
            BulkAction {
                id: "bulk-archive",
                label: "Archive",
                grant: ("account", "archive"),
                to_user: false,
                done: "archived",
                confirm: Some(
                    "Archive the selected accounts? They leave the list; each can be restored.",
                ),
                run: bulk_run(|ids, _| accounts::archive_many(ids)),
            },
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_query_carries_sort_filter_and_page() {
        let mut q = Query::new(Some(("NAME", Direction::Asc)), &["archived"]);
        q.sort_by("CODE");
        q.set_filter("archived", "true".into());
        let query = list_query(&q, false);
        assert_eq!(
            query.order,
            AccountOrder {
                field: OrderField::Code,
                direction: Direction::Asc,
                custom_key: None,
            }
        );
        assert!(query.archived);
        assert_eq!((query.after, query.first), (None, PAGE_SIZE));
        assert!(!query.custom_columns);
    }

    #[test]
    fn custom_fields_are_columns_sorted_by_their_key() -> Result<(), serde_json::Error> {
        let custom = vec![
            ListColumn {
                key: "seats".into(),
                label: "Seats".into(),
                numeric: true,
            },
            ListColumn {
                key: "segment".into(),
                label: "Segment".into(),
                numeric: false,
            },
        ];
        let columns = with_custom(COLUMNS, CUSTOM_AT, &custom);
        let labels: Vec<&str> = columns.iter().map(|c| c.label).collect();
        assert_eq!(
            labels,
            [
                "Code",
                "Name",
                "Area",
                "Industry",
                "Owner",
                "Annual revenue",
                "Seats",
                "Segment",
                "Updated"
            ]
        );
        assert_eq!(columns[6].sort, Some("custom.seats"));
        assert_eq!(columns[6].class, "num");

        let mut q = Query::new(Some(("NAME", Direction::Asc)), &["archived"]);
        let seats = columns[6].sort.unwrap_or_default();
        q.sort_by(seats);
        q.sort_by(seats);
        let query = list_query(&q, true);
        assert_eq!(
            query.order,
            AccountOrder {
                field: OrderField::Custom,
                direction: Direction::Desc,
                custom_key: Some("seats".into()),
            }
        );
        assert_eq!(
            serde_json::to_value(&query.order)?,
            serde_json::json!({"field": "CUSTOM", "direction": "DESC", "customKey": "seats"})
        );
        assert!(query.custom_columns);

        let account = Account {
            custom_fields: serde_json::json!([{"key": "segment", "display": "Enterprise"}]),
            updated_at: "2026-12-07T10:00:00Z".into(),
            ..Account::default()
        };
        let cells = row(&account, &custom).cells;
        assert_eq!(cells.len(), labels.len());
        assert_eq!(cells[6], Cell::text(""));
        assert_eq!(cells[7], Cell::Text("Enterprise".into()));
        assert_eq!(cells[8], Cell::Date("2026-12-07T10:00:00Z".into()));
        Ok(())
    }
}
