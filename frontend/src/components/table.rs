//! One table for lists of records. Pages hand over their rows as data
//! ([`Row`] of [`Cell`]s), so every list shares one rendering code path in the
//! WebAssembly bundle instead of carrying its own.

use leptos::prelude::*;

/// One cell of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Plain text.
    Text(String),
    /// A link: address, text.
    Link(String, String),
    /// A status badge: `data-status`, label.
    Badge(&'static str, &'static str),
    /// A button: label, and the value handed to the table's `on_action`.
    Action(&'static str, String),
}

impl Cell {
    /// Text, or the empty-value placeholder when blank.
    pub fn text(value: impl Into<String>) -> Self {
        let value = value.into();
        Cell::Text(if value.is_empty() {
            crate::format::EMPTY.to_owned()
        } else {
            value
        })
    }
}

/// One row: its class, its record id (`data-id`) and its cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Class of the `<tr>`, e.g. `lead-row`.
    pub class: &'static str,
    /// Record id, as `data-id`.
    pub id: String,
    /// The cells, one per header.
    pub cells: Vec<Cell>,
}

fn cell(c: Cell, on_action: Option<Callback<String>>) -> AnyView {
    match c {
        Cell::Text(t) => view! { <td>{t}</td> }.into_any(),
        Cell::Link(href, t) => view! { <td class="name"><a href=href>{t}</a></td> }.into_any(),
        Cell::Badge(status, label) => {
            view! { <td><span class="badge" data-status=status>{label}</span></td> }.into_any()
        }
        Cell::Action(label, value) => view! {
            <td>
                <button type="button" class="btn btn-small" data-value=value.clone()
                    on:click=move |_| if let Some(a) = on_action { a.run(value.clone()) }>
                    {label}
                </button>
            </td>
        }
        .into_any(),
    }
}

/// `<table id=…>` with `headers` and `rows`: "Loading…" while `rows` is
/// `None`, `empty` when there are none; `on_action` gets the value of a
/// clicked [`Cell::Action`]. A plain function returning an erased view, so
/// every table shares one copy of this code.
pub fn table(
    id: &'static str,
    headers: &'static [&'static str],
    rows: Signal<Option<Vec<Row>>>,
    empty: &'static str,
    on_action: Option<Callback<String>>,
) -> AnyView {
    let span = headers.len();
    let body = move || match rows.get() {
        None => {
            view! { <tr class="table-message"><td colspan=span>"Loading…"</td></tr> }.into_any()
        }
        Some(rows) if rows.is_empty() => {
            view! { <tr class="table-message"><td colspan=span>{empty}</td></tr> }.into_any()
        }
        Some(rows) => rows
            .into_iter()
            .map(|r| {
                let cells = r
                    .cells
                    .into_iter()
                    .map(|c| cell(c, on_action))
                    .collect_view();
                view! { <tr class=r.class data-id=r.id>{cells}</tr> }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <div class="table-wrap">
            <table class="data-table" id=id>
                <thead>
                    <tr>{headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}
