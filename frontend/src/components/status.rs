//! What a form tells the user about its last request: validation messages by
//! field, a general message, a conflict, or a success notice.

use crate::api::{ApiError, FieldErrors};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the form says about the last operation.
#[derive(Clone, Copy)]
pub struct Status {
    /// Messages next to their fields.
    pub fields: RwSignal<FieldErrors>,
    /// Message at the top for everything else.
    pub general: RwSignal<Option<String>>,
    /// The save lost an optimistic-lock race.
    pub conflict: RwSignal<bool>,
    /// Success notice, e.g. "Saved".
    pub notice: RwSignal<Option<String>>,
    /// A request is under way.
    pub busy: RwSignal<bool>,
}

impl Status {
    /// A fresh status showing `notice`, if any.
    pub fn new(notice: Option<String>) -> Self {
        Self {
            fields: RwSignal::new(FieldErrors::default()),
            general: RwSignal::new(None),
            conflict: RwSignal::new(false),
            notice: RwSignal::new(notice),
            busy: RwSignal::new(false),
        }
    }

    /// Starts a request; `false` if one is already under way.
    pub fn start(&self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        self.busy.set(true);
        self.fields.set(FieldErrors::default());
        self.general.set(None);
        self.conflict.set(false);
        self.notice.set(None);
        true
    }

    /// Ends a request with a success notice.
    pub fn succeed(&self, notice: &str) {
        self.busy.set(false);
        self.notice.set(Some(notice.to_owned()));
    }

    /// Shows `error` where it belongs: validation messages next to the fields
    /// the form shows (`shown`), the rest at the top.
    pub fn fail(&self, error: ApiError, shown: &[&str]) {
        self.fail_renamed(error, shown, |_| None);
    }

    /// Like [`Self::fail`], where `rename` gives the form's name for an input
    /// path it shows under another name (e.g. `contactMechanisms.0.value` → `email`).
    pub fn fail_renamed(
        &self,
        error: ApiError,
        shown: &[&str],
        rename: impl Fn(&str) -> Option<&'static str>,
    ) {
        self.busy.set(false);
        if let Some(bad) = error.with_code("BAD_USER_INPUT") {
            let all = bad.field_errors();
            let mut by_field = FieldErrors::default();
            let mut others = Vec::new();
            for (field, message) in all.iter() {
                let field = rename(field).unwrap_or(field);
                if shown.contains(&field) {
                    by_field.push(field, message);
                } else {
                    others.push(format!("{field}: {message}"));
                }
            }
            if all.is_empty() {
                others.push(bad.message.clone());
            }
            let focus = !by_field.is_empty();
            self.fields.set(by_field);
            self.general
                .set((!others.is_empty()).then(|| others.join(" ")));
            if focus {
                request_animation_frame(focus_first_invalid);
            }
        } else if error.with_code("CONFLICT").is_some() {
            self.conflict.set(true);
        } else if error != ApiError::Unauthenticated {
            self.general.set(Some(error.to_string()));
        }
    }
}

/// Shown when a write lost the race with someone else's change.
pub const CONFLICT_NOTICE: &str =
    "Someone else changed this record meanwhile. Reload and try again.";

/// The general message and the conflict notice of `status`, for places with
/// no fields to put messages next to.
#[component]
pub fn StatusMessages(status: Status) -> impl IntoView {
    move || {
        let message = if status.conflict.get() {
            Some(CONFLICT_NOTICE.to_owned())
        } else {
            status.general.get()
        };
        message.map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })
    }
}

/// The success notice of `status` (`#form-notice`), when there is one.
#[component]
pub fn Notice(status: Status) -> impl IntoView {
    move || {
        status.notice.get().map(|n| {
            view! {
                <p class="alert alert-success" role="status" id="form-notice">
                    {n}
                </p>
            }
        })
    }
}

/// Moves the keyboard focus to the first input marked invalid.
fn focus_first_invalid() {
    let first = document()
        .query_selector("[aria-invalid=\"true\"]")
        .ok()
        .flatten();
    if let Some(input) = first.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = input.focus();
    }
}
