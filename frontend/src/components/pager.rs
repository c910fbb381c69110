//! Previous / Next paging for keyset-paginated lists.

use leptos::prelude::*;

/// Page navigation: "Previous", the page number, "Next".
#[component]
pub fn Pager(
    /// 1-based number of the page shown.
    #[prop(into)]
    page: Signal<usize>,
    /// There is a page before this one.
    #[prop(into)]
    has_previous: Signal<bool>,
    /// There is a page after this one.
    #[prop(into)]
    has_next: Signal<bool>,
    /// Go one page back.
    on_previous: Callback<()>,
    /// Go one page forward.
    on_next: Callback<()>,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Pagination">
            <button
                type="button"
                id="page-previous"
                class="btn"
                disabled=move || !has_previous.get()
                on:click=move |_| on_previous.run(())
            >
                "Previous"
            </button>
            <span class="pager-page" aria-live="polite">
                "Page "
                {move || page.get()}
            </span>
            <button
                type="button"
                id="page-next"
                class="btn"
                disabled=move || !has_next.get()
                on:click=move |_| on_next.run(())
            >
                "Next"
            </button>
        </nav>
    }
}
