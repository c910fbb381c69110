//! `/invoices`: invoices and credit notes, all, open, overdue or drafts, by number.

use crate::api::billing::{self, invoice_status_label, Invoice};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::list::{list_page, rows_from, Filter, Found, ListSpec};
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::new("Number"),
    Column::new("Customer"),
    Column::new("Status"),
    Column::new("Total"),
    Column::new("Open"),
    Column::new("Due"),
];

/// The badge's `data-status`.
fn badge(i: &Invoice) -> &'static str {
    match (i.status.as_str(), i.payment_status.as_str()) {
        ("DRAFT", _) => "DRAFT",
        (_, "OVERDUE") => "OVERDUE",
        (_, "PAID") => "PAID",
        (_, "PART_PAID") => "PART_PAID",
        (_, "OPEN") => "OPEN",
        _ => "ISSUED",
    }
}

fn row(i: &Invoice) -> Row {
    let number = match (&i.number, i.kind.as_str()) {
        (Some(n), "CREDIT_NOTE") => format!("{n} (credit note)"),
        (Some(n), _) => n.clone(),
        (None, _) => "Draft".to_owned(),
    };
    let due = match (&i.due_date, i.days_overdue) {
        (Some(d), 0) => d.clone(),
        (Some(d), n) => format!("{d} ({n} days overdue)"),
        (None, _) => String::new(),
    };
    Row {
        class: "invoice-row",
        id: i.id.clone(),
        cells: vec![
            Cell::Link(format!("/invoices/{}", i.id), number),
            Cell::or_empty(i.customer.as_ref().map(|c| c.name.as_str())),
            Cell::Badge(badge(i), invoice_status_label(&i.status, &i.payment_status)),
            Cell::text(i.total.as_ref().map(format::money).unwrap_or_default()),
            Cell::text(i.open.as_ref().map(format::money).unwrap_or_default()),
            Cell::text(due),
        ],
        href: None,
    }
}

fn tools() -> AnyView {
    view! {
        <a id="ageing-link" class="btn" href="/ageing">"Ageing"</a>
        <a id="revenue-link" class="btn" href="/revenue">"Revenue"</a>
        {super::may("payment", "read").then(|| view! { <a id="payments-link" class="btn" href="/payments">"Payments"</a> })}
        {super::may("order", "read").then(|| view! { <a class="btn" href="/orders">"Orders"</a> })}
        {super::may("contract", "read").then(|| view! { <a id="contracts-link" class="btn" href="/contracts">"Contracts"</a> })}
    }
    .into_any()
}

/// `/invoices`.
#[component]
pub fn InvoicesPage() -> impl IntoView {
    let load = rows_from(move |q| {
        let (search, state, after) = (q.search.clone(), q.filter("state").to_owned(), q.after());
        async move {
            Ok(Found::new(
                &billing::invoices(&search, &state, after).await?,
                row,
            ))
        }
    });
    let states: Vec<(String, String)> = [
        ("open", "Open"),
        ("overdue", "Overdue"),
        ("draft", "Drafts"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    list_page(
        ListSpec::new(
            "Invoices",
            "invoices",
            ("invoice", "invoices"),
            COLUMNS,
            load,
        )
        .search("invoice-search")
        .filter(Filter::Select(
            "state",
            "field-state",
            "Show",
            "All",
            Signal::stored(states),
        ))
        .empty("No invoices yet. Invoice an order from its page.")
        .tools(tools())
        .views(),
    )
}
