//! `/accounts`: search, filter, sort and page through accounts.

use crate::api::accounts::{self, Account, AccountOrder, Direction, ListQuery, OrderField};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::list::{
    bulk_run, list_page, rows_from, BulkAction, Create, Filter, Found, ListSpec, Query,
};
use leptos::prelude::*;

/// Rows per page.
const PAGE_SIZE: u32 = 25;

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

/// The API's query for the list's query.
fn list_query(q: &Query) -> ListQuery {
    let field = match q.sort_key("NAME") {
        "CODE" => OrderField::Code,
        "AREA" => OrderField::Area,
        "INDUSTRY" => OrderField::Industry,
        "UPDATED_AT" => OrderField::UpdatedAt,
        _ => OrderField::Name,
    };
    ListQuery {
        search: q.search.clone(),
        archived: q.checked("archived"),
        order: AccountOrder {
            field,
            direction: q.direction(),
        },
        after: q.after(),
        first: PAGE_SIZE,
    }
}

/// One account; a click anywhere on the row opens it, the name is the link.
fn row(a: &Account) -> Row {
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
            Cell::Date(a.updated_at.clone()),
        ],
        href: Some(href),
    }
}

/// The accounts list.
#[component]
pub fn AccountList() -> impl IntoView {
    let load = rows_from(|q| {
        let query = list_query(q);
        async move { Ok(Found::new(&accounts::list(&query).await?, row)) }
    });
    list_page(
        ListSpec::new(
            "Accounts",
            "accounts",
            ("account", "accounts"),
            COLUMNS,
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
        let query = list_query(&q);
        assert_eq!(
            query.order,
            AccountOrder {
                field: OrderField::Code,
                direction: Direction::Asc
            }
        );
        assert!(query.archived);
        assert_eq!((query.after, query.first), (None, PAGE_SIZE));
    }
}
