//! A record's page before it can be shown: reading `:id` from the address,
//! loading the record, and what to show while it loads, when it is missing,
//! or when the load failed.

use crate::api::ApiError;
use crate::components::load::reload;
use crate::components::session::set_title;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::future::Future;

/// An error box for a failed load (nothing while the client goes to `/login`).
pub fn load_error(e: &ApiError) -> AnyView {
    if *e == ApiError::Unauthenticated {
        return ().into_any();
    }
    view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any()
}

/// What a record page says when the record cannot be shown.
#[derive(Clone, Copy, Debug)]
pub struct Missing {
    /// Heading, e.g. "Account not found" (also the tab title).
    pub title: &'static str,
    /// The sentence under it.
    pub text: &'static str,
    /// Where "back" leads, and its text.
    pub back: (&'static str, &'static str),
    /// Shown while the record loads, e.g. "Loading account…".
    pub loading: &'static str,
}

impl Missing {
    /// "{what} not found", "Back to {back}".
    pub const fn new(
        title: &'static str,
        back: (&'static str, &'static str),
        loading: &'static str,
    ) -> Self {
        Self {
            title,
            text: "It does not exist, or you may not see it.",
            back,
            loading,
        }
    }

    /// The "not found" card.
    pub fn view(self) -> AnyView {
        set_title(self.title);
        view! {
            <div class="card narrow">
                <h1>{self.title}</h1>
                <p>{self.text}</p>
                <a class="btn" href=self.back.0>{self.back.1}</a>
            </div>
        }
        .into_any()
    }
}

/// What a load gave: the view of the record, "not found", the error, or the loading notice.
pub fn loaded_view<T>(
    loaded: Option<Result<Option<T>, ApiError>>,
    missing: Missing,
    show: impl FnOnce(T) -> AnyView,
) -> AnyView {
    match loaded {
        Some(Ok(Some(record))) => show(record),
        Some(Ok(None)) => missing.view(),
        Some(Err(e)) => load_error(&e),
        None => view! { <p class="loading">{missing.loading}</p> }.into_any(),
    }
}

/// The page of the record whose id is the address's `:id`: loads it with
/// `load`, then shows it with `show`. A new id is a new page, with nothing
/// carried over from the last one.
pub fn record_page<T, F>(
    load: impl Fn(String) -> F + Copy + Send + Sync + 'static,
    missing: Missing,
    show: impl Fn(T) -> AnyView + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Future<Output = Result<Option<T>, ApiError>> + 'static,
{
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    move || {
        let id = id.get();
        let loaded = reload(move || load(id.clone()));
        move || loaded_view(loaded.get(), missing, show)
    }
}
