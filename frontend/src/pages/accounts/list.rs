//! `/accounts`: search, filter, sort and page through accounts.

use crate::api::accounts::{
    self, Account, AccountOrder, AccountPage, Direction, ListQuery, OrderField,
};
use crate::components::load::reload;
use crate::components::pager::Pager;
use crate::components::session::{set_title, use_session};
use crate::components::sort_header::SortHeader;
use crate::format;
use leptos::ev::{MouseEvent, SubmitEvent};
use leptos::leptos_dom::helpers::TimeoutHandle;
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
    archived: bool,
    order: AccountOrder,
    /// The `after` cursors that led to the current page; empty on page 1.
    cursors: Vec<String>,
}

impl Default for ListState {
    fn default() -> Self {
        Self {
            search: String::new(),
            archived: false,
            order: AccountOrder {
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
            archived: self.archived,
            order: self.order,
            after: self.cursors.last().cloned(),
            first: PAGE_SIZE,
        }
    }

    /// Sorting by `field`: a new column sorts ascending, the same column flips.
    fn sort_by(&mut self, field: OrderField) {
        self.order = if self.order.field == field {
            AccountOrder {
                field,
                direction: self.order.direction.flipped(),
            }
        } else {
            AccountOrder {
                field,
                direction: Direction::Asc,
            }
        };
        self.cursors.clear();
    }
}

/// The accounts list.
#[component]
pub fn AccountList() -> impl IntoView {
    set_title("Accounts");
    let me = use_session().me;
    let can_create =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.can("account", "create"))));
    let state = RwSignal::new(ListState::default());
    let page = reload(move || {
        let query = state.with(ListState::query);
        async move { accounts::list(&query).await }
    });

    // Debounced search: the typed text becomes the filter after a pause.
    let search_text = RwSignal::new(String::new());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let apply_search = move |text: String| {
        state.update(|s| {
            if s.search != text {
                s.search = text;
                s.cursors.clear();
            }
        });
    };
    let cancel_timer = move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
    };
    let on_search_input = move |ev| {
        let text = event_target_value(&ev);
        search_text.set(text.clone());
        cancel_timer();
        let handle = set_timeout_with_handle(move || apply_search(text), SEARCH_DELAY).ok();
        timer.set_value(handle);
    };
    let on_search_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        cancel_timer();
        apply_search(search_text.get_untracked());
    };
    on_cleanup(cancel_timer);

    let on_archived = move |ev| {
        let archived = event_target_checked(&ev);
        state.update(|s| {
            s.archived = archived;
            s.cursors.clear();
        });
    };

    let data = Memo::new(move |_| page.get());
    let has_next = Signal::derive(move || {
        data.with(|d| matches!(d, Some(Ok(p)) if p.page_info.has_next_page && p.page_info.end_cursor.is_some()))
    });
    let on_next = Callback::new(move |()| {
        let cursor = data.with_untracked(|d| match d {
            Some(Ok(p)) => p.page_info.end_cursor.clone(),
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

    view! {
        <div class="page-header">
            <h1>"Accounts"</h1>
            <Show when=move || can_create.get()>
                <a class="btn btn-primary" id="new-account" href="/accounts/new">
                    "New account"
                </a>
            </Show>
        </div>
        <div class="toolbar">
            <form class="search" role="search" on:submit=on_search_submit>
                <label for="account-search" class="visually-hidden">
                    "Search accounts"
                </label>
                <input
                    id="account-search"
                    type="search"
                    placeholder="Search accounts"
                    autocomplete="off"
                    prop:value=move || search_text.get()
                    on:input=on_search_input
                />
            </form>
            <label class="checkbox">
                <input
                    id="show-archived"
                    type="checkbox"
                    prop:checked=move || state.with(|s| s.archived)
                    on:change=on_archived
                />
                "Show archived"
            </label>
            <p class="total" id="accounts-total" aria-live="polite">
                {move || {
                    data.with(|d| match d {
                        Some(Ok(p)) => format::count(p.total_count, "account", "accounts"),
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
            <table class="data-table" id="accounts-table">
                <thead>
                    <tr>
                        {sort_header("Code", OrderField::Code, state)}
                        {sort_header("Name", OrderField::Name, state)}
                        {sort_header("Area", OrderField::Area, state)}
                        {sort_header("Industry", OrderField::Industry, state)}
                        // The API cannot sort by owner (no OWNER in AccountOrderField).
                        <th scope="col">"Owner"</th>
                        <th scope="col" class="num">"Annual revenue"</th>
                        {sort_header("Updated", OrderField::UpdatedAt, state)}
                    </tr>
                </thead>
                <tbody>{move || data.with(|d| rows(d.as_ref()))}</tbody>
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

/// The header of a column the list can be sorted by.
fn sort_header(
    label: &'static str,
    field: OrderField,
    state: RwSignal<ListState>,
) -> impl IntoView {
    let sorted = Signal::derive(move || {
        state.with(|s| (s.order.field == field).then_some(s.order.direction))
    });
    let on_sort = Callback::new(move |()| state.update(|s| s.sort_by(field)));
    view! { <SortHeader label sorted on_sort /> }
}

fn rows(data: Option<&Result<AccountPage, crate::api::ApiError>>) -> AnyView {
    match data {
        None => view! {
            <tr class="table-message">
                <td colspan="7">"Loading accounts…"</td>
            </tr>
        }
        .into_any(),
        Some(Err(_)) => ().into_any(),
        Some(Ok(page)) if page.nodes.is_empty() => view! {
            <tr class="table-message">
                <td colspan="7">"No accounts match."</td>
            </tr>
        }
        .into_any(),
        Some(Ok(page)) => page
            .nodes
            .iter()
            .map(|account| view! { <AccountRow account=account.clone() /> })
            .collect_view()
            .into_any(),
    }
}

/// One account; a click anywhere on the row opens it, the name is the link.
#[component]
fn AccountRow(account: Account) -> impl IntoView {
    let href = format!("/accounts/{}", account.id);
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
    let revenue = account
        .annual_revenue
        .as_ref()
        .map_or_else(|| format::EMPTY.to_owned(), format::money);
    let owner = format::or_empty(account.owner.as_ref().map(|o| o.display_name.as_str()));
    view! {
        <tr class="account-row" data-id=account.id.clone() on:click=on_click>
            <td data-label="Code" class="code">{account.code}</td>
            <td data-label="Name" class="name">
                <a href=href>{account.name}</a>
                {account.archived.then(|| view! { <span class="badge">"Archived"</span> })}
            </td>
            <td data-label="Area">{format::or_empty(account.area.as_deref())}</td>
            <td data-label="Industry">{format::or_empty(account.industry.as_deref())}</td>
            <td data-label="Owner">{owner}</td>
            <td data-label="Annual revenue" class="num revenue">{revenue}</td>
            <td data-label="Updated">
                <time datetime=account.updated_at.clone()>{format::date(&account.updated_at)}</time>
            </td>
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
        s.sort_by(OrderField::Code);
        assert_eq!(
            s.order,
            AccountOrder {
                field: OrderField::Code,
                direction: Direction::Asc
            }
        );
    }

    #[test]
    fn the_last_cursor_is_the_after_of_the_current_page() {
        let s = ListState {
            cursors: vec!["c1".into(), "c2".into()],
            ..ListState::default()
        };
        assert_eq!(s.query().after.as_deref(), Some("c2"));
        assert_eq!(ListState::default().query().after, None);
        assert_eq!(s.query().first, PAGE_SIZE);
    }
}
