//! The list page every domain's list is: a title with "New" actions the
//! user's grants allow, a search box, filters, sortable headers, the shared
//! table, a pager, and the load, error and empty states.
//!
//! A domain describes its list with a [`ListSpec`] — its words, columns,
//! filters, and a [`Rows`] that runs the [`Query`] and turns the records into
//! [`Row`]s — and [`list_page`] renders it. The layer is one plain function
//! over data, so all lists share one copy of its code.

use super::bulk::{bulk_bar, BulkProps};
pub use super::bulk::{bulk_run, BulkAction};
use super::query::column_key;
pub use super::query::Query;
use super::views::{views_bar, ViewsProps};
use crate::api::paging::{Connection, Direction};
use crate::api::ApiError;
use crate::components::debounce::Debouncer;
use crate::components::load::reload;
use crate::components::pager::Pager;
use crate::components::session::{set_title, use_session};
use crate::components::sort_header::SortHeader;
use crate::components::table::{data_table, Column, Row, TableSpec};
use crate::format;
use crate::page::record::load_error;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Quiet time after the last keystroke before the search runs.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// One page of rows as the domain found it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    /// The rows of this page.
    pub rows: Vec<Row>,
    /// Number of records over all pages.
    pub total: i64,
    /// Cursor of the next page, when there is one.
    pub next: Option<String>,
}

impl Found {
    /// The rows of `page`, each made by `row`.
    pub fn new<T>(page: &Connection<T>, row: impl Fn(&T) -> Row) -> Self {
        Self {
            rows: page.nodes.iter().map(row).collect(),
            total: page.total_count,
            next: page.page_info.next_cursor().map(str::to_owned),
        }
    }
}

/// Runs a query: the domain's request and its rows.
pub type Rows = Box<dyn Fn(&Query) -> Pin<Box<dyn Future<Output = Result<Found, ApiError>>>>>;

