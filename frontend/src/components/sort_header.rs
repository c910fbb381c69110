//! Sortable column headers of the list tables.

use crate::api::paging::Direction;
use leptos::prelude::*;

/// A column header that sorts by its column, showing the current direction.
#[component]
pub fn SortHeader(
    /// Column title; also the button's `data-sort`.
    label: &'static str,
    /// The direction when the list is sorted by this column, else `None`.
    #[prop(into)]
    sorted: Signal<Option<Direction>>,
    /// Sort by this column (or flip the direction).
    on_sort: Callback<()>,
) -> impl IntoView {
    let aria_sort = move || match sorted.get() {
        Some(Direction::Asc) => "ascending",
        Some(Direction::Desc) => "descending",
        None => "none",
    };
    let indicator = move || match sorted.get() {
        Some(Direction::Asc) => "▲",
        Some(Direction::Desc) => "▼",
        None => "",
    };
    view! {
        <th scope="col" aria-sort=aria_sort>
            <button type="button" class="sort" data-sort=label on:click=move |_| on_sort.run(())>
                {label}
                <span class="sort-indicator" aria-hidden="true">
                    {indicator}
                </span>
            </button>
        </th>
    }
}
