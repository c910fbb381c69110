//! `/orders`: sales and dealers' orders by status and search (number, dealer's reference).

use crate::api::billing::{self, order_status_label, Order, ORDER_STATUSES};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::list::{list_page, rows_from, Filter, Found, ListSpec};
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::new("Number"),
    Column::new("Customer"),
    Column::new("Dealer"),
    Column::new("Status"),
    Column::new("Total"),
    Column::new("Date"),
];

fn status(s: &str) -> &'static str {
    ORDER_STATUSES
        .iter()
        .copied()
        .find(|x| *x == s)
        .unwrap_or("CONFIRMED")
}

fn row(o: &Order) -> Row {
    let dealer = o.dealer.as_ref().map(|d| match &o.dealer_reference {
        Some(r) => format!("{} ({r})", d.name),
        None => d.name.clone(),
    });
    Row {
        class: "order-row",
        id: o.id.clone(),
        cells: vec![
            Cell::Link(format!("/orders/{}", o.id), o.number.clone()),
            Cell::or_empty(o.customer.as_ref().map(|c| c.name.as_str())),
            Cell::or_empty(dealer.as_deref()),
            Cell::Badge(status(&o.status), order_status_label(&o.status)),
            Cell::text(o.total.as_ref().map(format::money).unwrap_or_default()),
            Cell::text(o.order_date.clone()),
        ],
        href: None,
    }
}

fn invoices_link() -> AnyView {
    view! {
        {super::may("invoice", "read").then(|| view! { <a id="invoices-link" class="btn" href="/invoices">"Invoices"</a> })}
        {super::may("contract", "read").then(|| view! { <a id="contracts-link" class="btn" href="/contracts">"Contracts"</a> })}
    }
    .into_any()
}

/// `/orders`.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let load = rows_from(move |q| {
        let (search, status, after) = (q.search.clone(), q.filter("status").to_owned(), q.after());
        async move {
            Ok(Found::new(
                &billing::orders(&search, &status, after).await?,
                row,
            ))
        }
    });
    let statuses: Vec<(String, String)> = ORDER_STATUSES
        .iter()
        .map(|s| ((*s).to_owned(), order_status_label(s).to_owned()))
        .collect();
    list_page(
        ListSpec::new("Orders", "orders", ("order", "orders"), COLUMNS, load)
            .search("order-search")
            .filter(Filter::Select(
                "status",
                "field-status",
                "Status",
                "Any status",
                Signal::stored(statuses),
            ))
            .empty("No orders yet. An accepted quote becomes an order from its page.")
            .tools(invoices_link()),
    )
}