/// A [`Rows`] from an async closure.
pub fn rows_from<F>(run: impl Fn(&Query) -> F + 'static) -> Rows
where
    F: Future<Output = Result<Found, ApiError>> + 'static,
{
    Box::new(move |q| Box::pin(run(q)))
}

/// A link to create a record, shown when the user holds the grant.
#[derive(Clone, Copy, Debug)]
pub struct Create {
    /// DOM id, e.g. `new-account`.
    pub id: &'static str,
    /// Address of the form.
    pub href: &'static str,
    /// Text, e.g. "New account".
    pub label: &'static str,
    /// The object and action the grant names, e.g. `("account", "create")`.
    pub grant: (&'static str, &'static str),
}

/// A filter of the toolbar; its value is in the [`Query`] under `name`.
#[derive(Clone)]
pub enum Filter {
    /// A checkbox (`"true"` when ticked): name, DOM id, label.
    Check(&'static str, &'static str, &'static str),
    /// A drop-down: name, DOM id, label, label of the first choice (value `""`), choices.
    Select(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Signal<Vec<(String, String)>>,
    ),
}

impl Filter {
    fn name(&self) -> &'static str {
        match self {
            Filter::Check(name, ..) | Filter::Select(name, ..) => name,
        }
    }
}

/// What a domain says about its list. DOM ids follow from `id`:
/// `{id}-table`, `{id}-total`, `{id}-empty`.
pub struct ListSpec {
    title: &'static str,
    id: &'static str,
    singular: &'static str,
    plural: &'static str,
    columns: &'static [Column],
    load: Rows,
    create: &'static [Create],
    search: Option<&'static str>,
    filters: Vec<Filter>,
    sort: Option<(&'static str, Direction)>,
    empty: Option<&'static str>,
    paged: bool,
    above: Option<AnyView>,
    tools: Option<AnyView>,
    refresh: Option<RwSignal<u32>>,
    on_action: Option<Callback<String>>,
    views: bool,
    bulk: Vec<BulkAction>,
}

impl ListSpec {
    /// The list titled `title` (and so the tab), counted in `singular` and
    /// `plural`, with DOM ids from `id`, showing `columns`, loaded by `load`.
    pub fn new(
        title: &'static str,
        id: &'static str,
        (singular, plural): (&'static str, &'static str),
        columns: &'static [Column],
        load: Rows,
    ) -> Self {
        Self {
            title,
            id,
            singular,
            plural,
            columns,
            load,
            create: &[],
            search: None,
            filters: Vec::new(),
            sort: None,
            empty: None,
            paged: true,
            above: None,
            tools: None,
            refresh: None,
            on_action: None,
            views: false,
            bulk: Vec::new(),
        }
    }

    /// Saved views (the list's key is its `id`) and the column chooser.
    pub fn views(self) -> Self {
        Self {
            views: true,
            ..self
        }
    }

    /// Rows can be ticked and changed together by `actions` (those the caller's grants allow).
    pub fn bulk(self, actions: Vec<BulkAction>) -> Self {
        Self {
            bulk: actions,
            ..self
        }
    }

    /// "New" links in the header.
    pub fn create(self, create: &'static [Create]) -> Self {
        Self { create, ..self }
    }

    /// A search box with the DOM id `id`.
    pub fn search(self, id: &'static str) -> Self {
        Self {
            search: Some(id),
            ..self
        }
    }

    /// A filter in the toolbar.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filters.push(filter);
        self
    }

    /// The order of the first page.
    pub fn sort(self, key: &'static str, direction: Direction) -> Self {
        Self {
            sort: Some((key, direction)),
            ..self
        }
    }

    /// What the table says when no row matches (default: "No {plural} match.").
    pub fn empty(self, text: &'static str) -> Self {
        Self {
            empty: Some(text),
            ..self
        }
    }

    /// Everything on one page: no pager.
    pub fn unpaged(self) -> Self {
        Self {
            paged: false,
            ..self
        }
    }

    /// Shown between the header and the toolbar (e.g. notices).
    pub fn above(self, view: AnyView) -> Self {
        Self {
            above: Some(view),
            ..self
        }
    }

    /// More tools at the end of the toolbar.
    pub fn tools(self, view: AnyView) -> Self {
        Self {
            tools: Some(view),
            ..self
        }
    }

    /// Loads the first page again whenever `signal` changes.
    pub fn refresh(self, signal: RwSignal<u32>) -> Self {
        Self {
            refresh: Some(signal),
            ..self
        }
    }

    /// Gets the value of a clicked action button of a row.
    pub fn on_action(self, on_action: Callback<String>) -> Self {
        Self {
            on_action: Some(on_action),
            ..self
        }
    }
}

fn filter_view(filter: Filter, state: RwSignal<Query>) -> AnyView {
    let name = filter.name();
    let set = move |value: String| state.update(|q| q.set_filter(name, value));
    match filter {
        Filter::Check(_, id, label) => view! {
            <label class="checkbox">
                <input id=id type="checkbox"
                    prop:checked=move || state.with(|q| q.checked(name))
                    on:change=move |ev| set(if event_target_checked(&ev) { "true".into() } else { String::new() }) />
                {label}
            </label>
        }
        .into_any(),
        Filter::Select(_, id, label, any, options) => view! {
            <label class="inline-field">
                {label}
                <select id=id on:change=move |ev| set(event_target_value(&ev))>
                    <option value="">{any}</option>
                    {move || options.get().into_iter().map(|(value, text)| {
                        let chosen = {
                            let value = value.clone();
                            move || state.with(|q| q.filter(name) == value)
                        };
                        view! { <option value=value prop:selected=chosen>{text}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
        .into_any(),
    }
}

fn header_view(column: &'static Column, state: RwSignal<Query>) -> AnyView {
    match column.sort {
        Some(key) => {
            let sorted = Signal::derive(move || {
                state.with(|q| q.sort.filter(|(k, _)| *k == key).map(|(_, d)| d))
            });
            let on_sort = Callback::new(move |()| state.update(|q| q.sort_by(key)));
            view! { <SortHeader label=column.label sorted on_sort /> }.into_any()
        }
        None => {
            let class = (!column.class.is_empty()).then_some(column.class);
            view! { <th scope="col" class=class>{column.label}</th> }.into_any()
        }
    }
}

fn search_view(id: &'static str, plural: &'static str, state: RwSignal<Query>) -> AnyView {
    let text = RwSignal::new(state.with_untracked(|q| q.search.clone()));
    // A view chosen or Back changes the search from outside the box.
    Effect::new(move |_| {
        let searched = state.with(|q| q.search.clone());
        if text.with_untracked(|t| t.trim() != searched.trim()) {
            text.set(searched);
        }
    });
    let debouncer = Debouncer::new(SEARCH_DELAY);
    let apply = move |t: String| state.update(|q| q.search_for(t));
    let on_input = move |ev| {
        let typed = event_target_value(&ev);
        text.set(typed.clone());
        debouncer.schedule(move || apply(typed));
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        debouncer.cancel();
        apply(text.get_untracked());
    };
    let label = format!("Search {plural}");
    view! {
        <form class="search" role="search" on:submit=on_submit>
            <label for=id class="visually-hidden">{label.clone()}</label>
            <input id=id type="search" placeholder=label autocomplete="off"
                prop:value=move || text.get() on:input=on_input />
        </form>
    }
    .into_any()
}

/// The list page `spec` describes.
pub fn list_page(spec: ListSpec) -> AnyView {
    let ListSpec {
        title,
        id,
        singular,
        plural,
        columns,
        load,
        create,
        search,
        filters,
        sort,
        empty,
        paged,
        above,
        tools,
        refresh,
        on_action,
        views,
        bulk,
    } = spec;
    set_title(title);
    let me = use_session().me;
    let names: Vec<&'static str> = filters.iter().map(Filter::name).collect();
    let default = StoredValue::new(Query::new(sort, &names));
    let sorts: Vec<&'static str> = columns.iter().filter_map(|c| c.sort).collect();
    let sorts = StoredValue::new(sorts);
    // What the list shows is in its address (`?q=…&sort=…&hide=…`): Back, a bookmark or a
    // saved view brings it back.
    let location = use_location();
    let url = use_query_map();
    let from_url = move || {
        url.with(|m| {
            default.with_value(|d| sorts.with_value(|s| Query::from_address(d, |k| m.get(k), s)))
        })
    };
    let state = RwSignal::new(untrack(from_url));
    // The address the list wrote last: its own echo is not a change from outside.
    let written = StoredValue::new(location.search.get_untracked());
    Effect::new(move |_| {
        let wanted = from_url();
        let search = location.search.get_untracked();
        if written.with_value(|w| *w == search) {
            return;
        }
        written.set_value(search);
        if !state.with_untracked(|q| q.same_view(&wanted)) {
            state.set(wanted);
        }
    });
    let address = Memo::new(move |_| state.with(|q| default.with_value(|d| q.to_address(d))));
    let navigate = use_navigate();
    Effect::new(move |_| {
        let wanted = address.get();
        if location.search.with_untracked(|s| *s != wanted) {
            written.set_value(wanted.clone());
            let path = location.pathname.get_untracked();
            let to = if wanted.is_empty() {
                path
            } else {
                format!("{path}?{wanted}")
            };
            navigate(
                &to,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    let bumped = RwSignal::new(0_u32);
    let found = reload(move || {
        bumped.track();
        load(&state.read())
    });
    let bulk: Vec<BulkAction> = me.with_untracked(|m| {
        m.as_ref().map_or_else(Vec::new, |m| {
            bulk.into_iter()
                .filter(|a| m.can(a.grant.0, a.grant.1))
                .collect()
        })
    });
    let selected = (!bulk.is_empty()).then(|| RwSignal::new(Vec::<String>::new()));
    if let Some(refresh) = refresh {
        Effect::new(move |seen: Option<()>| {
            refresh.track();
            if seen.is_some() {
                state.update(Query::first_page);
            }
        });
    }

    let allowed = move || {
        let links = me.with(|m| {
            let m = m.as_ref()?;
            let links: Vec<_> = create
                .iter()
                .filter(|c| m.can(c.grant.0, c.grant.1))
                .map(|c| view! { <a class="btn btn-primary" id=c.id href=c.href>{c.label}</a> })
                .collect();
            (!links.is_empty()).then_some(links)
        })?;
        Some(view! { <div class="actions">{links}</div> })
    };
    let total = move || {
        found.with(|f| match f {
            Some(Ok(f)) => format::count(f.total, singular, plural),
            _ => String::new(),
        })
    };
    let rows = Signal::derive(move || {
        found.with(|f| match f {
            None => None,
            Some(Ok(f)) => Some(f.rows.clone()),
            Some(Err(_)) => Some(Vec::new()),
        })
    });
    let next = move || {
        found.with(|f| match f {
            Some(Ok(f)) => f.next.clone(),
            _ => None,
        })
    };
    // The columns shown, and each row's cells of those columns.
    let hidden = Memo::new(move |_| state.with(|q| q.hidden.clone()));
    let shown = move |hidden: &[String]| -> Vec<bool> {
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| i == 0 || !hidden.contains(&column_key(c.label)))
            .collect()
    };
    let empty = empty.map_or_else(|| format!("No {plural} match."), str::to_owned);
    let table = move || {
        let keep = hidden.with(|h| shown(h));
        let cols: Vec<Column> = columns
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| *c)
            .collect();
        let head = columns
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| header_view(c, state))
            .collect_view()
            .into_any();
        let keep_cells = keep.clone();
        let rows = Signal::derive(move || {
            rows.get().map(|rows| {
                rows.into_iter()
                    .map(|mut r| {
                        let mut flags = keep_cells.iter();
                        r.cells.retain(|_| *flags.next().unwrap_or(&true));
                        r
                    })
                    .collect()
            })
        });
        let spec = TableSpec {
            id: format!("{id}-table"),
            loading: format!("Loading {plural}…"),
            empty: empty.clone(),
            empty_id: Some(format!("{id}-empty")),
            columns: cols,
            on_action,
            selected,
        };
        data_table(spec, head, rows)
    };
    let path = location.pathname.get_untracked();
    let views_view = views.then(|| {
        views_bar(ViewsProps {
            list: id,
            path,
            address: address.into(),
            columns,
            state,
        })
    });
    let bulk_view = selected.map(|selected| {
        bulk_bar(BulkProps {
            list: id,
            words: (singular, plural),
            actions: bulk,
            selected,
            changed: Callback::new(move |()| bumped.update(|b| *b += 1)),
        })
    });
    let pager = paged.then(|| {
        view! {
            <Pager
                page=Signal::derive(move || state.with(Query::page))
                has_previous=Signal::derive(move || state.with(|q| q.page() > 1))
                has_next=Signal::derive(move || next().is_some())
                on_previous=Callback::new(move |()| state.update(Query::previous))
                on_next=Callback::new(move |()| {
                    if let Some(cursor) = next() {
                        state.update(|q| q.next(cursor));
                    }
                })
            />
        }
    });
    view! {
        <div class="page-header">
            <h1>{title}</h1>
            {allowed}
        </div>
        {above}
        <div class="toolbar">
            {search.map(|s| search_view(s, plural, state))}
            {filters.into_iter().map(|f| filter_view(f, state)).collect_view()}
            {tools}
            <p class="total" id=format!("{id}-total") aria-live="polite">{total}</p>
        </div>
        {views_view}
        {bulk_view}
        {move || found.with(|f| f.as_ref().and_then(|r| r.as_ref().err()).map(load_error))}
        {table}
        {pager}
    }
    .into_any()
}
