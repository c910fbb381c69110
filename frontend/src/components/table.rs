//! One table for lists of records. Pages hand over their rows as data
//! ([`Row`] of [`Cell`]s), so every list shares one rendering code path in the
//! WebAssembly bundle instead of carrying its own.

use crate::format;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

/// One cell of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Plain text.
    Text(String),
    /// A link: address, text.
    Link(String, String),
    /// A link followed by a badge: address, text, badge label.
    Tagged(String, String, &'static str),
    /// A date (`<time>`), from an RFC 3339 timestamp.
    Date(String),
    /// A date and time (`<time>`), from an RFC 3339 timestamp.
    DateTime(String),
    /// A status badge: `data-status`, label.
    Badge(&'static str, &'static str),
    /// A button: label, and the value handed to the table's `on_action`.
    Action(&'static str, String),
    /// Buttons: label, class, and the value handed to the table's `on_action`.
    Actions(Vec<(&'static str, &'static str, String)>),
}

impl Cell {
    /// Text, or the empty-value placeholder when blank.
    pub fn text(value: impl Into<String>) -> Self {
        let value = value.into();
        Cell::Text(if value.is_empty() {
            format::EMPTY.to_owned()
        } else {
            value
        })
    }

    /// Text of an optional value, or the empty-value placeholder.
    pub fn or_empty(value: Option<&str>) -> Self {
        Cell::Text(format::or_empty(value))
    }
}

/// One row: its class, its record id (`data-id`) and its cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// Class of the `<tr>`, e.g. `lead-row`.
    pub class: &'static str,
    /// Record id, as `data-id`.
    pub id: String,
    /// The cells, one per header.
    pub cells: Vec<Cell>,
    /// Where a click anywhere on the row leads (its links lead by themselves).
    pub href: Option<String>,
}

impl Row {
    /// What the row is called: the text of its first link, else of its first text cell.
    pub fn name(&self) -> String {
        let link = self.cells.iter().find_map(|c| match c {
            Cell::Link(_, t) | Cell::Tagged(_, t, _) => Some(t.clone()),
            _ => None,
        });
        link.or_else(|| {
            self.cells.iter().find_map(|c| match c {
                Cell::Text(t) => Some(t.clone()),
                _ => None,
            })
        })
        .unwrap_or_default()
    }
}

/// A column: its header, the key the list sorts by when it can be sorted by
/// it, and the class of its cells.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Column {
    /// Header text; also each cell's `data-label` (shown on narrow screens).
    pub label: &'static str,
    /// Sort key handed to the list's query; `None` when it cannot sort by it.
    pub sort: Option<&'static str>,
    /// Class of the header and of the cells, e.g. `num`.
    pub class: &'static str,
}

impl Column {
    /// A column that cannot be sorted by.
    pub const fn new(label: &'static str) -> Self {
        Self {
            label,
            sort: None,
            class: "",
        }
    }

    /// A column the list can be sorted by, with the sort key `key`.
    pub const fn sorted(label: &'static str, key: &'static str) -> Self {
        Self {
            label,
            sort: Some(key),
            class: "",
        }
    }

    /// The same column with `class` on its header and cells.
    pub const fn class(self, class: &'static str) -> Self {
        Self { class, ..self }
    }
}

fn class_of(column: Option<&Column>, default: &'static str) -> Option<&'static str> {
    match column.map(|c| c.class) {
        Some(class) if !class.is_empty() => Some(class),
        _ => (!default.is_empty()).then_some(default),
    }
}

fn cell(c: Cell, column: Option<&Column>, on_action: Option<Callback<String>>) -> AnyView {
    let label = column.map(|c| c.label);
    let button = move |text: &'static str, class: String, value: String| {
        view! {
            <button type="button" class=class data-value=value.clone()
                on:click=move |_| if let Some(a) = on_action { a.run(value.clone()) }>
                {text}
            </button>
        }
    };
    let (class, content) = match c {
        Cell::Text(t) => (class_of(column, ""), t.into_any()),
        Cell::Link(href, t) => (
            class_of(column, "name"),
            view! { <a href=href>{t}</a> }.into_any(),
        ),
        Cell::Tagged(href, t, badge) => (
            class_of(column, "name"),
            view! { <a href=href>{t}</a> <span class="badge">{badge}</span> }.into_any(),
        ),
        Cell::Date(at) => {
            let text = format::date(&at);
            (
                class_of(column, ""),
                view! { <time datetime=at>{text}</time> }.into_any(),
            )
        }
        Cell::DateTime(at) => {
            let text = format::date_time(&at);
            (
                class_of(column, ""),
                view! { <time datetime=at>{text}</time> }.into_any(),
            )
        }
        Cell::Badge(status, text) => (
            class_of(column, ""),
            view! { <span class="badge" data-status=status>{text}</span> }.into_any(),
        ),
        Cell::Action(text, value) => (
            class_of(column, ""),
            button(text, "btn btn-small".to_owned(), value).into_any(),
        ),
        Cell::Actions(buttons) => (
            Some("actions"),
            buttons
                .into_iter()
                .map(|(text, class, value)| button(text, format!("btn btn-small {class}"), value))
                .collect_view()
                .into_any(),
        ),
    };
    view! { <td data-label=label class=class>{content}</td> }.into_any()
}

