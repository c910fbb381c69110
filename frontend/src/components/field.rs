//! Labelled inputs that show the server's validation message for their field.

use crate::api::FieldErrors;
use leptos::prelude::*;

/// DOM id of the input for the input field `name`.
pub fn input_id(name: &str) -> String {
    format!("field-{name}")
}

fn error_id(name: &str) -> String {
    format!("field-{name}-error")
}

/// The validation message for the input field `name`, if there is one:
/// `<p class="field-error" data-field="name">`.
#[component]
pub fn FieldError(
    /// Input field name as in the schema (camelCase).
    name: &'static str,
    /// Current validation messages.
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    move || {
        errors.with(|e| e.get(name)).map(|message| {
            view! {
                <p class="field-error" data-field=name id=error_id(name)>
                    {message}
                </p>
            }
        })
    }
}

/// A labelled single-line input bound to `value`, with its validation message.
#[component]
pub fn TextField(
    /// Input field name as in the schema (camelCase); gives the input its `id` and `name`.
    name: &'static str,
    /// Visible label.
    label: &'static str,
    /// The text, read and written by the input.
    value: RwSignal<String>,
    /// Current validation messages; the one for `name` is shown.
    errors: RwSignal<FieldErrors>,
    /// Marks the field as required.
    #[prop(optional)]
    required: bool,
    /// `type` attribute: `text`, `email`, `tel`, `url`…
    #[prop(default = "text")]
    input_type: &'static str,
    /// `autocomplete` attribute.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Help text under the input.
    #[prop(optional_no_strip)]
    hint: Option<&'static str>,
    /// Read-only when the user may not change it.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let invalid = Memo::new(move |_| errors.with(|e| e.get(name).is_some()));
    let hint_id = format!("field-{name}-hint");
    let described_by = {
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if invalid.get() {
                ids.push(error_id(name));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || invalid.get()>
            <label for=input_id(name)>
                {label}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <input
                id=input_id(name)
                name=name
                type=input_type
                autocomplete=autocomplete
                required=required
                disabled=move || disabled.get()
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described_by
                bind:value=value
            />
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <FieldError name=name errors=errors />
        </div>
    }
}
