//! `/contacts` and `/customers`: search, filter, sort and page through parties.

use crate::api::paging::{Connection, Direction};
use crate::api::parties::{self, CustomerType, ListKind, ListQuery, OrderField, Party, PartyOrder};
use crate::api::ApiError;
use crate::components::debounce::Debouncer;
use crate::components::load::reload;
use crate::components::pager::Pager;
use crate::components::session::{set_title, use_session};
use crate::components::sort_header::SortHeader;
use crate::format;
use leptos::ev::{MouseEvent, SubmitEvent};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Rows per page.
const PAGE_SIZE: u32 = 25;
/// Quiet time after the last keystroke before the search runs.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// Everything that decides which rows are shown. One signal, so that a change
/// of filter and the reset of paging that goes with it fetch once.
#[derive(Clone, Debug, PartialEq)]
struct ListState {
    search: String,
    customer_type: Option<CustomerType>,
    order: PartyOrder,
    /// The `after` cursors that led to the current page; empty on page 1.
    cursors: Vec<String>,
}

impl Default for ListState {
    fn default() -> Self {
        Self {
            search: String::new(),
            customer_type: None,
            order: PartyOrder {
                field: OrderField::Name,
                direction: Direction::Asc,
            },
            cursors: Vec::new(),
        }
    }
}

impl ListState {
    fn query(&self) -> ListQuery {
        ListQuery {
            search: self.search.clone(),
            customer_type: self.customer_type,
            order: self.order,
            after: self.cursors.last().cloned(),
            first: PAGE_SIZE,
        }
    }

    /// Sorting by `field`: a new column sorts ascending, the same column flips.
    fn sort_by(&mut self, field: OrderField) {
        let direction = if self.order.field == field {
            self.order.direction.flipped()
        } else {
            Direction::Asc
        };
        self.order = PartyOrder { field, direction };
        self.cursors.clear();
    }
}

/// `/contacts`: people with the CONTACT role.
#[component]
pub fn ContactList() -> impl IntoView {
    view! { <PartyList kind=ListKind::Contacts /> }
}

/// `/customers`: parties with the CUSTOMER role, B2B and B2C.
#[component]
pub fn CustomerList() -> impl IntoView {
    view! { <PartyList kind=ListKind::Customers /> }
}

/// Words and DOM ids of one list.
struct Names {
    title: &'static str,
    singular: &'static str,
    plural: &'static str,
    table_id: &'static str,
    total_id: &'static str,
    search_id: &'static str,
    columns: usize,
}

fn names(kind: ListKind) -> Names {
    match kind {
        ListKind::Contacts => Names {
            title: "Contacts",
            singular: "contact",
            plural: "contacts",
            table_id: "contacts-table",
            total_id: "contacts-total",
            search_id: "contact-search",
            columns: 5,
        },
        ListKind::Customers => Names {
            title: "Customers",
            singular: "customer",
            plural: "customers",
            table_id: "customers-table",
            total_id: "customers-total",
            search_id: "customer-search",
            columns: 6,
        },
    }
}

#[component]
fn PartyList(kind: ListKind) -> impl IntoView {
    let names = names(kind);
    set_title(names.title);
    let me = use_session().me;
    let can_create =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.can("party", "create"))));
    let state = RwSignal::new(ListState::default());
    let page = reload(move || {
        let query = state.with(ListState::query);
        async move { parties::list(kind, &query).await }
    });

    // Debounced search: the typed text becomes the filter after a pause.
    let search_text = RwSignal::new(String::new());
    let debouncer = Debouncer::new(SEARCH_DELAY);
    let apply_search = move |text: String| {
        state.update(|s| {
            if s.search != text {
                s.search = text;
                s.cursors.clear();
            }
        });
    };
    let on_search_input = move |ev| {
        let text = event_target_value(&ev);
        search_text.set(text.clone());
        debouncer.schedule(move || apply_search(text));
    };
    let on_search_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        debouncer.cancel();
        apply_search(search_text.get_untracked());
    };
    let on_customer_type = move |ev| {
        let customer_type = CustomerType::parse(&event_target_value(&ev));
        state.update(|s| {
            s.customer_type = customer_type;
            s.cursors.clear();
        });
    };

    let data = Memo::new(move |_| page.get());
    let has_next = Signal::derive(move || {
        data.with(|d| matches!(d, Some(Ok(p)) if p.page_info.next_cursor().is_some()))
    });
    let on_next = Callback::new(move |()| {
        let cursor = data.with_untracked(|d| match d {
            Some(Ok(p)) => p.page_info.next_cursor().map(str::to_owned),
            _ => None,
        });
        if let Some(cursor) = cursor {
            state.update(|s| s.cursors.push(cursor));
        }
    });
    let on_previous = Callback::new(move |()| {
        state.update(|s| {
            s.cursors.pop();
        });
    });

    let header = move |label: &'static str, field: OrderField| {
        let sorted = Signal::derive(move || {
            state.with(|s| (s.order.field == field).then_some(s.order.direction))
        });
        let on_sort = Callback::new(move |()| state.update(|s| s.sort_by(field)));
        view! { <SortHeader label sorted on_sort /> }
    };
    let columns = match kind {
        ListKind::Contacts => view! {
            {header("Code", OrderField::Code)}
            {header("Name", OrderField::Name)}
            {header("Area", OrderField::Area)}
            <th scope="col">"Owner"</th>
            {header("Updated", OrderField::UpdatedAt)}
        }
        .into_any(),
        ListKind::Customers => view! {
            {header("Code", OrderField::Code)}
            {header("Name", OrderField::Name)}
            <th scope="col">"Kind"</th>
            <th scope="col">"Type"</th>
            {header("Area", OrderField::Area)}
            <th scope="col">"Owner"</th>
        }
        .into_any(),
    };
    let (singular, plural, column_count) = (names.singular, names.plural, names.columns);

    view! {
        <div class="page-header">
            <h1>{names.title}</h1>
            <Show when=move || can_create.get()>
                <div class="actions">
                    <a class="btn btn-primary" id="new-person" href="/people/new">
                        "New person"
                    </a>
                    {(kind == ListKind::Customers)
                        .then(|| {
                            view! {
                                <a class="btn btn-primary" id="new-organization" href="/organizations/new">
                                    "New organisation"
                                </a>
                            }
                        })}
                </div>
            </Show>
        </div>
        <div class="toolbar">
            <form class="search" role="search" on:submit=on_search_submit>
                <label for=names.search_id class="visually-hidden">
                    "Search " {plural}
                </label>
                <input
                    id=names.search_id
                    type="search"
                    placeholder=format!("Search {plural}")
                    autocomplete="off"
                    prop:value=move || search_text.get()
                    on:input=on_search_input
                />
            </form>
            {(kind == ListKind::Customers)
                .then(|| {
                    view! {
                        <label class="inline-field">
                            "Type"
                            <select id="customer-type-filter" on:change=on_customer_type>
                                <option value="">"All"</option>
                                <option value="B2B">"B2B"</option>
                                <option value="B2C">"B2C"</option>
                            </select>
                        </label>
                    }
                })}
            <p class="total" id=names.total_id aria-live="polite">
                {move || {
                    data.with(|d| match d {
                        Some(Ok(p)) => format::count(p.total_count, singular, plural),
                        _ => String::new(),
                    })
                }}
            </p>
        </div>
        {move || {
            data.with(|d| match d {
                Some(Err(e)) => {
                    Some(view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> })
                }
                _ => None,
            })
        }}
        <div class="table-wrap">
            <table class="data-table" id=names.table_id>
                <thead>
                    <tr>{columns}</tr>
                </thead>
                <tbody>
                    {move || data.with(|d| rows(kind, d.as_ref(), column_count, plural))}
                </tbody>
            </table>
        </div>
        <Pager
            page=Signal::derive(move || state.with(|s| s.cursors.len() + 1))
            has_previous=Signal::derive(move || state.with(|s| !s.cursors.is_empty()))
            has_next
            on_previous
            on_next
        />
    }
}

