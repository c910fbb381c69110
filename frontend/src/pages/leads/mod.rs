//! Leads: the list, the lead page with qualification and conversion, contact
//! lists, web forms, and the lead settings (conversion mapping, assignment
//! rules). Small helpers the pages share are here.

mod convert;
pub mod form;
pub mod forms;
pub mod list;
pub mod lists;
pub mod settings;

use crate::api::ApiError;
use crate::app::use_session;
use crate::components::pager::Pager;
use leptos::prelude::*;

/// May the signed-in user do `action` on `object`? (Pages render once `me` is known.)
pub fn can(object: &str, action: &str) -> bool {
    use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can(object, action)))
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

/// An error box for a failed load (nothing while the client goes to `/login`).
pub fn load_error(e: &ApiError) -> AnyView {
    if *e == ApiError::Unauthenticated {
        return ().into_any();
    }
    view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any()
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
