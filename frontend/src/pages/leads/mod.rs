//! Leads: the list, the lead page with qualification and conversion, contact
//! lists, web forms, and the lead settings (conversion mapping, assignment
//! rules). Small helpers the pages share are here.

mod convert;
pub mod form;
pub mod forms;
pub mod list;
pub mod lists;
pub mod routes;
pub mod settings;

pub use crate::components::load::reload;
pub use crate::page::record::load_error;

use crate::api::paging::Connection;
use crate::api::ApiError;
use crate::components::pager::Pager;
pub use crate::components::session::can;
use crate::components::table::Row;
use leptos::prelude::*;

/// A page of a keyset list as it loads.
pub type Loaded<T> = RwSignal<Option<Result<Connection<T>, ApiError>>>;

/// The table rows (`None` while loading), the cursor of the next page and the
/// load error of `page`, each row made by `row`.
pub fn page_parts<T: Send + Sync + 'static>(
    page: Loaded<T>,
    row: fn(&T) -> Row,
) -> (
    Signal<Option<Vec<Row>>>,
    Signal<Option<String>>,
    impl IntoView,
) {
    let rows = Signal::derive(move || {
        page.with(|p| match p {
            None => None,
            Some(Ok(p)) => Some(p.nodes.iter().map(row).collect()),
            Some(Err(_)) => Some(Vec::new()),
        })
    });
    let next = Signal::derive(move || {
        page.with(|p| match p {
            Some(Ok(p)) => p.page_info.next_cursor().map(str::to_owned),
            _ => None,
        })
    });
    let error = move || {
        page.with(|p| match p {
            Some(Err(e)) => Some(load_error(e)),
            _ => None,
        })
    };
    (rows, next, error)
}

/// `(value, label)` choices of a schema enum.
pub fn choices<T: Copy>(
    all: &[T],
    wire: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (wire(*v).to_owned(), label(*v).to_owned()))
        .collect()
}

/// The pager of a keyset list: `cursors` are the `after` cursors that led to
/// the page shown, `next` the cursor of the page after it.
pub fn paging(cursors: RwSignal<Vec<String>>, next: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Pager
            page=Signal::derive(move || cursors.with(Vec::len) + 1)
            has_previous=Signal::derive(move || cursors.with(|c| !c.is_empty()))
            has_next=Signal::derive(move || next.with(Option::is_some))
            on_previous=Callback::new(move |()| cursors.update(|c| {
                c.pop();
            }))
            on_next=Callback::new(move |()| {
                if let Some(c) = next.get_untracked() {
                    cursors.update(|v| v.push(c));
                }
            })
        />
    }
}

/// "Not found" for a record page.
pub fn not_found(what: &'static str, back: &'static str) -> AnyView {
    view! {
        <div class="card narrow">
            <h1>{what} " not found"</h1>
            <p>"It does not exist, or you may not see it."</p>
            <a class="btn" href=back>"Back"</a>
        </div>
    }
    .into_any()
}
