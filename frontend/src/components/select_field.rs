//! A labelled drop-down bound to a text signal, with its validation message.

use crate::api::FieldErrors;
use crate::components::field::{input_id, FieldError};
use leptos::prelude::*;

/// `<select id="field-{name}">` of `options` (`(value, label)` pairs), bound
/// to `value`; `empty` labels a first option with the value `""`.
#[component]
pub fn SelectField(
    /// Input field name as in the schema (camelCase); gives the select its `id` and `name`.
    name: &'static str,
    /// Visible label.
    label: &'static str,
    /// The choices.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The chosen value.
    value: RwSignal<String>,
    /// Current validation messages; the one for `name` is shown.
    errors: RwSignal<FieldErrors>,
    /// Label of a first, empty choice (value `""`); none when blank.
    #[prop(optional)]
    empty: &'static str,
    /// Read-only when the user may not change it.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let invalid = move || errors.with(|e| e.get(name).is_some());
    let choices = move || {
        let mut list = options.get();
        if !empty.is_empty() {
            list.insert(0, (String::new(), empty.to_owned()));
        }
        list.into_iter()
            .map(|(v, text)| {
                let selected = v.clone();
                view! { <option value=v prop:selected=move || value.with(|c| *c == selected)>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field" class:has-error=invalid>
            <label for=input_id(name)>{label}</label>
            <select
                id=input_id(name)
                name=name
                disabled=disabled
                aria-invalid=move || invalid().then_some("true")
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {choices}
            </select>
            <FieldError name errors />
        </div>
    }
}