fn rows(
    kind: ListKind,
    data: Option<&Result<Connection<Party>, ApiError>>,
    columns: usize,
    plural: &'static str,
) -> AnyView {
    let message = |text: String| {
        view! {
            <tr class="table-message">
                <td colspan=columns.to_string()>{text}</td>
            </tr>
        }
        .into_any()
    };
    match data {
        None => message(format!("Loading {plural}…")),
        Some(Err(_)) => ().into_any(),
        Some(Ok(page)) if page.nodes.is_empty() => message(format!("No {plural} match.")),
        Some(Ok(page)) => page
            .nodes
            .iter()
            .map(|party| view! { <PartyRow kind party=party.clone() /> })
            .collect_view()
            .into_any(),
    }
}

/// One party; a click anywhere on the row opens its profile, the name is the link.
#[component]
fn PartyRow(kind: ListKind, party: Party) -> impl IntoView {
    let href = party.profile_href();
    let navigate = use_navigate();
    let on_click = {
        let href = href.clone();
        move |ev: MouseEvent| {
            // Links in the row navigate by themselves.
            let on_link = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a").ok().flatten())
                .is_some();
            if !on_link {
                navigate(&href, Default::default());
            }
        }
    };
    let owner = format::or_empty(party.owner.as_ref().map(|o| o.display_name.as_str()));
    let area = format::or_empty(party.area.as_deref());
    let middle = match kind {
        ListKind::Contacts => ().into_any(),
        ListKind::Customers => view! {
            <td data-label="Kind">{party.kind.label()}</td>
            <td data-label="Type" class="customer-type">
                {format::or_empty(party.customer_type.map(CustomerType::label))}
            </td>
        }
        .into_any(),
    };
    let updated = (kind == ListKind::Contacts).then(|| {
        view! {
            <td data-label="Updated">
                <time datetime=party.updated_at.clone()>{format::date(&party.updated_at)}</time>
            </td>
        }
    });
    view! {
        <tr class="party-row" data-id=party.id.clone() on:click=on_click>
            <td data-label="Code" class="code">{party.code}</td>
            <td data-label="Name" class="name">
                <a href=href>{party.display_name}</a>
            </td>
            {middle}
            <td data-label="Area">{area}</td>
            <td data-label="Owner">{owner}</td>
            {updated}
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_flips_the_same_column_and_resets_paging() {
        let mut s = ListState {
            cursors: vec!["c1".into()],
            ..ListState::default()
        };
        s.sort_by(OrderField::Name);
        assert_eq!(s.order.direction, Direction::Desc);
        assert!(s.cursors.is_empty());
        s.sort_by(OrderField::UpdatedAt);
        assert_eq!(
            s.order,
            PartyOrder {
                field: OrderField::UpdatedAt,
                direction: Direction::Asc
            }
        );
    }

    #[test]
    fn the_filter_goes_into_the_query() {
        let s = ListState {
            customer_type: Some(CustomerType::B2c),
            cursors: vec!["c1".into(), "c2".into()],
            ..ListState::default()
        };
        let q = s.query();
        assert_eq!(q.after.as_deref(), Some("c2"));
        assert_eq!(q.customer_type, Some(CustomerType::B2c));
        assert_eq!(q.first, PAGE_SIZE);
    }
}