/// What a table shows besides its rows.
pub struct TableSpec {
    /// `id` of the `<table>`.
    pub id: String,
    /// Shown while the rows load.
    pub loading: String,
    /// Shown when there are no rows; its row has the id `{id}-empty` when `empty_id` is set.
    pub empty: String,
    /// Id of the row that says there are no rows.
    pub empty_id: Option<String>,
    /// The columns; their headers are in `head`.
    pub columns: Vec<Column>,
    /// Gets the value of a clicked [`Cell::Action`].
    pub on_action: Option<Callback<String>>,
    /// The ids of the ticked rows, when rows can be ticked (a checkbox first in each row, and
    /// one in the header for every row shown).
    pub selected: Option<RwSignal<Vec<String>>>,
}

/// The checkbox of one row, named after the row's first text.
fn select_cell(selected: RwSignal<Vec<String>>, id: String, name: String) -> AnyView {
    let mine = id.clone();
    let ticked = move || selected.with(|s| s.contains(&mine));
    let label = format!("Select {name}");
    view! {
        <td class="select">
            <input type="checkbox" class="row-select" aria-label=label prop:checked=ticked
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    selected.update(|s| {
                        s.retain(|x| *x != id);
                        if on {
                            s.push(id.clone());
                        }
                    });
                } />
        </td>
    }
    .into_any()
}

/// The header checkbox: ticks or clears every row shown.
fn select_all(selected: RwSignal<Vec<String>>, rows: Signal<Option<Vec<Row>>>) -> AnyView {
    let shown = move || rows.with(|r| r.iter().flatten().map(|r| r.id.clone()).collect::<Vec<_>>());
    let all = move || {
        let shown = shown();
        !shown.is_empty() && selected.with(|s| shown.iter().all(|id| s.contains(id)))
    };
    view! {
        <th scope="col" class="select">
            <input type="checkbox" id="select-all" aria-label="Select every row shown" prop:checked=all
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    let shown = shown();
                    selected.update(|s| {
                        s.retain(|id| !shown.contains(id));
                        if on {
                            s.extend(shown);
                        }
                    });
                } />
        </th>
    }
    .into_any()
}

/// Where a click on a row with an `href` leads; `None` when the click was on
/// a link or a button, which act by themselves.
fn row_target(ev: &leptos::ev::MouseEvent) -> Option<String> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    if target.closest("a, button").ok().flatten().is_some() {
        return None;
    }
    target
        .closest("tr[data-href]")
        .ok()
        .flatten()?
        .get_attribute("data-href")
}

/// `<table>` with the header cells `head` and `rows`: the loading message
/// while `rows` is `None`, the empty message when there are none. A plain
/// function returning an erased view, so every table shares one copy of this code.
pub fn data_table(spec: TableSpec, head: AnyView, rows: Signal<Option<Vec<Row>>>) -> AnyView {
    let TableSpec {
        id,
        loading,
        empty,
        empty_id,
        columns,
        on_action,
        selected,
    } = spec;
    let span = columns.len() + usize::from(selected.is_some());
    let navigate = use_navigate();
    let open_row = move |ev: leptos::ev::MouseEvent| {
        if let Some(href) = row_target(&ev) {
            navigate(&href, Default::default());
        }
    };
    let body = move || match rows.get() {
        None => view! { <tr class="table-message"><td colspan=span>{loading.clone()}</td></tr> }
            .into_any(),
        Some(rows) if rows.is_empty() => view! {
            <tr class="table-message" id=empty_id.clone()><td colspan=span>{empty.clone()}</td></tr>
        }
        .into_any(),
        Some(rows) => rows
            .into_iter()
            .map(|r| {
                let tick = selected.map(|sel| select_cell(sel, r.id.clone(), r.name()));
                let cells = r
                    .cells
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| cell(c, columns.get(i), on_action))
                    .collect_view();
                view! { <tr class=r.class data-id=r.id data-href=r.href>{tick}{cells}</tr> }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <div class="table-wrap">
            <table class="data-table" id=id>
                <thead>
                    <tr>{selected.map(|sel| select_all(sel, rows))}{head}</tr>
                </thead>
                <tbody on:click=open_row>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The plain header cells of `columns`.
pub fn plain_head(columns: &[Column]) -> AnyView {
    columns
        .iter()
        .map(|c| {
            let class = (!c.class.is_empty()).then_some(c.class);
            view! { <th scope="col" class=class>{c.label}</th> }
        })
        .collect_view()
        .into_any()
}

/// `<table id=…>` with `headers` and `rows`: "Loading…" while `rows` is
/// `None`, `empty` when there are none; `on_action` gets the value of a
/// clicked [`Cell::Action`].
pub fn table(
    id: &'static str,
    headers: &'static [&'static str],
    rows: Signal<Option<Vec<Row>>>,
    empty: &'static str,
    on_action: Option<Callback<String>>,
) -> AnyView {
    let columns: Vec<Column> = headers.iter().map(|h| Column::new(h)).collect();
    let head = plain_head(&columns);
    let spec = TableSpec {
        id: id.to_owned(),
        loading: "Loading…".to_owned(),
        empty: empty.to_owned(),
        empty_id: None,
        columns,
        on_action,
        selected: None,
    };
    data_table(spec, head, rows)
}
