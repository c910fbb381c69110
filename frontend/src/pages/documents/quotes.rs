//! `/quotes`: quotes by status and search (number, customer, product), newest first.

use crate::api::documents::{self, status_label, Quote, STATUSES};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::list::{list_page, rows_from, Create, Filter, Found, ListSpec};
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::new("Number"),
    Column::new("Title"),
    Column::new("Customer"),
    Column::new("Status"),
    Column::new("Total"),
    Column::new("Valid until"),
    Column::new("Owner"),
];

/// The stored status as a `'static` name for the badge.
fn status(s: &str) -> &'static str {
    STATUSES
        .iter()
        .copied()
        .find(|x| *x == s)
        .unwrap_or("DRAFT")
}

fn row(q: &Quote) -> Row {
    Row {
        class: "quote-row",
        id: q.id.clone(),
        cells: vec![
            Cell::Link(format!("/quotes/{}", q.id), q.number.clone()),
            Cell::text(q.title.clone()),
            Cell::or_empty(q.customer.as_ref().map(|c| c.name.as_str())),
            Cell::Badge(status(&q.status), status_label(&q.status)),
            Cell::text(q.total.as_ref().map(format::money).unwrap_or_default()),
            Cell::text(q.valid_until.clone()),
            Cell::or_empty(q.owner.as_ref().map(|o| o.display_name.as_str())),
        ],
        href: None,
    }
}

/// Links to the catalogue and the enquiries, for roles that may read them.
fn products_link() -> AnyView {
    let may = |object: &str| {
        crate::components::session::use_session()
            .me
            .with_untracked(|m| m.as_ref().is_some_and(|m| m.can(object, "read")))
    };
    view! {
        {may("product").then(|| view! { <a id="products-link" class="btn" href="/products">"Products"</a> })}
        {may("enquiry").then(|| view! { <a id="enquiries-link" class="btn" href="/enquiries">"Enquiries"</a> })}
    }
    .into_any()
}

/// `/quotes`.
#[component]
pub fn QuotesPage() -> impl IntoView {
    let amounts = crate::components::session::use_session()
        .me
        .with_untracked(|m| {
            m.as_ref()
                .is_some_and(|m| m.can_read_field("quote", "amount"))
        });
    let load = rows_from(move |q| {
        let (search, status, after) = (q.search.clone(), q.filter("status").to_owned(), q.after());
        async move {
            Ok(Found::new(
                &documents::list(&search, &status, amounts, after).await?,
                row,
            ))
        }
    });
    let statuses: Vec<(String, String)> = STATUSES
        .iter()
        .map(|s| ((*s).to_owned(), status_label(s).to_owned()))
        .collect();
    list_page(
        ListSpec::new("Quotes", "quotes", ("quote", "quotes"), COLUMNS, load)
            .create(&[Create {
                id: "new-quote",
                href: "/quotes/new",
                label: "New quote",
                grant: ("quote", "create"),
            }])
            .search("quote-search")
            .filter(Filter::Select(
                "status",
                "field-status",
                "Status",
                "Any status",
                Signal::stored(statuses),
            ))
            .empty("No quotes yet. Start one from an opportunity, or with “New quote”.")
            .tools(products_link()),
    )
}
